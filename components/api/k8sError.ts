// Errors from the console backend or the cluster, as one type the pages can explain.
import { isStatus, type Status } from '@/lib/k8s/types';

export class K8sError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly status?: Status,
  ) {
    super(message);
    this.name = 'K8sError';
  }

  /** The cluster does not serve this kind (a list or discovery 404). */
  get notServed(): boolean {
    return this.code === 404;
  }

  /** The cluster could not be reached at all. */
  get unreachable(): boolean {
    return this.code === 502 || this.code === 503 || this.code === 0;
  }
}

/** Turn a failed fetch response into a K8sError, using the Status body when there is one. */
export async function errorFromResponse(res: Response): Promise<K8sError> {
  let body: unknown;
  const text = await res.text().catch(() => '');
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (isStatus(body)) return new K8sError(body.code || res.status, body.reason ?? '', body.message ?? res.statusText, body);
  return new K8sError(res.status, res.statusText, text.trim() || `${res.status} ${res.statusText}`);
}
