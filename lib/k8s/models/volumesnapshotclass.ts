// VolumeSnapshotClass (snapshot.storage.k8s.io/v1).
import { defineModel } from './model';

export const VolumeSnapshotClassModel = defineModel({
  kind: 'VolumeSnapshotClass',
  apiGroup: 'snapshot.storage.k8s.io',
  apiVersion: 'v1',
  plural: 'volumesnapshotclasses',
  namespaced: false,
  shortNames: ['vsclass', 'vsclasses'],
  label: 'VolumeSnapshotClass',
  labelPlural: 'VolumeSnapshotClasses',
  abbr: 'VSC',
});
