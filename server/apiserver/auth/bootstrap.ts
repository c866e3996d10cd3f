// A fresh cluster's ClusterRoles and bindings: Kubernetes' defaults, extended to the KubeVirt, CDI and snapshot kinds Kura serves.
import { AUTHENTICATED_GROUP, SYSTEM_MASTERS, UNAUTHENTICATED_GROUP } from './identity';
import { type ClusterRole, type ClusterRoleBinding, type PolicyRule, RBAC_API_VERSION, RBAC_GROUP } from './policy';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

const rule = (apiGroups: string[], resources: string[], verbs: string[]): PolicyRule => ({ apiGroups, resources, verbs });
const urls = (nonResourceURLs: string[], verbs: string[]): PolicyRule => ({ nonResourceURLs, verbs });

// Marks objects the server owns and may overwrite on upgrade, as kube-apiserver does.
const bootstrapMetadata = (name: string) => ({
  name,
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
});

function clusterRole(name: string, rules: PolicyRule[]): ClusterRole {
  return { apiVersion: RBAC_API_VERSION, kind: 'ClusterRole', metadata: bootstrapMetadata(name), rules };
}

function bindToGroups(name: string, role: string, groups: string[]): ClusterRoleBinding {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: bootstrapMetadata(name),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
    subjects: groups.map((g) => ({ kind: 'Group', apiGroup: RBAC_GROUP, name: g })),
  };
}

// view: read what lives in a namespace, except Secrets (reading a ServiceAccount's token secret
// would be a way to act as it). The cluster-scoped kinds listed only matter when view is bound
// with a ClusterRoleBinding, as for namespaces in Kubernetes' own view role.
const viewRules: PolicyRule[] = [
  rule([''], ['configmaps', 'events', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'serviceaccounts'], READ),
  rule([''], ['resourcequotas', 'resourcequotas/status', 'namespaces', 'namespaces/status'], READ),
  rule(['kubevirt.io'], ['virtualmachines', 'virtualmachineinstances', 'virtualmachineinstancemigrations'], READ),
  rule(['cdi.kubevirt.io'], ['datavolumes', 'datasources', 'storageprofiles'], READ),
  // CDI authorizes a clone by asking whether the user may create datavolumes/source in the
  // source namespace; reading a namespace's volumes is enough to copy them.
  rule(['cdi.kubevirt.io'], ['datavolumes/source'], ['create']),
  rule(['snapshot.storage.k8s.io'], ['volumesnapshots', 'volumesnapshots/status'], READ),
  rule(['snapshot.kubevirt.io'], ['virtualmachinesnapshots', 'virtualmachinesnapshotcontents', 'virtualmachinerestores'], READ),
  rule(
    ['instancetype.kubevirt.io'],
    ['virtualmachineinstancetypes', 'virtualmachinepreferences', 'virtualmachineclusterinstancetypes', 'virtualmachineclusterpreferences'],
    READ,
  ),
];

// edit: view, plus Secrets and writes to workloads and storage claims, VM actions, consoles and
// uploads. No Role/RoleBinding writes, no ResourceQuota or Namespace writes.
const editRules: PolicyRule[] = [
  ...viewRules,
  rule([''], ['secrets'], READ),
  rule([''], ['configmaps', 'events', 'persistentvolumeclaims', 'secrets', 'serviceaccounts'], WRITE),
  rule([''], ['serviceaccounts'], ['impersonate']),
  rule(['kubevirt.io'], ['virtualmachines', 'virtualmachineinstances', 'virtualmachineinstancemigrations'], WRITE),
  // KubeVirt's actions are PUTs on subresources; VNC and serial consoles are GETs that upgrade to websockets.
  rule(
    ['subresources.kubevirt.io'],
    ['virtualmachines/start', 'virtualmachines/stop', 'virtualmachines/restart', 'virtualmachines/migrate', 'virtualmachineinstances/pause', 'virtualmachineinstances/unpause'],
    ['update'],
  ),
  rule(['subresources.kubevirt.io'], ['virtualmachineinstances/vnc', 'virtualmachineinstances/console'], ['get']),
  rule(['cdi.kubevirt.io'], ['datavolumes', 'datasources'], WRITE),
  rule(['upload.cdi.kubevirt.io'], ['uploadtokenrequests'], ['create']),
  rule(['snapshot.storage.k8s.io'], ['volumesnapshots'], WRITE),
  rule(['snapshot.kubevirt.io'], ['virtualmachinesnapshots', 'virtualmachinesnapshotcontents', 'virtualmachinerestores'], WRITE),
  rule(['instancetype.kubevirt.io'], ['virtualmachineinstancetypes', 'virtualmachinepreferences'], WRITE),
];

// admin: edit, plus granting access inside the namespace. Binding a role still requires holding
// its rules (or `bind`), so a namespace admin can hand out view/edit/admin but not cluster-admin.
const adminRules: PolicyRule[] = [
  ...editRules,
  rule([RBAC_GROUP], ['roles', 'rolebindings'], [...READ, ...WRITE]),
  rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
];

const DISCOVERY_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/openapi', '/openapi/*', '/version', '/version/', '/healthz', '/livez', '/readyz'];
const PUBLIC_INFO_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

/** A fresh cluster's ClusterRoles and ClusterRoleBindings (new objects on every call). */
export function bootstrapPolicy(): (ClusterRole | ClusterRoleBinding)[] {
  const roles = [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
    clusterRole('admin', adminRules),
    clusterRole('edit', editRules),
    clusterRole('view', viewRules),
    clusterRole('system:basic-user', [
      rule(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']),
      rule(['authentication.k8s.io'], ['selfsubjectreviews'], ['create']),
    ]),
    clusterRole('system:discovery', [urls(DISCOVERY_URLS, ['get'])]),
    clusterRole('system:public-info-viewer', [urls(PUBLIC_INFO_URLS, ['get'])]),
    // A self-service user choosing where to put a disk must see which classes and sizes exist.
    clusterRole('kura:storage-and-instancetype-reader', [
      rule(['storage.k8s.io'], ['storageclasses', 'csistoragecapacities'], READ),
      rule(['snapshot.storage.k8s.io'], ['volumesnapshotclasses'], READ),
      rule(['instancetype.kubevirt.io'], ['virtualmachineclusterinstancetypes', 'virtualmachineclusterpreferences'], READ),
      rule(['cdi.kubevirt.io'], ['storageprofiles'], READ),
    ]),
  ];
  const bindings = [
    bindToGroups('cluster-admin', 'cluster-admin', [SYSTEM_MASTERS]),
    bindToGroups('system:basic-user', 'system:basic-user', [AUTHENTICATED_GROUP]),
    bindToGroups('system:discovery', 'system:discovery', [AUTHENTICATED_GROUP]),
    bindToGroups('system:public-info-viewer', 'system:public-info-viewer', [AUTHENTICATED_GROUP, UNAUTHENTICATED_GROUP]),
    bindToGroups('kura:storage-and-instancetype-reader', 'kura:storage-and-instancetype-reader', [AUTHENTICATED_GROUP]),
  ];
  // structuredClone: callers may mutate (defaulting, resourceVersion) without touching the shared rule lists.
  return structuredClone([...roles, ...bindings]);
}
