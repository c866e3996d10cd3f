// Discovery documents (/api, /apis, /api/v1, /apis/<group>/<version>) in the
// legacy shapes kubectl and client libraries fall back to.
import type { Registry, ResourceDef } from './registry';

export interface ApiResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  group?: string;
  version?: string;
}

function resourceEntries(def: ResourceDef): ApiResource[] {
  const base: ApiResource = {
    name: def.model.plural,
    singularName: def.model.singular,
    namespaced: def.model.namespaced,
    kind: def.model.kind,
    verbs: [...def.verbs].sort(),
  };
  if (def.model.shortNames?.length) base.shortNames = def.model.shortNames;
  if (def.model.categories?.length) base.categories = def.model.categories;
  const out = [base];
  for (const sub of def.subresources) {
    const verbs = sub === 'finalize' ? ['update'] : ['get', 'patch', 'update'];
    out.push({ name: `${def.model.plural}/${sub}`, singularName: '', namespaced: def.model.namespaced, kind: def.model.kind, verbs });
  }
  return out;
}

export function apiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupEntry(name: string, versions: string[]) {
  const list = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: list, preferredVersion: list[0]! };
}

export function apiGroupList(registry: Registry) {
  const groups = [...registry.groups()]
    .filter(([g]) => g !== '')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([g, vs]) => groupEntry(g, vs));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroup(registry: Registry, group: string) {
  const versions = registry.groups().get(group);
  if (!versions || group === '') return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group, versions) };
}

export function apiResourceList(registry: Registry, group: string, version: string) {
  const defs = registry.resourcesIn(group, version);
  if (defs.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: defs.flatMap(resourceEntries),
  };
}
