import { describe, expect, it } from 'vitest';
import { GiB, MiB } from '../provisioning';
import { type TransferRate, describeTransfer, formatProgress, formatRate, formatTimeLeft, nextTransferRate, parseProgress, timeLeftMs } from './progress';

describe('formatProgress', () => {
  it.each<[number, number | undefined, string]>([
    [0, 100, '0.00%'],
    [4713, 10000, '47.13%'],
    [1, 3, '33.33%'],
    [2, 3, '66.66%'],
    [99_999, 100_000, '99.99%'],
    [100, 100, '100.00%'],
    [150, 100, '100.00%'],
    [-5, 100, '0.00%'],
    [5, 0, 'N/A'],
    [5, undefined, 'N/A'],
    [5, 0.5, 'N/A'],
    [Number.NaN, 100, 'N/A'],
    [Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER, '99.99%'],
    [4 * 1024 * GiB, 8 * 1024 * GiB, '50.00%'],
  ])('%s of %s → %s', (done, total, text) => {
    expect(formatProgress(done, total)).toBe(text);
  });
});

describe('parseProgress', () => {
  it.each<[string | undefined, number | undefined]>([
    ['47.13%', 47.13],
    ['100.0%', 100],
    ['0%', 0],
    ['N/A', undefined],
    ['', undefined],
    [undefined, undefined],
    ['101%', undefined],
    ['-1%', undefined],
    ['50', undefined],
  ])('%s → %s', (text, n) => {
    expect(parseProgress(text)).toBe(n);
  });
});

describe('nextTransferRate', () => {
  it('needs two samples before it knows a speed', () => {
    const r = nextTransferRate(undefined, { at: 0, bytes: 0 });
    expect(r.bytesPerSecond).toBeUndefined();
    expect(nextTransferRate(r, { at: 1000, bytes: 4 * MiB }).bytesPerSecond).toBe(4 * MiB);
  });

  it('converges on a steady speed and smooths a spike', () => {
    let r: TransferRate | undefined;
    let bytes = 0;
    for (let t = 0; t <= 60_000; t += 1000) {
      r = nextTransferRate(r, { at: t, bytes });
      bytes += 2 * MiB;
    }
    expect(r?.bytesPerSecond).toBeCloseTo(2 * MiB, -3);
    // One second at 20 MiB/s moves the average by 1 − e^(−1/5) ≈ 18% of the jump, not all of it.
    const spiked = nextTransferRate(r, { at: 61_000, bytes: (r as TransferRate).bytes + 20 * MiB });
    expect(spiked.bytesPerSecond).toBeGreaterThan(4 * MiB);
    expect(spiked.bytesPerSecond).toBeLessThan(6 * MiB);
  });

  it('weighs a long gap more than a short one', () => {
    const base: TransferRate = { at: 0, bytes: 0, bytesPerSecond: MiB };
    const short = nextTransferRate(base, { at: 100, bytes: 1 * MiB });
    const long = nextTransferRate(base, { at: 20_000, bytes: 200 * MiB });
    // Both samples ran at 10 MiB/s; the 20 s one should pull the average nearly all the way.
    expect((short.bytesPerSecond as number) / MiB).toBeLessThan(2);
    expect((long.bytesPerSecond as number) / MiB).toBeGreaterThan(9.5);
  });

  it('ignores a sample out of order and restarts when the bytes go back', () => {
    const base: TransferRate = { at: 5000, bytes: 100, bytesPerSecond: 10 };
    expect(nextTransferRate(base, { at: 4000, bytes: 200 })).toBe(base);
    expect(nextTransferRate(base, { at: 5000, bytes: 200 })).toBe(base);
    expect(nextTransferRate(base, { at: 6000, bytes: 0 })).toEqual({ at: 6000, bytes: 0 });
  });
});

describe('time left', () => {
  it.each<[number, number | undefined, number | undefined, number | undefined]>([
    [0, 100 * MiB, MiB, 100_000],
    [50 * MiB, 100 * MiB, MiB, 50_000],
    [100 * MiB, 100 * MiB, MiB, 0],
    [0, undefined, MiB, undefined],
    [0, 100, undefined, undefined],
    [0, 100, 0, undefined],
    [0, 100, 0.5, undefined],
  ])('%s of %s at %s B/s → %s ms', (done, total, rate, ms) => {
    expect(timeLeftMs(done, total, rate)).toBe(ms);
  });

  it.each<[number, string]>([
    [500, 'almost done'],
    [30_000, 'less than a minute left'],
    [60_000, 'about 1 min left'],
    [125_000, 'about 2 min left'],
    [89 * 60_000, 'about 89 min left'],
    [95 * 60_000, 'about 1 h 35 min left'],
    [3 * 3_600_000, 'about 3 h left'],
    [47 * 3_600_000, 'about 47 h left'],
    [3 * 86_400_000, 'about 3 days left'],
  ])('%s ms → %s', (ms, text) => {
    expect(formatTimeLeft(ms)).toBe(text);
  });
});

describe('describeTransfer', () => {
  it.each<[Parameters<typeof describeTransfer>[0], string]>([
    [{ doneBytes: 0, totalBytes: 400 * MiB, bytesPerSecond: 3.2 * MiB }, '3.2 MiB/s, about 2 min left'],
    [{ doneBytes: 1.5 * GiB, bytesPerSecond: 3.2 * MiB }, '3.2 MiB/s, 1.5 GiB so far'],
    [{ doneBytes: 10 * MiB, totalBytes: 20 * MiB, bytesPerSecond: 0 }, 'stalled at 10 MiB'],
    [{ doneBytes: 0, totalBytes: 20 * MiB, bytesPerSecond: 0 }, 'stalled'],
    [{ doneBytes: 0, totalBytes: 20 * MiB }, 'starting'],
    [{ doneBytes: 0, totalBytes: 1000 * MiB, bytesPerSecond: 100 * MiB }, '100 MiB/s, less than a minute left'],
    [{ doneBytes: 0, totalBytes: 10 * MiB, bytesPerSecond: 100 * MiB }, '100 MiB/s, almost done'],
  ])('%j → %s', (t, text) => {
    expect(describeTransfer(t)).toBe(text);
  });

  it('formats a speed', () => {
    expect(formatRate(512)).toBe('512 B/s');
    expect(formatRate(-3)).toBe('0 B/s');
    expect(formatRate(1.25 * GiB)).toBe('1.3 GiB/s');
  });
});
