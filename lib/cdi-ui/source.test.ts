import { describe, expect, it } from 'vitest';
import type { DataVolumeSpec } from '../cdi';
import { describeSource, shortUrl } from './source';

const dv = (spec: DataVolumeSpec) => ({ metadata: { name: 'd', namespace: 'team-a' }, spec });

describe('describeSource', () => {
  it.each<[string, DataVolumeSpec, string]>([
    ['http', { source: { http: { url: 'https://images.example.com/fedora/40/x86_64/disk.qcow2?sig=abc' } } }, 'http: https://images.example.com/…/disk.qcow2'],
    ['http at the root', { source: { http: { url: 'http://10.0.0.1:8080/disk.img' } } }, 'http: http://10.0.0.1:8080/disk.img'],
    ['s3', { source: { s3: { url: 'https://s3.example.com/bucket/disk.raw' } } }, 's3: https://s3.example.com/…/disk.raw'],
    ['registry', { source: { registry: { url: 'docker://quay.io/containerdisks/fedora:40' } } }, 'registry docker://quay.io/containerdisks/fedora:40'],
    ['upload', { source: { upload: {} } }, 'upload'],
    ['blank', { source: { blank: {} } }, 'blank'],
    ['clone in the namespace', { source: { pvc: { name: 'base' } } }, 'clone of PVC team-a/base'],
    ['clone from elsewhere', { source: { pvc: { namespace: 'golden', name: 'base' } } }, 'clone of PVC golden/base'],
    ['snapshot', { source: { snapshot: { namespace: 'team-a', name: 's1' } } }, 'snapshot team-a/s1'],
    ['DataSource', { sourceRef: { kind: 'DataSource', namespace: 'os-images', name: 'fedora' } }, 'DataSource os-images/fedora'],
    ['two sources', { source: { blank: {}, upload: {} } }, '-'],
    ['none', {}, '-'],
  ])('%s', (_n, spec, text) => {
    expect(describeSource(dv(spec)).text).toBe(text);
  });

  it('links clones to what they copy and keeps the whole URL for a tooltip', () => {
    expect(describeSource(dv({ source: { pvc: { name: 'base' } } })).ref).toEqual({ kind: 'PersistentVolumeClaim', namespace: 'team-a', name: 'base' });
    expect(describeSource(dv({ source: { http: { url: 'https://a.example/x/y.img' } } })).full).toBe('https://a.example/x/y.img');
  });

  it('cuts what is not a URL', () => {
    expect(shortUrl('x'.repeat(80), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
