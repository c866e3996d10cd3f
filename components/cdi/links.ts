// Which URLs the CDI pages handle: DataVolumes (list, create form, one
// DataVolume) and, under the DataSource kind the sidebar's "Bootable
// volumes" entry opens, the list of boot sources.
import type { K8sModel } from '@/lib/k8s/models';

export type CdiPageKind = 'DataVolume' | 'BootableVolumes';

const PAGES: Readonly<Record<string, CdiPageKind>> = {
  'cdi.kubevirt.io/DataVolume': 'DataVolume',
  'cdi.kubevirt.io/DataSource': 'BootableVolumes',
};

/** The CDI page of a kind (any served version), or undefined for kinds with other pages. */
export function cdiPageOf(model: Pick<K8sModel, 'apiGroup' | 'kind'>): CdiPageKind | undefined {
  const key = `${model.apiGroup}/${model.kind}`;
  return Object.hasOwn(PAGES, key) ? PAGES[key] : undefined;
}

/** Whether a CDI page handles this URL: every DataVolume URL; the DataSource list (one DataSource keeps the generic page). */
export function hasCdiPage(model: Pick<K8sModel, 'apiGroup' | 'kind'>, name: string | undefined): boolean {
  const page = cdiPageOf(model);
  if (page === 'DataVolume') return true;
  if (page === 'BootableVolumes') return name === undefined;
  return false;
}
