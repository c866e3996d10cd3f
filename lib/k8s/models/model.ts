// What the console and the API server both need to know about a kind:
// where it lives in the API, what it is called, and how users abbreviate it.

export interface K8sModel {
  /** Kind, e.g. "PersistentVolumeClaim". */
  kind: string;
  /** API group; '' for the core group. */
  apiGroup: string;
  apiVersion: string;
  /** Lowercase plural used in URLs, e.g. "persistentvolumeclaims". */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Human label, singular and plural, as the console shows them. */
  label: string;
  labelPlural: string;
  /** Badge shown next to names, like the consoles do ("PVC", "VM"). */
  abbr: string;
  /** Kinds the API serves only as create-only review/request objects. */
  createOnly?: boolean;
}

export function defineModel(m: Omit<K8sModel, 'singular'> & { singular?: string }): K8sModel {
  return Object.freeze({ ...m, singular: m.singular ?? m.kind.toLowerCase() });
}

/** "group/version" or "version" for the core group: the apiVersion field value. */
export function groupVersion(m: Pick<K8sModel, 'apiGroup' | 'apiVersion'>): string {
  return m.apiGroup ? `${m.apiGroup}/${m.apiVersion}` : m.apiVersion;
}

/** A stable reference string "group~version~Kind" ("core" for the core group), as consoles use in URLs. */
export function modelRef(m: Pick<K8sModel, 'apiGroup' | 'apiVersion' | 'kind'>): string {
  return `${m.apiGroup || 'core'}~${m.apiVersion}~${m.kind}`;
}

export function parseModelRef(ref: string): { apiGroup: string; apiVersion: string; kind: string } | undefined {
  const parts = ref.split('~');
  if (parts.length !== 3 || parts.some((p) => !p)) return undefined;
  const [group, apiVersion, kind] = parts as [string, string, string];
  return { apiGroup: group === 'core' ? '' : group, apiVersion, kind };
}
