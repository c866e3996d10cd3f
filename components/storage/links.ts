// Which URLs the purpose-built storage pages handle, and the URLs of their
// create forms.
import { type K8sModel, modelRef } from '@/lib/k8s/models';

/** The name segment that opens a kind's create form instead of an object (no object can be called this: "~" is not allowed in names). */
export const NEW_OBJECT_SEGMENT = '~new';

/** URL of the create form of a kind, in a namespace for namespaced kinds. */
export function createFormHref(model: K8sModel, namespace?: string): string {
  const base = model.namespaced && namespace ? `/k8s/ns/${encodeURIComponent(namespace)}` : '/k8s/cluster';
  return `${base}/${modelRef(model)}/${NEW_OBJECT_SEGMENT}`;
}

export type StoragePageKind = 'PersistentVolumeClaim' | 'StorageClass' | 'VolumeSnapshot' | 'VolumeSnapshotClass' | 'PersistentVolume' | 'Node';

const PAGES: Readonly<Record<string, StoragePageKind>> = {
  '/PersistentVolumeClaim': 'PersistentVolumeClaim',
  'storage.k8s.io/StorageClass': 'StorageClass',
  'snapshot.storage.k8s.io/VolumeSnapshot': 'VolumeSnapshot',
  'snapshot.storage.k8s.io/VolumeSnapshotClass': 'VolumeSnapshotClass',
  '/PersistentVolume': 'PersistentVolume',
  '/Node': 'Node',
};

/** The storage page of a kind (any served version), or undefined for kinds with generic pages. */
export function storagePageOf(model: Pick<K8sModel, 'apiGroup' | 'kind'>): StoragePageKind | undefined {
  const key = `${model.apiGroup}/${model.kind}`;
  return Object.hasOwn(PAGES, key) ? PAGES[key] : undefined;
}

/** Whether a storage page handles this URL: the list of one of its kinds, or the create form of a claim or a class. */
export function hasStoragePage(model: Pick<K8sModel, 'apiGroup' | 'kind'>, name: string | undefined): boolean {
  const page = storagePageOf(model);
  if (!page) return false;
  if (name === undefined) return true;
  return name === NEW_OBJECT_SEGMENT && (page === 'PersistentVolumeClaim' || page === 'StorageClass');
}
