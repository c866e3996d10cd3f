import { describe, expect, it } from 'vitest';
import { GiB } from '../provisioning';
import { capacityBar } from './bars';
import type { PoolFacts } from './capacity';

const G = GiB;
const pool = (p: Partial<PoolFacts>): PoolFacts => ({ className: 'kura-local', node: 'node-1', overprovisionRatio: 1, ...p });
const parts = (p: PoolFacts) => capacityBar(p).segments.map((s) => [s.kind, s.bytes / G, Math.round(s.fraction * 100)]);

describe('capacityBar', () => {
  it.each<[string, Partial<PoolFacts>, (string | number)[][], string]>([
    ['allocated and free', { capacityBytes: 100 * G, allocatedBytes: 40 * G, freeBytes: 60 * G }, [['allocated', 40, 40], ['free', 60, 60]], '60 GiB free of 100 GiB'],
    [
      'written inside allocated',
      { capacityBytes: 100 * G, allocatedBytes: 40 * G, usedBytes: 10 * G, freeBytes: 60 * G },
      [['used', 10, 10], ['allocated', 30, 30], ['free', 60, 60]],
      '60 GiB free of 100 GiB',
    ],
    [
      'promised beyond the pool',
      { capacityBytes: 100 * G, allocatedBytes: 150 * G, freeBytes: 50 * G, overprovisionRatio: 2 },
      [['allocated', 100, 67], ['overprovisioned', 50, 33]],
      '50 GiB free, 50 GiB overprovisioned, pool 100 GiB',
    ],
    ['thin pool not yet past its size', { capacityBytes: 100 * G, allocatedBytes: 20 * G, freeBytes: 180 * G, overprovisionRatio: 2 }, [['allocated', 20, 20], ['free', 80, 80]], '180 GiB free to promise, pool 100 GiB (×2)'],
    ['empty pool', { capacityBytes: 100 * G, allocatedBytes: 0, freeBytes: 100 * G }, [['free', 100, 100]], '100 GiB free of 100 GiB'],
    ['no capacity published', { allocatedBytes: 5 * G }, [['allocated', 5, 100]], '5 GiB allocated, capacity unknown'],
    ['allocation not visible', { freeBytes: 80 * G }, [['free', 80, 100]], '80 GiB free'],
    ['nothing known', {}, [], 'capacity unknown'],
  ])('%s', (_n, facts, want, label) => {
    const p = pool(facts);
    expect(parts(p)).toEqual(want);
    expect(capacityBar(p).label).toBe(label);
  });

  it('gives exact figures for the tooltip', () => {
    const bar = capacityBar(pool({ capacityBytes: 100 * G, allocatedBytes: 150 * G, freeBytes: 50 * G, volumes: 3, overprovisionRatio: 2, capacitySource: 'annotation' }));
    expect(bar.details).toEqual([
      'Pool size: 100 GiB',
      'Allocated to volumes: 150 GiB in 3 volumes',
      "Overprovisioned: 50 GiB promised beyond the pool's size (ratio 2)",
      'Free to promise: 50 GiB',
    ]);
  });
});
