// JSON Patch (RFC 6902, application/json-patch+json) over JSON Pointers
// (RFC 6901). Operations apply in order to a copy; any failure fails the
// whole patch, as on the API server.

import { deepClone, deepEqual, getOwn, isJsonObject, PatchError, setOwn, type JsonObject, type JsonValue } from './json';

export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: JsonValue }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

/** The API server refuses longer patches (maxJSONPatchOperations). */
export const MAX_JSON_PATCH_OPERATIONS = 10_000;

/** Splits a JSON Pointer into unescaped tokens ("~1" is "/", "~0" is "~"); "" is the whole document. */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`invalid JSON pointer ${JSON.stringify(pointer)}: must be empty or start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~(?![01])/.test(token)) throw new PatchError(`invalid JSON pointer ${JSON.stringify(pointer)}: "~" must be followed by 0 or 1`);
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

/** Builds a JSON Pointer from tokens, escaping "~" and "/". */
export function formatJsonPointer(tokens: readonly string[]): string {
  return tokens.map((t) => `/${t.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** An array index token: digits without leading zeros ("-" and "01" are not indices). */
function arrayIndex(token: string): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
  const n = Number(token);
  return Number.isSafeInteger(n) ? n : undefined;
}

type Container = JsonObject | JsonValue[];

/** The value at a pointer, or undefined when the document has nothing there. */
export function getByPointer(doc: JsonValue, pointer: string | readonly string[]): JsonValue | undefined {
  const tokens = typeof pointer === 'string' ? parseJsonPointer(pointer) : pointer;
  let cur: JsonValue | undefined = doc;
  for (const token of tokens) {
    if (Array.isArray(cur)) {
      const i = arrayIndex(token);
      cur = i === undefined ? undefined : cur[i];
    } else if (isJsonObject(cur)) {
      cur = getOwn(cur, token);
    } else {
      return undefined;
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Applies RFC 6902 operations to a copy of `target` and returns it; throws PatchError naming the failing op and path. */
export function applyJsonPatch(target: JsonValue, operations: unknown, maxOperations = MAX_JSON_PATCH_OPERATIONS): JsonValue {
  if (!Array.isArray(operations)) throw new PatchError('a JSON patch must be a list of operations');
  if (operations.length > maxOperations) {
    throw new PatchError(`the allowed maximum operations in a JSON patch is ${maxOperations}, got ${operations.length}`);
  }
  let doc = deepClone(target);
  operations.forEach((raw: unknown, index) => {
    doc = applyOperation(doc, raw, index);
  });
  return doc;
}

function field(op: JsonObject, name: string, index: number): string {
  const v = getOwn(op, name);
  if (typeof v !== 'string') {
    const opName = typeof op.op === 'string' ? op.op : 'patch';
    throw new PatchError(`${opName} operation at index ${index} is missing its "${name}" string`, { index });
  }
  return v;
}

function applyOperation(doc: JsonValue, raw: unknown, index: number): JsonValue {
  if (!isJsonObject(raw as JsonValue)) throw new PatchError(`operation at index ${index} is not an object`, { index });
  const op = raw as JsonObject;
  const name = field(op, 'op', index);
  const path = field(op, 'path', index);
  const fail = (message: string, at = path): PatchError =>
    new PatchError(`${name} operation does not apply: ${message}`, { operation: name, path: at, index });
  const missing = (at = path, what = 'path'): PatchError => fail(`doc is missing ${what}: ${JSON.stringify(at)}`, at);
  const value = (): JsonValue => {
    const v = getOwn(op, 'value');
    if (v === undefined) throw new PatchError(`${name} operation at index ${index} is missing its "value"`, { operation: name, path, index });
    return deepClone(v);
  };
  const tokens = parseJsonPointer(path);

  switch (name) {
    case 'add':
      return add(doc, tokens, value(), fail, missing);
    case 'remove':
      return remove(doc, tokens, fail, missing);
    case 'replace': {
      const v = value();
      if (tokens.length === 0) return v;
      const [parent, last] = parentOf(doc, tokens, missing);
      if (Array.isArray(parent)) {
        const i = arrayIndex(last);
        if (i === undefined || i >= parent.length) throw missing();
        parent[i] = v;
      } else {
        if (!Object.hasOwn(parent, last)) throw missing();
        setOwn(parent, last, v);
      }
      return doc;
    }
    case 'move':
    case 'copy': {
      const from = field(op, 'from', index);
      const fromTokens = parseJsonPointer(from);
      const moved = getByPointer(doc, fromTokens);
      if (moved === undefined) throw missing(from, 'from path');
      if (name === 'copy') return add(doc, tokens, deepClone(moved), fail, missing);
      if (from === path) return doc;
      if (path.startsWith(`${from}/`)) throw fail(`cannot move ${JSON.stringify(from)} into its own child ${JSON.stringify(path)}`);
      return add(remove(doc, fromTokens, fail, missing), tokens, moved, fail, missing);
    }
    case 'test': {
      const actual = getByPointer(doc, tokens);
      if (actual === undefined) throw missing();
      if (!deepEqual(actual, value())) {
        throw new PatchError(`test operation failed: the value at ${JSON.stringify(path)} is not the expected value`, {
          operation: name,
          path,
          index,
        });
      }
      return doc;
    }
    default:
      throw new PatchError(`unsupported operation ${JSON.stringify(name)} at index ${index}`, { operation: name, path, index });
  }
}

/** The container holding the last token; every step before it must exist. */
function parentOf(doc: JsonValue, tokens: readonly string[], missing: () => PatchError): [Container, string] {
  const parent = getByPointer(doc, tokens.slice(0, -1));
  if (!Array.isArray(parent) && !isJsonObject(parent)) throw missing();
  return [parent, tokens[tokens.length - 1] as string];
}

function add(
  doc: JsonValue,
  tokens: readonly string[],
  v: JsonValue,
  fail: (m: string) => PatchError,
  missing: () => PatchError,
): JsonValue {
  if (tokens.length === 0) return v;
  const [parent, last] = parentOf(doc, tokens, missing);
  if (!Array.isArray(parent)) {
    setOwn(parent, last, v);
    return doc;
  }
  // "-" appends; an index may be at most the length (insert at the end).
  const i = last === '-' ? parent.length : arrayIndex(last);
  if (i === undefined) throw fail(`invalid array index ${JSON.stringify(last)}`);
  if (i > parent.length) throw fail(`index ${i} is out of bounds for an array of length ${parent.length}`);
  parent.splice(i, 0, v);
  return doc;
}

function remove(doc: JsonValue, tokens: readonly string[], fail: (m: string) => PatchError, missing: () => PatchError): JsonValue {
  if (tokens.length === 0) throw fail('cannot remove the whole document');
  const [parent, last] = parentOf(doc, tokens, missing);
  if (Array.isArray(parent)) {
    const i = arrayIndex(last);
    if (i === undefined || i >= parent.length) throw missing();
    parent.splice(i, 1);
  } else {
    if (!Object.hasOwn(parent, last)) throw missing();
    delete parent[last];
  }
  return doc;
}
