// Role (rbac.authorization.k8s.io/v1).
import { defineModel } from './model';

export const RoleModel = defineModel({
  kind: 'Role',
  apiGroup: 'rbac.authorization.k8s.io',
  apiVersion: 'v1',
  plural: 'roles',
  namespaced: true,
  label: 'Role',
  labelPlural: 'Roles',
  abbr: 'R',
});
