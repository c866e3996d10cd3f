// ResourceQuota (v1).
import { defineModel } from './model';

export const ResourceQuotaModel = defineModel({
  kind: 'ResourceQuota',
  apiGroup: '',
  apiVersion: 'v1',
  plural: 'resourcequotas',
  namespaced: true,
  shortNames: ['quota'],
  label: 'ResourceQuota',
  labelPlural: 'ResourceQuotas',
  abbr: 'RQ',
});
