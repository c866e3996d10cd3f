// The object store of the embedded API server: etcd's model (one revision, event log, watch) on SQLite.
import path from 'node:path';
import { GroupCommitter } from './commit';
import { StoreError, storageError } from './errors';
import { rangeOf, Reader, type Row } from './reads';
import { type Db, openDatabase } from './schema';
import type {
  CreateOptions,
  DeleteOptions,
  ListOptions,
  ListResult,
  Stored,
  StoreEvent,
  StoreOptions,
  StoreStats,
  UpdateOptions,
  WatchHandle,
  WatchOptions,
} from './types';
import { decode } from './values';
import { WatchHub } from './watch';

const DEFAULT_RETENTION = 100_000;
const DEFAULT_COMPACT_INTERVAL_MS = 60_000;

function toStored<T>(row: Row): Stored<T> {
  return { key: row.key, object: decode<T>(row.value), revision: row.revision };
}

function badKey(key: string): Promise<never> | undefined {
  if (typeof key === 'string' && key.length > 0) return undefined;
  return Promise.reject(new TypeError(`a store key must be a non-empty string, not ${JSON.stringify(key)}`));
}

// One Store per file per process: two would each count revisions on their own and their watchers
// would miss each other's writes. Kept on globalThis so a module loaded twice (dev reloads) shares it.
const openPaths: Set<string> = ((globalThis as Record<symbol, Set<string> | undefined>)[Symbol.for('kura.store.openPaths')] ??= new Set());

export class Store {
  private readonly reader: Reader;
  private readonly committer: GroupCommitter;
  private readonly hub: WatchHub;
  private readonly retention: number;
  private compactTimer: NodeJS.Timeout | undefined;
  private compactedTo: number;
  private closed = false;

  private constructor(
    private readonly db: Db,
    private readonly file: string,
    revision: number,
    compactedRevision: number,
    opts: StoreOptions,
  ) {
    this.reader = new Reader(db);
    this.compactedTo = compactedRevision;
    this.retention = Math.max(1, opts.eventRetention ?? DEFAULT_RETENTION);
    this.hub = new WatchHub({
      reader: this.reader,
      // Watchers replay the log only up to what is durable; the rest reaches them when published.
      revision: () => this.committer.durableRevision,
      compactedRevision: () => this.compactedTo,
    });
    this.committer = new GroupCommitter(db, this.reader, file, revision, (rows) => this.hub.publish(rows));
    const interval = opts.compactIntervalMs ?? DEFAULT_COMPACT_INTERVAL_MS;
    if (interval > 0) {
      this.compactTimer = setInterval(() => this.compactInBackground(), interval);
      // Compaction is housekeeping: it must never keep the process alive on its own.
      this.compactTimer.unref();
    }
  }

  /** Opens or creates the store at `opts.path`; throws StoreError 'Storage' when the file cannot be used. */
  static open(opts: StoreOptions): Store {
    const resolved = path.resolve(opts.path);
    if (openPaths.has(resolved)) {
      throw new StoreError('Storage', `the database ${resolved} is already open in this process; open it once and share the Store`);
    }
    const { db, revision, compactedRevision } = openDatabase(opts.path);
    openPaths.add(resolved);
    return new Store(db, resolved, revision, compactedRevision, opts);
  }

  /** The latest committed revision (what reads see; durable a moment later, see commit.ts). */
  get revision(): number {
    return this.committer.revision;
  }

  /** Events at or below this revision are gone; watching or listing from before it is 'Expired'. */
  get compactedRevision(): number {
    return this.compactedTo;
  }

  get<T>(key: string): Stored<T> | undefined {
    return this.read('reading', () => {
      const row = this.reader.get(key);
      return row && toStored<T>(row);
    });
  }

