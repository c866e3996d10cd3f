// Watch fan-out: replay from the event log, then live events after each durable commit, per-watcher buffers.
import { isStoreError, StoreError } from './errors';
import { eventTypeName, type Range, rangeOf, type Reader } from './reads';
import type { StoreEvent, WatchHandle, WatchListener, WatchOptions } from './types';
import { decode } from './values';
import type { WriteRow } from './writes';

/** What the hub needs to know about the store it serves. */
export interface WatchSource {
  readonly reader: Reader;
  revision(): number;
  compactedRevision(): number;
}

const REPLAY_PAGE = 500;
// Revisions scanned per replay step at most: the log has no key index, so a rare prefix would
// otherwise scan the whole log in one synchronous step before finding a page of its events.
const REPLAY_WINDOW = 5_000;
const DEFAULT_MAX_BUFFERED = 10_000;

type Mode = 'replay' | 'live' | 'ended';

class Watcher {
  mode: Mode = 'replay';
  /** The newest revision already queued (or skipped as not ours): the next event must be newer. */
  lastQueued: number;
  private queue: (StoreEvent<unknown> | undefined)[] = [];
  private head = 0;
  /** onEvent returned a promise that has not settled: hold further events. */
  private waiting = false;
  private pumpScheduled = false;
  private replayScheduled = false;

  constructor(
    private readonly hub: WatchHub,
    readonly prefix: string,
    readonly range: Range,
    fromRevision: number,
    private readonly onEvent: WatchListener<unknown>,
    private readonly onError: ((err: Error) => void) | undefined,
    private readonly maxBuffered: number,
  ) {
    this.lastQueued = fromRevision;
  }

  get buffered(): number {
    return this.queue.length - this.head;
  }

  push(event: StoreEvent<unknown>): void {
    this.queue.push(event);
    this.lastQueued = event.revision;
    if (this.mode === 'live' && this.buffered > this.maxBuffered) {
      // Like the Kubernetes cacher: a consumer this far behind is dropped rather than allowed to
      // hold memory without bound; it relists and watches again from the list's revision.
      this.end(new StoreError('Expired', `the watch on ${this.prefix} fell ${this.buffered} events behind and was closed; list again and watch from the list's revision`));
      return;
    }
    this.schedulePump();
  }

