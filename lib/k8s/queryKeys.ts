// One factory for TanStack Query keys, so a prefix invalidates a kind, a
// namespace or one object, whatever component asked for it.
import type { K8sModel } from './models/model';

export const k8sKeys = {
  all: ['k8s'] as const,
  kind: (m: Pick<K8sModel, 'apiGroup' | 'apiVersion' | 'plural'>) =>
    ['k8s', m.apiGroup || 'core', m.apiVersion, m.plural] as const,
  list: (m: Pick<K8sModel, 'apiGroup' | 'apiVersion' | 'plural'>, namespace?: string, selector?: string) =>
    ['k8s', m.apiGroup || 'core', m.apiVersion, m.plural, namespace ?? '*', 'list', selector ?? ''] as const,
  object: (m: Pick<K8sModel, 'apiGroup' | 'apiVersion' | 'plural'>, namespace: string | undefined, name: string) =>
    ['k8s', m.apiGroup || 'core', m.apiVersion, m.plural, namespace ?? '*', 'object', name] as const,
};

export const consoleKeys = {
  session: ['console', 'session'] as const,
  cluster: ['console', 'cluster'] as const,
};
