// The embedded API server's REST semantics over HTTPS, as any client sees them:
// status codes and reasons, concurrency, pagination, watch, subresources,
// server-side apply, deletion and garbage collection, CRDs.
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './testing/harness';

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster();
  await c.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 't' } });
}, 60_000);
afterAll(async () => {
  await c?.stop();
});

const cm = (name: string, data: Record<string, string> = {}, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data });
const CMS = '/api/v1/namespaces/t/configmaps';

/** Collect a watch stream's events until `until` returns true or the time runs out. */
function watch(apiPath: string, until: (events: { type: string; object: any }[]) => boolean, timeoutMs = 8000): Promise<{ type: string; object: any }[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const ca = fs.readFileSync(path.join(c.dir, 'pki', 'ca.crt'));
  return new Promise((resolve, reject) => {
    const events: { type: string; object: any }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    let buf = '';
    const req = https.get(c.api.url + apiPath, { ca, headers: { authorization: `Bearer ${c.api.adminToken}` } }, (res) => {
      res.on('data', (d: Buffer) => {
        buf += d.toString();
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) events.push(JSON.parse(line));
        }
        if (until(events)) {
          req.destroy();
          resolve(events);
        }
      });
      res.on('end', () => resolve(events));
    });
    req.on('error', (e) => (events.length ? resolve(events) : reject(e)));
    setTimeout(() => {
      req.destroy();
      resolve(events);
    }, timeoutMs);
  });
}

describe('errors are Kubernetes Status objects with the right code and reason', () => {
  it.each<[string, () => Promise<{ status: number; body: any }>, number, string]>([ // eslint-disable-line @typescript-eslint/no-explicit-any
    ['no such object', () => c.request('GET', `${CMS}/nope`), 404, 'NotFound'],
    ['no such resource', () => c.request('GET', '/api/v1/namespaces/t/widgets'), 404, 'NotFound'],
    ['bad token', () => c.request('GET', CMS, undefined, { token: 'kura_bogus' }), 401, 'Unauthorized'],
    ['anonymous list', () => c.request('GET', CMS, undefined, { headers: { authorization: '' } }), 403, 'Forbidden'],
    ['POST to an object URL', () => c.request('POST', `${CMS}/x`, cm('x')), 405, 'MethodNotAllowed'],
    ['invalid name', () => c.request('POST', CMS, cm('Not_Valid')), 422, 'Invalid'],
    ['invalid quantity', () => c.request('POST', '/api/v1/namespaces/t/persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'q' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '12 GB' } } } }), 422, 'Invalid'],
    ['unknown field under Strict', () => c.request('POST', `${CMS}?fieldValidation=Strict`, { ...cm('s'), dta: {} }), 400, 'BadRequest'],
    ['broken JSON', () => c.request('POST', CMS, undefined, { raw: '{"apiVersion":' }), 400, 'BadRequest'],
    ['JSON nested too deep', () => c.request('POST', CMS, undefined, { raw: `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}` }), 400, 'BadRequest'],
    ['body over 3 MiB', () => c.request('POST', CMS, cm('big', { blob: 'x'.repeat(3 * 1024 * 1024 + 1) })), 413, 'RequestEntityTooLarge'],
    ['XML body', () => c.request('POST', CMS, undefined, { raw: '<x/>', contentType: 'application/xml' }), 415, 'UnsupportedMediaType'],
    ['namespace mismatch', () => c.request('POST', CMS, cm('m', {}, { namespace: 'other' })), 400, 'BadRequest'],
    ['kind mismatch', () => c.request('POST', CMS, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'k' } }), 400, 'BadRequest'],
    ['missing namespace', () => c.request('POST', '/api/v1/namespaces/nowhere/configmaps', cm('n')), 404, 'NotFound'],
    ['bad label selector', () => c.request('GET', `${CMS}?labelSelector=a%20in%20(`), 400, 'BadRequest'],
  ])('%s', async (_n, call, code, reason) => {
    const res = await call();
    expect(res.status).toBe(code);
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Failure', code, reason });
  });

  it('a refused write changes nothing', async () => {
    const before = (await c.request('GET', CMS)).body.metadata.resourceVersion;
    await c.request('POST', CMS, cm('Not_Valid'));
    await c.request('POST', CMS, cm('big', { blob: 'x'.repeat(3 * 1024 * 1024 + 1) }));
    expect((await c.request('GET', CMS)).body.metadata.resourceVersion).toBe(before);
  });

  it('422 names the field that is wrong', async () => {
    const res = await c.request('POST', CMS, cm('Not_Valid'));
    expect(res.body.details.causes[0]).toMatchObject({ field: 'metadata.name', reason: 'FieldValueInvalid' });
  });
});

