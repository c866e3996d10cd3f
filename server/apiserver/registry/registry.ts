// The live set of served resources: built-ins plus whatever CRDs define.
// Handlers, discovery and OpenAPI all read from here.
import type { ResourceDef } from './types';
import { compareKubeVersions } from './versions';

const gvrKey = (group: string, version: string, plural: string) => `${group}/${version}/${plural}`;

export class Registry {
  private readonly byGVR = new Map<string, ResourceDef>();
  private readonly listeners = new Set<() => void>();
  private generation = 0;

  constructor(defs: ResourceDef[] = []) {
    for (const d of defs) this.byGVR.set(gvrKey(d.model.apiGroup, d.model.apiVersion, d.model.plural), d);
  }

  /** Replace every resource a CRD serves with `defs` (empty to remove them). */
  setCRDResources(crdName: string, defs: ResourceDef[]): void {
    for (const [k, d] of this.byGVR) if (d.crdName === crdName) this.byGVR.delete(k);
    for (const d of defs) {
      const key = gvrKey(d.model.apiGroup, d.model.apiVersion, d.model.plural);
      const existing = this.byGVR.get(key);
      // A CRD can never shadow a built-in resource.
      if (existing && existing.builtin) continue;
      this.byGVR.set(key, d);
    }
    this.changed();
  }

  /** Add resources served by the server itself (subresource groups and the like). */
  addBuiltin(defs: ResourceDef[]): void {
    for (const d of defs) this.byGVR.set(gvrKey(d.model.apiGroup, d.model.apiVersion, d.model.plural), d);
    this.changed();
  }

  lookup(group: string, version: string, plural: string): ResourceDef | undefined {
    return this.byGVR.get(gvrKey(group, version, plural));
  }

  /** The preferred-version definition of a kind in a group. */
  forKind(group: string, kind: string): ResourceDef | undefined {
    const defs = this.all().filter((d) => d.model.apiGroup === group && d.model.kind === kind);
    return defs.sort((a, b) => compareKubeVersions(a.model.apiVersion, b.model.apiVersion))[0];
  }

  /** The preferred-version definition of a plural resource in a group. */
  forResource(group: string, plural: string): ResourceDef | undefined {
    const defs = this.all().filter((d) => d.model.apiGroup === group && d.model.plural === plural);
    return defs.sort((a, b) => compareKubeVersions(a.model.apiVersion, b.model.apiVersion))[0];
  }

  all(): ResourceDef[] {
    return [...this.byGVR.values()];
  }

  /** group → versions (preferred first). The core group is ''. */
  groups(): Map<string, string[]> {
    const out = new Map<string, Set<string>>();
    for (const d of this.byGVR.values()) {
      const set = out.get(d.model.apiGroup) ?? new Set<string>();
      set.add(d.model.apiVersion);
      out.set(d.model.apiGroup, set);
    }
    return new Map([...out].map(([g, vs]) => [g, [...vs].sort(compareKubeVersions)]));
  }

  resourcesIn(group: string, version: string): ResourceDef[] {
    return this.all()
      .filter((d) => d.model.apiGroup === group && d.model.apiVersion === version)
      .sort((a, b) => a.model.plural.localeCompare(b.model.plural));
  }

  /** Bumped on every change: caches of discovery and OpenAPI key on it. */
  get version(): number {
    return this.generation;
  }

  onChange(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private changed(): void {
    this.generation++;
    for (const l of this.listeners) l();
  }
}
