// StorageProfile (cdi.kubevirt.io/v1beta1).
import { defineModel } from './model';

export const StorageProfileModel = defineModel({
  kind: 'StorageProfile',
  apiGroup: 'cdi.kubevirt.io',
  apiVersion: 'v1beta1',
  plural: 'storageprofiles',
  namespaced: false,
  categories: ['all'],
  label: 'StorageProfile',
  labelPlural: 'StorageProfiles',
  abbr: 'SP',
});
