import { describe, expect, it } from 'vitest';
import { formatFieldPath, pathFromKey, type FieldSet } from './fieldset';
import type { JsonValue, PatchMeta } from './patch';
import { compareObjects, mergeValues } from './ssa-typed';

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
