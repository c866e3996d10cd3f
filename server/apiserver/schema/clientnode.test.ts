// Built-in kinds' schemas from @kubernetes/client-node: type mapping, quantities,
// descriptions and required fields from the .d.ts files, the kinds table.
import { describe, expect, it } from 'vitest';
import type { JSONSchemaProps } from '@/server/apiserver/registry/types';
import { BUILTIN_KINDS, builtinSchemas } from './builtin';
import { clientNodeDocs, parseClassDocs, parseClientNodeType, schemaForClientNodeType } from './clientnode';

/** Follow a path of property names (and "[]" for array items) down a schema. */
function at(schema: JSONSchemaProps | undefined, path: string): JSONSchemaProps | undefined {
  let node = schema;
  for (const step of path.split('.')) {
    if (!node) return undefined;
    if (step === '[]') node = node.items;
    else if (step === '{}') node = node.additionalProperties as JSONSchemaProps | undefined;
    else node = node.properties?.[step];
  }
  return node;
}

/** A node without its description and Kura's type hint. */
function strip(schema: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  if (!schema) return schema;
  const { description: _d, 'x-kura-type': _t, ...rest } = schema;
  return rest;
}

describe('parseClientNodeType', () => {
  it.each([
    ['string', { kind: 'name', name: 'string' }],
    ['Array<V1Condition>', { kind: 'array', of: { kind: 'name', name: 'V1Condition' } }],
    ['{ [key: string]: string; }', { kind: 'map', of: { kind: 'name', name: 'string' } }],
    ['{ [key: string]: Array<string>; }', { kind: 'map', of: { kind: 'array', of: { kind: 'name', name: 'string' } } }],
    ['Array<Array<number>>', { kind: 'array', of: { kind: 'array', of: { kind: 'name', name: 'number' } } }],
  ])('%s', (text, expected) => {
    expect(parseClientNodeType(text)).toEqual(expected);
  });
});

describe('schemaForClientNodeType: types', () => {
  it.each<[string, string, JSONSchemaProps]>([
    ['V1ObjectMeta', 'generation', { type: 'integer', format: 'int64' }],
    ['CoreV1Event', 'count', { type: 'integer', format: 'int32' }],
    ['CoreV1Event', 'eventTime', { type: 'string', format: 'date-time' }],
    ['V1ObjectMeta', 'creationTimestamp', { type: 'string', format: 'date-time' }],
    ['V1ServicePort', 'targetPort', { 'x-kubernetes-int-or-string': true }],
    ['V1StorageClass', 'allowVolumeExpansion', { type: 'boolean' }],
    ['V1ObjectMeta', 'labels', { type: 'object', additionalProperties: { type: 'string' } }],
    ['V1ObjectMeta', 'annotations', { type: 'object', additionalProperties: { type: 'string' } }],
    ['V1Secret', 'data', { type: 'object', additionalProperties: { type: 'string', format: 'byte' } }],
    ['V1ManagedFieldsEntry', 'fieldsV1', { 'x-kubernetes-preserve-unknown-fields': true }],
    ['V1PersistentVolumeClaimSpec', 'accessModes', { type: 'array', items: { type: 'string' } }],
  ])('%s.%s', (type, field, expected) => {
    expect(strip(at(schemaForClientNodeType(type), field))).toEqual(expected);
  });

  it('an unknown class preserves whatever it is given', () => {
    expect(schemaForClientNodeType('V1NoSuchThing')).toEqual({ 'x-kubernetes-preserve-unknown-fields': true });
  });

  it('type expressions work at the top too', () => {
    const s = schemaForClientNodeType('Array<V1Condition>');
    expect(s.type).toBe('array');
    expect(s.items?.properties?.lastTransitionTime?.format).toBe('date-time');
  });

  it('nodes carry the class they came from, for the OpenAPI builder', () => {
    expect(at(schemaForClientNodeType('V1PersistentVolumeClaim'), 'spec')?.['x-kura-type']).toBe('V1PersistentVolumeClaimSpec');
  });

  it('results are frozen (their nodes are shared)', () => {
    const s = schemaForClientNodeType('V1PersistentVolumeClaim');
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.properties?.spec)).toBe(true);
  });
});

