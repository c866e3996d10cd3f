// PersistentVolumeClaim (v1).
import { defineModel } from './model';

export const PersistentVolumeClaimModel = defineModel({
  kind: 'PersistentVolumeClaim',
  apiGroup: '',
  apiVersion: 'v1',
  plural: 'persistentvolumeclaims',
  namespaced: true,
  shortNames: ['pvc'],
  label: 'PersistentVolumeClaim',
  labelPlural: 'PersistentVolumeClaims',
  abbr: 'PVC',
});
