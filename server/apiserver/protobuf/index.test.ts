// The public decoder on hand-built bodies: every supported kind, Time, and the bodies it must refuse.
import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf, ProtobufDecodeError, ProtobufUnsupportedError } from './index';
import { bool, bytes, entry, goMeta, int, k8s, msg, str, tag, varint, type Bytes } from './testing';

const T0 = 1700000000; // 2023-11-14T22:13:20Z

/** An ObjectMeta with every field set. */
const fullMeta = msg(
  1,
  str(1, 'web'),
  str(2, 'web-'),
  str(3, 'team-a'),
  str(4, '/api/v1/namespaces/team-a/configmaps/web'),
  str(5, 'uid-1'),
  str(6, '42'),
  int(7, 3),
  msg(8, int(1, T0)),
  msg(9, int(1, T0 + 600), int(2, 500)),
  int(10, 30),
  entry(11, 'app', str(2, 'web')),
  entry(11, 'tier', str(2, '')),
  entry(12, 'note', str(2, 'hi')),
  msg(13, str(1, 'Deployment'), str(3, 'web'), str(4, 'uid-0'), str(5, 'apps/v1'), bool(6, true), bool(7, false)),
  str(14, 'kubernetes'),
  str(14, 'example.com/cleanup'),
  msg(17, str(1, 'kubectl'), str(2, 'Update'), str(3, 'v1'), msg(4, int(1, T0)), str(6, 'FieldsV1'), msg(7, str(1, '{"f:data":{"f:a":{}}}')), str(8, '')),
);

const fullMetaJson = {
  name: 'web',
  generateName: 'web-',
  namespace: 'team-a',
  selfLink: '/api/v1/namespaces/team-a/configmaps/web',
  uid: 'uid-1',
  resourceVersion: '42',
  generation: 3,
  creationTimestamp: '2023-11-14T22:13:20Z',
  deletionTimestamp: '2023-11-14T22:23:20Z',
  deletionGracePeriodSeconds: 30,
  labels: { app: 'web', tier: '' },
  annotations: { note: 'hi' },
  ownerReferences: [{ kind: 'Deployment', name: 'web', uid: 'uid-0', apiVersion: 'apps/v1', controller: true, blockOwnerDeletion: false }],
  finalizers: ['kubernetes', 'example.com/cleanup'],
  managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2023-11-14T22:13:20Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }],
};

const RBAC = 'rbac.authorization.k8s.io/v1';
const AUTHZ = 'authorization.k8s.io/v1';
const AUTHN = 'authentication.k8s.io/v1';

const fullSubjectAccessReview = k8s(
  AUTHZ,
  'SubjectAccessReview',
  goMeta(''),
  msg(
    2,
    msg(
      1,
      str(1, 'team-a'), str(2, 'list'), str(3, ''), str(4, 'v1'), str(5, 'pods'), str(6, ''), str(7, ''),
      msg(8, str(1, 'spec.nodeName=n1'), msg(2, str(1, 'spec.nodeName'), str(2, 'In'), str(3, 'n1'))),
      msg(9, str(1, ''), msg(2, str(1, 'app'), str(2, 'Exists'))),
    ),
    str(3, 'alice'),
    str(4, 'devs'),
    str(4, 'system:authenticated'),
    entry(5, 'scopes', msg(2, str(1, 'a'), str(1, 'b'))),
    entry(5, 'none', []),
    str(6, 'u-1'),
  ),
  msg(3, bool(1, true), str(2, 'bound by rb'), str(3, ''), bool(4, false)),
);

