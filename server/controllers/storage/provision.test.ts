// The binder's decisions, table by table, over in-memory pools and plain objects (no API server).
import { describe, expect, it } from 'vitest';
import { GiB, storageClassView, type StorageClass } from '@/lib/provisioning';
import type { ClaimWorld } from './provision';
import { decideClaim } from './provision';
import type { Claim, NodeObject, Volume, VolumeSnapshot, VolumeSnapshotContent } from './objects';
import { PoolSet } from './pools';
import { MemoryPool } from './testing';

const sc = (name: string, provisioner: string, over: Partial<StorageClass> = {}, isDefault = false) =>
  storageClassView({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name, annotations: isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : {} }, provisioner, ...over });
const CLASSES = [
  sc('kura-local', 'local.kura.dev', { volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true }, true),
  sc('local-now', 'local.kura.dev'),
  sc('kura-shared', 'shared.kura.dev'),
  sc('ceph', 'rbd.csi.ceph.com'),
  sc('manual', 'kubernetes.io/no-provisioner'),
];

const readyNode = (name: string): NodeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'topology.kura.dev/node': name } }, status: { conditions: [{ type: 'Ready', status: 'True' }] } });

function world(over: { free?: Record<string, number>; volumes?: Volume[]; claims?: Claim[]; snapshots?: VolumeSnapshot[]; contents?: VolumeSnapshotContent[]; notReady?: string[] } = {}) {
  const free = over.free ?? { 'node-1': 50 * GiB, 'node-2': 80 * GiB, 'node-3': 80 * GiB };
  const nodePools = Object.fromEntries(Object.entries(free).map(([n, f]) => [n, new MemoryPool(n, f)]));
  const shared = new MemoryPool('shared', 100 * GiB);
  const pools = new PoolSet(nodePools, shared);
  const w: ClaimWorld = {
    classes: CLASSES,
    volumes: () => over.volumes ?? [],
    node: (n) => (over.notReady?.includes(n) ? { ...readyNode(n), status: { conditions: [{ type: 'Ready', status: 'False' }] } } : nodePools[n] ? readyNode(n) : undefined),
    volume: (n) => over.volumes?.find((v) => v.metadata.name === n),
    claim: (ns, n) => over.claims?.find((c) => c.metadata.namespace === ns && c.metadata.name === n),
    snapshot: (ns, n) => over.snapshots?.find((s) => s.metadata.namespace === ns && s.metadata.name === n),
    content: (n) => over.contents?.find((s) => s.metadata.name === n),
    pools,
  };
  return { w, pools, nodePools, shared };
}

function claim(spec: Partial<NonNullable<Claim['spec']>> & { size?: string } = {}, meta: Partial<Claim['metadata']> = {}, status?: Claim['status']): Claim {
  const { size = '10Gi', ...rest } = spec;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'vms', uid: 'u1', ...meta },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, volumeMode: 'Filesystem', ...rest },
    status: status ?? { phase: 'Pending' },
  };
}

function pv(name: string, over: Partial<NonNullable<Volume['spec']>> = {}, phase = 'Available'): Volume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'kura-shared', volumeMode: 'Filesystem', persistentVolumeReclaimPolicy: 'Delete', ...over },
    status: { phase },
  };
}

const selected = (node: string) => ({ annotations: { 'volume.kubernetes.io/selected-node': node } });

