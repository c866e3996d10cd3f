import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, type TransferFailure, backoffDelay, parseRetryAfter, retryDecision } from './retry';

describe('retryDecision: what is retried', () => {
  it.each<[string, TransferFailure, boolean, string]>([
    ['a reset connection', { kind: 'network', code: 'ECONNRESET' }, true, 'the connection was reset'],
    ['a refused connection', { kind: 'network', code: 'ECONNREFUSED' }, true, 'the server refused the connection'],
    ['DNS not answering', { kind: 'network', code: 'EAI_AGAIN' }, true, 'name resolution failed for now'],
    ['an unknown socket error', { kind: 'network', code: 'EWHATEVER', message: 'socket hang up' }, true, 'socket hang up'],
    ['a timeout', { kind: 'timeout' }, true, 'the transfer timed out'],
    ['500', { kind: 'http', status: 500 }, true, 'the server answered 500'],
    ['502', { kind: 'http', status: 502 }, true, 'the server answered 502'],
    ['503', { kind: 'http', status: 503, url: 'https://a.example/x' }, true, 'the server answered 503 for https://a.example/x'],
    ['504', { kind: 'http', status: 504 }, true, 'the server answered 504'],
    ['408', { kind: 'http', status: 408 }, true, 'the server answered 408'],
    ['429', { kind: 'http', status: 429 }, true, 'the server answered 429 (too many requests)'],
    ['a truncated download', { kind: 'image', reason: 'Truncated', message: 'the download ended after 1 GiB of 2 GiB' }, true, 'the download ended after 1 GiB of 2 GiB'],
    ['an internal error', { kind: 'internal', message: 'qemu-img crashed' }, true, 'qemu-img crashed'],
    ['404', { kind: 'http', status: 404, url: 'https://a.example/x' }, false, 'the server answered 404 (not found) for https://a.example/x: check the URL'],
    ['410', { kind: 'http', status: 410 }, false, 'the server answered 410 (gone): the image was removed'],
    ['401', { kind: 'http', status: 401 }, false, 'the server answered 401 (unauthorized): check the user name and password in the Secret named in secretRef'],
    ['403', { kind: 'http', status: 403 }, false, 'the server answered 403 (forbidden): the credentials are not allowed to read it'],
    ['400', { kind: 'http', status: 400 }, false, 'the server answered 400'],
    ['416', { kind: 'http', status: 416 }, false, 'the server answered 416'],
    ['501', { kind: 'http', status: 501 }, false, 'the server answered 501'],
    ['a refused image', { kind: 'image', reason: 'NotADiskImage', message: 'the file is HTML, not a disk image' }, false, 'the file is HTML, not a disk image'],
    ['a bomb', { kind: 'image', reason: 'ImageBomb', message: 'too good to be true' }, false, 'too good to be true'],
    ['a refused URL', { kind: 'policy', message: '127.0.0.1 is a loopback address' }, false, '127.0.0.1 is a loopback address'],
    ['a checksum mismatch', { kind: 'checksum' }, false, 'the image does not match its checksum'],
    ['a full volume', { kind: 'no-space' }, false, 'the volume is full: ask for a bigger one'],
  ])('%s → retry %s', (_, failure, retry, reason) => {
    const d = retryDecision(failure, 1);
    expect(d.retry).toBe(retry);
    expect(d.reason).toBe(reason);
    expect(d.delayMs).toBe(retry ? 10_000 : 0);
  });
});

describe('backoff', () => {
  it.each<[number, number]>([
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [5, 160_000],
    [6, 300_000],
    [50, 300_000],
    [0, 10_000],
    [1e9, 300_000],
  ])('attempt %s waits %s ms', (attempt, ms) => {
    expect(retryDecision({ kind: 'timeout' }, attempt).delayMs).toBe(ms);
  });

  it.each<[number, number]>([
    [0, 40_000],
    [0.5, 38_000],
    [0.999, 36_004],
    [7, 36_004],
  ])('jitter %s takes up to a tenth off', (jitter, ms) => {
    expect(backoffDelay(3, DEFAULT_RETRY_POLICY, jitter)).toBe(ms);
  });

  it.each<[number | undefined, number, number]>([
    [60_000, 1, 60_000],
    [1_000, 3, 40_000],
    [3_600_000, 1, 600_000],
  ])('honours Retry-After %s at attempt %s: waits %s', (retryAfterMs, attempt, ms) => {
    expect(retryDecision({ kind: 'http', status: 429, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }, attempt).delayMs).toBe(ms);
  });

  it('gives up after maxAttempts when a policy sets it', () => {
    const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 3 };
    expect(retryDecision({ kind: 'http', status: 503 }, 2, policy).retry).toBe(true);
    expect(retryDecision({ kind: 'http', status: 503 }, 3, policy)).toEqual({ retry: false, delayMs: 0, reason: 'the server answered 503; gave up after 3 attempts' });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-01T10:00:00Z');
  it.each<[string | undefined, number | undefined]>([
    ['120', 120_000],
    ['0', 0],
    ['Sun, 01 Mar 2026 10:01:00 GMT', 60_000],
    ['Sun, 01 Mar 2026 09:00:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%s → %s', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });
});
