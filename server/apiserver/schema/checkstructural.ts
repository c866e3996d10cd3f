// The rules a CustomResourceDefinition's schema must follow to be structural,
// with the field paths and wording kube-apiserver uses in its 422 answer.
import type { StatusCause } from '@/lib/k8s/types';
import type { JSONSchemaProps } from '@/server/apiserver/registry/types';
import { causeText, fieldError } from './fielderrors';
import { findUnknownFields } from './structural';
import { validateAt } from './validate';

type Level = 'root' | 'item' | 'field';
type Node = Record<string, unknown>;

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const COMBINATORS = ['allOf', 'anyOf', 'oneOf'] as const;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function props(node: Node): Record<string, unknown> | undefined {
  return isNode(node.properties) ? node.properties : undefined;
}

const key = (path: string, k: string) => `${path}[${k}]`;

/** anyOf: [{type: integer}, {type: string}] — the one anyOf an int-or-string node may carry with types. */
function isIntOrStringAnyOf(anyOf: unknown): boolean {
  if (!Array.isArray(anyOf) || anyOf.length !== 2) return false;
  const [a, b] = anyOf as unknown[];
  const only = (n: unknown, t: string) => isNode(n) && n.type === t && Object.keys(n).length === 1;
  return only(a, 'integer') && only(b, 'string');
}

class Checker {
  readonly causes: StatusCause[] = [];

  private required(path: string, detail: string): void {
    this.causes.push(fieldError('FieldValueRequired', path, '', detail));
  }

  private forbidden(path: string, detail: string): void {
    this.causes.push(fieldError('FieldValueForbidden', path, '', detail));
  }

  private invalid(path: string, value: unknown, detail: string): void {
    this.causes.push(fieldError('FieldValueInvalid', path, value, detail));
  }

