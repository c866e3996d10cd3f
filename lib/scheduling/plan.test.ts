import { describe, expect, it } from 'vitest';
import { planRequest } from './plan';
import type { PlacementRequest, SchedulingClass, VolumeRequest } from './types';

const GiB = 2 ** 30;
const classes: Record<string, SchedulingClass> = {
  'kura-local': { topology: 'node', scoreDivisor: 1 },
  'kura-fast': { topology: 'node', scoreDivisor: 10 },
  'kura-shared': { topology: 'shared', scoreDivisor: 1, sharedFreeBytes: 100 * GiB },
  ceph: { topology: 'unknown', scoreDivisor: 1 },
};
const request = (volumes: VolumeRequest[], over: Partial<PlacementRequest> = {}): PlacementRequest => ({ cpuMillis: 1000, memoryBytes: GiB, volumes, ...over });
const vol = (name: string, storageClassName: string, sizeGiB: number, boundNode?: string | null): VolumeRequest => ({ name, storageClassName, sizeBytes: sizeGiB * GiB, boundNode });

describe('planRequest', () => {
  it('adds up what each node-local class must hold, in the order volumes name them', () => {
    const plan = planRequest(request([vol('a', 'kura-fast', 5), vol('b', 'kura-local', 10), vol('c', 'kura-fast', 7), vol('d', 'kura-shared', 50), vol('e', 'ceph', 1000)]), classes);
    expect(plan.problems).toEqual([]);
    expect(plan.needs).toEqual([
      { className: 'kura-fast', bytes: 12 * GiB, scoreDivisor: 10 },
      { className: 'kura-local', bytes: 10 * GiB, scoreDivisor: 1 },
    ]);
  });

  it('pins to the node of an existing node-local volume; bound shared volumes pin nothing', () => {
    const plan = planRequest(request([vol('root', 'kura-local', 10, 'node-1'), vol('logs', 'kura-shared', 10, null), vol('new', 'kura-local', 5)]), classes);
    expect([plan.pinnedNode, plan.pinnedBy]).toEqual(['node-1', 'root']);
    expect(plan.needs).toEqual([{ className: 'kura-local', bytes: 5 * GiB, scoreDivisor: 1 }]);
  });

  it('sorts the node selector by key', () => {
    expect(planRequest(request([], { nodeSelector: { zone: 'a', disk: 'ssd' } }), classes).selector).toEqual([['disk', 'ssd'], ['zone', 'a']]);
  });

  it.each<[string, PlacementRequest, string]>([
    ['an unknown class', request([vol('data', 'gold', 1)]), 'volume data: no StorageClass named gold'],
    ['a full shared pool', request([vol('a', 'kura-shared', 60), vol('b', 'kura-shared', 60)]), '100 GiB free in kura-shared, needs 120 GiB'],
    ['volumes on two nodes', request([vol('a', 'kura-local', 1, 'node-1'), vol('b', 'kura-local', 1, 'node-2')]), 'volumes a and b live on different nodes (node-1, node-2), and no node can use both'],
    ['a negative CPU request', request([], { cpuMillis: -1 }), 'the CPU request -1 is not an amount'],
    ['a NaN memory request', request([], { memoryBytes: NaN }), 'the memory request NaN is not an amount'],
    ['a negative size', request([{ name: 'x', storageClassName: 'kura-local', sizeBytes: -5 }]), 'volume x: size -5 is not an amount'],
  ])('reports %s', (_, req, problem) => {
    expect(planRequest(req, classes).problems).toEqual([problem]);
  });

  it('does not check a shared pool whose free is unknown, nor unknown drivers', () => {
    const unchecked = { ...classes, 'kura-shared': { topology: 'shared' as const, scoreDivisor: 1 } };
    expect(planRequest(request([vol('a', 'kura-shared', 1e6), vol('b', 'ceph', 1e6)]), unchecked).problems).toEqual([]);
  });

  it('tolerates a bound volume whose class is gone', () => {
    expect(planRequest(request([vol('old', 'deleted-class', 10, 'node-2')]), classes)).toMatchObject({ problems: [], pinnedNode: 'node-2' });
  });
});