describe('decodeKubernetesProtobuf: every supported kind', () => {
  it.each<[string, Buffer, Record<string, unknown>]>([
    [
      'Namespace with status conditions',
      k8s('v1', 'Namespace', fullMeta, msg(2, str(1, 'kubernetes')), msg(3, str(1, 'Terminating'), msg(2, str(1, 'NamespaceDeletionContentFailure'), str(2, 'False'), msg(4), str(5, ''), str(6, '')))),
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: fullMetaJson,
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Terminating', conditions: [{ type: 'NamespaceDeletionContentFailure', status: 'False', lastTransitionTime: null }] },
      },
    ],
    [
      'ConfigMap with binaryData',
      k8s('v1', 'ConfigMap', goMeta('cm', 'team-a'), entry(2, 'a', str(2, 'b')), entry(3, 'bin', bytes(2, [0, 255, 16])), bool(4, true)),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'team-a', creationTimestamp: null }, data: { a: 'b' }, binaryData: { bin: 'AP8Q' }, immutable: true },
    ],
    [
      'Secret (a present false immutable is kept: Go sends it only when set)',
      k8s('v1', 'Secret', goMeta('s'), entry(2, 'tls.key', bytes(2, [...Buffer.from('secret')])), str(3, 'kubernetes.io/tls'), entry(4, 'plain', str(2, 'text')), bool(5, false)),
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', creationTimestamp: null }, data: { 'tls.key': 'c2VjcmV0' }, type: 'kubernetes.io/tls', stringData: { plain: 'text' }, immutable: false },
    ],
    [
      'ServiceAccount',
      k8s('v1', 'ServiceAccount', goMeta('sa'), msg(2, str(1, ''), str(2, ''), str(3, 'sa-token'), str(4, ''), str(5, ''), str(6, ''), str(7, '')), msg(3, str(1, 'registry')), bool(4, false)),
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa', creationTimestamp: null }, secrets: [{ name: 'sa-token' }], imagePullSecrets: [{ name: 'registry' }], automountServiceAccountToken: false },
    ],
    [
      'ResourceQuota with scope selector and status',
      k8s(
        'v1',
        'ResourceQuota',
        goMeta('q'),
        msg(2, entry(1, 'cpu', msg(2, str(1, '500m'))), entry(1, 'pods', msg(2)), str(2, 'NotBestEffort'), msg(3, msg(1, str(1, 'PriorityClass'), str(2, 'In'), str(3, 'high')))),
        msg(3, entry(1, 'cpu', msg(2, str(1, '500m'))), entry(2, 'cpu', msg(2, str(1, '100m')))),
      ),
      {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'q', creationTimestamp: null },
        spec: { hard: { cpu: '500m', pods: '0' }, scopes: ['NotBestEffort'], scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } },
        status: { hard: { cpu: '500m' }, used: { cpu: '100m' } },
      },
    ],
    [
      'Role',
      k8s(RBAC, 'Role', goMeta('r', 'team-a'), msg(2, str(1, 'get'), str(2, ''), str(3, 'pods'), str(4, 'p1')), msg(2, str(1, 'get'), str(5, '/healthz'))),
      {
        apiVersion: RBAC,
        kind: 'Role',
        metadata: { name: 'r', namespace: 'team-a', creationTimestamp: null },
        rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: ['p1'] }, { verbs: ['get'], nonResourceURLs: ['/healthz'] }],
      },
    ],
    [
      'ClusterRole with an aggregation rule',
      k8s(RBAC, 'ClusterRole', goMeta('agg'), msg(3, msg(1, entry(1, 'example.com/aggregate', str(2, 'true')), msg(2, str(1, 'tier'), str(2, 'Exists'))))),
      {
        apiVersion: RBAC,
        kind: 'ClusterRole',
        metadata: { name: 'agg', creationTimestamp: null },
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate': 'true' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }] },
      },
    ],
    [
      'RoleBinding: roleRef keeps apiGroup "", a subject drops it (as Go JSON does)',
      k8s(RBAC, 'RoleBinding', goMeta('rb', 'team-a'), msg(2, str(1, 'ServiceAccount'), str(2, ''), str(3, 'sa'), str(4, 'team-a')), msg(3, str(1, ''), str(2, 'Role'), str(3, 'r'))),
      {
        apiVersion: RBAC,
        kind: 'RoleBinding',
        metadata: { name: 'rb', namespace: 'team-a', creationTimestamp: null },
        subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'team-a' }],
        roleRef: { apiGroup: '', kind: 'Role', name: 'r' },
      },
    ],
    [
      'ClusterRoleBinding',
      k8s(RBAC, 'ClusterRoleBinding', goMeta('crb'), msg(2, str(1, 'Group'), str(2, 'rbac.authorization.k8s.io'), str(3, 'devs'), str(4, '')), msg(3, str(1, 'rbac.authorization.k8s.io'), str(2, 'ClusterRole'), str(3, 'view'))),
      {
        apiVersion: RBAC,
        kind: 'ClusterRoleBinding',
        metadata: { name: 'crb', creationTimestamp: null },
        subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' }],
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      },
    ],
    [
      'SelfSubjectAccessReview for a non-resource URL',
      k8s(AUTHZ, 'SelfSubjectAccessReview', goMeta(''), msg(2, msg(2, str(1, '/healthz'), str(2, 'get'))), msg(3, bool(1, false), str(2, ''), str(3, ''), bool(4, false))),
      { apiVersion: AUTHZ, kind: 'SelfSubjectAccessReview', metadata: { creationTimestamp: null }, spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } }, status: { allowed: false } },
    ],
    [
      'SubjectAccessReview with selectors, groups and extra',
      fullSubjectAccessReview,
      {
        apiVersion: AUTHZ,
        kind: 'SubjectAccessReview',
        metadata: { creationTimestamp: null },
        spec: {
          resourceAttributes: {
            namespace: 'team-a',
            verb: 'list',
            version: 'v1',
            resource: 'pods',
            fieldSelector: { rawSelector: 'spec.nodeName=n1', requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['n1'] }] },
            labelSelector: { requirements: [{ key: 'app', operator: 'Exists' }] },
          },
          user: 'alice',
          groups: ['devs', 'system:authenticated'],
          extra: { scopes: ['a', 'b'], none: [] },
          uid: 'u-1',
        },
        status: { allowed: true, reason: 'bound by rb' },
      },
    ],
    [
      'LocalSubjectAccessReview',
      k8s(AUTHZ, 'LocalSubjectAccessReview', goMeta('', 'team-a'), msg(2, msg(1, str(1, 'team-a'), str(2, 'get'), str(5, 'secrets'), str(7, 'db')), str(3, 'bob'))),
      {
        apiVersion: AUTHZ,
        kind: 'LocalSubjectAccessReview',
        metadata: { namespace: 'team-a', creationTimestamp: null },
        spec: { resourceAttributes: { namespace: 'team-a', verb: 'get', resource: 'secrets', name: 'db' }, user: 'bob' },
      },
    ],
    [
      'SelfSubjectRulesReview with a status',
      k8s(AUTHZ, 'SelfSubjectRulesReview', goMeta(''), msg(2, str(1, 'x')), msg(3, msg(1, str(1, 'get'), str(2, ''), str(3, 'pods')), msg(2, str(1, 'get'), str(2, '/api')), bool(3, true), str(4, 'webhook down'))),
      {
        apiVersion: AUTHZ,
        kind: 'SelfSubjectRulesReview',
        metadata: { creationTimestamp: null },
        spec: { namespace: 'x' },
        status: { resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/api'] }], incomplete: true, evaluationError: 'webhook down' },
      },
    ],
    [
      'SelfSubjectReview with a user',
      k8s(AUTHN, 'SelfSubjectReview', goMeta(''), msg(2, msg(1, str(1, 'alice'), str(2, ''), str(3, 'devs'), entry(4, 'team', msg(2, str(1, 'a')))))),
      { apiVersion: AUTHN, kind: 'SelfSubjectReview', metadata: { creationTimestamp: null }, status: { userInfo: { username: 'alice', groups: ['devs'], extra: { team: ['a'] } } } },
    ],
    [
      'DeleteOptions under a group version (a present zero grace period is kept)',
      k8s(RBAC, 'DeleteOptions', int(1, 0), msg(2, str(1, 'uid-1'), str(2, '')), bool(3, false), str(4, 'Foreground'), str(5, 'All')),
      { apiVersion: RBAC, kind: 'DeleteOptions', gracePeriodSeconds: 0, preconditions: { uid: 'uid-1', resourceVersion: '' }, orphanDependents: false, propagationPolicy: 'Foreground', dryRun: ['All'] },
    ],
    ['DeleteOptions under meta.k8s.io, empty', k8s('meta.k8s.io/v1', 'DeleteOptions'), { apiVersion: 'meta.k8s.io/v1', kind: 'DeleteOptions' }],
  ])('%s', (_name, body, want) => {
    expect(decodeKubernetesProtobuf(body)).toEqual(want);
  });

  it('skips fields added by newer clients, in the envelope and in the object', () => {
    const body = Buffer.concat([k8s('v1', 'ConfigMap', goMeta('cm'), str(99, 'future'), msg(1, int(50, 1))), Buffer.from(str(9, 'later'))]);
    expect(decodeKubernetesProtobuf(body)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', creationTimestamp: null } });
  });
});

