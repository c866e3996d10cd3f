// Kubernetes strategic merge patch (application/strategic-merge-patch+json):
// lists merged by key, directives ($patch, $retainKeys,
// $deleteFromPrimitiveList/, $setElementOrder/) and the element order rules
// of apimachinery's strategicpatch, applied to plain JSON without mutation.

import {
  deepClone,
  deepEqual,
  getOwn,
  isJsonObject,
  jsonKind,
  PatchError,
  setOwn,
  type JsonKind,
  type JsonObject,
  type JsonValue,
} from './json';
import { fieldMeta, hasStrategy, type PatchMeta } from './meta';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

const at = (path: string): string => path || '.';
const show = (v: JsonValue | undefined): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/**
 * Applies a strategic merge patch. Fields without metadata merge when they
 * are objects and are replaced when they are lists, as on the API server.
 */
export function applyStrategicMergePatch(target: JsonValue | undefined, patch: JsonValue, meta: PatchMeta = {}): JsonObject {
  if (!isJsonObject(patch)) throw new PatchError(`a strategic merge patch must be a JSON object, not ${jsonKind(patch)}`);
  const original = isJsonObject(target) ? deepClone(target) : {};
  return mergeMap(original, deepClone(patch), meta, '');
}

/**
 * What a patch value becomes where nothing merges with it: nulls dropped,
 * maps carrying $patch dropped, directive keys removed. The API server
 * decodes into typed objects, where none of these can survive either.
 */
function sanitize(v: JsonValue): JsonValue | undefined {
  if (Array.isArray(v)) return v.map(sanitize).filter((x): x is JsonValue => x !== undefined);
  if (!isJsonObject(v)) return v;
  if (Object.hasOwn(v, DIRECTIVE)) return undefined;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null || k === RETAIN_KEYS || k.startsWith(SET_ELEMENT_ORDER) || k.startsWith(DELETE_FROM_PRIMITIVE_LIST)) continue;
    const clean = sanitize(x);
    if (clean !== undefined) setOwn(out, k, clean);
  }
  return out;
}

function setOrDelete(obj: JsonObject, key: string, value: JsonValue | undefined): void {
  if (value === undefined) delete obj[key];
  else setOwn(obj, key, value);
}

/** "$deleteFromPrimitiveList/finalizers" → "finalizers". */
function directiveField(key: string, prefix: string, path: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    const what = prefix === SET_ELEMENT_ORDER ? 'setElementOrder list' : 'primitive list';
    throw new PatchError(`invalid patch format of ${what}: ${JSON.stringify(key)} at ${at(path)}`, { path });
  }
  return key.slice(slash + 1);
}

function mergeMap(original: JsonObject, patch: JsonObject, meta: PatchMeta | undefined, path: string): JsonObject {
  if (Object.hasOwn(patch, DIRECTIVE)) return mapDirective(patch, path);
  applyRetainKeys(original, patch, path);
  applySetElementOrder(original, patch, meta, path);

  for (const [rawKey, patchValue] of Object.entries(patch)) {
    const isDeleteList = rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST);
    const key = isDeleteList ? directiveField(rawKey, DELETE_FROM_PRIMITIVE_LIST, path) : rawKey;
    const childPath = `${path}.${key}`;
    if (patchValue === null) {
      delete original[key];
      continue;
    }
    const current = getOwn(original, key);
    if (current === undefined || jsonKind(current) !== jsonKind(patchValue)) {
      // Nothing to merge with: take the patch value (a deletion list has nothing to delete).
      if (!isDeleteList) setOrDelete(original, key, sanitize(patchValue));
      continue;
    }
    const childMeta = fieldMeta(meta, key);
    if (isJsonObject(current) && isJsonObject(patchValue)) {
      const merged = hasStrategy(childMeta, 'replace') ? sanitize(patchValue) : mergeMap(current, patchValue, childMeta, childPath);
      setOrDelete(original, key, merged);
    } else if (Array.isArray(current) && Array.isArray(patchValue)) {
      setOwn(original, key, mergeListField(current, patchValue, childMeta, isDeleteList, childPath));
    } else {
      setOrDelete(original, key, sanitize(patchValue));
    }
  }
  return original;
}

/** "$patch: replace" takes the map as sent; "$patch: delete" empties it. */
function mapDirective(patch: JsonObject, path: string): JsonObject {
  const directive = patch[DIRECTIVE];
  if (directive === 'delete') return {};
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return sanitize(patch) as JsonObject;
  }
  throw new PatchError(`unknown patch type: ${show(directive)} in map at ${at(path)}`, { path });
}

