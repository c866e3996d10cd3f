import { describe, expect, it } from 'vitest';
import { rankNodes } from './evaluate';
import { CLASSES, GiB, makeNode, makeRequest, volume } from './testing';
import type { PlacementRequest, SchedulingNode } from './types';

const rejectionsOf = (nodes: SchedulingNode[], req: PlacementRequest) => rankNodes(nodes, req, CLASSES).rejections.map((r) => r.message);

describe('rankNodes: why a node is refused', () => {
  it.each<[string, SchedulingNode, PlacementRequest, string]>([
    ['short of node-local space', makeNode('node-2', { freeGiB: 3 }), makeRequest([volume('data', 20)]), 'node-2: 3 GiB free in kura-local, needs 20 GiB'],
    ['not ready', makeNode('node-3', { ready: false }), makeRequest(), 'node-3: not ready'],
    ['cordoned', makeNode('node-3', { schedulable: false }), makeRequest(), 'node-3: cordoned (unschedulable)'],
    ['short of CPU', makeNode('node-1', { cpuFree: 1500 }), makeRequest(), 'node-1: 1.5 CPU free, needs 2'],
    ['overcommitted CPU shows as none free', makeNode('node-1', { cpuFree: -500 }), makeRequest(), 'node-1: 0 CPU free, needs 2'],
    ['short of memory', makeNode('node-1', { memFreeGiB: 2 }), makeRequest(), 'node-1: 2 GiB memory free, needs 4 GiB'],
    ["the volume's data is elsewhere", makeNode('node-2'), makeRequest([volume('data', 20, 'kura-local', 'node-1')]), 'node-2: volume data is on node-1'],
    ['no pool of the class', makeNode('node-2'), makeRequest([volume('scratch', 1, 'kura-fast')]), 'node-2: no kura-fast pool'],
    ['the node selector', makeNode('node-4', { labels: { zone: 'b' } }), makeRequest([], { nodeSelector: { zone: 'a', disk: 'ssd' } }), 'node-4: labels do not match the node selector disk=ssd,zone=a'],
    [
      'several reasons, in a fixed order',
      makeNode('node-2', { ready: false, cpuFree: 1000, freeGiB: 3 }),
      makeRequest([volume('a', 20), volume('b', 1, 'kura-fast')]),
      'node-2: not ready; 1 CPU free, needs 2; 3 GiB free in kura-local, needs 20 GiB; no kura-fast pool',
    ],
    ['two volumes of a class add up on one node', makeNode('node-2', { freeGiB: 30 }), makeRequest([volume('a', 20), volume('b', 20)]), 'node-2: 30 GiB free in kura-local, needs 40 GiB'],
  ])('%s', (_, node, req, message) => {
    expect(rejectionsOf([node], req)).toEqual([message]);
  });

  it('puts no constraint for shared volumes, bound ones or unknown drivers', () => {
    const req = makeRequest([volume('logs', 400, 'kura-shared'), volume('old', 50, 'kura-shared', null), volume('ext', 1e5, 'ceph')]);
    expect(rankNodes([makeNode('node-1', { freeGiB: 0 })], req, CLASSES).node).toBe('node-1');
  });
});