describe('decodeKubernetesProtobuf: metav1.Time', () => {
  const created = (...time: Bytes[]) => (decodeKubernetesProtobuf(k8s('v1', 'ConfigMap', msg(1, msg(8, ...time)))).metadata as { creationTimestamp: unknown }).creationTimestamp;

  it.each<[string, Bytes[], string | null]>([
    ['empty (how Go sends a zero time)', [], null],
    ["Go's zero time spelled out", [int(1, -62135596800)], null],
    ['the Unix epoch', [int(1, 0)], '1970-01-01T00:00:00Z'],
    ['nanoseconds dropped, as Go JSON does', [int(1, T0), int(2, 999_999_999)], '2023-11-14T22:13:20Z'],
    ['before 1970', [int(1, -1)], '1969-12-31T23:59:59Z'],
    ['the last second of year 9999', [int(1, 253402300799)], '9999-12-31T23:59:59Z'],
  ])('%s', (_name, time, want) => {
    expect(created(...time)).toBe(want);
  });

  it.each<[string, number]>([
    ['year 10000', 253402300800],
    ['far beyond what a Date holds', 2 ** 52],
  ])('refuses %s', (_name, seconds) => {
    expect(() => created(int(1, seconds))).toThrow(ProtobufDecodeError);
  });
});

