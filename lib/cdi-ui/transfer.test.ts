import { describe, expect, it } from 'vitest';
import type { DataVolume } from '../cdi';
import { describeDataVolumeTransfer, nextTransferEstimate, type TransferEstimate } from './transfer';

const MiB = 2 ** 20;

function dv(rv: string, opts: { bytes?: string; progress?: string; phase?: string }): DataVolume {
  return {
    metadata: { name: 'd', namespace: 'ns', resourceVersion: rv, ...(opts.bytes ? { annotations: { 'progress.kura.dev/bytes': opts.bytes } } : {}) },
    spec: { source: { http: { url: 'https://example.com/d.img' } } },
    status: { phase: opts.phase ?? 'ImportInProgress', ...(opts.progress ? { progress: opts.progress } : {}) },
  };
}

function fold(samples: [number, DataVolume][]): TransferEstimate | undefined {
  let est: TransferEstimate | undefined;
  for (const [at, obj] of samples) est = nextTransferEstimate(est, obj, at);
  return est;
}

describe('transfer estimate from published bytes', () => {
  it('gives speed and time left', () => {
    const obj = dv('3', { bytes: `${40 * MiB}/${100 * MiB}` });
    const est = fold([
      [0, dv('1', { bytes: `0/${100 * MiB}` })],
      [2000, dv('2', { bytes: `${20 * MiB}/${100 * MiB}` })],
      [4000, obj],
    ]);
    expect(est?.basis).toBe('bytes');
    expect(est?.rate.bytesPerSecond).toBeCloseTo(10 * MiB);
    expect(describeDataVolumeTransfer(obj, est)).toEqual({ percent: 40, amount: '40 MiB of 100 MiB', line: '10 MiB/s, less than a minute left' });
  });

  it('skips samples too close together to measure', () => {
    // The list's figure was a second old when the first watch event brought the next one.
    const est = fold([
      [0, dv('1', { bytes: `0/${100 * MiB}` })],
      [100, dv('2', { bytes: `${1 * MiB}/${100 * MiB}` })],
      [2000, dv('3', { bytes: `${2 * MiB}/${100 * MiB}` })],
    ]);
    expect(est?.rate.bytesPerSecond).toBeCloseTo(MiB);
  });

  it('says "so far" without a total', () => {
    const obj = dv('2', { bytes: `${10 * MiB}/` });
    const est = fold([
      [0, dv('1', { bytes: '0/' })],
      [2000, obj],
    ]);
    expect(describeDataVolumeTransfer(obj, est)).toEqual({ amount: '10 MiB so far', line: '5 MiB/s, 10 MiB so far' });
  });

  it('stops telling a speed when no figure came for a while', () => {
    const obj = dv('2', { bytes: `${20 * MiB}/${100 * MiB}` });
    const est = fold([
      [0, dv('1', { bytes: `0/${100 * MiB}` })],
      [2000, obj],
    ]);
    expect(describeDataVolumeTransfer(obj, est, 10_000).line).toBe('10 MiB/s, less than a minute left');
    expect(describeDataVolumeTransfer(obj, est, 47_000).line).toBe('no progress reported for 45s');
  });

  it('counts the same object seen twice once', () => {
    const a = fold([[0, dv('1', { bytes: '0/100' })]]);
    expect(nextTransferEstimate(a, dv('1', { bytes: '0/100' }), 5000)).toBe(a);
  });

  it('stops when the transfer is over', () => {
    expect(nextTransferEstimate(fold([[0, dv('1', { bytes: '0/100' })]]), dv('2', { phase: 'Succeeded' }), 1000)).toBeUndefined();
  });
});

describe('transfer estimate from status.progress only (a real CDI)', () => {
  it('gives a time left and no speed', () => {
    const obj = dv('3', { progress: '20.00%' });
    const est = fold([
      [0, dv('1', { progress: '10.00%' })],
      [60_000, dv('2', { progress: '15.00%' })],
      [120_000, obj],
    ]);
    expect(est?.basis).toBe('percent');
    // 5 % a minute, 80 % to go: 16 minutes.
    expect(describeDataVolumeTransfer(obj, est)).toEqual({ percent: 20, line: 'about 16 min left' });
  });

  it('has nothing to say before two samples', () => {
    const obj = dv('1', { progress: '10.00%' });
    expect(describeDataVolumeTransfer(obj, fold([[0, obj]]))).toEqual({ percent: 10 });
  });

  it('starts over when bytes appear', () => {
    const est = fold([
      [0, dv('1', { progress: '10.00%' })],
      [3000, dv('2', { progress: '11.00%', bytes: '10/100' })],
    ]);
    expect(est?.basis).toBe('bytes');
    expect(est?.rate.bytesPerSecond).toBeUndefined();
  });
});
