// PatchMeta: which fields of a kind are merge lists and by what key — the
// plain-data form of the patchStrategy/patchMergeKey tags (strategic merge
// patch) and listType/listMapKey markers (server-side apply) on built-in types.

export type PatchStrategy = 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';

export interface PatchMeta {
  /** Metadata of named fields of this object. Fields not listed merge (maps) or are replaced whole (lists). */
  fields?: Record<string, PatchMeta>;
  /** Metadata of each element, when this field is a list. */
  items?: PatchMeta;
  /** Lists: the element field that identifies an element (patchMergeKey / listMapKey). */
  mergeKey?: string;
  /**
   * Lists: "merge" merges by mergeKey, or unions a list of scalars; anything
   * else (or nothing) replaces the whole list. Maps: "replace" replaces the map.
   */
  strategy?: PatchStrategy;
  /** Server-side apply: the full key of an associative list, when more than mergeKey (listMapKeys). */
  listMapKeys?: string[];
  /** Server-side apply: the object is one value (+structType=atomic), though strategic merge patch merges it. */
  mapType?: 'atomic';
}

/** Metadata of a named field, or undefined (keys such as "__proto__" are never looked up on the prototype). */
export function fieldMeta(meta: PatchMeta | undefined, field: string): PatchMeta | undefined {
  const fields = meta?.fields;
  return fields && Object.hasOwn(fields, field) ? fields[field] : undefined;
}

export function hasStrategy(meta: PatchMeta | undefined, strategy: 'merge' | 'replace' | 'retainKeys'): boolean {
  return meta?.strategy?.split(',').includes(strategy) ?? false;
}

// Short names that say what the upstream markers say.
const atomic: PatchMeta = {}; // listType=atomic: no patchStrategy, replaced whole
const set: PatchMeta = { strategy: 'merge' }; // patchStrategy=merge on []string, listType=set
const atomicStruct: PatchMeta = { mapType: 'atomic' }; // +structType=atomic (references, selectors)
const mapList = (mergeKey: string, items?: PatchMeta): PatchMeta => ({ strategy: 'merge', mergeKey, ...(items ? { items } : {}) });
const conditions = mapList('type');

/** metav1.ObjectMeta: the same on every kind, custom resources included. */
export const objectMetaPatchMeta: PatchMeta = {
  fields: {
    ownerReferences: mapList('uid', atomicStruct),
    finalizers: set,
    managedFields: atomic,
  },
};

const withMeta = (fields: Record<string, PatchMeta> = {}): PatchMeta => ({
  fields: { metadata: objectMetaPatchMeta, ...fields },
});
const spec = (fields: Record<string, PatchMeta>): PatchMeta => ({ fields });
const status = spec;

/**
 * Patch metadata of the built-in kinds Kura serves, keyed "group/version/Kind"
 * (the core group is "", so "/v1/PersistentVolumeClaim").
 */
export const builtinPatchMeta: Record<string, PatchMeta> = {
  '/v1/Namespace': withMeta({
    spec: spec({ finalizers: atomic }),
    status: status({ conditions }),
  }),
  '/v1/Node': withMeta({
    spec: spec({ podCIDRs: set, taints: atomic }),
    status: status({
      conditions,
      addresses: mapList('type'),
      images: atomic,
      volumesInUse: atomic,
      volumesAttached: atomic,
    }),
  }),
  '/v1/PersistentVolume': withMeta({
    spec: spec({ accessModes: atomic, mountOptions: atomic, claimRef: atomicStruct }),
    // Upstream PersistentVolumeStatus has no conditions; listed so Kura's own merge by type if it writes any.
    status: status({ conditions }),
  }),
  '/v1/PersistentVolumeClaim': withMeta({
    spec: spec({ accessModes: atomic, selector: atomicStruct, dataSource: atomicStruct }),
    status: status({ conditions, accessModes: atomic }),
  }),
  '/v1/Event': withMeta({ involvedObject: atomicStruct, related: atomicStruct }),
  '/v1/Secret': withMeta(),
  '/v1/ConfigMap': withMeta(),
  '/v1/ServiceAccount': withMeta({ secrets: mapList('name', atomicStruct), imagePullSecrets: atomic }),
  '/v1/ResourceQuota': withMeta({
    spec: spec({ scopes: atomic, scopeSelector: spec({ matchExpressions: atomic }) }),
  }),
  'rbac.authorization.k8s.io/v1/Role': withMeta({ rules: atomic }),
  'rbac.authorization.k8s.io/v1/ClusterRole': withMeta({
    rules: atomic,
    aggregationRule: spec({ clusterRoleSelectors: atomic }),
  }),
  'rbac.authorization.k8s.io/v1/RoleBinding': withMeta({ subjects: atomic, roleRef: atomicStruct }),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': withMeta({ subjects: atomic, roleRef: atomicStruct }),
  'storage.k8s.io/v1/StorageClass': withMeta({ mountOptions: atomic, allowedTopologies: atomic }),
  'storage.k8s.io/v1/CSIStorageCapacity': withMeta({ nodeTopology: atomicStruct }),
};

/** The key of builtinPatchMeta for an apiVersion ("v1", "storage.k8s.io/v1") and kind. */
export function patchMetaKey(apiVersion: string, kind: string): string {
  return apiVersion.includes('/') ? `${apiVersion}/${kind}` : `/${apiVersion}/${kind}`;
}

/**
 * The patch metadata to use for an object: the built-in entry, or just
 * ObjectMeta's for other kinds (custom resources), whose lists are atomic.
 */
export function patchMetaFor(apiVersion: string, kind: string): PatchMeta {
  const key = patchMetaKey(apiVersion, kind);
  return (Object.hasOwn(builtinPatchMeta, key) ? builtinPatchMeta[key] : undefined) ?? withMeta();
}
