// The value side of server-side apply, over plain JSON and PatchMeta (what
// structured-merge-diff's typed package does): the field set of a value,
// merging an apply configuration, comparing versions, pruning fields.

import {
  deepClone,
  deepEqual,
  fieldMeta,
  getOwn,
  hasStrategy,
  isJsonObject,
  setOwn,
  type JsonObject,
  type JsonValue,
  type PatchMeta,
} from './patch';
import {
  encodePathElement,
  fieldsV1Node,
  formatFieldPath,
  isBelow,
  pathFromKey,
  pathKey,
  type FieldPath,
  type FieldSet,
  type FieldsV1,
  type PathElement,
} from './fieldset';

/** An apply request the field manager refuses (400 BadRequest on the API server). */
export class ApplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApplyError';
  }
}

// ---- Fields the field manager never tracks --------------------------------

// Set by the server, not by anyone's intent (apimachinery's stripMeta list).
const STRIPPED_PATHS = [
  ['apiVersion'], ['kind'], ['metadata'], ['metadata', 'name'], ['metadata', 'namespace'],
  ['metadata', 'creationTimestamp'], ['metadata', 'selfLink'], ['metadata', 'uid'], ['metadata', 'clusterName'],
  ['metadata', 'generation'], ['metadata', 'managedFields'], ['metadata', 'resourceVersion'],
];
const STRIPPED = new Set(STRIPPED_PATHS.map((p) => pathKey(p.map((field) => ({ field })))));
/** The same, as FieldsV1 elements: those at the top, and those in metadata. */
const STRIPPED_TOP = new Set(STRIPPED_PATHS.filter((p) => p.length === 1).map(([f]) => `f:${f}`));
const STRIPPED_METADATA = new Set(STRIPPED_PATHS.filter((p) => p.length === 2).map(([, f]) => `f:${f}`));

/** The part a request cannot change: status through the main resource, spec through /status. */
const resetKey = (subresource?: string): string => pathKey([{ field: subresource === 'status' ? 'spec' : 'status' }]);

export function ignoredFilter(subresource?: string): (key: string) => boolean {
  const reset = resetKey(subresource);
  return (key) => STRIPPED.has(key) || key === reset || isBelow(key, reset);
}

// ---- Walking values with their schema -------------------------------------

type ListKind = 'atomic' | 'map' | 'set';
const isAtomicMap = (meta: PatchMeta | undefined): boolean => meta?.mapType === 'atomic' || hasStrategy(meta, 'replace');

function declaredListKind(meta: PatchMeta | undefined): ListKind {
  if (!hasStrategy(meta, 'merge')) return 'atomic';
  return meta?.mergeKey || meta?.listMapKeys?.length ? 'map' : 'set';
}

/**
 * How a list is tracked, with the path element of each element. A list
 * that cannot be keyed is an error in an apply configuration (`strict`) and
 * is treated as atomic when it comes from a stored object.
 */
function listShape(list: readonly JsonValue[], meta: PatchMeta | undefined, path: FieldPath, strict: boolean): { kind: ListKind; elements: PathElement[] } {
  const kind = declaredListKind(meta);
  if (kind === 'atomic') return { kind, elements: [] };
  const keys = meta?.listMapKeys ?? (meta?.mergeKey ? [meta.mergeKey] : []);
  const elements: PathElement[] = [];
  const seen = new Set<string>();
  for (const [i, item] of list.entries()) {
    let problem: string | undefined;
    let element: PathElement | undefined;
    if (kind === 'map') {
      const missing = isJsonObject(item) ? keys.find((k) => getOwn(item, k) === undefined) : keys[0];
      if (missing !== undefined) {
        problem = `element ${i}: associative list with keys has an element that omits key field ${JSON.stringify(missing)}`;
      } else {
        const key: JsonObject = {};
        for (const k of keys) setOwn(key, k, (item as JsonObject)[k] as JsonValue);
        element = { key };
      }
    } else if (isJsonObject(item) || Array.isArray(item)) {
      problem = `element ${i}: elements of a set must be scalars`;
    } else {
      element = { value: item };
    }
    if (element) {
      const encoded = encodePathElement(element);
      if (seen.has(encoded)) problem = `duplicate entries for key ${formatFieldPath([element])}`;
      seen.add(encoded);
    }
    if (problem || !element) {
      if (strict) throw new ApplyError(`${formatFieldPath(path) || '.'}: ${problem}`);
      return { kind: 'atomic', elements: [] };
    }
    elements.push(element);
  }
  return { kind, elements };
}

