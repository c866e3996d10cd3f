// The storage controllers' failure and edge paths against a real API server, with
// in-memory pools that can be made to fail: nothing is left half-made, everything is said.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PersistentVolumeClaimModel,
  PersistentVolumeModel,
  StorageClassModel,
  VolumeSnapshotClassModel,
  VolumeSnapshotContentModel,
  VolumeSnapshotModel,
} from '@/lib/k8s/models';
import { GiB } from '@/lib/provisioning';
import { PoolError } from '@/server/node/types';
import { startStorageCluster, type StorageCluster } from './integration/harness';
import type { Claim, Volume, VolumeSnapshot, VolumeSnapshotContent } from './objects';
import { PoolSet } from './pools';
import { MemoryPool } from './testing';

let c: StorageCluster;
const n1 = new MemoryPool('node-1', 10 * GiB);
const n2 = new MemoryPool('node-2', 10 * GiB);
const shared = new MemoryPool('shared', 20 * GiB);
const pools = new PoolSet({ 'node-1': n1, 'node-2': n2 }, shared);
const T = { timeout: 10_000, interval: 100 };

const getClaim = (name: string) => c.client.find<Claim>(PersistentVolumeClaimModel, 'default', name);
const phase = async (name: string) => (await getClaim(name))?.status?.phase;
const messageOf = async (name: string, reason: string) => (await c.events(name)).find((e) => e.reason === reason)?.message ?? '';
const klass = (name: string, provisioner: string, over: Record<string, unknown> = {}) =>
  c.client.create(StorageClassModel, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, ...over });

beforeAll(async () => {
  c = await startStorageCluster({ pools, nodes: ['node-1', 'node-2'], maxRetryMs: 1000 });
  await klass('fixed', 'shared.kura.dev', { allowVolumeExpansion: false });
  await klass('ceph', 'rbd.csi.ceph.com');
  await c.client.create(VolumeSnapshotClassModel, { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'keep-snaps' }, driver: 'shared.kura.dev', deletionPolicy: 'Retain' });
}, 60_000);
afterAll(async () => c?.stop());

describe('provisioning failures', () => {
  it('makes no PV when the pool refuses the volume, says why, and retries', async () => {
    shared.failures.push(new PoolError('NoSpace', 'the file system of pool shared is full'));
    await c.claim('refused', { storageClassName: 'kura-shared', resources: { requests: { storage: '1Gi' } } });
    await expect.poll(() => messageOf('refused', 'ProvisioningFailed'), T).toBe('shared: the file system of pool shared is full');
    const uid = (await getClaim('refused'))!.metadata.uid!;
    // The retry finds room: the PV appears only now, with its data in place.
    await expect.poll(() => phase('refused'), T).toBe('Bound');
    expect(shared.getVolume(`pvc-${uid}`)).toBeDefined();
    expect(shared.calls.filter((x) => x.startsWith(`create pvc-${uid}`))).toHaveLength(2);
  });

  it('cleans up the volume of a claim deleted while it was being made', async () => {
    shared.delayMs = 300;
    const claim = await c.claim('hasty', { storageClassName: 'kura-shared', resources: { requests: { storage: '1Gi' } } });
    await expect.poll(async () => shared.calls.some((x) => x.startsWith(`create pvc-${claim.metadata.uid}`)), T).toBe(true);
    await c.client.delete(PersistentVolumeClaimModel, 'default', 'hasty');
    shared.delayMs = 0;
    await expect.poll(async () => (await getClaim('hasty')) ?? 'gone', T).toBe('gone');
    await expect.poll(() => shared.getVolume(`pvc-${claim.metadata.uid}`) ?? 'gone', T).toBe('gone');
    await expect.poll(async () => (await c.client.find(PersistentVolumeModel, undefined, `pvc-${claim.metadata.uid}`)) ?? 'gone', T).toBe('gone');
  });

  it('leaves other drivers\' claims to their provisioner, saying so', async () => {
    await c.claim('ext', { storageClassName: 'ceph', resources: { requests: { storage: '1Gi' } } });
    await expect.poll(() => messageOf('ext', 'ExternalProvisioning'), T).toContain("external provisioner 'rbd.csi.ceph.com'");
    expect((await getClaim('ext'))!.metadata.annotations?.['volume.kubernetes.io/storage-provisioner']).toBe('rbd.csi.ceph.com');
  });
});

