// RBAC objects (rbac.authorization.k8s.io/v1) as plain data: types, a reader for stored JSON, and their validation.
import { z } from 'zod';
import type { LabelSelector } from '@/lib/k8s/labels';
import type { K8sObject, ObjectMeta, StatusCause } from '@/lib/k8s/types';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const RBAC_API_VERSION = `${RBAC_GROUP}/v1`;

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

export interface Subject {
  kind: SubjectKind;
  /** rbac.authorization.k8s.io for User and Group, "" for ServiceAccount. */
  apiGroup?: string;
  name: string;
  /** ServiceAccount only; in a RoleBinding it defaults to the binding's namespace. */
  namespace?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: 'Role' | 'ClusterRole';
  name: string;
}

export interface Role extends K8sObject {
  apiVersion: typeof RBAC_API_VERSION;
  kind: 'Role';
  metadata: ObjectMeta & { name: string; namespace: string };
  rules?: PolicyRule[];
}

export interface ClusterRole extends K8sObject {
  apiVersion: typeof RBAC_API_VERSION;
  kind: 'ClusterRole';
  metadata: ObjectMeta & { name: string };
  rules?: PolicyRule[];
  /** Accepted and stored, but Kura does not aggregate: rules are what the object says. */
  aggregationRule?: { clusterRoleSelectors?: LabelSelector[] };
}

export interface RoleBinding extends K8sObject {
  apiVersion: typeof RBAC_API_VERSION;
  kind: 'RoleBinding';
  metadata: ObjectMeta & { name: string; namespace: string };
  subjects?: Subject[];
  roleRef: RoleRef;
}

export interface ClusterRoleBinding extends K8sObject {
  apiVersion: typeof RBAC_API_VERSION;
  kind: 'ClusterRoleBinding';
  metadata: ObjectMeta & { name: string };
  subjects?: Subject[];
  roleRef: RoleRef;
}

export type RbacObject = Role | ClusterRole | RoleBinding | ClusterRoleBinding;
export type RbacKind = RbacObject['kind'];
export const RBAC_KINDS: readonly RbacKind[] = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];

export function isRbacKind(kind: unknown): kind is RbacKind {
  return typeof kind === 'string' && (RBAC_KINDS as readonly string[]).includes(kind);
}

// Shapes only; what the values mean is checked by validateRbacObject. Go's JSON
// encoder writes empty lists as null, so null is accepted wherever a list is.
const stringList = z.array(z.string()).nullish();
const ruleShape = z.object({ verbs: stringList, apiGroups: stringList, resources: stringList, resourceNames: stringList, nonResourceURLs: stringList });
const subjectShape = z.object({ kind: z.string(), apiGroup: z.string().nullish(), name: z.string(), namespace: z.string().nullish() });
const roleRefShape = z.object({ apiGroup: z.string().nullish(), kind: z.string(), name: z.string() });
const metadataShape = z.looseObject({ name: z.string().min(1), namespace: z.string().nullish() });
const roleShape = z.looseObject({
  metadata: metadataShape,
  rules: z.array(ruleShape).nullish(),
  aggregationRule: z.looseObject({ clusterRoleSelectors: z.array(z.looseObject({})).nullish() }).nullish(),
});
const bindingShape = z.looseObject({ metadata: metadataShape, subjects: z.array(subjectShape).nullish(), roleRef: roleRefShape });

function nonEmpty(list: readonly string[] | null | undefined): string[] | undefined {
  return list && list.length ? [...list] : undefined;
}

function toRule(r: z.infer<typeof ruleShape>): PolicyRule {
  const rule: PolicyRule = { verbs: [...(r.verbs ?? [])] };
  const apiGroups = nonEmpty(r.apiGroups);
  const resources = nonEmpty(r.resources);
  const resourceNames = nonEmpty(r.resourceNames);
  const nonResourceURLs = nonEmpty(r.nonResourceURLs);
  if (apiGroups) rule.apiGroups = apiGroups;
  if (resources) rule.resources = resources;
  if (resourceNames) rule.resourceNames = resourceNames;
  if (nonResourceURLs) rule.nonResourceURLs = nonResourceURLs;
  return rule;
}

