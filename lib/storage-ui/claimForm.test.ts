import { describe, expect, it } from 'vitest';
import { GiB } from '../provisioning';
import { kuraLocal, kuraShared, makeClass } from '../provisioning/testing';
import { accessModesFor, type ClaimForm, claimFromForm, snapshotObject, splitSize, suggestedName, validateClaimForm } from './claimForm';

const classes = [kuraLocal({}, ), kuraShared()].map((c) => ({ ...c, isDefault: c.name === 'kura-local' }));
const form = (over: Partial<ClaimForm> = {}): ClaimForm => ({
  name: 'data',
  namespace: 'team-a',
  storageClassName: 'kura-local',
  size: '10',
  unit: 'Gi',
  accessMode: 'ReadWriteOnce',
  volumeMode: 'Filesystem',
  sourceKind: 'none',
  sourceName: '',
  ...over,
});

describe('claimFromForm', () => {
  it('makes a claim, with a snapshot source when restoring', () => {
    expect(claimFromForm(form({ sourceKind: 'VolumeSnapshot', sourceName: 'snap-1' }))).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'team-a' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        volumeMode: 'Filesystem',
        resources: { requests: { storage: '10Gi' } },
        storageClassName: 'kura-local',
        dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'snap-1' },
      },
    });
  });
  it('leaves the class out for the default, and names a claim source without a group', () => {
    const c = claimFromForm(form({ storageClassName: '', sourceKind: 'PersistentVolumeClaim', sourceName: 'src' }));
    expect(c.spec).not.toHaveProperty('storageClassName');
    expect(c.spec?.dataSource).toEqual({ kind: 'PersistentVolumeClaim', name: 'src' });
  });
});

describe('validateClaimForm', () => {
  const ctx = { classes, existing: ['taken'] };
  it.each<[string, Partial<ClaimForm>, Partial<typeof ctx> & { sourceMinBytes?: number; sourceDriver?: string }, Record<string, unknown>]>([
    ['valid', {}, {}, {}],
    ['name taken', { name: 'taken' }, {}, { name: 'A PersistentVolumeClaim named taken already exists in namespace team-a.' }],
    ['not a number', { size: 'ten' }, {}, { size: 'ten is not a number.' }],
    ['zero', { size: '0' }, {}, { size: 'The size must be greater than zero.' }],
    ['smaller than the snapshot', { size: '5' }, { sourceMinBytes: 8 * GiB }, { size: 'At least 8 GiB: the volume must hold everything its source holds.' }],
    ['RWX on a node-local class', { accessMode: 'ReadWriteMany' }, {}, { accessMode: expect.stringContaining('node-local and cannot be ReadWriteMany; use kura-shared') }],
    ['unknown class', { storageClassName: 'nope' }, {}, { storageClassName: 'No StorageClass named nope exists.' }],
    ['other driver than the source', { storageClassName: 'kura-shared' }, { sourceDriver: 'local.kura.dev' }, { storageClassName: expect.stringContaining('a copy must stay with its driver') }],
    ['no source chosen', { sourceKind: 'VolumeSnapshot' }, {}, { source: 'Choose the snapshot to restore.' }],
    ['no default class', { storageClassName: '' }, { classes: [kuraShared()] }, { storageClassName: 'The cluster has no default StorageClass: choose one.' }],
  ])('%s', (_n, over, c, want) => {
    expect(validateClaimForm(form(over), { ...ctx, ...c })).toEqual(want);
  });
});

describe('helpers', () => {
  it.each<[number, string, string]>([
    [10 * GiB, '10', 'Gi'],
    [2 * 1024 * GiB, '2', 'Ti'],
    [1.5 * GiB, '1.5', 'Gi'],
    [100 * 1024 * 1024, '100', 'Mi'],
  ])('splitSize(%d)', (bytes, size, unit) => {
    expect(splitSize(bytes)).toEqual({ size, unit });
  });
  it('offers the access modes of a known driver, all of them otherwise', () => {
    expect(accessModesFor(classes[0])).toEqual(['ReadWriteOnce', 'ReadWriteOncePod']);
    expect(accessModesFor(makeClass('x', 'example.com'))).toHaveLength(4);
  });
  it('suggests a fresh name from a moment', () => {
    const now = new Date('2026-11-22T03:12:00Z');
    expect(suggestedName('data', 'snapshot', now)).toBe('data-snapshot-20261122-0312');
    expect(suggestedName('data', 'snapshot', now, ['data-snapshot-20261122-0312'])).toBe('data-snapshot-20261122-0312-2');
  });
  it('makes a VolumeSnapshot', () => {
    expect(snapshotObject('s', 'ns', 'data', undefined)).toEqual({
      apiVersion: 'snapshot.storage.k8s.io/v1',
      kind: 'VolumeSnapshot',
      metadata: { name: 's', namespace: 'ns' },
      spec: { source: { persistentVolumeClaimName: 'data' } },
    });
  });
});
