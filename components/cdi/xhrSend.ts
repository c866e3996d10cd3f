// The upload client's transport: one request to the same-origin upload relay
// with XMLHttpRequest, whose upload.onprogress moves the bar within a chunk
// (fetch cannot report bytes sent). Carries the session's CSRF token.
import type { UploadRequest, UploadResponse, UploadSend } from '@/lib/cdi-ui';
import { getCsrfToken } from '../api/client';

export const UPLOAD_RELAY_PATH = '/api/upload';

function parseHeaders(raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of raw.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

const abortError = () => Object.assign(new Error('the upload was stopped'), { name: 'AbortError' });

export const xhrSend: UploadSend = (req: UploadRequest) =>
  new Promise<UploadResponse>((resolve, reject) => {
    if (req.signal?.aborted) return reject(abortError());
    const xhr = new XMLHttpRequest();
    xhr.open(req.method, UPLOAD_RELAY_PATH);
    for (const [k, v] of Object.entries(req.headers)) xhr.setRequestHeader(k, v);
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    if (req.onProgress) {
      const onProgress = req.onProgress;
      xhr.upload.onprogress = (e) => onProgress(e.loaded);
    }
    const onAbort = () => xhr.abort();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => req.signal?.removeEventListener('abort', onAbort);
    xhr.onload = () => {
      done();
      resolve({ status: xhr.status, headers: parseHeaders(xhr.getAllResponseHeaders()), body: xhr.responseText ?? '' });
    };
    xhr.onerror = () => {
      done();
      reject(new TypeError('the connection to Kura dropped'));
    };
    xhr.onabort = () => {
      done();
      reject(abortError());
    };
    xhr.send(req.body ?? null);
  });
