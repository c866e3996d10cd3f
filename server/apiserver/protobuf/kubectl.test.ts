// Real kubectl v1.32 against a throwaway HTTP server that records the protobuf bodies its typed clients POST;
// each body must decode to the object kubectl means, which for `create` is exactly what `-o json` prints.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf, PROTOBUF_CONTENT_TYPE } from './index';
import { writeTestKubeconfig } from '../testing/kubeconfig';

const run = promisify(execFile);

async function hasKubectl(): Promise<boolean> {
  try {
    await run('kubectl', ['version', '--client'], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

const RBAC = 'rbac.authorization.k8s.io/v1';
const AUTHZ = 'authorization.k8s.io/v1';
const AUTHN = 'authentication.k8s.io/v1';

/** Discovery: group version → [resource, kind, namespaced]. */
const RESOURCES: Record<string, [string, string, boolean][]> = {
  v1: [
    ['namespaces', 'Namespace', false],
    ['configmaps', 'ConfigMap', true],
    ['secrets', 'Secret', true],
    ['serviceaccounts', 'ServiceAccount', true],
    ['resourcequotas', 'ResourceQuota', true],
    ['pods', 'Pod', true],
  ],
  'apps/v1': [['deployments', 'Deployment', true]],
  [RBAC]: [
    ['roles', 'Role', true],
    ['clusterroles', 'ClusterRole', false],
    ['rolebindings', 'RoleBinding', true],
    ['clusterrolebindings', 'ClusterRoleBinding', false],
  ],
  [AUTHZ]: [
    ['selfsubjectaccessreviews', 'SelfSubjectAccessReview', false],
    ['selfsubjectrulesreviews', 'SelfSubjectRulesReview', false],
    ['subjectaccessreviews', 'SubjectAccessReview', false],
    ['localsubjectaccessreviews', 'LocalSubjectAccessReview', true],
  ],
  [AUTHN]: [['selfsubjectreviews', 'SelfSubjectReview', false]],
};

function discoveryDocuments(): Map<string, unknown> {
  const docs = new Map<string, unknown>();
  const groups: unknown[] = [];
  for (const [gv, list] of Object.entries(RESOURCES)) {
    const resources = list.map(([name, kind, namespaced]) => ({ name, singularName: kind.toLowerCase(), namespaced, kind, verbs: ['create', 'get', 'list', 'delete'] }));
    docs.set(gv === 'v1' ? '/api/v1' : `/apis/${gv}`, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources });
    if (gv !== 'v1') {
      const version = { groupVersion: gv, version: gv.split('/')[1] };
      groups.push({ name: gv.split('/')[0], versions: [version], preferredVersion: version });
    }
  }
  docs.set('/api', { kind: 'APIVersions', versions: ['v1'] });
  docs.set('/apis', { kind: 'APIGroupList', apiVersion: 'v1', groups });
  docs.set('/openapi/v3', { paths: {} });
  return docs;
}

/** What the fake server answers to a POST: enough for kubectl to print its usual output and exit 0. */
function answer(resource: string): unknown {
  if (resource === 'selfsubjectaccessreviews') return { apiVersion: AUTHZ, kind: 'SelfSubjectAccessReview', metadata: {}, spec: {}, status: { allowed: true } };
  if (resource === 'selfsubjectrulesreviews') {
    return { apiVersion: AUTHZ, kind: 'SelfSubjectRulesReview', metadata: {}, spec: {}, status: { resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], nonResourceRules: [], incomplete: false } };
  }
  if (resource === 'selfsubjectreviews') return { apiVersion: AUTHN, kind: 'SelfSubjectReview', metadata: {}, status: { userInfo: { username: 'alice', groups: ['devs'] } } };
  for (const [gv, list] of Object.entries(RESOURCES)) {
    const found = list.find(([name]) => name === resource);
    if (found) return { apiVersion: gv, kind: found[1], metadata: { name: 'created' } };
  }
  return {};
}

/**
 * The object without null-valued keys. Go's JSON writes `"rules": null` for an empty list whose tag lacks
 * omitempty, while protobuf sends nothing for an empty list, so the decoded object leaves the key out.
 */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

interface Post {
  path: string;
  contentType: string | undefined;
  body: Buffer;
}

describe.runIf(await hasKubectl())('protobuf bodies sent by real kubectl', () => {
  let server: http.Server;
  let dir: string;
  let kubeconfig: string;
  let posts: Post[] = [];

  beforeAll(async () => {
    const docs = discoveryDocuments();
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const send = (status: number, body: unknown) => {
          res.writeHead(status, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (req.method === 'POST') {
          posts.push({ path: url.pathname, contentType: req.headers['content-type'], body: Buffer.concat(chunks) });
          return send(201, answer(url.pathname.split('/').at(-1) ?? ''));
        }
        const doc = docs.get(url.pathname);
        return doc ? send(200, doc) : send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound' });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    dir = mkdtempSync(path.join(os.tmpdir(), 'kura-protobuf-'));
    kubeconfig = writeTestKubeconfig(dir, `http://127.0.0.1:${port}`);
    writeFileSync(path.join(dir, 'blob.bin'), Buffer.from([0x00, 0xff, 0x10]));
  });

  afterAll(() => {
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function kubectl(args: string[]): Promise<string> {
    const { stdout } = await run('kubectl', [...args, '--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'cache')], {
      cwd: dir,
      timeout: 20_000,
      env: { ...process.env, HOME: dir },
    });
    return stdout;
  }

  /** Run kubectl and return the one protobuf body it POSTed, decoded. */
  async function sent(args: string[]): Promise<{ path: string; object: Record<string, unknown> }> {
    posts = [];
    await kubectl(args);
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    expect(post.contentType).toBe(PROTOBUF_CONTENT_TYPE);
    return { path: post.path, object: decodeKubernetesProtobuf(post.body) };
  }

  const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), creationTimestamp: null });

  it.each<[string, string[], string, Record<string, unknown>]>([
    ['create namespace', ['create', 'namespace', 'team-a'], '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: meta('team-a'), spec: {}, status: {} }],
    [
      'create configmap (text and binary)',
      ['create', 'configmap', 'cm', '--from-literal=a=b', '--from-file=blob=blob.bin', '-n', 'team-a'],
      '/api/v1/namespaces/team-a/configmaps',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cm', 'team-a'), data: { a: 'b' }, binaryData: { blob: 'AP8Q' } },
    ],
    [
      'create secret generic',
      ['create', 'secret', 'generic', 's', '--from-literal=password=hunter2'],
      '/api/v1/namespaces/default/secrets',
      { apiVersion: 'v1', kind: 'Secret', metadata: meta('s'), data: { password: 'aHVudGVyMg==' } }, // no --type: kubectl leaves it to the server
    ],
    ['create serviceaccount', ['create', 'serviceaccount', 'sa', '-n', 'team-a'], '/api/v1/namespaces/team-a/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('sa', 'team-a') }],
    [
      'create role',
      ['create', 'role', 'r', '--verb=get,list', '--resource=pods,deployments.apps', '--resource-name=p1'],
      `/apis/${RBAC}/namespaces/default/roles`,
      {
        apiVersion: RBAC,
        kind: 'Role',
        metadata: meta('r'),
        rules: [
          { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: ['p1'] },
          { verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['p1'] },
        ],
      },
    ],
    [
      'create clusterrole (non-resource URL)',
      ['create', 'clusterrole', 'health', '--verb=get', '--non-resource-url=/healthz'],
      `/apis/${RBAC}/clusterroles`,
      { apiVersion: RBAC, kind: 'ClusterRole', metadata: meta('health'), rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] },
    ],
    [
      'create clusterrole (aggregation rule)',
      ['create', 'clusterrole', 'agg', '--aggregation-rule=example.com/aggregate-to-edit=true'],
      `/apis/${RBAC}/clusterroles`,
      { apiVersion: RBAC, kind: 'ClusterRole', metadata: meta('agg'), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-edit': 'true' } }] } },
    ],
    [
      'create rolebinding',
      ['create', 'rolebinding', 'rb', '--clusterrole=edit', '--user=alice', '-n', 'team-a'],
      `/apis/${RBAC}/namespaces/team-a/rolebindings`,
      {
        apiVersion: RBAC,
        kind: 'RoleBinding',
        metadata: meta('rb', 'team-a'),
        subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }],
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      },
    ],
    [
      'create clusterrolebinding (group and service account)',
      ['create', 'clusterrolebinding', 'crb', '--clusterrole=view', '--group=devs', '--serviceaccount=team-a:sa'],
      `/apis/${RBAC}/clusterrolebindings`,
      {
        apiVersion: RBAC,
        kind: 'ClusterRoleBinding',
        metadata: meta('crb'),
        subjects: [
          { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' },
          { kind: 'ServiceAccount', name: 'sa', namespace: 'team-a' },
        ],
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      },
    ],
    [
      'create quota',
      ['create', 'quota', 'q', '--hard=cpu=1,memory=1Gi,pods=10', '--scopes=BestEffort', '-n', 'team-a'],
      '/api/v1/namespaces/team-a/resourcequotas',
      { apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta('q', 'team-a'), spec: { hard: { cpu: '1', memory: '1Gi', pods: '10' }, scopes: ['BestEffort'] }, status: {} },
    ],
  ])('kubectl %s', async (_name, args, wantPath, want) => {
    const { path: posted, object } = await sent(args);
    expect(posted).toBe(wantPath);
    expect(object).toEqual(want);
    // The same command with --dry-run=client -o json prints kubectl's own JSON for the object it would send.
    expect(withoutNulls(object)).toEqual(withoutNulls(JSON.parse(await kubectl([...args, '--dry-run=client', '-o', 'json']))));
  });

  it.each<[string, string[], Record<string, unknown>]>([
    ['create pods -n x', ['create', 'pods', '-n', 'x'], { resourceAttributes: { namespace: 'x', verb: 'create', resource: 'pods' } }],
    [
      'get deployments.apps/web --subresource=scale -n x',
      ['get', 'deployments.apps/web', '--subresource=scale', '-n', 'x'],
      { resourceAttributes: { namespace: 'x', verb: 'get', group: 'apps', resource: 'deployments', subresource: 'scale', name: 'web' } },
    ],
    ['get /healthz', ['get', '/healthz'], { nonResourceAttributes: { path: '/healthz', verb: 'get' } }],
  ])('kubectl auth can-i %s', async (_name, args, spec) => {
    const { path: posted, object } = await sent(['auth', 'can-i', ...args]);
    expect(posted).toBe(`/apis/${AUTHZ}/selfsubjectaccessreviews`);
    expect(object).toEqual({ apiVersion: AUTHZ, kind: 'SelfSubjectAccessReview', metadata: { creationTimestamp: null }, spec, status: { allowed: false } });
  });

  it('kubectl auth can-i --list -n x', async () => {
    const { path: posted, object } = await sent(['auth', 'can-i', '--list', '-n', 'x']);
    expect(posted).toBe(`/apis/${AUTHZ}/selfsubjectrulesreviews`);
    expect(object).toEqual({ apiVersion: AUTHZ, kind: 'SelfSubjectRulesReview', metadata: { creationTimestamp: null }, spec: { namespace: 'x' }, status: { incomplete: false } });
  });

  it('kubectl auth whoami', async () => {
    const { path: posted, object } = await sent(['auth', 'whoami']);
    expect(posted).toBe(`/apis/${AUTHN}/selfsubjectreviews`);
    expect(object).toEqual({ apiVersion: AUTHN, kind: 'SelfSubjectReview', metadata: { creationTimestamp: null }, status: { userInfo: {} } });
  });
});
