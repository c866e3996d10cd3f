// The storage controllers against a real API server and real FilePools in a
// temporary directory, driven only through the API as a user or VM would.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigMapModel,
  CSIStorageCapacityModel,
  NodeModel,
  PersistentVolumeClaimModel,
  PersistentVolumeModel,
  StorageClassModel,
  VirtualMachineInstanceModel,
  VolumeSnapshotClassModel,
  VolumeSnapshotContentModel,
  VolumeSnapshotModel,
} from '@/lib/k8s/models';
import type { K8sResource } from '@/lib/k8s';
import { GiB } from '@/lib/provisioning';
import { openPools } from '@/server/embedded';
import type { FilePool } from '@/server/node';
import type { Claim, NodeObject, Volume, VolumeSnapshot, VolumeSnapshotContent } from '../objects';
import { parseHandle } from '../objects';
import { startStorageControllers } from '..';
import { qemuIo, startStorageCluster, type StorageCluster } from './harness';

let c: StorageCluster;
let files: FilePool[];
let pools: ReturnType<typeof openPools>['pools'];
const T = { timeout: 15_000, interval: 100 };

const getClaim = (name: string) => c.client.find<Claim>(PersistentVolumeClaimModel, 'default', name);
const phase = async (name: string) => (await getClaim(name))?.status?.phase;
const getPv = (name: string) => c.client.find<Volume>(PersistentVolumeModel, undefined, name);
const volumeOf = async (claim: string) => {
  const pv = await getPv((await getClaim(claim))!.spec!.volumeName!);
  const h = parseHandle(pv!.spec!.csi!.volumeHandle)!;
  return { pv: pv!, pool: pools.byName(h.pool)!, id: h.id };
};
const reasons = async (name: string) => (await c.events(name)).map((e) => e.reason);
const messageOf = async (name: string, reason: string) => (await c.events(name)).find((e) => e.reason === reason)?.message ?? '';

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'kura-storage-it-'));
  const opened = openPools({ dataDirAbs: dir, nodes: 2, nodePoolSize: '10Gi', sharedPoolSize: '20Gi' });
  files = opened.files;
  pools = opened.pools;
  c = await startStorageCluster({ pools, nodes: opened.nodes, maxRetryMs: 2000 }, dir);
}, 60_000);

afterAll(async () => {
  await Promise.all((files ?? []).map((f) => f.close()));
  await c?.stop();
});

