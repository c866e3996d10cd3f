// Validation of an object against its OpenAPI v3 schema, with causes in the
// shape and wording kube-apiserver gives for custom resources. Runs on every
// write, so it is one recursive walk with compiled patterns cached.
import type { StatusCause } from '@/lib/k8s/types';
import type { JSONSchemaProps } from '@/server/apiserver/registry/types';
import { type FieldErrorType, childPath, fieldError, indexPath } from './fielderrors';

export { applyDefaults, findUnknownFields, prune, strictDecodingError, unknownFieldWarnings } from './structural';

type Json = unknown;

const patterns = new Map<string, RegExp | null>();

function compiled(pattern: string): RegExp | null {
  let re = patterns.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = null; // an ECMA-incompatible pattern is not enforced rather than failing every write
    }
    patterns.set(pattern, re);
  }
  return re;
}

/** The JSON type name of a value, as the OpenAPI validator reports it. */
function jsonType(value: Json): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value === 'object' ? 'object' : typeof value;
}

function typeMatches(type: string, actual: string): boolean {
  return type === actual || (type === 'number' && actual === 'integer');
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

const STRING_FORMATS: Record<string, (s: string) => boolean> = {
  'date-time': (s) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))),
  date: (s) => DATE.test(s) && !Number.isNaN(Date.parse(s)),
  byte: (s) => BASE64.test(s),
  uuid: (s) => UUID.test(s),
};

class Validator {
  readonly causes: StatusCause[] = [];

  /** Go-openapi names the document root "."; fields are named by their path. */
  private name(path: string): string {
    return path || '.';
  }

  private add(type: FieldErrorType, path: string, value: unknown, detail?: string): void {
    this.causes.push(fieldError(type, path, value, detail));
  }

  private invalid(path: string, value: unknown, detail: string): void {
    this.add('FieldValueInvalid', path, value, `${this.name(path)} in body ${detail}`);
  }

  check(value: Json, s: JSONSchemaProps, path: string): void {
    if (value === null || value === undefined) {
      const types = this.declaredTypes(s);
      if (types && !s.nullable) {
        this.add('FieldValueTypeInvalid', path, 'null', `${this.name(path)} in body must be of type ${types}: "null"`);
      }
      return;
    }
    if (!this.checkType(value, s, path)) return;
    if (s.enum && !s.enum.some((allowed) => deepEqual(allowed, value))) {
      const supported = s.enum.map((v) => JSON.stringify(typeof v === 'string' ? v : JSON.stringify(v)));
      this.add('FieldValueNotSupported', path, value, `supported values: ${supported.join(', ')}`);
    }
    if (typeof value === 'string') this.checkString(value, s, path);
    else if (typeof value === 'number') this.checkNumber(value, s, path);
    else if (Array.isArray(value)) this.checkArray(value, s, path);
    else if (typeof value === 'object') this.checkObject(value as Record<string, Json>, s, path);
    this.checkCombinators(value, s, path);
  }

  /** "integer,string" for int-or-string, the declared type, or undefined when any type goes. */
  private declaredTypes(s: JSONSchemaProps): string | undefined {
    if (s['x-kubernetes-int-or-string']) return 'integer,string';
    return s.type;
  }

  private checkType(value: Json, s: JSONSchemaProps, path: string): boolean {
    const declared = this.declaredTypes(s);
    if (!declared) return true;
    const actual = jsonType(value);
    if (declared === actual || declared.split(',').some((t) => typeMatches(t, actual))) return true;
    this.add('FieldValueTypeInvalid', path, actual, `${this.name(path)} in body must be of type ${declared}: ${JSON.stringify(actual)}`);
    return false;
  }

