// ClusterRoleBinding (rbac.authorization.k8s.io/v1).
import { defineModel } from './model';

export const ClusterRoleBindingModel = defineModel({
  kind: 'ClusterRoleBinding',
  apiGroup: 'rbac.authorization.k8s.io',
  apiVersion: 'v1',
  plural: 'clusterrolebindings',
  namespaced: false,
  label: 'ClusterRoleBinding',
  labelPlural: 'ClusterRoleBindings',
  abbr: 'CRB',
});
