import { describe, expect, it } from 'vitest';
import { deepClone, PatchError, type JsonValue } from './json';
import { applyJsonPatch, formatJsonPointer, getByPointer, parseJsonPointer } from './jsonpatch';

describe('applyJsonPatch (RFC 6902 appendix A)', () => {
  it.each<[string, JsonValue, unknown[], JsonValue]>([
    ['A.1 add an object member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { baz: 'qux', foo: 'bar' }],
    ['A.2 add an array element', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
    ['A.3 remove an object member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    ['A.4 remove an array element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
    ['A.5 replace a value', { baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
    [
      'A.6 move a value',
      { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    ],
    [
      'A.7 move an array element',
      { foo: ['all', 'grass', 'cows', 'eat'] },
      [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
      { foo: ['all', 'cows', 'eat', 'grass'] },
    ],
    [
      'A.8 test a value',
      { baz: 'qux', foo: ['a', 2, 'c'] },
      [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ],
      { baz: 'qux', foo: ['a', 2, 'c'] },
    ],
    ['A.10 add a nested member object', { foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }], { foo: 'bar', child: { grandchild: {} } }],
    ['A.11 ignore unrecognized members', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], { foo: 'bar', baz: 'qux' }],
    ['A.14 ~ escape ordering', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
    ['A.16 add an array value', { foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
    ['add replaces an existing member', { a: 1 }, [{ op: 'add', path: '/a', value: 2 }], { a: 2 }],
    ['add at the end index', { a: [1] }, [{ op: 'add', path: '/a/1', value: 2 }], { a: [1, 2] }],
    ['copy', { a: { b: 1 } }, [{ op: 'copy', from: '/a', path: '/c' }], { a: { b: 1 }, c: { b: 1 } }],
    ['replace the whole document', { a: 1 }, [{ op: 'replace', path: '', value: [1] }], [1]],
    ['test with objects in any key order', { a: { x: 1, y: 2 } }, [{ op: 'test', path: '/a', value: { y: 2, x: 1 } }], { a: { x: 1, y: 2 } }],
    ['null is a value', { a: 1 }, [{ op: 'replace', path: '/a', value: null }], { a: null }],
    [
      'a PVC resize as kubectl sends it',
      { spec: { resources: { requests: { storage: '10Gi' } } } },
      [{ op: 'replace', path: '/spec/resources/requests/storage', value: '20Gi' }],
      { spec: { resources: { requests: { storage: '20Gi' } } } },
    ],
    [
      'a label key with a slash',
      { metadata: { labels: {} } },
      [{ op: 'add', path: '/metadata/labels/kubevirt.io~1vm', value: 'a' }],
      { metadata: { labels: { 'kubevirt.io/vm': 'a' } } },
    ],
  ])('%s', (_name, target, ops, expected) => {
    const before = deepClone(target);
    expect(applyJsonPatch(target, ops)).toEqual(expected);
    expect(target).toEqual(before);
  });

  it.each<[string, JsonValue, unknown, string]>([
    ['A.9 failed test', { baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }], 'test operation failed: the value at "/baz" is not the expected value'],
    ['A.12 add to a missing parent', { foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }], 'add operation does not apply: doc is missing path: "/baz/bat"'],
    ['A.15 strings are not numbers', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }], 'test operation failed'],
    ['remove a missing member', { spec: {} }, [{ op: 'remove', path: '/spec/foo' }], 'remove operation does not apply: doc is missing path: "/spec/foo"'],
    ['replace a missing member', { spec: {} }, [{ op: 'replace', path: '/spec/foo', value: 1 }], 'replace operation does not apply: doc is missing path: "/spec/foo"'],
    ['remove past the end', { a: [1] }, [{ op: 'remove', path: '/a/1' }], 'remove operation does not apply: doc is missing path: "/a/1"'],
    ['remove "-"', { a: [1] }, [{ op: 'remove', path: '/a/-' }], 'remove operation does not apply: doc is missing path: "/a/-"'],
    ['add past the end', { a: [1] }, [{ op: 'add', path: '/a/3', value: 2 }], 'add operation does not apply: index 3 is out of bounds for an array of length 1'],
    ['add at a leading-zero index', { a: [1] }, [{ op: 'add', path: '/a/01', value: 2 }], 'add operation does not apply: invalid array index "01"'],
    ['move from a missing path', { a: 1 }, [{ op: 'move', from: '/x', path: '/y' }], 'move operation does not apply: doc is missing from path: "/x"'],
    ['copy from a missing path', { a: 1 }, [{ op: 'copy', from: '/x', path: '/y' }], 'copy operation does not apply: doc is missing from path: "/x"'],
    ['move into its own child', { a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a/b/c' }], 'move operation does not apply: cannot move "/a" into its own child "/a/b/c"'],
    ['remove the document', { a: 1 }, [{ op: 'remove', path: '' }], 'remove operation does not apply: cannot remove the whole document'],
    ['an unknown op', {}, [{ op: 'merge', path: '/a' }], 'unsupported operation "merge" at index 0'],
    ['a missing value', {}, [{ op: 'add', path: '/a' }], 'add operation at index 0 is missing its "value"'],
    ['a missing path', {}, [{ op: 'remove' }], 'remove operation at index 0 is missing its "path" string'],
    ['a pointer without a slash', {}, [{ op: 'add', path: 'a', value: 1 }], 'invalid JSON pointer "a": must be empty or start with "/"'],
    ['a bad escape', {}, [{ op: 'add', path: '/a~2', value: 1 }], 'invalid JSON pointer "/a~2"'],
    ['not a list', {}, { op: 'add', path: '/a', value: 1 }, 'a JSON patch must be a list of operations'],
    ['not an object', {}, ['add'], 'operation at index 0 is not an object'],
  ])('%s fails', (_name, target, ops, message) => {
    const before = deepClone(target);
    expect(() => applyJsonPatch(target, ops)).toThrow(PatchError);
    expect(() => applyJsonPatch(target, ops)).toThrow(message);
    expect(target).toEqual(before);
  });

  it('reports the failing operation, path and index', () => {
    try {
      applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 1 }, { op: 'remove', path: '/b' }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PatchError);
      expect((e as PatchError).details).toEqual({ operation: 'remove', path: '/b', index: 1 });
    }
  });

  it('fails whole: an earlier operation leaves no trace', () => {
    const doc = { a: 1 };
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/b', value: 2 }, { op: 'test', path: '/a', value: 2 }])).toThrow(PatchError);
    expect(doc).toEqual({ a: 1 });
  });

  it('refuses more operations than the API server allows', () => {
    const ops = Array.from({ length: 3 }, () => ({ op: 'test', path: '', value: {} }));
    expect(() => applyJsonPatch({}, ops, 2)).toThrow('the allowed maximum operations in a JSON patch is 2, got 3');
    expect(applyJsonPatch({}, ops, 3)).toEqual({});
  });
});

describe('JSON Pointer', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['/', ['']],
    ['/a/b', ['a', 'b']],
    ['/a~1b/c~0d', ['a/b', 'c~d']],
    ['/~01', ['~1']],
  ])('%j ⇄ %j', (pointer, tokens) => {
    expect(parseJsonPointer(pointer)).toEqual(tokens);
    expect(formatJsonPointer(tokens)).toBe(pointer);
  });

  it('reads values, never inherited properties', () => {
    const doc = { a: [{ b: 1 }] };
    expect(getByPointer(doc, '/a/0/b')).toBe(1);
    expect(getByPointer(doc, '/a/1')).toBeUndefined();
    expect(getByPointer(doc, '/toString')).toBeUndefined();
    expect(getByPointer(doc, '/a/length')).toBeUndefined();
  });
});
