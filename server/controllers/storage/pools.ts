// The embedded nodes' storage pools as the controllers see them: found by node,
// by name or by driver; a lock per pool so a capacity decision and the write it
// leads to never interleave with another's (no over-commit); change listeners.
import { type ClassPool, type PoolUsage, type StorageClassView, accountPool, LOCAL_DRIVER, SHARED_DRIVER } from '@/lib/provisioning';
import type { PoolStatus, StoragePool } from '@/server/node/types';
import { logger } from '../../log';

const log = logger('storage-pools');

/** What changed in a pool: `freed` when room may have appeared (worth retrying pending claims). */
export interface PoolChange {
  pool: string;
  freed: boolean;
}

type Listener = (change: PoolChange) => void;

function signature(s: PoolStatus): string {
  return `${s.capacityBytes}/${s.allocatedBytes}/${s.usedBytes}/${s.healthy}/${s.problem ?? ''}`;
}

export class PoolSet {
  private readonly byNode: Map<string, StoragePool>;
  private readonly sharedPool: StoragePool | undefined;
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly listeners = new Set<Listener>();
  private readonly seen = new Map<string, PoolStatus>();
  private timer: NodeJS.Timeout | undefined;

  /** nodePools: each node's pool by node name; shared: the pool every node reaches. */
  constructor(nodePools: Record<string, StoragePool>, shared: StoragePool | undefined) {
    this.byNode = new Map(Object.entries(nodePools).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    this.sharedPool = shared;
    for (const p of this.all()) this.seen.set(p.name, this.safeStatus(p));
  }

  /** Node names with a pool, in order. */
  nodeNames(): string[] {
    return [...this.byNode.keys()];
  }

  nodePool(node: string): StoragePool | undefined {
    return this.byNode.get(node);
  }

  shared(): StoragePool | undefined {
    return this.sharedPool;
  }

  all(): StoragePool[] {
    return [...this.byNode.values(), ...(this.sharedPool ? [this.sharedPool] : [])];
  }

  /** A pool by its own name (the first part of a volume handle). */
  byName(name: string): StoragePool | undefined {
    return this.all().find((p) => p.name === name);
  }

  /** The node a pool serves (undefined for the shared pool). */
  nodeOf(pool: StoragePool): string | undefined {
    for (const [node, p] of this.byNode) if (p === pool) return node;
    return undefined;
  }

  /** The pool a volume of `driver` lives in on `node` (the shared pool for the shared driver). */
  poolFor(driver: string, node: string | undefined): StoragePool | undefined {
    if (driver === SHARED_DRIVER) return this.sharedPool;
    if (driver === LOCAL_DRIVER && node) return this.byNode.get(node);
    return undefined;
  }

  /** Which driver a pool belongs to. */
  driverOf(pool: StoragePool): string {
    return pool === this.sharedPool ? SHARED_DRIVER : LOCAL_DRIVER;
  }

  /** A pool's status; an exception from the pool reads as an unhealthy pool. */
  safeStatus(pool: StoragePool): PoolStatus {
    try {
      return pool.status();
    } catch (e) {
      return { name: pool.name, capacityBytes: 0, allocatedBytes: 0, usedBytes: 0, healthy: false, problem: (e as Error).message, volumes: 0, snapshots: 0 };
    }
  }

  /** What a class may still promise in a pool: lib/provisioning's accounting with the class's overprovision ratio. */
  usage(pool: StoragePool, sc: StorageClassView): PoolUsage {
    const s = this.safeStatus(pool);
    const usage = accountPool({ capacityBytes: s.capacityBytes, usedBytes: s.usedBytes }, [s.allocatedBytes], sc.kura.overprovisionRatio);
    return s.healthy ? usage : { ...usage, freeBytes: 0, full: true };
  }

  /** The healthy pools of a class (one per node, or the shared one), for placement and explanations. */
  classPools(sc: StorageClassView): ClassPool[] {
    if (!sc.driver.known) return [];
    if (sc.driver.locality === 'shared') {
      const p = this.sharedPool;
      return p && this.safeStatus(p).healthy ? [{ node: null, usage: this.usage(p, sc) }] : [];
    }
    const out: ClassPool[] = [];
    for (const [node, p] of this.byNode) if (this.safeStatus(p).healthy) out.push({ node, usage: this.usage(p, sc) });
    return out;
  }

  /**
   * Runs fn holding the pool's lock: callers check room and create (or grow)
   * inside it, so two decisions never both spend the same free bytes.
   */
  async withLock<T>(pool: StoragePool, fn: () => Promise<T>): Promise<T> {
    const prior = this.locks.get(pool.name) ?? Promise.resolve();
    const run = prior.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(pool.name, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(pool.name) === tail) this.locks.delete(pool.name);
    }
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Compare each pool with what was last seen and tell listeners what moved. */
  check(): void {
    for (const p of this.all()) {
      const now = this.safeStatus(p);
      const before = this.seen.get(p.name);
      this.seen.set(p.name, now);
      if (before && signature(before) === signature(now)) continue;
      const freed =
        !before ||
        now.allocatedBytes < before.allocatedBytes ||
        now.usedBytes < before.usedBytes ||
        now.capacityBytes > before.capacityBytes ||
        (now.healthy && !before.healthy);
      for (const l of this.listeners) {
        try {
          l({ pool: p.name, freed });
        } catch (e) {
          log.warn('pool listener failed', { error: (e as Error).message });
        }
      }
    }
  }

  private poked: NodeJS.Timeout | undefined;

  /** Something changed a pool: check soon (one check for a burst of changes). */
  poke(delayMs = 100): void {
    if (this.poked) return;
    this.poked = setTimeout(() => {
      this.poked = undefined;
      this.check();
    }, delayMs);
    this.poked.unref();
  }

  /** Notice changes nobody reported (data written by VMs, a pool directory gone) every `ms`. */
  startPolling(ms = 5000): void {
    this.stopPolling();
    this.timer = setInterval(() => this.check(), ms);
    this.timer.unref();
  }

  stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.poked) clearTimeout(this.poked);
    this.timer = undefined;
    this.poked = undefined;
  }
}
