// Namespace deletion: once a namespace is terminating, delete everything in
// it, wait until it is empty, then release the "kubernetes" spec finalizer so
// the namespace itself goes away. Also keeps the namespaces a cluster starts with.
import crypto from 'node:crypto';
import { logger } from '../../log';
import type { Registry, ResourceDef } from '../registry';
import { storageKey } from '../registry';
import { deleteOne } from '../rest/delete';
import { timestamp, type Obj } from '../rest/lifecycle';
import type { ApiDeps } from '../rest/scope';
import { isStoreError } from '../store';
import { mutateStored } from './finalizers';

const log = logger('namespace-controller');
const NS_PREFIX = '/registry/core/namespaces/';
export const INITIAL_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** One definition per namespaced resource (all versions of a CRD share storage). */
function namespacedResources(registry: Registry): ResourceDef[] {
  const seen = new Set<string>();
  const out: ResourceDef[] = [];
  for (const d of registry.all()) {
    if (!d.model.namespaced || d.virtual) continue;
    const k = `${d.model.apiGroup}/${d.model.plural}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(registry.forResource(d.model.apiGroup, d.model.plural) ?? d);
  }
  return out;
}

export class NamespaceController {
  private timer?: NodeJS.Timeout;
  private handle?: { cancel(): void };
  private busy = false;

  constructor(private readonly deps: ApiDeps) {}

  /** Create the namespaces every cluster has, if missing. */
  async ensureInitialNamespaces(): Promise<void> {
    for (const name of INITIAL_NAMESPACES) {
      if (this.deps.store.get(NS_PREFIX + name)) continue;
      try {
        await this.deps.store.create(NS_PREFIX + name, {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name, uid: crypto.randomUUID(), creationTimestamp: timestamp(this.deps.now()), labels: { 'kubernetes.io/metadata.name': name } },
          spec: { finalizers: ['kubernetes'] },
          status: { phase: 'Active' },
        });
      } catch (e) {
        if (!(isStoreError(e) && e.code === 'AlreadyExists')) throw e;
      }
    }
  }

  start(): void {
    this.handle = this.deps.store.watch<Obj>(NS_PREFIX, this.deps.store.revision, (e) => {
      if (e.type !== 'DELETED' && e.object.metadata?.deletionTimestamp) this.kick();
    });
    this.kick();
  }

  stop(): void {
    this.handle?.cancel();
    if (this.timer) clearTimeout(this.timer);
  }

  private kick(delay = 0): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sweep();
    }, delay);
    this.timer.unref();
  }

  private async sweep(): Promise<void> {
    if (this.busy) return this.kick(200);
    this.busy = true;
    let pending = false;
    try {
      const terminating = this.deps.store.list<Obj>(NS_PREFIX).items.filter((i) => i.object.metadata?.deletionTimestamp);
      for (const ns of terminating) {
        const name = ns.object.metadata!.name!;
        if (!(await this.empty(name))) pending = true;
      }
    } catch (e) {
      log.warn('namespace cleanup failed; retrying', { error: (e as Error).message });
      pending = true;
    } finally {
      this.busy = false;
    }
    // Objects with finalizers leave when their controllers let them; look again shortly.
    if (pending) this.kick(500);
  }

  /** Delete the namespace's content; true once nothing is left and the namespace was released. */
  private async empty(namespace: string): Promise<boolean> {
    let remaining = 0;
    const kinds = new Set<string>();
    for (const def of namespacedResources(this.deps.registry)) {
      const items = this.deps.store.list<Obj>(storageKey(def, namespace)).items;
      for (const it of items) {
        remaining++;
        kinds.add(def.model.plural);
        if (it.object.metadata?.deletionTimestamp) continue;
        await deleteOne(this.deps, def, namespace, it.object.metadata!.name!, { propagationPolicy: 'Background' }).catch((e: { code?: number }) => {
          if (e.code !== 404) throw e;
        });
      }
    }
    const now = timestamp(this.deps.now());
    await mutateStored(this.deps.store, NS_PREFIX + namespace, (o) => {
      const spec = (o.spec ?? {}) as { finalizers?: string[] };
      if (remaining === 0) {
        if (!(spec.finalizers ?? []).includes('kubernetes')) return undefined;
        o.spec = { ...spec, finalizers: (spec.finalizers ?? []).filter((f) => f !== 'kubernetes') };
        return o;
      }
      const message = `Some resources are remaining: ${[...kinds].sort().join(', ')}`;
      const status = (o.status ?? {}) as { conditions?: { type: string; message?: string }[] };
      const existing = status.conditions?.find((c) => c.type === 'NamespaceContentRemaining');
      if (existing?.message === message) return undefined;
      o.status = {
        ...status,
        phase: 'Terminating',
        conditions: [
          ...(status.conditions ?? []).filter((c) => c.type !== 'NamespaceContentRemaining'),
          { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message, lastTransitionTime: now },
        ],
      };
      return o;
    });
    return remaining === 0;
  }
}
