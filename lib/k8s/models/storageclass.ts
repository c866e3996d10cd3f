// StorageClass (storage.k8s.io/v1).
import { defineModel } from './model';

export const StorageClassModel = defineModel({
  kind: 'StorageClass',
  apiGroup: 'storage.k8s.io',
  apiVersion: 'v1',
  plural: 'storageclasses',
  namespaced: false,
  shortNames: ['sc'],
  label: 'StorageClass',
  labelPlural: 'StorageClasses',
  abbr: 'SC',
});
