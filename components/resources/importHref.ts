// URLs of the "Create from YAML" page.
import { type K8sModel, modelRef } from '@/lib/k8s/models';

/**
 * The create page, starting with a manifest for `model` when given. Namespaced
 * objects land in `namespace`; without a model the page is in the namespace too.
 */
export function importHref(model: K8sModel | undefined, namespace: string | undefined): string {
  const base = model && !model.namespaced ? '/k8s/cluster/import' : namespace ? `/k8s/ns/${encodeURIComponent(namespace)}/import` : '/k8s/cluster/import';
  return model ? `${base}?kind=${encodeURIComponent(modelRef(model))}` : base;
}
