// The browser's one way to the backend: same-origin fetches with the session
// cookie, the CSRF token on anything that changes state, and Status errors
// turned into K8sError.
import { errorFromResponse, K8sError } from './k8sError';

let csrfToken: string | undefined;

/** Set by the session provider once /api/session answers. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** The session's CSRF token, for requests that do not go through consoleFetch (an XMLHttpRequest upload). */
export function getCsrfToken(): string | undefined {
  return csrfToken;
}

export async function consoleFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers);
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers.set('X-CSRF-Token', csrfToken);
  let res: Response;
  try {
    res = await fetch(path, { ...init, method, headers, credentials: 'same-origin', cache: 'no-store' });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new K8sError(0, 'NetworkError', `cannot reach the Kura console: ${(e as Error).message}`);
  }
  if (res.status === 401 && typeof window !== 'undefined' && !path.startsWith('/api/auth/') && path !== '/api/session') {
    // The session ended (sign-out elsewhere, idle timeout, restart): back to sign-in.
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  }
  return res;
}

/** Kubernetes API call through the console proxy; `apiPath` starts with /api or /apis. */
export async function k8sRequest<T>(apiPath: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  const res = await consoleFetch(`/api/k8s${apiPath}`, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
  if (!res.ok) throw await errorFromResponse(res);
  return (await res.json()) as T;
}
