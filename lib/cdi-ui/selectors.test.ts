import { describe, expect, it } from 'vitest';
import type { DataSource, DataVolume } from '../cdi';
import { getDataSourceTarget, getDataVolumeClaimName, getDataVolumeRequestedBytes, getDataVolumeProgressBytes, parseProgressBytes } from './selectors';

describe('parseProgressBytes', () => {
  it.each<[string | undefined, ReturnType<typeof parseProgressBytes>]>([
    ['1048576/4194304', { done: 1048576, total: 4194304 }],
    ['512/', { done: 512 }],
    [' 5 / 10 ', { done: 5, total: 10 }],
    ['5/0', undefined],
    ['abc', undefined],
    ['', undefined],
    [undefined, undefined],
    ['-1/5', undefined],
  ])('%j', (text, want) => {
    expect(parseProgressBytes(text)).toEqual(want);
  });
});

describe('DataVolume selectors', () => {
  const dv: DataVolume = {
    metadata: { name: 'fedora', namespace: 'team-a', annotations: { 'progress.kura.dev/bytes': '10/20' } },
    spec: { source: { blank: {} }, storage: { resources: { requests: { storage: '2Gi' } } } },
  };
  it('reads the claim name, size and published bytes', () => {
    expect(getDataVolumeClaimName(dv)).toBe('fedora');
    expect(getDataVolumeClaimName({ ...dv, status: { claimName: 'other' } })).toBe('other');
    expect(getDataVolumeRequestedBytes(dv)).toBe(2 * 2 ** 30);
    expect(getDataVolumeRequestedBytes({ ...dv, spec: { pvc: { resources: { requests: { storage: '1Mi' } } } } })).toBe(2 ** 20);
    expect(getDataVolumeProgressBytes(dv)).toEqual({ done: 10, total: 20 });
  });
  it('fills a DataSource target namespace from the DataSource', () => {
    const ds: DataSource = { metadata: { name: 'fedora', namespace: 'os-images' }, spec: { source: { pvc: { name: 'fedora-40' } } } };
    expect(getDataSourceTarget(ds)).toEqual({ kind: 'pvc', namespace: 'os-images', name: 'fedora-40' });
    expect(getDataSourceTarget({ spec: { source: { snapshot: { namespace: 'x', name: 's' } } } })).toEqual({ kind: 'snapshot', namespace: 'x', name: 's' });
    expect(getDataSourceTarget({ spec: {} })).toBeUndefined();
  });
});
