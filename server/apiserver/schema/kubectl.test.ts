// Real kubectl v1.32 against a throwaway HTTP server that serves these
// documents and the minimal discovery kubectl needs: `kubectl explain` must
// print fields with their types and descriptions.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceDef } from '@/server/apiserver/registry/types';
import { OpenApiDocuments, groupVersionPath } from './openapi';
import { testResourceDefs } from './testdefs';
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

function discovery(defs: ResourceDef[]): Map<string, unknown> {
  const docs = new Map<string, unknown>();
  const byGv = new Map<string, ResourceDef[]>();
  for (const d of defs) byGv.set(groupVersionPath(d), [...(byGv.get(groupVersionPath(d)) ?? []), d]);
  const groups: unknown[] = [];
  for (const [gv, list] of byGv) {
    const m = list[0]!.model;
    const groupVersion = m.apiGroup ? `${m.apiGroup}/${m.apiVersion}` : m.apiVersion;
    docs.set(`/${gv}`, {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion,
      resources: list.map((d) => ({
        name: d.model.plural,
        singularName: d.model.singular,
        namespaced: d.model.namespaced,
        kind: d.model.kind,
        verbs: d.verbs,
        shortNames: d.model.shortNames,
        categories: d.model.categories,
      })),
    });
    if (m.apiGroup) {
      const version = { groupVersion, version: m.apiVersion };
      groups.push({ name: m.apiGroup, versions: [version], preferredVersion: version });
    }
  }
  docs.set('/api', { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
  docs.set('/apis', { kind: 'APIGroupList', apiVersion: 'v1', groups });
  docs.set('/version', { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' });
  return docs;
}

describe.runIf(await hasKubectl())('kubectl explain against the served documents', () => {
  let server: http.Server;
  let dir: string;
  let kubeconfig: string;
  const writes: string[] = [];

  beforeAll(async () => {
    const defs = testResourceDefs();
    const openapi = new OpenApiDocuments(() => defs);
    const disco = discovery(defs);
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const send = (status: number, body: string) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(body);
      };
      if (req.method === 'POST') {
        // Answer a create with the object sent, and remember what kubectl asked for.
        writes.push(`${req.method} ${url.pathname}${url.search}`);
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => send(201, Buffer.concat(chunks).toString() || '{}'));
        return;
      }
      if (url.pathname === '/openapi/v3') return send(200, openapi.v3Index().body);
      if (url.pathname.startsWith('/openapi/v3/')) {
        const doc = openapi.v3(url.pathname.slice('/openapi/v3/'.length));
        return doc ? send(200, doc.body) : send(404, '{}');
      }
      const doc = disco.get(url.pathname);
      return doc ? send(200, JSON.stringify(doc)) : send(404, JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    dir = mkdtempSync(path.join(os.tmpdir(), 'kura-explain-'));
    kubeconfig = writeTestKubeconfig(dir, `http://127.0.0.1:${port}`);
  });

  afterAll(() => {
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function kubectl(...args: string[]): Promise<string> {
    const { stdout } = await run('kubectl', [...args, '--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'cache')], {
      timeout: 20_000,
      env: { ...process.env, HOME: dir },
    });
    if (process.env.KURA_SHOW_EXPLAIN) console.log(stdout);
    return stdout;
  }
  const explain = (...args: string[]) => kubectl('explain', ...args);

  it('pvc.spec: fields with types and descriptions, through $refs', async () => {
    const out = await explain('pvc.spec');
    expect(out).toMatch(/KIND:\s+PersistentVolumeClaim/);
    expect(out).toMatch(/FIELD:\s+spec <PersistentVolumeClaimSpec>/);
    expect(out).toMatch(/accessModes\s+<\[\]string>/);
    expect(out).toMatch(/resources\s+<VolumeResourceRequirements>/);
    expect(await explain('pvc.spec.resources')).toMatch(/requests\s+<map\[string\]Quantity>/);
    expect(out).toMatch(/storageClassName\s+<string>/);
    expect(out).toContain('storageClassName is the name of the StorageClass');
  });

  it('vm.spec.template: inline custom resource schema', async () => {
    const out = await explain('vm.spec.template');
    expect(out).toMatch(/GROUP:\s+kubevirt.io/);
    expect(out).toMatch(/metadata\s+<Object>/);
    expect(out).toMatch(/spec\s+<Object>/);
  });

  it('pvc.metadata: ObjectMeta, described once', async () => {
    const out = await explain('pvc.metadata');
    expect(out).toMatch(/FIELD:\s+metadata <ObjectMeta>/);
    expect(out.match(/ObjectMeta is metadata that all persisted resources must have/g)).toHaveLength(1);
    expect(out).toMatch(/labels\s+<map\[string\]string>/);
  });

  it('sc: the top of a cluster-scoped built-in', async () => {
    const out = await explain('sc');
    expect(out).toMatch(/KIND:\s+StorageClass/);
    expect(out).toMatch(/provisioner\s+<string> -required-/);
    expect(out).toMatch(/metadata\s+<ObjectMeta>/);
  });

  it('volumesnapshot.spec.source, a hand-written schema', async () => {
    const out = await explain('volumesnapshot.spec.source');
    expect(out).toMatch(/persistentVolumeClaimName\s+<string>/);
  });

  it('vm --recursive walks the whole VirtualMachine schema', async () => {
    const out = await explain('vm', '--recursive');
    expect(out).toMatch(/dataVolumeTemplates\s+<\[\]Object>/);
    expect(out).toMatch(/guest\s+<Object>|guest\s+<>/);
    expect(out.split('\n').length).toBeGreaterThan(500);
  });

  it.each([
    ['v1', 'ConfigMap', '/api/v1/namespaces/default/configmaps'],
    ['kubevirt.io/v1', 'VirtualMachine', '/apis/kubevirt.io/v1/namespaces/default/virtualmachines'],
  ])('kubectl create of a %s %s leaves validation to the server (fieldValidation=Strict)', async (apiVersion, kind, url) => {
    const file = path.join(dir, `${kind}.json`);
    writeFileSync(file, JSON.stringify({ apiVersion, kind, metadata: { name: 'x', namespace: 'default' }, spec: {} }));
    await kubectl('create', '-f', file, '--validate=strict');
    expect(writes).toContain(`POST ${url}?fieldManager=kubectl-create&fieldValidation=Strict`);
  });
});
