import { describe, expect, it } from 'vitest';
import { fieldsV1FromSet, formatFieldPath, pathFromKey, type FieldSet } from './fieldset';
import { builtinPatchMeta, isJsonObject, type JsonObject, type JsonValue, type PatchMeta } from './patch';
import { compareObjects, mergeValues, newObjectFieldsV1 } from './ssa-typed';
import { widgetPatchMeta } from './ssa.testing';

const meta: PatchMeta = {
  fields: {
    list: { strategy: 'merge', mergeKey: 'name' },
    set: { strategy: 'merge' },
    atomic: {},
    ref: { mapType: 'atomic' },
  },
};
const names = (v: JsonValue): string[] => ((v as { list: { name: string }[] }).list ?? []).map((x) => x.name);
const printed = (set: FieldSet): string[] => [...set].map((k) => formatFieldPath(pathFromKey(k))).sort();
const items = (...ns: string[]) => ns.map((name) => ({ name }));

describe('mergeValues orders keyed lists as structured-merge-diff does', () => {
  it.each<[string[], string[], string[]]>([
    [['a', 'b'], ['c'], ['a', 'b', 'c']],
    [['a', 'b', 'c'], ['c', 'a'], ['b', 'c', 'a']],
    [['a', 'b', 'c'], ['b'], ['a', 'b', 'c']],
    [['a', 'b'], ['b', 'x', 'a'], ['b', 'x', 'a']],
    [[], ['a'], ['a']],
    [['a'], [], ['a']],
  ])('live %j + applied %j → %j', (live, applied, expected) => {
    expect(names(mergeValues({ list: items(...live) }, { list: items(...applied) }, meta, []))).toEqual(expected);
  });

  it('replaces atomic lists and maps, unions sets, merges other maps', () => {
    const live = { atomic: [1, 2], ref: { a: 1, b: 2 }, set: ['x'], other: { a: 1 } };
    const applied = { atomic: [3], ref: { a: 9 }, set: ['y', 'x'], other: { b: 2 } };
    expect(mergeValues(live, applied, meta, [])).toEqual({ atomic: [3], ref: { a: 9 }, set: ['y', 'x'], other: { a: 1, b: 2 } });
  });
});

describe('compareObjects', () => {
  it.each<[string, JsonValue, JsonValue, { added: string[]; removed: string[]; modified: string[] }]>([
    ['a changed leaf', { spec: { a: 1 } }, { spec: { a: 2 } }, { added: [], removed: [], modified: ['.spec.a'] }],
    ['a new map and its leaves', { spec: {} }, { spec: { m: { a: 1 } } }, { added: ['.spec.m', '.spec.m.a'], removed: [], modified: [] }],
    ['a removed keyed element', { list: items('a', 'b') }, { list: items('a') }, { added: [], removed: ['.list[name="b"]', '.list[name="b"].name'], modified: [] }],
    ['a changed atomic list is one field', { atomic: [1] }, { atomic: [2] }, { added: [], removed: [], modified: ['.atomic'] }],
    ['a changed atomic map is one field', { ref: { a: 1 } }, { ref: { a: 2 } }, { added: [], removed: [], modified: ['.ref'] }],
    ['a set element added', { set: ['x'] }, { set: ['x', 'y'] }, { added: ['.set[="y"]'], removed: [], modified: [] }],
    ['a change of type', { spec: { a: { b: 1 } } }, { spec: { a: 'x' } }, { added: ['.spec.a'], removed: ['.spec.a', '.spec.a.b'], modified: ['.spec.a'] }],
    ['status is ignored', { status: { a: 1 } }, { status: { a: 2 } }, { added: [], removed: [], modified: [] }],
    ['server-set metadata is ignored', { metadata: { resourceVersion: '1' } }, { metadata: { resourceVersion: '2' } }, { added: [], removed: [], modified: [] }],
  ])('%s', (_name, lhs, rhs, expected) => {
    const diff = compareObjects(lhs, rhs, meta);
    expect({ added: printed(diff.added), removed: printed(diff.removed), modified: printed(diff.modified) }).toEqual(expected);
  });
});

