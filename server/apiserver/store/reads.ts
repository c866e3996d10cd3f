// Read queries: get, prefix lists (now or at an older revision), counts and event-log pages for watch replay.
import type Database from 'better-sqlite3';
import { type Db, EVENT_TYPES } from './schema';
import { prefixEnd } from './values';

export interface Row {
  key: string;
  revision: number;
  value: string;
}

export interface EventRow {
  revision: number;
  key: string;
  type: number;
  value: string;
  prev_value: string | null;
}

export interface Range {
  /** Key bound: `key > lower` when exclusive, else `key >= lower`. */
  lower: string;
  exclusive: boolean;
  /** Exclusive upper bound; null means none. */
  upper: string | null;
}

/** Orders strings by code point, as SQLite's BINARY collation does on UTF-8, unlike JS's `<` on UTF-16. */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Move surrogates (D800–DFFF, the astral planes) above E000–FFFF, where code point order puts them.
    if (x >= 0xd800) x = x < 0xe000 ? x + 0x2000 : x - 0x800;
    if (y >= 0xd800) y = y < 0xe000 ? y + 0x2000 : y - 0x800;
    return x - y;
  }
  return a.length - b.length;
}

/** The key range of a prefix, narrowed to keys after `startAfter` (a previous page's last key). */
export function rangeOf(prefix: string, startAfter?: string): Range {
  const upper = prefixEnd(prefix);
  if (startAfter !== undefined && compareKeys(startAfter, prefix) >= 0) return { lower: startAfter, exclusive: true, upper };
  return { lower: prefix, exclusive: false, upper };
}

function whereKey(range: Range, column = 'key'): string {
  return `${column} ${range.exclusive ? '>' : '>='} :lower` + (range.upper === null ? '' : ` AND ${column} < :upper`);
}

function bindRange(range: Range): Record<string, string> {
  return range.upper === null ? { lower: range.lower } : { lower: range.lower, upper: range.upper };
}

export class Reader {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly getStmt: Database.Statement<[string], Row>;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare('SELECT key, revision, value FROM current WHERE key = ?');
  }

  /** Statements differ by the shape of the range, so they are prepared once per shape and reused. */
  private stmt<R>(sql: string): Database.Statement<unknown[], R> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s as Database.Statement<unknown[], R>;
  }

  get(key: string): Row | undefined {
    return this.getStmt.get(key);
  }

  /** Up to `limit` rows (-1: all) of the current state in key order. */
  list(range: Range, limit: number): Row[] {
    const sql = `SELECT key, revision, value FROM current WHERE ${whereKey(range)} ORDER BY key LIMIT :limit`;
    return this.stmt<Row>(sql).all({ ...bindRange(range), limit });
  }

  count(range: Range): number {
    const sql = `SELECT count(*) FROM current WHERE ${whereKey(range)}`;
    return this.stmt<number>(sql).pluck().get(bindRange(range)) as number;
  }

  // The state at an older revision R is the current state corrected by the log after R: a key written
  // since R had, at R, the prev_value of its first event after R (none if that event created it).
  // SQLite returns the bare columns of the row that holds min(revision) in a GROUP BY. The two halves
  // are each in key order, so the ORDER BY is a merge and LIMIT stops it early.
  private changedSince(range: Range): string {
    return `changed AS MATERIALIZED (
      SELECT key, prev_value AS value, prev_revision AS rev, min(revision) AS first
      FROM events WHERE revision > :at AND ${whereKey(range)} GROUP BY key)`;
  }

  /** Up to `limit` rows (-1: all) of the state as it was at revision `at`, in key order. */
  listAt(range: Range, at: number, limit: number): Row[] {
    const sql = `WITH ${this.changedSince(range)}
      SELECT key, revision, value FROM current WHERE ${whereKey(range)} AND key NOT IN (SELECT key FROM changed)
      UNION ALL
      SELECT key, rev AS revision, value FROM changed WHERE value IS NOT NULL
      ORDER BY key LIMIT :limit`;
    return this.stmt<Row>(sql).all({ ...bindRange(range), at, limit });
  }

  countAt(range: Range, at: number): number {
    const sql = `WITH ${this.changedSince(range)}
      SELECT (SELECT count(*) FROM current WHERE ${whereKey(range)} AND key NOT IN (SELECT key FROM changed))
           + (SELECT count(*) FROM changed WHERE value IS NOT NULL)`;
    return this.stmt<number>(sql).pluck().get({ ...bindRange(range), at }) as number;
  }

  /** A page of the event log in (after, through], oldest first, for keys in `range`. */
  events(range: Range, after: number, through: number, limit: number): EventRow[] {
    const sql = `SELECT revision, key, type, value, prev_value FROM events
      WHERE revision > :after AND revision <= :through AND ${whereKey(range)} ORDER BY revision LIMIT :limit`;
    return this.stmt<EventRow>(sql).all({ ...bindRange(range), after, through, limit });
  }

  newestRevision(): number {
    return (this.stmt<number | null>('SELECT max(revision) FROM events').pluck().get() as number | null) ?? 0;
  }
}

export function eventTypeName(type: number): (typeof EVENT_TYPES)[number] {
  const name = EVENT_TYPES[type];
  if (!name) throw new Error(`unknown event type ${type} in the event log`);
  return name;
}
