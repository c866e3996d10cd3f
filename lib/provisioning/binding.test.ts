import { describe, expect, it } from 'vitest';
import { describeRejection, findMatchingVolume, isVolumeBoundToClaim, nearestMiss } from './binding';
import { nodeAffinityFor } from './nodeaffinity';
import { makeClaim, makeVolume } from './testing';
import type { PersistentVolume } from './types';

const claim = makeClaim({ storageClassName: 'slow', size: '10Gi' });
const pv = (name: string, spec: Parameters<typeof makeVolume>[1] = {}, phase?: string, labels?: Record<string, string>): PersistentVolume =>
  makeVolume(name, { storageClassName: 'slow', ...spec }, phase, labels);
const mine = { name: 'data', namespace: 'vms' };
const chosen = (volumes: PersistentVolume[], c = claim, node?: { name: string; labels?: Record<string, string> }) =>
  findMatchingVolume(c, volumes, { node }).volume?.metadata?.name;

describe('findMatchingVolume: which volume', () => {
  it.each<[string, PersistentVolume[], string | undefined]>([
    ['the smallest that fits', [pv('big', { size: '100Gi' }), pv('small', { size: '20Gi' }), pv('tiny', { size: '5Gi' })], 'small'],
    ['an exact fit', [pv('exact', { size: '10Gi' }), pv('more', { size: '11Gi' })], 'exact'],
    ['fewest access modes before size', [pv('rwx', { size: '10Gi', accessModes: ['ReadWriteOnce', 'ReadWriteMany'] }), pv('rwo', { size: '50Gi' })], 'rwo'],
    ['by name when all else is equal', [pv('b'), pv('a')], 'a'],
    ['pre-bound to this claim, even if bigger', [pv('small'), pv('reserved', { size: '50Gi', claimRef: mine }, 'Available')], 'reserved'],
    ['pre-bound to this claim, whatever its class', [pv('reserved', { storageClassName: 'other', claimRef: { ...mine, uid: 'uid-data' } }, 'Bound')], 'reserved'],
    ['none', [pv('tiny', { size: '1Gi' })], undefined],
  ])('%s', (_, volumes, want) => {
    expect(chosen(volumes)).toBe(want);
  });

  it('takes exactly the volume a claim names, Available or not, selector or not', () => {
    const named = makeClaim({ storageClassName: 'slow', volumeName: 'pv-7', selector: { matchLabels: { tier: 'gold' } } });
    expect(chosen([pv('pv-1'), pv('pv-7', {}, 'Pending')], named)).toBe('pv-7');
    expect(findMatchingVolume(named, [pv('pv-1')]).rejections[0]?.reasons).toEqual([{ code: 'volumeName', message: 'the claim asks for volume pv-7' }]);
  });

  it('checks node affinity only against a given node', () => {
    const local = pv('local', { nodeAffinity: nodeAffinityFor('node-1') });
    expect(chosen([local])).toBe('local');
    expect(chosen([local], claim, { name: 'node-1', labels: { 'topology.kura.dev/node': 'node-1' } })).toBe('local');
    expect(chosen([local], claim, { name: 'node-2', labels: { 'topology.kura.dev/node': 'node-2' } })).toBeUndefined();
  });

  it('binds claims and volumes without a class to each other only', () => {
    expect(chosen([pv('classless', { storageClassName: '' })], makeClaim({ storageClassName: '' }))).toBe('classless');
    expect(chosen([pv('classless', { storageClassName: '' })], makeClaim())).toBe('classless');
    expect(chosen([pv('slow')], makeClaim({ storageClassName: '' }))).toBeUndefined();
  });
});

describe('findMatchingVolume: why not', () => {
  it.each<[string, PersistentVolume, ReturnType<typeof makeClaim>, string]>([
    ['too small', pv('pv', { size: '5Gi' }), claim, 'pv: 5 GiB, the claim needs 10 GiB'],
    ['another class', pv('pv', { storageClassName: 'fast' }), claim, 'pv: has class fast, the claim wants class slow'],
    ['no class', pv('pv', { storageClassName: '' }), claim, 'pv: has no class, the claim wants class slow'],
    ['another volumeMode', pv('pv', { volumeMode: 'Block' }), claim, 'pv: a Block volume, the claim wants Filesystem'],
    ['missing access modes', pv('pv'), makeClaim({ storageClassName: 'slow', accessModes: ['ReadWriteOnce', 'ReadWriteMany'] }), 'pv: offers ReadWriteOnce, the claim needs ReadWriteMany'],
    ['not Available', pv('pv', {}, 'Released'), claim, 'pv: Released, not Available'],
    ['pre-bound to another claim', pv('pv', { claimRef: { name: 'other', namespace: 'vms' } }), claim, 'pv: reserved for claim vms/other'],
    ['bound to an older claim of the same name', pv('pv', { claimRef: { ...mine, uid: 'old' } }, 'Bound'), claim, 'pv: reserved for claim vms/data'],
    ['being deleted', { ...pv('pv'), metadata: { name: 'pv', deletionTimestamp: '2026-01-01T00:00:00Z' } }, claim, 'pv: being deleted'],
    ['labels off the selector', pv('pv', {}, 'Available', { tier: 'bronze' }), makeClaim({ storageClassName: 'slow', selector: { matchLabels: { tier: 'gold' } } }), "pv: labels do not match the claim's selector tier=gold"],
    ['an invalid selector matches nothing', pv('pv'), makeClaim({ storageClassName: 'slow', selector: { matchExpressions: [{ key: 'tier', operator: 'Near' }] } }), "pv: labels do not match the claim's selector <error>"],
    ['several problems at once', pv('pv', { size: '1Gi', storageClassName: 'fast' }, 'Released'), claim, 'pv: 1 GiB, the claim needs 10 GiB; has class fast, the claim wants class slow; Released, not Available'],
  ])('%s', (_, volume, c, want) => {
    const match = findMatchingVolume(c, [volume]);
    expect(match.volume).toBeUndefined();
    expect(match.rejections.map(describeRejection)).toEqual([want]);
  });

  it('reports the node a volume cannot be reached from', () => {
    const match = findMatchingVolume(claim, [pv('pv', { nodeAffinity: nodeAffinityFor('node-1') })], { node: { name: 'node-2' } });
    expect(match.rejections.map(describeRejection)).toEqual(['pv: not reachable from node-2']);
  });
});

describe('isVolumeBoundToClaim', () => {
  it.each([
    [{ name: 'data', namespace: 'vms' }, true],
    [{ name: 'data', namespace: 'vms', uid: 'uid-data' }, true],
    [{ name: 'data', namespace: 'vms', uid: 'uid-old' }, false],
    [{ name: 'data', namespace: 'other' }, false],
  ])('%j → %s', (claimRef, want) => {
    expect(isVolumeBoundToClaim(pv('pv', { claimRef }), claim)).toBe(want);
  });
});

describe('nearestMiss', () => {
  it('is the volume with the fewest problems, not one another claim holds', () => {
    const { rejections } = findMatchingVolume(claim, [
      pv('taken', { claimRef: { name: 'x', namespace: 'vms' } }),
      pv('two-off', { size: '1Gi', storageClassName: 'fast' }),
      pv('one-off', { size: '8Gi' }),
    ]);
    expect(nearestMiss(rejections)?.volume).toBe('one-off');
    expect(nearestMiss([])).toBeUndefined();
    expect(nearestMiss(rejections.filter((r) => r.volume === 'taken'))).toBeUndefined();
  });
});
