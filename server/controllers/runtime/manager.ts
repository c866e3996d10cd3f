// Runs the embedded controllers: one client and one shared informer per kind
// (and scope), each controller with its own work queue, started once the
// caches it reads have synced, stopped together.
import type { K8sModel } from '@/lib/k8s/models';
import type { K8sResource } from '@/lib/k8s/types';
import { logger } from '../../log';
import { KubeClient, type ClientOptions } from './client';
import { EventRecorder } from './events';
import { Informer } from './informer';
import { type Reconciler, WorkQueue } from './workqueue';

export interface ControllerContext {
  client: KubeClient;
  informer<T extends K8sResource>(model: K8sModel, opts?: { namespace?: string; labelSelector?: string }): Informer<T>;
  events(component: string): EventRecorder;
}

export interface Controller {
  name: string;
  /** Wire informers to the queue; return the reconcile function. */
  setup(ctx: ControllerContext, queue: { add(key: string): void; addAfter(key: string, ms: number): void }): Reconciler;
  concurrency?: number;
}

export class ControllerManager {
  readonly client: KubeClient;
  private readonly informers = new Map<string, Informer>();
  private readonly queues: WorkQueue[] = [];
  private readonly log = logger('controller-manager');

  constructor(opts: ClientOptions) {
    this.client = new KubeClient(opts);
  }

  private readonly ctx: ControllerContext = {
    client: undefined as unknown as KubeClient,
    informer: <T extends K8sResource>(model: K8sModel, opts: { namespace?: string; labelSelector?: string } = {}) => {
      const key = `${model.apiGroup}/${model.plural}/${opts.namespace ?? ''}/${opts.labelSelector ?? ''}`;
      let inf = this.informers.get(key);
      if (!inf) {
        inf = new Informer(this.client, model, opts);
        this.informers.set(key, inf);
      }
      return inf as unknown as Informer<T>;
    },
    events: (component: string) => new EventRecorder(this.client, component),
  };

  /** Start the controllers; resolves when their caches have synced. */
  async start(controllers: Controller[]): Promise<void> {
    this.ctx.client = this.client;
    for (const c of controllers) {
      let reconcile: Reconciler = async () => undefined;
      const queue = new WorkQueue((key) => reconcile(key), {
        concurrency: c.concurrency ?? 2,
        onError: (key, e, attempt) => this.log.warn(`${c.name}: reconcile failed; retrying`, { key, attempt, error: e instanceof Error ? e.message : String(e) }),
      });
      reconcile = c.setup(this.ctx, queue);
      this.queues.push(queue);
    }
    for (const inf of this.informers.values()) inf.start();
    await Promise.all([...this.informers.values()].map((i) => i.hasSynced()));
    this.log.info('controllers running', { controllers: controllers.map((c) => c.name).join(',') });
  }

  /** Stops the queues, waits (briefly) for the reconciles under way, then stops the informers and the client. */
  async stop(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.stop()));
    for (const i of this.informers.values()) i.stop();
    this.client.close();
  }
}
