import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkCsrf, checkOrigin, expectedOrigin } from './guards';
import type { Session } from './sessions';

function req(method: string, headers: Record<string, string>, encrypted = false): IncomingMessage {
  return { method, headers, socket: { encrypted } } as unknown as IncomingMessage;
}

const session = { csrfToken: 'tok-123' } as Session;

describe('checkOrigin', () => {
  it.each<[string, string, Record<string, string>, string | undefined, boolean]>([
    ['GET from anywhere is fine', 'GET', { host: 'kura:3000', origin: 'https://evil.example' }, undefined, true],
    ['same origin POST', 'POST', { host: 'kura:3000', origin: 'http://kura:3000' }, undefined, true],
    ['foreign origin POST', 'POST', { host: 'kura:3000', origin: 'https://evil.example' }, undefined, false],
    ['scheme matters', 'DELETE', { host: 'kura:3000', origin: 'https://kura:3000' }, undefined, false],
    ['port matters', 'PUT', { host: 'kura:3000', origin: 'http://kura:3001' }, undefined, false],
    ['public URL decides behind a proxy', 'PATCH', { host: 'internal:3000', origin: 'https://kura.example.com' }, 'https://kura.example.com/', true],
    ['no Origin, no fetch metadata (curl)', 'POST', { host: 'kura:3000' }, undefined, true],
    ['no Origin but cross-site fetch metadata', 'POST', { host: 'kura:3000', 'sec-fetch-site': 'cross-site' }, undefined, false],
    ['null origin (sandboxed frame)', 'POST', { host: 'kura:3000', origin: 'null' }, undefined, false],
  ])('%s', (_n, method, headers, publicUrl, ok) => {
    expect(checkOrigin(req(method, headers), publicUrl) === undefined).toBe(ok);
  });
});

describe('checkCsrf', () => {
  it.each<[string, string, Record<string, string>, boolean]>([
    ['GET needs no token', 'GET', {}, true],
    ['POST with the token', 'POST', { 'x-csrf-token': 'tok-123' }, true],
    ['POST without the token', 'POST', {}, false],
    ['POST with a wrong token', 'POST', { 'x-csrf-token': 'tok-124' }, false],
    ['DELETE without the token', 'DELETE', {}, false],
  ])('%s', (_n, method, headers, ok) => {
    expect(checkCsrf(req(method, headers), session) === undefined).toBe(ok);
  });
});

describe('expectedOrigin', () => {
  it('uses https when the socket is TLS', () => {
    expect(expectedOrigin(req('GET', { host: 'k:1' }, true))).toBe('https://k:1');
  });
});
