import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SessionStore, safeEqual } from './sessions';

function store(now: { t: number }, extra: Partial<ConstructorParameters<typeof SessionStore>[0]> = {}) {
  return new SessionStore({ key: crypto.randomBytes(32), idleMs: 1000, absoluteMs: 5000, now: () => now.t, ...extra });
}

describe('SessionStore', () => {
  it('finds a session by its cookie and never puts the token in the cookie', () => {
    const now = { t: 0 };
    const s = store(now);
    const { session, cookie } = s.create({ token: 'secret-token-value', username: 'alice', groups: ['team-a'] });
    expect(cookie).not.toContain('secret-token-value');
    expect(Buffer.from(cookie, 'base64url').toString('latin1')).not.toContain(session.id);
    expect(s.lookup(cookie)?.username).toBe('alice');
  });

  it.each([
    ['a forged cookie', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['garbage', '!!!'],
    ['empty', ''],
  ])('refuses %s', (_n, cookie) => {
    const s = store({ t: 0 });
    s.create({ token: 't', username: 'u', groups: [] });
    expect(s.lookup(cookie)).toBeUndefined();
  });

  it('refuses a cookie sealed with another key', () => {
    const now = { t: 0 };
    const { cookie } = store(now).create({ token: 't', username: 'u', groups: [] });
    expect(store(now).lookup(cookie)).toBeUndefined();
  });

  it('expires idle sessions and keeps active ones until the absolute limit', () => {
    const now = { t: 0 };
    const s = store(now);
    const a = s.create({ token: 't', username: 'active', groups: [] });
    const b = s.create({ token: 't', username: 'idle', groups: [] });
    for (let i = 0; i < 4; i++) {
      now.t += 900;
      expect(s.lookup(a.cookie)).toBeDefined();
    }
    expect(s.lookup(b.cookie)).toBeUndefined();
    now.t = 5001;
    expect(s.lookup(a.cookie)).toBeUndefined();
  });

  it('destroys a session on sign-out', () => {
    const s = store({ t: 0 });
    const { session, cookie } = s.create({ token: 't', username: 'u', groups: [] });
    s.destroy(session.id);
    expect(s.lookup(cookie)).toBeUndefined();
  });

  it('evicts the least recently used session past the cap', () => {
    const now = { t: 0 };
    const s = store(now, { maxSessions: 2 });
    const a = s.create({ token: 't', username: 'a', groups: [] });
    now.t = 1;
    const b = s.create({ token: 't', username: 'b', groups: [] });
    now.t = 2;
    s.lookup(a.cookie);
    s.create({ token: 't', username: 'c', groups: [] });
    expect(s.size).toBe(2);
    expect(s.lookup(b.cookie)).toBeUndefined();
    expect(s.lookup(a.cookie)).toBeDefined();
  });
});

describe('safeEqual', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', '', true],
  ])('%s vs %s', (a, b, eq) => expect(safeEqual(a, b)).toBe(eq));
});
