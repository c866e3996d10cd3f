// Builders for the tests of lib/provisioning and lib/scheduling (not exported from index.ts).
import { storageClassView } from './storageclass';
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from './types';
import type { StorageClassView } from './storageclass';

export function makeClass(name: string, provisioner: string, over: Partial<StorageClass> = {}, annotations?: Record<string, string>, created = '2026-01-01T00:00:00Z'): StorageClassView {
  return storageClassView({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name, annotations, creationTimestamp: created }, provisioner, ...over });
}

export const kuraLocal = (over: Partial<StorageClass> = {}): StorageClassView =>
  makeClass('kura-local', 'local.kura.dev', { volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true, ...over });
export const kuraShared = (over: Partial<StorageClass> = {}): StorageClassView => makeClass('kura-shared', 'shared.kura.dev', { allowVolumeExpansion: true, ...over });

type ClaimSpec = NonNullable<PersistentVolumeClaim['spec']>;

export function makeClaim(spec: Partial<ClaimSpec> & { size?: string | null } = {}, extra: Partial<PersistentVolumeClaim> = {}): PersistentVolumeClaim {
  const { size = '10Gi', ...rest } = spec;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'vms', uid: 'uid-data', ...extra.metadata },
    spec: { accessModes: ['ReadWriteOnce'], resources: size === null ? {} : { requests: { storage: size } }, ...rest },
    ...(extra.status ? { status: extra.status } : {}),
  };
}

type VolumeSpec = NonNullable<PersistentVolume['spec']>;

export function makeVolume(name: string, spec: Partial<VolumeSpec> & { size?: string } = {}, phase = 'Available', labels?: Record<string, string>): PersistentVolume {
  const { size = '10Gi', ...rest } = spec;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, labels },
    spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: '', persistentVolumeReclaimPolicy: 'Retain', ...rest },
    status: { phase },
  };
}
