// Structural schema rules for CustomResourceDefinitions, worded as kube-apiserver's 422 answer.
import { describe, expect, it } from 'vitest';
import { checkStructural, structuralCauses } from './checkstructural';

const P = 'spec.versions[0].schema.openAPIV3Schema';
const root = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });

describe('checkStructural', () => {
  it.each<[string, unknown, string[]]>([
    ['a good schema', root({ spec: { type: 'object', properties: { size: { 'x-kubernetes-int-or-string': true }, any: { 'x-kubernetes-preserve-unknown-fields': true } } } }), []],
    ['no type at the root', { properties: {} }, [`${P}.type: Required value: must not be empty at the root`]],
    ['root not an object', { type: 'string' }, [`${P}.type: Invalid value: "string": must be object at the root`]],
    ['a field without a type', root({ spec: { properties: {} } }), [`${P}.properties[spec].type: Required value: must not be empty for specified object fields`]],
    ['items without a type', root({ l: { type: 'array', items: {} } }), [`${P}.properties[l].items.type: Required value: must not be empty for specified array items`]],
    ['an array without items', root({ l: { type: 'array' } }), [`${P}.properties[l].items: Required value: must be specified`]],
    [
      'properties with additionalProperties',
      root({ m: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } } }),
      [`${P}.properties[m].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`],
    ],
    ['additionalProperties at the root', { type: 'object', additionalProperties: { type: 'string' } }, [`${P}.additionalProperties: Forbidden: must not be used at the root`]],
    [
      'metadata narrowed beyond name',
      root({ metadata: { type: 'object', properties: { name: { type: 'string' }, labels: { type: 'object' } } } }),
      [`${P}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`],
    ],
    ['metadata narrowing name only', root({ metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 20 } } } }), []],
    ['metadata not an object', root({ metadata: { type: 'string' } }), [`${P}.properties[metadata].type: Invalid value: "string": must be object`]],
    ['kind not a string', root({ kind: { type: 'integer' } }), [`${P}.properties[kind].type: Invalid value: "integer": must be string`]],
    ['uniqueItems', root({ l: { type: 'array', items: { type: 'string' }, uniqueItems: true } }), [`${P}.properties[l].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`]],
    ['preserve-unknown-fields: false', root({ o: { type: 'object', 'x-kubernetes-preserve-unknown-fields': false } }), [`${P}.properties[o].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined`]],
    ['int-or-string with a type', root({ q: { type: 'string', 'x-kubernetes-int-or-string': true } }), [`${P}.properties[q].type: Invalid value: "string": must be empty if x-kubernetes-int-or-string is true`]],
    ['int-or-string with its anyOf pattern', root({ q: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } }), []],
    [
      'types inside anyOf otherwise',
      root({ q: { type: 'object', anyOf: [{ type: 'object', description: 'x' }] } }),
      [`${P}.properties[q].anyOf[0].type: Forbidden: must be empty to be structural`, `${P}.properties[q].anyOf[0].description: Forbidden: must be empty to be structural`],
    ],
    [
      'a field only a value validation knows',
      root({ s: { type: 'object', properties: { a: { type: 'string' } }, oneOf: [{ required: ['a'] }, { properties: { b: {} } }] } }),
      [`${P}.properties[s].properties[b]: Required value: because it is defined in ${P}.properties[s].oneOf[1].properties[b]`],
    ],
    [
      'an embedded resource without type and properties',
      root({ t: { 'x-kubernetes-embedded-resource': true } }),
      [
        `${P}.properties[t].type: Required value: must be object if x-kubernetes-embedded-resource is true`,
        `${P}.properties[t].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields`,
      ],
    ],
    ['$ref', root({ r: { $ref: '#/definitions/x' } }), [`${P}.properties[r].$ref: Forbidden: $ref is not supported`, `${P}.properties[r].type: Required value: must not be empty for specified object fields`]],
    ['list-type map needs keys', root({ l: { type: 'array', items: { type: 'object' }, 'x-kubernetes-list-type': 'map' } }), [`${P}.properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`]],
    ['list-type on an object', root({ o: { type: 'object', 'x-kubernetes-list-type': 'set' } }), [`${P}.properties[o].type: Invalid value: "object": must be array if x-kubernetes-list-type is specified`]],
    [
      'a default of the wrong type',
      root({ n: { type: 'integer', default: 'one' } }),
      [`${P}.properties[n].default: Invalid value: "string": ${P}.properties[n].default in body must be of type integer: "string"`],
    ],
    [
      'a default with unknown fields',
      root({ o: { type: 'object', properties: { a: { type: 'string' } }, default: { a: 'x', b: 'y' } } }),
      [`${P}.properties[o].default: Invalid value: map[string]interface {}{"a":"x", "b":"y"}: must not have unknown fields: b`],
    ],
    ['not an object at all', 'nope', [`${P}: Required value: must not be empty`]],
  ])('%s', (_name, schema, expected) => {
    expect(checkStructural(schema, P)).toEqual(expected);
  });

  it('causes carry the reason kube-apiserver gives', () => {
    expect(structuralCauses({ properties: {} }, P)).toEqual([{ reason: 'FieldValueRequired', field: `${P}.type`, message: 'Required value: must not be empty at the root' }]);
  });
});
