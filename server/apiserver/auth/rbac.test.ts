// RbacAuthorizer: which bindings grant what, keeping its index current, rules reviews and access reviews.
import { describe, expect, it } from 'vitest';
import type { Attributes } from './attributes';
import { serviceAccountUser, type UserInfo } from './identity';
import { RbacAuthorizer } from './rbac';
import { can, canPath, clusterRole, clusterRoleBinding, groupSubject, person, role, roleBinding, saSubject, userSubject } from './testing';

const READ = ['get', 'list', 'watch'];

const policy = [
  clusterRole('pvc-reader', [{ apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: READ }]),
  clusterRole('vm-starter', [{ apiGroups: ['subresources.kubevirt.io'], resources: ['virtualmachines/start'], verbs: ['update'] }]),
  clusterRole('metrics', [{ nonResourceURLs: ['/metrics', '/debug/*'], verbs: ['get'] }]),
  // list and create are listed to show that resourceNames still keep them from matching
  clusterRole('one-config', [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['get', 'list', 'create', 'update'] }]),
  clusterRole('status-reader', [{ apiGroups: ['*'], resources: ['*/status'], verbs: ['get'] }]),
  clusterRole('everything', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
  role('ns-a', 'dv-writer', [{ apiGroups: ['cdi.kubevirt.io'], resources: ['datavolumes'], verbs: ['create'] }]),
  roleBinding('ns-a', 'alice-pvc', { kind: 'ClusterRole', name: 'pvc-reader' }, [userSubject('alice')]),
  roleBinding('ns-a', 'alice-dv', { kind: 'Role', name: 'dv-writer' }, [userSubject('alice')]),
  roleBinding('ns-b', 'alice-dv', { kind: 'Role', name: 'dv-writer' }, [userSubject('alice')]), // no such Role in ns-b
  roleBinding('ns-a', 'alice-metrics', { kind: 'ClusterRole', name: 'metrics' }, [userSubject('alice')]), // URLs need a ClusterRoleBinding
  clusterRoleBinding('devs-start', 'vm-starter', [groupSubject('devs')]),
  clusterRoleBinding('bob-metrics', 'metrics', [userSubject('bob')]),
  roleBinding('ns-a', 'carol-settings', { kind: 'ClusterRole', name: 'one-config' }, [userSubject('carol')]),
  roleBinding('ns-a', 'builder', { kind: 'ClusterRole', name: 'pvc-reader' }, [saSubject('builder')]),
  roleBinding('ns-a', 'ns-b-robots', { kind: 'ClusterRole', name: 'pvc-reader' }, [groupSubject('system:serviceaccounts:ns-b')]),
  clusterRoleBinding('ghost', 'pvc-reader', [saSubject('ghost')]), // no namespace to find the ServiceAccount in
  clusterRoleBinding('ci-status', 'status-reader', [saSubject('ci', 'ci')]),
  clusterRoleBinding('dave-missing', 'no-such-role', [userSubject('dave')]),
  roleBinding('ns-a', 'dave-missing', { kind: 'Role', name: 'no-such-role' }, [userSubject('dave')]),
  clusterRoleBinding('erin-role', 'dv-writer', [userSubject('erin')], 'Role'), // a ClusterRoleBinding cannot use a Role
  clusterRoleBinding('ops', 'everything', [groupSubject('ops'), userSubject('olivia')]),
];

const alice = person('alice');
const bob = person('bob');
const carol = person('carol');
const dave = person('dave');
const erin = person('erin');
const frank = person('frank', 'devs');
const oscar = person('oscar', 'ops');
const olivia = person('olivia', 'ops');
const root = { username: 'root', groups: ['system:masters'] };
const builder = serviceAccountUser('ns-a', 'builder');
const robot = serviceAccountUser('ns-b', 'robot');
const ci = serviceAccountUser('ci', 'ci');
const ghost = serviceAccountUser('default', 'ghost');

const start = (user: UserInfo, namespace: string, subresource = 'start'): Attributes =>
  can(user, 'update', 'subresources.kubevirt.io/virtualmachines', { namespace, name: 'vm1', subresource });

