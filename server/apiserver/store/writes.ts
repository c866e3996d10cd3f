// One write turned into one event-log row: existence and revision checks, mutate, resourceVersion stamp.
import type Database from 'better-sqlite3';
import { StoreError } from './errors';
import type { Row } from './reads';
import { ADDED, DELETED, type Db, MODIFIED } from './schema';
import type { Stored } from './types';
import { decode, encodeAt, isPlainJson, serialize, stampAt } from './values';

export type WriteOp =
  | { kind: 'create'; key: string; object: unknown; handOver?: boolean }
  | { kind: 'update'; key: string; mutate: (current: Stored<unknown>) => unknown; expectedRevision?: number }
  | { kind: 'delete'; key: string; precondition?: (current: Stored<unknown>) => void; expectedRevision?: number };

/** What one write puts in the event log; `current` follows from it. */
export interface WriteRow {
  revision: number;
  key: string;
  type: number;
  /** The new value; for a delete the last value stamped with the deletion's revision. */
  value: string;
  prevValue: string | null;
  prevRevision: number | null;
  /**
   * `value` as an object, when the writer handed its object over (CreateOptions.handOver) and it is
   * plain JSON: watchers get it instead of a parse of `value`.
   */
  object?: unknown;
}

function checkRevision(key: string, current: Row, expected: number | undefined): void {
  if (expected !== undefined && expected !== current.revision) {
    throw new StoreError(
      'Conflict',
      `${key} has been modified: expected revision ${expected}, the current revision is ${current.revision}`,
    );
  }
}

/** An async mutate or precondition would run after the transaction ended; refuse it instead of storing `{}`. */
function synchronous<R>(result: R, what: string): R {
  if (typeof (result as { then?: unknown } | null)?.then === 'function') {
    throw new TypeError(`${what} returned a promise; it runs inside the transaction and must decide synchronously`);
  }
  return result;
}

function stored(row: Row): Stored<unknown> {
  return { key: row.key, object: decode(row.value), revision: row.revision };
}

/**
 * Decides one write against `current` (the value as of the writes before it, in the same batch
 * included) and returns its row at `revision`. Throws to reject this write alone: a StoreError, or
 * whatever the caller's mutate/precondition threw. Nothing is written here.
 */
export function prepareWrite(op: WriteOp, revision: number, current: Row | undefined): WriteRow {
  const { key } = op;
  switch (op.kind) {
    case 'create': {
      if (current) throw new StoreError('AlreadyExists', `${key} already exists`);
      const stamped = stampAt(op.object, revision);
      const row: WriteRow = { revision, key, type: ADDED, value: serialize(stamped), prevValue: null, prevRevision: null };
      if (op.handOver && isPlainJson(stamped)) row.object = stamped;
      return row;
    }
    case 'update': {
      if (!current) throw new StoreError('NotFound', `${key} not found`);
      checkRevision(key, current, op.expectedRevision);
      const next = synchronous(op.mutate(stored(current)), 'mutate');
      return { revision, key, type: MODIFIED, value: encodeAt(next, revision), prevValue: current.value, prevRevision: current.revision };
    }
    case 'delete': {
      if (!current) throw new StoreError('NotFound', `${key} not found`);
      checkRevision(key, current, op.expectedRevision);
      const last = stored(current);
      synchronous(op.precondition?.(last), 'precondition');
      // Like etcd-backed Kubernetes, the deleted object carries the deletion's revision as its resourceVersion.
      return { revision, key, type: DELETED, value: encodeAt(last.object, revision), prevValue: current.value, prevRevision: current.revision };
    }
  }
}

/** The value a write leaves behind for the next write to the same key in the same batch. */
export function stateAfter(row: WriteRow): Row | undefined {
  return row.type === DELETED ? undefined : { key: row.key, revision: row.revision, value: row.value };
}

/** Prepared statements that put rows into the log and the current table. */
export class RowWriter {
  private readonly insertEvent: Database.Statement;
  private readonly upsertCurrent: Database.Statement;
  private readonly deleteCurrent: Database.Statement;

  constructor(db: Db) {
    this.insertEvent = db.prepare(
      'INSERT INTO events (revision, key, type, value, prev_value, prev_revision) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.upsertCurrent = db.prepare(
      'INSERT INTO current (key, revision, value) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET revision = excluded.revision, value = excluded.value',
    );
    this.deleteCurrent = db.prepare('DELETE FROM current WHERE key = ?');
  }

  /** Call inside a transaction. */
  write(row: WriteRow): void {
    this.insertEvent.run(row.revision, row.key, row.type, row.value, row.prevValue, row.prevRevision);
    if (row.type === DELETED) this.deleteCurrent.run(row.key);
    else this.upsertCurrent.run(row.key, row.revision, row.value);
  }
}
