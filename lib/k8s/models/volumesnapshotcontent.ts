// VolumeSnapshotContent (snapshot.storage.k8s.io/v1).
import { defineModel } from './model';

export const VolumeSnapshotContentModel = defineModel({
  kind: 'VolumeSnapshotContent',
  apiGroup: 'snapshot.storage.k8s.io',
  apiVersion: 'v1',
  plural: 'volumesnapshotcontents',
  namespaced: false,
  shortNames: ['vsc', 'vscs'],
  label: 'VolumeSnapshotContent',
  labelPlural: 'VolumeSnapshotContents',
  abbr: 'VSCN',
});
