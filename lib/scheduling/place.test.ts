import { describe, expect, it } from 'vitest';
import { rankNodes } from './evaluate';
import { placeVm } from './place';
import { compileCluster, refreshNode, refreshSharedPool } from './snapshot';
import { CLASSES, GiB, makeNode, makeRequest, prng, randomNodes, randomRequest, volume } from './testing';
import type { PlacementOptions } from './types';

describe('placeVm gives exactly what rankNodes gives', () => {
  const optionSets: PlacementOptions[] = [
    {},
    { limit: 0, explain: 0 },
    { limit: 1, explain: 3 },
    { limit: 64 },
    { limit: 65 },
    { limit: Infinity, weights: { storage: 3, resources: 1 } },
    { weights: { storage: 1, resources: 0 } },
  ];
  it.each(Array.from({ length: 40 }, (_, seed) => seed))('random cluster, seed %i', (seed) => {
    const r = prng(seed);
    const nodes = randomNodes(r, Math.floor(r() * 150));
    const snapshot = compileCluster(nodes, CLASSES);
    for (let k = 0; k < 25; k++) {
      const req = randomRequest(r, nodes);
      const options = optionSets[k % optionSets.length] as PlacementOptions;
      expect(placeVm(snapshot, req, options)).toEqual(rankNodes(nodes, req, CLASSES, options));
    }
  });
});

describe('placeVm pruning stays exact', () => {
  it('breaks ties at the cut-off by name, among 300 identical nodes', () => {
    const twins = Array.from({ length: 300 }, (_, i) => makeNode(`n-${String((i * 7919) % 300).padStart(3, '0')}`));
    const result = placeVm(compileCluster(twins, CLASSES), makeRequest([volume('data', 10)]), { limit: 5 });
    expect(result.ranked.map((r) => r.node)).toEqual(['n-000', 'n-001', 'n-002', 'n-003', 'n-004']);
  });

  it('agrees with rankNodes on a big cluster, where most nodes are pruned', () => {
    const r = prng(2026);
    const nodes = randomNodes(r, 3000);
    const snapshot = compileCluster(nodes, CLASSES);
    for (let k = 0; k < 20; k++) {
      const req = randomRequest(r, nodes);
      expect(placeVm(snapshot, req, { explain: 5 })).toEqual(rankNodes(nodes, req, CLASSES, { explain: 5 }));
    }
  });

  it.each([{ storage: -1, resources: 1 }, { storage: 1, resources: NaN }])('refuses weights %j', (weights) => {
    const nodes = [makeNode('node-1')];
    const expected = 'No node fits: score weights must be numbers of 0 or more';
    expect(placeVm(compileCluster(nodes, CLASSES), makeRequest(), { weights }).reason.startsWith(expected)).toBe(true);
    expect(rankNodes(nodes, makeRequest(), CLASSES, { weights }).reason.startsWith(expected)).toBe(true);
  });
});

describe('placeVm on a compiled cluster', () => {
  const nodes = [makeNode('node-1', { freeGiB: 100 }), makeNode('node-2', { freeGiB: 480 }), makeNode('node-3', { freeGiB: 3, ready: false })];

  it('chooses, ranks and explains', () => {
    const result = placeVm(compileCluster(nodes, CLASSES), makeRequest([volume('data', 20)]));
    expect(result.node).toBe('node-2');
    expect(result.rejections.map((r) => r.message)).toEqual(['node-3: not ready; 3 GiB free in kura-local, needs 20 GiB']);
    expect(result.rejectedBy).toEqual({ notReady: 1, unschedulable: 0, nodeSelector: 0, volumeNode: 0, cpu: 0, memory: 0, storage: 1 });
  });

  it('follows a node refreshed after a placement', () => {
    const snapshot = compileCluster(nodes, CLASSES);
    refreshNode(snapshot, makeNode('node-2', { freeGiB: 15 }));
    const result = placeVm(snapshot, makeRequest([volume('data', 20)]));
    expect(result.node).toBe('node-1');
    expect(result.rejections.map((r) => r.message)).toContain('node-2: 15 GiB free in kura-local, needs 20 GiB');
  });

  it('follows labels refreshed after a node selector was first used', () => {
    const snapshot = compileCluster(nodes, CLASSES);
    const req = makeRequest([], { nodeSelector: { zone: 'a' } });
    expect(placeVm(snapshot, req).node).toBeUndefined();
    refreshNode(snapshot, makeNode('node-1', { labels: { zone: 'a' } }));
    expect(placeVm(snapshot, req).node).toBe('node-1');
  });

  it('follows the shared pool', () => {
    const snapshot = compileCluster(nodes, CLASSES);
    const req = makeRequest([volume('logs', 300, 'kura-shared')]);
    // Shared volumes give no storage score: equal nodes, so the first by name.
    expect(placeVm(snapshot, req).node).toBe('node-1');
    refreshSharedPool(snapshot, 'kura-shared', 200 * GiB);
    expect(placeVm(snapshot, req)).toMatchObject({ node: undefined, problems: ['200 GiB free in kura-shared, needs 300 GiB'] });
  });

  it('refuses every node when the volume is on a node the cluster lacks', () => {
    const result = placeVm(compileCluster(nodes, CLASSES), makeRequest([volume('root', 10, 'kura-local', 'node-9')]));
    expect(result.node).toBeUndefined();
    expect(result.rejectedBy.volumeNode).toBe(3);
  });

  it.each<[string, () => void, RegExp]>([
    ['duplicate node names', () => compileCluster([makeNode('a'), makeNode('a')], CLASSES), /node a appears twice/],
    ['refreshing an unknown node', () => refreshNode(compileCluster(nodes, CLASSES), makeNode('node-7')), /node-7 is not in the snapshot/],
    ['refreshing a node-local class as shared', () => refreshSharedPool(compileCluster(nodes, CLASSES), 'kura-local', 1), /kura-local is not a shared class/],
  ])('refuses %s', (_, act, message) => {
    expect(act).toThrow(message);
  });
});
