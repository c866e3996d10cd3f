// Bearer-token authentication against users.json, re-read (at most once a second) when the CLI replaces it.
import fs from 'node:fs';
import { logger } from '@/server/log';
import { AUTHENTICATED_GROUP, type UserInfo } from './identity';
import { hashToken, parseUsers, usersFile } from './users';

const log = logger('auth');

/**
 * A user; or no credentials at all (the caller treats the request as system:anonymous);
 * or credentials that are wrong, which the server answers with 401 and never downgrades to anonymous.
 */
export type AuthenticationResult = { user: UserInfo } | { anonymous: true } | { error: string };

export interface TokenAuthenticatorOptions {
  /** How long a look at users.json stays fresh, in ms (default 1000). */
  recheckIntervalMs?: number;
  /** Clock in ms, for tests. */
  now?: () => number;
}

const MAX_TOKEN_LENGTH = 8192;

/** The token of an `Authorization: Bearer <token>` header value, or why there is none. */
function bearerToken(header: string): string | { error: string } {
  const value = header.trim();
  const space = value.search(/\s/);
  const scheme = space < 0 ? value : value.slice(0, space);
  if (scheme.toLowerCase() !== 'bearer') {
    return { error: `unsupported authorization scheme ${JSON.stringify(scheme.slice(0, 32))}: only bearer tokens are accepted` };
  }
  const token = space < 0 ? '' : value.slice(space + 1).trim();
  if (!token) return { error: 'the Authorization header has no bearer token' };
  if (token.length > MAX_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token)) return { error: 'malformed bearer token' };
  return token;
}

/** A failed lookup re-reads the users file at most this often (bounds the cost of bad tokens). */
const MISS_RECHECK_MS = 50;

export class TokenAuthenticator {
  private readonly file: string;
  private readonly recheckIntervalMs: number;
  private readonly now: () => number;
  private byTokenHash = new Map<string, UserInfo>();
  /** Identity of the users.json we loaded (inode, size, times), or 'absent'. */
  private loadedVersion: string | undefined;
  private lastCheck = Number.NEGATIVE_INFINITY;

  constructor(dataDir: string, options: TokenAuthenticatorOptions = {}) {
    this.file = usersFile(dataDir);
    this.recheckIntervalMs = options.recheckIntervalMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.refresh();
  }

  authenticate(authorizationHeader: string | undefined): AuthenticationResult {
    // An empty header is no credential at all, as in kube-apiserver.
    if (authorizationHeader === undefined || authorizationHeader.trim() === '') return { anonymous: true };
    const token = bearerToken(authorizationHeader);
    if (typeof token !== 'string') return token;
    this.refresh();
    // A map lookup of the token's hash: timing can at most reveal something about the hash, not the token.
    const hash = hashToken(token);
    let user = this.byTokenHash.get(hash);
    if (!user && this.now() - this.lastCheck >= MISS_RECHECK_MS) {
      // A user added a moment ago (npm run kura -- user add) should not wait for the next periodic check.
      this.refresh(true);
      user = this.byTokenHash.get(hash);
    }
    if (!user) return { error: 'invalid bearer token' };
    return { user: { ...user, groups: [...user.groups] } };
  }

  private refresh(force = false): void {
    const now = this.now();
    if (!force && now - this.lastCheck < this.recheckIntervalMs) return;
    this.lastCheck = now;
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        // No file, no users: fail closed.
        this.loadedVersion = 'absent';
        this.byTokenHash = new Map();
      } else {
        log.warn('cannot open the users file; keeping the users loaded before', { file: this.file, error: err });
      }
      return;
    }
    try {
      // Stat and read through one descriptor, so the version we remember is the content we read.
      const st = fs.fstatSync(fd);
      const version = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
      if (version === this.loadedVersion) return;
      this.loadedVersion = version;
      const users = parseUsers(fs.readFileSync(fd, 'utf8'), this.file);
      const table = new Map<string, UserInfo>();
      for (const u of users) {
        table.set(u.tokenSha256, { username: u.name, groups: [...new Set([...u.groups, AUTHENTICATED_GROUP])] });
      }
      this.byTokenHash = table;
    } catch (err) {
      // A hand edit gone wrong should not lock everyone out; the next good write takes effect.
      log.warn('the users file is unreadable; keeping the users loaded before', { file: this.file, error: err });
    } finally {
      fs.closeSync(fd);
    }
  }
}
