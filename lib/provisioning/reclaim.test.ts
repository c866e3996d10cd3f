import { describe, expect, it } from 'vitest';
import { PROVISIONED_BY_ANNOTATION, type ReclaimDecision, decideReclaim } from './reclaim';
import { makeClaim, makeVolume } from './testing';
import type { PersistentVolume } from './types';

const claim = makeClaim();
const ref = { name: 'data', namespace: 'vms', uid: 'uid-data' };
const volume = (policy: string | undefined, by?: string, csi?: string): PersistentVolume => {
  const pv = makeVolume('pv-1', { claimRef: ref, persistentVolumeReclaimPolicy: policy, csi: csi ? { driver: csi } : undefined }, 'Bound');
  if (by) pv.metadata = { ...pv.metadata, annotations: { [PROVISIONED_BY_ANNOTATION]: by } };
  return pv;
};

describe('decideReclaim', () => {
  it.each<[string, PersistentVolume, ReturnType<typeof makeClaim> | undefined, Partial<ReclaimDecision>]>([
    ['never claimed', makeVolume('pv-1'), undefined, { action: 'none', phase: 'Available' }],
    ['claim still there', volume('Delete', 'local.kura.dev'), claim, { action: 'none', phase: 'Bound' }],
    ['Delete, Kura driver', volume('Delete', 'local.kura.dev'), undefined, { action: 'delete', phase: 'Released', driver: 'local.kura.dev', external: false }],
    ['Delete, found by its CSI driver', volume('Delete', undefined, 'shared.kura.dev'), undefined, { action: 'delete', driver: 'shared.kura.dev', external: false }],
    ['Delete, another driver', volume('Delete', 'ebs.csi.aws.com'), undefined, { action: 'delete', driver: 'ebs.csi.aws.com', external: true }],
    ['Delete, a new claim of the same name', volume('Delete', 'local.kura.dev'), makeClaim({}, { metadata: { name: 'data', namespace: 'vms', uid: 'uid-new' } }), { action: 'delete' }],
    ['Retain', volume('Retain', 'local.kura.dev'), undefined, { action: 'retain', phase: 'Released' }],
    ['no policy: Retain, the PV default', volume(undefined), undefined, { action: 'retain' }],
    ['Recycle', volume('Recycle', 'local.kura.dev'), undefined, { action: 'fail', phase: 'Failed' }],
    ['Delete, made by hand', volume('Delete'), undefined, { action: 'fail', phase: 'Failed' }],
    ['Delete, no-provisioner', volume('Delete', 'kubernetes.io/no-provisioner'), undefined, { action: 'fail' }],
  ])('%s', (_, pv, current, want) => {
    expect(decideReclaim(pv, current)).toMatchObject(want);
  });

  it.each<[PersistentVolume, string]>([
    [volume('Retain'), 'Its claim is gone and the policy is Retain: the data is kept until an admin deletes the volume, or clears its claimRef to reuse it.'],
    [volume('Delete', 'local.kura.dev'), 'Its claim is gone and the policy is Delete: local.kura.dev deletes the data, then the volume.'],
    [volume('Delete', 'ebs.csi.aws.com'), 'Its claim is gone and the policy is Delete: waiting for ebs.csi.aws.com to delete the data.'],
    [volume('Delete'), 'The policy is Delete but no provisioner made this volume, so nothing can delete its data; delete it by hand.'],
  ])('says what happens: %#', (pv, message) => {
    expect(decideReclaim(pv, undefined).message).toBe(message);
  });
});
