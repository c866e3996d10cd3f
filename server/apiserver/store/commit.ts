// Group commit: writes share one transaction and one WAL sync, which runs off the main thread; writes
// that arrive while a sync runs are committed together when it ends.
import fs from 'node:fs';
import { isSqliteError, StoreError, storageError } from './errors';
import type { Reader, Row } from './reads';
import type { Db } from './schema';
import type { Stored } from './types';
import { decode } from './values';
import { prepareWrite, RowWriter, stateAfter, type WriteOp, type WriteRow } from './writes';

/**
 * A write's answer: the stored JSON, parsed only when `object` is first read, since a create's
 * answer is usually sent on as that same JSON (a fresh parse each time, never the writer's object).
 */
function storedValue(row: WriteRow): Stored<unknown> {
  let parsed: { value: unknown } | undefined;
  return {
    key: row.key,
    revision: row.revision,
    json: row.value,
    get object() {
      parsed ??= { value: decode(row.value) };
      return parsed.value;
    },
  };
}

interface Pending {
  op: WriteOp;
  resolve: (value: Stored<unknown>) => void;
  reject: (err: unknown) => void;
}

// A batch this big already amortises the fsync to nothing; capping it lets I/O callbacks run
// between batches when thousands of writes arrive at once.
const MAX_BATCH = 1000;

/*
 * The transaction runs on the main thread, synchronously; its fsync does not. SQLite commits with
 * synchronous=NORMAL (the WAL is written, not synced) and the WAL is then fdatasync'ed on libuv's
 * thread pool; writes are acknowledged, and their events published, only once that sync is done.
 * While it runs the main thread goes on parsing and checking the next requests; their writes queue
 * and are committed in one transaction when the sync ends, since none of them could be acknowledged
 * sooner (measured at 16 clients: twice the writes per transaction, about 10% less server CPU per
 * create than committing each event-loop turn's writes at once). SQLite's WAL is consistent after a
 * crash in this mode (a transaction is replayed whole or not at all), and the sync makes every
 * acknowledged one durable.
 *
 * Measured with scratch profiles and bench/apiserver on this machine (2 cores, ext4 on virtio):
 * with the fsync inside COMMIT (synchronous=FULL) the event loop stood still for it, 15% of the
 * server's time at 16 clients. The transaction itself stays on the main thread: a worker thread
 * cost more in hops and copies than it saved (bench/store/commit-thread.ts), and keeping it here
 * keeps mutate/precondition literally inside the transaction and lets close() drain queued writes.
 *
 * Committed but not yet synced rows are visible to reads on this connection for that moment
 * (a GET may see an object whose create is still being acknowledged); after a process crash they
 * are still there (the page cache keeps them), after an OS crash in that window they may be gone,
 * and their writer was never told they succeeded.
 */
