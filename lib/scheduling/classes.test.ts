import { describe, expect, it } from 'vitest';
import { kuraLocal, kuraShared, makeClass } from '../provisioning/testing';
import { schedulingClassOf, schedulingClasses } from './classes';

describe('schedulingClassOf', () => {
  it.each([
    ['node-local driver', kuraLocal({ parameters: { 'kura.dev/score-divisor': '10' } }), undefined, undefined, { topology: 'node', scoreDivisor: 10 }],
    ['shared driver with its pool', kuraShared(), { freeBytes: 5 }, undefined, { topology: 'shared', scoreDivisor: 1, sharedFreeBytes: 5 }],
    ['shared driver, pool unknown', kuraShared(), undefined, undefined, { topology: 'shared', scoreDivisor: 1, sharedFreeBytes: undefined }],
    ['another driver', makeClass('ceph', 'rbd.csi.ceph.com'), undefined, undefined, { topology: 'unknown', scoreDivisor: 1 }],
    ['another driver the caller knows is per node (CSIStorageCapacity)', makeClass('lvm', 'topolvm.io'), undefined, 'node' as const, { topology: 'node', scoreDivisor: 1, sharedFreeBytes: undefined }],
  ])('%s', (_, sc, pool, topology, want) => {
    expect(schedulingClassOf(sc, pool, topology)).toEqual(want);
  });

  it('maps every class by name, with shared pools by class name', () => {
    expect(schedulingClasses([kuraLocal(), kuraShared()], { 'kura-shared': { freeBytes: 7 } })).toEqual({
      'kura-local': { topology: 'node', scoreDivisor: 1 },
      'kura-shared': { topology: 'shared', scoreDivisor: 1, sharedFreeBytes: 7 },
    });
  });
});
