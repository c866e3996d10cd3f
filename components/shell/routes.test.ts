import { describe, expect, it } from 'vitest';
import { parseK8sRoute } from './routes';
import { ALL_NAMESPACES } from '../hooks/useActiveNamespace';

describe('parseK8sRoute', () => {
  it.each<[string, { namespace?: string; kind?: string; name?: string } | undefined]>([
    ['ns/default/kubevirt.io~v1~VirtualMachine', { namespace: 'default', kind: 'VirtualMachine' }],
    ['ns/team-a/core~v1~PersistentVolumeClaim/data', { namespace: 'team-a', kind: 'PersistentVolumeClaim', name: 'data' }],
    ['all-namespaces/cdi.kubevirt.io~v1beta1~DataVolume', { namespace: ALL_NAMESPACES, kind: 'DataVolume' }],
    ['cluster/storage.k8s.io~v1~StorageClass', { namespace: undefined, kind: 'StorageClass' }],
    ['cluster/core~v1~Node/node-1', { namespace: undefined, kind: 'Node', name: 'node-1' }],
    ['ns/default', undefined],
    ['elsewhere/core~v1~Node', undefined],
    ['cluster/not-a-ref', undefined],
    ['cluster/core~v1~Node/a/b', undefined],
    ['cluster/core~v1~Node/a/yaml/more', undefined],
  ])('%s', (path, expected) => {
    const r = parseK8sRoute(path.split('/'));
    if (!expected) return expect(r).toBeUndefined();
    expect(r?.namespace).toBe(expected.namespace);
    expect(r?.model?.kind).toBe(expected.kind);
    expect(r?.name).toBe(expected.name);
  });

  it.each([['yaml'], ['events'], ['details']])('reads an object page tab written as a path segment: …/<name>/%s', (tab) => {
    const r = parseK8sRoute(['ns', 'default', 'core~v1~ConfigMap', 'settings', tab]);
    expect(r).toMatchObject({ namespace: 'default', name: 'settings', tab });
  });

  it('keeps an unknown kind as a group/version/kind', () => {
    const r = parseK8sRoute(['cluster', 'example.com~v1~Widget']);
    expect(r?.model).toBeUndefined();
    expect(r?.gvk).toEqual({ apiGroup: 'example.com', apiVersion: 'v1', kind: 'Widget' });
  });
});
