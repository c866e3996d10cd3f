// Request bodies: size limit (3 MiB, as kube-apiserver), content types,
// JSON and YAML decoding, and a nesting limit so no body can exhaust the stack.
import type { IncomingMessage } from 'node:http';
import { parseAllDocuments } from 'yaml';
import { errors } from '../errors';
import { decodeKubernetesProtobuf, PROTOBUF_CONTENT_TYPE, ProtobufUnsupportedError } from '../protobuf';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;
export const MAX_NESTING = 256;

/**
 * The whole body, refused past MAX_BODY_BYTES. Plain listeners rather than `for await`: an async
 * iterator per request was 2% of the server's time on creates.
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    req.resume();
    return Promise.reject(errors.tooLarge());
  }
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  if (req.destroyed) return Promise.reject(new Error('the request was aborted before its body ended'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    // Inline handlers that fall silent once settled, rather than named ones taken off again: a named
    // function made per request costs a defineProperty under tsx (keepNames), 1.6% of a create.
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        settled = true;
        reject(errors.tooLarge());
        req.resume(); // read and drop the rest, so the answer can be sent
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
    req.on('error', (err) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
    // The client went away before the body ended.
    req.on('close', () => {
      if (settled) return;
      settled = true;
      reject(new Error('the request was aborted before its body ended'));
    });
  });
}

/** The media type without parameters, lower-cased ("application/json"). */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Refuse a decoded body nested deeper than MAX_NESTING, before any recursive walk of it (schema
 * validation, pruning, field management) could exhaust the stack. V8's JSON.parse is iterative,
 * so parsing first is safe, and walking the parsed value visits its nodes rather than every
 * character of the text. The walk itself keeps its own stack.
 */
export function checkNesting(value: unknown): void {
  const stack: [unknown, number][] = [[value, 1]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [v, depth] = top;
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_NESTING) throw errors.badRequest(`the request body nests objects or arrays deeper than ${MAX_NESTING} levels`);
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const child of children) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
}

export function decodeJson(buf: Buffer): unknown {
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8'));
  } catch (e) {
    throw errors.badRequest(`the request body is not valid JSON: ${(e as Error).message}`);
  }
  checkNesting(value);
  return value;
}

export function decodeYaml(buf: Buffer): unknown {
  const docs = parseAllDocuments(buf.toString('utf8'));
  if (!Array.isArray(docs) || docs.length === 0) throw errors.badRequest('the request body is empty');
  if (docs.length > 1) throw errors.badRequest('the request body holds more than one YAML document');
  const doc = docs[0]!;
  if (doc.errors.length) throw errors.badRequest(`the request body is not valid YAML: ${doc.errors[0]!.message}`);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // Alias bombs ("billion laughs") end up here too.
    throw errors.badRequest(`the request body cannot be decoded as YAML: ${(e as Error).message}`);
  }
  // YAML flow style can nest too.
  checkNesting(value);
  return value;
}

/** Decode a create/update body: JSON or YAML, must be an object. */
export function decodeObject(buf: Buffer, contentType: string | undefined): Record<string, unknown> {
  if (buf.length === 0) throw errors.badRequest('the request body is empty');
  const type = mediaType(contentType);
  let value: unknown;
  if (type === 'application/json' || type === '') value = decodeJson(buf);
  else if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') value = decodeYaml(buf);
  else if (type === PROTOBUF_CONTENT_TYPE) {
    // kubectl's typed commands (create namespace, auth can-i, ...) send protobuf.
    try {
      value = decodeKubernetesProtobuf(buf);
    } catch (e) {
      if (e instanceof ProtobufUnsupportedError) throw errors.unsupportedMediaType(type, ['application/json', 'application/yaml'], e.message);
      throw errors.badRequest(`the request body is not valid Kubernetes protobuf: ${(e as Error).message}`);
    }
  } else throw errors.unsupportedMediaType(type, ['application/json', 'application/yaml', PROTOBUF_CONTENT_TYPE]);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw errors.badRequest('the request body must be a JSON object');
  return value as Record<string, unknown>;
}
