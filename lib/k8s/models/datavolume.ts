// DataVolume (cdi.kubevirt.io/v1beta1).
import { defineModel } from './model';

export const DataVolumeModel = defineModel({
  kind: 'DataVolume',
  apiGroup: 'cdi.kubevirt.io',
  apiVersion: 'v1beta1',
  plural: 'datavolumes',
  namespaced: true,
  shortNames: ['dv', 'dvs'],
  categories: ['all'],
  label: 'DataVolume',
  labelPlural: 'DataVolumes',
  abbr: 'DV',
});
