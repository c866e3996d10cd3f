// Validation causes, checked against the wording and shape kube-apiserver gives for custom resources.
import { describe, expect, it } from 'vitest';
import type { StatusCause } from '@/lib/k8s/types';
import type { JSONSchemaProps } from '@/server/apiserver/registry/types';
import { causeText, goValue } from './fielderrors';
import { validateAgainstSchema } from './validate';

/** Wrap a field schema as `spec.<field>` of an object schema. */
function spec(field: string, s: JSONSchemaProps, extra: JSONSchemaProps = {}): JSONSchemaProps {
  return { type: 'object', properties: { spec: { type: 'object', properties: { [field]: s }, ...extra } } };
}

const cause = (reason: string, field: string, message: string): StatusCause => ({ reason, field, message });

describe('validateAgainstSchema', () => {
  it.each<[string, JSONSchemaProps, unknown, StatusCause[]]>([
    ['valid', spec('replicas', { type: 'integer' }), { spec: { replicas: 3 } }, []],
    [
      'type',
      spec('replicas', { type: 'integer' }),
      { spec: { replicas: 'three' } },
      [cause('FieldValueTypeInvalid', 'spec.replicas', 'Invalid value: "string": spec.replicas in body must be of type integer: "string"')],
    ],
    [
      'integer is not a float',
      spec('replicas', { type: 'integer' }),
      { spec: { replicas: 1.5 } },
      [cause('FieldValueTypeInvalid', 'spec.replicas', 'Invalid value: "number": spec.replicas in body must be of type integer: "number"')],
    ],
    ['a number may be an integer', spec('ratio', { type: 'number' }), { spec: { ratio: 2 } }, []],
    [
      'null where not nullable',
      spec('name', { type: 'string' }),
      { spec: { name: null } },
      [cause('FieldValueTypeInvalid', 'spec.name', 'Invalid value: "null": spec.name in body must be of type string: "null"')],
    ],
    ['null where nullable', spec('name', { type: 'string', nullable: true }), { spec: { name: null } }, []],
    ['int-or-string takes an integer', spec('size', { 'x-kubernetes-int-or-string': true }), { spec: { size: 1073741824 } }, []],
    ['int-or-string takes a string', spec('size', { 'x-kubernetes-int-or-string': true }), { spec: { size: '1Gi' } }, []],
    [
      'int-or-string refuses the rest',
      spec('size', { 'x-kubernetes-int-or-string': true }),
      { spec: { size: true } },
      [cause('FieldValueTypeInvalid', 'spec.size', 'Invalid value: "boolean": spec.size in body must be of type integer,string: "boolean"')],
    ],
    ['preserve-unknown without type takes anything', spec('any', { 'x-kubernetes-preserve-unknown-fields': true }), { spec: { any: [1, 'a'] } }, []],
    [
      'required',
      spec('source', { type: 'string' }, { required: ['source', 'class'] }),
      { spec: { source: 'x' } },
      [cause('FieldValueRequired', 'spec.class', 'Required value')],
    ],
    ['required but null counts as present', spec('source', { type: 'string', nullable: true }, { required: ['source'] }), { spec: { source: null } }, []],
    [
      'enum',
      spec('policy', { type: 'string', enum: ['Delete', 'Retain'] }),
      { spec: { policy: 'Keep' } },
      [cause('FieldValueNotSupported', 'spec.policy', 'Unsupported value: "Keep": supported values: "Delete", "Retain"')],
    ],
    [
      'enum of numbers',
      spec('n', { type: 'integer', enum: [1, 2] }),
      { spec: { n: 3 } },
      [cause('FieldValueNotSupported', 'spec.n', 'Unsupported value: 3: supported values: "1", "2"')],
    ],
    [
      'pattern',
      spec('name', { type: 'string', pattern: '^[a-z]+$' }),
      { spec: { name: 'ABC' } },
      [cause('FieldValueInvalid', 'spec.name', "Invalid value: \"ABC\": spec.name in body should match '^[a-z]+$'")],
    ],
    [
      'maxLength (the value is left out)',
      spec('name', { type: 'string', maxLength: 3 }),
      { spec: { name: 'abcd' } },
      [cause('FieldValueTooLong', 'spec.name', 'Too long: may not be more than 3 bytes')],
    ],
    ['lengths count code points: an emoji is one', spec('name', { type: 'string', maxLength: 3, minLength: 3 }), { spec: { name: 'a\u{1F600}b' } }, []],
    [
      'a lone surrogate is one code point too',
      spec('name', { type: 'string', maxLength: 2 }),
      { spec: { name: '\ud800\ud800x' } },
      [cause('FieldValueTooLong', 'spec.name', 'Too long: may not be more than 2 bytes')],
    ],
    [
      'minLength',
      spec('name', { type: 'string', minLength: 3 }),
      { spec: { name: 'ab' } },
      [cause('FieldValueInvalid', 'spec.name', 'Invalid value: "ab": spec.name in body should be at least 3 chars long')],
    ],
    [
      'minimum',
      spec('replicas', { type: 'integer', minimum: 1 }),
      { spec: { replicas: 0 } },
      [cause('FieldValueInvalid', 'spec.replicas', 'Invalid value: 0: spec.replicas in body should be greater than or equal to 1')],
    ],
    [
      'exclusive maximum',
      spec('pct', { type: 'number', maximum: 100, exclusiveMaximum: true }),
      { spec: { pct: 100 } },
      [cause('FieldValueInvalid', 'spec.pct', 'Invalid value: 100: spec.pct in body should be less than 100')],
    ],
    [
      'maxItems',
      spec('disks', { type: 'array', items: { type: 'string' }, maxItems: 2 }),
      { spec: { disks: ['a', 'b', 'c'] } },
      [cause('FieldValueTooMany', 'spec.disks', 'Too many: 3: must have at most 2 items')],
    ],
    [
      'minItems',
      spec('disks', { type: 'array', items: { type: 'string' }, minItems: 1 }),
      { spec: { disks: [] } },
      [cause('FieldValueInvalid', 'spec.disks', 'Invalid value: 0: spec.disks in body should have at least 1 items')],
    ],
    [
      'uniqueItems',
      spec('tags', { type: 'array', items: { type: 'string' }, uniqueItems: true }),
      { spec: { tags: ['a', 'a'] } },
      [cause('FieldValueInvalid', 'spec.tags', 'Invalid value: "": spec.tags in body shouldn\'t contain duplicates')],
    ],
    [
      'list-type set',
      spec('modes', { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' }),
      { spec: { modes: ['RWO', 'RWX', 'RWO'] } },
      [cause('FieldValueDuplicate', 'spec.modes[2]', 'Duplicate value: "RWO"')],
    ],
    [
      'list-type map',
      spec('ports', {
        type: 'array',
        items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' } } },
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      }),
      { spec: { ports: [{ name: 'a', port: 1 }, { name: 'a', port: 2 }] } },
      [cause('FieldValueDuplicate', 'spec.ports[1]', 'Duplicate value: map[string]interface {}{"name":"a"}')],
    ],
    [
      'items are checked with their index',
      spec('disks', { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } }),
      { spec: { disks: [{ name: 'a' }, {}] } },
      [cause('FieldValueRequired', 'spec.disks[1].name', 'Required value')],
    ],
    [
      'map values are checked',
      spec('labels', { type: 'object', additionalProperties: { type: 'string' } }),
      { spec: { labels: { a: 1 } } },
      [cause('FieldValueTypeInvalid', 'spec.labels.a', 'Invalid value: "integer": spec.labels.a in body must be of type string: "integer"')],
    ],
    [
      'date-time format',
      spec('at', { type: 'string', format: 'date-time' }),
      { spec: { at: 'yesterday' } },
      [cause('FieldValueTypeInvalid', 'spec.at', 'Invalid value: "yesterday": spec.at in body must be of type date-time: "yesterday"')],
    ],
    ['date-time format accepts RFC 3339', spec('at', { type: 'string', format: 'date-time' }), { spec: { at: '2024-05-01T10:00:00.5+02:00' } }, []],
    [
      'int32 range',
      spec('port', { type: 'integer', format: 'int32' }),
      { spec: { port: 3000000000 } },
      [cause('FieldValueTypeInvalid', 'spec.port', 'Invalid value: 3000000000: spec.port in body must be of type int32: "3000000000"')],
    ],
    [
      'anyOf: none matches',
      spec('x', { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true }),
      { spec: { x: 1.5 } },
      [cause('FieldValueTypeInvalid', 'spec.x', 'Invalid value: "number": spec.x in body must be of type integer,string: "number"')],
    ],
    [
      'anyOf: none of the required sets',
      spec('src', { type: 'object', anyOf: [{ required: ['a'] }, { required: ['b'] }] }),
      { spec: { src: {} } },
      [
        cause('FieldValueInvalid', 'spec.src', 'Invalid value: "": "spec.src" must validate at least one schema (anyOf)'),
        cause('FieldValueRequired', 'spec.src.a', 'Required value'),
      ],
    ],
    ['anyOf: one matches', spec('src', { type: 'object', anyOf: [{ required: ['a'] }, { required: ['b'] }] }), { spec: { src: { b: 1 } } }, []],
    [
      'oneOf: two match',
      spec('src', { type: 'object', oneOf: [{ required: ['a'] }, { required: ['b'] }] }),
      { spec: { src: { a: 1, b: 1 } } },
      [cause('FieldValueInvalid', 'spec.src', 'Invalid value: "": "spec.src" must validate one and only one schema (oneOf). Found 2 valid alternatives')],
    ],
    [
      'not',
      spec('src', { type: 'object', not: { required: ['a'] } }),
      { spec: { src: { a: 1 } } },
      [cause('FieldValueInvalid', 'spec.src', 'Invalid value: "": "spec.src" must not validate the schema (not)')],
    ],
    [
      'allOf: every one applies',
      spec('n', { type: 'integer', allOf: [{ minimum: 1 }, { maximum: 5 }] }),
      { spec: { n: 9 } },
      [cause('FieldValueInvalid', 'spec.n', 'Invalid value: 9: spec.n in body should be less than or equal to 5')],
    ],
    [
      'maxProperties',
      spec('labels', { type: 'object', additionalProperties: { type: 'string' }, maxProperties: 1 }),
      { spec: { labels: { a: 'x', b: 'y' } } },
      [cause('FieldValueTooMany', 'spec.labels', 'Too many: 2: must have at most 1 items')],
    ],
  ])('%s', (_name, schema, obj, expected) => {
    expect(validateAgainstSchema(obj, schema)).toEqual(expected);
  });

  it('collects every cause, in document order', () => {
    const schema = spec('a', { type: 'string' }, { required: ['b'], properties: { a: { type: 'string' }, c: { type: 'integer', minimum: 0 } } });
    expect(validateAgainstSchema({ spec: { a: 1, c: -1 } }, schema).map(causeText)).toEqual([
      'spec.b: Required value',
      'spec.a: Invalid value: "integer": spec.a in body must be of type string: "integer"',
      'spec.c: Invalid value: -1: spec.c in body should be greater than or equal to 0',
    ]);
  });

  it('a pattern JavaScript cannot compile is not enforced', () => {
    expect(validateAgainstSchema({ spec: { n: 'x' } }, spec('n', { type: 'string', pattern: '(?<!' }))).toEqual([]);
  });
});

describe('goValue: values printed as kube-apiserver prints them', () => {
  it.each([
    ['a', '"a"'],
    [3, '3'],
    [1.5, '1.5'],
    [true, 'true'],
    [null, 'null'],
    [{ b: 1, a: 'x' }, 'map[string]interface {}{"a":"x", "b":1}'],
    [['a', 1], '[]interface {}{"a", 1}'],
  ])('%j → %s', (value, printed) => {
    expect(goValue(value)).toBe(printed);
  });
});