describe('newObjectFieldsV1 owns what the general comparison finds added on create', () => {
  const kindMeta = widgetPatchMeta;

  /** The slow, general answer: updateManagedFields's comparison against the empty typed object. */
  const general = (obj: JsonObject, m: PatchMeta, subresource?: string) => {
    const base: JsonObject = {};
    for (const k of ['spec', 'status']) if (isJsonObject(obj[k] as JsonValue)) base[k] = {};
    const diff = compareObjects(base, obj, m, subresource);
    return fieldsV1FromSet([...diff.added, ...diff.modified]);
  };

  it.each<[string, JsonObject, PatchMeta, string?]>([
    ['a ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'd', labels: { a: 'b' }, annotations: {} }, data: { k: 'v', e: '' } }, builtinPatchMeta['/v1/ConfigMap'] as PatchMeta],
    ['metadata with only server-set fields', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', uid: 'u', generation: 3, managedFields: [] } }, builtinPatchMeta['/v1/ConfigMap'] as PatchMeta],
    ['finalizers and owner references', { metadata: { name: 'x', finalizers: ['a/b', 'c/d'], ownerReferences: [{ uid: '1', name: 'o', kind: 'K', apiVersion: 'v1' }] } }, kindMeta],
    ['keyed lists, sets, atomic lists and maps', { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 81, protocol: 'UDP' }] }, { name: 'b' }], tags: ['x', 'y'], args: ['1'], selector: { matchLabels: { a: 'b' } } } }, kindMeta],
    ['lists that cannot be keyed', { spec: { containers: [{ image: 'no-name' }], tags: [{ not: 'scalar' }, 'x'] } }, kindMeta],
    ['duplicate keys', { spec: { containers: [{ name: 'a' }, { name: 'a' }], tags: ['x', 'x'] } }, kindMeta],
    ['empty spec, empty maps and lists, nulls', { spec: {}, data: { m: {}, l: [], n: null } }, kindMeta],
    ['an atomic spec', { spec: { a: 1 } }, { fields: { spec: { mapType: 'atomic' } } }],
    ['an empty atomic spec', { spec: {} }, { fields: { spec: { mapType: 'atomic' } } }],
    ['spec that is not an object', { spec: ['a'], status: 'x' }, kindMeta],
    ['status is the controller\'s', { spec: { a: 1 }, status: { phase: 'x' } }, kindMeta],
    ['through /status, spec is ignored and status counted', { spec: { a: 1 }, status: { phase: 'x', c: [{ t: 1 }] } }, kindMeta, 'status'],
    ['server-set metadata of the wrong shape still has its fields counted', { metadata: { name: { a: 1 }, managedFields: [{ x: 1 }] } }, kindMeta],
  ])('%s', (_, obj, m, subresource) => {
    expect(JSON.stringify(newObjectFieldsV1(obj, m, subresource))).toBe(JSON.stringify(general(obj, m, subresource)));
  });

  it('agrees on 2,000 generated objects (same keys, same order)', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T,>(xs: T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const names = ['a', 'b', 'name', 'containers', 'tags', 'args', 'selector', 'ports', 'spec', 'status', 'metadata', 'labels', 'uid', 'containerPort', 'protocol'];
    const value = (depth: number): JsonValue => {
      const r = random();
      if (depth > 4 || r < 0.35) return pick<JsonValue>(['x', 1, 80, 'TCP', true, null, '']);
      if (r < 0.7) {
        const out: JsonObject = {};
        for (let i = Math.floor(random() * 4); i > 0; i--) out[pick(names)] = value(depth + 1);
        return out;
      }
      return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
    };
    for (let i = 0; i < 2000; i++) {
      const obj = value(0);
      if (!isJsonObject(obj)) continue;
      const subresource = random() < 0.2 ? 'status' : undefined;
      expect(JSON.stringify(newObjectFieldsV1(obj, kindMeta, subresource)), JSON.stringify(obj)).toBe(JSON.stringify(general(obj, kindMeta, subresource)));
    }
  });
});
