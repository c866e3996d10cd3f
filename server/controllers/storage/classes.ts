// StorageClass views from the informer, parsed once per resourceVersion (every
// claim reconcile reads them all).
import { type StorageClassView, storageClassView } from '@/lib/provisioning';
import type { Informer } from '../runtime/informer';
import type { Class } from './objects';

export class ClassViews {
  private readonly cache = new Map<string, { rv: string | undefined; view: StorageClassView }>();

  constructor(private readonly informer: Informer<Class>) {}

  all(): StorageClassView[] {
    const out: StorageClassView[] = [];
    const seen = new Set<string>();
    for (const sc of this.informer.list()) {
      const name = sc.metadata.name;
      seen.add(name);
      let hit = this.cache.get(name);
      if (!hit || hit.rv !== sc.metadata.resourceVersion) {
        hit = { rv: sc.metadata.resourceVersion, view: storageClassView(sc) };
        this.cache.set(name, hit);
      }
      out.push(hit.view);
    }
    for (const name of this.cache.keys()) if (!seen.has(name)) this.cache.delete(name);
    return out;
  }

  get(name: string | undefined): StorageClassView | undefined {
    if (name === undefined) return undefined;
    return this.all().find((c) => c.name === name);
  }
}
