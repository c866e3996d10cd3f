import { describe, expect, it } from 'vitest';
import { applyWatchEvent } from './watch';
import type { K8sList, K8sResource, WatchEvent } from './types';

const obj = (name: string, rv: string, ns = 'default'): K8sResource => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, resourceVersion: rv },
});
const list = (...items: K8sResource[]): K8sList => ({ apiVersion: 'v1', kind: 'ConfigMapList', metadata: { resourceVersion: '10' }, items });

describe('applyWatchEvent', () => {
  it.each<[string, K8sList, WatchEvent, string[], string]>([
    ['ADDED appends a new object', list(obj('a', '1')), { type: 'ADDED', object: obj('b', '11') }, ['a', 'b'], '11'],
    ['MODIFIED replaces in place', list(obj('a', '1'), obj('b', '2')), { type: 'MODIFIED', object: obj('a', '12') }, ['a', 'b'], '12'],
    ['ADDED of a known object replaces it', list(obj('a', '1')), { type: 'ADDED', object: obj('a', '13') }, ['a'], '13'],
    ['DELETED removes', list(obj('a', '1'), obj('b', '2')), { type: 'DELETED', object: obj('a', '14') }, ['b'], '14'],
    ['same name in another namespace is another object', list(obj('a', '1')), { type: 'ADDED', object: obj('a', '15', 'other') }, ['a', 'a'], '15'],
    ['BOOKMARK moves the revision only', list(obj('a', '1')), { type: 'BOOKMARK', object: { ...obj('', '16'), metadata: { resourceVersion: '16' } } as K8sResource }, ['a'], '16'],
  ])('%s', (_name, before, event, names, rv) => {
    const after = applyWatchEvent(before, event);
    expect(after.items.map((i) => i.metadata.name)).toEqual(names);
    expect(after.metadata.resourceVersion).toBe(rv);
    expect(before.metadata.resourceVersion).toBe('10');
  });

  it.each<[string, WatchEvent]>([
    ['DELETED of an unknown object', { type: 'DELETED', object: obj('zzz', '20') }],
    ['MODIFIED with the resourceVersion already held', { type: 'MODIFIED', object: obj('a', '1') }],
    ['BOOKMARK at the same revision', { type: 'BOOKMARK', object: { metadata: { resourceVersion: '10' } } as K8sResource }],
  ])('%s returns the same list object', (_name, event) => {
    const before = list(obj('a', '1'));
    expect(applyWatchEvent(before, event)).toBe(before);
  });
});