describe('decideClaim: binding', () => {
  it.each([
    ['a bound claim whose volume exists', claim({ volumeName: 'pv-1' }, {}, { phase: 'Bound' }), [pv('pv-1')], { action: 'none' }],
    ['a bound claim whose volume is gone', claim({ volumeName: 'pv-1' }, {}, { phase: 'Bound' }), [], { action: 'lost', volumeName: 'pv-1' }],
    ['a claim being deleted', claim({ storageClassName: 'kura-shared' }, { deletionTimestamp: '2026-01-01T00:00:00Z' }), [], { action: 'none' }],
  ])('%s', (_, c, volumes, want) => {
    expect(decideClaim(c, world({ volumes }).w)).toEqual(want);
  });

  it('binds to the smallest fitting Available volume of its class', () => {
    const volumes = [pv('big', { capacity: { storage: '50Gi' } }), pv('small'), pv('other-class', { storageClassName: 'ceph' }), pv('taken', { claimRef: { namespace: 'x', name: 'y', uid: 'z' } })];
    const d = decideClaim(claim({ storageClassName: 'kura-shared' }), world({ volumes }).w);
    expect(d).toMatchObject({ action: 'bind', volume: { metadata: { name: 'small' } } });
  });

  it('finishes binding the volume it provisioned earlier', () => {
    const own = pv('pvc-u1', { claimRef: { namespace: 'vms', name: 'data', uid: 'u1' } }, 'Bound');
    expect(decideClaim(claim({ storageClassName: 'kura-shared' }), world({ volumes: [own] }).w)).toMatchObject({ action: 'bind', volume: own });
  });

  it('waits, with the reason, for a volume it names that does not exist', () => {
    expect(decideClaim(claim({ volumeName: 'nope' }), world().w)).toMatchObject({ action: 'wait', reason: 'FailedBinding', message: expect.stringContaining('nope, which does not exist') });
  });

  it.each([
    ['no class ("")', { storageClassName: '' }, 'FailedBinding', /only an existing PersistentVolume without a class/],
    ['a class that does not exist', { storageClassName: 'gold' }, 'ProvisioningFailed', /No StorageClass named gold/],
    ['a class that makes no volumes', { storageClassName: 'manual' }, 'FailedBinding', /makes no volumes/],
  ])('waits for %s', (_, spec, reason, message) => {
    expect(decideClaim(claim(spec), world().w)).toMatchObject({ action: 'wait', reason, message: expect.stringMatching(message) });
  });

  it('leaves another driver\'s claims to its provisioner', () => {
    expect(decideClaim(claim({ storageClassName: 'ceph' }), world().w)).toEqual({ action: 'external', provisioner: 'rbd.csi.ceph.com' });
  });
});

describe('decideClaim: provisioning', () => {
  it('waits for the first consumer, with the event Kubernetes gives', () => {
    expect(decideClaim(claim(), world().w)).toMatchObject({ action: 'wait', type: 'Normal', reason: 'WaitForFirstConsumer', message: 'waiting for first consumer to be created before binding' });
  });

  it('provisions on the selected node', () => {
    const { w, nodePools } = world();
    const d = decideClaim(claim({}, selected('node-1')), w);
    expect(d).toMatchObject({ action: 'provision', plan: { node: 'node-1', pool: nodePools['node-1'], volumeName: 'pvc-u1', sizeBytes: 10 * GiB, chosen: false } });
  });

  it('explains a selected node without a pool', () => {
    expect(decideClaim(claim({}, selected('node-9')), world().w)).toMatchObject({ action: 'wait', reason: 'ProvisioningFailed', message: 'node-9 was chosen for the VM using data, but it has no kura-local pool.' });
  });

  it('places an Immediate node-local claim on the node with most room (TopoLVM score), first by name on ties', () => {
    const d = decideClaim(claim({ storageClassName: 'local-now' }), world().w);
    expect(d).toMatchObject({ action: 'provision', plan: { node: 'node-2', chosen: true } });
  });

  it('skips nodes that are not ready', () => {
    const d = decideClaim(claim({ storageClassName: 'local-now' }), world({ notReady: ['node-2'] }).w);
    expect(d).toMatchObject({ action: 'provision', plan: { node: 'node-3' } });
  });

  it('names the shortfall when no node has room', () => {
    const d = decideClaim(claim({ storageClassName: 'local-now', size: '100Gi' }), world({ free: { 'node-1': 3 * GiB, 'node-2': 20 * GiB } }).w);
    expect(d).toEqual({
      action: 'wait',
      type: 'Warning',
      reason: 'ProvisioningFailed',
      retry: 'backoff',
      message: 'No node fits among 2 nodes: 2 short of space in local-now (the most free in local-now is 20 GiB on node-2, needs 100 GiB). node-1: 3 GiB free in local-now, needs 100 GiB; node-2: 20 GiB free in local-now, needs 100 GiB.',
    });
  });

  it('refuses what the class cannot do, in the lib\'s words', () => {
    const d = decideClaim(claim({ accessModes: ['ReadWriteMany'] }, selected('node-1')), world().w);
    expect(d).toMatchObject({ action: 'wait', reason: 'ProvisioningFailed', message: expect.stringContaining('kura-local volumes are node-local and cannot be ReadWriteMany; use kura-shared') });
  });

  it('puts shared claims in the shared pool, rounded up to whole sectors', () => {
    const { w, shared } = world();
    expect(decideClaim(claim({ storageClassName: 'kura-shared', size: '1000' }), w)).toMatchObject({ action: 'provision', plan: { pool: shared, node: undefined, sizeBytes: 1024 } });
  });

  it('reuses the pool of a volume an earlier attempt made', async () => {
    const { w, nodePools } = world();
    await nodePools['node-1']!.createVolume('pvc-u1', 10 * GiB);
    expect(decideClaim(claim({ storageClassName: 'local-now' }), w)).toMatchObject({ action: 'provision', plan: { node: 'node-1' } });
  });
});

