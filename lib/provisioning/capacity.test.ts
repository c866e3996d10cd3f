import { describe, expect, it } from 'vitest';
import { GiB } from './bytes';
import { type ClassPool, accountPool, checkFit, fitsInPool, summarizeClass } from './capacity';

const G = GiB;

describe('accountPool', () => {
  it.each<[string, number, number, number[], number, { allocatedBytes: number; promisableBytes: number; freeBytes: number; full: boolean }]>([
    ['empty', 100 * G, 0, [], 1, { allocatedBytes: 0, promisableBytes: 100 * G, freeBytes: 100 * G, full: false }],
    ['some promised', 100 * G, 5 * G, [20 * G, 30 * G], 1, { allocatedBytes: 50 * G, promisableBytes: 100 * G, freeBytes: 50 * G, full: false }],
    ['all promised', 100 * G, 0, [100 * G], 1, { allocatedBytes: 100 * G, promisableBytes: 100 * G, freeBytes: 0, full: false }],
    ['overprovisioned 2×', 100 * G, 10 * G, [150 * G], 2, { allocatedBytes: 150 * G, promisableBytes: 200 * G, freeBytes: 50 * G, full: false }],
    ['promised past a lowered ratio: nothing free, not negative', 100 * G, 0, [150 * G], 1, { allocatedBytes: 150 * G, promisableBytes: 100 * G, freeBytes: 0, full: false }],
    ['data fills the pool: nothing fits, whatever the ratio', 100 * G, 100 * G, [120 * G], 3, { allocatedBytes: 120 * G, promisableBytes: 300 * G, freeBytes: 0, full: true }],
    ['fractional ratio rounds down to whole bytes', 3, 0, [], 1.5, { allocatedBytes: 0, promisableBytes: 4, freeBytes: 4, full: false }],
    ['an invalid ratio counts as 1', 100 * G, 0, [], 0.5, { allocatedBytes: 0, promisableBytes: 100 * G, freeBytes: 100 * G, full: false }],
  ])('%s', (_, capacityBytes, usedBytes, sizes, ratio, want) => {
    expect(accountPool({ capacityBytes, usedBytes }, sizes, ratio)).toMatchObject(want);
  });

  it.each<[number, number, boolean]>([
    [50 * G, 50 * G, true],
    [50 * G, 50 * G + 1, false],
    [0, 0, true],
  ])('free %d fits %d: %s', (freeBytes, size, want) => {
    expect(fitsInPool({ freeBytes }, size)).toBe(want);
  });
});

const pool = (node: string | null, capacity: number, allocated: number, used = 0): ClassPool => ({
  node,
  usage: accountPool({ capacityBytes: capacity * G, usedBytes: used * G }, [allocated * G]),
});
const nodes = [pool('node-1', 100, 90), pool('node-2', 200, 80), pool('node-3', 100, 40, 10)];

describe('summarizeClass', () => {
  it('adds up a node-local class and finds the largest single free', () => {
    expect(summarizeClass('kura-local', nodes)).toEqual({
      className: 'kura-local',
      shared: false,
      pools: 3,
      capacityBytes: 400 * G,
      allocatedBytes: 210 * G,
      usedBytes: 10 * G,
      freeBytes: 190 * G,
      largestFree: { node: 'node-2', bytes: 120 * G },
    });
  });

  it('breaks ties by node name whatever the order', () => {
    const tie = [pool('node-b', 100, 0), pool('node-a', 100, 0)];
    expect(summarizeClass('c', tie).largestFree?.node).toBe('node-a');
  });

  it('counts a shared pool once', () => {
    expect(summarizeClass('kura-shared', [pool(null, 500, 100)])).toMatchObject({ shared: true, pools: 1, freeBytes: 400 * G, largestFree: { node: null, bytes: 400 * G } });
  });
});

describe('checkFit', () => {
  it.each<[string, ClassPool[], number, boolean, string[], string]>([
    ['on two of three nodes', nodes, 50, true, ['node-2', 'node-3'], 'fits on 2 of 3 nodes, 190 GiB free in kura-local (at most 120 GiB on one node)'],
    ['on one node', nodes, 100, true, ['node-2'], 'fits on 1 of 3 nodes, 190 GiB free in kura-local'],
    ['more than any one node has, though the class total would hold it', nodes, 150, false, [], 'fits on none of 3 nodes: the most free in kura-local is 120 GiB on node-2, needs 150 GiB'],
    ['no pool at all', [], 1, false, [], 'no pool of kura-local exists, so 1 GiB cannot be placed'],
    ['the shared pool, room', [pool(null, 500, 100)], 300, true, [], 'fits: 400 GiB free in kura-local'],
    ['the shared pool, no room', [pool(null, 500, 100)], 450, false, [], 'does not fit: 400 GiB free in kura-local, needs 450 GiB'],
  ])('%s', (_, pools, sizeGiB, fits, fitNodes, message) => {
    expect(checkFit('kura-local', pools, sizeGiB * G)).toMatchObject({ fits, nodes: fitNodes, message });
  });
});
