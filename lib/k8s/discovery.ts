// API discovery, read the way kubectl reads it: the /api, /api/<v>, /apis and
// /apis/<group>/<version> documents become one model per served kind (custom
// resources included), so the console can open any kind the cluster serves.
import { findModel, type K8sModel } from './models';

/** One entry of an APIResourceList (a kind, or a subresource when `name` has a slash). */
export interface APIResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

export interface APIResourceList {
  groupVersion: string;
  resources: APIResource[];
}

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface APIGroup {
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion?: GroupVersionForDiscovery;
}

export interface APIGroupList {
  groups: APIGroup[];
}

/** The /api document: the versions of the core group. */
export interface APIVersions {
  versions: string[];
}

/** A served kind: its model, plus what discovery says about verbs, subresources and versions. */
export interface DiscoveredModel extends K8sModel {
  verbs: string[];
  /** Subresource names, e.g. ["status", "scale"]. */
  subresources: string[];
  /** True when this version is the group's preferred version. */
  preferred: boolean;
}

/** What the whole discovery produced, and the group versions that could not be read. */
export interface Discovery {
  models: DiscoveredModel[];
  failed: { groupVersion: string; message: string }[];
}

/** One group version to read: its path and whether it is the preferred version of its group. */
export interface GroupVersionRef {
  apiGroup: string;
  apiVersion: string;
  path: string;
  preferred: boolean;
}

/** Query key of the discovery cache (under the k8s prefix: invalidating everything rediscovers too). */
export const discoveryKey = ['k8s', 'discovery'] as const;

/** "group/version" (or "v1") back to group and version; the core group is ''. */
export function parseGroupVersion(gv: string): { apiGroup: string; apiVersion: string } {
  const slash = gv.indexOf('/');
  return slash < 0 ? { apiGroup: '', apiVersion: gv } : { apiGroup: gv.slice(0, slash), apiVersion: gv.slice(slash + 1) };
}

/** Every group version to read, core first, in the order the server listed them. */
export function groupVersionsToRead(core: APIVersions, groups: APIGroupList): GroupVersionRef[] {
  const out: GroupVersionRef[] = core.versions.map((v, i) => ({ apiGroup: '', apiVersion: v, path: `/api/${v}`, preferred: i === 0 }));
  for (const g of groups.groups) {
    const preferred = g.preferredVersion?.version ?? g.versions[0]?.version;
    for (const v of g.versions) {
      out.push({ apiGroup: g.name, apiVersion: v.version, path: `/apis/${g.name}/${v.version}`, preferred: v.version === preferred });
    }
  }
  return out;
}

/** "Widget" → "Widgets", "Policy" → "Policies", "StorageClass" → "StorageClasses". */
export function pluralLabel(kind: string): string {
  if (/[^aeiou]y$/i.test(kind)) return `${kind.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(kind)) return `${kind}es`;
  return `${kind}s`;
}

/** The badge consoles show for a kind: its capitals ("VirtualMachine" → "VM"), at most four. */
export function kindAbbr(kind: string): string {
  const caps = kind.replace(/[^A-Z]/g, '');
  return (caps || kind.slice(0, 1).toUpperCase()).slice(0, 4);
}

/** The models of one APIResourceList; labels come from Kura's own model of the kind when it has one. */
export function modelsFromResourceList(list: APIResourceList, preferred: boolean): DiscoveredModel[] {
  const { apiGroup, apiVersion } = parseGroupVersion(list.groupVersion);
  const subresources = new Map<string, string[]>();
  for (const r of list.resources) {
    const slash = r.name.indexOf('/');
    if (slash < 0) continue;
    const parent = r.name.slice(0, slash);
    subresources.set(parent, [...(subresources.get(parent) ?? []), r.name.slice(slash + 1)]);
  }
  return list.resources
    .filter((r) => !r.name.includes('/'))
    .map((r) => {
      const known = findModel(apiGroup, r.kind);
      const m: DiscoveredModel = {
        kind: r.kind,
        apiGroup,
        apiVersion,
        plural: r.name,
        singular: r.singularName || r.kind.toLowerCase(),
        namespaced: r.namespaced,
        label: known?.label ?? r.kind,
        labelPlural: known?.labelPlural ?? pluralLabel(r.kind),
        abbr: known?.abbr ?? kindAbbr(r.kind),
        verbs: r.verbs,
        subresources: subresources.get(r.name) ?? [],
        preferred,
      };
      if (r.shortNames?.length) m.shortNames = r.shortNames;
      if (r.categories?.length) m.categories = r.categories;
      // Kinds that cannot be read back (reviews, token requests) are create-only, as Kura's own models say.
      if (known?.createOnly || (r.verbs.includes('create') && !r.verbs.includes('get') && !r.verbs.includes('list'))) m.createOnly = true;
      return Object.freeze(m);
    });
}

/**
 * Put the discovery together from the group versions read: each entry is the
 * APIResourceList or the error met reading it (a broken aggregated API must
 * not hide the rest of the cluster).
 */
export function buildDiscovery(read: { ref: GroupVersionRef; list?: APIResourceList; error?: string }[]): Discovery {
  const models: DiscoveredModel[] = [];
  const failed: Discovery['failed'] = [];
  for (const { ref, list, error } of read) {
    const gv = ref.apiGroup ? `${ref.apiGroup}/${ref.apiVersion}` : ref.apiVersion;
    if (!list) failed.push({ groupVersion: gv, message: error ?? 'no answer' });
    else models.push(...modelsFromResourceList({ ...list, groupVersion: list.groupVersion || gv }, ref.preferred));
  }
  return { models, failed };
}

/** The served model of exactly this group, version and kind. */
export function findServedModel(models: readonly DiscoveredModel[], gvk: { apiGroup: string; apiVersion: string; kind: string }): DiscoveredModel | undefined {
  return models.find((m) => m.apiGroup === gvk.apiGroup && m.apiVersion === gvk.apiVersion && m.kind === gvk.kind);
}

/** The served model of a kind in its group's preferred version (or any version when the preferred one lacks it). */
export function findPreferredModel(models: readonly DiscoveredModel[], apiGroup: string, kind: string): DiscoveredModel | undefined {
  const all = models.filter((m) => m.apiGroup === apiGroup && m.kind === kind);
  return all.find((m) => m.preferred) ?? all[0];
}

/** The model for an object's apiVersion and kind, as written in a manifest. */
export function modelForManifest(models: readonly DiscoveredModel[], apiVersion: string, kind: string): DiscoveredModel | undefined {
  return findServedModel(models, { ...parseGroupVersion(apiVersion), kind });
}

/** Whether discovery says the kind supports a verb; models not from discovery are assumed to. */
export function supportsVerb(model: K8sModel, verb: string): boolean {
  const verbs = (model as Partial<DiscoveredModel>).verbs;
  return !verbs || verbs.includes(verb);
}
