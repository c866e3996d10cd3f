// Opens cluster.db: durability pragmas, the tables (current state, event log, meta) and their recovery.
import Database from 'better-sqlite3';
import { storageError } from './errors';

export type Db = Database.Database;

/** Event types as stored in `events.type`. */
export const EVENT_TYPES = ['ADDED', 'MODIFIED', 'DELETED'] as const;
export const ADDED = 0;
export const MODIFIED = 1;
export const DELETED = 2;

const SCHEMA_VERSION = 1;

// `current` is a rowid table with a UNIQUE key index rather than WITHOUT ROWID: Kubernetes objects are
// kilobytes, which WITHOUT ROWID handles poorly (overflow pages inside the key b-tree), and the
// separate key index lets count() and `remaining` walk keys only, never the values.
// `events` needs no key index: watches and consistent lists read it by revision range.
const DDL = `
CREATE TABLE IF NOT EXISTS current (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  revision INTEGER NOT NULL,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  revision INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  type INTEGER NOT NULL,
  value TEXT NOT NULL,
  prev_value TEXT,
  prev_revision INTEGER
);
CREATE TABLE IF NOT EXISTS meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (name, value) VALUES ('compacted', 0);
`;

export interface Recovered {
  db: Db;
  revision: number;
  compactedRevision: number;
}

/**
 * Opens (creating if needed) the database. SQLite's WAL replay on open is what makes a SIGKILL safe:
 * a transaction is in the file whole or not at all. The revision is derived rather than stored, so
 * there is no counter to drift from the log: the newest event, or the compaction point if every
 * event has been compacted away.
 */
export function openDatabase(path: string): Recovered {
  let db: Db | undefined;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    // NORMAL: COMMIT writes the WAL without syncing it; the group committer fdatasyncs the WAL off the
    // main thread before it acknowledges anything (commit.ts), so an acknowledged write survives power
    // loss too. Checkpoints still sync the WAL and the database file themselves.
    db.pragma('synchronous = NORMAL');
    // No mmap on purpose: an I/O error on a mapped page is a SIGBUS that kills the process,
    // where a read() gives SQLITE_IOERR that we can report.
    db.pragma('cache_size = -65536');
    db.pragma('journal_size_limit = 67108864');
    db.pragma('foreign_keys = OFF');
    // Another process (a backup, the sqlite3 shell) may hold the lock briefly.
    db.pragma('busy_timeout = 5000');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`the database was written by a newer Kura (schema ${version}, this one knows ${SCHEMA_VERSION})`);
    }
    db.exec('BEGIN IMMEDIATE');
    db.exec(DDL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    db.exec('COMMIT');
    const compactedRevision = (db.prepare("SELECT value FROM meta WHERE name = 'compacted'").pluck().get() as number) ?? 0;
    const newest = (db.prepare('SELECT max(revision) FROM events').pluck().get() as number | null) ?? 0;
    return { db, revision: Math.max(newest, compactedRevision), compactedRevision };
  } catch (err) {
    if (db?.inTransaction) db.exec('ROLLBACK');
    db?.close();
    throw storageError(err, path, 'opening the database');
  }
}
