import { describe, expect, it } from 'vitest';
import { ConfigMapModel, NodeModel, PersistentVolumeClaimModel, StorageClassModel, VolumeSnapshotModel } from '@/lib/k8s/models';
import { createFormHref, hasStoragePage, NEW_OBJECT_SEGMENT } from './links';

describe('storage routes', () => {
  it.each<[string, { apiGroup: string; kind: string }, string | undefined, boolean]>([
    ['claim list', PersistentVolumeClaimModel, undefined, true],
    ['claim form', PersistentVolumeClaimModel, NEW_OBJECT_SEGMENT, true],
    ['one claim stays generic', PersistentVolumeClaimModel, 'data', false],
    ['class form', StorageClassModel, NEW_OBJECT_SEGMENT, true],
    ['snapshots have no form', VolumeSnapshotModel, NEW_OBJECT_SEGMENT, false],
    ['an older snapshot version too', { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot' }, undefined, true],
    ['nodes', NodeModel, undefined, true],
    ['other kinds stay generic', ConfigMapModel, undefined, false],
    ['a kind of the same name in another group', { apiGroup: 'example.com', kind: 'Node' }, undefined, false],
  ])('%s', (_n, model, name, want) => {
    expect(hasStoragePage(model, name)).toBe(want);
  });
  it('links to the create forms', () => {
    expect(createFormHref(PersistentVolumeClaimModel, 'team-a')).toBe('/k8s/ns/team-a/core~v1~PersistentVolumeClaim/~new');
    expect(createFormHref(StorageClassModel)).toBe('/k8s/cluster/storage.k8s.io~v1~StorageClass/~new');
  });
});
