// users.json lifecycle: add, rotate, remove, list, the built-in admin, and what is (not) written to disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_USER, addUser, adminTokenFile, ensureAdmin, hashToken, listUsers, readUsers, removeUser, rotateToken, UserError, usersFile } from './users';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kura-users-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function errorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error('expected a UserError');
}

const mode = (file: string): number => fs.statSync(file).mode & 0o777;

describe('addUser', () => {
  it('stores name, groups, hash and creation time, never the token, in an owner-only file', () => {
    const { token } = addUser(dir, 'alice', ['devs', 'storage-admins'], new Date('2025-01-02T03:04:05Z'));
    expect(token).toMatch(/^kura_[A-Za-z0-9_-]{43}$/);
    const text = fs.readFileSync(usersFile(dir), 'utf8');
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice(5));
    expect(JSON.parse(text)).toEqual({
      users: [{ name: 'alice', groups: ['devs', 'storage-admins'], tokenSha256: hashToken(token), createdAt: '2025-01-02T03:04:05.000Z' }],
    });
    expect(mode(usersFile(dir))).toBe(0o600);
  });

  it('gives every user a different token', () => {
    const a = addUser(dir, 'alice', []).token;
    const b = addUser(dir, 'bob', []).token;
    expect(a).not.toBe(b);
    expect(listUsers(dir).map((u) => u.name)).toEqual(['alice', 'bob']);
  });

  it('removes duplicate groups', () => {
    addUser(dir, 'alice', ['devs', 'devs']);
    expect(listUsers(dir)[0]?.groups).toEqual(['devs']);
  });

  it('refuses a user that exists', () => {
    addUser(dir, 'alice', []);
    expect(errorOf(() => addUser(dir, 'alice', ['x'])).code).toBe('AlreadyExists');
    expect(listUsers(dir)).toHaveLength(1);
  });

  it.each([
    ['', 'must not be empty'],
    ['a b', 'whitespace or control'],
    ['tab\there', 'whitespace or control'],
    ['nul\u0000', 'whitespace or control'],
    ['zero\u200bwidth', 'whitespace or control'],
    ['system:admin', 'reserved'],
    ['system:serviceaccount:default:x', 'reserved'],
    ['x'.repeat(254), 'at most 253'],
  ])('refuses user name %j (%s)', (name, message) => {
    const err = errorOf(() => addUser(dir, name, []));
    expect(err.code).toBe('Invalid');
    expect(err.message).toContain(message);
    expect(fs.existsSync(usersFile(dir))).toBe(false);
  });

  it.each([['system:masters'], ['system:authenticated'], [''], ['two words']])('refuses group %j', (group) => {
    expect(errorOf(() => addUser(dir, 'alice', [group])).code).toBe('Invalid');
  });

  it.each([['alice@example.com'], ['oidc:alice'], ['Ålice'], ['x'.repeat(253)]])('accepts user name %j', (name) => {
    addUser(dir, name, []);
    expect(listUsers(dir).map((u) => u.name)).toEqual([name]);
  });

  it('reserves the built-in admin name', () => {
    expect(errorOf(() => addUser(dir, ADMIN_USER, [])).code).toBe('Forbidden');
  });
});

describe('rotateToken and removeUser', () => {
  it('rotates to a new token whose hash replaces the old one', () => {
    const old = addUser(dir, 'alice', ['devs']).token;
    const { token } = rotateToken(dir, 'alice');
    expect(token).not.toBe(old);
    const [alice] = readUsers(dir);
    expect(alice?.tokenSha256).toBe(hashToken(token));
    expect(alice?.groups).toEqual(['devs']);
    expect(fs.readFileSync(usersFile(dir), 'utf8')).not.toContain(token);
  });

  it('removes a user and keeps the others', () => {
    addUser(dir, 'alice', []);
    addUser(dir, 'bob', []);
    removeUser(dir, 'alice');
    expect(listUsers(dir).map((u) => u.name)).toEqual(['bob']);
    expect(mode(usersFile(dir))).toBe(0o600);
  });

  it.each([
    ['rotate', () => rotateToken(dir, 'nobody')],
    ['remove', () => removeUser(dir, 'nobody')],
  ])('%s of a missing user is NotFound', (_, fn) => {
    expect(errorOf(fn).code).toBe('NotFound');
  });

  it('will not remove the built-in admin', () => {
    ensureAdmin(dir);
    expect(errorOf(() => removeUser(dir, ADMIN_USER)).code).toBe('Forbidden');
  });

  it('leaves no temporary files behind', () => {
    addUser(dir, 'alice', []);
    rotateToken(dir, 'alice');
    removeUser(dir, 'alice');
    expect(fs.readdirSync(dir)).toEqual(['users.json']);
  });
});

