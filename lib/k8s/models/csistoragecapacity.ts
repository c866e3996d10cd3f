// CSIStorageCapacity (storage.k8s.io/v1).
import { defineModel } from './model';

export const CSIStorageCapacityModel = defineModel({
  kind: 'CSIStorageCapacity',
  apiGroup: 'storage.k8s.io',
  apiVersion: 'v1',
  plural: 'csistoragecapacities',
  namespaced: true,
  label: 'CSIStorageCapacity',
  labelPlural: 'CSIStorageCapacities',
  abbr: 'CSC',
});