describe('static volumes', () => {
  it('binds an admin\'s volume to a claim without a class, and marks the claim Lost when the volume vanishes', async () => {
    await c.client.create(PersistentVolumeModel, {
      apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'manual-1' },
      spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: '', csi: { driver: 'nfs.csi.k8s.io', volumeHandle: 'srv/share' } },
    });
    await expect.poll(async () => (await c.client.get<Volume>(PersistentVolumeModel, undefined, 'manual-1')).status?.phase, T).toBe('Available');
    await c.claim('static', { storageClassName: '', resources: { requests: { storage: '2Gi' } } });
    await expect.poll(() => phase('static'), T).toBe('Bound');
    expect((await getClaim('static'))!.status?.capacity?.storage).toBe('5Gi');
    // Forced away (finalizer removed by hand): the claim has lost its data.
    await c.client.patch(PersistentVolumeModel, undefined, 'manual-1', { metadata: { finalizers: null } });
    await c.client.delete(PersistentVolumeModel, undefined, 'manual-1');
    await expect.poll(() => phase('static'), T).toBe('Lost');
    await expect.poll(() => messageOf('static', 'ClaimLost'), T).toContain('manual-1');
  });

  it('deletes the data of an unbound Kura volume an admin deletes', async () => {
    await shared.createVolume('pre-made', GiB);
    await c.client.create(PersistentVolumeModel, {
      apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pre-made', annotations: { 'pv.kubernetes.io/provisioned-by': 'shared.kura.dev' } },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'none-such', persistentVolumeReclaimPolicy: 'Delete', csi: { driver: 'shared.kura.dev', volumeHandle: 'shared/pre-made' } },
    });
    await c.client.delete(PersistentVolumeModel, undefined, 'pre-made');
    await expect.poll(async () => (await c.client.find(PersistentVolumeModel, undefined, 'pre-made')) ?? 'gone', T).toBe('gone');
    expect(shared.getVolume('pre-made')).toBeUndefined();
  });
});

describe('expansion refusals', () => {
  it('says the class does not allow it, as an event and a condition', async () => {
    await c.claim('fixed-1', { storageClassName: 'fixed', resources: { requests: { storage: '1Gi' } } });
    await expect.poll(() => phase('fixed-1'), T).toBe('Bound');
    await c.client.patch(PersistentVolumeClaimModel, 'default', 'fixed-1', { spec: { resources: { requests: { storage: '2Gi' } } } });
    await expect.poll(() => messageOf('fixed-1', 'VolumeResizeFailed'), T).toContain('StorageClass fixed does not allow expansion');
    const cond = (await getClaim('fixed-1'))!.status?.conditions?.find((x) => x.type === 'ControllerResizeError');
    expect(cond).toMatchObject({ status: 'True', reason: 'ExpansionNotAllowed' });
  });
});

describe('snapshots', () => {
  it('keeps the content and the data of a Retain snapshot when the snapshot is deleted', async () => {
    await c.claim('snap-src', { storageClassName: 'kura-shared', resources: { requests: { storage: '1Gi' } } });
    await expect.poll(() => phase('snap-src'), T).toBe('Bound');
    await c.client.create(VolumeSnapshotModel, { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 'kept', namespace: 'default' }, spec: { volumeSnapshotClassName: 'keep-snaps', source: { persistentVolumeClaimName: 'snap-src' } } });
    await expect.poll(async () => (await c.client.find<VolumeSnapshot>(VolumeSnapshotModel, 'default', 'kept'))?.status?.readyToUse, T).toBe(true);
    const contentName = (await c.client.get<VolumeSnapshot>(VolumeSnapshotModel, 'default', 'kept')).status!.boundVolumeSnapshotContentName!;
    await c.client.delete(VolumeSnapshotModel, 'default', 'kept');
    await expect.poll(async () => (await c.client.find(VolumeSnapshotModel, 'default', 'kept')) ?? 'gone', T).toBe('gone');
    const content = await c.client.get<VolumeSnapshotContent>(VolumeSnapshotContentModel, undefined, contentName);
    expect(content.metadata.finalizers ?? []).not.toContain('snapshot.storage.kubernetes.io/volumesnapshotcontent-bound-protection');
    expect(shared.getSnapshot(contentName)).toBeDefined();
  });

  it('binds a pre-provisioned content to its snapshot', async () => {
    await shared.createVolume('old-disk', GiB);
    await shared.snapshot('old-disk', 'imported');
    await c.client.create(VolumeSnapshotContentModel, {
      apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotContent', metadata: { name: 'imported-content' },
      spec: { deletionPolicy: 'Retain', driver: 'shared.kura.dev', source: { snapshotHandle: 'shared/imported' }, volumeSnapshotRef: { name: 'imported', namespace: 'default' } },
    });
    await c.client.create(VolumeSnapshotModel, { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 'imported', namespace: 'default' }, spec: { source: { volumeSnapshotContentName: 'imported-content' } } });
    await expect.poll(async () => (await c.client.find<VolumeSnapshot>(VolumeSnapshotModel, 'default', 'imported'))?.status, T).toMatchObject({ readyToUse: true, restoreSize: '1Gi', boundVolumeSnapshotContentName: 'imported-content' });
    const vs = await c.client.get<VolumeSnapshot>(VolumeSnapshotModel, 'default', 'imported');
    const content = await c.client.get<VolumeSnapshotContent>(VolumeSnapshotContentModel, undefined, 'imported-content');
    expect(content.spec?.volumeSnapshotRef?.uid).toBe(vs.metadata.uid);
  });

  it('reports a snapshot of a missing claim in status and events', async () => {
    await c.client.create(VolumeSnapshotModel, { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 'orphan', namespace: 'default' }, spec: { source: { persistentVolumeClaimName: 'nobody' } } });
    await expect.poll(async () => (await c.client.find<VolumeSnapshot>(VolumeSnapshotModel, 'default', 'orphan'))?.status?.error?.message, T).toBe('Cannot take the snapshot: PersistentVolumeClaim nobody does not exist in default.');
    await expect.poll(() => messageOf('orphan', 'SnapshotCreationFailed'), T).toContain('nobody');
  });
});
