// ServiceAccount (v1).
import { defineModel } from './model';

export const ServiceAccountModel = defineModel({
  kind: 'ServiceAccount',
  apiGroup: '',
  apiVersion: 'v1',
  plural: 'serviceaccounts',
  namespaced: true,
  shortNames: ['sa'],
  label: 'ServiceAccount',
  labelPlural: 'ServiceAccounts',
  abbr: 'SA',
});
