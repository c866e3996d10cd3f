// Group commit: writes queued in one event-loop turn share one transaction and one fsync.
import { isSqliteError, StoreError, storageError } from './errors';
import type { Reader, Row } from './reads';
import type { Db } from './schema';
import type { Stored } from './types';
import { decode } from './values';
import { prepareWrite, RowWriter, stateAfter, type WriteOp, type WriteRow } from './writes';

interface Pending {
  op: WriteOp;
  resolve: (value: Stored<unknown>) => void;
  reject: (err: unknown) => void;
}

// A batch this big already amortises the fsync to nothing; capping it lets I/O callbacks run
// between batches when thousands of writes arrive at once.
const MAX_BATCH = 1000;

/*
 * The commit runs on the main thread, synchronously, not on a worker thread. Measured with
 * bench/store/commit-thread.ts on this machine (2 cores, ext4 on virtio, raw fsync ≈ 0.2 ms,
 * 1 KiB objects; medians of 7 alternating rounds, two runs, the disk is noisy):
 *   1 writer:   main thread 2,537–3,229 writes/s, worker 1,321–1,677 writes/s
 *   16 writers: main thread 12,608–15,573 writes/s, worker 10,187–12,352 writes/s
 *   (tmpfs, CPU cost only: 16 writers main ≈ 29,000/s, worker 22,800–27,600/s)
 * A worker only pays off if the main thread has something to do while the fsync runs, and here it
 * has not: the next batch cannot be prepared before the previous one is durable (its mutate
 * functions must see the previous batch's values, and a failed commit would invalidate them), and
 * 16 closed-loop writers all wait on that same commit anyway. The worker adds two thread hops and
 * a copy of every value per batch and buys nothing. The price of staying here is that the event
 * loop is blocked for one fsync per batch (≈ 0.2–1 ms), not per write. Being synchronous also keeps
 * mutate/precondition literally inside the transaction and lets close() drain queued writes.
 */
export class GroupCommitter {
  revision: number;
  readonly stats = { commits: 0, writes: 0, rejected: 0 };
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
    this.rows = new RowWriter(db);
  }

  submit(op: WriteOp): Promise<Stored<unknown>> {
    if (this.closed) return Promise.reject(new StoreError('Closed', `the store is closed; ${op.kind} of ${op.key} was not written`));
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      // setImmediate, not a microtask: every write issued in this turn, including those from
      // other promise continuations and I/O callbacks, joins the batch.
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Commits everything queued; used by close() so queued writes are not lost. */
  close(): void {
    while (this.queue.length > 0) this.flush();
    this.closed = true;
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
    for (const { pending, row } of accepted) {
      // The caller gets the value as stored (a fresh parse), never its own object back.
      pending.resolve({ key: row.key, object: decode(row.value), revision: row.revision });
    }
    this.onCommit(accepted.map((a) => a.row));
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
      this.onCommit(landed.map((e) => ({ ...e, prevValue: e.prev_value, prevRevision: null })));
    } catch (err) {
      console.error(`store: cannot re-read the revision after a failed commit: ${String(err)}`);
    }
  }
}
