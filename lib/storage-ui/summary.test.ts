import { describe, expect, it } from 'vitest';
import { GiB } from '../provisioning';
import type { PoolFacts } from './capacity';
import { storageSummary } from './summary';

const G = GiB;
const pool = (className: string, node: string | null, free: number, allocated?: number, ratio = 1): PoolFacts => ({
  className,
  node,
  freeBytes: free * G,
  allocatedBytes: allocated === undefined ? undefined : allocated * G,
  overprovisionRatio: ratio,
});

describe('storageSummary', () => {
  it('says the Overview sentence for a node-local class', () => {
    const s = storageSummary([pool('kura-local', 'node-1', 40, 60), pool('kura-local', 'node-2', 100, 0), pool('kura-local', 'node-3', 100, 0)], 3);
    expect(s.text).toBe('3 nodes, kura-local 240 GiB free of 300 GiB; largest free on one node 100 GiB');
    expect(s.classes[0]!.largestFree).toEqual({ node: 'node-2', bytes: 100 * G });
  });
  it('adds a shared class, and leaves out totals it cannot know', () => {
    const s = storageSummary([pool('kura-local', 'node-1', 50), pool('kura-local', 'node-2', 70), pool('kura-shared', null, 150, 50)]);
    expect(s.nodes).toBe(2);
    expect(s.text).toBe('2 nodes, kura-local 120 GiB free; largest free on one node 70 GiB; kura-shared 150 GiB free of 200 GiB, shared by all nodes');
  });
  it('names overprovisioning and says when nothing is published', () => {
    expect(storageSummary([pool('thin', 'n1', 10, 10, 2)]).classes[0]!.text).toBe('thin 10 GiB free of 20 GiB (overprovisioned up to 2×)');
    expect(storageSummary([], 3).text).toBe('3 nodes, no capacity published');
  });
});
