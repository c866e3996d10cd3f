// Small HTTP helpers for the console backend: JSON replies, Kubernetes-style
// Status errors, and request bodies read with a size limit.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Status } from '@/lib/k8s/types';

/** Kubernetes refuses request bodies over 3 MiB; so does the console, before reaching the cluster. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

const reasons: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed',
  409: 'Conflict', 413: 'RequestEntityTooLarge', 415: 'UnsupportedMediaType', 422: 'Invalid',
  429: 'TooManyRequests', 500: 'InternalError', 502: 'ServiceUnavailable', 503: 'ServiceUnavailable', 504: 'Timeout',
};

export function statusBody(code: number, message: string, reason?: string): Status {
  return { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message, reason: reason ?? reasons[code] ?? 'Unknown', code };
}

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Reply with a metav1.Status, the shape every Kubernetes client understands. */
export function sendStatus(res: ServerResponse, code: number, message: string, reason?: string): void {
  sendJson(res, code, statusBody(code, message, reason));
}

export class BodyError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** Read a whole (small) request body, refusing more than `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw new BodyError(413, `request body of ${declared} bytes is larger than the limit of ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyError(413, `request body is larger than the limit of ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Parse a JSON request body; the content type must say JSON (forms cannot send it cross-site). */
export async function readJson(req: IncomingMessage, limit = 64 * 1024): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new BodyError(415, `expected Content-Type application/json, got "${type || 'none'}"`);
  const body = await readBody(req, limit);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new BodyError(400, `request body is not valid JSON: ${(e as Error).message}`);
  }
}

/** Parse the Cookie header into name → value. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name && !(name in out)) out[name] = value;
  }
  return out;
}
