// Escalation prevention: writing roles and bindings grants only what the writer holds, or may escalate/bind.
import { describe, expect, it } from 'vitest';
import { bootstrapPolicy } from './bootstrap';
import type { UserInfo } from './identity';
import type { RbacObject } from './policy';
import { RbacAuthorizer } from './rbac';
import { clusterRole, clusterRoleBinding, person, role, roleBinding, userSubject } from './testing';

const RBAC = 'rbac.authorization.k8s.io';
const authz = new RbacAuthorizer([
  ...bootstrapPolicy(),
  roleBinding('team', 'admins', { kind: 'ClusterRole', name: 'admin' }, [userSubject('alice')]),
  // bob may write roles in team (escalate included) but holds nothing else
  clusterRole('role-escalator', [{ apiGroups: [RBAC], resources: ['roles'], verbs: ['create', 'update', 'escalate'] }]),
  roleBinding('team', 'bob-escalate', { kind: 'ClusterRole', name: 'role-escalator' }, [userSubject('bob')]),
  // carol may bind exactly cluster-admin, in team
  clusterRole('bind-cluster-admin', [{ apiGroups: [RBAC], resources: ['clusterroles'], resourceNames: ['cluster-admin'], verbs: ['bind'] }]),
  roleBinding('team', 'carol-bind', { kind: 'ClusterRole', name: 'bind-cluster-admin' }, [userSubject('carol')]),
  // dave may create ClusterRoles but holds only configmap reads
  clusterRole('clusterrole-writer', [
    { apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['create'] },
    { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] },
  ]),
  clusterRoleBinding('dave-writer', 'clusterrole-writer', [userSubject('dave')]),
  roleBinding('team', 'dave-broken', { kind: 'Role', name: 'gone' }, [userSubject('dave')]),
]);

const alice = person('alice');
const bob = person('bob');
const carol = person('carol');
const dave = person('dave', 'devs');
const root: UserInfo = { username: 'kura-admin', groups: ['system:masters', 'system:authenticated'] };
const grantsEdit = (ns: string) => roleBinding(ns, 'x', { kind: 'ClusterRole', name: 'edit' }, [userSubject('mallory')]);
const secretsReader = (ns: string) => role(ns, 'secrets', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }]);

describe('checkBindingWrite and checkRoleWrite', () => {
  it.each<[string, UserInfo, RbacObject, string | undefined]>([
    ['namespace admin binds edit in its namespace', alice, grantsEdit('team'), undefined],
    ['namespace admin binds admin in its namespace', alice, roleBinding('team', 'x', { kind: 'ClusterRole', name: 'admin' }, [userSubject('m')]), undefined],
    ['namespace admin binds edit elsewhere', alice, grantsEdit('other'), 'attempting to grant RBAC permissions not currently held'],
    ['namespace admin binds view cluster-wide', alice, clusterRoleBinding('x', 'view', [userSubject('m')]), 'attempting to grant RBAC permissions not currently held'],
    ['namespace admin writes a Role it holds', alice, secretsReader('team'), undefined],
    ['namespace admin writes a Role elsewhere', alice, secretsReader('other'), '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}'],
    ['namespace admin writes a Role with quota writes', alice, role('team', 'q', [{ apiGroups: [''], resources: ['resourcequotas'], verbs: ['create', 'get'] }]), '{APIGroups:[""], Resources:["resourcequotas"], Verbs:["create"]}'],
    ['namespace admin writes a ClusterRole', alice, clusterRole('c', [{ apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get'] }]), 'not currently held'],
    ['escalate allows any Role in that namespace', bob, role('team', 'all', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]), undefined],
    ['escalate does not reach other namespaces', bob, role('other', 'all', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]), 'not currently held'],
    ['escalate on roles is not bind', bob, grantsEdit('team'), 'not currently held'],
    ['bind allows the named role', carol, roleBinding('team', 'x', { kind: 'ClusterRole', name: 'cluster-admin' }, [userSubject('m')]), undefined],
    ['bind of one role is not bind of another', carol, grantsEdit('team'), 'not currently held'],
    ['bind in a namespace is not cluster-wide', carol, clusterRoleBinding('x', 'cluster-admin', [userSubject('m')]), 'not currently held'],
    ['a binding to a missing role', alice, roleBinding('team', 'x', { kind: 'ClusterRole', name: 'nope' }, []), 'clusterrole.rbac.authorization.k8s.io "nope" not found'],
    ['a binding to a missing Role', alice, roleBinding('team', 'x', { kind: 'Role', name: 'nope' }, []), 'role.rbac.authorization.k8s.io "nope" not found'],
    ['a ClusterRole within what one holds', dave, clusterRole('c', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]), undefined],
    ['an aggregated ClusterRole needs full authority', dave, { ...clusterRole('agg', []), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] } }, 'must have cluster-admin privileges to use the aggregationRule'],
    ['system:masters writes anything', root, clusterRoleBinding('x', 'cluster-admin', [userSubject('m')]), undefined],
    ['system:masters, even to a missing role', root, roleBinding('team', 'x', { kind: 'Role', name: 'nope' }, []), undefined],
  ])('%s', (_, user, obj, refusal) => {
    const result = obj.kind === 'Role' || obj.kind === 'ClusterRole' ? authz.checkRoleWrite(user, obj) : authz.checkBindingWrite(user, obj);
    if (refusal === undefined) expect(result).toBeUndefined();
    else expect(result).toContain(refusal);
  });

  it('words the refusal like kube-apiserver, listing each missing rule once, sorted', () => {
    expect(authz.checkBindingWrite(alice, roleBinding('team', 'x', { kind: 'ClusterRole', name: 'cluster-admin' }, [userSubject('m')]))).toBe(
      'user "alice" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:["*"], Resources:["*"], Verbs:["*"]}\n' +
        '{NonResourceURLs:["*"], Verbs:["*"]}',
    );
  });

  it('mentions roles it could not resolve', () => {
    expect(authz.checkEscalation(dave, [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], 'team')).toBe(
      'user "dave" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
        '{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}; resolution errors: [role.rbac.authorization.k8s.io "gone" not found]',
    );
  });

  it('refuses objects it cannot read and objects of the wrong kind', () => {
    expect(authz.checkRoleWrite(root, { kind: 'Role', metadata: { name: 'x' } })).toContain('metadata.namespace is required');
    expect(authz.checkRoleWrite(alice, grantsEdit('team'))).toBe('expected a Role or ClusterRole, not a RoleBinding');
    expect(authz.checkBindingWrite(alice, secretsReader('team'))).toBe('expected a RoleBinding or ClusterRoleBinding, not a Role');
  });
});

describe('checkEscalation', () => {
  it.each<[string, string | undefined, boolean]>([
    ['namespace rules in the namespace', 'team', true],
    ['namespace rules cluster-wide', undefined, false],
    ['namespace rules elsewhere', 'other', false],
  ])('%s', (_, namespace, covered) => {
    const rules = [{ apiGroups: ['kubevirt.io'], resources: ['virtualmachines'], verbs: ['get', 'delete'] }];
    expect(authz.checkEscalation(alice, rules, namespace) === undefined).toBe(covered);
  });

  it('allows an empty rule list to anyone', () => {
    expect(authz.checkEscalation(person('nobody'), [])).toBeUndefined();
  });

  it('counts discovery rules everyone holds', () => {
    expect(authz.checkEscalation(person('nobody'), [{ nonResourceURLs: ['/version'], verbs: ['get'] }])).toBeUndefined();
    expect(authz.checkEscalation(person('nobody'), [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }])).toContain('{NonResourceURLs:["/metrics"], Verbs:["get"]}');
  });
});