/** "$retainKeys": drop every key of the original not listed; the patch may only set listed keys. */
function applyRetainKeys(original: JsonObject, patch: JsonObject, path: string): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw new PatchError(`invalid patch format of retainKeys at ${at(path)}: not a list`, { path });
  const retained = new Set(list.filter((k): k is string => typeof k === 'string'));
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!retained.has(k)) {
      throw new PatchError(`invalid patch format of retainKeys at ${at(path)}: ${JSON.stringify(k)} is set but not in $retainKeys`, { path });
    }
  }
  for (const k of Object.keys(original)) if (!retained.has(k)) delete original[k];
}

function mergeListField(
  original: JsonValue[],
  patch: JsonValue[],
  meta: PatchMeta | undefined,
  isDeleteList: boolean,
  path: string,
): JsonValue[] {
  // Deletion lists work the same whatever the field's strategy.
  if (hasStrategy(meta, 'merge') || isDeleteList) return mergeList(original, patch, meta, isDeleteList, path);
  return sanitize(patch) as JsonValue[];
}

/** The one element kind of the given lists; merge lists may not mix kinds or nest lists. */
function elementKind(path: string, ...lists: JsonValue[][]): JsonKind | undefined {
  let kind: JsonKind | undefined;
  for (const list of lists) {
    for (const item of list) {
      const k = jsonKind(item);
      if (k === 'array') throw new PatchError(`lists of lists are not supported at ${at(path)}`, { path });
      if (kind !== undefined && k !== kind) throw new PatchError(`list element types are not identical at ${at(path)}`, { path });
      kind = k;
    }
  }
  return kind;
}

