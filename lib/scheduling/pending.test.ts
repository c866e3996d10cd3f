import { describe, expect, it } from 'vitest';
import { type ClassPool, type PersistentVolumeClaim, accountPool, nodeAffinityFor } from '../provisioning';
import { kuraLocal, kuraShared, makeClaim, makeClass, makeVolume } from '../provisioning/testing';
import { type PendingClaimInput, SELECTED_NODE_ANNOTATION, explainPendingClaim } from './pending';

const GiB = 2 ** 30;
const wffc = kuraLocal();
const immediate = kuraLocal({ volumeBindingMode: 'Immediate' });
const shared = kuraShared();
const pool = (node: string | null, freeGiB: number): ClassPool => ({ node, usage: accountPool({ capacityBytes: 1000 * GiB, usedBytes: 0 }, [(1000 - freeGiB) * GiB]) });
const localPools = [pool('node-1', 40), pool('node-2', 180), pool('node-3', 0)];
const selectedOn = (node: string, spec: Parameters<typeof makeClaim>[0]): PersistentVolumeClaim =>
  makeClaim(spec, { metadata: { name: 'data', namespace: 'vms', annotations: { [SELECTED_NODE_ANNOTATION]: node } } });
const input = (claim: PersistentVolumeClaim, over: Partial<PendingClaimInput> = {}): PendingClaimInput => ({
  claim,
  classes: [wffc, shared],
  volumes: [],
  pools: { 'kura-local': localPools, 'kura-shared': [pool(null, 50)] },
  ...over,
});