describe('decideClaim: restores and clones', () => {
  const vs = (ready: boolean): VolumeSnapshot => ({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 's', namespace: 'vms' }, status: { readyToUse: ready, boundVolumeSnapshotContentName: 'sc-1' } });
  const content = (driver: string, handle: string): VolumeSnapshotContent => ({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotContent', metadata: { name: 'sc-1' }, spec: { driver }, status: { readyToUse: true, snapshotHandle: handle, restoreSize: 10 * GiB } });
  const fromSnapshot = { dataSourceRef: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 's' } };

  it('waits for a snapshot that is not ready', () => {
    const d = decideClaim(claim(fromSnapshot, selected('node-2')), world({ snapshots: [vs(false)] }).w);
    expect(d).toMatchObject({ action: 'wait', type: 'Normal', message: 'Waiting for VolumeSnapshot s to be ready to use.', retry: 'backoff' });
  });

  it('restores on the node that holds the snapshot', () => {
    const { w, nodePools } = world({ snapshots: [vs(true)], contents: [content('local.kura.dev', 'node-2/sc-1')] });
    expect(decideClaim(claim({ storageClassName: 'local-now', ...fromSnapshot }), w)).toMatchObject({ action: 'provision', plan: { pool: nodePools['node-2'], node: 'node-2', source: { snapshotId: 'sc-1' } } });
  });

  it.each([
    ['from another driver', content('shared.kura.dev', 'shared/sc-1'), 'node-2', 'is a shared.kura.dev volume'],
    ['to another node than selected', content('local.kura.dev', 'node-2/sc-1'), 'node-1', 'lives on node-2, but node-1 was selected'],
  ])('refuses a restore %s', (_, cont, node, message) => {
    const d = decideClaim(claim(fromSnapshot, selected(node)), world({ snapshots: [vs(true)], contents: [cont] }).w);
    expect(d).toMatchObject({ action: 'wait', type: 'Warning', reason: 'ProvisioningFailed', message: expect.stringContaining(message), retry: 'on-change' });
  });

  it('refuses a restore smaller than the snapshot', () => {
    const d = decideClaim(claim({ ...fromSnapshot, size: '1Gi' }, selected('node-2')), world({ snapshots: [vs(true)], contents: [content('local.kura.dev', 'node-2/sc-1')] }).w);
    expect(d).toMatchObject({ action: 'wait', message: 'data asks for 1 GiB, less than the 10 GiB VolumeSnapshot s needs to be restored.' });
  });

  it('clones a bound claim in its pool, and waits for one not bound yet', () => {
    const source = claim({ volumeName: 'pvc-src' }, { name: 'src', uid: 'u0' }, { phase: 'Bound' });
    const srcPv = pv('pvc-src', { csi: { driver: 'shared.kura.dev', volumeHandle: 'shared/pvc-src' }, claimRef: { namespace: 'vms', name: 'src', uid: 'u0' } }, 'Bound');
    const clone = claim({ storageClassName: 'kura-shared', dataSource: { kind: 'PersistentVolumeClaim', name: 'src' } });
    const { w, shared } = world({ claims: [source], volumes: [srcPv] });
    expect(decideClaim(clone, w)).toMatchObject({ action: 'provision', plan: { pool: shared, source: { volumeId: 'pvc-src' }, sourceText: 'a clone of src' } });
    const unbound = world({ claims: [{ ...source, status: { phase: 'Pending' } }] });
    expect(decideClaim(clone, unbound.w)).toMatchObject({ action: 'wait', message: 'Waiting for PersistentVolumeClaim src, the clone source, to be bound.' });
  });

  it('leaves a claim a CDI populator fills alone, quietly', () => {
    const d = decideClaim(claim({ storageClassName: 'kura-shared', dataSourceRef: { apiGroup: 'cdi.kubevirt.io', kind: 'VolumeImportSource', name: 'img' } }), world().w);
    expect(d).toMatchObject({ action: 'wait', quiet: true });
  });
});
