// The bootstrap policy: well-formed, marked as defaults, and what view/edit/admin/authenticated/anonymous get.
import { describe, expect, it } from 'vitest';
import type { Attributes } from './attributes';
import { bootstrapPolicy } from './bootstrap';
import { anonymousUser } from './identity';
import { validateRbacObject } from './policy';
import { RbacAuthorizer } from './rbac';
import { can, canPath, person, roleBinding, userSubject } from './testing';

describe('bootstrapPolicy', () => {
  it('has the usual ClusterRoles and bindings, each valid and marked as a default', () => {
    const objects = bootstrapPolicy();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ClusterRole/cluster-admin',
      'ClusterRole/admin',
      'ClusterRole/edit',
      'ClusterRole/view',
      'ClusterRole/system:basic-user',
      'ClusterRole/system:discovery',
      'ClusterRole/system:public-info-viewer',
      'ClusterRole/kura:storage-and-instancetype-reader',
      'ClusterRoleBinding/cluster-admin',
      'ClusterRoleBinding/system:basic-user',
      'ClusterRoleBinding/system:discovery',
      'ClusterRoleBinding/system:public-info-viewer',
      'ClusterRoleBinding/kura:storage-and-instancetype-reader',
    ]);
    for (const o of objects) {
      expect(validateRbacObject(o), o.metadata.name).toEqual([]);
      expect(o.metadata.labels).toEqual({ 'kubernetes.io/bootstrapping': 'rbac-defaults' });
      expect(o.metadata.annotations).toEqual({ 'rbac.authorization.kubernetes.io/autoupdate': 'true' });
    }
  });

  it('returns new objects each time, so a caller may change them', () => {
    const first = bootstrapPolicy();
    (first[3] as { rules: unknown[] }).rules.push({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
    expect(bootstrapPolicy()[3]).not.toEqual(first[3]);
  });
});

