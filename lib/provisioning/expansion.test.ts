import { describe, expect, it } from 'vitest';
import { GiB } from './bytes';
import { accountPool } from './capacity';
import { type ExpansionInput, checkExpansion } from './expansion';
import { kuraLocal, makeClaim, makeClass } from './testing';

const bound = makeClaim({ size: '20Gi', volumeName: 'pv-1' }, { status: { phase: 'Bound', capacity: { storage: '20Gi' } } });
const local = kuraLocal();
const pool = (freeGiB: number, node: string | null = 'node-2') => ({ node, usage: accountPool({ capacityBytes: 100 * GiB, usedBytes: 0 }, [(100 - freeGiB) * GiB]) });
const input = (over: Partial<ExpansionInput>): ExpansionInput => ({ claim: bound, newSize: '40Gi', storageClass: local, pool: pool(50), ...over });

describe('checkExpansion', () => {
  it('allows growth that fits, saying how much more the pool must promise', () => {
    expect(checkExpansion(input({}))).toEqual({ allowed: true, fromBytes: 20 * GiB, toBytes: 40 * GiB, growBytes: 20 * GiB, message: 'data can grow from 20 GiB to 40 GiB.' });
  });

  it('allows growth when the pool is unknown (another driver decides)', () => {
    expect(checkExpansion(input({ pool: undefined, storageClass: makeClass('ceph', 'rbd.csi.ceph.com', { allowVolumeExpansion: true }) })).allowed).toBe(true);
  });

  it.each<[string, Partial<ExpansionInput>, string, string]>([
    ['a size that is not one', { newSize: 'big' }, 'InvalidSize', '"big" is not a size: quantities must match'],
    ['shrinking', { newSize: '10Gi' }, 'NotGrowth', 'Volumes can only grow: 10 GiB is less than the 20 GiB data already has.'],
    ['the same size', { newSize: '20Gi' }, 'NoChange', 'data already asks for 20 GiB.'],
    ['no class', { storageClass: undefined }, 'NoClass', 'data has no storage class, and only a class can allow expansion.'],
    ['a class that forbids it', { storageClass: kuraLocal({ allowVolumeExpansion: false }) }, 'ExpansionNotAllowed', 'StorageClass kura-local does not allow expansion (allowVolumeExpansion is not true)'],
    ['an unbound claim', { claim: makeClaim({ size: '20Gi' }, { status: { phase: 'Pending' } }) }, 'NotBound', 'data is not bound to a volume yet; resize it once it is.'],
    ['no room on its node', { pool: pool(5) }, 'NoRoom', 'node-2 has 5 GiB free in kura-local; growing data from 20 GiB to 40 GiB needs 20 GiB more.'],
    ['no room in the shared pool', { pool: pool(5, null) }, 'NoRoom', 'the shared pool has 5 GiB free in kura-local; growing data from 20 GiB to 40 GiB needs 20 GiB more.'],
  ])('refuses %s', (_, over, reason, message) => {
    const decision = checkExpansion(input(over));
    expect(decision.allowed).toBe(false);
    expect(decision.allowed === false && decision.reason).toBe(reason);
    expect(decision.message.startsWith(message)).toBe(true);
  });

  it('counts growth from the size the volume has, not an earlier request', () => {
    const resizing = makeClaim({ size: '30Gi', volumeName: 'pv-1' }, { status: { phase: 'Bound', capacity: { storage: '30Gi' } } });
    expect(checkExpansion(input({ claim: resizing, pool: pool(10) }))).toMatchObject({ allowed: true, growBytes: 10 * GiB });
  });
});