describe('create and update', () => {
  it('fills in uid, creationTimestamp, resourceVersion and generation, and names from generateName', async () => {
    const res = await c.request('POST', CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
    expect(res.status).toBe(201);
    expect(res.body.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(res.body.metadata.uid).toBeTruthy();
    expect(res.body.metadata.creationTimestamp).toMatch(/Z$/);
    // ConfigMaps, like most built-in kinds, have no generation; custom resources do.
    expect(res.body.metadata.generation).toBeUndefined();
  });

  it('refuses a second create with 409 AlreadyExists', async () => {
    await c.request('POST', CMS, cm('dup'));
    const res = await c.request('POST', CMS, cm('dup'));
    expect(res.status).toBe(409);
    expect(res.body.reason).toBe('AlreadyExists');
  });

  it('refuses a stale update with 409 Conflict', async () => {
    const created = (await c.request('POST', CMS, cm('occ', { v: '1' }))).body;
    const first = await c.request('PUT', `${CMS}/occ`, { ...created, data: { v: '2' } });
    expect(first.status).toBe(200);
    const stale = await c.request('PUT', `${CMS}/occ`, { ...created, data: { v: '3' } });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    expect((await c.request('GET', `${CMS}/occ`)).body.data.v).toBe('2');
  });

  it('custom resources need a resourceVersion to update, like on Kubernetes', async () => {
    const vms = '/apis/kubevirt.io/v1/namespaces/t/virtualmachines';
    await c.request('POST', vms, { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'v' }, spec: { runStrategy: 'Halted', template: { spec: { domain: { devices: {} } } } } });
    const res = await c.request('PUT', `${vms}/v`, { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'v' }, spec: { runStrategy: 'Always', template: { spec: { domain: { devices: {} } } } } });
    expect(res.status).toBe(422);
  });

  it('bumps generation for spec changes only, and keeps status behind its subresource', async () => {
    const vms = '/apis/kubevirt.io/v1/namespaces/t/virtualmachines';
    const created = (await c.request('POST', vms, { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'gen' }, spec: { runStrategy: 'Halted', template: { spec: { domain: { devices: {} } } } }, status: { printableStatus: 'Bogus' } })).body;
    expect(created.status).toBeUndefined();
    const labelled = (await c.request('PATCH', `${vms}/gen`, { metadata: { labels: { a: 'b' } } }, { contentType: 'application/merge-patch+json' })).body;
    expect(labelled.metadata.generation).toBe(1);
    const statusViaMain = (await c.request('PATCH', `${vms}/gen`, { status: { printableStatus: 'Running' } }, { contentType: 'application/merge-patch+json' })).body;
    expect(statusViaMain.status).toBeUndefined();
    const status = (await c.request('PATCH', `${vms}/gen/status`, { status: { printableStatus: 'Stopped' }, spec: { runStrategy: 'Always' } }, { contentType: 'application/merge-patch+json' })).body;
    expect(status.status.printableStatus).toBe('Stopped');
    expect(status.spec.runStrategy).toBe('Halted');
    expect(status.metadata.generation).toBe(1);
    const spec = (await c.request('PATCH', `${vms}/gen`, { spec: { runStrategy: 'Always' } }, { contentType: 'application/merge-patch+json' })).body;
    expect(spec.metadata.generation).toBe(2);
    expect(spec.status.printableStatus).toBe('Stopped');
  });

  it('writes nothing for a dry run', async () => {
    const res = await c.request('POST', `${CMS}?dryRun=All`, cm('dry'));
    expect(res.status).toBe(201);
    expect((await c.request('GET', `${CMS}/dry`)).status).toBe(404);
  });

  it('server-side apply records managers and reports conflicts', async () => {
    const apply = (body: object, manager: string, force = false) =>
      c.request('PATCH', `${CMS}/ssa?fieldManager=${manager}${force ? '&force=true' : ''}`, body, { contentType: 'application/apply-patch+yaml' });
    const first = await apply(cm('ssa', { a: '1' }), 'alpha');
    expect(first.status).toBe(201);
    expect(first.body.metadata.managedFields[0]).toMatchObject({ manager: 'alpha', operation: 'Apply' });
    const conflict = await apply(cm('ssa', { a: '2' }), 'beta');
    expect(conflict.status).toBe(409);
    expect(conflict.body.message).toContain('conflict with "alpha"');
    const forced = await apply(cm('ssa', { a: '2' }), 'beta', true);
    expect(forced.status).toBe(200);
    expect(forced.body.data.a).toBe('2');
  });
});

