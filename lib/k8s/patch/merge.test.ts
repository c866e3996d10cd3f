import { describe, expect, it } from 'vitest';
import { deepClone, type JsonValue } from './json';
import { applyMergePatch, createMergePatch } from './merge';

describe('applyMergePatch (RFC 7386 appendix A)', () => {
  it.each<[JsonValue, JsonValue, JsonValue]>([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j + %j → %j', (target, patch, expected) => {
    const before = deepClone(target);
    expect(applyMergePatch(target, patch)).toEqual(expected);
    expect(target).toEqual(before);
  });

  it('resizes a PVC the way the console sends it', () => {
    const pvc = { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } };
    expect(applyMergePatch(pvc, { spec: { resources: { requests: { storage: '20Gi' } } } })).toEqual({
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } },
    });
  });

  it('treats "__proto__" as an ordinary key', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as JsonValue;
    const out = applyMergePatch({}, patch) as Record<string, unknown>;
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('createMergePatch', () => {
  it.each<[JsonValue, JsonValue, JsonValue]>([
    [{ a: 1, b: 2 }, { a: 1, c: 3 }, { b: null, c: 3 }],
    [{ spec: { replicas: 1, x: 1 } }, { spec: { replicas: 2, x: 1 } }, { spec: { replicas: 2 } }],
    [{ a: [1, 2] }, { a: [1] }, { a: [1] }],
    [{ a: { b: 1 } }, { a: { b: 1 } }, {}],
    [{ a: { b: 1 } }, { a: 'x' }, { a: 'x' }],
    [{ a: 'x' }, { a: { b: 1 } }, { a: { b: 1 } }],
    [{ a: 1 }, { a: null }, { a: null }],
    [{ a: 1 }, ['x'], ['x']],
    [
      { metadata: { labels: { app: 'web', tier: 'db' } }, spec: { running: false } },
      { metadata: { labels: { app: 'web', env: 'prod' } }, spec: { running: true } },
      { metadata: { labels: { tier: null, env: 'prod' } }, spec: { running: true } },
    ],
  ])('%j → %j is %j', (original, modified, patch) => {
    expect(createMergePatch(original, modified)).toEqual(patch);
  });

  it.each<[JsonValue, JsonValue]>([
    [{ a: 1, b: { c: [1, 2], d: 'x' } }, { b: { c: [2], e: { f: 1 } }, g: true }],
    [{ metadata: { name: 'vm', annotations: { a: '1' } } }, { metadata: { name: 'vm' } }],
    [{}, { spec: { template: { spec: { domain: { cpu: { cores: 2 } } } } } }],
  ])('applying createMergePatch(%j, %j) gives the modified object', (original, modified) => {
    expect(applyMergePatch(original, createMergePatch(original, modified))).toEqual(modified);
  });
});
