// Unknown fields, pruning and defaulting, as kube-apiserver does them for custom resources.
import { describe, expect, it } from 'vitest';
import type { JSONSchemaProps } from '@/server/apiserver/registry/types';
import { applyDefaults, findUnknownFields, prune, strictDecodingError, unknownFieldWarnings } from './structural';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer' },
        disks: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        ports: { type: 'object', additionalProperties: { type: 'object', properties: { port: { type: 'integer' } } } },
        config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'object', properties: { a: { type: 'string' } } } } },
        anything: { 'x-kubernetes-preserve-unknown-fields': true },
        open: { type: 'object', additionalProperties: true },
        template: {
          type: 'object',
          'x-kubernetes-embedded-resource': true,
          properties: { spec: { type: 'object', properties: { x: { type: 'string' } } } },
        },
        meta: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
};

describe('findUnknownFields', () => {
  it.each<[string, unknown, string[]]>([
    ['nothing unknown', { apiVersion: 'v1', kind: 'X', metadata: { name: 'a', labels: {} }, spec: { replicas: 1 } }, []],
    ['a top-level field', { spec: {}, extra: 1 }, ['extra']],
    ['a spec field', { spec: { foo: 1, replicas: 2 } }, ['spec.foo']],
    ['inside list items', { spec: { disks: [{ name: 'a' }, { name: 'b', size: 1 }] } }, ['spec.disks[1].size']],
    ['inside map values', { spec: { ports: { http: { port: 80, proto: 'tcp' } } } }, ['spec.ports.http.proto']],
    ['map keys are never unknown', { spec: { labels: { anything: 'x' } } }, []],
    ['preserve-unknown-fields keeps the rest but checks known fields', { spec: { config: { z: 1, known: { a: 'x', b: 1 } } } }, ['spec.config.known.b']],
    ['a typeless preserve node takes anything', { spec: { anything: { deep: { er: [1] } } } }, []],
    ['additionalProperties: true takes anything', { spec: { open: { a: { b: 1 } } } }, []],
    ['ObjectMeta fields are known at the top', { metadata: { name: 'a', finalizers: ['x'], ownerReferences: [] } }, []],
    ['other metadata fields are not', { metadata: { name: 'a', nickname: 'b' } }, ['metadata.nickname']],
    ['embedded resources know apiVersion, kind and metadata', { spec: { template: { apiVersion: 'v1', kind: 'K', metadata: { name: 'x' }, spec: { x: 'a', y: 'b' } } } }, ['spec.template.spec.y']],
    ['a preserved metadata is left alone', { spec: { meta: { whatever: 1 } } }, []],
    ['sorted', { spec: { zz: 1, aa: 2 }, b: 1 }, ['b', 'spec.aa', 'spec.zz']],
    ['an object where a scalar is expected has only unknown fields', { spec: { replicas: { a: 1 } } }, ['spec.replicas.a']],
  ])('%s', (_name, obj, expected) => {
    expect(findUnknownFields(obj, schema)).toEqual(expected);
  });

  it('builtin metadata schemas are followed inside', () => {
    const withMeta: JSONSchemaProps = {
      type: 'object',
      properties: {
        metadata: {
          type: 'object',
          properties: { ownerReferences: { type: 'array', items: { type: 'object', properties: { uid: { type: 'string' } } } } },
        },
      },
    };
    expect(findUnknownFields({ metadata: { name: 'x', ownerReferences: [{ uid: 'u', what: 1 }] } }, withMeta)).toEqual(['metadata.ownerReferences[0].what']);
  });

  it('the messages kube-apiserver gives', () => {
    expect(strictDecodingError(['spec.foo', 'spec.bar'])).toBe('strict decoding error: unknown field "spec.foo", unknown field "spec.bar"');
    expect(unknownFieldWarnings(['spec.foo'])).toEqual(['unknown field "spec.foo"']);
  });
});

