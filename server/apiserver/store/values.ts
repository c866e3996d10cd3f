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
 * `object` with `metadata.resourceVersion` set to the revision (when it has a metadata object),
 * without touching the caller's object: the top level and metadata are copied, the rest shared.
 */
export function stampAt(object: unknown, revision: number): unknown {
  const metadata = metadataOf(object);
  return metadata ? { ...(object as Record<string, unknown>), metadata: { ...metadata, resourceVersion: String(revision) } } : object;
}

/** The JSON of a value to store; throws for one that has none. */
export function serialize(value: unknown): string {
  const json = JSON.stringify(value);
  // JSON.stringify(undefined) and of a function give undefined: there would be nothing to store.
  if (typeof json !== 'string') throw new TypeError('the object cannot be stored: it does not serialize to JSON');
  return json;
}

/** Serializes `object` stamped with the revision (stampAt). */
export function encodeAt(object: unknown, revision: number): string {
  return serialize(stampAt(object, revision));
}

/**
 * True when `value` is what JSON.parse(JSON.stringify(value)) gives back, equal in every way: only
 * plain objects, dense arrays, strings, booleans, null and finite numbers other than -0, and no
 * undefined anywhere. Such a value can stand in for a parse of its JSON.
 */
export function isPlainJson(value: unknown, depth = 0): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object' || depth > 512) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i], depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const k in value) if (!isPlainJson((value as Record<string, unknown>)[k], depth + 1)) return false;
  return true;
}

export function decode<T>(json: string): T {
  return JSON.parse(json) as T;
}
