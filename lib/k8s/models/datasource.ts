// DataSource (cdi.kubevirt.io/v1beta1).
import { defineModel } from './model';

export const DataSourceModel = defineModel({
  kind: 'DataSource',
  apiGroup: 'cdi.kubevirt.io',
  apiVersion: 'v1beta1',
  plural: 'datasources',
  namespaced: true,
  shortNames: ['das'],
  categories: ['all'],
  label: 'DataSource',
  labelPlural: 'DataSources',
  abbr: 'DS',
});
