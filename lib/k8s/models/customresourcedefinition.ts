// CustomResourceDefinition (apiextensions.k8s.io/v1).
import { defineModel } from './model';

export const CustomResourceDefinitionModel = defineModel({
  kind: 'CustomResourceDefinition',
  apiGroup: 'apiextensions.k8s.io',
  apiVersion: 'v1',
  plural: 'customresourcedefinitions',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  label: 'CustomResourceDefinition',
  labelPlural: 'CustomResourceDefinitions',
  abbr: 'CRD',
});
