// Kura's default storage and snapshot classes, created once per cluster: the
// record in kube-system/kura-storage-bootstrap keeps a class an admin deleted
// from coming back (delete the record to have the defaults made again).
import { ConfigMapModel, StorageClassModel, VolumeSnapshotClassModel } from '@/lib/k8s/models';
import type { K8sModel, K8sObject } from '@/lib/k8s';
import { PARAM_IMAGE_FORMAT } from '@/lib/provisioning';
import { logger } from '../../log';
import { isAlreadyExists } from '../runtime/client';
import type { Controller } from '../runtime/manager';
import { BOOTSTRAP_CONFIGMAP, DEFAULT_CLASS_ANNOTATION, DEFAULT_SNAPSHOT_CLASS_ANNOTATION, LOCAL_DRIVER, SHARED_DRIVER } from './constants';

const log = logger('storage-defaults');

// qcow2, not the lib's raw default: snapshots and clones are copy-on-write layers, which raw files cannot have.
export const DEFAULT_STORAGE_CLASSES: readonly K8sObject[] = [
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'kura-local', annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true', 'kura.dev/description': 'Fast volumes on one node\'s disk; a VM using one runs on that node.' } },
    provisioner: LOCAL_DRIVER,
    parameters: { [PARAM_IMAGE_FORMAT]: 'qcow2' },
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  },
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'kura-shared', annotations: { 'kura.dev/description': 'Volumes every node reaches (ReadWriteMany, live migration).' } },
    provisioner: SHARED_DRIVER,
    parameters: { [PARAM_IMAGE_FORMAT]: 'qcow2' },
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
    allowVolumeExpansion: true,
  },
];

// Each driver's snapshot class is its default: the snapshotter picks the default per driver.
export const DEFAULT_SNAPSHOT_CLASSES: readonly K8sObject[] = [
  { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'kura-local-snapshots', annotations: { [DEFAULT_SNAPSHOT_CLASS_ANNOTATION]: 'true' } }, driver: LOCAL_DRIVER, deletionPolicy: 'Delete' },
  { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'kura-shared-snapshots', annotations: { [DEFAULT_SNAPSHOT_CLASS_ANNOTATION]: 'true' } }, driver: SHARED_DRIVER, deletionPolicy: 'Delete' },
];

export function defaultsController(): Controller {
  return {
    name: 'storage-defaults',
    concurrency: 1,
    setup(ctx, queue) {
      const { client } = ctx;
      queue.add('bootstrap');
      const create = async (model: K8sModel, obj: K8sObject): Promise<string> => {
        try {
          await client.create(model, obj);
          return obj.metadata?.name ?? '';
        } catch (e) {
          if (!isAlreadyExists(e)) throw e;
          return '';
        }
      };
      return async () => {
        if (await client.find(ConfigMapModel, BOOTSTRAP_CONFIGMAP.namespace, BOOTSTRAP_CONFIGMAP.name)) return;
        const made: string[] = [];
        for (const sc of DEFAULT_STORAGE_CLASSES) made.push(await create(StorageClassModel, sc));
        for (const vsc of DEFAULT_SNAPSHOT_CLASSES) made.push(await create(VolumeSnapshotClassModel, vsc));
        // Written last: a crash before this line makes the defaults again on the next start, never half of them.
        await create(ConfigMapModel, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { ...BOOTSTRAP_CONFIGMAP, annotations: { 'kura.dev/note': 'Kura made its default StorageClasses and VolumeSnapshotClasses once; a deleted class stays deleted. Delete this ConfigMap to have them made again at the next start.' } },
          data: {
            storageClasses: DEFAULT_STORAGE_CLASSES.map((o) => o.metadata?.name).join(','),
            volumeSnapshotClasses: DEFAULT_SNAPSHOT_CLASSES.map((o) => o.metadata?.name).join(','),
            createdAt: new Date().toISOString(),
          },
        });
        log.info('default storage classes created', { created: made.filter(Boolean).join(',') || 'none (they existed)' });
      };
    },
  };
}
