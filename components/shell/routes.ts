// Reading the console's /k8s/... URLs back into (scope, namespace, kind, name).
import { findModel, type K8sModel, parseModelRef } from '@/lib/k8s/models';
import { ALL_NAMESPACES } from '../hooks/useActiveNamespace';

export interface K8sRoute {
  /** ALL_NAMESPACES, a namespace name, or undefined for cluster scope. */
  namespace?: string;
  ref: string;
  model?: K8sModel;
  /** Group, version and kind named by the URL, even when no model is known. */
  gvk?: { apiGroup: string; apiVersion: string; kind: string };
  name?: string;
  /** An object page's tab named as a path segment, as OpenShift's console writes it (…/<name>/yaml). */
  tab?: RouteTab;
}

/** The object page tabs a URL may name after the object's name. */
export const ROUTE_TABS = ['details', 'yaml', 'events'] as const;
export type RouteTab = (typeof ROUTE_TABS)[number];

/** Parse the segments after /k8s/. Undefined when the URL has no meaning. */
export function parseK8sRoute(segments: string[]): K8sRoute | undefined {
  const [scope, ...rest] = segments.map((s) => decodeURIComponent(s));
  let namespace: string | undefined;
  let tail: string[];
  if (scope === 'ns') {
    if (rest.length < 2) return undefined;
    namespace = rest[0];
    tail = rest.slice(1);
  } else if (scope === 'all-namespaces') {
    namespace = ALL_NAMESPACES;
    tail = rest;
  } else if (scope === 'cluster') {
    tail = rest;
  } else {
    return undefined;
  }
  const [ref, name, tabSegment, ...extra] = tail;
  if (!ref || extra.length) return undefined;
  const tab = ROUTE_TABS.find((t) => t === tabSegment);
  if (tabSegment !== undefined && !tab) return undefined;
  const gvk = parseModelRef(ref);
  if (!gvk) return undefined;
  const known = findModel(gvk.apiGroup, gvk.kind);
  const model = known && known.apiVersion === gvk.apiVersion ? known : undefined;
  return { namespace, ref, model, gvk, name, ...(tab ? { tab } : {}) };
}