describe('list and watch', () => {
  beforeAll(async () => {
    for (let i = 0; i < 25; i++) await c.request('POST', '/api/v1/namespaces/default/configmaps', cm(`page-${String(i).padStart(2, '0')}`, {}, { labels: { group: i % 2 ? 'odd' : 'even' } }));
  });

  it('pages with limit and continue at a consistent revision', async () => {
    const base = '/api/v1/namespaces/default/configmaps';
    const p1 = (await c.request('GET', `${base}?limit=10`)).body;
    expect(p1.items).toHaveLength(10);
    expect(p1.metadata.remainingItemCount).toBe(15);
    await c.request('POST', base, cm('page-00a'));
    await c.request('DELETE', `${base}/page-20`);
    const names: string[] = p1.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    let cont = p1.metadata.continue;
    while (cont) {
      const page = (await c.request('GET', `${base}?limit=10&continue=${encodeURIComponent(cont)}`)).body;
      expect(page.metadata.resourceVersion).toBe(p1.metadata.resourceVersion);
      names.push(...page.items.map((i: { metadata: { name: string } }) => i.metadata.name));
      cont = page.metadata.continue;
    }
    expect(names).toHaveLength(25);
    expect(names).toContain('page-20');
    expect(names).not.toContain('page-00a');
  });

  it('filters lists by label', async () => {
    const res = (await c.request('GET', '/api/v1/namespaces/default/configmaps?labelSelector=group%3Dodd&limit=5')).body;
    expect(res.items).toHaveLength(5);
    expect(res.items.every((i: { metadata: { labels: { group: string } } }) => i.metadata.labels.group === 'odd')).toBe(true);
  });

  it('sends the current state first when watching from resourceVersion 0', async () => {
    const events = await watch('/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=0&labelSelector=group%3Deven', (e) => e.length >= 12);
    expect(events.every((e) => e.type === 'ADDED')).toBe(true);
    expect(events.length).toBeGreaterThanOrEqual(12);
  });

  it('tells a selector watch when an object leaves or enters the selection', async () => {
    const list = (await c.request('GET', `${CMS}`)).body;
    const done = watch(`${CMS}?watch=1&resourceVersion=${list.metadata.resourceVersion}&labelSelector=app%3Dweb`, (e) => e.length >= 3);
    await new Promise((r) => setTimeout(r, 200));
    await c.request('POST', CMS, cm('sel', {}, { labels: { app: 'web' } }));
    await c.request('PATCH', `${CMS}/sel`, { metadata: { labels: { app: 'db' } } }, { contentType: 'application/merge-patch+json' });
    await c.request('PATCH', `${CMS}/sel`, { metadata: { labels: { app: 'web' } } }, { contentType: 'application/merge-patch+json' });
    const events = await done;
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'DELETED', 'ADDED']);
  });

  it('sends bookmarks when asked and ends at timeoutSeconds', async () => {
    const list = (await c.request('GET', CMS)).body;
    const started = Date.now();
    const events = await watch(`${CMS}?watch=1&resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=1`, () => false, 5000);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(events).toEqual([]);
  });

  it('answers 410 Expired for a compacted resourceVersion', async () => {
    const rv = Number((await c.request('GET', CMS)).body.metadata.resourceVersion);
    await c.request('POST', CMS, cm('after-compaction'));
    c.api.deps.store.compact(c.api.deps.store.revision);
    const events = await watch(`${CMS}?watch=1&resourceVersion=${rv}`, (e) => e.length >= 1);
    expect(events[0]).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
    const list = await c.request('GET', `${CMS}?resourceVersion=${rv}&resourceVersionMatch=Exact`);
    expect(list.status).toBe(410);
  });
});

