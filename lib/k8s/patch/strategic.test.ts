import { describe, expect, it } from 'vitest';
import { deepClone, PatchError, type JsonObject } from './json';
import { builtinPatchMeta, patchMetaFor, patchMetaKey, type PatchMeta } from './meta';
import { applyStrategicMergePatch } from './strategic';

// The shape of apimachinery's own strategic merge patch test type.
const meta: PatchMeta = {
  fields: {
    mergingList: {
      strategy: 'merge',
      mergeKey: 'name',
      items: { fields: { mergingList: { strategy: 'merge', mergeKey: 'name' }, mergingIntList: { strategy: 'merge' } } },
    },
    mergingIntList: { strategy: 'merge' },
    nonMergingList: {},
    simpleMap: {},
    replacingMap: { strategy: 'replace' },
    retainKeysMap: { strategy: 'retainKeys' },
    mapListNoKey: { strategy: 'merge' },
  },
};

const n = (name: number | string, rest: JsonObject = {}): JsonObject => ({ name, ...rest });

describe('applyStrategicMergePatch', () => {
  it.each<[string, JsonObject, JsonObject, JsonObject]>([
    ['adds a key', { a: 1 }, { b: 2 }, { a: 1, b: 2 }],
    ['null deletes a key', { a: 1, b: 2 }, { b: null }, { a: 1 }],
    ['null for a missing key is ignored', { a: 1 }, { c: null }, { a: 1 }],
    ['nulls inside a new value are dropped', {}, { simpleMap: { a: 1, b: null } }, { simpleMap: { a: 1 } }],
    ['maps merge', { simpleMap: { a: 1, b: 2 } }, { simpleMap: { b: 3, c: 4 } }, { simpleMap: { a: 1, b: 3, c: 4 } }],
    ['a value of another type replaces', { simpleMap: 'x' }, { simpleMap: { a: 1 } }, { simpleMap: { a: 1 } }],
    ['lists without merge strategy are replaced', { nonMergingList: [n(1), n(2)] }, { nonMergingList: [n(3)] }, { nonMergingList: [n(3)] }],
    ['lists with no metadata are replaced', { other: [1, 2] }, { other: [3] }, { other: [3] }],
    ['a "replace" map is replaced', { replacingMap: { a: 1, b: 2 } }, { replacingMap: { c: 3 } }, { replacingMap: { c: 3 } }],
    [
      'merge lists merge elements by key',
      { mergingList: [n('a', { value: 1 }), n('b', { value: 2 })] },
      { mergingList: [n('b', { value: 3 })] },
      { mergingList: [n('a', { value: 1 }), n('b', { value: 3 })] },
    ],
    [
      'null deletes a field of a merged element',
      { mergingList: [n('a', { v: 1, w: 2 })] },
      { mergingList: [n('a', { v: null })] },
      { mergingList: [n('a', { w: 2 })] },
    ],
    [
      // Without $setElementOrder, elements new to the list go before the server's ones (as upstream).
      'a new element goes first',
      { mergingList: [n('a'), n('b')] },
      { mergingList: [n('c')] },
      { mergingList: [n('c'), n('a'), n('b')] },
    ],
    [
      'the patch order wins for patched elements',
      { mergingList: [n(1), n(2, { value: 'b' }), n(3)] },
      { mergingList: [n(3, { value: 'c' }), n(1, { value: 'a' }), n(2, { other: 'x' })] },
      { mergingList: [n(3, { value: 'c' }), n(1, { value: 'a' }), n(2, { value: 'b', other: 'x' })] },
    ],
    [
      'server-only elements keep their place relative to patched ones',
      { mergingList: [n(1), n(2, { value: 'b' }), n(3)] },
      { mergingList: [n(3, { value: 'c' }), n(1, { value: 'a' })] },
      { mergingList: [n(2, { value: 'b' }), n(3, { value: 'c' }), n(1, { value: 'a' })] },
    ],
    [
      'nested merge lists merge too',
      { mergingList: [n('a', { mergingList: [n('x', { v: 1 })] })] },
      { mergingList: [n('a', { mergingList: [n('x', { v: 2 }), n('y')] })] },
      { mergingList: [n('a', { mergingList: [n('x', { v: 2 }), n('y')] })] },
    ],
    ['scalar merge lists are a union', { mergingIntList: [1, 2] }, { mergingIntList: [2, 3] }, { mergingIntList: [1, 2, 3] }],
    ['a new scalar goes first', { mergingIntList: [1, 2] }, { mergingIntList: [3] }, { mergingIntList: [3, 1, 2] }],
    ['scalar patch order wins', { mergingIntList: [1, 2, 3] }, { mergingIntList: [3, 1] }, { mergingIntList: [2, 3, 1] }],
    [
      '$deleteFromPrimitiveList removes every occurrence',
      { mergingIntList: [1, 2, 3, 2] },
      { '$deleteFromPrimitiveList/mergingIntList': [2] },
      { mergingIntList: [1, 3] },
    ],
    ['$deleteFromPrimitiveList on a missing list does nothing', { a: 1 }, { '$deleteFromPrimitiveList/mergingIntList': [2] }, { a: 1 }],
    [
      '$setElementOrder orders scalars',
      { mergingIntList: [1, 2] },
      { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3] },
      { mergingIntList: [1, 2, 3] },
    ],
    [
      '$setElementOrder keeps server-only scalars',
      { mergingIntList: [1, 2, 4] },
      { '$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3] },
      { mergingIntList: [1, 2, 3, 4] },
    ],
    [
      '$setElementOrder alone reorders',
      { mergingIntList: [1, 3] },
      { '$setElementOrder/mergingIntList': [3, 2, 1] },
      { mergingIntList: [3, 1] },
    ],
    [
      '$setElementOrder orders maps by key, ignoring absent elements',
      { mergingList: [n(1), n(3)] },
      { '$setElementOrder/mergingList': [n(3), n(2), n(1)], mergingList: [n(3, { value: 3 }), n(1, { value: 1 })] },
      { mergingList: [n(3, { value: 3 }), n(1, { value: 1 })] },
    ],
    [
      '$setElementOrder adds a list the server lacked',
      {},
      { '$setElementOrder/mergingList': [n(2), n(1)], mergingList: [n(2), n(1, { v: null })] },
      { mergingList: [n(2), n(1)] },
    ],
    [
      'kubectl apply style: order, additions and deletions of a scalar list',
      { mergingIntList: [1, 2] },
      { '$setElementOrder/mergingIntList': [1, 3], '$deleteFromPrimitiveList/mergingIntList': [2], mergingIntList: [3] },
      { mergingIntList: [1, 3] },
    ],
    [
      '$patch: delete removes every element with the key',
      { mergingList: [n(1), n(1), n(2, { value: 'a' }), n(3), n(3)] },
      { mergingList: [n(1, { $patch: 'delete' }), n(3, { $patch: 'delete' })] },
      { mergingList: [n(2, { value: 'a' })] },
    ],
    ['$patch: replace alone empties a list', { mergingList: [n(1), n(2)] }, { mergingList: [{ $patch: 'replace' }] }, { mergingList: [] }],
    [
      '$patch: replace makes the other elements the list',
      { mergingList: [n(1), n(2)] },
      { mergingList: [n(5, { x: null }), { $patch: 'replace' }] },
      { mergingList: [n(5)] },
    ],
    ['$patch: delete on a map empties it', { simpleMap: { k1: 1, k2: 1 } }, { simpleMap: { $patch: 'delete' } }, { simpleMap: {} }],
    ['$patch: replace on the whole object', { name: 1, value: 1 }, { $patch: 'replace' }, {}],
    ['$patch: replace with new content', { name: 1, value: 1 }, { other: 'a', $patch: 'replace' }, { other: 'a' }],
    ['a new value carrying $patch is dropped', {}, { simpleMap: { $patch: 'replace', a: 1 } }, {}],
    [
      '$retainKeys drops keys not listed',
      { retainKeysMap: { name: 'foo', value: 'a', other: 1 } },
      { retainKeysMap: { $retainKeys: ['name', 'value'], value: 'b' } },
      { retainKeysMap: { name: 'foo', value: 'b' } },
    ],
    [
      'retainKeys fields merge normally without the directive',
      { retainKeysMap: { name: 'foo', value: 'a' } },
      { retainKeysMap: { value: null } },
      { retainKeysMap: { name: 'foo' } },
    ],
    ['empty merge lists stay empty', { mergingList: [] }, { mergingList: [] }, { mergingList: [] }],
  ])('%s', (_name, original, patch, expected) => {
    const before = deepClone(original);
    const patchBefore = deepClone(patch);
    expect(applyStrategicMergePatch(original, patch, meta)).toEqual(expected);
    expect(original).toEqual(before);
    expect(patch).toEqual(patchBefore);
  });

  it.each<[string, JsonObject, JsonObject, string]>([
    ['a merge list element without its key', { mergingList: [n(1)] }, { mergingList: [{ value: 1 }] }, 'map: {"value":1} does not contain declared merge key: name at .mergingList'],
    ['$patch: merge in a list', { mergingList: [n(1)] }, { mergingList: [n(1, { $patch: 'merge' })] }, 'merging lists cannot yet be specified in the patch'],
    ['an unknown map directive', { simpleMap: { a: 1 } }, { simpleMap: { $patch: 'merge' } }, 'unknown patch type: "merge" in map at .simpleMap'],
    ['a merge list of maps without a key', { mapListNoKey: [{ a: 1 }] }, { mapListNoKey: [{ a: 2 }] }, 'cannot merge lists without merge key for .mapListNoKey'],
    ['mixed element types', { mergingIntList: [1] }, { mergingIntList: ['a'] }, 'list element types are not identical at .mergingIntList'],
    ['a key set but not in $retainKeys', { retainKeysMap: { name: 'a' } }, { retainKeysMap: { $retainKeys: ['name'], value: 'b' } }, 'invalid patch format of retainKeys'],
    [
      'a patch list out of $setElementOrder order',
      { mergingList: [n(1), n(2)] },
      { '$setElementOrder/mergingList': [n(2), n(1)], mergingList: [n(1), n(2)] },
      "the order of the patch list at .mergingList doesn't match its $setElementOrder list",
    ],
    ['a malformed directive key', { a: 1 }, { '$deleteFromPrimitiveListfoo': [1] }, 'invalid patch format of primitive list'],
  ])('rejects %s', (_name, original, patch, message) => {
    expect(() => applyStrategicMergePatch(original, patch, meta)).toThrow(PatchError);
    expect(() => applyStrategicMergePatch(original, patch, meta)).toThrow(message);
  });

  it('rejects a patch that is not an object', () => {
    expect(() => applyStrategicMergePatch({}, [1], meta)).toThrow('a strategic merge patch must be a JSON object, not array');
  });

  it('treats "__proto__" as an ordinary key', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}}') as JsonObject;
    const out = applyStrategicMergePatch({}, patch, meta);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('built-in patch metadata', () => {
  const pvcMeta = builtinPatchMeta['/v1/PersistentVolumeClaim'];

  it.each<[string, string, JsonObject, JsonObject, JsonObject]>([
    [
      'PVC conditions merge by type',
      '/v1/PersistentVolumeClaim',
      { status: { conditions: [{ type: 'Resizing', status: 'True' }] } },
      { status: { conditions: [{ type: 'FileSystemResizePending', status: 'True' }, { type: 'Resizing', status: 'False' }] } },
      { status: { conditions: [{ type: 'FileSystemResizePending', status: 'True' }, { type: 'Resizing', status: 'False' }] } },
    ],
    [
      'PVC access modes are atomic',
      '/v1/PersistentVolumeClaim',
      { spec: { accessModes: ['ReadWriteOnce'] } },
      { spec: { accessModes: ['ReadWriteMany'] } },
      { spec: { accessModes: ['ReadWriteMany'] } },
    ],
    [
      'finalizers are a set',
      '/v1/PersistentVolumeClaim',
      { metadata: { finalizers: ['kubernetes.io/pvc-protection'] } },
      { metadata: { finalizers: ['kura.io/snapshot'] } },
      { metadata: { finalizers: ['kura.io/snapshot', 'kubernetes.io/pvc-protection'] } },
    ],
    [
      'a finalizer can be removed with the deletion list',
      '/v1/PersistentVolume',
      { metadata: { finalizers: ['a', 'kubernetes.io/pv-protection'] } },
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
      { metadata: { finalizers: ['kubernetes.io/pv-protection'] } },
    ],
    [
      'ownerReferences merge by uid',
      '/v1/Secret',
      { metadata: { ownerReferences: [{ uid: '1', name: 'a', kind: 'DataVolume' }] } },
      { metadata: { ownerReferences: [{ uid: '1', name: 'b', kind: 'DataVolume' }] } },
      { metadata: { ownerReferences: [{ uid: '1', name: 'b', kind: 'DataVolume' }] } },
    ],
    [
      'labels merge, data maps merge',
      '/v1/ConfigMap',
      { metadata: { labels: { a: '1' } }, data: { x: '1', y: '2' } },
      { metadata: { labels: { b: '2' } }, data: { y: null } },
      { metadata: { labels: { a: '1', b: '2' } }, data: { x: '1' } },
    ],
    [
      'Node addresses merge by type',
      '/v1/Node',
      { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: 'node-1' }] } },
      { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.2' }] } },
      { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.2' }, { type: 'Hostname', address: 'node-1' }] } },
    ],
    [
      'Node taints are atomic',
      '/v1/Node',
      { spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] } },
      { spec: { taints: [{ key: 'b', effect: 'NoSchedule' }] } },
      { spec: { taints: [{ key: 'b', effect: 'NoSchedule' }] } },
    ],
    [
      'Namespace conditions merge by type',
      '/v1/Namespace',
      { status: { phase: 'Terminating', conditions: [{ type: 'NamespaceDeletionContentFailure', status: 'False' }] } },
      { status: { conditions: [{ type: 'NamespaceDeletionContentFailure', status: 'True' }] } },
      { status: { phase: 'Terminating', conditions: [{ type: 'NamespaceDeletionContentFailure', status: 'True' }] } },
    ],
    [
      'ServiceAccount secrets merge by name',
      '/v1/ServiceAccount',
      { secrets: [{ name: 'token-a' }] },
      { secrets: [{ name: 'token-b' }] },
      { secrets: [{ name: 'token-b' }, { name: 'token-a' }] },
    ],
    [
      'RBAC rules are atomic',
      'rbac.authorization.k8s.io/v1/Role',
      { rules: [{ verbs: ['get'], resources: ['pods'] }, { verbs: ['list'], resources: ['pods'] }] },
      { rules: [{ verbs: ['watch'], resources: ['pods'] }] },
      { rules: [{ verbs: ['watch'], resources: ['pods'] }] },
    ],
    [
      'RBAC subjects are atomic',
      'rbac.authorization.k8s.io/v1/RoleBinding',
      { subjects: [{ kind: 'User', name: 'a' }] },
      { subjects: [{ kind: 'User', name: 'b' }] },
      { subjects: [{ kind: 'User', name: 'b' }] },
    ],
  ])('%s', (_name, key, original, patch, expected) => {
    expect(applyStrategicMergePatch(original, patch, builtinPatchMeta[key])).toEqual(expected);
  });

  it('looks kinds up by apiVersion', () => {
    expect(patchMetaKey('v1', 'PersistentVolumeClaim')).toBe('/v1/PersistentVolumeClaim');
    expect(patchMetaKey('storage.k8s.io/v1', 'StorageClass')).toBe('storage.k8s.io/v1/StorageClass');
    expect(patchMetaFor('v1', 'PersistentVolumeClaim')).toBe(pvcMeta);
  });

  it('gives other kinds ObjectMeta only: their lists are replaced, finalizers still merge', () => {
    const vmMeta = patchMetaFor('kubevirt.io/v1', 'VirtualMachine');
    const vm = { metadata: { finalizers: ['a'] }, spec: { template: { spec: { volumes: [{ name: 'root' }] } } } };
    const out = applyStrategicMergePatch(vm, { metadata: { finalizers: ['b'] }, spec: { template: { spec: { volumes: [{ name: 'data' }] } } } }, vmMeta);
    expect(out).toEqual({ metadata: { finalizers: ['b', 'a'] }, spec: { template: { spec: { volumes: [{ name: 'data' }] } } } });
    expect(patchMetaFor('v1', 'toString')).toEqual(vmMeta);
  });
});