function toSubject(s: z.infer<typeof subjectShape>): Subject {
  const subject: Subject = { kind: s.kind as SubjectKind, name: s.name };
  if (s.apiGroup != null) subject.apiGroup = s.apiGroup;
  if (s.namespace) subject.namespace = s.namespace;
  return subject;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

export type ParseResult = { ok: true; value: RbacObject } | { ok: false; error: string };

/**
 * The RBAC object in `obj` with only the fields authorization uses, lists normalised (null → absent).
 * Fails for other kinds, missing names, namespaced kinds without a namespace, and wrong JSON types.
 */
export function parseRbacObject(obj: unknown): ParseResult {
  const kind = (obj as { kind?: unknown } | null)?.kind;
  if (!isRbacKind(kind)) return { ok: false, error: `not an RBAC object: kind ${JSON.stringify(kind)}` };
  const isRole = kind === 'Role' || kind === 'ClusterRole';
  const parsed = (isRole ? roleShape : bindingShape).safeParse(obj);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `invalid ${kind}${issue ? ` at ${fieldPath(issue.path)}: ${issue.message}` : ''}` };
  }
  const { name, namespace } = parsed.data.metadata;
  const apiVersion = RBAC_API_VERSION;
  if ((kind === 'Role' || kind === 'RoleBinding') && !namespace) {
    return { ok: false, error: `invalid ${kind} "${name}": metadata.namespace is required` };
  }
  const ns = namespace ?? '';
  if (isRole) {
    const data = parsed.data as z.infer<typeof roleShape>;
    const rules = (data.rules ?? []).map(toRule);
    if (kind === 'Role') return { ok: true, value: { apiVersion, kind, metadata: { name, namespace: ns }, rules } };
    const value: ClusterRole = { apiVersion, kind: 'ClusterRole', metadata: { name }, rules };
    if (data.aggregationRule) value.aggregationRule = data.aggregationRule as ClusterRole['aggregationRule'];
    return { ok: true, value };
  }
  const data = parsed.data as z.infer<typeof bindingShape>;
  const subjects = (data.subjects ?? []).map(toSubject);
  const roleRef: RoleRef = { apiGroup: data.roleRef.apiGroup ?? '', kind: data.roleRef.kind as RoleRef['kind'], name: data.roleRef.name };
  if (kind === 'RoleBinding') return { ok: true, value: { apiVersion, kind, metadata: { name, namespace: ns }, subjects, roleRef } };
  return { ok: true, value: { apiVersion, kind: 'ClusterRoleBinding', metadata: { name }, subjects, roleRef } };
}

const required = (field: string, detail: string): StatusCause => ({ reason: 'FieldValueRequired', field, message: `Required value${detail ? `: ${detail}` : ''}` });
const invalid = (field: string, value: unknown, detail: string): StatusCause => ({ reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${detail}` });
const notSupported = (field: string, value: string, supported: string[]): StatusCause => ({
  reason: 'FieldValueNotSupported',
  field,
  message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});

function validateRule(rule: PolicyRule, namespaced: boolean, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!rule.verbs.length) causes.push(required(`${field}.verbs`, 'verbs must contain at least one value'));
  if (rule.nonResourceURLs) {
    if (namespaced) causes.push(invalid(`${field}.nonResourceURLs`, rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
    if (rule.apiGroups || rule.resources || rule.resourceNames) {
      causes.push(invalid(`${field}.nonResourceURLs`, rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return causes;
  }
  if (!rule.apiGroups) causes.push(required(`${field}.apiGroups`, 'resource rules must supply at least one api group'));
  if (!rule.resources) causes.push(required(`${field}.resources`, 'resource rules must supply at least one resource'));
  return causes;
}

function validateSubject(s: Subject, namespaced: boolean, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!s.name) causes.push(required(`${field}.name`, ''));
  switch (s.kind) {
    case 'ServiceAccount':
      if (s.apiGroup) causes.push(notSupported(`${field}.apiGroup`, s.apiGroup, ['']));
      // A ClusterRoleBinding has no namespace to lend its ServiceAccount subjects.
      if (!namespaced && !s.namespace) causes.push(required(`${field}.namespace`, ''));
      break;
    case 'User':
    case 'Group':
      if (s.apiGroup !== RBAC_GROUP) causes.push(notSupported(`${field}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      causes.push(notSupported(`${field}.kind`, s.kind, ['ServiceAccount', 'User', 'Group']));
  }
  return causes;
}

/**
 * Field errors of a Role, ClusterRole, RoleBinding or ClusterRoleBinding as kube-apiserver reports
 * them (422 Invalid causes); empty when valid. With `old` (an update) a binding's roleRef may not change.
 * Shaped like the registry's Strategy.validate.
 */
export function validateRbacObject(obj: K8sObject, ctx: { old?: K8sObject } = {}): StatusCause[] {
  const parsed = parseRbacObject(obj);
  if (!parsed.ok) {
    const kind = (obj as { kind?: unknown }).kind;
    const shape = kind === 'Role' || kind === 'ClusterRole' ? roleShape : bindingShape;
    const issues = isRbacKind(kind) ? (shape.safeParse(obj).error?.issues ?? []) : [];
    if (!issues.length) return [{ reason: 'FieldValueInvalid', field: isRbacKind(kind) ? 'metadata.namespace' : 'kind', message: parsed.error }];
    return issues.map((i) => ({ reason: 'FieldValueInvalid', field: fieldPath(i.path), message: `Invalid value: ${i.message}` }));
  }
  const value = parsed.value;
  const causes: StatusCause[] = [];
  if (value.kind === 'Role' || value.kind === 'ClusterRole') {
    (value.rules ?? []).forEach((r, i) => causes.push(...validateRule(r, value.kind === 'Role', `rules[${i}]`)));
    return causes;
  }
  const namespaced = value.kind === 'RoleBinding';
  const { roleRef } = value;
  if (roleRef.apiGroup !== RBAC_GROUP) causes.push(notSupported('roleRef.apiGroup', roleRef.apiGroup, [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(roleRef.kind)) causes.push(notSupported('roleRef.kind', roleRef.kind, kinds));
  if (!roleRef.name) causes.push(required('roleRef.name', ''));
  (value.subjects ?? []).forEach((s, i) => causes.push(...validateSubject(s, namespaced, `subjects[${i}]`)));
  if (ctx.old) {
    const old = parseRbacObject(ctx.old);
    if (old.ok && 'roleRef' in old.value && JSON.stringify(old.value.roleRef) !== JSON.stringify(roleRef)) {
      causes.push(invalid('roleRef', roleRef, 'cannot change roleRef'));
    }
  }
  return causes;
}