describe('a new cluster', () => {
  it('has the default classes, the nodes and their capacity', async () => {
    await expect.poll(async () => (await c.client.list(StorageClassModel)).items.map((s) => s.metadata.name).sort(), T).toEqual(['kura-local', 'kura-shared']);
    const local = await c.client.get<K8sResource & { volumeBindingMode: string }>(StorageClassModel, undefined, 'kura-local');
    expect(local.metadata.annotations?.['storageclass.kubernetes.io/is-default-class']).toBe('true');
    expect(local.volumeBindingMode).toBe('WaitForFirstConsumer');
    await expect.poll(async () => (await c.client.list(VolumeSnapshotClassModel)).items.map((s) => s.metadata.name).sort(), T).toEqual(['kura-local-snapshots', 'kura-shared-snapshots']);
    await expect.poll(async () => (await c.client.list(NodeModel)).items.length, T).toBe(2);
    const node = await c.client.get<NodeObject>(NodeModel, undefined, 'node-2');
    expect(node.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': 'node-2', 'topology.kura.dev/node': 'node-2', 'kubernetes.io/os': 'linux' });
    expect(node.status?.conditions?.map((x) => `${x.type}=${x.status}`)).toEqual(['Ready=True', 'StoragePoolReady=True']);
    await expect.poll(async () => (await c.client.get<NodeObject>(NodeModel, undefined, 'node-1')).metadata.annotations?.['capacity.kura.dev/kura-local'], T).toBe(String(10 * GiB));
    await expect.poll(async () => (await c.client.list(CSIStorageCapacityModel, { namespace: 'kube-system' })).items.map((o) => `${o.metadata.name}=${String(o.capacity)}`).sort(), T).toEqual([
      'kura-kura-local-node-1=10Gi', 'kura-kura-local-node-2=10Gi', 'kura-kura-shared=20Gi',
    ]);
  });
});

describe('provisioning', () => {
  it('binds an Immediate claim to a new volume with a real file', async () => {
    await c.claim('shared-1', { storageClassName: 'kura-shared', resources: { requests: { storage: '1Gi' } } });
    await expect.poll(() => phase('shared-1'), T).toBe('Bound');
    const claim = (await getClaim('shared-1'))!;
    expect(claim.metadata.finalizers).toContain('kubernetes.io/pvc-protection');
    expect(claim.metadata.annotations).toMatchObject({ 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes', 'volume.kubernetes.io/storage-provisioner': 'shared.kura.dev' });
    expect(claim.status?.capacity?.storage).toBe('1Gi');
    const { pv, pool, id } = await volumeOf('shared-1');
    expect(pv.metadata.finalizers).toContain('kubernetes.io/pv-protection');
    expect(pv.spec).toMatchObject({ storageClassName: 'kura-shared', persistentVolumeReclaimPolicy: 'Delete', csi: { driver: 'shared.kura.dev', fsType: 'ext4' } });
    expect(pv.status?.phase).toBe('Bound');
    expect(fs.existsSync(pool.getVolume(id)!.path)).toBe(true);
  });

  it('keeps a WaitForFirstConsumer claim pending until a node is selected, then provisions there', async () => {
    await c.claim('local-1', { resources: { requests: { storage: '2Gi' } } });
    await expect.poll(() => reasons('local-1'), T).toContain('WaitForFirstConsumer');
    expect(await messageOf('local-1', 'WaitForFirstConsumer')).toBe('waiting for first consumer to be created before binding');
    expect(await phase('local-1')).toBe('Pending');
    await c.client.patch(PersistentVolumeClaimModel, 'default', 'local-1', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'node-2' } } });
    await expect.poll(() => phase('local-1'), T).toBe('Bound');
    const { pv, pool } = await volumeOf('local-1');
    expect(pool.name).toBe('node-2');
    expect(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions).toEqual([{ key: 'topology.kura.dev/node', operator: 'In', values: ['node-2'] }]);
    expect(pool.getVolume(pv.metadata.name)!.path.startsWith(path.join(c.dir, 'nodes', 'node-2', 'pool'))).toBe(true);
    await expect.poll(async () => (await c.client.get<K8sResource & { capacity: string }>(CSIStorageCapacityModel, 'kube-system', 'kura-kura-local-node-2')).capacity, T).toBe('8Gi');
  });

  it('leaves a claim larger than any node can hold pending, naming the shortfall', async () => {
    await c.client.create(StorageClassModel, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local-now' }, provisioner: 'local.kura.dev', volumeBindingMode: 'Immediate', parameters: { 'kura.dev/image-format': 'qcow2' } });
    await c.claim('huge', { storageClassName: 'local-now', resources: { requests: { storage: '20Gi' } } });
    await expect.poll(() => messageOf('huge', 'ProvisioningFailed'), T).toContain('node-2: 8 GiB free in local-now, needs 20 GiB');
    expect(await messageOf('huge', 'ProvisioningFailed')).toMatch(/^No node fits among 2 nodes/);
    await c.claim('huge-there', { resources: { requests: { storage: '9Gi' } } }, { annotations: { 'volume.kubernetes.io/selected-node': 'node-2' } });
    await expect.poll(() => messageOf('huge-there', 'ProvisioningFailed'), T).toContain('node-2 was chosen for the VM using huge-there, but it has 8 GiB free in kura-local, and huge-there needs 9 GiB.');
    expect(await phase('huge')).toBe('Pending');
  });

  it('refuses what the class cannot do, in the lib\'s words', async () => {
    await c.claim('rwx-local', { accessModes: ['ReadWriteMany'], resources: { requests: { storage: '1Gi' } } }, { annotations: { 'volume.kubernetes.io/selected-node': 'node-1' } });
    await expect.poll(() => messageOf('rwx-local', 'ProvisioningFailed'), T).toContain('kura-local volumes are node-local and cannot be ReadWriteMany; use kura-shared');
  });
});

describe('expansion', () => {
  it('grows the volume file, the PV and the claim', async () => {
    await c.client.patch(PersistentVolumeClaimModel, 'default', 'shared-1', { spec: { resources: { requests: { storage: '3Gi' } } } });
    await expect.poll(async () => (await getClaim('shared-1'))?.status?.capacity?.storage, T).toBe('3Gi');
    const { pv, pool, id } = await volumeOf('shared-1');
    expect(pv.spec?.capacity?.storage).toBe('3Gi');
    expect(pool.getVolume(id)!.sizeBytes).toBe(3 * GiB);
    await expect.poll(() => reasons('shared-1'), T).toEqual(expect.arrayContaining(['Resizing', 'VolumeResizeSuccessful']));
  });

  it('refuses growth the pool has no room for, with a condition and an event', async () => {
    await c.client.patch(PersistentVolumeClaimModel, 'default', 'local-1', { spec: { resources: { requests: { storage: '50Gi' } } } });
    await expect.poll(() => messageOf('local-1', 'VolumeResizeFailed'), T).toContain('node-2 has 8 GiB free in kura-local; growing local-1 from 2 GiB to 50 GiB needs 48 GiB more.');
    const claim = (await getClaim('local-1'))!;
    expect(claim.status?.conditions?.find((x) => x.type === 'ControllerResizeError')).toMatchObject({ status: 'True', reason: 'NoRoom' });
    expect(claim.status?.capacity?.storage).toBe('2Gi');
  });
});

describe('snapshots, restores and clones', () => {
  it('takes a snapshot that restores into an independent volume, and clones one', async () => {
    const src = await volumeOf('shared-1');
    expect(await qemuIo(src.pool.getVolume(src.id)!.path, 'write -P 0xaa 0 64k')).toBe(true);
    await c.client.create(VolumeSnapshotModel, { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 'snap-1', namespace: 'default' }, spec: { source: { persistentVolumeClaimName: 'shared-1' } } });
    await expect.poll(async () => (await c.client.find<VolumeSnapshot>(VolumeSnapshotModel, 'default', 'snap-1'))?.status?.readyToUse, T).toBe(true);
    const vs = (await c.client.get<VolumeSnapshot>(VolumeSnapshotModel, 'default', 'snap-1'))!;
    expect(vs.status).toMatchObject({ restoreSize: '3Gi', boundVolumeSnapshotContentName: `snapcontent-${vs.metadata.uid}` });
    expect(vs.status?.creationTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(vs.metadata.finalizers).toContain('snapshot.storage.kubernetes.io/volumesnapshot-bound-protection');
    const content = await c.client.get<VolumeSnapshotContent>(VolumeSnapshotContentModel, undefined, vs.status!.boundVolumeSnapshotContentName!);
    expect(content.status).toMatchObject({ readyToUse: true, restoreSize: 3 * GiB, snapshotHandle: `shared/${content.metadata.name}` });
    expect(content.spec).toMatchObject({ deletionPolicy: 'Delete', driver: 'shared.kura.dev', source: { volumeHandle: `shared/${src.id}` }, volumeSnapshotClassName: 'kura-shared-snapshots' });

    // The source moves on after the snapshot; the restore must not see it.
    expect(await qemuIo(src.pool.getVolume(src.id)!.path, 'write -P 0xbb 0 64k')).toBe(true);
    await c.claim('restored', { storageClassName: 'kura-shared', resources: { requests: { storage: '3Gi' } }, dataSourceRef: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'snap-1' } });
    await c.claim('cloned', { storageClassName: 'kura-shared', resources: { requests: { storage: '4Gi' } }, dataSource: { kind: 'PersistentVolumeClaim', name: 'shared-1' } });
    await expect.poll(() => phase('restored'), T).toBe('Bound');
    await expect.poll(() => phase('cloned'), T).toBe('Bound');
    const restored = await volumeOf('restored');
    const cloned = await volumeOf('cloned');
    const file = (v: typeof restored) => v.pool.getVolume(v.id)!.path;
    expect(await qemuIo(file(restored), 'read -P 0xaa 0 64k', true)).toBe(true);
    expect(await qemuIo(file(cloned), 'read -P 0xbb 0 64k', true)).toBe(true);
    // Independent afterwards: writing one changes no other.
    expect(await qemuIo(file(cloned), 'write -P 0xcc 0 64k')).toBe(true);
    expect(await qemuIo(file(src), 'read -P 0xbb 0 64k', true)).toBe(true);
    expect(await qemuIo(file(restored), 'read -P 0xaa 0 64k', true)).toBe(true);
    expect(cloned.pv.spec?.capacity?.storage).toBe('4Gi');
  });

  it('refuses to restore a snapshot into another driver\'s class', async () => {
    await c.claim('cross', { storageClassName: 'kura-local', resources: { requests: { storage: '3Gi' } }, dataSourceRef: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'snap-1' } }, { annotations: { 'volume.kubernetes.io/selected-node': 'node-1' } });
    await expect.poll(() => messageOf('cross', 'ProvisioningFailed'), T).toContain('VolumeSnapshot snap-1 is a shared.kura.dev volume');
    expect(await phase('cross')).toBe('Pending');
  });

  it('deletes a Delete snapshot with its content and pool snapshot, while its restore keeps its data', async () => {
    const vs = (await c.client.get<VolumeSnapshot>(VolumeSnapshotModel, 'default', 'snap-1'))!;
    const contentName = vs.status!.boundVolumeSnapshotContentName!;
    await c.client.delete(VolumeSnapshotModel, 'default', 'snap-1');
    await expect.poll(async () => (await c.client.find(VolumeSnapshotModel, 'default', 'snap-1')) ?? 'gone', T).toBe('gone');
    expect(await c.client.find(VolumeSnapshotContentModel, undefined, contentName)).toBeUndefined();
    expect(pools.shared()!.getSnapshot(contentName)).toBeUndefined();
    const restored = await volumeOf('restored');
    expect(await qemuIo(restored.pool.getVolume(restored.id)!.path, 'read -P 0xaa 0 64k', true)).toBe(true);
  });
});

