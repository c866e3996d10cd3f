import { describe, expect, it } from 'vitest';
import {
  escapeFieldValue,
  formatFieldSelector,
  matchesFieldSelector,
  objectMetaFields,
  parseFieldSelector,
  SelectorError,
  unescapeFieldValue,
  unsupportedFieldLabel,
} from './fields';

describe('parseFieldSelector', () => {
  it.each([
    ['', []],
    ['metadata.name=vm-1', [{ field: 'metadata.name', operator: '=', value: 'vm-1' }]],
    ['metadata.name==vm-1', [{ field: 'metadata.name', operator: '=', value: 'vm-1' }]],
    ['status.phase!=Bound', [{ field: 'status.phase', operator: '!=', value: 'Bound' }]],
    ['spec.nodeName=', [{ field: 'spec.nodeName', operator: '=', value: '' }]],
    [
      // Terms are sorted as strings, as Kubernetes does before evaluating them.
      'status.phase=Bound,metadata.name=a',
      [
        { field: 'metadata.name', operator: '=', value: 'a' },
        { field: 'status.phase', operator: '=', value: 'Bound' },
      ],
    ],
    ['a=b,,c=d', [{ field: 'a', operator: '=', value: 'b' }, { field: 'c', operator: '=', value: 'd' }]],
    ['a=x\\,y', [{ field: 'a', operator: '=', value: 'x,y' }]],
    ['a=x\\=y', [{ field: 'a', operator: '=', value: 'x=y' }]],
    ['a=x\\\\y', [{ field: 'a', operator: '=', value: 'x\\y' }]],
    // "!" needs no escape in a value; only the first operator splits the term.
    ['a=!b', [{ field: 'a', operator: '=', value: '!b' }]],
    ['a==!b', [{ field: 'a', operator: '=', value: '!b' }]],
    ['a!=!b', [{ field: 'a', operator: '!=', value: '!b' }]],
    ['involvedObject.name=vm\\,1,type!=Normal', [
      { field: 'involvedObject.name', operator: '=', value: 'vm,1' },
      { field: 'type', operator: '!=', value: 'Normal' },
    ]],
  ])('%j', (input, expected) => {
    expect(parseFieldSelector(input)).toEqual(expected);
  });

  it.each([
    ['metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=b=c', 'invalid field selector: unescaped character in value: ='],
    ['a=\\!b', 'invalid field selector: invalid escape sequence: \\!'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
  ])('%j fails: %s', (input, message) => {
    expect(() => parseFieldSelector(input)).toThrow(SelectorError);
    expect(() => parseFieldSelector(input)).toThrow(message);
  });
});

describe('escaping', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', 'a\\,b'],
    ['a=b', 'a\\=b'],
    ['a\\b', 'a\\\\b'],
    ['a!b', 'a!b'],
  ])('%j ⇄ %j', (raw, escaped) => {
    expect(escapeFieldValue(raw)).toBe(escaped);
    expect(unescapeFieldValue(escaped)).toBe(raw);
  });

  it('formats requirements back to a selector that parses to the same terms', () => {
    const reqs = parseFieldSelector('a==x\\,y,b!=z\\=w');
    expect(formatFieldSelector(reqs)).toBe('a=x\\,y,b!=z\\=w');
    expect(parseFieldSelector(formatFieldSelector(reqs))).toEqual(reqs);
  });
});

describe('matchesFieldSelector', () => {
  const fields = { 'metadata.name': 'vm-1', 'metadata.namespace': 'default', 'status.phase': 'Running' };
  it.each([
    ['', true],
    ['metadata.name=vm-1', true],
    ['metadata.name=vm-2', false],
    ['metadata.name!=vm-2', true],
    ['metadata.name=vm-1,status.phase!=Running', false],
    // A field the object lacks reads as the empty string.
    ['spec.nodeName=', true],
    ['spec.nodeName!=', false],
    ['toString=', true],
  ])('%j → %s', (selector, expected) => {
    expect(matchesFieldSelector(parseFieldSelector(selector), fields)).toBe(expected);
  });
});

describe('server helpers', () => {
  it('offers metadata.name, and metadata.namespace for namespaced objects', () => {
    expect(objectMetaFields({ name: 'a', namespace: 'ns' }, true)).toEqual({ 'metadata.name': 'a', 'metadata.namespace': 'ns' });
    expect(objectMetaFields({ name: 'node-1' }, false)).toEqual({ 'metadata.name': 'node-1' });
  });

  it('names the first field label a resource does not support', () => {
    const reqs = parseFieldSelector('metadata.name=a,spec.foo=b');
    expect(unsupportedFieldLabel(reqs, ['metadata.name', 'metadata.namespace'])).toBe('field label not supported: spec.foo');
    expect(unsupportedFieldLabel(reqs, ['metadata.name', 'spec.foo'])).toBeUndefined();
  });
});
