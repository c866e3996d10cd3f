import { describe, expect, it } from 'vitest';
import { getClassDescription, getClassParameters, getSnapshotClassDeletionPolicy, getSnapshotClassDriver, isDefaultSnapshotClass } from './storageclass';

describe('class selectors', () => {
  it.each<[Record<string, string>, string | undefined]>([
    [{ description: 'fast local disks' }, 'fast local disks'],
    [{ 'kubernetes.io/description': 'shared' }, 'shared'],
    [{ 'kura.dev/description': 'Fast volumes' }, 'Fast volumes'],
    [{}, undefined],
  ])('description from %j', (annotations, want) => {
    expect(getClassDescription({ metadata: { annotations } })).toBe(want);
  });
  it('reads a VolumeSnapshotClass', () => {
    const vsc = { driver: 'local.kura.dev', deletionPolicy: 'Delete', metadata: { annotations: { 'snapshot.storage.kubernetes.io/is-default-class': 'true' } } };
    expect(getSnapshotClassDriver(vsc)).toBe('local.kura.dev');
    expect(getSnapshotClassDeletionPolicy(vsc)).toBe('Delete');
    expect(isDefaultSnapshotClass(vsc)).toBe(true);
    expect(isDefaultSnapshotClass({ metadata: { annotations: { 'snapshot.storage.kubernetes.io/is-default-class': 'yes' } } })).toBe(false);
  });
  it('keeps only string parameters', () => {
    expect(getClassParameters({ parameters: { a: 'b', n: 3 } })).toEqual({ a: 'b' });
    expect(getClassParameters({})).toEqual({});
  });
});