describe('reclaim and protection', () => {
  it('deletes the data and the PV of a Delete claim', async () => {
    const { pv, pool, id } = await volumeOf('cloned');
    await c.client.delete(PersistentVolumeClaimModel, 'default', 'cloned');
    await expect.poll(async () => (await getPv(pv.metadata.name)) ?? 'gone', T).toBe('gone');
    expect(pool.getVolume(id)).toBeUndefined();
  });

  it('keeps a Retain volume Released with its data', async () => {
    await c.client.create(StorageClassModel, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'keep' }, provisioner: 'shared.kura.dev', reclaimPolicy: 'Retain', parameters: { 'kura.dev/image-format': 'qcow2' } });
    await c.claim('kept', { storageClassName: 'keep', resources: { requests: { storage: '1Gi' } } });
    await expect.poll(() => phase('kept'), T).toBe('Bound');
    const { pv, pool, id } = await volumeOf('kept');
    await c.client.delete(PersistentVolumeClaimModel, 'default', 'kept');
    await expect.poll(async () => (await getPv(pv.metadata.name))?.status?.phase, T).toBe('Released');
    expect(pool.getVolume(id)).toBeDefined();
  });

  it('keeps a claim a VM uses until the VM is gone', async () => {
    await c.client.create(VirtualMachineInstanceModel, {
      apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', metadata: { name: 'vm-1', namespace: 'default' },
      spec: { domain: { devices: {} }, volumes: [{ name: 'disk', persistentVolumeClaim: { claimName: 'restored' } }] },
    });
    await c.client.delete(PersistentVolumeClaimModel, 'default', 'restored');
    await expect.poll(() => reasons('restored'), T).toContain('ClaimInUse');
    expect((await getClaim('restored'))?.metadata.deletionTimestamp).toBeTruthy();
    await c.client.delete(VirtualMachineInstanceModel, 'default', 'vm-1');
    await expect.poll(async () => (await getClaim('restored')) ?? 'gone', T).toBe('gone');
  });
});