  list<T>(prefix: string, opts: ListOptions = {}): ListResult<T> {
    const { limit, startAfter } = opts;
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) throw new RangeError(`invalid list limit: ${limit}`);
    const at = opts.atRevision ?? this.revision;
    this.checkReadable(at, prefix);
    const range = rangeOf(prefix, startAfter);
    // One row more than asked tells whether there are more, without a count.
    const want = limit === undefined ? -1 : limit + 1;
    const historical = at < this.revision;
    return this.read('listing', () => {
      const rows = historical ? this.reader.listAt(range, at, want) : this.reader.list(range, want);
      const more = limit !== undefined && rows.length > limit;
      if (more) rows.length = limit;
      const items = rows.map((row) => toStored<T>(row));
      const result: ListResult<T> = { items, revision: at, more };
      if (more) {
        const last = rows[rows.length - 1] as Row;
        const rest = rangeOf(prefix, last.key);
        result.remaining = historical ? this.reader.countAt(rest, at) : this.reader.count(rest);
      }
      return result;
    });
  }

  count(prefix: string): number {
    return this.read('counting', () => this.reader.count(rangeOf(prefix)));
  }

  create<T>(key: string, object: T, opts: CreateOptions = {}): Promise<Stored<T>> {
    return badKey(key) ?? this.committer.submit({ kind: 'create', key, object, handOver: opts.handOver }) as Promise<Stored<T>>;
  }

  update<T>(key: string, mutate: (current: Stored<T>) => T, opts: UpdateOptions = {}): Promise<Stored<T>> {
    return badKey(key) ?? this.committer.submit({
      kind: 'update',
      key,
      mutate: mutate as (current: Stored<unknown>) => unknown,
      expectedRevision: opts.expectedRevision,
    }) as Promise<Stored<T>>;
  }

  delete<T>(key: string, opts: DeleteOptions<T> = {}): Promise<Stored<T>> {
    return badKey(key) ?? this.committer.submit({
      kind: 'delete',
      key,
      precondition: opts.precondition as ((current: Stored<unknown>) => void) | undefined,
      expectedRevision: opts.expectedRevision,
    }) as Promise<Stored<T>>;
  }

  /**
   * Delivers every event with revision > fromRevision under `prefix`, in order: first from the log,
   * then live, each only after it is durable. Throws StoreError 'Expired' if the log no longer
   * reaches back to fromRevision. See WatchOptions for how the store ends a watch on its own.
   */
  watch<T>(
    prefix: string,
    fromRevision: number,
    onEvent: (e: StoreEvent<T>) => void | Promise<void>,
    opts?: WatchOptions,
  ): WatchHandle {
    this.checkOpen();
    return this.hub.watch(prefix, fromRevision, onEvent, opts);
  }

  /** Drops events at or below `revision` (default: all but the last `eventRetention`). */
  compact(revision?: number): void {
    this.checkOpen();
    const target = Math.min(revision ?? this.revision - this.retention, this.revision);
    if (target <= this.compactedTo) return;
    try {
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM events WHERE revision <= ?').run(target);
        this.db.prepare("UPDATE meta SET value = ? WHERE name = 'compacted'").run(target);
      })();
    } catch (err) {
      throw storageError(err, this.file, 'compacting the event log');
    }
    this.compactedTo = target;
    this.hub.compacted();
  }

  stats(): StoreStats {
    return { ...this.committer.stats, watchers: this.hub.size };
  }

  /** Commits writes still queued, ends watches with 'Closed' and closes the file. Idempotent. */
  close(): void {
    if (this.closed) return;
    clearInterval(this.compactTimer);
    this.committer.close();
    this.closed = true;
    this.hub.closeAll();
    try {
      this.db.close();
    } finally {
      openPaths.delete(this.file);
    }
  }

  private compactInBackground(): void {
    if (this.closed) return;
    try {
      this.compact();
    } catch (err) {
      // A full disk can refuse even a delete; the next run tries again, and reads and writes go on.
      console.error(`store: background compaction failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('Closed', 'the store is closed');
  }

  private checkReadable(at: number, prefix: string): void {
    this.checkOpen();
    if (!Number.isSafeInteger(at) || at < 0) throw new RangeError(`invalid revision: ${at}`);
    if (at > this.revision) throw new RangeError(`revision ${at} is newer than the store's current revision ${this.revision}`);
    if (at < this.compactedTo) {
      throw new StoreError(
        'Expired',
        `cannot list ${prefix} at revision ${at}: it has been compacted (the oldest available is ${this.compactedTo}); list again without a revision`,
      );
    }
  }

  private read<R>(doing: string, fn: () => R): R {
    this.checkOpen();
    try {
      return fn();
    } catch (err) {
      throw storageError(err, this.file, doing);
    }
  }
}