describe('decodeKubernetesProtobuf: bodies it refuses', () => {
  const magic = [0x6b, 0x38, 0x73, 0x00];
  const valid = k8s('v1', 'ConfigMap', goMeta('cm'), entry(2, 'a', str(2, 'b')));

  it.each<[string, Buffer, RegExp]>([
    ['an empty body', Buffer.alloc(0), /does not start with/],
    ['a body shorter than the magic', Buffer.from('k8s'), /does not start with/],
    ['JSON sent with the protobuf content type', Buffer.from('{"kind":"ConfigMap"}'), /does not start with/],
    ['the magic alone', Buffer.from(magic), /does not say its apiVersion/],
    ['an envelope without a kind', Buffer.from([...magic, ...msg(1, str(1, 'v1'))]), /does not say its kind/],
    ['a body cut inside the object', valid.subarray(0, valid.length - 5), /declares a length/],
    ['a body cut inside a varint', Buffer.from([...magic, ...tag(1, 2), 0x80]), /middle of a varint/],
    ['TypeMeta sent as a varint', Buffer.from([...magic, ...int(1, 5)]), /field 1 \(typeMeta\) of Unknown arrived as varint/],
    ['metadata sent as a varint', k8s('v1', 'ConfigMap', int(1, 3)), /field 1 \(metadata\) of ConfigMap/],
    ['a huge declared length', Buffer.from([...magic, ...tag(2, 2), ...varint(2 ** 31), 1, 2, 3]), /declares a length of 2147483648 bytes/],
    ['unknown groups nested 100 deep', k8s('v1', 'ConfigMap', Array.from({ length: 100 }, () => tag(7, 3)).flat()), /deeper than 64/],
    ['a compressed payload', Buffer.from([...magic, ...msg(1, str(1, 'v1'), str(2, 'ConfigMap')), ...str(3, 'gzip')]), /encoded as "gzip"/],
    ['a payload of another content type', Buffer.from([...magic, ...msg(1, str(1, 'v1'), str(2, 'ConfigMap')), ...str(4, 'application/json')]), /content is "application\/json"/],
    ['managedFields whose FieldsV1 is not JSON', k8s('v1', 'ConfigMap', msg(1, msg(17, msg(7, str(1, '{"f:'))))), /raw of FieldsV1 is not valid JSON/],
  ])('%s', (_name, body, message) => {
    expect(() => decodeKubernetesProtobuf(body)).toThrow(ProtobufDecodeError);
    expect(() => decodeKubernetesProtobuf(body)).toThrow(message);
  });

  it.each<[string, string]>([
    ['apps/v1', 'Deployment'],
    ['v2', 'ConfigMap'],
    ['v1', 'Time'],
    ['v1', 'ObjectMeta'],
    ['__proto__', 'toString'],
    ['constructor', 'Namespace'],
  ])('answers unsupported for %s %s, naming the kind', (apiVersion, kind) => {
    const decode = () => decodeKubernetesProtobuf(k8s(apiVersion, kind, goMeta('x')));
    expect(decode).toThrow(ProtobufUnsupportedError);
    expect(decode).toThrow(`${kind} (${apiVersion})`);
    try {
      decode();
    } catch (e) {
      expect(e).toMatchObject({ apiVersion, kind });
    }
  });

  it('throws only its own two errors, whatever the bytes (mutated fixtures)', () => {
    // A small deterministic PRNG (mulberry32) so a failure reproduces.
    let seed = 42;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
    };
    const seeds = [valid, fullSubjectAccessReview, k8s('v1', 'Namespace', fullMeta)];
    const foreign: unknown[] = [];
    for (let i = 0; i < 3000; i++) {
      const body = Buffer.from(seeds[i % seeds.length]!);
      for (let n = 1 + Math.floor(random() * 3); n > 0; n--) body[4 + Math.floor(random() * (body.length - 4))] = Math.floor(random() * 256);
      try {
        decodeKubernetesProtobuf(body.subarray(0, body.length - Math.floor(random() * 3)));
      } catch (e) {
        if (!(e instanceof ProtobufDecodeError) && !(e instanceof ProtobufUnsupportedError)) foreign.push(e);
      }
    }
    expect(foreign).toEqual([]);
  });
});
