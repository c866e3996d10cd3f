// Namespace (v1).
import { defineModel } from './model';

export const NamespaceModel = defineModel({
  kind: 'Namespace',
  apiGroup: '',
  apiVersion: 'v1',
  plural: 'namespaces',
  namespaced: false,
  shortNames: ['ns'],
  label: 'Namespace',
  labelPlural: 'Namespaces',
  abbr: 'NS',
});
