// Console sessions. The browser holds only an encrypted, random reference
// (AES-256-GCM) in an HttpOnly SameSite=Strict cookie; the user's bearer
// token stays in this process's memory and is never sent back to the browser.
import crypto from 'node:crypto';

export interface Session {
  id: string;
  token: string;
  username: string;
  groups: string[];
  /** Sent by the browser in X-CSRF-Token on every mutating request. */
  csrfToken: string;
  createdAt: number;
  lastSeen: number;
}

export interface SessionStoreOptions {
  /** 32-byte key for the cookie cipher. */
  key: Buffer;
  idleMs: number;
  absoluteMs: number;
  maxSessions?: number;
  now?: () => number;
}

export const SESSION_COOKIE = 'kura_session';

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => number;

  constructor(private readonly opts: SessionStoreOptions) {
    if (opts.key.length !== 32) throw new Error('session key must be 32 bytes');
    this.now = opts.now ?? Date.now;
  }

  /** Start a session; returns it and the cookie value that refers to it. */
  create(init: { token: string; username: string; groups: string[] }): { session: Session; cookie: string } {
    this.sweep();
    const max = this.opts.maxSessions ?? 10_000;
    if (this.sessions.size >= max) {
      // Drop the least recently used session rather than refusing new sign-ins.
      let oldest: Session | undefined;
      for (const s of this.sessions.values()) if (!oldest || s.lastSeen < oldest.lastSeen) oldest = s;
      if (oldest) this.sessions.delete(oldest.id);
    }
    const t = this.now();
    const session: Session = {
      id: crypto.randomBytes(32).toString('base64url'),
      token: init.token,
      username: init.username,
      groups: init.groups,
      csrfToken: crypto.randomBytes(32).toString('base64url'),
      createdAt: t,
      lastSeen: t,
    };
    this.sessions.set(session.id, session);
    return { session, cookie: this.seal(session.id) };
  }

  /** The live session a cookie value refers to, or undefined (and it is touched). */
  lookup(cookie: string | undefined): Session | undefined {
    if (!cookie) return undefined;
    const id = this.unseal(cookie);
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    const t = this.now();
    if (t - s.lastSeen > this.opts.idleMs || t - s.createdAt > this.opts.absoluteMs) {
      this.sessions.delete(id);
      return undefined;
    }
    s.lastSeen = t;
    return s;
  }

  destroy(id: string): void {
    this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const t = this.now();
    for (const [id, s] of this.sessions) {
      if (t - s.lastSeen > this.opts.idleMs || t - s.createdAt > this.opts.absoluteMs) this.sessions.delete(id);
    }
  }

  private seal(id: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.opts.key, iv);
    const ct = Buffer.concat([cipher.update(id, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64url');
  }

  private unseal(value: string): string | undefined {
    try {
      const raw = Buffer.from(value, 'base64url');
      if (raw.length < 12 + 16 + 1) return undefined;
      const iv = raw.subarray(0, 12);
      const tag = raw.subarray(raw.length - 16);
      const ct = raw.subarray(12, raw.length - 16);
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.opts.key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}

/** Constant-time string comparison for secrets. */
export function safeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a).digest();
  const hb = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(ha, hb);
}
