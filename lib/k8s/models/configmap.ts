// ConfigMap (v1).
import { defineModel } from './model';

export const ConfigMapModel = defineModel({
  kind: 'ConfigMap',
  apiGroup: '',
  apiVersion: 'v1',
  plural: 'configmaps',
  namespaced: true,
  shortNames: ['cm'],
  label: 'ConfigMap',
  labelPlural: 'ConfigMaps',
  abbr: 'CM',
});