describe('authorize', () => {
  const authz = new RbacAuthorizer(policy);

  it.each<[string, Attributes, boolean, string?]>([
    ['RoleBinding to a ClusterRole, in its namespace', can(alice, 'get', 'persistentvolumeclaims', { namespace: 'ns-a', name: 'p' }), true, 'RBAC: allowed by RoleBinding "alice-pvc/ns-a" of ClusterRole "pvc-reader" to User "alice"'],
    ['RoleBinding, another namespace', can(alice, 'get', 'persistentvolumeclaims', { namespace: 'ns-b' }), false],
    ['RoleBinding, cluster scope', can(alice, 'list', 'persistentvolumeclaims'), false],
    ['RoleBinding, a verb the role lacks', can(alice, 'delete', 'persistentvolumeclaims', { namespace: 'ns-a', name: 'p' }), false],
    ['RoleBinding to a Role', can(alice, 'create', 'cdi.kubevirt.io/datavolumes', { namespace: 'ns-a' }), true, 'RBAC: allowed by RoleBinding "alice-dv/ns-a" of Role "dv-writer" to User "alice"'],
    ['RoleBinding to a Role missing in its namespace', can(alice, 'create', 'cdi.kubevirt.io/datavolumes', { namespace: 'ns-b' }), false],
    ['URL through a RoleBinding', canPath(alice, 'get', '/metrics'), false],
    ['URL through a ClusterRoleBinding', canPath(bob, 'get', '/metrics'), true, 'RBAC: allowed by ClusterRoleBinding "bob-metrics" of ClusterRole "metrics" to User "bob"'],
    ['URL prefix', canPath(bob, 'get', '/debug/pprof/heap'), true],
    ['URL, another verb', canPath(bob, 'post', '/metrics'), false],
    ['URL not listed', canPath(bob, 'get', '/metrics/cadvisor'), false],
    ['group binding, subresource', start(frank, 'anywhere'), true, 'RBAC: allowed by ClusterRoleBinding "devs-start" of ClusterRole "vm-starter" to Group "devs"'],
    ['group binding, another subresource', start(frank, 'anywhere', 'stop'), false],
    ['subresource rule does not grant the resource', can(frank, 'update', 'kubevirt.io/virtualmachines', { namespace: 'x', name: 'vm1' }), false],
    ['user not in the group', start(alice, 'ns-a'), false],
    ['resourceNames, the named object', can(carol, 'update', 'configmaps', { namespace: 'ns-a', name: 'settings' }), true],
    ['resourceNames, another object', can(carol, 'get', 'configmaps', { namespace: 'ns-a', name: 'other' }), false],
    ['resourceNames, list', can(carol, 'list', 'configmaps', { namespace: 'ns-a' }), false],
    ['resourceNames, create', can(carol, 'create', 'configmaps', { namespace: 'ns-a' }), false],
    ['ServiceAccount subject, namespace from the binding', can(builder, 'list', 'persistentvolumeclaims', { namespace: 'ns-a' }), true, 'RBAC: allowed by RoleBinding "builder/ns-a" of ClusterRole "pvc-reader" to ServiceAccount "builder/ns-a"'],
    ['ServiceAccount subject, another namespace', can(builder, 'list', 'persistentvolumeclaims', { namespace: 'ns-b' }), false],
    ['a user named like the ServiceAccount', can(person('system:serviceaccount:ns-a:builder'), 'list', 'persistentvolumeclaims', { namespace: 'ns-a' }), true],
    ['ServiceAccount of another namespace with the same name', can(serviceAccountUser('ns-b', 'builder'), 'list', 'persistentvolumeclaims', { namespace: 'ns-a' }), true, 'RBAC: allowed by RoleBinding "ns-b-robots/ns-a" of ClusterRole "pvc-reader" to Group "system:serviceaccounts:ns-b"'],
    ['ServiceAccounts group of a namespace', can(robot, 'get', 'persistentvolumeclaims', { namespace: 'ns-a', name: 'p' }), true],
    ['ServiceAccount subject without namespace in a ClusterRoleBinding', can(ghost, 'list', 'persistentvolumeclaims', { namespace: 'default' }), false],
    ['*/status, any group, any namespace', can(ci, 'get', 'kubevirt.io/virtualmachines', { namespace: 'x', name: 'v', subresource: 'status' }), true, 'RBAC: allowed by ClusterRoleBinding "ci-status" of ClusterRole "status-reader" to ServiceAccount "ci/ci"'],
    ['*/status, not the object', can(ci, 'get', 'kubevirt.io/virtualmachines', { namespace: 'x', name: 'v' }), false],
    ['binding to a missing ClusterRole or Role', can(dave, 'get', 'persistentvolumeclaims', { namespace: 'ns-a' }), false],
    ['ClusterRoleBinding to a Role', can(erin, 'create', 'cdi.kubevirt.io/datavolumes', { namespace: 'ns-a' }), false],
    ['wildcards, cluster scope', can(oscar, 'delete', 'namespaces', { name: 'ns-a' }), true, 'RBAC: allowed by ClusterRoleBinding "ops" of ClusterRole "everything" to Group "ops"'],
    ['wildcards, a custom group', can(oscar, 'deletecollection', 'example.com/widgets', { namespace: 'x' }), true],
    ['the subject listed first is named', can(olivia, 'get', 'secrets', { namespace: 'x' }), true, 'RBAC: allowed by ClusterRoleBinding "ops" of ClusterRole "everything" to Group "ops"'],
    ['resource wildcards grant no URLs', canPath(oscar, 'get', '/healthz'), false],
    ['system:masters, without any binding', can(root, 'escalate', 'rbac.authorization.k8s.io/clusterroles', { name: 'x' }), true, ''],
    ['system:masters, URLs', canPath(root, 'get', '/metrics'), true, ''],
    ['a user called system:masters is not the group', can(person('system:masters'), 'get', 'secrets', { namespace: 'x' }), false],
    ['a stranger', can(person('mallory'), 'get', 'persistentvolumeclaims', { namespace: 'ns-a' }), false],
  ])('%s', (_, attrs, allowed, reason) => {
    const decision = authz.authorize(attrs);
    expect(decision.allowed).toBe(allowed);
    expect(decision.reason).toBe(allowed ? (reason ?? decision.reason) : '');
  });

  it('ignores the namespace of non-resource requests', () => {
    expect(authz.authorize({ ...canPath(alice, 'get', '/metrics'), namespace: 'ns-a' }).allowed).toBe(false);
  });
});

