// Key ranges and value encoding: prefix bounds in SQLite's key order, resourceVersion stamping, JSON.

/**
 * The smallest string greater than every string that starts with `prefix`, in SQLite's BINARY order
 * (UTF-8 bytes, which is Unicode code point order), or null when there is none (empty prefix).
 * `key >= prefix AND key < prefixEnd(prefix)` is then exactly "key starts with prefix" and uses the index.
 */
export function prefixEnd(prefix: string): string | null {
  const points = Array.from(prefix, (ch) => ch.codePointAt(0) ?? 0);
  while (points.length > 0) {
    let last = (points.pop() ?? 0) + 1;
    if (last === 0xd800) last = 0xe000; // surrogates are not characters; skip them
    if (last <= 0x10ffff) return String.fromCodePoint(...points, last);
  }
  return null;
}

type Metadata = Record<string, unknown>;

function metadataOf(object: unknown): Metadata | undefined {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return undefined;
  const metadata = (object as { metadata?: unknown }).metadata;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return undefined;
  return metadata as Metadata;
}

/**
 * Serializes `object` with `metadata.resourceVersion` set to the revision (when it has a metadata
 * object), without touching the caller's object: the top level and metadata are copied, the rest shared.
 */
export function encodeAt(object: unknown, revision: number): string {
  const metadata = metadataOf(object);
  const stamped = metadata
    ? { ...(object as Record<string, unknown>), metadata: { ...metadata, resourceVersion: String(revision) } }
    : object;
  const json = JSON.stringify(stamped);
  // JSON.stringify(undefined) and of a function give undefined: there would be nothing to store.
  if (typeof json !== 'string') throw new TypeError('the object cannot be stored: it does not serialize to JSON');
  return json;
}

export function decode<T>(json: string): T {
  return JSON.parse(json) as T;
}
