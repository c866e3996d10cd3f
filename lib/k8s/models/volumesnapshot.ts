// VolumeSnapshot (snapshot.storage.k8s.io/v1).
import { defineModel } from './model';

export const VolumeSnapshotModel = defineModel({
  kind: 'VolumeSnapshot',
  apiGroup: 'snapshot.storage.k8s.io',
  apiVersion: 'v1',
  plural: 'volumesnapshots',
  namespaced: true,
  shortNames: ['vs'],
  label: 'VolumeSnapshot',
  labelPlural: 'VolumeSnapshots',
  abbr: 'VS',
});
