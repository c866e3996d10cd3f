// A shared cache of one kind, kept current by list + watch: relists on 410,
// re-watches on a clean close, backs off on errors, and tells handlers about
// adds, updates and deletes (also those it only noticed on a relist).
import type { K8sModel } from '@/lib/k8s/models';
import type { K8sResource } from '@/lib/k8s/types';
import { logger } from '../../log';
import { type KubeClient, KubeError } from './client';

export type InformerHandler<T> = {
  add?: (obj: T) => void;
  update?: (obj: T, old: T) => void;
  delete?: (obj: T) => void;
};

export const objectKey = (o: { metadata: { namespace?: string; name: string } }) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);

export class Informer<T extends K8sResource = K8sResource> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: InformerHandler<T>[] = [];
  private readonly abort = new AbortController();
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];
  private resourceVersion = '';
  private readonly log;

  constructor(
    private readonly client: KubeClient,
    readonly model: K8sModel,
    private readonly opts: { namespace?: string; labelSelector?: string } = {},
  ) {
    this.log = logger(`informer/${model.plural}`);
  }

  on(handler: InformerHandler<T>): void {
    this.handlers.push(handler);
    // Late subscribers see what is already known, like a shared informer's initial adds.
    if (this.synced) for (const o of this.cache.values()) handler.add?.(o);
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(namespace ? `${namespace}/${name}` : name);
  }

  list(filter?: (o: T) => boolean): T[] {
    const all = [...this.cache.values()];
    return filter ? all.filter(filter) : all;
  }

  hasSynced(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((r) => this.syncWaiters.push(r));
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.abort.abort();
  }

  private emit(kind: 'add' | 'update' | 'delete', obj: T, old?: T): void {
    for (const h of this.handlers) {
      try {
        if (kind === 'add') h.add?.(obj);
        else if (kind === 'update') h.update?.(obj, old!);
        else h.delete?.(obj);
      } catch (e) {
        this.log.error('handler failed', { error: (e as Error).message });
      }
    }
  }

  private async relist(): Promise<void> {
    const list = await this.client.list<T>(this.model, this.opts);
    const seen = new Set<string>();
    for (const item of list.items) {
      const obj = { ...item, apiVersion: item.apiVersion ?? (list.apiVersion as string), kind: item.kind ?? this.model.kind } as T;
      const key = objectKey(obj);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, obj);
      if (!old) this.emit('add', obj);
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.emit('update', obj, old);
    }
    for (const [key, old] of this.cache) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        this.emit('delete', old);
      }
    }
    this.resourceVersion = list.metadata.resourceVersion ?? '';
    if (!this.synced) {
      this.synced = true;
      this.syncWaiters.splice(0).forEach((r) => r());
    }
  }

  private async run(): Promise<void> {
    let delay = 200;
    let needList = true;
    while (!this.abort.signal.aborted) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
        }
        await this.client.watch<T>(
          this.model,
          { ...this.opts, resourceVersion: this.resourceVersion },
          (e) => {
            const obj = e.object;
            if (e.type === 'BOOKMARK') {
              this.resourceVersion = obj.metadata?.resourceVersion ?? this.resourceVersion;
              return;
            }
            this.resourceVersion = obj.metadata.resourceVersion ?? this.resourceVersion;
            const key = objectKey(obj);
            const old = this.cache.get(key);
            if (e.type === 'DELETED') {
              this.cache.delete(key);
              this.emit('delete', obj);
            } else {
              this.cache.set(key, obj);
              if (old) this.emit('update', obj, old);
              else this.emit('add', obj);
            }
          },
          this.abort.signal,
        );
        delay = 200;
      } catch (e) {
        if (this.abort.signal.aborted) return;
        if (e instanceof KubeError && e.code === 410) {
          needList = true;
          continue;
        }
        this.log.warn('list/watch failed; retrying', { error: (e as Error).message, inMs: delay });
        needList = needList || !(e instanceof KubeError);
        await new Promise((r) => setTimeout(r, delay).unref());
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }
}