describe('what the bootstrap roles allow', () => {
  const viewer = person('viewer');
  const editor = person('editor');
  const nsAdmin = person('ns-admin');
  const someone = person('someone');
  const anonymous = anonymousUser();
  const root = { username: 'kura-admin', groups: ['system:masters', 'system:authenticated'] };
  const authz = new RbacAuthorizer([
    ...bootstrapPolicy(),
    roleBinding('team', 'viewers', { kind: 'ClusterRole', name: 'view' }, [userSubject('viewer')]),
    roleBinding('team', 'editors', { kind: 'ClusterRole', name: 'edit' }, [userSubject('editor')]),
    roleBinding('team', 'admins', { kind: 'ClusterRole', name: 'admin' }, [userSubject('ns-admin')]),
  ]);
  const inTeam = { namespace: 'team' };
  const vmAction = (user: typeof viewer, resource: string, subresource: string, verb = 'update'): Attributes =>
    can(user, verb, `subresources.kubevirt.io/${resource}`, { namespace: 'team', name: 'vm1', subresource });

  it.each<[string, Attributes, boolean]>([
    ['view: get a PVC', can(viewer, 'get', 'persistentvolumeclaims', { namespace: 'team', name: 'disk' }), true],
    ['view: watch VMs', can(viewer, 'watch', 'kubevirt.io/virtualmachines', inTeam), true],
    ['view: list DataVolumes', can(viewer, 'list', 'cdi.kubevirt.io/datavolumes', inTeam), true],
    ['view: list VolumeSnapshots', can(viewer, 'list', 'snapshot.storage.k8s.io/volumesnapshots', inTeam), true],
    ['view: get its namespace', can(viewer, 'get', 'namespaces', { namespace: 'team', name: 'team' }), true],
    // CDI's own view role has this: cloning a volume out of a namespace needs only read access there.
    ['view: clone from the namespace', can(viewer, 'create', 'cdi.kubevirt.io/datavolumes', { namespace: 'team', subresource: 'source' }), true],
    ['view: get secrets', can(viewer, 'get', 'secrets', { namespace: 'team', name: 's' }), false],
    ['view: list secrets', can(viewer, 'list', 'secrets', inTeam), false],
    ['view: create a PVC', can(viewer, 'create', 'persistentvolumeclaims', inTeam), false],
    ['view: delete a VM', can(viewer, 'delete', 'kubevirt.io/virtualmachines', { namespace: 'team', name: 'vm1' }), false],
    ['view: start a VM', vmAction(viewer, 'virtualmachines', 'start'), false],
    ['view: open VNC', vmAction(viewer, 'virtualmachineinstances', 'vnc', 'get'), false],
    ['view: another namespace', can(viewer, 'get', 'persistentvolumeclaims', { namespace: 'other', name: 'disk' }), false],
    ['edit: create a PVC', can(editor, 'create', 'persistentvolumeclaims', inTeam), true],
    ['edit: create a DataVolume', can(editor, 'create', 'cdi.kubevirt.io/datavolumes', inTeam), true],
    ['edit: start a VM', vmAction(editor, 'virtualmachines', 'start'), true],
    ['edit: stop a VM', vmAction(editor, 'virtualmachines', 'stop'), true],
    ['edit: migrate a VM', vmAction(editor, 'virtualmachines', 'migrate'), true],
    ['edit: pause a VMI', vmAction(editor, 'virtualmachineinstances', 'pause'), true],
    ['edit: open VNC', vmAction(editor, 'virtualmachineinstances', 'vnc', 'get'), true],
    ['edit: open the serial console', vmAction(editor, 'virtualmachineinstances', 'console', 'get'), true],
    ['edit: request an upload token', can(editor, 'create', 'upload.cdi.kubevirt.io/uploadtokenrequests', inTeam), true],
    ['edit: snapshot a volume', can(editor, 'create', 'snapshot.storage.k8s.io/volumesnapshots', inTeam), true],
    ['edit: restore a VM snapshot', can(editor, 'create', 'snapshot.kubevirt.io/virtualmachinerestores', inTeam), true],
    ['edit: read a secret', can(editor, 'get', 'secrets', { namespace: 'team', name: 's' }), true],
    ['edit: write snapshot status', can(editor, 'update', 'snapshot.storage.k8s.io/volumesnapshots', { namespace: 'team', name: 's', subresource: 'status' }), false],
    ['edit: create a RoleBinding', can(editor, 'create', 'rbac.authorization.k8s.io/rolebindings', inTeam), false],
    ['edit: create a Role', can(editor, 'create', 'rbac.authorization.k8s.io/roles', inTeam), false],
    ['edit: change a quota', can(editor, 'update', 'resourcequotas', { namespace: 'team', name: 'q' }), false],
    ['edit: delete its namespace', can(editor, 'delete', 'namespaces', { namespace: 'team', name: 'team' }), false],
    ['edit: another namespace', can(editor, 'create', 'persistentvolumeclaims', { namespace: 'other' }), false],
    ['admin: create a RoleBinding', can(nsAdmin, 'create', 'rbac.authorization.k8s.io/rolebindings', inTeam), true],
    ['admin: create a Role', can(nsAdmin, 'create', 'rbac.authorization.k8s.io/roles', inTeam), true],
    ['admin: delete a VM', can(nsAdmin, 'delete', 'kubevirt.io/virtualmachines', { namespace: 'team', name: 'vm1' }), true],
    ['admin: local access review', can(nsAdmin, 'create', 'authorization.k8s.io/localsubjectaccessreviews', inTeam), true],
    ['admin: a RoleBinding elsewhere', can(nsAdmin, 'create', 'rbac.authorization.k8s.io/rolebindings', { namespace: 'other' }), false],
    ['admin: a ClusterRoleBinding', can(nsAdmin, 'create', 'rbac.authorization.k8s.io/clusterrolebindings'), false],
    ['admin: create a quota', can(nsAdmin, 'create', 'resourcequotas', inTeam), false],
    ['admin: update its namespace', can(nsAdmin, 'update', 'namespaces', { namespace: 'team', name: 'team' }), false],
    ['authenticated: SelfSubjectAccessReview', can(someone, 'create', 'authorization.k8s.io/selfsubjectaccessreviews'), true],
    ['authenticated: SelfSubjectRulesReview', can(someone, 'create', 'authorization.k8s.io/selfsubjectrulesreviews'), true],
    ['authenticated: SelfSubjectReview', can(someone, 'create', 'authentication.k8s.io/selfsubjectreviews'), true],
    ['authenticated: discovery /api', canPath(someone, 'get', '/api'), true],
    ['authenticated: discovery of a group', canPath(someone, 'get', '/apis/kubevirt.io/v1'), true],
    ['authenticated: OpenAPI', canPath(someone, 'get', '/openapi/v3'), true],
    ['authenticated: /version', canPath(someone, 'get', '/version'), true],
    ['authenticated: StorageClasses', can(someone, 'list', 'storage.k8s.io/storageclasses'), true],
    ['authenticated: CSIStorageCapacities', can(someone, 'list', 'storage.k8s.io/csistoragecapacities', { namespace: 'kura-system' }), true],
    ['authenticated: VolumeSnapshotClasses', can(someone, 'watch', 'snapshot.storage.k8s.io/volumesnapshotclasses'), true],
    ['authenticated: cluster instancetypes', can(someone, 'list', 'instancetype.kubevirt.io/virtualmachineclusterinstancetypes'), true],
    ['authenticated: cluster preferences', can(someone, 'get', 'instancetype.kubevirt.io/virtualmachineclusterpreferences', { name: 'fedora' }), true],
    ['authenticated: StorageProfiles', can(someone, 'get', 'cdi.kubevirt.io/storageprofiles', { name: 'local' }), true],
    ['authenticated: create a StorageClass', can(someone, 'create', 'storage.k8s.io/storageclasses'), false],
    ['authenticated: PVCs', can(someone, 'list', 'persistentvolumeclaims', inTeam), false],
    ['authenticated: namespaces', can(someone, 'list', 'namespaces'), false],
    ['authenticated: /metrics', canPath(someone, 'get', '/metrics'), false],
    ['anonymous: /version', canPath(anonymous, 'get', '/version'), true],
    ['anonymous: /version/', canPath(anonymous, 'get', '/version/'), true],
    ['anonymous: /healthz', canPath(anonymous, 'get', '/healthz'), true],
    ['anonymous: /livez', canPath(anonymous, 'get', '/livez'), true],
    ['anonymous: /readyz', canPath(anonymous, 'get', '/readyz'), true],
    ['anonymous: post /healthz', canPath(anonymous, 'post', '/healthz'), false],
    ['anonymous: /healthz/etcd', canPath(anonymous, 'get', '/healthz/etcd'), false],
    ['anonymous: /api', canPath(anonymous, 'get', '/api'), false],
    ['anonymous: /apis', canPath(anonymous, 'get', '/apis'), false],
    ['anonymous: /openapi/v2', canPath(anonymous, 'get', '/openapi/v2'), false],
    ['anonymous: SelfSubjectAccessReview', can(anonymous, 'create', 'authorization.k8s.io/selfsubjectaccessreviews'), false],
    ['anonymous: StorageClasses', can(anonymous, 'list', 'storage.k8s.io/storageclasses'), false],
    ['anonymous: namespaces', can(anonymous, 'list', 'namespaces'), false],
    ['system:masters: delete a namespace', can(root, 'delete', 'namespaces', { name: 'team' }), true],
    ['system:masters: /metrics', canPath(root, 'get', '/metrics'), true],
  ])('%s', (_, attrs, allowed) => {
    expect(authz.authorize(attrs).allowed).toBe(allowed);
  });

  it('names the binding that allowed a request', () => {
    expect(authz.authorize(canPath(anonymous, 'get', '/healthz')).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "system:public-info-viewer" of ClusterRole "system:public-info-viewer" to Group "system:unauthenticated"',
    );
  });

  it('lets the admin group see everything in a rules review', () => {
    expect(authz.rulesFor(root, 'team')).toMatchObject({
      resourceRules: expect.arrayContaining([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]),
      nonResourceRules: expect.arrayContaining([{ verbs: ['*'], nonResourceURLs: ['*'] }]),
    });
  });
});
