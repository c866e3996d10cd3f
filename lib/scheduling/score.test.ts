import { describe, expect, it } from 'vitest';
import { capacityToScore, combineScores, leastAllocatedScore } from './score';

const GiB = 2 ** 30;

describe('capacityToScore (TopoLVM)', () => {
  it.each<[string, number, number, number]>([
    ['nothing free', 0, 1, 0],
    ['less than 1 GiB (whole GiB only)', 0.9 * GiB, 1, 0],
    ['1 GiB: log2(1) = 0', GiB, 1, 0],
    ['2 GiB', 2 * GiB, 1, 1],
    ['3 GiB truncates down', 3 * GiB, 1, 1],
    ['just under 2 GiB rounds down to 1 GiB', 2 * GiB - 1, 1, 0],
    ['100 GiB', 100 * GiB, 1, 6],
    ['1023 GiB', 1023 * GiB, 1, 9],
    ['1024 GiB: 10', 1024 * GiB, 1, 10],
    ['huge: capped at 10', 2 ** 52, 1, 10],
    ['free below the divisor: 0, not negative', 5 * GiB, 10, 0],
    ['free just under the divisor: 0, not -0', 9 * GiB, 10, 0],
    ['free equal to the divisor', 10 * GiB, 10, 0],
    ['twice the divisor', 20 * GiB, 10, 1],
    ['a fractional divisor raises the score', GiB, 0.5, 1],
    ['the divisor spreads big pools: 10 TiB / 10', 10240 * GiB, 10, 10],
    ['10 TiB / 100', 10240 * GiB, 100, 6],
    ['a divisor of 0 is not a divisor', 100 * GiB, 0, 0],
    ['NaN free (no pool)', NaN, 1, 0],
  ])('%s', (_, free, divisor, want) => {
    expect(Object.is(capacityToScore(free, divisor), want)).toBe(true);
  });
});

describe('leastAllocatedScore', () => {
  it.each<[string, number[], number]>([
    ['half of both left', [4000, 2000, 4000, 8 * GiB, 4 * GiB, 8 * GiB], 5],
    ['an idle node, a tiny VM', [8000, 0, 8000, 16 * GiB, 0, 16 * GiB], 10],
    ['takes the last of both', [2000, 2000, 8000, 4 * GiB, 4 * GiB, 16 * GiB], 0],
    ['CPU left, memory not', [8000, 0, 8000, 4 * GiB, 4 * GiB, 16 * GiB], 5],
    ['no allocatable CPU scores that half 0', [0, 0, 0, 16 * GiB, 0, 16 * GiB], 5],
  ])('%s', (_, args, want) => {
    const [a, b, c, d, e, f] = args as [number, number, number, number, number, number];
    expect(leastAllocatedScore(a, b, c, d, e, f)).toBeCloseTo(want, 10);
  });
});

describe('combineScores', () => {
  it.each<[string, number | null, number, { storage: number; resources: number }, number]>([
    ['equal weights', 10, 6, { storage: 1, resources: 1 }, 8],
    ['storage weighs more', 10, 6, { storage: 3, resources: 1 }, 9],
    ['no node-local volume: resources alone', null, 6, { storage: 1, resources: 1 }, 6],
    ['storage only', 4, 6, { storage: 1, resources: 0 }, 4],
    ['no weight at all', 4, 6, { storage: 0, resources: 0 }, 0],
  ])('%s', (_, storage, resources, weights, want) => {
    expect(combineScores(storage, resources, weights)).toBe(want);
  });
});
