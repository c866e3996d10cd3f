// Serves what CustomResourceDefinitions define: registers their resources once
// their names are accepted, keeps their status, and on deletion removes every
// custom resource of the kind before letting the definition go.
import type { K8sObject } from '@/lib/k8s/types';
import { logger } from '../../log';
import type { CRD, Registry, ResourceDef } from '../registry';
import { resourcesFromCRD, storageKey } from '../registry';
import { timestamp } from '../rest/lifecycle';
import type { Store, StoreEvent } from '../store';

const log = logger('crd-controller');
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';
const CRD_PREFIX = '/registry/apiextensions.k8s.io/customresourcedefinitions/';

type Condition = NonNullable<NonNullable<CRD['status']>['conditions']>[number];

function condition(type: string, status: 'True' | 'False', reason: string, message: string, now: number): Condition {
  return { type, status, reason, message, lastTransitionTime: timestamp(now) };
}

export class CrdController {
  private handle?: { cancel(): void };
  private readonly cleaning = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly registry: Registry,
    private readonly now: () => number = Date.now,
  ) {}

  /** Register the CRDs already stored (synchronously, before the server answers) and follow changes. */
  start(): void {
    const page = this.store.list<CRD>(CRD_PREFIX);
    for (const it of page.items) void this.reconcile(it.object);
    this.handle = this.store.watch<CRD>(CRD_PREFIX, page.revision, (e) => this.onEvent(e), {
      onError: (err) => {
        log.warn('CRD watch ended; restarting', { error: err.message });
        this.handle = undefined;
        setTimeout(() => this.start(), 100).unref();
      },
    });
  }

  stop(): void {
    this.handle?.cancel();
  }

  private onEvent(e: StoreEvent<CRD>): void {
    if (e.type === 'DELETED') {
      this.registry.setCRDResources(e.object.metadata?.name ?? '', []);
      return;
    }
    void this.reconcile(e.object);
  }

  /** Names another resource already uses, or undefined when they are free. */
  private nameConflict(crd: CRD): string | undefined {
    const { group, names } = crd.spec;
    for (const def of this.registry.all()) {
      if (def.crdName === crd.metadata?.name || def.model.apiGroup !== group) continue;
      if (def.model.plural === names.plural) return `"${names.plural}" is already in use`;
      if (def.model.kind === names.kind) return `"${names.kind}" is already in use`;
      const shorts = new Set(names.shortNames ?? []);
      const clash = def.model.shortNames?.find((s) => shorts.has(s));
      if (clash) return `"${clash}" is already in use`;
    }
    return undefined;
  }

  private async reconcile(crd: CRD): Promise<void> {
    const name = crd.metadata?.name ?? '';
    if (crd.metadata?.deletionTimestamp) {
      await this.cleanup(crd);
      return;
    }
    const conflict = this.nameConflict(crd);
    const defs: ResourceDef[] = conflict ? [] : resourcesFromCRD(crd);
    this.registry.setCRDResources(name, defs);
    const now = this.now();
    const wanted: NonNullable<CRD['status']> = {
      acceptedNames: conflict ? crd.status?.acceptedNames ?? { plural: '', kind: '' } : crd.spec.names,
      storedVersions: [...new Set([...(crd.status?.storedVersions ?? []), ...crd.spec.versions.filter((v) => v.storage).map((v) => v.name)])],
      conditions: conflict
        ? [condition('NamesAccepted', 'False', 'NameConflict', conflict, now), condition('Established', 'False', 'NotAccepted', 'not all names are accepted', now)]
        : [condition('NamesAccepted', 'True', 'NoConflicts', 'no conflicts found', now), condition('Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted', now)],
    };
    const same = (a?: Condition[], b?: Condition[]) => JSON.stringify((a ?? []).map((c) => [c.type, c.status, c.reason])) === JSON.stringify((b ?? []).map((c) => [c.type, c.status, c.reason]));
    if (same(crd.status?.conditions, wanted.conditions) && JSON.stringify(crd.status?.acceptedNames) === JSON.stringify(wanted.acceptedNames) && JSON.stringify(crd.status?.storedVersions) === JSON.stringify(wanted.storedVersions)) return;
    try {
      await this.store.update<CRD>(CRD_PREFIX + name, (cur) => ({ ...cur.object, status: wanted }));
    } catch (e) {
      log.debug('CRD status update skipped', { crd: name, error: (e as Error).message });
    }
  }

  /** Delete every custom resource the CRD defines, then drop the cleanup finalizer. */
  private async cleanup(crd: CRD): Promise<void> {
    const name = crd.metadata?.name ?? '';
    if (this.cleaning.has(name)) return;
    this.cleaning.add(name);
    try {
      const defs = resourcesFromCRD(crd);
      const def = defs[0];
      if (def) {
        const prefix = storageKey(def, undefined);
        for (;;) {
          const page = this.store.list<K8sObject>(prefix, { limit: 500 });
          if (page.items.length === 0) break;
          for (const it of page.items) {
            try {
              await this.store.delete(it.key);
            } catch {
              /* already gone */
            }
          }
        }
      }
      this.registry.setCRDResources(name, []);
      await this.store.update<CRD>(CRD_PREFIX + name, (cur) => ({
        ...cur.object,
        metadata: { ...cur.object.metadata, finalizers: (cur.object.metadata?.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER) },
      }));
      const after = this.store.get<CRD>(CRD_PREFIX + name);
      if (after && !after.object.metadata?.finalizers?.length) await this.store.delete(CRD_PREFIX + name);
    } catch (e) {
      log.warn('CRD cleanup failed; will retry on the next change', { crd: name, error: (e as Error).message });
    } finally {
      this.cleaning.delete(name);
    }
  }
}
