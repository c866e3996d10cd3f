// RoleBinding (rbac.authorization.k8s.io/v1).
import { defineModel } from './model';

export const RoleBindingModel = defineModel({
  kind: 'RoleBinding',
  apiGroup: 'rbac.authorization.k8s.io',
  apiVersion: 'v1',
  plural: 'rolebindings',
  namespaced: true,
  label: 'RoleBinding',
  labelPlural: 'RoleBindings',
  abbr: 'RB',
});
