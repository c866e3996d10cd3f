// Builders for RBAC objects and authorization questions in tests.
import type { Attributes } from './attributes';
import type { UserInfo } from './identity';
import { type ClusterRole, type ClusterRoleBinding, type PolicyRule, RBAC_API_VERSION, RBAC_GROUP, type Role, type RoleBinding, type Subject } from './policy';

export const userSubject = (name: string): Subject => ({ kind: 'User', apiGroup: RBAC_GROUP, name });
export const groupSubject = (name: string): Subject => ({ kind: 'Group', apiGroup: RBAC_GROUP, name });
export const saSubject = (name: string, namespace?: string): Subject => ({ kind: 'ServiceAccount', name, ...(namespace ? { namespace } : {}) });

export function clusterRole(name: string, rules: PolicyRule[]): ClusterRole {
  return { apiVersion: RBAC_API_VERSION, kind: 'ClusterRole', metadata: { name }, rules };
}

export function role(namespace: string, name: string, rules: PolicyRule[]): Role {
  return { apiVersion: RBAC_API_VERSION, kind: 'Role', metadata: { name, namespace }, rules };
}

export function clusterRoleBinding(name: string, roleName: string, subjects: Subject[], roleKind: 'Role' | 'ClusterRole' = 'ClusterRole'): ClusterRoleBinding {
  return { apiVersion: RBAC_API_VERSION, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: RBAC_GROUP, kind: roleKind, name: roleName }, subjects };
}

export function roleBinding(namespace: string, name: string, roleRef: { kind: 'Role' | 'ClusterRole'; name: string }, subjects: Subject[]): RoleBinding {
  return { apiVersion: RBAC_API_VERSION, kind: 'RoleBinding', metadata: { name, namespace }, roleRef: { apiGroup: RBAC_GROUP, ...roleRef }, subjects };
}

/** An authenticated user (system:authenticated added, as the authenticator does). */
export const person = (username: string, ...groups: string[]): UserInfo => ({ username, groups: [...groups, 'system:authenticated'] });

/** A resource request: `can(user, 'get', 'persistentvolumeclaims', { namespace: 'a' })`; "group/resource" for non-core groups. */
export function can(user: UserInfo, verb: string, groupResource: string, extra: Partial<Attributes> = {}): Attributes {
  const slash = groupResource.lastIndexOf('/');
  const apiGroup = slash < 0 ? '' : groupResource.slice(0, slash);
  const resource = slash < 0 ? groupResource : groupResource.slice(slash + 1);
  return { user, verb, resourceRequest: true, apiGroup, resource, ...extra };
}

export function canPath(user: UserInfo, verb: string, path: string): Attributes {
  return { user, verb, resourceRequest: false, path };
}
