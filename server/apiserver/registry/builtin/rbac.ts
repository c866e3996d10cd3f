// rbac.authorization.k8s.io/v1 and the review kinds of authorization.k8s.io
// and authentication.k8s.io (answered per request, never stored).
import {
  ClusterRoleBindingModel,
  ClusterRoleModel,
  RoleBindingModel,
  RoleModel,
  SelfSubjectAccessReviewModel,
  SelfSubjectReviewModel,
  SelfSubjectRulesReviewModel,
  SubjectAccessReviewModel,
} from '@/lib/k8s/models';
import type { K8sObject, StatusCause } from '@/lib/k8s/types';
import type { ResourceDef } from '../types';
import { ageColumn, at, col, createdAtColumn, nameColumn } from '../printers';
import { builtin, required } from './common';

function validateRules(o: K8sObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const rules = (o.rules ?? []) as Record<string, unknown>[];
  rules.forEach((r, i) => {
    if (!Array.isArray(r.verbs) || r.verbs.length === 0) causes.push(required(`rules[${i}].verbs`));
    const nonResource = Array.isArray(r.nonResourceURLs) && r.nonResourceURLs.length > 0;
    if (nonResource && (r.resources || r.apiGroups)) {
      causes.push({ reason: 'FieldValueInvalid', field: `rules[${i}].nonResourceURLs`, message: 'Invalid value: rules cannot apply to both regular resources and non-resource URLs' });
    }
    if (!nonResource && (!Array.isArray(r.resources) || r.resources.length === 0)) causes.push(required(`rules[${i}].resources`));
    if (!nonResource && !Array.isArray(r.apiGroups)) causes.push(required(`rules[${i}].apiGroups`));
    if (nonResource && o.kind === 'Role') causes.push({ reason: 'FieldValueInvalid', field: `rules[${i}].nonResourceURLs`, message: 'Invalid value: namespaced rules cannot apply to non-resource URLs' });
  });
  return causes;
}

function validateBinding(o: K8sObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const ref = o.roleRef as Record<string, unknown> | undefined;
  if (!ref?.name) causes.push(required('roleRef.name'));
  if (ref && ref.apiGroup !== 'rbac.authorization.k8s.io') causes.push({ reason: 'FieldValueNotSupported', field: 'roleRef.apiGroup', message: `Unsupported value: ${JSON.stringify(ref.apiGroup)}: supported values: "rbac.authorization.k8s.io"` });
  const kinds = o.kind === 'ClusterRoleBinding' ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (ref && !kinds.includes(String(ref.kind))) causes.push({ reason: 'FieldValueNotSupported', field: 'roleRef.kind', message: `Unsupported value: ${JSON.stringify(ref.kind)}: supported values: ${kinds.map((k) => `"${k}"`).join(', ')}` });
  ((o.subjects ?? []) as Record<string, unknown>[]).forEach((s, i) => {
    if (!s.name) causes.push(required(`subjects[${i}].name`));
    if (!['User', 'Group', 'ServiceAccount'].includes(String(s.kind))) {
      causes.push({ reason: 'FieldValueNotSupported', field: `subjects[${i}].kind`, message: `Unsupported value: ${JSON.stringify(s.kind)}: supported values: "ServiceAccount", "User", "Group"` });
    }
    if (s.kind === 'ServiceAccount' && o.kind === 'ClusterRoleBinding' && !s.namespace) causes.push(required(`subjects[${i}].namespace`));
  });
  return causes;
}

const subjectsOf = (o: K8sObject, kind: string) =>
  ((o.subjects ?? []) as { kind?: string; name?: string; namespace?: string }[])
    .filter((s) => s.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? o.metadata?.namespace ?? ''}/${s.name}` : s.name))
    .join(', ');

const bindingColumns = [
  col('Role', (o) => `${at(o, 'roleRef.kind')}/${at(o, 'roleRef.name')}`),
  ageColumn,
  col('Users', (o) => subjectsOf(o, 'User'), { priority: 1 }),
  col('Groups', (o) => subjectsOf(o, 'Group'), { priority: 1 }),
  col('ServiceAccounts', (o) => subjectsOf(o, 'ServiceAccount'), { priority: 1 }),
];

// Roles print "Created At" instead of Age, as kube-apiserver does.
function withCreatedAt(def: ResourceDef): ResourceDef {
  return { ...def, printerColumns: [nameColumn, createdAtColumn] };
}

const role = withCreatedAt(builtin(RoleModel, { strategy: { validate: validateRules } }));
const clusterRole = withCreatedAt(builtin(ClusterRoleModel, { strategy: { validate: validateRules } }));
const roleBinding = builtin(RoleBindingModel, { columns: bindingColumns, strategy: { validate: validateBinding, immutable: ['roleRef'] } });
const clusterRoleBinding = builtin(ClusterRoleBindingModel, { columns: bindingColumns, strategy: { validate: validateBinding, immutable: ['roleRef'] } });

const review = (model: ResourceDef['model']): ResourceDef => ({ ...builtin(model, { verbs: ['create'] }), virtual: true });

export const rbacResources: ResourceDef[] = [
  role,
  clusterRole,
  roleBinding,
  clusterRoleBinding,
  review(SelfSubjectAccessReviewModel),
  review(SelfSubjectRulesReviewModel),
  review(SubjectAccessReviewModel),
  review(SelfSubjectReviewModel),
];