describe('keeping the policy current', () => {
  const pvc = can(alice, 'get', 'persistentvolumeclaims', { namespace: 'ns-a', name: 'p' });

  it('follows bindings being removed and added back', () => {
    const authz = new RbacAuthorizer(policy);
    expect(authz.remove(roleBinding('ns-a', 'alice-pvc', { kind: 'ClusterRole', name: 'x' }, []))).toBe(true);
    expect(authz.authorize(pvc).allowed).toBe(false);
    expect(authz.remove({ kind: 'RoleBinding', metadata: { name: 'alice-pvc', namespace: 'ns-a' } })).toBe(false);
    expect(authz.upsert(policy[7])).toBeUndefined();
    expect(authz.authorize(pvc).allowed).toBe(true);
  });

  it('re-indexes a binding whose subjects change', () => {
    const authz = new RbacAuthorizer(policy);
    authz.upsert(roleBinding('ns-a', 'alice-pvc', { kind: 'ClusterRole', name: 'pvc-reader' }, [userSubject('zoe')]));
    expect(authz.authorize(pvc).allowed).toBe(false);
    expect(authz.authorize({ ...pvc, user: person('zoe') }).allowed).toBe(true);
  });

  it('resolves roles when asked, so a role created after its binding takes effect', () => {
    const authz = new RbacAuthorizer([roleBinding('ns-a', 'b', { kind: 'Role', name: 'later' }, [userSubject('alice')])]);
    const attrs = can(alice, 'list', 'configmaps', { namespace: 'ns-a' });
    expect(authz.authorize(attrs).allowed).toBe(false);
    authz.upsert(role('ns-a', 'later', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }]));
    expect(authz.authorize(attrs).allowed).toBe(true);
    authz.remove(role('ns-a', 'later', []));
    expect(authz.authorize(attrs).allowed).toBe(false);
  });

  it('drops the previous version when an update is unreadable', () => {
    const authz = new RbacAuthorizer(policy);
    const problem = authz.upsert({ kind: 'ClusterRole', metadata: { name: 'pvc-reader' }, rules: 'everything' });
    expect(problem).toContain('invalid ClusterRole at rules');
    expect(authz.authorize(pvc).allowed).toBe(false);
  });

  it('says why it ignores objects of other kinds', () => {
    const authz = new RbacAuthorizer();
    expect(authz.upsert({ kind: 'ConfigMap', metadata: { name: 'x' } })).toContain('not an RBAC object');
    expect(authz.upsert({ kind: 'RoleBinding', metadata: { name: 'x' }, roleRef: { kind: 'Role', name: 'r' } })).toContain('metadata.namespace is required');
    expect(authz.remove(null)).toBe(false);
  });

  it('accepts Go-style nulls for empty lists', () => {
    const authz = new RbacAuthorizer([
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: null }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' }, subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io', namespace: null }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'empty' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' }, subjects: null },
    ]);
    expect(authz.authorize(can(alice, 'get', 'configmaps', { namespace: 'x', name: 'c' })).allowed).toBe(true);
  });

  it('reset replaces everything', () => {
    const authz = new RbacAuthorizer(policy);
    expect(authz.reset([clusterRole('r', []), { kind: 'Pod' }])).toEqual(['not an RBAC object with a name: kind "Pod"']);
    expect(authz.authorize(pvc).allowed).toBe(false);
    expect(authz.authorize(can(oscar, 'get', 'secrets', { namespace: 'x' })).allowed).toBe(false);
  });

  it('finds the few bindings that matter among many', () => {
    const many: unknown[] = [clusterRole('pvc-reader', [{ apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: READ }])];
    for (let i = 0; i < 5000; i++) many.push(roleBinding(`ns-${i % 50}`, `b-${i}`, { kind: 'ClusterRole', name: 'pvc-reader' }, [userSubject(`user-${i}`)]));
    const authz = new RbacAuthorizer(many);
    expect(authz.authorize(can(person('user-4321'), 'list', 'persistentvolumeclaims', { namespace: 'ns-21' })).reason).toBe(
      'RBAC: allowed by RoleBinding "b-4321/ns-21" of ClusterRole "pvc-reader" to User "user-4321"',
    );
    expect(authz.authorize(can(person('user-4321'), 'list', 'persistentvolumeclaims', { namespace: 'ns-22' })).allowed).toBe(false);
  });
});

