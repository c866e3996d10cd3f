import { describe, expect, it } from 'vitest';
import { checkFit, GiB } from '../provisioning';
import { kuraLocal, kuraShared, makeClass, makeVolume } from '../provisioning/testing';
import { collectPools, fitPoolsByClass, nodeNamedBy, poolOfVolume, type NodeRef } from './capacity';

const G = GiB;
const csc = (cls: string, node: string | null, capacity: string, maximumVolumeSize?: string) => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'CSIStorageCapacity',
  metadata: { name: `${cls}-${node ?? 'all'}`, namespace: 'kube-system' },
  storageClassName: cls,
  nodeTopology: node === null ? {} : { matchLabels: { 'topology.kura.dev/node': node } },
  capacity,
  ...(maximumVolumeSize ? { maximumVolumeSize } : {}),
});
const nodes: NodeRef[] = ['node-1', 'node-2', 'node-3'].map((name) => ({ name, labels: { 'topology.kura.dev/node': name } }));
const local = kuraLocal();
const shared = kuraShared();
const pinned = (name: string, node: string, size: string, cls = 'kura-local') =>
  makeVolume(name, {
    size,
    storageClassName: cls,
    nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kura.dev/node', operator: 'In', values: [node] }] }] } },
  }, 'Bound');

describe('collectPools', () => {
  const capacities = [csc('kura-local', 'node-1', '60Gi'), csc('kura-local', 'node-2', '100Gi'), csc('kura-local', 'node-3', '80Gi')];

  it('takes free from CSIStorageCapacity, allocated from the PVs on each node, and derives the size', () => {
    const pools = collectPools({ classes: [local], capacities, nodes, volumes: [pinned('pv-a', 'node-1', '30Gi'), pinned('pv-b', 'node-1', '10Gi'), pinned('pv-c', 'node-3', '20Gi')] });
    expect(pools.map((p) => [p.node, p.freeBytes! / G, p.allocatedBytes! / G, p.capacityBytes! / G, p.volumes])).toEqual([
      ['node-1', 60, 40, 100, 2],
      ['node-2', 100, 0, 100, 0],
      ['node-3', 80, 20, 100, 1],
    ]);
    expect(pools.every((p) => p.capacitySource === 'derived')).toBe(true);
  });

  it('finds nodes from the topology selector alone when Nodes and PVs cannot be read', () => {
    const pools = collectPools({ classes: [local], capacities });
    expect(pools.map((p) => [p.node, p.freeBytes! / G, p.allocatedBytes, p.capacityBytes])).toEqual([
      ['node-1', 60, undefined, undefined],
      ['node-2', 100, undefined, undefined],
      ['node-3', 80, undefined, undefined],
    ]);
  });

  it('makes one pool of a shared class, however many nodes report it', () => {
    const pools = collectPools({
      classes: [shared],
      capacities: [csc('kura-shared', 'node-1', '150Gi'), csc('kura-shared', 'node-2', '150Gi')],
      nodes,
      volumes: [makeVolume('pv-s', { size: '50Gi', storageClassName: 'kura-shared' }, 'Bound')],
    });
    expect(pools).toHaveLength(1);
    expect(pools[0]).toMatchObject({ node: null, freeBytes: 150 * G, allocatedBytes: 50 * G, capacityBytes: 200 * G });
  });

  it('treats an empty topology as a pool all nodes reach, for any driver', () => {
    const other = makeClass('ceph', 'rbd.csi.ceph.com');
    const pools = collectPools({ classes: [other], capacities: [csc('ceph', null, '1Ti')], nodes });
    expect(pools).toEqual([expect.objectContaining({ className: 'ceph', node: null, freeBytes: 1024 * G })]);
  });

  it('ignores reports without topology, of unknown classes, or without a capacity', () => {
    const noTopology = { ...csc('kura-local', 'node-1', '10Gi'), nodeTopology: undefined };
    const noCapacity = { ...csc('kura-local', 'node-2', '10Gi'), capacity: undefined };
    expect(collectPools({ classes: [local], capacities: [noTopology, noCapacity, csc('gone', 'node-1', '5Gi')], nodes })).toEqual([]);
  });

  it('reads pool size and written bytes from node annotations, and shows overprovisioning through the ratio', () => {
    const thin = kuraLocal({ parameters: { 'kura.dev/overprovision-ratio': '2' } });
    const annotated: NodeRef[] = [{ name: 'node-1', labels: { 'topology.kura.dev/node': 'node-1' }, annotations: { 'capacity.storage.kura.dev/kura-local': '100Gi', 'used.storage.kura.dev/kura-local': '30Gi' } }];
    const pools = collectPools({ classes: [thin], capacities: [csc('kura-local', 'node-1', '50Gi')], nodes: annotated, volumes: [pinned('pv-big', 'node-1', '150Gi')] });
    expect(pools[0]).toMatchObject({ capacityBytes: 100 * G, capacitySource: 'annotation', usedBytes: 30 * G, allocatedBytes: 150 * G, freeBytes: 50 * G, overprovisionRatio: 2 });
  });

  it("takes free from TopoLVM's node annotation when no CSIStorageCapacity says", () => {
    const topolvm = makeClass('lvm', 'topolvm.io', { parameters: { 'topolvm.io/device-class': 'ssd' } });
    const n: NodeRef[] = [{ name: 'w1', labels: {}, annotations: { 'capacity.topolvm.io/ssd': String(20 * G) } }];
    expect(collectPools({ classes: [topolvm], capacities: [], nodes: n })).toEqual([expect.objectContaining({ node: 'w1', freeBytes: 20 * G })]);
  });

  it("takes free from Kura's per-class node annotation when no CSIStorageCapacity says", () => {
    const n: NodeRef[] = [{ name: 'node-1', labels: { 'topology.kura.dev/node': 'node-1' }, annotations: { 'capacity.kura.dev/kura-local': String(7 * G) } }];
    expect(collectPools({ classes: [local], capacities: [], nodes: n })).toEqual([expect.objectContaining({ node: 'node-1', freeBytes: 7 * G })]);
    expect(collectPools({ classes: [local], capacities: [csc('kura-local', 'node-1', '9Gi')], nodes: n })[0]!.freeBytes).toBe(9 * G);
  });

  it('keeps volumes on nodes that publish no capacity, with free unknown', () => {
    const pools = collectPools({ classes: [local], capacities: [], nodes, volumes: [pinned('pv-a', 'node-2', '5Gi')] });
    expect(pools).toEqual([expect.objectContaining({ node: 'node-2', allocatedBytes: 5 * G })]);
    expect([pools[0]!.freeBytes, pools[0]!.capacityBytes]).toEqual([undefined, undefined]);
    expect(fitPoolsByClass(pools)).toEqual({});
  });
});