  schedulePump(): void {
    if (this.pumpScheduled || this.mode === 'ended') return;
    this.pumpScheduled = true;
    // Delivery happens off the commit path, so a consumer's code never runs inside a write.
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    while (this.head < this.queue.length && !this.waiting && this.mode !== 'ended') {
      const event = this.queue[this.head] as StoreEvent<unknown>;
      this.queue[this.head++] = undefined;
      let result: void | Promise<void>;
      try {
        result = this.onEvent(event);
      } catch (err) {
        this.end(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      if (result && typeof (result as Promise<void>).then === 'function') {
        this.waiting = true;
        (result as Promise<void>).then(
          () => {
            this.waiting = false;
            this.pump();
          },
          (err: unknown) => this.end(err instanceof Error ? err : new Error(String(err))),
        );
      }
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 4096) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    // Replay is paced by the consumer: the next page is read only when this one has been taken.
    if (this.mode === 'replay' && this.buffered === 0 && !this.waiting) this.scheduleReplay();
  }

  scheduleReplay(): void {
    if (this.replayScheduled) return;
    this.replayScheduled = true;
    setImmediate(() => {
      this.replayScheduled = false;
      if (this.mode === 'replay') this.hub.replayPage(this);
    });
  }

  end(err?: Error): void {
    if (this.mode === 'ended') return;
    this.mode = 'ended';
    this.queue = [];
    this.head = 0;
    this.hub.remove(this);
    if (!err) return;
    if (!this.onError) {
      // Nobody to tell: say it once in the log, except for the expected end at shutdown.
      if (!isStoreError(err, 'Closed')) console.error(`store: the watch on ${this.prefix} ended: ${err.message}`);
      return;
    }
    try {
      this.onError(err);
    } catch (handlerErr) {
      console.error(`store: a watch error handler threw: ${String(handlerErr)}`);
    }
  }
}

function toEvent(row: { revision: number; key: string; type: number; value: string; prevValue: string | null; object?: unknown }): StoreEvent<unknown> {
  const event: StoreEvent<unknown> = { type: eventTypeName(row.type), key: row.key, revision: row.revision, object: row.object ?? decode(row.value) };
  if (row.prevValue !== null) event.prevObject = decode(row.prevValue);
  return event;
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();

  constructor(private readonly source: WatchSource) {}

  get size(): number {
    return this.watchers.size;
  }

  watch<T>(prefix: string, fromRevision: number, onEvent: WatchListener<T>, opts: WatchOptions = {}): WatchHandle {
    if (!Number.isSafeInteger(fromRevision) || fromRevision < 0) throw new RangeError(`invalid revision to watch from: ${fromRevision}`);
    if (fromRevision < this.source.compactedRevision()) throw this.expired(prefix, fromRevision);
    const watcher = new Watcher(
      this,
      prefix,
      rangeOf(prefix),
      fromRevision,
      onEvent as WatchListener<unknown>,
      opts.onError,
      opts.maxBuffered ?? DEFAULT_MAX_BUFFERED,
    );
    this.watchers.add(watcher);
    watcher.scheduleReplay();
    return { cancel: () => watcher.end() };
  }

  /**
   * Reads the next page of the log for a replaying watcher. A short page in the last window means it
   * has read up to the store's current revision; it turns live in the same synchronous step, so the
   * next commit's publish() reaches it and nothing falls between the log and the live stream.
   */
  replayPage(watcher: Watcher): void {
    const compacted = this.source.compactedRevision();
    if (watcher.lastQueued < compacted) {
      watcher.end(this.expired(watcher.prefix, watcher.lastQueued));
      return;
    }
    const through = this.source.revision();
    const windowEnd = Math.min(through, watcher.lastQueued + REPLAY_WINDOW);
    let rows;
    try {
      rows = this.source.reader.events(watcher.range, watcher.lastQueued, windowEnd, REPLAY_PAGE);
    } catch (err) {
      watcher.end(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    for (const row of rows) watcher.push(toEvent({ ...row, prevValue: row.prev_value }));
    if (rows.length < REPLAY_PAGE) {
      // Everything up to windowEnd that is ours has been queued.
      watcher.lastQueued = Math.max(watcher.lastQueued, windowEnd);
      if (windowEnd === through) watcher.mode = 'live';
    }
    // Nothing queued: the pump will not run by itself, and it is what asks for the next page.
    if (rows.length === 0) watcher.schedulePump();
  }

  /** Fans a durable commit out to live watchers, in revision order. */
  publish(rows: WriteRow[]): void {
    if (this.watchers.size === 0) return;
    for (const row of rows) {
      let event: StoreEvent<unknown> | undefined;
      for (const watcher of this.watchers) {
        if (watcher.mode !== 'live' || row.revision <= watcher.lastQueued || !row.key.startsWith(watcher.prefix)) continue;
        // Parsed once per event and shared by its watchers: consumers must treat objects as read-only.
        event ??= toEvent(row);
        watcher.push(event);
      }
    }
  }

  /** After compaction: replaying watchers whose next event is gone must relist. */
  compacted(): void {
    for (const watcher of this.watchers) {
      if (watcher.mode === 'replay' && watcher.lastQueued < this.source.compactedRevision()) {
        watcher.end(this.expired(watcher.prefix, watcher.lastQueued));
      }
    }
  }

  remove(watcher: Watcher): void {
    this.watchers.delete(watcher);
  }

  closeAll(): void {
    for (const watcher of [...this.watchers]) watcher.end(new StoreError('Closed', 'the store was closed'));
  }

  private expired(prefix: string, revision: number): StoreError {
    return new StoreError(
      'Expired',
      `cannot watch ${prefix} from revision ${revision}: the event log has been compacted up to revision ${this.source.compactedRevision()}; list again and watch from the list's revision`,
    );
  }
}