  private checkString(value: string, s: JSONSchemaProps, path: string): void {
    // In code points, as Go counts runes; only when a bound is set, since most strings have none.
    const length = s.maxLength !== undefined || s.minLength !== undefined ? codePoints(value) : 0;
    if (s.maxLength !== undefined && length > s.maxLength) {
      this.add('FieldValueTooLong', path, value, `may not be more than ${s.maxLength} bytes`);
    }
    if (s.minLength !== undefined && length < s.minLength) {
      this.invalid(path, value, `should be at least ${s.minLength} chars long`);
    }
    if (s.pattern !== undefined) {
      const re = compiled(s.pattern);
      if (re && !re.test(value)) this.invalid(path, value, `should match '${s.pattern}'`);
    }
    const format = s.format ? STRING_FORMATS[s.format] : undefined;
    if (format && !format(value)) {
      this.add('FieldValueTypeInvalid', path, value, `${this.name(path)} in body must be of type ${s.format}: ${JSON.stringify(value)}`);
    }
  }

  private checkNumber(value: number, s: JSONSchemaProps, path: string): void {
    if (s.format === 'int32' && Number.isInteger(value) && (value > 2147483647 || value < -2147483648)) {
      this.add('FieldValueTypeInvalid', path, value, `${this.name(path)} in body must be of type int32: ${JSON.stringify(String(value))}`);
    }
    // Beyond 2^53 a JSON number loses its last digits, but it is still an int64 (nanosecond
    // timestamps such as VolumeSnapshotContent.status.creationTime live there): check the range only.
    if (s.format === 'int64' && Number.isInteger(value) && Math.abs(value) >= 2 ** 63) {
      this.add('FieldValueTypeInvalid', path, value, `${this.name(path)} in body must be of type int64: ${JSON.stringify(String(value))}`);
    }
    if (s.maximum !== undefined) {
      if (s.exclusiveMaximum ? value >= s.maximum : value > s.maximum) {
        this.invalid(path, value, s.exclusiveMaximum ? `should be less than ${s.maximum}` : `should be less than or equal to ${s.maximum}`);
      }
    }
    if (s.minimum !== undefined) {
      if (s.exclusiveMinimum ? value <= s.minimum : value < s.minimum) {
        this.invalid(path, value, s.exclusiveMinimum ? `should be greater than ${s.minimum}` : `should be greater than or equal to ${s.minimum}`);
      }
    }
    // multipleOf is valid in a CRD schema though the shared type leaves it out.
    const multipleOf = (s as { multipleOf?: unknown }).multipleOf;
    if (typeof multipleOf === 'number' && multipleOf > 0 && !Number.isInteger(value / multipleOf)) {
      this.invalid(path, value, `should be a multiple of ${multipleOf}`);
    }
  }

  private checkArray(value: Json[], s: JSONSchemaProps, path: string): void {
    if (s.maxItems !== undefined && value.length > s.maxItems) {
      this.add('FieldValueTooMany', path, value.length, `must have at most ${s.maxItems} items`);
    }
    if (s.minItems !== undefined && value.length < s.minItems) {
      this.invalid(path, value.length, `should have at least ${s.minItems} items`);
    }
    if (s.uniqueItems && hasDuplicates(value)) this.invalid(path, '', "shouldn't contain duplicates");
    const items = s.items;
    if (items) value.forEach((item, i) => this.check(item, items, indexPath(path, i)));
    this.checkListType(value, s, path);
  }

  /** x-kubernetes-list-type: set and map forbid duplicates (a separate pass in kube-apiserver). */
  private checkListType(value: Json[], s: JSONSchemaProps, path: string): void {
    const listType = s['x-kubernetes-list-type'];
    if (listType === 'set') {
      const seen: Json[] = [];
      value.forEach((item, i) => {
        if (seen.some((other) => deepEqual(other, item))) this.add('FieldValueDuplicate', indexPath(path, i), item);
        else seen.push(item);
      });
    } else if (listType === 'map') {
      const keys = s['x-kubernetes-list-map-keys'] ?? [];
      const seen = new Set<string>();
      value.forEach((item, i) => {
        if (!item || typeof item !== 'object' || Array.isArray(item)) return;
        const entry = item as Record<string, Json>;
        const keyValues: Record<string, Json> = {};
        for (const k of keys) if (entry[k] !== undefined) keyValues[k] = entry[k];
        const id = JSON.stringify(keys.map((k) => entry[k] ?? null));
        if (seen.has(id)) this.add('FieldValueDuplicate', indexPath(path, i), keyValues);
        else seen.add(id);
      });
    }
  }

