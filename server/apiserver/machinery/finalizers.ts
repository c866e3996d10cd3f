// Removing a finalizer the way the API does: when nothing holds a terminating
// object any more, it is deleted rather than stored.
import type { OwnerReference } from '@/lib/k8s/types';
import type { Obj } from '../rest/lifecycle';
import type { Store } from '../store';
import { isStoreError } from '../store';

function holds(obj: Obj): boolean {
  if (obj.metadata?.finalizers?.length) return true;
  return obj.kind === 'Namespace' && ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0;
}

/** Apply `change` to the stored object (retrying on conflict); delete it if it is terminating and free. */
export async function mutateStored(store: Store, key: string, change: (o: Obj) => Obj | undefined): Promise<void> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const cur = store.get<Obj>(key);
    if (!cur) return;
    const next = change(structuredClone(cur.object));
    if (!next) return;
    try {
      if (next.metadata?.deletionTimestamp && !holds(next)) await store.delete(key, { expectedRevision: cur.revision });
      else await store.update<Obj>(key, () => next, { expectedRevision: cur.revision });
      return;
    } catch (e) {
      if (isStoreError(e) && (e.code === 'Conflict' || e.code === 'NotFound')) continue;
      throw e;
    }
  }
}

export function withoutFinalizer(name: string) {
  return (o: Obj): Obj | undefined => {
    const f = o.metadata?.finalizers ?? [];
    if (!f.includes(name)) return undefined;
    o.metadata = { ...o.metadata, finalizers: f.filter((x) => x !== name) };
    return o;
  };
}

export function withoutOwner(uid: string) {
  return (o: Obj): Obj | undefined => {
    const refs: OwnerReference[] = o.metadata?.ownerReferences ?? [];
    if (!refs.some((r) => r.uid === uid)) return undefined;
    const left = refs.filter((r) => r.uid !== uid);
    o.metadata = { ...o.metadata, ownerReferences: left };
    if (!left.length) delete o.metadata.ownerReferences;
    return o;
  };
}
