// Secret (v1).
import { defineModel } from './model';

export const SecretModel = defineModel({
  kind: 'Secret',
  apiGroup: '',
  apiVersion: 'v1',
  plural: 'secrets',
  namespaced: true,
  label: 'Secret',
  labelPlural: 'Secrets',
  abbr: 'S',
});