const noMergeKey = (item: JsonValue, mergeKey: string, path: string): PatchError =>
  new PatchError(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey} at ${at(path)}`, { path });

/** The identity of an element: its merge key's value in lists of maps, itself otherwise. */
function identity(item: JsonValue, mergeKey: string | undefined, path: string): JsonValue {
  if (!mergeKey) return item;
  const value = isJsonObject(item) ? getOwn(item, mergeKey) : undefined;
  if (value === undefined) throw noMergeKey(item, mergeKey, path);
  return value;
}

function indexIn(list: readonly JsonValue[], id: JsonValue, mergeKey: string | undefined): number {
  return list.findIndex((x) => {
    const other = mergeKey ? (isJsonObject(x) ? getOwn(x, mergeKey) : undefined) : x;
    return other !== undefined && deepEqual(other, id);
  });
}

function mergeList(
  original: JsonValue[],
  patch: JsonValue[],
  meta: PatchMeta | undefined,
  isDeleteList: boolean,
  path: string,
): JsonValue[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(path, original, patch);
  let merged: JsonValue[];
  let server = original;
  let patchItems = patch;
  let mergeKey: string | undefined;

  if (kind !== 'object') {
    if (isDeleteList) return original.filter((v) => !patch.some((p) => deepEqual(p, v)));
    merged = [];
    for (const v of [...original, ...patch]) if (!merged.some((m) => deepEqual(m, v))) merged.push(v);
  } else {
    mergeKey = meta?.mergeKey;
    if (!mergeKey) throw new PatchError(`cannot merge lists without merge key for ${at(path)}`, { path });
    [server, patchItems] = applyListDirectives(original, patch, mergeKey, path);
    merged = [...server];
    for (const item of patchItems) {
      const i = indexIn(merged, identity(item, mergeKey, path), mergeKey);
      const existing = merged[i];
      if (i >= 0 && isJsonObject(existing)) merged[i] = mergeMap(existing, item as JsonObject, meta?.items, `${path}[${i}]`);
      else merged.push(sanitize(item) ?? {});
    }
  }
  const [fromPatch, serverOnly] = partition(merged, patchItems, mergeKey, path);
  return normalizeElementOrder(fromPatch, serverOnly, patchItems, server, mergeKey, path);
}

/**
 * Elements carrying "$patch": "delete" remove every element with their key;
 * "$patch": "replace" makes the other elements of the patch the whole list.
 */
function applyListDirectives(original: JsonValue[], patch: JsonValue[], mergeKey: string, path: string): [JsonValue[], JsonValue[]] {
  let server = original;
  const plain: JsonValue[] = [];
  let replace = false;
  for (const item of patch) {
    const obj = item as JsonObject;
    if (!Object.hasOwn(obj, DIRECTIVE)) {
      plain.push(item);
      continue;
    }
    const directive = obj[DIRECTIVE];
    if (directive === 'delete') {
      const id = identity(obj, mergeKey, path);
      server = server.filter((x) => !(isJsonObject(x) && deepEqual(getOwn(x, mergeKey), id)));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw new PatchError(`merging lists cannot yet be specified in the patch at ${at(path)}`, { path });
    } else {
      throw new PatchError(`unknown patch type: ${show(directive)} in list at ${at(path)}`, { path });
    }
  }
  if (replace) return [plain.map((x) => sanitize(x) ?? {}), []];
  return [server, plain];
}

/** Splits `merged` into elements present in `by` and the rest, keeping order. */
function partition(merged: JsonValue[], by: readonly JsonValue[], mergeKey: string | undefined, path: string): [JsonValue[], JsonValue[]] {
  const inBy: JsonValue[] = [];
  const rest: JsonValue[] = [];
  for (const item of merged) (indexIn(by, identity(item, mergeKey, path), mergeKey) >= 0 ? inBy : rest).push(item);
  return [inBy, rest];
}

/**
 * Patch elements follow the patch order, server-only ones the server order,
 * and the two are interleaved by where the server had them. So an element
 * new to the list lands before the server elements that follow it — new
 * elements of a patch without $setElementOrder come first, as upstream.
 */
function normalizeElementOrder(
  patchItems: JsonValue[],
  serverOnly: JsonValue[],
  patchOrder: readonly JsonValue[],
  serverOrder: readonly JsonValue[],
  mergeKey: string | undefined,
  path: string,
): JsonValue[] {
  const sortBy = (items: JsonValue[], order: readonly JsonValue[]): JsonValue[] => {
    const rank = (item: JsonValue): number => {
      const i = indexIn(order, identity(item, mergeKey, path), mergeKey);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    return items.map((item) => ({ item, r: rank(item) })).sort((a, b) => a.r - b.r).map((x) => x.item);
  };
  const left = sortBy(serverOnly, serverOrder);
  const right = sortBy(patchItems, patchOrder);
  const serverIndex = (item: JsonValue): number => indexIn(serverOrder, identity(item, mergeKey, path), mergeKey);
  const out: JsonValue[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const l = left[i];
    const r = right[j];
    if (r === undefined) {
      out.push(l as JsonValue);
      i++;
    } else if (l === undefined) {
      out.push(r);
      j++;
    } else {
      // A server-only element goes first only when the server had it before the patch element.
      const li = serverIndex(l);
      const ri = serverIndex(r);
      if (li >= 0 && ri >= 0 && li < ri) {
        out.push(l);
        i++;
      } else {
        out.push(r);
        j++;
      }
    }
  }
  return out;
}

/**
 * "$setElementOrder/<field>": the full order of a merge list after the
 * patch. It never removes elements (that is "$patch": "delete" or the
 * deletion list's job); server-only elements are interleaved as above.
 */
function applySetElementOrder(original: JsonObject, patch: JsonObject, meta: PatchMeta | undefined, path: string): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    const field = directiveField(key, SET_ELEMENT_ORDER, path);
    const childPath = `${path}.${field}`;
    if (!Array.isArray(order)) throw new PatchError(`invalid patch format of setElementOrder list at ${at(childPath)}: not a list`, { path: childPath });
    const originalList = getOwn(original, field);
    const patchList = getOwn(patch, field);
    for (const list of [originalList, patchList]) {
      if (list !== undefined && !Array.isArray(list)) {
        throw new PatchError(`$setElementOrder at ${at(childPath)} needs a list, but found ${jsonKind(list)}`, { path: childPath });
      }
    }
    const fromServer = (originalList ?? []) as JsonValue[];
    const fromPatch = (patchList ?? []) as JsonValue[];
    const childMeta = fieldMeta(meta, field);
    const mergeKey = elementKind(childPath, fromServer, fromPatch, order) === 'object' ? childMeta?.mergeKey : undefined;
    checkOrderMatchesPatch(fromPatch, order, mergeKey, childPath);

    let merged: JsonValue[];
    if (originalList !== undefined && patchList !== undefined) merged = mergeListField(fromServer, fromPatch, childMeta, false, childPath);
    else if (patchList !== undefined) merged = sanitize(fromPatch) as JsonValue[];
    else if (originalList !== undefined) merged = fromServer;
    else continue;

    const [listed, serverOnly] = partition(merged, order, mergeKey, childPath);
    setOwn(original, field, normalizeElementOrder(listed, serverOnly, order, fromServer, mergeKey, childPath));
    delete patch[field];
  }
}

/** The patch list must follow the relative order of $setElementOrder (deletions aside). */
function checkOrderMatchesPatch(patchList: readonly JsonValue[], order: readonly JsonValue[], mergeKey: string | undefined, path: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = patchList.filter((x) => !(isJsonObject(x) && Object.hasOwn(x, DIRECTIVE)));
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p] as JsonValue;
    if (deepEqual(identity(item, mergeKey, path), identity(order[o] as JsonValue, mergeKey, path))) p++;
    o++;
  }
  if (p < items.length) {
    throw new PatchError(`the order of the patch list at ${at(path)} doesn't match its $setElementOrder list`, { path });
  }
}