  private checkObject(value: Record<string, Json>, s: JSONSchemaProps, path: string): void {
    for (const key of s.required ?? []) {
      if (!(key in value) || value[key] === undefined) this.add('FieldValueRequired', childPath(path, key), '');
    }
    const count = Object.keys(value).length;
    if (s.maxProperties !== undefined && count > s.maxProperties) {
      this.add('FieldValueTooMany', path, count, `must have at most ${s.maxProperties} items`);
    }
    if (s.minProperties !== undefined && count < s.minProperties) {
      this.invalid(path, count, `should have at least ${s.minProperties} properties`);
    }
    const ap = s.additionalProperties;
    for (const [key, child] of Object.entries(value)) {
      const prop = s.properties?.[key] ?? (ap && typeof ap === 'object' ? ap : undefined);
      if (prop) this.check(child, prop, childPath(path, key));
    }
  }

  /** Causes of validating `value` against `s` on its own, for anyOf/oneOf/not. */
  private trial(value: Json, s: JSONSchemaProps, path: string): StatusCause[] {
    const sub = new Validator();
    sub.check(value, s, path);
    return sub.causes;
  }

  private checkCombinators(value: Json, s: JSONSchemaProps, path: string): void {
    if (s.allOf) for (const sub of s.allOf) this.check(value, sub, path);
    if (!s.anyOf?.length && !s.oneOf?.length && !s.not) return;
    const quoted = JSON.stringify(this.name(path));
    if (s.anyOf?.length) {
      const results = s.anyOf.map((sub) => this.trial(value, sub, path));
      if (!results.some((r) => r.length === 0)) {
        this.add('FieldValueInvalid', path, '', `${quoted} must validate at least one schema (anyOf)`);
        this.causes.push(...fewest(results));
      }
    }
    if (s.oneOf?.length) {
      const results = s.oneOf.map((sub) => this.trial(value, sub, path));
      const valid = results.filter((r) => r.length === 0).length;
      if (valid === 0) {
        this.add('FieldValueInvalid', path, '', `${quoted} must validate one and only one schema (oneOf). Found none valid`);
        this.causes.push(...fewest(results));
      } else if (valid > 1) {
        this.add('FieldValueInvalid', path, '', `${quoted} must validate one and only one schema (oneOf). Found ${valid} valid alternatives`);
      }
    }
    if (s.not && this.trial(value, s.not, path).length === 0) {
      this.add('FieldValueInvalid', path, '', `${quoted} must not validate the schema (not)`);
    }
  }
}

/** The number of code points (a surrogate pair is one), without making an array of them. */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function fewest(results: StatusCause[][]): StatusCause[] {
  return results.reduce((best, r) => (r.length < best.length ? r : best));
}

function hasDuplicates(values: Json[]): boolean {
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) if (deepEqual(values[i], values[j])) return true;
  }
  return false;
}

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => k in b && deepEqual((a as Record<string, Json>)[k], (b as Record<string, Json>)[k]));
}

/**
 * Field causes for `obj` against `schema`: types (int-or-string, nullable,
 * formats), required, enum, pattern, bounds, lengths, item counts, uniqueness,
 * list types, allOf/anyOf/oneOf/not. Empty means valid.
 */
export function validateAgainstSchema(obj: unknown, schema: JSONSchemaProps): StatusCause[] {
  return validateAt(obj, schema, '');
}

/** The same for a value that sits at `path` of a larger document (e.g. a CRD's default). */
export function validateAt(value: unknown, schema: JSONSchemaProps, path: string): StatusCause[] {
  const v = new Validator();
  v.check(value, schema, path);
  return v.causes;
}