export class GroupCommitter {
  /** The newest revision committed to SQLite (visible to reads). */
  revision: number;
  /** The newest revision whose WAL frames are synced: acknowledged and published up to here. */
  durableRevision: number;
  readonly stats = { commits: 0, writes: 0, rejected: 0, syncs: 0 };
  private queue: Pending[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private closed = false;
  private readonly rows: RowWriter;

  constructor(
    private readonly db: Db,
    private readonly reader: Reader,
    private readonly path: string,
    revision: number,
    /** Called after each durable commit with its rows, in revision order (the watch fan-out). */
    private readonly onCommit: (rows: WriteRow[]) => void,
  ) {
    this.revision = revision;
    this.durableRevision = revision;
    this.rows = new RowWriter(db);
  }

  /** Callbacks waiting for the next WAL sync, and those of the sync running now. */
  private waiting: ((err: Error | null) => void)[] = [];
  private syncing: ((err: Error | null) => void)[] | undefined;

  private walFd: number | undefined;

  /**
   * fdatasync of the WAL. The fd is kept (an open and a close per sync were two more trips to the
   * thread pool on every write's path), and checked on the main thread first: should the file ever
   * have been unlinked or replaced (nlink 0), it is opened afresh. SQLite truncating it is harmless.
   */
  private syncWal(done: (err: Error | null) => void): void {
    let fd: number;
    try {
      fd = this.wal();
    } catch (err) {
      done(err as Error);
      return;
    }
    fs.fdatasync(fd, done);
  }

  private wal(): number {
    if (this.walFd !== undefined && fs.fstatSync(this.walFd).nlink === 0) this.closeWal();
    this.walFd ??= fs.openSync(`${this.path}-wal`, 'r');
    return this.walFd;
  }

  private closeWal(): void {
    if (this.walFd === undefined) return;
    const fd = this.walFd;
    this.walFd = undefined;
    try {
      fs.closeSync(fd);
    } catch {
      // nothing to do about a close that fails
    }
  }

  /** Runs `done` once everything committed so far is on disk. */
  private afterSync(done: (err: Error | null) => void): void {
    this.waiting.push(done);
    if (!this.syncing) this.startSync();
  }

  private startSync(): void {
    const group = this.waiting;
    this.waiting = [];
    this.syncing = group;
    this.stats.syncs++;
    this.syncWal((err) => {
      if (this.syncing !== group) return; // close() synced and answered them already
      this.syncing = undefined;
      for (const cb of group) cb(err);
      // The writes that came in meanwhile, committed now in one transaction (which starts the next sync).
      if (this.queue.length > 0) this.flush();
      if (this.waiting.length > 0 && !this.syncing) this.startSync();
    });
  }

  submit(op: WriteOp): Promise<Stored<unknown>> {
    if (this.closed) return Promise.reject(new StoreError('Closed', `the store is closed; ${op.kind} of ${op.key} was not written`));
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      // setImmediate, not a microtask: every write issued in this turn, including those from
      // other promise continuations and I/O callbacks, joins the batch.
      // While a sync runs, nothing committed now could be acknowledged before the next one: the
      // write waits, and all that gathered are committed together when the sync ends.
      if (this.syncing) return;
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Commits everything queued; used by close() so queued writes are not lost. */
  close(): void {
    while (this.queue.length > 0) this.flush();
    this.closed = true;
    const left = [...(this.syncing ?? []), ...this.waiting];
    this.syncing = undefined;
    this.waiting = [];
    let error: Error | null = null;
    if (left.length > 0) {
      try {
        fs.fdatasyncSync(this.wal());
      } catch (err) {
        error = err as Error;
      }
    }
    // A sync still queued on the thread pool may then fail or sync another file: its callers were
    // answered just below by this synchronous sync, and its own answer is ignored.
    this.closeWal();
    for (const cb of left) cb(error);
  }

  private flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batch = this.queue.splice(0, MAX_BATCH);
    if (this.queue.length > 0) this.scheduled = setImmediate(() => this.flush());
    if (batch.length === 0) return;

    const accepted: { pending: Pending; row: WriteRow }[] = [];
    const refused = new Set<Pending>();
    // The value each key has after the writes before it in this batch (undefined: deleted).
    const overlay = new Map<string, Row | undefined>();
    let revision = this.revision;
    try {
      this.db.exec('BEGIN IMMEDIATE');
      for (const pending of batch) {
        const { key } = pending.op;
        let row: WriteRow;
        try {
          const current = overlay.has(key) ? overlay.get(key) : this.reader.get(key);
          row = prepareWrite(pending.op, revision + 1, current);
        } catch (err) {
          // This write alone is refused (exists, not found, conflict, or the caller's own check);
          // nothing of it was written, so the rest of the batch goes on.
          this.stats.rejected++;
          refused.add(pending);
          pending.reject(isSqliteError(err) ? storageError(err, this.path, `reading ${key}`) : err);
          continue;
        }
        revision = row.revision;
        overlay.set(key, stateAfter(row));
        accepted.push({ pending, row });
        this.rows.write(row);
      }
      this.db.exec('COMMIT');
    } catch (err) {
      // Every write of the batch not already refused on its own fails with it, including those
      // not reached yet when the error struck.
      this.fail(batch.filter((p) => !refused.has(p)), err);
      return;
    }
    if (accepted.length === 0) return;

    this.revision = revision;
    this.stats.commits++;
    this.stats.writes += accepted.length;
    this.afterSync((err) => {
      this.durableRevision = Math.max(this.durableRevision, revision);
      const error = err && storageError(err, this.path, 'syncing the write-ahead log');
      for (const { pending, row } of accepted) {
        // The caller gets the value as stored (a fresh parse), never its own object back. A failed
        // sync leaves the outcome unknown (the rows are committed, maybe not on disk): the writer
        // hears the error, watchers still hear the rows, since reads already see them.
        if (error) pending.reject(error);
        else pending.resolve(storedValue(row));
      }
      this.onCommit(accepted.map((a) => a.row));
    });
  }

  /** A storage failure: the whole batch is rejected and the transaction rolled back. */
  private fail(pendings: Pending[], err: unknown): void {
    const error = storageError(err, this.path, 'committing writes');
    try {
      // SQLite rolls back by itself on SQLITE_FULL and some I/O errors; otherwise we do.
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    } catch (rollbackErr) {
      console.error(`store: rollback after a failed commit failed too: ${String(rollbackErr)}`);
    }
    this.stats.rejected += pendings.length;
    for (const pending of pendings) pending.reject(error);
    this.catchUp();
  }

  /**
   * After an error at COMMIT the transaction may still have reached the log (an fsync that reported
   * failure after writing). If so, adopt those revisions and publish them, so the counter never
   * reuses a revision and watchers never miss an event.
   */
  private catchUp(): void {
    try {
      const newest = this.reader.newestRevision();
      if (newest <= this.revision) return;
      const landed = this.reader.events({ lower: '', exclusive: false, upper: null }, this.revision, newest, -1);
      this.revision = newest;
      this.afterSync(() => {
        this.durableRevision = Math.max(this.durableRevision, newest);
        this.onCommit(landed.map((e) => ({ ...e, prevValue: e.prev_value, prevRevision: null })));
      });
    } catch (err) {
      console.error(`store: cannot re-read the revision after a failed commit: ${String(err)}`);
    }
  }
}
