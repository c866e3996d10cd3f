// A work queue of object keys: each key is processed by one worker at a time,
// keys added while being processed run again afterwards, failures retry with
// exponential backoff, and delayed re-checks are supported (requeue after).
export interface ReconcileResult {
  /** Look at this key again after this many milliseconds (polling what has no event). */
  requeueAfterMs?: number;
}

export type Reconciler = (key: string) => Promise<ReconcileResult | void>;

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private running = 0;
  private stopped = false;
  /** Waiting for the reconciles under way to return (stop). */
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly reconcile: Reconciler,
    private readonly opts: { concurrency?: number; baseDelayMs?: number; maxDelayMs?: number; onError?: (key: string, e: unknown, attempt: number) => void } = {},
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    if (this.active.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.schedule();
  }

  private scheduled = false;

  /** Start work on the next turn, so a burst of adds in one turn coalesces per key. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.pump();
    });
  }

  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    const existing = this.timers.get(key);
    if (existing) clearTimeout(existing);
    const t = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    t.unref();
    this.timers.set(key, t);
  }

  get length(): number {
    return this.queue.length;
  }

  /** Resolves once nothing is queued or running (for tests). */
  async idle(): Promise<void> {
    while (this.queue.length || this.running || this.scheduled) await new Promise((r) => setTimeout(r, 10));
  }

  /**
   * Takes no more work and resolves once the reconciles under way have returned, so what they
   * write is written before their client closes; after `timeoutMs` it stops waiting for them.
   */
  stop(timeoutMs = 10_000): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.queue.length = 0;
    this.queued.clear();
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private pump(): void {
    const max = this.opts.concurrency ?? 4;
    while (this.running < max && this.queue.length) {
      const key = this.queue.shift()!;
      this.queued.delete(key);
      this.active.add(key);
      this.running++;
      void this.work(key);
    }
  }

  private async work(key: string): Promise<void> {
    try {
      const result = await this.reconcile(key);
      this.failures.delete(key);
      if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
    } catch (e) {
      const attempt = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, attempt);
      this.opts.onError?.(key, e, attempt);
      const delay = Math.min((this.opts.baseDelayMs ?? 100) * 2 ** (attempt - 1), this.opts.maxDelayMs ?? 30_000);
      this.addAfter(key, delay);
    } finally {
      this.active.delete(key);
      this.running--;
      if (this.dirty.delete(key)) this.add(key);
      if (this.stopped) {
        if (this.running === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      } else {
        this.schedule();
      }
    }
  }
}
