// TokenAuthenticator: what each Authorization header yields, and changes made by another process.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TokenAuthenticator } from './authenticator';
import { addUser, ensureAdmin, removeUser, rotateToken, usersFile } from './users';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kura-authn-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('authenticate', () => {
  let tokens: { alice: string; admin: string };
  let authn: TokenAuthenticator;
  beforeEach(() => {
    tokens = { alice: addUser(dir, 'alice', ['devs']).token, admin: ensureAdmin(dir).token };
    authn = new TokenAuthenticator(dir);
  });
  const alice = { user: { username: 'alice', groups: ['devs', 'system:authenticated'] } };

  it.each<[string, (t: typeof tokens) => string | undefined, unknown]>([
    ['a user token', (t) => `Bearer ${t.alice}`, alice],
    ['a lowercase scheme', (t) => `bearer ${t.alice}`, alice],
    ['extra spaces', (t) => `  Bearer   ${t.alice}  `, alice],
    ['the admin token', (t) => `Bearer ${t.admin}`, { user: { username: 'kura-admin', groups: ['system:masters', 'system:authenticated'] } }],
    ['no header', () => undefined, { anonymous: true }],
    ['an empty header', () => '', { anonymous: true }],
    ['a token with one character more', (t) => `Bearer ${t.alice}x`, { error: 'invalid bearer token' }],
    ['an unknown token', () => 'Bearer kura_unknown', { error: 'invalid bearer token' }],
    ['a scheme without token', () => 'Bearer', { error: 'the Authorization header has no bearer token' }],
    ['a scheme with blanks', () => 'Bearer    ', { error: 'the Authorization header has no bearer token' }],
    ['two tokens', (t) => `Bearer ${t.alice} extra`, { error: 'malformed bearer token' }],
    ['non-ASCII', () => 'Bearer tök€n', { error: 'malformed bearer token' }],
    ['a huge token', () => `Bearer ${'a'.repeat(9000)}`, { error: 'malformed bearer token' }],
    ['basic auth', () => 'Basic YWxpY2U6cGFzcw==', { error: 'unsupported authorization scheme "Basic": only bearer tokens are accepted' }],
    ['a bare token', (t) => t.alice, { error: expect.stringContaining('unsupported authorization scheme') }],
  ])('%s', (_, header, expected) => {
    expect(authn.authenticate(header(tokens))).toEqual(expected);
  });

  it('never lets a bad token fall back to anonymous, even with no users file', () => {
    fs.rmSync(usersFile(dir));
    expect(new TokenAuthenticator(dir).authenticate('Bearer whatever')).toEqual({ error: 'invalid bearer token' });
  });

  it('hands out copies, so a caller cannot change the next answer', () => {
    const first = authn.authenticate(`Bearer ${tokens.alice}`);
    if (!('user' in first)) throw new Error('expected a user');
    first.user.groups.push('system:masters');
    expect(authn.authenticate(`Bearer ${tokens.alice}`)).toEqual(alice);
  });
});

describe('changes made by another process', () => {
  it('are picked up at the first failed lookup after a short pause; removals within the recheck interval', () => {
    let now = 0;
    const authn = new TokenAuthenticator(dir, { now: () => now });
    const token = addUser(dir, 'alice', []).token;
    expect(authn.authenticate(`Bearer ${token}`)).toEqual({ error: 'invalid bearer token' });
    now = 60;
    expect(authn.authenticate(`Bearer ${token}`)).toMatchObject({ user: { username: 'alice' } });
    removeUser(dir, 'alice');
    now = 500;
    expect(authn.authenticate(`Bearer ${token}`)).toMatchObject({ user: { username: 'alice' } });
    now = 1100;
    expect(authn.authenticate(`Bearer ${token}`)).toEqual({ error: 'invalid bearer token' });
  });

  it('follow rotation and removal', () => {
    const authn = new TokenAuthenticator(dir, { recheckIntervalMs: 0 });
    const old = addUser(dir, 'alice', []).token;
    expect(authn.authenticate(`Bearer ${old}`)).toMatchObject({ user: { username: 'alice' } });
    const rotated = rotateToken(dir, 'alice').token;
    expect(authn.authenticate(`Bearer ${old}`)).toEqual({ error: 'invalid bearer token' });
    expect(authn.authenticate(`Bearer ${rotated}`)).toMatchObject({ user: { username: 'alice' } });
    removeUser(dir, 'alice');
    expect(authn.authenticate(`Bearer ${rotated}`)).toEqual({ error: 'invalid bearer token' });
  });

  it('keep the last good users when the file is broken, and apply the next good write', () => {
    const authn = new TokenAuthenticator(dir, { recheckIntervalMs: 0 });
    const alice = addUser(dir, 'alice', []).token;
    expect(authn.authenticate(`Bearer ${alice}`)).toMatchObject({ user: { username: 'alice' } });
    const good = fs.readFileSync(usersFile(dir), 'utf8');
    fs.writeFileSync(usersFile(dir), good.slice(0, 20));
    expect(authn.authenticate(`Bearer ${alice}`)).toMatchObject({ user: { username: 'alice' } });
    fs.writeFileSync(usersFile(dir), good);
    const bob = addUser(dir, 'bob', []).token;
    expect(authn.authenticate(`Bearer ${bob}`)).toMatchObject({ user: { username: 'bob' } });
  });

  it('fail closed when the file is deleted', () => {
    const authn = new TokenAuthenticator(dir, { recheckIntervalMs: 0 });
    const alice = addUser(dir, 'alice', []).token;
    expect(authn.authenticate(`Bearer ${alice}`)).toMatchObject({ user: { username: 'alice' } });
    fs.rmSync(usersFile(dir));
    expect(authn.authenticate(`Bearer ${alice}`)).toEqual({ error: 'invalid bearer token' });
  });
});