/** The set of a value's fields, as ToFieldSet builds it: leaves, list elements and empty maps. */
export function collect(v: JsonValue, meta: PatchMeta | undefined, path: PathElement[], out: FieldSet, strict: boolean): void {
  if (isJsonObject(v)) {
    if (path.length > 0 && (isAtomicMap(meta) || Object.keys(v).length === 0)) {
      out.add(pathKey(path));
      return;
    }
    for (const [k, x] of Object.entries(v)) collect(x, fieldMeta(meta, k), [...path, { field: k }], out, strict);
  } else if (Array.isArray(v)) {
    const { kind, elements } = listShape(v, meta, path, strict);
    if (kind === 'atomic') {
      out.add(pathKey(path));
      return;
    }
    v.forEach((item, i) => {
      const child = [...path, elements[i] as PathElement];
      out.add(pathKey(child));
      if (kind === 'map') collect(item, meta?.items, child, out, strict);
    });
  } else if (path.length > 0) {
    out.add(pathKey(path));
  }
}

// ---- Merging an apply configuration into the live object ------------------

export function mergeValues(lhs: JsonValue | undefined, rhs: JsonValue, meta: PatchMeta | undefined, path: PathElement[]): JsonValue {
  if (lhs === undefined) return deepClone(rhs);
  if (isJsonObject(lhs) && isJsonObject(rhs) && !isAtomicMap(meta)) {
    const out = deepClone(lhs);
    for (const [k, v] of Object.entries(rhs)) setOwn(out, k, mergeValues(getOwn(lhs, k), v, fieldMeta(meta, k), [...path, { field: k }]));
    return out;
  }
  if (Array.isArray(lhs) && Array.isArray(rhs) && (lhs.length > 0 || rhs.length > 0)) {
    const r = listShape(rhs, meta, path, true);
    const l = listShape(lhs, meta, path, false);
    if (r.kind !== 'atomic' && l.kind !== 'atomic') return mergeLists(lhs, l.elements, rhs, r.elements, r.kind, meta, path);
  }
  return deepClone(rhs);
}

/**
 * Merges keyed lists the way structured-merge-diff orders them: the applied
 * order wins for applied elements, live-only elements stay where they were
 * relative to them.
 */
function mergeLists(lhs: JsonValue[], lElements: PathElement[], rhs: JsonValue[], rElements: PathElement[], kind: ListKind, meta: PatchMeta | undefined, path: PathElement[]): JsonValue[] {
  const lKeys = lElements.map(encodePathElement);
  const rKeys = rElements.map(encodePathElement);
  const lByKey = new Map(lKeys.map((k, i) => [k, lhs[i] as JsonValue]));
  const rByKey = new Map(rKeys.map((k, i) => [k, rhs[i] as JsonValue]));
  const shared = rKeys.filter((k) => lByKey.has(k));
  let nextShared = 0;
  const merged = new Set<string>();
  const out: JsonValue[] = [];
  const take = (key: string, i: number): void => {
    const r = rByKey.get(key) as JsonValue;
    out.push(kind === 'map' ? mergeValues(lByKey.get(key), r, meta?.items, [...path, rElements[i] as PathElement]) : deepClone(r));
    merged.add(key);
  };
  let l = 0;
  let r = 0;
  while (l < lKeys.length || r < rKeys.length) {
    const lk = lKeys[l];
    const rk = rKeys[r];
    if (lk !== undefined && rk !== undefined) {
      if (lk === rk) {
        take(rk, r);
        l++;
        r++;
        nextShared++;
        continue;
      }
      // A shared element met early on the live side waits for its turn in the applied order.
      if (rByKey.has(lk) && shared[nextShared] !== undefined && shared[nextShared] !== lk) {
        l++;
        continue;
      }
    }
    if (lk !== undefined) {
      if (!rByKey.has(lk)) {
        out.push(deepClone(lhs[l] as JsonValue));
        l++;
        continue;
      }
      if (merged.has(lk)) l++;
    }
    if (rk !== undefined) {
      take(rk, r);
      if (shared[nextShared] === rk) nextShared++;
      r++;
    }
  }
  return out;
}

/** Typed storage has no nulls: a field applied as null ends up absent (but owned). */
export function dropNulls(v: JsonValue): void {
  if (Array.isArray(v)) v.forEach(dropNulls);
  else if (isJsonObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else dropNulls(x);
    }
  }
}

// ---- Comparing two versions of an object ----------------------------------

export interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