describe('rankNodes: which node', () => {
  const nodes = [makeNode('node-1', { freeGiB: 100 }), makeNode('node-2', { freeGiB: 480 }), makeNode('node-3', { freeGiB: 3 })];

  it('prefers the node with more storage, the TopoLVM way, and says why', () => {
    const result = rankNodes(nodes, makeRequest([volume('data', 20)]), CLASSES);
    expect(result.node).toBe('node-2');
    expect(result.ranked.map((r) => [r.node, r.storageScore])).toEqual([['node-2', 8], ['node-1', 6]]);
    // CPU 6 of 8 left (7.5), memory 28 of 32 left (8.75): 8.125; with storage 8, 8.0625.
    expect(result.ranked[0]?.resourceScore).toBeCloseTo(8.125, 10);
    expect(result.reason).toBe('node-2, the best of 2 fitting out of 3 nodes (score 8.1 of 10): 480 GiB free in kura-local; 6 CPU and 28 GiB memory left after placement.');
    expect(result).toMatchObject({ nodeCount: 3, feasibleCount: 2, rejectedBy: { storage: 1 }, problems: [] });
  });

  it('uses the scarcest class when the request provisions several', () => {
    const withFast = nodes.map((n, i) => ({ ...n, storage: { ...n.storage, 'kura-fast': { freeBytes: [1000, 30, 500][i]! * GiB } } }));
    const result = rankNodes(withFast, makeRequest([volume('data', 20), volume('scratch', 10, 'kura-fast')]), CLASSES);
    // node-2: min(8 for kura-local, log2(30/10)=1 for kura-fast) = 1; node-1: min(6, log2(100)=6) = 6.
    expect(result.ranked.map((r) => [r.node, r.storageScore])).toEqual([['node-1', 6], ['node-2', 1]]);
    expect(result.reason).toContain('100 GiB free in kura-local');
  });

  it('weighs CPU and memory headroom against storage as configured', () => {
    // node-1: storage 10, resources 1.875; node-2: storage 3, resources 8.125.
    const busy = [makeNode('node-1', { freeGiB: 2000, cpuFree: 4000, memFreeGiB: 8 }), makeNode('node-2', { freeGiB: 10 })];
    const req = makeRequest([volume('data', 1)]);
    expect(rankNodes(busy, req, CLASSES, { weights: { storage: 1, resources: 1 } }).node).toBe('node-1');
    expect(rankNodes(busy, req, CLASSES, { weights: { storage: 1, resources: 4 } }).node).toBe('node-2');
  });

  it('breaks ties by name', () => {
    const twins = [makeNode('node-b'), makeNode('node-c'), makeNode('node-a')];
    expect(rankNodes(twins, makeRequest([volume('data', 1)]), CLASSES).ranked.map((r) => r.node)).toEqual(['node-a', 'node-b', 'node-c']);
  });

  it('goes where the existing volume is', () => {
    const result = rankNodes(nodes, makeRequest([volume('root', 20, 'kura-local', 'node-3'), volume('new', 1)]), CLASSES);
    expect(result.node).toBe('node-3');
    expect(result.reason).toMatch(/^node-3, where volume root lives \(score /);
  });

  it.each<[string, SchedulingNode[], PlacementRequest, string]>([
    ['no nodes', [], makeRequest(), 'No node fits: the cluster has no nodes.'],
    [
      'storage short everywhere: the most free',
      [makeNode('node-1', { freeGiB: 40 }), makeNode('node-2', { freeGiB: 40, ready: false }), makeNode('node-3', { freeGiB: 10 })],
      makeRequest([volume('data', 50)]),
      'No node fits among 3 nodes: 1 not ready, 3 short of space in kura-local (the most free in kura-local is 40 GiB on node-1, needs 50 GiB).',
    ],
    ['no pool anywhere', [makeNode('node-1')], makeRequest([volume('s', 1, 'kura-fast')]), 'No node fits among 1 node: 1 short of space in kura-fast (no node has a kura-fast pool).'],
    [
      'mixed reasons',
      [makeNode('node-1', { cpuFree: 0 }), makeNode('node-2', { schedulable: false }), makeNode('node-3', { memFreeGiB: 1 })],
      makeRequest([volume('root', 1, 'kura-local', 'node-1')]),
      'No node fits among 3 nodes: 1 cordoned, 2 not holding volume root (it is on node-1), 1 short of CPU, 1 short of memory.',
    ],
    ['a request problem', [makeNode('node-1')], makeRequest([volume('data', 1, 'gold')]), 'No node fits: volume data: no StorageClass named gold.'],
  ])('when nothing fits: %s', (_, list, req, reason) => {
    const result = rankNodes(list, req, CLASSES);
    expect(result.node).toBeUndefined();
    expect(result.reason).toBe(reason);
  });

  it('limits the ranking and the explanations', () => {
    const many = Array.from({ length: 20 }, (_, i) => makeNode(`n${String(i).padStart(2, '0')}`, { freeGiB: i < 5 ? 1 : 100 }));
    const result = rankNodes(many, makeRequest([volume('data', 10)]), CLASSES, { limit: 3, explain: 2 });
    expect(result.ranked.map((r) => r.node)).toEqual(['n05', 'n06', 'n07']);
    expect(result.rejections.map((r) => r.node)).toEqual(['n00', 'n01']);
    expect(result.feasibleCount).toBe(15);
    expect(result.rejectedBy.storage).toBe(5);
  });
});
