// /api/upload: the browser's same-origin way to CDI's upload proxy. The user
// must be signed in (and pass the CSRF and Origin checks like every console
// API); the upload token from their UploadTokenRequest travels in
// X-Upload-Token and goes on as the proxy's bearer token. Bodies stream both
// ways (uploads can be tens of GiB). Against Kura's embedded proxy the
// resumable protocol (HEAD/PATCH/DELETE) passes through; CDI's own proxy only
// takes a whole file (POST), so the others answer 501 and the page falls back.
// In embedded mode the upload service runs in this process: requests are handed
// to it directly, without a second HTTP hop and TLS both ways.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { Config } from '../config';
import type { UploadHandler } from '../upload/service';
import type { ClusterTarget } from './cluster';
import { sendStatus } from './http';

export const UPLOAD_PATH = '/api/upload';
export const UPLOAD_TOKEN_HEADER = 'x-upload-token';

export interface UploadProxy {
  url: URL;
  /** Kura's embedded proxy: it speaks the resumable protocol. */
  resumable: boolean;
  /** The embedded upload service in this process, which requests are handed to instead of `url`. */
  local?: UploadHandler;
}

/**
 * Where uploads go: KURA_UPLOAD_PROXY_URL, the embedded upload service (`local`, in this process;
 * it also listens on KURA_UPLOAD_ADDR), or CDI's in-cluster service.
 */
export function uploadProxyFor(config: Config, local?: UploadHandler): UploadProxy {
  if (config.uploadProxyUrl) return { url: new URL(config.uploadProxyUrl), resumable: false };
  if (config.cluster === 'embedded') return { url: new URL(`https://${config.uploadAddr}`), resumable: true, ...(local ? { local } : {}) };
  return { url: new URL('https://cdi-uploadproxy.cdi.svc'), resumable: false };
}

const passRequest = ['content-type', 'content-length', 'upload-offset', 'upload-length'];
const passResponse = ['content-type', 'content-length', 'upload-offset', 'upload-length', 'cache-control'];

export function relayUpload(req: IncomingMessage, res: ServerResponse, proxy: UploadProxy, target: ClusterTarget): void {
  const token = req.headers[UPLOAD_TOKEN_HEADER];
  if (typeof token !== 'string' || !token) return sendStatus(res, 400, `an upload needs the ${UPLOAD_TOKEN_HEADER} header: the token of an UploadTokenRequest`);
  const method = req.method ?? 'GET';
  let upstreamPath: string;
  if (method === 'POST') upstreamPath = '/v1beta1/upload-async';
  else if (['HEAD', 'PATCH', 'DELETE'].includes(method)) {
    if (!proxy.resumable) return sendStatus(res, 501, 'the cluster\'s upload proxy cannot resume uploads: send the whole file with POST');
    upstreamPath = '/kura/v1/upload';
  } else return sendStatus(res, 405, `${UPLOAD_PATH} takes POST, HEAD, PATCH or DELETE`);

  if (proxy.local) {
    // The service reads only the bearer token and the upload headers; it answers with upload headers only.
    req.url = upstreamPath;
    req.headers.authorization = `Bearer ${token}`;
    return proxy.local(req, res);
  }
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  for (const h of passRequest) {
    const v = req.headers[h];
    if (typeof v === 'string') headers[h] = v;
  }
  const url = new URL(upstreamPath, proxy.url);
  const mod = url.protocol === 'https:' ? https : http;
  const upstream = mod.request(url, { method, headers, ...(url.protocol === 'https:' ? { agent: target.agent as https.Agent } : {}) }, (up) => {
    const out: Record<string, string> = {};
    for (const h of passResponse) {
      const v = up.headers[h];
      if (typeof v === 'string') out[h] = v;
    }
    res.writeHead(up.statusCode ?? 502, out);
    up.pipe(res);
  });
  upstream.on('error', (e) => {
    if (res.headersSent) return void res.destroy();
    sendStatus(res, 502, `the upload proxy at ${proxy.url.origin} cannot be reached: ${e.message}`);
  });
  // The browser went away: stop the upstream request too (the stored offset says where to resume).
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}