type NodeKind = 'absent' | 'map' | 'list' | 'scalar';
const nodeKind = (v: JsonValue | undefined): NodeKind =>
  v === undefined ? 'absent' : isJsonObject(v) ? 'map' : Array.isArray(v) ? 'list' : 'scalar';
const isEmpty = (v: JsonValue | undefined): boolean =>
  v === undefined || (Array.isArray(v) ? v.length === 0 : isJsonObject(v) && Object.keys(v).length === 0);

/** Which fields were added, removed, or changed in value (leaves only), from lhs to rhs. */
function compareNode(lhs: JsonValue | undefined, rhs: JsonValue | undefined, meta: PatchMeta | undefined, path: PathElement[], out: Comparison): void {
  const lk = nodeKind(lhs);
  const rk = nodeKind(rhs);
  const key = pathKey(path);
  const mark = (set: FieldSet): void => {
    if (path.length > 0) set.add(key);
  };
  if (lk !== 'absent' && rk !== 'absent' && lk !== rk) {
    // A change of type: everything below the old value went, everything below the new one came.
    compareNode(lhs, undefined, meta, path, out);
    compareNode(undefined, rhs, meta, path, out);
    mark(out.modified);
    return;
  }
  const kind = lk === 'absent' ? rk : lk;
  let shapes: { l: PathElement[]; r: PathElement[]; kind: ListKind } | undefined;
  let leaf = kind === 'scalar' || (isEmpty(lhs) && isEmpty(rhs));
  if (kind === 'map' && isAtomicMap(meta)) leaf = true;
  if (kind === 'list' && !leaf) {
    const l = listShape((lhs ?? []) as JsonValue[], meta, path, false);
    const r = listShape((rhs ?? []) as JsonValue[], meta, path, false);
    if (l.kind === 'atomic' || r.kind === 'atomic') leaf = true;
    else shapes = { l: l.elements, r: r.elements, kind: l.kind };
  }
  if (leaf) {
    if (lhs === undefined) mark(out.added);
    else if (rhs === undefined) mark(out.removed);
    else if (!deepEqual(lhs, rhs)) mark(out.modified);
    return;
  }
  if (kind === 'map') {
    const l = (lhs ?? {}) as JsonObject;
    const r = (rhs ?? {}) as JsonObject;
    for (const k of new Set([...Object.keys(l), ...Object.keys(r)])) {
      compareNode(getOwn(l, k), getOwn(r, k), fieldMeta(meta, k), [...path, { field: k }], out);
    }
  } else if (shapes) {
    const items = new Map<string, { element: PathElement; l?: JsonValue; r?: JsonValue }>();
    shapes.l.forEach((element, i) => items.set(encodePathElement(element), { element, l: (lhs as JsonValue[])[i] }));
    shapes.r.forEach((element, i) => {
      const k = encodePathElement(element);
      items.set(k, { element, l: items.get(k)?.l, r: (rhs as JsonValue[])[i] });
    });
    const itemMeta = shapes.kind === 'map' ? meta?.items : undefined;
    for (const { element, l, r } of items.values()) compareNode(l, r, itemMeta, [...path, element], out);
  }
  if (lhs === undefined) mark(out.added);
  else if (rhs === undefined) mark(out.removed);
}

export function compareObjects(lhs: JsonValue, rhs: JsonValue, meta: PatchMeta, subresource?: string): Comparison {
  const out: Comparison = { added: new Set(), removed: new Set(), modified: new Set() };
  compareNode(lhs, rhs, meta, [], out);
  const ignored = ignoredFilter(subresource);
  const keep = (s: FieldSet): FieldSet => new Set([...s].filter((k) => !ignored(k)));
  return { added: keep(out.added), removed: keep(out.removed), modified: keep(out.modified) };
}

// ---- The fields of a new object, in one walk -------------------------------

/**
 * What compareNode finds added below a value that was absent before (every field of it), as a
 * FieldsV1 node; `member` is false for a path the field manager ignores (its children still count).
 * `counted` says which children count, when some may not (metadata's); no closures are made per
 * node, as this runs for every field of every create.
 */