describe('rulesFor', () => {
  const authz = new RbacAuthorizer(policy);

  it('lists the rules of cluster bindings and of the namespace, without URLs granted through RoleBindings', () => {
    expect(authz.rulesFor(alice, 'ns-a')).toEqual({
      resourceRules: [
        { verbs: ['create'], apiGroups: ['cdi.kubevirt.io'], resources: ['datavolumes'] },
        { verbs: READ, apiGroups: [''], resources: ['persistentvolumeclaims'] },
      ],
      nonResourceRules: [],
      incomplete: false,
    });
  });

  it('lists URLs and resourceNames', () => {
    expect(authz.rulesFor(bob, 'ns-a')).toEqual({ resourceRules: [], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/metrics', '/debug/*'] }], incomplete: false });
    expect(authz.rulesFor(carol, 'ns-a').resourceRules).toEqual([{ verbs: ['get', 'list', 'create', 'update'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] }]);
  });

  it('says the list is incomplete when a bound role is missing', () => {
    expect(authz.rulesFor(alice, 'ns-b')).toEqual({
      resourceRules: [],
      nonResourceRules: [],
      incomplete: true,
      evaluationError: 'role.rbac.authorization.k8s.io "dv-writer" not found',
    });
    expect(authz.rulesFor(dave, 'ns-a').evaluationError).toBe(
      'clusterrole.rbac.authorization.k8s.io "no-such-role" not found, role.rbac.authorization.k8s.io "no-such-role" not found',
    );
  });

  it('cluster scope only without a namespace', () => {
    expect(authz.rulesFor(alice)).toEqual({ resourceRules: [], nonResourceRules: [], incomplete: false });
    expect(authz.rulesFor(frank).resourceRules).toEqual([{ verbs: ['update'], apiGroups: ['subresources.kubevirt.io'], resources: ['virtualmachines/start'] }]);
  });

  it('hands out copies', () => {
    authz.rulesFor(alice, 'ns-a').resourceRules[0]!.verbs.push('delete');
    expect(authz.authorize(can(alice, 'delete', 'cdi.kubevirt.io/datavolumes', { namespace: 'ns-a', name: 'd' })).allowed).toBe(false);
  });
});

describe('subjectAccessReview', () => {
  const authz = new RbacAuthorizer(policy);
  it.each([
    [can(alice, 'list', 'persistentvolumeclaims', { namespace: 'ns-a' }), { allowed: true, reason: 'RBAC: allowed by RoleBinding "alice-pvc/ns-a" of ClusterRole "pvc-reader" to User "alice"' }],
    [can(alice, 'list', 'persistentvolumeclaims', { namespace: 'ns-b' }), { allowed: false }],
    [canPath(root, 'get', '/anything'), { allowed: true }],
  ])('%#', (attrs, status) => {
    expect(authz.subjectAccessReview(attrs)).toEqual(status);
  });
});