describe('a restart', () => {
  it('resumes where it stopped and does not bring back a default class an admin deleted', async () => {
    expect(await c.client.find(ConfigMapModel, 'kube-system', 'kura-storage-bootstrap')).toBeTruthy();
    await c.storage.stop();
    await c.client.delete(StorageClassModel, undefined, 'kura-shared');
    await c.client.delete(VolumeSnapshotClassModel, undefined, 'kura-shared-snapshots');
    const ca = fs.readFileSync(path.join(c.dir, 'pki', 'ca.crt'), 'utf8');
    c.storage = await startStorageControllers({ server: c.api.url, ca, token: c.api.adminToken }, { pools, nodes: ['node-1', 'node-2'], maxRetryMs: 2000 });
    // A claim made meanwhile is served, so the controllers run; the deleted defaults stay deleted.
    await c.claim('after-restart', { storageClassName: 'keep', resources: { requests: { storage: '1Gi' } } });
    await expect.poll(() => phase('after-restart'), T).toBe('Bound');
    expect(await c.client.find(StorageClassModel, undefined, 'kura-shared')).toBeUndefined();
    expect(await c.client.find(VolumeSnapshotClassModel, undefined, 'kura-shared-snapshots')).toBeUndefined();
    expect(await phase('shared-1')).toBe('Bound');
    // Nothing leaked, nothing lost: the pools hold exactly the volumes the PVs name.
    const inPools = () => pools.all().flatMap((p) => p.listVolumes().map((v) => `${p.name}/${v.id}`)).sort();
    const named = async () => (await c.client.list<Volume>(PersistentVolumeModel)).items.map((v) => v.spec?.csi?.volumeHandle ?? '').sort();
    await expect.poll(async () => JSON.stringify(await named()) === JSON.stringify(inPools()), T).toBe(true);
    expect(inPools().length).toBeGreaterThan(3);
  });
});
