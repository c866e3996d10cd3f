// The small pure pieces of the storage controllers: handles, conditions, event throttling,
// backoff, snapshot classes, VMI consumers, capacity objects and node conditions.
import { describe, expect, it, vi } from 'vitest';
import { GiB, storageClassView } from '@/lib/provisioning';
import type { EventRecorder } from '../runtime/events';
import { desiredCapacities } from './capacity';
import { Backoff, Reporter } from './context';
import { nodeConditions } from './nodes';
import { parseHandle, setCondition, type SnapshotClass, type VolumeSnapshot, type VolumeSnapshotContent } from './objects';
import { PoolSet } from './pools';
import { claimsOfVmi, isClaimInUse } from './protection';
import { chooseSnapshotClass, statusFromContent } from './snapshots';
import { MemoryPool } from './testing';

describe('handles and conditions', () => {
  it.each([
    ['node-1/pvc-1', { pool: 'node-1', id: 'pvc-1' }],
    ['shared/a/b', { pool: 'shared', id: 'a/b' }],
    ['nopool', undefined],
    ['/x', undefined],
    ['x/', undefined],
  ])('parses %s', (h, want) => expect(parseHandle(h)).toEqual(want));

  it('moves lastTransitionTime only when the status changes', () => {
    const a = setCondition(undefined, { type: 'Ready', status: 'True' }, 't1');
    const b = setCondition(a, { type: 'Ready', status: 'True', message: 'still' }, 't2');
    const c = setCondition(b, { type: 'Ready', status: 'False' }, 't3');
    expect([a[0]?.lastTransitionTime, b[0]?.lastTransitionTime, c[0]?.lastTransitionTime]).toEqual(['t1', 't1', 't3']);
  });
});

describe('Reporter and Backoff', () => {
  it('says a repeated thing once per window, and a new thing at once', async () => {
    let t = 0;
    const record = vi.fn(async () => undefined);
    const r = new Reporter({ record } as unknown as EventRecorder, 1000, () => t);
    const obj = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'a', uid: 'u' } };
    await r.warning(obj, 'ProvisioningFailed', 'no room');
    await r.warning(obj, 'ProvisioningFailed', 'no room');
    await r.warning(obj, 'ProvisioningFailed', 'no room on node-2');
    t = 2000;
    await r.warning(obj, 'ProvisioningFailed', 'no room on node-2');
    expect(record).toHaveBeenCalledTimes(3);
  });

  it('doubles up to the cap and starts over after a reset', () => {
    const b = new Backoff(100, 500);
    expect([b.next('k'), b.next('k'), b.next('k'), b.next('k')]).toEqual([100, 200, 400, 500]);
    b.reset('k');
    expect(b.next('k')).toBe(100);
  });
});

describe('snapshot classes and status', () => {
  const cls = (name: string, driver: string, isDefault = false): SnapshotClass => ({
    apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name, annotations: isDefault ? { 'snapshot.storage.kubernetes.io/is-default-class': 'true' } : {} }, driver, deletionPolicy: 'Delete',
  });
  const vs = (className?: string): VolumeSnapshot => ({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 's' }, spec: { volumeSnapshotClassName: className } });
  const classes = [cls('local', 'local.kura.dev', true), cls('local-2', 'local.kura.dev'), cls('shared', 'shared.kura.dev', true)];

  it.each([
    [undefined, 'local.kura.dev', 'local', undefined],
    ['local-2', 'local.kura.dev', 'local-2', undefined],
    ['shared', 'local.kura.dev', undefined, 'VolumeSnapshotClass shared is for shared.kura.dev, but the volume is a local.kura.dev volume.'],
    ['gone', 'local.kura.dev', undefined, 'VolumeSnapshotClass gone does not exist.'],
    [undefined, 'rbd.csi.ceph.com', undefined, 'No default VolumeSnapshotClass exists for rbd.csi.ceph.com; name one in spec.volumeSnapshotClassName.'],
  ])('class %s for %s', (name, driver, want, problem) => {
    const r = chooseSnapshotClass(vs(name), driver, classes);
    expect(r.cls?.metadata.name).toBe(want);
    expect(r.problem).toBe(problem);
  });

  it('shows the content\'s restore size as a quantity', () => {
    const content: VolumeSnapshotContent = { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotContent', metadata: { name: 'c', annotations: { 'snapshot.kura.dev/creation-time': '2026-01-01T00:00:00Z' } }, status: { readyToUse: true, restoreSize: 3 * GiB } };
    expect(statusFromContent(content)).toEqual({ boundVolumeSnapshotContentName: 'c', readyToUse: true, restoreSize: '3Gi', creationTime: '2026-01-01T00:00:00Z' });
  });
});

describe('claim consumers', () => {
  it('reads the claims a VMI uses', () => {
    const vmi = { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', metadata: { name: 'vm' }, spec: { volumes: [{ persistentVolumeClaim: { claimName: 'a' } }, { dataVolume: { name: 'b' } }, { name: 'cloudinit' }] } };
    expect(claimsOfVmi(vmi)).toEqual(['a', 'b']);
  });

  it('asks each check in turn', () => {
    const checks = [(_ns: string, n: string) => (n === 'a' ? 'VirtualMachineInstance vm' : undefined), (_ns: string, n: string) => (n === 'b' ? 'an importer' : undefined)];
    expect([isClaimInUse(checks, 'x', 'a'), isClaimInUse(checks, 'x', 'b'), isClaimInUse(checks, 'x', 'c')]).toEqual(['VirtualMachineInstance vm', 'an importer', undefined]);
  });
});

describe('capacity objects and node conditions', () => {
  const n1 = new MemoryPool('node-1', 10 * GiB);
  const shared = new MemoryPool('shared', 20 * GiB);
  const pools = new PoolSet({ 'node-1': n1 }, shared);
  const view = (name: string, provisioner: string, parameters = {}) => storageClassView({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, parameters });

  it('publishes one object per node for node-local classes and one reaching every node for shared ones', async () => {
    await n1.createVolume('v', 4 * GiB);
    const got = desiredCapacities([view('fast', 'local.kura.dev', { 'kura.dev/overprovision-ratio': '1.5' }), view('kura-shared', 'shared.kura.dev'), view('ceph', 'rbd.csi.ceph.com')], pools);
    expect([...got.keys()]).toEqual(['kura-fast-node-1', 'kura-kura-shared']);
    expect(got.get('kura-fast-node-1')).toMatchObject({ storageClassName: 'fast', capacity: '11Gi', maximumVolumeSize: '11Gi', nodeTopology: { matchLabels: { 'topology.kura.dev/node': 'node-1' } } });
    expect(got.get('kura-kura-shared')).toMatchObject({ capacity: '20Gi', nodeTopology: {} });
  });

  it('reports the pool\'s health as a node condition', () => {
    expect(nodeConditions(undefined, pools, 'node-1', 't').find((c) => c.type === 'StoragePoolReady')).toMatchObject({ status: 'True', message: '4 GiB of 10 GiB promised to 1 volume, 0 B written.' });
    n1.healthy = false;
    expect(nodeConditions(undefined, pools, 'node-1', 't').find((c) => c.type === 'StoragePoolReady')).toMatchObject({ status: 'False', reason: 'PoolUnavailable', message: 'gone' });
    expect(nodeConditions(undefined, pools, 'node-7', 't').find((c) => c.type === 'StoragePoolReady')).toMatchObject({ status: 'False', reason: 'NoPool' });
  });
});
