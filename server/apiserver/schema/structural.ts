// What a structural schema does to an object before validation, the way
// kube-apiserver treats custom resources: find and prune unknown fields, and
// fill in defaults. Pure functions; inputs are never changed.
import type { JSONSchemaProps } from '@/server/apiserver/registry/types';
import { OBJECT_META_FIELDS } from './common';
import { childPath, indexPath } from './fielderrors';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const PRESERVE = 'x-kubernetes-preserve-unknown-fields';
const EMBEDDED = 'x-kubernetes-embedded-resource';

/** The schema for the values of a map, or undefined when the node is not a map. */
function additional(schema: JSONSchemaProps): JSONSchemaProps | 'any' | undefined {
  const ap = schema.additionalProperties;
  if (ap === true) return 'any';
  if (ap && typeof ap === 'object') return ap;
  return undefined;
}

/**
 * Walk an object along its schema and report each field the schema does not
 * know. `onUnknown` decides what happens to it; the walk returns the object
 * with those fields removed when `remove` is set (a copy only where changed).
 */
function walk(value: unknown, schema: JSONSchemaProps | undefined, path: string, root: boolean, out: string[] | null, remove: boolean): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) {
    const items = schema.items;
    if (!items) return value;
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = walk(item, items, indexPath(path, i), false, out, remove);
      if (next !== item) (copy ??= value.slice())[i] = next;
    });
    return copy ?? value;
  }
  if (!isObject(value)) return value;

  const preserve = schema[PRESERVE] === true;
  const resource = root || schema[EMBEDDED] === true;
  const ap = additional(schema);
  let copy: JsonObject | undefined;
  for (const key of Object.keys(value)) {
    const child = value[key];
    const at = childPath(path, key);
    let next: unknown;
    if (resource && (key === 'apiVersion' || key === 'kind')) continue;
    if (resource && key === 'metadata') {
      next = walkMetadata(child, schema.properties?.metadata, at, out, remove);
    } else {
      const prop = schema.properties?.[key];
      if (prop) next = walk(child, prop, at, false, out, remove);
      else if (ap === 'any') continue;
      else if (ap) next = walk(child, ap, at, false, out, remove);
      else if (preserve) continue;
      else {
        out?.push(at);
        if (remove) {
          copy ??= { ...value };
          delete copy[key];
        }
        continue;
      }
    }
    if (next !== child) (copy ??= { ...value })[key] = next;
  }
  return copy ?? value;
}

/**
 * The metadata of an object or of an embedded resource: ObjectMeta's own
 * fields are always known (a CRD may only narrow name and generateName), and
 * where the schema spells ObjectMeta out (built-ins) it is followed inside.
 */
function walkMetadata(value: unknown, schema: JSONSchemaProps | undefined, path: string, out: string[] | null, remove: boolean): unknown {
  if (!isObject(value) || schema?.[PRESERVE] === true) return value;
  let copy: JsonObject | undefined;
  for (const key of Object.keys(value)) {
    const child = value[key];
    const prop = schema?.properties?.[key];
    if (prop) {
      const next = walk(child, prop, childPath(path, key), false, out, remove);
      if (next !== child) (copy ??= { ...value })[key] = next;
    } else if (!OBJECT_META_FIELDS.has(key)) {
      out?.push(childPath(path, key));
      if (remove) {
        copy ??= { ...value };
        delete copy[key];
      }
    }
  }
  return copy ?? value;
}

/**
 * Paths ("spec.foo", "spec.disks[0].bar") of the fields of `obj` its schema
 * does not know, sorted. `apiVersion`, `kind` and ObjectMeta's fields are
 * always known at the top and in embedded resources; preserve-unknown-fields
 * and additionalProperties let anything through where they are set.
 */
export function findUnknownFields(obj: unknown, schema: JSONSchemaProps): string[] {
  const out: string[] = [];
  walk(obj, schema, '', true, out, false);
  return out.sort();
}

/** `obj` without the fields its schema does not know (CRD pruning). Unchanged parts are shared. */
export function prune<T>(obj: T, schema: JSONSchemaProps): T {
  return walk(obj, schema, '', true, null, true) as T;
}

/** The 400 message of fieldValidation=Strict: `strict decoding error: unknown field "spec.foo", …`. */
export function strictDecodingError(unknownFields: string[]): string {
  return `strict decoding error: ${unknownFields.map((p) => `unknown field ${JSON.stringify(p)}`).join(', ')}`;
}

/** The Warning header texts of fieldValidation=Warn (one per field). */
export function unknownFieldWarnings(unknownFields: string[]): string[] {
  return unknownFields.map((p) => `unknown field ${JSON.stringify(p)}`);
}

function copyJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * `obj` with the schema's defaults filled in, as kube-apiserver defaults custom
 * resources: a property's default is set when the property is missing from an
 * object that exists, or is null and not nullable; defaults apply inside
 * defaulted values too. Then, as kube-apiserver does, a null left in a field
 * that is not nullable is dropped. The top-level default is never applied.
 */
export function applyDefaults<T>(obj: T, schema: JSONSchemaProps): T {
  return defaultValue(obj, schema) as T;
}

function defaultValue(value: unknown, schema: JSONSchemaProps | undefined): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) {
    const items = schema.items;
    if (!items) return value;
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = defaultValue(item, items);
      if (next !== item) (copy ??= value.slice())[i] = next;
    });
    return copy ?? value;
  }
  if (!isObject(value)) return value;
  let copy: JsonObject | undefined;
  const props = schema.properties;
  if (props) {
    for (const [key, prop] of Object.entries(props)) {
      if (prop.default === undefined || prop.default === null) continue;
      const current = value[key];
      if (!(key in value) || current === undefined || (current === null && prop.nullable !== true)) {
        (copy ??= { ...value })[key] = copyJson(prop.default);
      }
    }
  }
  const source = copy ?? value;
  const ap = additional(schema);
  for (const key of Object.keys(source)) {
    const child = source[key];
    const prop = props?.[key] ?? (ap && ap !== 'any' ? ap : undefined);
    if (!prop) continue;
    if (child === null && prop.nullable !== true && props?.[key]) {
      // A null the client sent for a non-nullable field without a default is dropped.
      copy ??= { ...value };
      delete copy[key];
      continue;
    }
    const next = defaultValue(child, prop);
    if (next !== child) (copy ??= { ...value })[key] = next;
  }
  return copy ?? value;
}
