// Field tables for the Kubernetes types kubectl's typed clients send as protobuf (create namespace, configmap,
// secret, serviceaccount, role(binding), clusterrole(binding), quota; auth can-i; auth whoami), in schema.ts's notation.
// Field numbers follow the upstream generated.proto files; JSON names and omitempty follow the Go types' JSON tags.
import { ProtobufDecodeError } from './errors';
import { defineMessages, type MessageDesc } from './schema';

/** Go's zero time.Time, which metav1.Time writes as JSON null. */
const GO_ZERO_TIME_SECONDS = -62135596800;

/** metav1.Time travels as seconds + nanos and is JSON as an RFC 3339 string in whole seconds (or null when zero). */
function timeToJson(t: Record<string, unknown>): string | null {
  const seconds = (t.seconds as number | undefined) ?? 0;
  const nanos = (t.nanos as number | undefined) ?? 0;
  if (t.seconds === undefined && t.nanos === undefined) return null; // an empty Time is how Go sends a zero one
  if (seconds === GO_ZERO_TIME_SECONDS && nanos === 0) return null;
  const date = new Date((seconds + Math.floor(nanos / 1e9)) * 1000);
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) throw new ProtobufDecodeError(`the protobuf body holds a time (${seconds} s) outside years 0–9999`);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const messages = defineMessages(
  {
    // The envelope after the `k8s\0` magic (k8s.io/apimachinery/pkg/runtime).
    Unknown: { 1: 'typeMeta TypeMeta', 2: 'raw bytes', 3: 'contentEncoding string', 4: 'contentType string' },
    TypeMeta: { 1: 'apiVersion string', 2: 'kind string' },

    // meta/v1 and resource.Quantity.
    Time: { 1: 'seconds int64', 2: 'nanos int32' },
    Quantity: { 1: 'string string' },
    FieldsV1: { 1: 'raw json' },
    ObjectMeta: {
      1: 'name string omitempty',
      2: 'generateName string omitempty',
      3: 'namespace string omitempty',
      4: 'selfLink string omitempty',
      5: 'uid string omitempty',
      6: 'resourceVersion string omitempty',
      7: 'generation int64 omitempty',
      8: 'creationTimestamp Time',
      9: 'deletionTimestamp Time',
      10: 'deletionGracePeriodSeconds int64',
      11: 'labels map<string>',
      12: 'annotations map<string>',
      13: 'ownerReferences []OwnerReference',
      14: 'finalizers []string',
      17: 'managedFields []ManagedFieldsEntry',
    },
    OwnerReference: { 1: 'kind string', 3: 'name string', 4: 'uid string', 5: 'apiVersion string', 6: 'controller bool', 7: 'blockOwnerDeletion bool' },
    ManagedFieldsEntry: {
      1: 'manager string omitempty',
      2: 'operation string omitempty',
      3: 'apiVersion string omitempty',
      4: 'time Time',
      6: 'fieldsType string omitempty',
      7: 'fieldsV1 FieldsV1',
      8: 'subresource string omitempty',
    },
    LabelSelector: { 1: 'matchLabels map<string>', 2: 'matchExpressions []LabelSelectorRequirement' },
    LabelSelectorRequirement: { 1: 'key string', 2: 'operator string', 3: 'values []string' },
    FieldSelectorRequirement: { 1: 'key string', 2: 'operator string', 3: 'values []string' },
    DeleteOptions: {
      1: 'gracePeriodSeconds int64',
      2: 'preconditions Preconditions',
      3: 'orphanDependents bool',
      4: 'propagationPolicy string',
      5: 'dryRun []string',
      6: 'ignoreStoreReadErrorWithClusterBreakingPotential bool',
    },
    Preconditions: { 1: 'uid string', 2: 'resourceVersion string' },

    // core/v1.
    Namespace: { 1: 'metadata ObjectMeta', 2: 'spec NamespaceSpec', 3: 'status NamespaceStatus' },
    NamespaceSpec: { 1: 'finalizers []string' },
    NamespaceStatus: { 1: 'phase string omitempty', 2: 'conditions []NamespaceCondition' },
    NamespaceCondition: { 1: 'type string', 2: 'status string', 4: 'lastTransitionTime Time', 5: 'reason string omitempty', 6: 'message string omitempty' },
    ConfigMap: { 1: 'metadata ObjectMeta', 2: 'data map<string>', 3: 'binaryData map<bytes>', 4: 'immutable bool' },
    Secret: { 1: 'metadata ObjectMeta', 2: 'data map<bytes>', 3: 'type string omitempty', 4: 'stringData map<string>', 5: 'immutable bool' },
    ServiceAccount: {
      1: 'metadata ObjectMeta',
      2: 'secrets []ObjectReference',
      3: 'imagePullSecrets []LocalObjectReference',
      4: 'automountServiceAccountToken bool',
    },
    ObjectReference: {
      1: 'kind string omitempty',
      2: 'namespace string omitempty',
      3: 'name string omitempty',
      4: 'uid string omitempty',
      5: 'apiVersion string omitempty',
      6: 'resourceVersion string omitempty',
      7: 'fieldPath string omitempty',
    },
    LocalObjectReference: { 1: 'name string omitempty' },
    ResourceQuota: { 1: 'metadata ObjectMeta', 2: 'spec ResourceQuotaSpec', 3: 'status ResourceQuotaStatus' },
    ResourceQuotaSpec: { 1: 'hard map<Quantity>', 2: 'scopes []string', 3: 'scopeSelector ScopeSelector' },
    ScopeSelector: { 1: 'matchExpressions []ScopedResourceSelectorRequirement' },
    ScopedResourceSelectorRequirement: { 1: 'scopeName string', 2: 'operator string', 3: 'values []string' },
    ResourceQuotaStatus: { 1: 'hard map<Quantity>', 2: 'used map<Quantity>' },

    // rbac.authorization.k8s.io/v1.
    Role: { 1: 'metadata ObjectMeta', 2: 'rules []PolicyRule' },
    ClusterRole: { 1: 'metadata ObjectMeta', 2: 'rules []PolicyRule', 3: 'aggregationRule AggregationRule' },
    AggregationRule: { 1: 'clusterRoleSelectors []LabelSelector' },
    RoleBinding: { 1: 'metadata ObjectMeta', 2: 'subjects []Subject', 3: 'roleRef RoleRef' },
    ClusterRoleBinding: { 1: 'metadata ObjectMeta', 2: 'subjects []Subject', 3: 'roleRef RoleRef' },
    PolicyRule: { 1: 'verbs []string', 2: 'apiGroups []string', 3: 'resources []string', 4: 'resourceNames []string', 5: 'nonResourceURLs []string' },
    Subject: { 1: 'kind string', 2: 'apiGroup string omitempty', 3: 'name string', 4: 'namespace string omitempty' },
    RoleRef: { 1: 'apiGroup string', 2: 'kind string', 3: 'name string' },

    // authorization.k8s.io/v1.
    SelfSubjectAccessReview: { 1: 'metadata ObjectMeta', 2: 'spec SelfSubjectAccessReviewSpec', 3: 'status SubjectAccessReviewStatus' },
    SubjectAccessReview: { 1: 'metadata ObjectMeta', 2: 'spec SubjectAccessReviewSpec', 3: 'status SubjectAccessReviewStatus' },
    LocalSubjectAccessReview: { 1: 'metadata ObjectMeta', 2: 'spec SubjectAccessReviewSpec', 3: 'status SubjectAccessReviewStatus' },
    SelfSubjectRulesReview: { 1: 'metadata ObjectMeta', 2: 'spec SelfSubjectRulesReviewSpec', 3: 'status SubjectRulesReviewStatus' },
    SelfSubjectAccessReviewSpec: { 1: 'resourceAttributes ResourceAttributes', 2: 'nonResourceAttributes NonResourceAttributes' },
    SubjectAccessReviewSpec: {
      1: 'resourceAttributes ResourceAttributes',
      2: 'nonResourceAttributes NonResourceAttributes',
      3: 'user string omitempty',
      4: 'groups []string',
      5: 'extra map<ExtraValue>',
      6: 'uid string omitempty',
    },
    ResourceAttributes: {
      1: 'namespace string omitempty',
      2: 'verb string omitempty',
      3: 'group string omitempty',
      4: 'version string omitempty',
      5: 'resource string omitempty',
      6: 'subresource string omitempty',
      7: 'name string omitempty',
      8: 'fieldSelector FieldSelectorAttributes',
      9: 'labelSelector LabelSelectorAttributes',
    },
    FieldSelectorAttributes: { 1: 'rawSelector string omitempty', 2: 'requirements []FieldSelectorRequirement' },
    LabelSelectorAttributes: { 1: 'rawSelector string omitempty', 2: 'requirements []LabelSelectorRequirement' },
    NonResourceAttributes: { 1: 'path string omitempty', 2: 'verb string omitempty' },
    SubjectAccessReviewStatus: { 1: 'allowed bool', 2: 'reason string omitempty', 3: 'evaluationError string omitempty', 4: 'denied bool omitempty' },
    SelfSubjectRulesReviewSpec: { 1: 'namespace string omitempty' },
    SubjectRulesReviewStatus: { 1: 'resourceRules []ResourceRule', 2: 'nonResourceRules []NonResourceRule', 3: 'incomplete bool', 4: 'evaluationError string omitempty' },
    ResourceRule: { 1: 'verbs []string', 2: 'apiGroups []string', 3: 'resources []string', 4: 'resourceNames []string' },
    NonResourceRule: { 1: 'verbs []string', 2: 'nonResourceURLs []string' },
    ExtraValue: { 1: 'items []string' },

    // authentication.k8s.io/v1.
    SelfSubjectReview: { 1: 'metadata ObjectMeta', 2: 'status SelfSubjectReviewStatus' },
    SelfSubjectReviewStatus: { 1: 'userInfo UserInfo' },
    UserInfo: { 1: 'username string omitempty', 2: 'uid string omitempty', 3: 'groups []string', 4: 'extra map<ExtraValue>' },
  },
  {
    Time: timeToJson,
    Quantity: (q) => q.string ?? '0', // an empty Quantity is Go's zero quantity, "0"
    FieldsV1: (f) => f.raw ?? null,
    ExtraValue: (e) => e.items ?? [], // Go's ExtraValue is a bare []string
  },
);

/** The kinds a protobuf body may carry, by apiVersion. */
const KINDS: Record<string, readonly string[]> = {
  v1: ['Namespace', 'ConfigMap', 'Secret', 'ServiceAccount', 'ResourceQuota'],
  'rbac.authorization.k8s.io/v1': ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'],
  'authorization.k8s.io/v1': ['SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview', 'LocalSubjectAccessReview'],
  'authentication.k8s.io/v1': ['SelfSubjectReview'],
};

/** The table for a top-level kind, or undefined when Kura has none. */
export function messageForKind(apiVersion: string, kind: string): MessageDesc | undefined {
  // DeleteOptions is registered in every group version, so a client may label it with its own.
  if (kind === 'DeleteOptions' && apiVersion) return messages.DeleteOptions;
  const kinds = Object.hasOwn(KINDS, apiVersion) ? KINDS[apiVersion] : undefined;
  return kinds?.includes(kind) ? messages[kind as keyof typeof messages] : undefined;
}
