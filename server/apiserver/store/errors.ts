// The store's one error type, and the translation of SQLite failures into messages a person can act on.

export type StoreErrorCode = 'AlreadyExists' | 'NotFound' | 'Conflict' | 'Expired' | 'Closed' | 'Storage';

export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}

/** better-sqlite3 throws SqliteError with an extended result code such as 'SQLITE_IOERR_FSYNC'. */
function sqliteCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  }
  return undefined;
}

export function isSqliteError(err: unknown): boolean {
  return sqliteCode(err) !== undefined;
}

// Ordered by prefix so the extended codes (SQLITE_IOERR_FSYNC, SQLITE_READONLY_DBMOVED…) match too.
const causes: [prefix: string, what: string][] = [
  ['SQLITE_FULL', 'the data disk is full'],
  ['SQLITE_IOERR', 'the data disk failed a read or write (I/O error)'],
  ['SQLITE_READONLY', 'the database is read-only (check the file and directory permissions and the mount)'],
  ['SQLITE_CORRUPT', 'the database file is corrupt'],
  ['SQLITE_NOTADB', 'the file is not a SQLite database'],
  ['SQLITE_CANTOPEN', 'the database file cannot be opened'],
  ['SQLITE_BUSY', 'the database is locked by another process'],
  ['SQLITE_LOCKED', 'the database is locked'],
  ['SQLITE_NOMEM', 'SQLite ran out of memory'],
  ['SQLITE_PERM', 'the operating system denied access to the database file'],
];

/**
 * Wraps a SQLite (or other unexpected) failure as StoreError 'Storage', saying what happened to which
 * file, e.g. "the data disk is full: database or disk is full (SQLITE_FULL) [/var/lib/kura/cluster.db]".
 */
export function storageError(err: unknown, path: string, doing: string): StoreError {
  if (err instanceof StoreError) return err;
  const code = sqliteCode(err);
  const detail = err instanceof Error ? err.message : String(err);
  const what = (code && causes.find(([prefix]) => code.startsWith(prefix))?.[1]) ?? `storage failed while ${doing}`;
  const suffix = code ? ` (${code})` : '';
  return new StoreError('Storage', `${what}: ${detail}${suffix} [${path}]`, { cause: err });
}