describe('schemaForClientNodeType: quantities are int-or-string', () => {
  const quantity = { 'x-kubernetes-int-or-string': true };
  it.each([
    ['V1PersistentVolumeClaim', 'spec.resources.requests.{}'],
    ['V1PersistentVolumeClaim', 'spec.resources.limits.{}'],
    ['V1PersistentVolumeClaim', 'status.capacity.{}'],
    ['V1PersistentVolumeClaim', 'status.allocatedResources.{}'],
    ['V1PersistentVolume', 'spec.capacity.{}'],
    ['V1Node', 'status.capacity.{}'],
    ['V1Node', 'status.allocatable.{}'],
    ['V1ResourceQuota', 'spec.hard.{}'],
    ['V1ResourceQuota', 'status.used.{}'],
    ['V1CSIStorageCapacity', 'capacity'],
    ['V1CSIStorageCapacity', 'maximumVolumeSize'],
  ])('%s %s', (type, path) => {
    expect(strip(at(schemaForClientNodeType(type), path))).toEqual(quantity);
  });
});

describe('descriptions and required fields from the .d.ts files', () => {
  it('class and field descriptions', () => {
    const s = schemaForClientNodeType('V1PersistentVolumeClaim');
    expect(s.description).toMatch(/PersistentVolumeClaim is a user's request/);
    expect(at(s, 'spec.storageClassName')?.description).toMatch(/name of the StorageClass required by the claim/);
    // A field typed by a class, whose own description the generator dropped, gets the class's.
    expect(at(s, 'spec.resources')?.description).toMatch(/VolumeResourceRequirements describes/);
  });

  it('escaped quotes in JSDoc come out plain', () => {
    expect(at(schemaForClientNodeType('V1ObjectMeta'), 'managedFields')?.description).toContain("shouldn't need");
  });

  it.each([
    ['V1RoleRef', ['apiGroup', 'kind', 'name']],
    ['V1PolicyRule', ['verbs']],
    ['V1StorageClass', ['provisioner']],
    ['V1PersistentVolumeClaim', undefined],
  ])('required of %s', (type, required) => {
    expect(schemaForClientNodeType(type).required).toEqual(required);
  });

  it('a class without a .d.ts file just has no descriptions', () => {
    expect(clientNodeDocs('V1NoSuchThing')).toBeUndefined();
  });

  it('parseClassDocs reads the comment before the class and before each field', () => {
    const docs = parseClassDocs(
      [
        '/**',
        '* A thing.',
        '*/',
        'export declare class V1Thing {',
        '    /**',
        "    * It\\'s the size.",
        '    */',
        "    'size'?: number;",
        "    'name': string;",
        '    /** One line. */',
        "    'map'?: {",
        '        [key: string]: string;',
        '    };',
        '}',
      ].join('\n'),
    );
    expect(docs.description).toBe('A thing.');
    expect(docs.fields.get('size')).toEqual({ description: "It's the size.", optional: true });
    expect(docs.fields.get('name')).toEqual({ description: undefined, optional: false });
    expect(docs.fields.get('map')).toEqual({ description: 'One line.', optional: true });
  });
});

describe('builtinSchemas', () => {
  it('has every built-in kind Kura serves, keyed group/version/Kind', () => {
    const keys = [...builtinSchemas().keys()];
    expect(keys).toHaveLength(BUILTIN_KINDS.length);
    expect(keys).toEqual(expect.arrayContaining(['v1/PersistentVolumeClaim', 'v1/Event', 'storage.k8s.io/v1/StorageClass', 'apiextensions.k8s.io/v1/CustomResourceDefinition']));
  });

  it('is built once', () => {
    expect(builtinSchemas()).toBe(builtinSchemas());
  });

  it.each(BUILTIN_KINDS.map(([g, v, k]) => [g ? `${g}/${v}/${k}` : `${v}/${k}`]))('%s is an object with apiVersion, kind and metadata', (key) => {
    const s = builtinSchemas().get(key);
    expect(s?.type).toBe('object');
    expect(Object.keys(s?.properties ?? {})).toEqual(expect.arrayContaining(['apiVersion', 'kind', 'metadata']));
  });

  it('a CRD keeps its openAPIV3Schema as sent (JSONSchemaProps is recursive)', () => {
    const crd = builtinSchemas().get('apiextensions.k8s.io/v1/CustomResourceDefinition');
    expect(strip(at(crd, 'spec.versions.[].schema.openAPIV3Schema'))).toMatchObject({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
    });
    expect(at(crd, 'spec.versions.[].schema.openAPIV3Schema')?.properties).toBeUndefined();
  });
});
