// The built-in kinds Kura serves and the client-node model class each one's
// schema is read from.
import type { JSONSchemaProps } from '@/server/apiserver/registry/types';
import { schemaForClientNodeType } from './clientnode';

/** [group, version, kind, client-node class]. */
export const BUILTIN_KINDS: ReadonlyArray<readonly [string, string, string, string]> = [
  ['', 'v1', 'Namespace', 'V1Namespace'],
  ['', 'v1', 'Node', 'V1Node'],
  ['', 'v1', 'PersistentVolume', 'V1PersistentVolume'],
  ['', 'v1', 'PersistentVolumeClaim', 'V1PersistentVolumeClaim'],
  ['', 'v1', 'Event', 'CoreV1Event'],
  ['', 'v1', 'Secret', 'V1Secret'],
  ['', 'v1', 'ConfigMap', 'V1ConfigMap'],
  ['', 'v1', 'ServiceAccount', 'V1ServiceAccount'],
  ['', 'v1', 'ResourceQuota', 'V1ResourceQuota'],
  ['storage.k8s.io', 'v1', 'StorageClass', 'V1StorageClass'],
  ['storage.k8s.io', 'v1', 'CSIStorageCapacity', 'V1CSIStorageCapacity'],
  ['rbac.authorization.k8s.io', 'v1', 'Role', 'V1Role'],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'V1ClusterRole'],
  ['rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'V1RoleBinding'],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'V1ClusterRoleBinding'],
  ['authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', 'V1SelfSubjectAccessReview'],
  ['authorization.k8s.io', 'v1', 'SelfSubjectRulesReview', 'V1SelfSubjectRulesReview'],
  ['authorization.k8s.io', 'v1', 'SubjectAccessReview', 'V1SubjectAccessReview'],
  ['authentication.k8s.io', 'v1', 'SelfSubjectReview', 'V1SelfSubjectReview'],
  ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'V1CustomResourceDefinition'],
];

/** "group/version/Kind", or "v1/Kind" for the core group: the key of the schema maps. */
export function gvkKey(group: string, version: string, kind: string): string {
  return group ? `${group}/${version}/${kind}` : `${version}/${kind}`;
}

let builtins: ReadonlyMap<string, JSONSchemaProps> | undefined;

/** Schemas of the built-in kinds, keyed "v1/PersistentVolumeClaim", "storage.k8s.io/v1/StorageClass"… (built once). */
export function builtinSchemas(): ReadonlyMap<string, JSONSchemaProps> {
  if (!builtins) {
    const map = new Map<string, JSONSchemaProps>();
    for (const [group, version, kind, className] of BUILTIN_KINDS) {
      map.set(gvkKey(group, version, kind), schemaForClientNodeType(className));
    }
    builtins = map;
  }
  return builtins;
}