describe('explainPendingClaim', () => {
  it.each<[string, PendingClaimInput, string, string]>([
    ['bound', input(makeClaim({ volumeName: 'pv-1' }, { status: { phase: 'Bound' } })), 'Bound', 'data is bound to volume pv-1.'],
    ['lost', input(makeClaim({ volumeName: 'pv-1' }, { status: { phase: 'Lost' } })), 'Lost', 'data lost its volume pv-1: the volume no longer exists, and its data cannot be reached.'],
    ['being deleted', input(makeClaim({}, { metadata: { name: 'data', deletionTimestamp: '2026-01-01T00:00:00Z' } })), 'Terminating', 'data is being deleted; it goes once no VM uses it.'],
    [
      'RWX on a node-local class',
      input(makeClaim({ storageClassName: 'kura-local', accessModes: ['ReadWriteMany'] })),
      'InvalidClaim',
      'data cannot be satisfied: kura-local volumes are node-local and cannot be ReadWriteMany; use kura-shared for volumes several nodes mount (spec.accessModes[0]).',
    ],
    ['no size', input(makeClaim({ storageClassName: 'kura-local', size: null })), 'InvalidClaim', 'data cannot be satisfied: say how big the volume should be, such as 10Gi (spec.resources.requests[storage]).'],
    ['asks for a volume that does not exist', input(makeClaim({ volumeName: 'pv-9' })), 'VolumeNotFound', 'data asks for volume pv-9, which does not exist.'],
    [
      'asks for a volume another claim holds',
      input(makeClaim({ volumeName: 'pv-1' }), { volumes: [makeVolume('pv-1', { claimRef: { name: 'db', namespace: 'vms' } }, 'Bound')] }),
      'VolumeTaken',
      'data asks for volume pv-1, but it is reserved for claim vms/db.',
    ],
    [
      'asks for a volume too small',
      input(makeClaim({ volumeName: 'pv-1', size: '20Gi', storageClassName: '' }), { volumes: [makeVolume('pv-1', { size: '5Gi' })] }),
      'VolumeMismatch',
      'data asks for volume pv-1, which does not fit: 5 GiB, the claim needs 20 GiB.',
    ],
    ['asks for a volume that fits', input(makeClaim({ volumeName: 'pv-1', storageClassName: '' }), { volumes: [makeVolume('pv-1')] }), 'MatchingVolume', 'Volume pv-1 fits data; the binder has not bound them yet.'],
    [
      'WaitForFirstConsumer and no consumer yet',
      input(makeClaim({ storageClassName: 'kura-local' })),
      'WaitingForFirstConsumer',
      'kura-local waits for the first consumer: the volume is made when a VM that uses data is scheduled, and none exists yet.',
    ],
    [
      'WaitForFirstConsumer, consumer not placed yet',
      input(makeClaim({ storageClassName: 'kura-local' }), { hasConsumer: true }),
      'WaitingForScheduling',
      'kura-local waits for the first consumer: a VM uses data but has no node yet; its own status says why.',
    ],
    [
      'a static volume matches',
      input(makeClaim({ storageClassName: 'kura-shared' }), { volumes: [makeVolume('pv-3', { storageClassName: 'kura-shared', size: '50Gi' })] }),
      'MatchingVolume',
      'Volume pv-3 fits data; the binder has not bound them yet.',
    ],
    [
      'no class, no static volume fits: the nearest miss',
      input(makeClaim({ storageClassName: '', size: '10Gi' }), { volumes: [makeVolume('pv-2', { size: '1Gi', storageClassName: 'x' }), makeVolume('pv-3', { size: '5Gi' })] }),
      'NoMatchingVolume',
      'data asks for no storage class, so only an existing PersistentVolume without a class can satisfy it, and none fits (the nearest, pv-3: 5 GiB, the claim needs 10 GiB).',
    ],
    [
      'no class and no volumes at all',
      input(makeClaim({ storageClassName: '' })),
      'NoMatchingVolume',
      'data asks for no storage class, so only an existing PersistentVolume without a class can satisfy it, and there is none.',
    ],
    ['no class named and no default', input(makeClaim()), 'NoDefaultClass', 'data names no storage class and the cluster has no default one; name a class, or mark one as the default.'],
    ['no class of that name', input(makeClaim({ storageClassName: 'gold' })), 'ClassNotFound', 'No StorageClass named gold exists, and no existing PersistentVolume of that class fits data.'],
    [
      'a no-provisioner class',
      input(makeClaim({ storageClassName: 'local-disks' }), { classes: [makeClass('local-disks', 'kubernetes.io/no-provisioner')], volumes: [makeVolume('pv-1', { storageClassName: 'local-disks', size: '2Gi' })] }),
      'NoMatchingVolume',
      'local-disks makes no volumes (kubernetes.io/no-provisioner): an admin must create a PersistentVolume for data, and none fits (the nearest, pv-1: 2 GiB, the claim needs 10 GiB).',
    ],
    [
      'the chosen node has no room',
      input(selectedOn('node-1', { storageClassName: 'kura-local', size: '50Gi' })),
      'NoRoomOnSelectedNode',
      'node-1 was chosen for the VM using data, but it has 40 GiB free in kura-local, and data needs 50 GiB.',
    ],
    ['the chosen node has no pool', input(selectedOn('node-7', { storageClassName: 'kura-local' })), 'NoRoomOnSelectedNode', 'node-7 was chosen for the VM using data, but it has no kura-local pool.'],
    ['the chosen node has room', input(selectedOn('node-2', { storageClassName: 'kura-local', size: '50Gi' })), 'Provisioning', 'local.kura.dev is making the volume for data on node-2.'],
    [
      'Immediate, no node has room: the largest free',
      input(makeClaim({ storageClassName: 'kura-local', size: '200Gi' }), { classes: [immediate, shared] }),
      'NoRoom',
      'No node has room for data: it needs 200 GiB, and the most free in kura-local is 180 GiB (on node-2).',
    ],
    ['Immediate, a node has room', input(makeClaim({ storageClassName: 'kura-local', size: '100Gi' }), { classes: [immediate] }), 'Provisioning', 'local.kura.dev is making the volume for data.'],
    ['the shared pool is short', input(makeClaim({ storageClassName: 'kura-shared', size: '60Gi' })), 'NoRoom', 'The kura-shared pool has 50 GiB free, and data needs 60 GiB.'],
    ['no pool of the class', input(makeClaim({ storageClassName: 'kura-shared' }), { pools: { 'kura-shared': [] } }), 'NoRoom', 'No node has a kura-shared pool, so data (10 GiB) has nowhere to go.'],
    ['capacity unknown: no refusal', input(makeClaim({ storageClassName: 'kura-shared', size: '60Gi' }), { pools: {} }), 'Provisioning', 'shared.kura.dev is making the volume for data.'],
    [
      'another driver',
      input(makeClaim({ storageClassName: 'ceph', size: '60Gi' }), { classes: [makeClass('ceph', 'rbd.csi.ceph.com')] }),
      'ExternalProvisioner',
      "Waiting for rbd.csi.ceph.com to make the volume for data; if it fails, the claim's events say why.",
    ],
    [
      'the default class applies to an unnamed claim',
      input(makeClaim({ size: '200Gi' }), { classes: [makeClass('kura-local', 'local.kura.dev', {}, { 'storageclass.kubernetes.io/is-default-class': 'true' })] }),
      'NoRoom',
      'No node has room for data: it needs 200 GiB, and the most free in kura-local is 180 GiB (on node-2).',
    ],
  ])('%s', (_, given, reason, message) => {
    expect(explainPendingClaim(given)).toEqual({ reason, message });
  });

  it('binds a static node-local volume before provisioning', () => {
    const pv = makeVolume('pv-local', { storageClassName: 'kura-local', size: '300Gi', nodeAffinity: nodeAffinityFor('node-1') });
    const claim = makeClaim({ storageClassName: 'kura-local', size: '200Gi' });
    expect(explainPendingClaim(input(claim, { classes: [immediate], volumes: [pv] })).reason).toBe('MatchingVolume');
  });
});