describe('prune', () => {
  it('drops exactly the unknown fields', () => {
    const obj = { apiVersion: 'a/v1', kind: 'X', metadata: { name: 'n', junk: 1 }, spec: { replicas: 1, foo: 2, disks: [{ name: 'd', size: 3 }], config: { keep: 1 } }, extra: true };
    expect(prune(obj, schema)).toEqual({
      apiVersion: 'a/v1',
      kind: 'X',
      metadata: { name: 'n' },
      spec: { replicas: 1, disks: [{ name: 'd' }], config: { keep: 1 } },
    });
  });

  it('never changes its input, and returns the same object when nothing is pruned', () => {
    const obj = { spec: { replicas: 1, foo: 2, labels: { a: 'b' } } };
    const frozen = JSON.parse(JSON.stringify(obj));
    const out = prune(obj, schema);
    expect(obj).toEqual(frozen);
    expect(out.spec.labels).toBe(obj.spec.labels);
    const clean = { spec: { replicas: 1 } };
    expect(prune(clean, schema)).toBe(clean);
  });

  it('leaves scalars, nulls and arrays without items schemas alone', () => {
    expect(prune({ spec: null }, schema)).toEqual({ spec: null });
    expect(prune('x', schema)).toBe('x');
  });
});

describe('applyDefaults', () => {
  const withDefaults: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          mode: { type: 'string', default: 'Filesystem' },
          size: { type: 'integer', default: 1, nullable: true },
          policy: { type: 'object', default: {}, properties: { retain: { type: 'boolean', default: false } } },
          items: { type: 'array', items: { type: 'object', properties: { weight: { type: 'integer', default: 10 } } } },
          tags: { type: 'object', additionalProperties: { type: 'object', properties: { v: { type: 'string', default: 'x' } } } },
          note: { type: 'string' },
        },
      },
      status: { type: 'object', default: { phase: 'Pending' }, properties: { phase: { type: 'string' } } },
    },
  };

  it.each<[string, unknown, unknown]>([
    ['missing fields of an existing object', { spec: {} }, { spec: { mode: 'Filesystem', size: 1, policy: { retain: false } }, status: { phase: 'Pending' } }],
    ['set values stay', { spec: { mode: 'Block', size: 5, policy: { retain: true } } }, { spec: { mode: 'Block', size: 5, policy: { retain: true } }, status: { phase: 'Pending' } }],
    ['a missing object gets no defaults inside it', {}, { status: { phase: 'Pending' } }],
    ['null in a non-nullable field is defaulted', { spec: { mode: null } }, { spec: { mode: 'Filesystem', size: 1, policy: { retain: false } }, status: { phase: 'Pending' } }],
    ['null in a nullable field stays', { spec: { size: null } }, { spec: { mode: 'Filesystem', size: null, policy: { retain: false } }, status: { phase: 'Pending' } }],
    ['null without default or nullable is dropped', { spec: { note: null } }, { spec: { mode: 'Filesystem', size: 1, policy: { retain: false } }, status: { phase: 'Pending' } }],
    ['list items and map values', { spec: { items: [{}, { weight: 3 }], tags: { a: {} } } }, { spec: { mode: 'Filesystem', size: 1, policy: { retain: false }, items: [{ weight: 10 }, { weight: 3 }], tags: { a: { v: 'x' } } }, status: { phase: 'Pending' } }],
  ])('%s', (_name, obj, expected) => {
    expect(applyDefaults(obj, withDefaults)).toEqual(expected);
  });

  it('never changes its input; defaults are copies', () => {
    const obj = { spec: {} };
    const a = applyDefaults(obj, withDefaults) as { spec: { policy: object } };
    const b = applyDefaults(obj, withDefaults) as { spec: { policy: object } };
    expect(obj).toEqual({ spec: {} });
    expect(a.spec.policy).not.toBe(b.spec.policy);
  });

  it('returns the same object when there is nothing to default', () => {
    const obj = { spec: { x: 1 } };
    expect(applyDefaults(obj, { type: 'object', properties: { spec: { type: 'object' } } })).toBe(obj);
  });
});
