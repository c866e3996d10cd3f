import { describe, expect, it } from 'vitest';
import { GiB, MAX_SAFE_BYTES, PiB, bytesFromQuantity, formatSize, parseBytes } from './bytes';

describe('bytesFromQuantity', () => {
  it.each<[string | number, number]>([
    ['1Gi', GiB],
    ['1.5Gi', 1.5 * GiB],
    ['10G', 10_000_000_000],
    ['100m', 1], // fractions of a byte round up, as Kubernetes does
    [512, 512],
    ['7Pi', 7 * PiB],
    ['8191Ti', 8191 * 1024 ** 4], // just under 2^53: still exact
  ])('%s → %d bytes', (q, bytes) => {
    expect(bytesFromQuantity(q)).toBe(bytes);
  });

  it('refuses sizes a double cannot hold exactly', () => {
    expect(() => bytesFromQuantity('8Pi')).toThrow(/8 PiB or more/);
    expect(() => bytesFromQuantity('-9Pi')).toThrow(RangeError);
    expect(MAX_SAFE_BYTES).toBe(2 ** 53 - 1);
  });
});

describe('parseBytes', () => {
  it.each<[string | number | undefined, { bytes?: number; error?: RegExp }]>([
    ['20Gi', { bytes: 20 * GiB }],
    [undefined, { error: /required/ }],
    ['lots', { error: /quantities must match/ }],
    ['1gi', { error: /suffix|must match/ }],
    ['100Pi', { error: /8 PiB or more/ }],
  ])('%s', (q, want) => {
    const got = parseBytes(q);
    if (want.bytes !== undefined) expect(got).toEqual({ bytes: want.bytes });
    else expect(got.error).toMatch(want.error as RegExp);
  });
});

describe('formatSize', () => {
  it.each<[number, string]>([
    [20 * GiB, '20 GiB'],
    [1.5 * GiB, '1.5 GiB'],
    [-5, '0 B'],
  ])('%d → %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});
