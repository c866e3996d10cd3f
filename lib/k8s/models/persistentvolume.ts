// PersistentVolume (v1).
import { defineModel } from './model';

export const PersistentVolumeModel = defineModel({
  kind: 'PersistentVolume',
  apiGroup: '',
  apiVersion: 'v1',
  plural: 'persistentvolumes',
  namespaced: false,
  shortNames: ['pv'],
  label: 'PersistentVolume',
  labelPlural: 'PersistentVolumes',
  abbr: 'PV',
});
