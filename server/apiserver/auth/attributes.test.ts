// 403 wording and access-review specs.
import { describe, expect, it } from 'vitest';
import { type Attributes, attributesFromReviewSpec, forbiddenMessage, forbiddenStatus } from './attributes';
import { anonymousUser } from './identity';
import { can, canPath, person } from './testing';

const alice = person('alice');

describe('forbiddenMessage', () => {
  it.each<[Attributes, string, string]>([
    [
      can(alice, 'list', 'persistentvolumeclaims', { namespace: 'default' }),
      '',
      'persistentvolumeclaims is forbidden: User "alice" cannot list resource "persistentvolumeclaims" in API group "" in the namespace "default"',
    ],
    [
      can(alice, 'get', 'persistentvolumeclaims', { namespace: 'default', name: 'disk' }),
      '',
      'persistentvolumeclaims "disk" is forbidden: User "alice" cannot get resource "persistentvolumeclaims" in API group "" in the namespace "default"',
    ],
    [
      can(alice, 'list', 'storage.k8s.io/storageclasses'),
      '',
      'storageclasses.storage.k8s.io is forbidden: User "alice" cannot list resource "storageclasses" in API group "storage.k8s.io" at the cluster scope',
    ],
    [
      can(alice, 'update', 'subresources.kubevirt.io/virtualmachines', { namespace: 'ns', name: 'vm1', subresource: 'start' }),
      '',
      'virtualmachines.subresources.kubevirt.io "vm1" is forbidden: User "alice" cannot update resource "virtualmachines/start" in API group "subresources.kubevirt.io" in the namespace "ns"',
    ],
    [canPath(person('x'), 'get', '/metrics'), '', 'forbidden: User "x" cannot get path "/metrics"'],
    [canPath(anonymousUser(), 'get', '/api'), '', 'forbidden: User "system:anonymous" cannot get path "/api"'],
    [
      can(alice, 'create', 'rbac.authorization.k8s.io/rolebindings', { namespace: 'team' }),
      'some reason',
      'rolebindings.rbac.authorization.k8s.io is forbidden: User "alice" cannot create resource "rolebindings" in API group "rbac.authorization.k8s.io" in the namespace "team": some reason',
    ],
    [can(person('we"ird'), 'get', 'secrets', { namespace: 'a' }), '', 'secrets is forbidden: User "we\\"ird" cannot get resource "secrets" in API group "" in the namespace "a"'],
  ])('%#: %s', (attrs, reason, message) => {
    expect(forbiddenMessage(attrs, reason)).toBe(message);
  });
});

describe('forbiddenStatus', () => {
  it('is a 403 Status with the resource in details.kind, as kube-apiserver sends it', () => {
    expect(forbiddenStatus(can(alice, 'delete', 'kubevirt.io/virtualmachines', { namespace: 'ns', name: 'vm1' }))).toEqual({
      apiVersion: 'v1',
      kind: 'Status',
      metadata: {},
      status: 'Failure',
      message: 'virtualmachines.kubevirt.io "vm1" is forbidden: User "alice" cannot delete resource "virtualmachines" in API group "kubevirt.io" in the namespace "ns"',
      reason: 'Forbidden',
      details: { name: 'vm1', group: 'kubevirt.io', kind: 'virtualmachines' },
      code: 403,
    });
    expect(forbiddenStatus(canPath(alice, 'get', '/metrics')).details).toEqual({});
  });
});

describe('attributesFromReviewSpec', () => {
  it.each([
    [
      { resourceAttributes: { namespace: 'a', verb: 'get', group: 'kubevirt.io', version: 'v1', resource: 'virtualmachines', name: 'vm1' } },
      { user: alice, verb: 'get', resourceRequest: true, apiGroup: 'kubevirt.io', apiVersion: 'v1', resource: 'virtualmachines', name: 'vm1', namespace: 'a' },
    ],
    [
      { resourceAttributes: { verb: 'update', group: 'subresources.kubevirt.io', resource: 'virtualmachines', subresource: 'start' } },
      { user: alice, verb: 'update', resourceRequest: true, apiGroup: 'subresources.kubevirt.io', resource: 'virtualmachines', subresource: 'start' },
    ],
    [{ resourceAttributes: { verb: 'list', resource: '*' } }, { user: alice, verb: 'list', resourceRequest: true, apiGroup: '', resource: '*' }],
    [{ nonResourceAttributes: { path: '/metrics', verb: 'get' } }, { user: alice, verb: 'get', resourceRequest: false, path: '/metrics' }],
    [{}, { error: 'exactly one of nonResourceAttributes or resourceAttributes must be specified' }],
    [{ resourceAttributes: {}, nonResourceAttributes: {} }, { error: 'exactly one of nonResourceAttributes or resourceAttributes must be specified' }],
  ])('%#', (spec, expected) => {
    expect(attributesFromReviewSpec(spec, alice)).toEqual(expected);
  });
});