describe('fitPoolsByClass feeds checkFit', () => {
  it('"fits on 2 of 3 nodes, 240 GiB free in kura-local (at most 100 GiB on one node)"', () => {
    const pools = collectPools({ classes: [local], capacities: [csc('kura-local', 'node-1', '60Gi'), csc('kura-local', 'node-2', '100Gi'), csc('kura-local', 'node-3', '80Gi')], nodes });
    expect(checkFit('kura-local', fitPoolsByClass(pools)['kura-local']!, 70 * G).message).toBe('fits on 2 of 3 nodes, 240 GiB free in kura-local (at most 100 GiB on one node)');
  });
  it('caps a pool by the largest volume the driver makes', () => {
    const pools = collectPools({ classes: [local], capacities: [csc('kura-local', 'node-1', '100Gi', '40Gi')], nodes });
    expect(checkFit('kura-local', fitPoolsByClass(pools)['kura-local']!, 50 * G).fits).toBe(false);
  });
});

describe('nodeNamedBy', () => {
  it.each<[string, object, string | undefined]>([
    ['Kura topology key', { matchLabels: { 'topology.kura.dev/node': 'n1', zone: 'a' } }, 'n1'],
    ['hostname', { matchLabels: { 'kubernetes.io/hostname': 'h' } }, 'h'],
    ['In with one value', { matchExpressions: [{ key: 'topology.topolvm.io/node', operator: 'In', values: ['t'] }] }, 't'],
    ['a single other label', { matchLabels: { 'example.com/host': 'x' } }, 'x'],
    ['a zone and a rack', { matchLabels: { zone: 'a', rack: 'r' } }, undefined],
  ])('%s', (_n, selector, want) => {
    expect(nodeNamedBy(selector)).toBe(want);
  });
});

describe('poolOfVolume', () => {
  it("finds the volume's node pool, or the class's shared pool", () => {
    const pools = collectPools({ classes: [local, shared], capacities: [csc('kura-local', 'node-1', '1Gi'), csc('kura-local', 'node-2', '2Gi'), csc('kura-shared', null, '3Gi')], nodes });
    expect(poolOfVolume(pools, 'kura-local', 'node-2')?.freeBytes).toBe(2 * G);
    expect(poolOfVolume(pools, 'kura-shared', undefined)?.freeBytes).toBe(3 * G);
    expect(poolOfVolume(pools, 'kura-local', undefined)).toBeUndefined();
  });
});
