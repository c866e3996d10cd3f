// Events, as controllers report them: one core/v1 Event per object, reason and
// message, counted up when the same thing happens again (like client-go's recorder).
import crypto from 'node:crypto';
import { EventModel } from '@/lib/k8s/models';
import type { K8sResource } from '@/lib/k8s/types';
import { logger } from '../../log';
import { isAlreadyExists, isNotFound, type KubeClient } from './client';

const log = logger('events');

interface Seen {
  name: string;
  namespace: string;
  count: number;
  first: string;
}

export class EventRecorder {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly client: KubeClient,
    private readonly component: string,
    private readonly now: () => number = Date.now,
  ) {}

  normal(obj: K8sResource, reason: string, message: string): Promise<void> {
    return this.record(obj, 'Normal', reason, message);
  }

  warning(obj: K8sResource, reason: string, message: string): Promise<void> {
    return this.record(obj, 'Warning', reason, message);
  }

  /** Record an event; never throws (an event that cannot be written must not fail a reconcile). */
  async record(obj: K8sResource, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const namespace = obj.metadata.namespace ?? 'default';
    const ts = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const key = [obj.metadata.uid, type, reason, message].join('\u0000');
    const prior = this.seen.get(key);
    try {
      if (prior) {
        prior.count++;
        await this.client.patch(EventModel, prior.namespace, prior.name, { count: prior.count, lastTimestamp: ts });
        return;
      }
      const name = `${obj.metadata.name}.${crypto.createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
      const event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion },
        reason,
        message,
        type,
        source: { component: this.component },
        reportingComponent: this.component,
        reportingInstance: this.component,
        firstTimestamp: ts,
        lastTimestamp: ts,
        count: 1,
      };
      try {
        await this.client.create(EventModel, event);
        this.seen.set(key, { name, namespace, count: 1, first: ts });
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        // Written before a restart of this process: count on from what is stored.
        const stored = await this.client.get<K8sResource & { count?: number }>(EventModel, namespace, name);
        const count = (stored.count ?? 1) + 1;
        await this.client.patch(EventModel, namespace, name, { count, lastTimestamp: ts });
        this.seen.set(key, { name, namespace, count, first: ts });
      }
      if (this.seen.size > 5000) this.seen.delete(this.seen.keys().next().value!);
    } catch (e) {
      if (isNotFound(e)) this.seen.delete(key);
      log.debug('event not recorded', { reason, error: (e as Error).message });
    }
  }
}
