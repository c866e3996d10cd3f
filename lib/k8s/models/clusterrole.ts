// ClusterRole (rbac.authorization.k8s.io/v1).
import { defineModel } from './model';

export const ClusterRoleModel = defineModel({
  kind: 'ClusterRole',
  apiGroup: 'rbac.authorization.k8s.io',
  apiVersion: 'v1',
  plural: 'clusterroles',
  namespaced: false,
  label: 'ClusterRole',
  labelPlural: 'ClusterRoles',
  abbr: 'CR',
});