  node(s: Node, level: Level, path: string): void {
    const type = typeof s.type === 'string' ? s.type : '';
    const intOrString = s['x-kubernetes-int-or-string'] === true;
    const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
    const embedded = s['x-kubernetes-embedded-resource'] === true;
    const properties = props(s);
    const ap = s.additionalProperties;

    if ('$ref' in s) this.forbidden(`${path}.$ref`, '$ref is not supported');
    if (type && !TYPES.includes(type)) {
      this.causes.push(fieldError('FieldValueNotSupported', `${path}.type`, type, `supported values: ${TYPES.map((t) => JSON.stringify(t)).join(', ')}`));
    }
    if (type === 'array' && !isNode(s.items)) this.required(`${path}.items`, 'must be specified');
    if (isNode(s.items)) this.node(s.items, 'item', `${path}.items`);
    for (const [k, child] of Object.entries(properties ?? {})) {
      if (isNode(child)) this.node(child, 'field', key(`${path}.properties`, k));
    }
    if (ap !== undefined) {
      if (level === 'root') this.forbidden(`${path}.additionalProperties`, 'must not be used at the root');
      if (properties && Object.keys(properties).length && (ap === false || isNode(ap))) {
        this.forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive');
      }
      if (ap === false) this.forbidden(`${path}.additionalProperties`, 'additionalProperties cannot be set to false');
      if (isNode(ap)) this.node(ap, 'field', `${path}.additionalProperties`);
    }
    if (s.uniqueItems === true) {
      this.forbidden(`${path}.uniqueItems`, 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic');
    }
    if (s['x-kubernetes-preserve-unknown-fields'] === false) {
      this.invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined');
    }
    if (intOrString && preserve) this.invalid(`${path}.x-kubernetes-preserve-unknown-fields`, true, 'must be false if x-kubernetes-int-or-string is true');
    if (intOrString && embedded) this.invalid(`${path}.x-kubernetes-embedded-resource`, true, 'must be false if x-kubernetes-int-or-string is true');
    if (intOrString && type) this.invalid(`${path}.type`, type, 'must be empty if x-kubernetes-int-or-string is true');

    this.valueValidations(s, path, intOrString);

    if (embedded && type !== 'object') {
      if (!type) this.required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true');
      else this.invalid(`${path}.type`, type, 'must be object if x-kubernetes-embedded-resource is true');
    } else if (!type && !embedded && !intOrString && !preserve) {
      const detail = { root: 'must not be empty at the root', item: 'must not be empty for specified array items', field: 'must not be empty for specified object fields' }[level];
      this.required(`${path}.type`, detail);
    }
    if (embedded && ap !== undefined) this.forbidden(`${path}.additionalProperties`, 'must not be used if x-kubernetes-embedded-resource is set');
    if (level === 'root' && type && type !== 'object') this.invalid(`${path}.type`, type, 'must be object at the root');
    if (level === 'root' || embedded) this.resourceFields(s, level, path);
    if (embedded && !preserve && !(properties && Object.keys(properties).length)) {
      this.required(`${path}.properties`, 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields');
    }
    this.listAndMapTypes(s, type, path);
    if (s.default !== undefined && s.default !== null) this.defaultValue(s, path);
  }

  /** apiVersion and kind are strings; a CRD may narrow metadata's name and generateName, nothing else. */
  private resourceFields(s: Node, level: Level, path: string): void {
    const p = props(s) ?? {};
    for (const field of ['kind', 'apiVersion']) {
      const f = p[field];
      if (isNode(f) && f.type !== 'string') this.invalid(`${key(`${path}.properties`, field)}.type`, f.type ?? '', 'must be string');
    }
    const metadata = p.metadata;
    if (!isNode(metadata)) return;
    const at = key(`${path}.properties`, 'metadata');
    if (metadata.type !== 'object') this.invalid(`${at}.type`, metadata.type ?? '', 'must be object');
    if (level !== 'root') return;
    const inner = Object.keys(props(metadata) ?? {});
    const narrowsOnlyNames = inner.every((k) => k === 'name' || k === 'generateName');
    const others = Object.keys(metadata).filter((k) => k !== 'type' && k !== 'properties' && k !== 'description');
    if (!narrowsOnlyNames || others.length) {
      this.forbidden(at, 'must not specify anything other than name and generateName, but metadata is implicitly specified');
    }
  }

  private listAndMapTypes(s: Node, type: string, path: string): void {
    const listType = s['x-kubernetes-list-type'];
    const mapKeys = s['x-kubernetes-list-map-keys'];
    if (listType !== undefined) {
      if (!['atomic', 'set', 'map'].includes(listType as string)) {
        this.causes.push(fieldError('FieldValueNotSupported', `${path}.x-kubernetes-list-type`, listType, 'supported values: "atomic", "set", "map"'));
      } else if (type !== 'array') {
        this.invalid(`${path}.type`, type, 'must be array if x-kubernetes-list-type is specified');
      }
    }
    if (listType === 'map') {
      if (!Array.isArray(mapKeys) || mapKeys.length === 0) {
        this.required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map');
      }
      const items = isNode(s.items) ? s.items : undefined;
      if (items && items.type !== 'object') {
        this.invalid(`${path}.items.type`, items.type ?? '', 'must be object if parent array\'s x-kubernetes-list-type is map');
      }
      for (const k of Array.isArray(mapKeys) ? mapKeys : []) {
        const keyProp = items ? props(items)?.[String(k)] : undefined;
        if (!isNode(keyProp)) {
          this.required(key(`${path}.items.properties`, String(k)), 'entries are required to be present by x-kubernetes-list-map-keys');
          continue;
        }
        if (!['string', 'integer', 'number', 'boolean'].includes(String(keyProp.type))) {
          this.invalid(`${key(`${path}.items.properties`, String(k))}.type`, keyProp.type ?? '', 'must be a scalar type if parent array\'s x-kubernetes-list-type is map');
        }
        const required = Array.isArray(items?.required) ? items.required : [];
        if (!required.includes(k) && keyProp.default === undefined) {
          this.required(`${path}.items.required`, `all map keys must be required or have a default value: ${JSON.stringify(k)} is not`);
        }
      }
    } else if (mapKeys !== undefined) {
      this.forbidden(`${path}.x-kubernetes-list-map-keys`, 'must be empty if x-kubernetes-list-type is not map');
    }
    const mapType = s['x-kubernetes-map-type'];
    if (mapType !== undefined) {
      if (mapType !== 'atomic' && mapType !== 'granular') {
        this.causes.push(fieldError('FieldValueNotSupported', `${path}.x-kubernetes-map-type`, mapType, 'supported values: "atomic", "granular"'));
      } else if (type !== 'object') {
        this.invalid(`${path}.type`, type, 'must be object if x-kubernetes-map-type is specified');
      }
    }
  }

  /** A default must be valid for its own node and carry no field the schema would prune. */
  private defaultValue(s: Node, path: string): void {
    const at = `${path}.default`;
    const schema = { ...s, default: undefined } as JSONSchemaProps;
    for (const cause of validateAt(s.default, schema, at)) this.causes.push(cause);
    const unknown = findUnknownFieldsBelow(s.default, schema);
    if (unknown.length) this.invalid(at, s.default, `must not have unknown fields: ${unknown.join(', ')}`);
  }

  /** allOf/anyOf/oneOf/not only add checks: no types, defaults, descriptions or fields of their own. */
  private valueValidations(s: Node, path: string, intOrString: boolean): void {
    for (const c of COMBINATORS) {
      const list = s[c];
      if (!Array.isArray(list)) continue;
      list.forEach((sub: unknown, i) => {
        if (!isNode(sub)) return;
        const skipAnyOf = intOrString && ((c === 'anyOf' && isIntOrStringAnyOf(list)) || (c === 'allOf' && i === 0 && isIntOrStringAnyOf(sub.anyOf)));
        if (c === 'anyOf' && skipAnyOf) return;
        this.nested(sub, `${path}.${c}[${i}]`, skipAnyOf);
        this.completeness(sub, s, path, `${path}.${c}[${i}]`);
      });
    }
    if (isNode(s.not)) {
      this.nested(s.not, `${path}.not`, false);
      this.completeness(s.not, s, path, `${path}.not`);
    }
  }

  private nested(v: Node, path: string, skipAnyOf: boolean): void {
    for (const c of COMBINATORS) {
      const list = v[c];
      if (!Array.isArray(list) || (c === 'anyOf' && skipAnyOf)) continue;
      list.forEach((sub: unknown, i) => isNode(sub) && this.nested(sub, `${path}.${c}[${i}]`, false));
    }
    if (isNode(v.not)) this.nested(v.not, `${path}.not`, false);
    if (isNode(v.items)) this.nested(v.items, `${path}.items`, false);
    for (const [k, child] of Object.entries(props(v) ?? {})) {
      if (isNode(child)) this.nested(child, key(`${path}.properties`, k), false);
    }
    const rules: Array<[string, (x: unknown) => boolean, string]> = [
      ['type', (x) => typeof x === 'string' && x !== '', 'must be empty to be structural'],
      ['additionalProperties', (x) => x !== undefined, 'must be undefined to be structural'],
      ['default', (x) => x !== undefined, 'must be undefined to be structural'],
      ['title', (x) => typeof x === 'string' && x !== '', 'must be empty to be structural'],
      ['description', (x) => typeof x === 'string' && x !== '', 'must be empty to be structural'],
      ['nullable', (x) => x === true, 'must be false to be structural'],
      ['x-kubernetes-preserve-unknown-fields', (x) => x !== undefined, 'must be undefined to be structural'],
      ['x-kubernetes-embedded-resource', (x) => x === true, 'must be false to be structural'],
      ['x-kubernetes-int-or-string', (x) => x === true, 'must be false to be structural'],
      ['x-kubernetes-list-map-keys', (x) => Array.isArray(x) && x.length > 0, 'must be empty to be structural'],
      ['x-kubernetes-list-type', (x) => x !== undefined, 'must be undefined to be structural'],
      ['x-kubernetes-map-type', (x) => x !== undefined, 'must be undefined to be structural'],
    ];
    for (const [field, present, detail] of rules) if (present(v[field])) this.forbidden(`${path}.${field}`, detail);
  }

  /** Every field or item a value validation mentions must exist in the structural part. */
  private completeness(v: Node, s: Node | undefined, sPath: string, vPath: string): void {
    if (!s) {
      this.required(sPath, `because it is defined in ${vPath}`);
      return;
    }
    if (isNode(v.items)) {
      const items = isNode(s.items) ? s.items : undefined;
      if (!items) this.required(`${sPath}.items`, `because it is defined in ${vPath}.items`);
      else this.completeness(v.items, items, `${sPath}.items`, `${vPath}.items`);
    }
    for (const [k, child] of Object.entries(props(v) ?? {})) {
      if (!isNode(child)) continue;
      const sp = props(s)?.[k];
      const ap = s.additionalProperties;
      const target = isNode(sp) ? sp : isNode(ap) ? ap : undefined;
      if (!target && s['x-kubernetes-preserve-unknown-fields'] !== true) {
        this.required(key(`${sPath}.properties`, k), `because it is defined in ${key(`${vPath}.properties`, k)}`);
      } else if (target) {
        this.completeness(child, target, isNode(sp) ? key(`${sPath}.properties`, k) : `${sPath}.additionalProperties`, key(`${vPath}.properties`, k));
      }
    }
    for (const c of COMBINATORS) {
      const list = v[c];
      if (Array.isArray(list)) list.forEach((sub: unknown, i) => isNode(sub) && this.completeness(sub, s, sPath, `${vPath}.${c}[${i}]`));
    }
  }
}

/** Unknown fields of a default value, which is not a resource: apiVersion/kind get no pass. */
function findUnknownFieldsBelow(value: unknown, schema: JSONSchemaProps): string[] {
  return findUnknownFields({ v: value }, { type: 'object', properties: { v: schema } }).map((p) => p.replace(/^v\.?/, ''));
}

/**
 * The ways `schema` (a CRD version's openAPIV3Schema) breaks the structural
 * schema rules, as StatusCauses with full field paths below `path`.
 */
export function structuralCauses(schema: unknown, path = 'openAPIV3Schema'): StatusCause[] {
  const checker = new Checker();
  if (isNode(schema)) checker.node(schema, 'root', path);
  else checker.causes.push(fieldError('FieldValueRequired', path, '', 'must not be empty'));
  return checker.causes;
}

/** The same, as the "field: message" lines kube-apiserver joins into a 422 message. Empty means structural. */
export function checkStructural(schema: unknown, path = 'openAPIV3Schema'): string[] {
  return structuralCauses(schema, path).map(causeText);
}
