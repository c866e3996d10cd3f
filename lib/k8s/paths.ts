// Kubernetes REST paths for a model, as every client builds them.
import type { K8sModel } from './models/model';

export interface ResourcePathOptions {
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** "/api/v1" for the core group, "/apis/<group>/<version>" otherwise. */
export function apiPrefix(m: Pick<K8sModel, 'apiGroup' | 'apiVersion'>): string {
  return m.apiGroup ? `/apis/${m.apiGroup}/${m.apiVersion}` : `/api/${m.apiVersion}`;
}

/**
 * Path of a collection or an object. Namespaced kinds without a namespace give
 * the all-namespaces collection; cluster-scoped kinds ignore `namespace`.
 */
export function resourcePath(m: K8sModel, opts: ResourcePathOptions = {}): string {
  let path = apiPrefix(m);
  if (m.namespaced && opts.namespace) path += `/namespaces/${encodeURIComponent(opts.namespace)}`;
  path += `/${m.plural}`;
  if (opts.name) path += `/${encodeURIComponent(opts.name)}`;
  if (opts.subresource) path += `/${opts.subresource}`;
  return path;
}

/** Build a query string from defined values, in insertion order. */
export function queryString(params: Record<string, string | number | boolean | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === '') continue;
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}
