// Reading and validating RBAC objects.
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '@/lib/k8s/types';
import { parseRbacObject, validateRbacObject } from './policy';
import { clusterRole, clusterRoleBinding, groupSubject, role, roleBinding, saSubject, userSubject } from './testing';

describe('parseRbacObject', () => {
  it('keeps what authorization uses and turns null lists into absent ones', () => {
    const parsed = parseRbacObject({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'r', namespace: 'a', uid: 'u', labels: { x: 'y' } },
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: null, nonResourceURLs: [] }],
    });
    expect(parsed).toEqual({
      ok: true,
      value: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'a' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] },
    });
  });

  it.each<[unknown, string]>([
    [null, 'not an RBAC object'],
    [{ kind: 'Pod', metadata: { name: 'p' } }, 'not an RBAC object: kind "Pod"'],
    [{ kind: 'ClusterRole', metadata: {} }, 'invalid ClusterRole at metadata.name'],
    [{ kind: 'ClusterRole', metadata: { name: 'c' }, rules: [{ verbs: 'get' }] }, 'invalid ClusterRole at rules[0].verbs'],
    [{ kind: 'RoleBinding', metadata: { name: 'b', namespace: 'a' } }, 'invalid RoleBinding at roleRef'],
    [{ kind: 'Role', metadata: { name: 'r' } }, 'metadata.namespace is required'],
  ])('refuses %j', (obj, error) => {
    const parsed = parseRbacObject(obj);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(error);
  });
});

describe('validateRbacObject', () => {
  it.each<[string, K8sObject, { field: string; reason: string }[]]>([
    ['a valid Role', role('a', 'r', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]), []],
    ['a valid ClusterRole with URLs', clusterRole('c', [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }]), []],
    ['a valid binding', roleBinding('a', 'b', { kind: 'Role', name: 'r' }, [userSubject('u'), groupSubject('g'), saSubject('s')]), []],
    ['a rule without verbs', clusterRole('c', [{ verbs: [], apiGroups: [''], resources: ['pods'] }]), [{ field: 'rules[0].verbs', reason: 'FieldValueRequired' }]],
    ['a rule without groups or resources', clusterRole('c', [{ verbs: ['get'] }]), [
      { field: 'rules[0].apiGroups', reason: 'FieldValueRequired' },
      { field: 'rules[0].resources', reason: 'FieldValueRequired' },
    ]],
    ['URLs in a Role', role('a', 'r', [{ verbs: ['get'], nonResourceURLs: ['/x'] }]), [{ field: 'rules[0].nonResourceURLs', reason: 'FieldValueInvalid' }]],
    ['URLs mixed with resources', clusterRole('c', [{ verbs: ['get'], nonResourceURLs: ['/x'], apiGroups: [''], resources: ['pods'] }]), [{ field: 'rules[0].nonResourceURLs', reason: 'FieldValueInvalid' }]],
    ['a Role in a ClusterRoleBinding', clusterRoleBinding('b', 'r', [userSubject('u')], 'Role'), [{ field: 'roleRef.kind', reason: 'FieldValueNotSupported' }]],
    ['a roleRef of another group', { ...roleBinding('a', 'b', { kind: 'Role', name: 'r' }, []), roleRef: { apiGroup: 'x', kind: 'Role', name: 'r' } }, [{ field: 'roleRef.apiGroup', reason: 'FieldValueNotSupported' }]],
    ['a roleRef without name', roleBinding('a', 'b', { kind: 'Role', name: '' }, []), [{ field: 'roleRef.name', reason: 'FieldValueRequired' }]],
    ['a ServiceAccount without namespace in a ClusterRoleBinding', clusterRoleBinding('b', 'c', [saSubject('s')]), [{ field: 'subjects[0].namespace', reason: 'FieldValueRequired' }]],
    ['a User without the RBAC group', clusterRoleBinding('b', 'c', [{ kind: 'User', name: 'u' }]), [{ field: 'subjects[0].apiGroup', reason: 'FieldValueNotSupported' }]],
    ['a subject of an unknown kind', clusterRoleBinding('b', 'c', [{ kind: 'Robot' as 'User', name: 'r' }]), [{ field: 'subjects[0].kind', reason: 'FieldValueNotSupported' }]],
    ['wrong JSON types', { kind: 'ClusterRole', metadata: { name: 'c' }, rules: [{ verbs: [1] }] }, [{ field: 'rules[0].verbs[0]', reason: 'FieldValueInvalid' }]],
  ])('%s', (_, obj, expected) => {
    expect(validateRbacObject(obj).map(({ field, reason }) => ({ field, reason }))).toEqual(expected);
  });

  it('words causes like kube-apiserver', () => {
    expect(validateRbacObject(clusterRole('c', [{ verbs: [], apiGroups: [''], resources: ['pods'] }]))).toEqual([
      { reason: 'FieldValueRequired', field: 'rules[0].verbs', message: 'Required value: verbs must contain at least one value' },
    ]);
    expect(validateRbacObject(clusterRoleBinding('b', 'r', [], 'Role'))[0]?.message).toBe('Unsupported value: "Role": supported values: "ClusterRole"');
  });

  it('refuses a change of roleRef on update', () => {
    const old = roleBinding('a', 'b', { kind: 'ClusterRole', name: 'view' }, []);
    expect(validateRbacObject(roleBinding('a', 'b', { kind: 'ClusterRole', name: 'view' }, [userSubject('u')]), { old })).toEqual([]);
    expect(validateRbacObject(roleBinding('a', 'b', { kind: 'ClusterRole', name: 'edit' }, []), { old })).toEqual([
      { reason: 'FieldValueInvalid', field: 'roleRef', message: 'Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"edit"}: cannot change roleRef' },
    ]);
  });
});