describe('deletion', () => {
  const owner = async (name: string) => (await c.request('POST', CMS, cm(name))).body;
  const dependent = (name: string, o: { metadata: { name: string; uid: string } }, block = false) =>
    c.request('POST', CMS, cm(name, {}, { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name, uid: o.metadata.uid, blockOwnerDeletion: block }] }));

  it('Background: dependents follow their owner', async () => {
    const o = await owner('bg-owner');
    await dependent('bg-dep', o);
    await c.request('DELETE', `${CMS}/bg-owner`);
    await expect.poll(async () => (await c.request('GET', `${CMS}/bg-dep`)).status, { timeout: 5000 }).toBe(404);
  });

  it('Orphan: dependents stay, without the reference', async () => {
    const o = await owner('or-owner');
    await dependent('or-dep', o);
    await c.request('DELETE', `${CMS}/or-owner`, { propagationPolicy: 'Orphan' });
    await expect.poll(async () => (await c.request('GET', `${CMS}/or-owner`)).status, { timeout: 5000 }).toBe(404);
    const dep = await c.request('GET', `${CMS}/or-dep`);
    expect(dep.status).toBe(200);
    expect(dep.body.metadata.ownerReferences).toBeUndefined();
  });

  it('Foreground: the owner waits for its blocking dependents', async () => {
    const o = await owner('fg-owner');
    await c.request('POST', CMS, cm('fg-dep', {}, { finalizers: ['example.com/slow'], ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'fg-owner', uid: o.metadata.uid, blockOwnerDeletion: true }] }));
    const del = await c.request('DELETE', `${CMS}/fg-owner`, { propagationPolicy: 'Foreground' });
    expect(del.body.metadata.finalizers).toContain('foregroundDeletion');
    await expect.poll(async () => (await c.request('GET', `${CMS}/fg-dep`)).body.metadata?.deletionTimestamp, { timeout: 5000 }).toBeTruthy();
    expect((await c.request('GET', `${CMS}/fg-owner`)).status).toBe(200);
    await c.request('PATCH', `${CMS}/fg-dep`, [{ op: 'remove', path: '/metadata/finalizers' }], { contentType: 'application/json-patch+json' });
    await expect.poll(async () => (await c.request('GET', `${CMS}/fg-owner`)).status, { timeout: 5000 }).toBe(404);
  });

  it('checks preconditions', async () => {
    await owner('pre');
    const res = await c.request('DELETE', `${CMS}/pre`, { preconditions: { uid: 'not-the-uid' } });
    expect(res.status).toBe(409);
  });

  it('deletes a collection by label', async () => {
    await c.request('POST', CMS, cm('dc-1', {}, { labels: { batch: 'x' } }));
    await c.request('POST', CMS, cm('dc-2', {}, { labels: { batch: 'x' } }));
    await c.request('DELETE', `${CMS}?labelSelector=batch%3Dx`);
    expect((await c.request('GET', `${CMS}?labelSelector=batch%3Dx`)).body.items).toEqual([]);
  });
});

describe('CustomResourceDefinitions', () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer', minimum: 1, default: 3 }, color: { type: 'string', enum: ['red', 'blue'] } } } } } },
        },
      ],
    },
  };
  const widgets = '/apis/example.com/v1/namespaces/t/widgets';

  it('serves the new kind with its schema enforced, defaults applied and unknown fields pruned', async () => {
    expect((await c.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(201);
    await expect.poll(async () => (await c.request('GET', widgets)).status, { timeout: 5000 }).toBe(200);
    const made = await c.request('POST', widgets, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { color: 'red', extra: 1 } });
    expect(made.status).toBe(201);
    expect(made.body.spec).toEqual({ color: 'red', size: 3 });
    const bad = await c.request('POST', widgets, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'b' }, spec: { color: 'green', size: 0 } });
    expect(bad.status).toBe(422);
    expect(bad.body.details.causes.map((x: { field: string }) => x.field).sort()).toEqual(['spec.color', 'spec.size']);
    const table = (await c.kubectl(['get', 'wd', '-n', 't'])).stdout;
    expect(table).toMatch(/^NAME\s+SIZE$/m);
    expect(table).toMatch(/^w\s+3$/m);
  });

  it('refuses a CRD whose schema is not structural', async () => {
    const res = await c.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      ...crd,
      metadata: { name: 'gadgets.example.com' },
      spec: { ...crd.spec, names: { plural: 'gadgets', kind: 'Gadget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: {} } } } }] },
    });
    expect(res.status).toBe(422);
  });

  it('removes the custom resources when the CRD is deleted', async () => {
    await c.request('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com');
    await expect.poll(async () => (await c.request('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com')).status, { timeout: 5000 }).toBe(404);
    expect((await c.request('GET', widgets)).status).toBe(404);
    expect(c.api.deps.store.list('/registry/example.com/').items).toEqual([]);
  });
});
