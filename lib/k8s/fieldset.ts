// Sets of field paths and their FieldsV1 encoding in managedFields
// ({"f:spec":{"f:replicas":{}}}), as structured-merge-diff writes them.

import { isJsonObject, stableStringify, type JsonObject, type JsonValue } from './patch';

/**
 * One step of a field path: a named field (f:), an element of an
 * associative list by its key fields (k:), an element of a set by value
 * (v:), or a list position (i:).
 */
export type PathElement = { field: string } | { key: JsonObject } | { value: JsonValue } | { index: number };
export type FieldPath = readonly PathElement[];

/** A set of field paths. Members are canonical path keys (see pathKey); use the helpers below. */
export type FieldSet = Set<string>;

/** The managedFields fieldsV1 tree: every node an object, leaves {}. */
export interface FieldsV1 {
  [key: string]: FieldsV1;
}

/** managedFields that cannot be read. */
export class FieldsV1Error extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldsV1Error';
  }
}

/** "f:name", "k:{"name":"x"}", "v:"x"", "i:0": FieldsV1's spelling of one step (key fields sorted). */
export function encodePathElement(e: PathElement): string {
  if ('field' in e) return `f:${e.field}`;
  if ('key' in e) return `k:${stableStringify(e.key)}`;
  if ('value' in e) return `v:${stableStringify(e.value)}`;
  return `i:${e.index}`;
}

export function decodePathElement(s: string): PathElement {
  const body = s.slice(2);
  try {
    switch (s.slice(0, 2)) {
      case 'f:':
        return { field: body };
      case 'k:': {
        const key: unknown = JSON.parse(body);
        if (isJsonObject(key as JsonValue)) return { key: key as JsonObject };
        break;
      }
      case 'v:':
        return { value: JSON.parse(body) as JsonValue };
      case 'i:':
        if (/^(0|[1-9][0-9]*)$/.test(body)) return { index: Number(body) };
        break;
    }
  } catch {
    // fall through to the error below
  }
  throw new FieldsV1Error(`invalid FieldsV1 path element ${JSON.stringify(s)}`);
}

/** The canonical string form of a path, used as the member of a FieldSet. */
export function pathKey(path: FieldPath): string {
  return JSON.stringify(path.map(encodePathElement));
}

export function pathFromKey(key: string): PathElement[] {
  return (JSON.parse(key) as string[]).map(decodePathElement);
}

/** True when `key` lies strictly below `ancestor`. */
export function isBelow(key: string, ancestor: string): boolean {
  if (ancestor === '[]') return key !== '[]';
  return key.startsWith(`${ancestor.slice(0, -1)},`);
}

export function fieldSetOfPaths(paths: Iterable<FieldPath>): FieldSet {
  return new Set([...paths].map(pathKey));
}

export function unionFieldSets(...sets: Iterable<string>[]): FieldSet {
  const out: FieldSet = new Set();
  for (const s of sets) for (const k of s) out.add(k);
  return out;
}

export function subtractFieldSet(from: Iterable<string>, remove: ReadonlySet<string>): FieldSet {
  return new Set([...from].filter((k) => !remove.has(k)));
}

export function intersectFieldSets(a: Iterable<string>, b: ReadonlySet<string>): FieldSet {
  return new Set([...a].filter((k) => b.has(k)));
}

/** Go's %v/%q rendering of a key or set value inside a printed path. */
function showValue(v: JsonValue | undefined): string {
  return typeof v === 'string' ? JSON.stringify(v) : stableStringify(v ?? null);
}

/** The path as Kubernetes prints it in conflicts: .spec.containers[name="web"].image, .metadata.finalizers[="a"]. */
export function formatFieldPath(path: FieldPath): string {
  return path
    .map((e) => {
      if ('field' in e) return `.${e.field}`;
      if ('key' in e) {
        const names = Object.keys(e.key).sort();
        return `[${names.map((n) => `${n}=${showValue(e.key[n])}`).join(',')}]`;
      }
      if ('value' in e) return `[=${showValue(e.value)}]`;
      return `[${e.index}]`;
    })
    .join('');
}

const KIND_ORDER: Record<string, number> = { 'f:': 0, 'k:': 1, 'v:': 2, 'i:': 3 };

/** structured-merge-diff's order: fields, then keys, values, indices; each by its spelling. */
function compareElements(a: string, b: string): number {
  const ka = KIND_ORDER[a.slice(0, 2)] ?? 4;
  const kb = KIND_ORDER[b.slice(0, 2)] ?? 4;
  if (ka !== kb) return ka - kb;
  return a < b ? -1 : a > b ? 1 : 0;
}

const byElement = (a: [string, unknown], b: [string, unknown]): number => compareElements(a[0], b[0]);

interface Node {
  member: boolean;
  children: Map<string, Node>;
}

/** Encodes a set as FieldsV1; "." marks a path that is itself a member and also has members below. */
export function fieldsV1FromSet(set: Iterable<string>): FieldsV1 {
  const root: Node = { member: false, children: new Map() };
  for (const key of set) {
    let node = root;
    for (const element of JSON.parse(key) as string[]) {
      let child = node.children.get(element);
      if (!child) {
        child = { member: false, children: new Map() };
        node.children.set(element, child);
      }
      node = child;
    }
    if (node !== root) node.member = true;
  }
  const emit = (node: Node): FieldsV1 | undefined =>
    fieldsV1Node(node.member, [...node.children].map(([element, child]) => [element, emit(child) as FieldsV1]));
  return emit(root) ?? {};
}

/**
 * One FieldsV1 node: "." first when the path is itself a member and has members below, then the
 * children in structured-merge-diff's order. Undefined for a path that is neither a member nor has
 * any below it (it does not appear at all). Sorts `children` in place.
 */
export function fieldsV1Node(member: boolean, children: [element: string, node: FieldsV1][]): FieldsV1 | undefined {
  if (!member && children.length === 0) return undefined;
  const out: FieldsV1 = {};
  if (member && children.length > 0) out['.'] = {};
  if (children.length > 1) children.sort(byElement);
  // Elements always start with "f:", "k:", "v:" or "i:", so plain assignment is safe here.
  for (const [element, node] of children) out[element] = node;
  return out;
}

/** Decodes FieldsV1 JSON (already parsed) into a set; throws FieldsV1Error when malformed. */
export function fieldSetFromFieldsV1(fields: unknown): FieldSet {
  const out: FieldSet = new Set();
  const walk = (node: unknown, path: PathElement[]): void => {
    if (!isJsonObject(node as JsonValue)) throw new FieldsV1Error(`FieldsV1 at ${formatFieldPath(path) || '.'} is not an object`);
    const entries = Object.entries(node as JsonObject);
    if (entries.length === 0 && path.length > 0) out.add(pathKey(path));
    for (const [name, child] of entries) {
      if (name === '.') {
        if (path.length > 0) out.add(pathKey(path));
        continue;
      }
      walk(child, [...path, decodePathElement(name)]);
    }
  };
  walk(fields ?? {}, []);
  return out;
}
