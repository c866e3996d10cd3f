// JSON merge patch (RFC 7386, application/merge-patch+json): applying one,
// and computing the smallest one between two versions of an object.

import { deepClone, deepEqual, getOwn, isJsonObject, setOwn, type JsonObject, type JsonValue } from './json';

/**
 * Applies a merge patch: objects merge key by key, null deletes a key,
 * anything else (lists included) replaces the target value.
 */
export function applyMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return deepClone(patch);
  const out: JsonObject = isJsonObject(target) ? deepClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else setOwn(out, key, applyMergePatch(getOwn(out, key), value));
  }
  return out;
}

/**
 * The merge patch that turns `original` into `modified`: changed keys only,
 * null for removed keys, lists sent whole. {} means "no change". A merge
 * patch cannot set a value to null (null means delete), so a null in
 * `modified` reads as a removal.
 */
export function createMergePatch(original: JsonValue | undefined, modified: JsonValue): JsonValue {
  if (!isJsonObject(original) || !isJsonObject(modified)) return deepClone(modified);
  const patch: JsonObject = {};
  for (const key of Object.keys(original)) {
    if (!Object.hasOwn(modified, key)) setOwn(patch, key, null);
  }
  for (const [key, value] of Object.entries(modified)) {
    const before = getOwn(original, key);
    if (before !== undefined && deepEqual(before, value)) continue;
    if (value === null) {
      if (before !== undefined) setOwn(patch, key, null);
    } else if (isJsonObject(before) && isJsonObject(value)) {
      setOwn(patch, key, createMergePatch(before, value));
    } else {
      setOwn(patch, key, deepClone(value));
    }
  }
  return patch;
}