function addedNode(v: JsonValue, meta: PatchMeta | undefined, member: boolean, counted?: (element: string) => boolean): FieldsV1 | undefined {
  const children: [string, FieldsV1][] = [];
  if (isJsonObject(v)) {
    if (!isAtomicMap(meta)) {
      for (const k of Object.keys(v)) {
        const element = `f:${k}`;
        const node = addedNode(v[k] as JsonValue, fieldMeta(meta, k), counted ? counted(element) : true);
        if (node) children.push([element, node]);
      }
    }
  } else if (Array.isArray(v) && v.length > 0) {
    const { kind, elements } = listShape(v, meta, [], false);
    const itemMeta = kind === 'map' ? meta?.items : undefined;
    if (kind !== 'atomic') {
      for (let i = 0; i < v.length; i++) {
        const element = encodePathElement(elements[i] as PathElement);
        const node = addedNode(v[i] as JsonValue, itemMeta, counted ? counted(element) : true);
        if (node) children.push([element, node]);
      }
    }
  }
  return fieldsV1Node(member, children);
}

/**
 * The FieldsV1 a create gives its creator: what compareObjects(base, obj) finds added or modified,
 * where base has spec and status as empty objects when obj has them as objects (updateManagedFields),
 * built in one walk rather than through a set of path keys. Creates are the hot path of the API
 * server and every field of the object is added, so the general comparison is all overhead here.
 */
export function newObjectFieldsV1(obj: JsonObject, meta: PatchMeta, subresource?: string): FieldsV1 {
  // Nothing deeper than metadata's fields is ever ignored, and the reset part (status, or spec
  // through /status) is left out whole.
  const reset = subresource === 'status' ? 'spec' : 'status';
  const children: [string, FieldsV1][] = [];
  for (const k of Object.keys(obj)) {
    if (k === reset) continue;
    const element = `f:${k}`;
    const v = obj[k] as JsonValue;
    const m = fieldMeta(meta, k);
    let node: FieldsV1 | undefined;
    if ((k === 'spec' || k === 'status') && isJsonObject(v)) {
      // Already in the base as {}: its fields are added, it is not; an atomic one changed as a whole.
      const empty = Object.keys(v).length === 0;
      node = isAtomicMap(m) ? (empty ? undefined : {}) : addedNode(v, m, false);
    } else {
      node = addedNode(v, m, !STRIPPED_TOP.has(element), k === 'metadata' ? countedInMetadata : undefined);
    }
    if (node) children.push([element, node]);
  }
  return fieldsV1Node(false, children) ?? {};
}

const countedInMetadata = (element: string): boolean => !STRIPPED_METADATA.has(element);

// ---- Pruning what an applier stopped applying -----------------------------

/** Adds the named-field ancestors of every path: owning spec.x.y means owning spec and spec.x exist. */
function withNamedAncestors(set: Iterable<string>): FieldSet {
  const out = new Set(set);
  for (const key of set) {
    const elements = JSON.parse(key) as string[];
    for (let i = 1; i < elements.length; i++) {
      if (elements[i - 1]?.startsWith('f:')) out.add(JSON.stringify(elements.slice(0, i)));
    }
  }
  return out;
}

function matchesElement(item: JsonValue, element: PathElement, index: number): boolean {
  if ('key' in element) return isJsonObject(item) && Object.entries(element.key).every(([k, v]) => deepEqual(getOwn(item, k), v));
  if ('value' in element) return deepEqual(item, element.value);
  if ('index' in element) return index === element.index;
  return false;
}

function removePath(root: JsonObject, path: PathElement[]): void {
  let parent: JsonValue | undefined = root;
  for (const element of path.slice(0, -1)) {
    if ('field' in element) parent = isJsonObject(parent) ? getOwn(parent, element.field) : undefined;
    else parent = Array.isArray(parent) ? parent.find((item, i) => matchesElement(item, element, i)) : undefined;
    if (parent === undefined) return;
  }
  const last = path[path.length - 1];
  if (!last) return;
  if ('field' in last) {
    if (isJsonObject(parent)) delete parent[last.field];
  } else if (Array.isArray(parent)) {
    for (let i = parent.length - 1; i >= 0; i--) if (matchesElement(parent[i] as JsonValue, last, i)) parent.splice(i, 1);
  }
}

/**
 * Removes what the applier applied last time and no longer applies, unless
 * some manager (the applier's new configuration included) still owns it.
 */
export function prune(obj: JsonObject, lastSet: FieldSet, owned: FieldSet, ignored: (key: string) => boolean): void {
  const last = withNamedAncestors(lastSet);
  const stillOwned = withNamedAncestors(owned);
  const doomed = [...last].filter((k) => !stillOwned.has(k) && !ignored(k)).map(pathFromKey);
  // Parents first: once a parent is gone its children need no visit.
  doomed.sort((a, b) => a.length - b.length);
  for (const path of doomed) removePath(obj, path);
}
