// Garbage collection by ownerReferences, as kube-controller-manager does it:
// dependents of a deleted owner are deleted (Background), deleted first
// (Foreground: the owner waits for blocking dependents), or kept with the
// reference removed (Orphan).
import type { OwnerReference } from '@/lib/k8s/types';
import { logger } from '../../log';
import { deleteOne } from '../rest/delete';
import type { Obj } from '../rest/lifecycle';
import type { ApiDeps } from '../rest/scope';
import type { StoreEvent } from '../store';
import { mutateStored, withoutFinalizer, withoutOwner } from './finalizers';
import { defForKey } from './keys';

const log = logger('garbage-collector');

interface Node {
  uid: string;
  owners: OwnerReference[];
  deleting: boolean;
  finalizers: string[];
}

export class GarbageCollector {
  private readonly byKey = new Map<string, Node>();
  private readonly uidToKey = new Map<string, string>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly queue = new Map<string, 'owners' | 'owner'>();
  private running = false;
  private handle?: { cancel(): void };

  constructor(private readonly deps: ApiDeps) {}

  start(): void {
    const page = this.deps.store.list<Obj>('/registry/');
    for (const it of page.items) this.track(it.key, it.object);
    for (const [key, node] of this.byKey) {
      if (node.owners.length) this.enqueue(key, 'owners');
      if (node.deleting) this.enqueue(key, 'owner');
    }
    this.handle = this.deps.store.watch<Obj>('/registry/', page.revision, (e) => this.onEvent(e), {
      onError: (err) => {
        log.warn('watch ended; resyncing', { error: err.message });
        this.byKey.clear();
        this.uidToKey.clear();
        this.dependents.clear();
        setTimeout(() => this.start(), 100).unref();
      },
    });
  }

  stop(): void {
    this.handle?.cancel();
  }

  private track(key: string, obj: Obj): void {
    this.untrack(key);
    const meta = obj.metadata ?? {};
    if (!meta.uid) return;
    const node: Node = { uid: meta.uid, owners: meta.ownerReferences ?? [], deleting: Boolean(meta.deletionTimestamp), finalizers: meta.finalizers ?? [] };
    this.byKey.set(key, node);
    this.uidToKey.set(node.uid, key);
    for (const o of node.owners) {
      const set = this.dependents.get(o.uid) ?? new Set<string>();
      set.add(key);
      this.dependents.set(o.uid, set);
    }
  }

  private untrack(key: string): Node | undefined {
    const old = this.byKey.get(key);
    if (!old) return undefined;
    this.byKey.delete(key);
    if (this.uidToKey.get(old.uid) === key) this.uidToKey.delete(old.uid);
    for (const o of old.owners) {
      const set = this.dependents.get(o.uid);
      set?.delete(key);
      if (set && set.size === 0) this.dependents.delete(o.uid);
    }
    return old;
  }

  private onEvent(e: StoreEvent<Obj>): void {
    if (e.type === 'DELETED') {
      const old = this.untrack(e.key);
      if (!old) return;
      for (const dep of this.dependents.get(old.uid) ?? []) this.enqueue(dep, 'owners');
      // An owner waiting in the foreground may now be free.
      for (const o of old.owners) {
        const ownerKey = this.uidToKey.get(o.uid);
        if (ownerKey) this.enqueue(ownerKey, 'owner');
      }
      return;
    }
    this.track(e.key, e.object);
    const node = this.byKey.get(e.key);
    if (!node) return;
    if (e.type === 'ADDED' && node.owners.length) this.enqueue(e.key, 'owners');
    if (node.deleting && (node.finalizers.includes('foregroundDeletion') || node.finalizers.includes('orphan'))) this.enqueue(e.key, 'owner');
  }

  private enqueue(key: string, what: 'owners' | 'owner'): void {
    // 'owner' work subsumes nothing else, so keep both kinds by using distinct keys.
    this.queue.set(`${what}|${key}`, what);
    if (!this.running) {
      this.running = true;
      setImmediate(() => void this.drain());
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.size) {
        const [item] = this.queue.keys();
        this.queue.delete(item!);
        const [what, key] = item!.split(/\|(.*)/s) as ['owners' | 'owner', string];
        try {
          if (what === 'owners') await this.checkOwners(key);
          else await this.processOwner(key);
        } catch (e) {
          log.warn('garbage collection step failed', { key, error: (e as Error).message });
        }
      }
    } finally {
      this.running = false;
      if (this.queue.size) this.enqueue(...(([...this.queue.entries()][0]!.reverse() as unknown) as [string, 'owners' | 'owner']));
    }
  }

  /** A dependent whose owners may be gone: delete it, or drop the references that dangle. */
  private async checkOwners(key: string): Promise<void> {
    const node = this.byKey.get(key);
    if (!node || !node.owners.length) return;
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    const solid: OwnerReference[] = [];
    for (const ref of node.owners) {
      const ownerKey = this.uidToKey.get(ref.uid);
      const owner = ownerKey ? this.byKey.get(ownerKey) : undefined;
      if (!owner) dangling.push(ref);
      else if (owner.deleting && owner.finalizers.includes('foregroundDeletion')) waiting.push(ref);
      else solid.push(ref);
    }
    if (!dangling.length && !waiting.length) return;
    if (solid.length) {
      for (const ref of dangling) await mutateStored(this.deps.store, key, withoutOwner(ref.uid));
      return;
    }
    if (node.deleting) return;
    const found = defForKey(this.deps.registry, key);
    if (!found) return;
    const foreground = waiting.some((r) => r.blockOwnerDeletion);
    log.debug('deleting dependent whose owners are gone', { key, foreground });
    await deleteOne(this.deps, found.def, found.parts.namespace, found.parts.name, { propagationPolicy: foreground ? 'Foreground' : 'Background' }).catch((e: { code?: number }) => {
      if (e.code !== 404) throw e;
    });
  }

  /** An owner being deleted in the foreground or with orphaning: act on its dependents, then release it. */
  private async processOwner(key: string): Promise<void> {
    const node = this.byKey.get(key);
    if (!node || !node.deleting) return;
    const deps = [...(this.dependents.get(node.uid) ?? [])];
    if (node.finalizers.includes('orphan')) {
      for (const d of deps) await mutateStored(this.deps.store, d, withoutOwner(node.uid));
      await mutateStored(this.deps.store, key, withoutFinalizer('orphan'));
      return;
    }
    if (node.finalizers.includes('foregroundDeletion')) {
      let blocking = 0;
      for (const d of deps) {
        const dn = this.byKey.get(d);
        if (!dn) continue;
        const ref = dn.owners.find((o) => o.uid === node.uid);
        if (ref?.blockOwnerDeletion) blocking++;
        if (!dn.deleting) {
          const found = defForKey(this.deps.registry, d);
          if (found) {
            await deleteOne(this.deps, found.def, found.parts.namespace, found.parts.name, { propagationPolicy: ref?.blockOwnerDeletion ? 'Foreground' : 'Background' }).catch((e: { code?: number }) => {
              if (e.code !== 404) throw e;
            });
          }
        }
      }
      if (blocking === 0) await mutateStored(this.deps.store, key, withoutFinalizer('foregroundDeletion'));
    }
  }
}