describe('a corrupt users.json', () => {
  it.each([
    ['not JSON', '{', 'not valid JSON'],
    ['wrong shape', '{"users":[{"name":"a"}]}', 'not a Kura users file'],
    ['bad hash', JSON.stringify({ users: [{ name: 'a', groups: [], tokenSha256: 'abc', createdAt: '' }] }), 'users.0.tokenSha256'],
    ['duplicate user', JSON.stringify({ users: [1, 2].map(() => ({ name: 'a', groups: [], tokenSha256: 'a'.repeat(64), createdAt: '' })) }), 'twice'],
  ])('is reported (%s) and never overwritten', (_, content, message) => {
    fs.writeFileSync(usersFile(dir), content);
    const err = errorOf(() => addUser(dir, 'alice', []));
    expect(err.code).toBe('Corrupt');
    expect(err.message).toContain(message);
    expect(errorOf(() => ensureAdmin(dir)).code).toBe('Corrupt');
    expect(fs.readFileSync(usersFile(dir), 'utf8')).toBe(content);
  });
});

describe('ensureAdmin', () => {
  it('creates kura-admin in system:masters on first start, with the token only in pki/admin.token', () => {
    const { token } = ensureAdmin(dir, new Date('2025-01-01T00:00:00Z'));
    expect(token).toMatch(/^kura_/);
    expect(readUsers(dir)).toEqual([{ name: ADMIN_USER, groups: ['system:masters'], tokenSha256: hashToken(token), createdAt: '2025-01-01T00:00:00.000Z' }]);
    expect(fs.readFileSync(usersFile(dir), 'utf8')).not.toContain(token);
    expect(fs.readFileSync(adminTokenFile(dir), 'utf8').trim()).toBe(token);
    expect(mode(adminTokenFile(dir))).toBe(0o600);
    expect(mode(path.join(dir, 'pki'))).toBe(0o700);
  });

  it('returns the same token on later starts without rewriting anything', () => {
    const first = ensureAdmin(dir).token;
    const before = fs.statSync(usersFile(dir)).mtimeMs;
    expect(ensureAdmin(dir).token).toBe(first);
    expect(fs.statSync(usersFile(dir)).mtimeMs).toBe(before);
  });

  it('keeps other users', () => {
    addUser(dir, 'alice', []);
    ensureAdmin(dir);
    expect(listUsers(dir).map((u) => u.name)).toEqual(['alice', ADMIN_USER]);
  });

  it('follows a rotation of the admin token, which rewrites admin.token too', () => {
    const first = ensureAdmin(dir).token;
    const { token } = rotateToken(dir, ADMIN_USER);
    expect(token).not.toBe(first);
    expect(fs.readFileSync(adminTokenFile(dir), 'utf8').trim()).toBe(token);
    expect(ensureAdmin(dir).token).toBe(token);
  });

  it('repairs users.json from admin.token when a rotation stopped half-way', () => {
    const { token } = ensureAdmin(dir);
    const users = readUsers(dir);
    users[0]!.tokenSha256 = 'f'.repeat(64);
    fs.writeFileSync(usersFile(dir), JSON.stringify({ users }));
    expect(ensureAdmin(dir).token).toBe(token);
    expect(readUsers(dir)[0]?.tokenSha256).toBe(hashToken(token));
  });

  it('makes a new token when admin.token is gone or not a Kura token', () => {
    const first = ensureAdmin(dir).token;
    fs.rmSync(adminTokenFile(dir));
    const second = ensureAdmin(dir).token;
    expect(second).not.toBe(first);
    fs.writeFileSync(adminTokenFile(dir), 'password\n');
    const third = ensureAdmin(dir).token;
    expect(third).not.toBe('password');
    expect(readUsers(dir)[0]?.tokenSha256).toBe(hashToken(third));
  });

  it('tightens a loosened admin.token', () => {
    ensureAdmin(dir);
    fs.chmodSync(adminTokenFile(dir), 0o644);
    ensureAdmin(dir);
    expect(mode(adminTokenFile(dir))).toBe(0o600);
  });
});
