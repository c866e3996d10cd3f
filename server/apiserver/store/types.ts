// Public shapes of the object store: options, stored values, list results and watch events.

export interface StoreOptions {
  /** The SQLite file, normally `<data dir>/cluster.db`. */
  path: string;
  /** How many revisions of event log to keep for watches and consistent lists (default 100_000). */
  eventRetention?: number;
  /** How often the background compaction runs, in milliseconds (default 60_000; 0 turns it off). */
  compactIntervalMs?: number;
}

export interface Stored<T = unknown> {
  key: string;
  object: T;
  /** Revision of the write that produced this value (for a delete: the deletion's revision). */
  revision: number;
  /** The value's JSON exactly as stored, when the store has it at hand (a write's answer). */
  json?: string;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent<T = unknown> {
  type: WatchEventType;
  key: string;
  revision: number;
  /** The new value; for DELETED the last value, stamped with the deletion's revision. */
  object: T;
  /** The value before this write, if there was one. */
  prevObject?: T;
}

export interface ListOptions {
  /** Most items to return; more are signalled by `more`. */
  limit?: number;
  /** Exclusive lower bound: only keys greater than this one (the previous page's last key). */
  startAfter?: string;
  /** Read the state as it was at this revision (a consistent second page); default: now. */
  atRevision?: number;
}

export interface ListResult<T = unknown> {
  items: Stored<T>[];
  /** The revision the list was read at. */
  revision: number;
  /** True when items beyond `limit` exist at that revision. */
  more: boolean;
  /** How many items follow this page at that revision (set when `more`). */
  remaining?: number;
}

export interface CreateOptions {
  /**
   * The caller hands `object` over: it will neither change it nor anything in it afterwards, so
   * watchers may be given it (with resourceVersion stamped on a copy of its metadata) rather than a
   * parse of the stored JSON. Only a value that is plain JSON is used that way.
   */
  handOver?: boolean;
}

export interface UpdateOptions {
  /** Reject with 'Conflict' unless the current value has this revision. */
  expectedRevision?: number;
}

export interface DeleteOptions<T> {
  expectedRevision?: number;
  /** Runs inside the transaction on the current value; throw to abort the delete. */
  precondition?: (current: Stored<T>) => void;
}

export interface WatchOptions {
  /**
   * Called once when the store ends the watch on its own: a StoreError 'Expired' when the watcher
   * fell too far behind (relist and watch again), 'Closed' when the store closes, or the error
   * that `onEvent` threw or rejected with.
   */
  onError?: (err: Error) => void;
  /** Events buffered for a consumer that has not caught up before the watch is ended (default 10_000). */
  maxBuffered?: number;
}

export interface WatchHandle {
  cancel(): void;
}

/**
 * `onEvent` may return a promise: further events for this watcher wait (buffered) until it settles,
 * which is how a consumer writing to a slow socket applies backpressure without blocking writers.
 * A live event's objects are shared by every watcher that receives it: treat them as read-only.
 */
export type WatchListener<T> = (e: StoreEvent<T>) => void | Promise<void>;

export interface StoreStats {
  /** Transactions committed by the writer. */
  commits: number;
  /** WAL syncs run: each makes every transaction committed before it durable. */
  syncs: number;
  /** Writes acknowledged (each took one revision). */
  writes: number;
  /** Writes rejected (precondition, conflict, storage errors). */
  rejected: number;
  /** Live watchers. */
  watchers: number;
}
