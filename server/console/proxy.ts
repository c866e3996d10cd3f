// /api/k8s/... → the cluster, with the signed-in user's token. Verbs, query
// strings and content types pass through untouched; responses (watch streams
// included) are piped as they arrive, never buffered; errors come back as the
// cluster's own Status, or as a Status saying why the cluster could not be reached.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { Transform } from 'node:stream';
import { MAX_BODY_BYTES, sendStatus } from './http';
import { type ClusterTarget, joinServerPath } from './cluster';

export const PROXY_PREFIX = '/api/k8s';

// Request headers worth passing to the cluster; everything else (cookies, the
// browser's Authorization, Impersonate-*, hop-by-hop headers) stays behind.
const forwardRequestHeaders = ['accept', 'accept-encoding', 'content-type', 'content-length', 'user-agent', 'x-request-id'];
const dropResponseHeaders = new Set(['connection', 'keep-alive', 'transfer-encoding', 'set-cookie', 'proxy-connection', 'upgrade', 'www-authenticate']);

/** The upstream path for a console URL, or undefined when it tries to leave the API. */
export function upstreamPath(rawUrl: string): string | undefined {
  if (!rawUrl.startsWith(PROXY_PREFIX + '/')) return undefined;
  const rest = rawUrl.slice(PROXY_PREFIX.length);
  const q = rest.indexOf('?');
  const pathPart = q >= 0 ? rest.slice(0, q) : rest;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    return undefined;
  }
  // No dot segments or empty segments: the path must mean what it says to the cluster too.
  if (decoded.split('/').slice(1).some((seg) => seg === '' || seg === '.' || seg === '..')) return undefined;
  if (!/^\/(api|apis|version|openapi)(\/|$)/.test(decoded)) return undefined;
  return rest;
}

export function proxyToCluster(req: IncomingMessage, res: ServerResponse, target: ClusterTarget, token: string): void {
  const rest = upstreamPath(req.url ?? '');
  if (!rest) {
    sendStatus(res, 404, `the console does not proxy "${req.url}": paths must start with ${PROXY_PREFIX}/api or ${PROXY_PREFIX}/apis`);
    return;
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    sendStatus(res, 413, `request body of ${declared} bytes is larger than the limit of ${MAX_BODY_BYTES} bytes`);
    req.resume();
    return;
  }
  const headers: http.OutgoingHttpHeaders = {};
  for (const h of forwardRequestHeaders) if (req.headers[h] !== undefined) headers[h] = req.headers[h];
  headers.authorization = `Bearer ${token}`;
  const url = new URL(joinServerPath(target.server, rest));
  const mod = url.protocol === 'https:' ? https : http;
  const upstream = mod.request(url, { method: req.method, headers, agent: target.agent });

  let finished = false;
  const fail = (code: number, message: string) => {
    if (finished) return;
    finished = true;
    upstream.destroy();
    if (res.headersSent) res.destroy();
    else sendStatus(res, code, message);
  };

  upstream.on('response', (up) => {
    const out: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(up.headers)) if (!dropResponseHeaders.has(k) && v !== undefined) out[k] = v;
    out['cache-control'] = out['cache-control'] ?? 'no-store';
    // Tell any buffering reverse proxy in front of Kura to pass watch streams through.
    out['x-accel-buffering'] = 'no';
    res.writeHead(up.statusCode ?? 502, out);
    res.flushHeaders();
    up.pipe(res);
    up.on('error', () => res.destroy());
    up.on('end', () => (finished = true));
  });
  upstream.on('error', (e) => fail(502, `cannot reach the cluster at ${target.server.origin}: ${e.message}`));
  // The browser went away (a closed watch, a navigation): stop the upstream request too.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });

  let size = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) cb(new Error('too large'));
      else cb(null, chunk);
    },
  });
  limiter.on('error', () => {
    fail(413, `request body is larger than the limit of ${MAX_BODY_BYTES} bytes`);
    req.resume();
  });
  req.pipe(limiter).pipe(upstream);
}
