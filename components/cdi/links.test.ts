import { describe, expect, it } from 'vitest';
import { DataSourceModel, DataVolumeModel, PersistentVolumeClaimModel } from '@/lib/k8s/models';
import { createFormHref, NEW_OBJECT_SEGMENT } from '../storage/links';
import { hasCdiPage } from './links';

describe('CDI routes', () => {
  it.each<[string, { apiGroup: string; kind: string }, string | undefined, boolean]>([
    ['DataVolume list', DataVolumeModel, undefined, true],
    ['DataVolume form', DataVolumeModel, NEW_OBJECT_SEGMENT, true],
    ['one DataVolume', DataVolumeModel, 'fedora', true],
    ['bootable volumes', DataSourceModel, undefined, true],
    ['one DataSource stays generic', DataSourceModel, 'fedora', false],
    ['a DataSource has no form here', DataSourceModel, NEW_OBJECT_SEGMENT, false],
    ['claims are storage pages', PersistentVolumeClaimModel, undefined, false],
    ['a DataVolume of another group', { apiGroup: 'example.com', kind: 'DataVolume' }, undefined, false],
  ])('%s', (_n, model, name, want) => {
    expect(hasCdiPage(model, name)).toBe(want);
  });
  it('links to the create form', () => {
    expect(createFormHref(DataVolumeModel, 'team-a')).toBe('/k8s/ns/team-a/cdi.kubevirt.io~v1beta1~DataVolume/~new');
  });
});
