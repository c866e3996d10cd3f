// What the storage controllers share: the pools, the consumers that keep a
// claim in use, and an event reporter that says a repeated thing once a while
// rather than on every retry (a thousand pending claims retry often).
import type { K8sResource } from '@/lib/k8s';
import type { EventRecorder } from '../runtime/events';
import type { Informer } from '../runtime/informer';
import type { PoolSet } from './pools';

/** Who uses a claim (a VM, a pod…): the consumer's name in words, or undefined when none does. */
export type ClaimUsageCheck = (namespace: string, name: string) => string | undefined;

export interface StorageOptions {
  pools: PoolSet;
  /** The embedded nodes to publish as Node objects (node-1…). */
  nodes: readonly string[];
  /** Extra consumers beyond VirtualMachineInstances (pods, importers…). */
  claimUsers?: readonly ClaimUsageCheck[];
  /** How often nodes renew their Ready heartbeat (default 30 s). */
  heartbeatMs?: number;
  /** Longest wait between retries of a claim that cannot be provisioned yet (default 2 min). */
  maxRetryMs?: number;
  now?: () => number;
}

/** Waits until every informer listed has its first full list (reconciles must not act on half a world). */
export function synced(...informers: Pick<Informer, 'hasSynced'>[]): Promise<void> {
  return Promise.all(informers.map((i) => i.hasSynced())).then(() => undefined);
}

export class Reporter {
  private readonly last = new Map<string, { text: string; at: number }>();

  constructor(
    private readonly events: EventRecorder,
    private readonly repeatMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an event unless the same one was recorded for this object within repeatMs. */
  report(obj: K8sResource, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const key = `${obj.metadata.uid ?? obj.metadata.name}\u0000${reason}`;
    const text = `${type}\u0000${message}`;
    const prior = this.last.get(key);
    const t = this.now();
    if (prior && prior.text === text && t - prior.at < this.repeatMs) return Promise.resolve();
    this.last.set(key, { text, at: t });
    if (this.last.size > 20_000) this.last.delete(this.last.keys().next().value!);
    return this.events.record(obj, type, reason, message);
  }

  normal(obj: K8sResource, reason: string, message: string): Promise<void> {
    return this.report(obj, 'Normal', reason, message);
  }

  warning(obj: K8sResource, reason: string, message: string): Promise<void> {
    return this.report(obj, 'Warning', reason, message);
  }

  /** Forget what was said about an object (it is gone, or its story starts over). */
  forget(uid: string | undefined): void {
    if (!uid) return;
    for (const k of this.last.keys()) if (k.startsWith(`${uid}\u0000`)) this.last.delete(k);
  }
}

/** Exponential retry delays per key, reset when the key succeeds. */
export class Backoff {
  private readonly attempts = new Map<string, number>();

  constructor(
    private readonly baseMs = 1000,
    private readonly maxMs = 120_000,
  ) {}

  next(key: string): number {
    const n = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, n);
    return Math.min(this.baseMs * 2 ** (n - 1), this.maxMs);
  }

  reset(key: string): void {
    this.attempts.delete(key);
  }
}
