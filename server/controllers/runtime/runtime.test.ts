import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigMapModel, EventModel } from '@/lib/k8s/models';
import type { K8sResource } from '@/lib/k8s/types';
import { startTestCluster, type TestCluster } from '../../apiserver/testing/harness';
import { ControllerManager, type Controller } from './manager';
import { objectKey } from './informer';

let c: TestCluster;
let mgr: ControllerManager;
const reconciled: string[] = [];

// A toy controller: marks every ConfigMap it sees and reports it with an event.
const marker: Controller = {
  name: 'marker',
  setup(ctx, queue) {
    const cms = ctx.informer<K8sResource>(ConfigMapModel, { namespace: 'default' });
    const events = ctx.events('marker');
    cms.on({ add: (o) => queue.add(objectKey(o)), update: (o) => queue.add(objectKey(o)) });
    return async (key) => {
      const [ns, name] = key.split('/');
      const cm = cms.get(ns, name!);
      if (!cm) return;
      reconciled.push(key);
      if (cm.metadata.labels?.seen === 'yes') return;
      await ctx.client.patch(ConfigMapModel, ns, name!, { metadata: { labels: { seen: 'yes' } } });
      await events.normal(cm, 'Marked', `marked ${name}`);
      await events.normal(cm, 'Marked', `marked ${name}`);
    };
  },
};

beforeAll(async () => {
  c = await startTestCluster();
  mgr = new ControllerManager({ server: c.api.url, ca: fs.readFileSync(path.join(c.dir, 'pki', 'ca.crt'), 'utf8'), token: c.api.adminToken, userAgent: 'kura-test-controller' });
  await c.request('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before' } });
  await mgr.start([marker]);
}, 60_000);

afterAll(async () => {
  await mgr?.stop();
  await c?.stop();
});

describe('controller runtime against the API server', () => {
  it('reconciles objects that existed before it started and ones created later', async () => {
    await c.request('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after' } });
    for (const name of ['before', 'after']) {
      await expect.poll(async () => (await c.request('GET', `/api/v1/namespaces/default/configmaps/${name}`)).body.metadata.labels?.seen, { timeout: 5000 }).toBe('yes');
    }
    expect(reconciled).toContain('default/before');
  });

  it('records events once and counts repeats', async () => {
    const list = await mgr.client.list<K8sResource & { reason: string; count: number; involvedObject: { name: string } }>(EventModel, { namespace: 'default' });
    const marked = list.items.filter((e) => e.reason === 'Marked' && e.involvedObject.name === 'after');
    expect(marked).toHaveLength(1);
    expect(marked[0]!.count).toBe(2);
  });

  it('keeps its cache through a compaction (relists on 410)', async () => {
    const inf = mgr['informers'].values().next().value!;
    c.api.deps.store.compact(c.api.deps.store.revision);
    await c.request('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } });
    await expect.poll(() => inf.get('default', 'late')?.metadata.name, { timeout: 5000 }).toBe('late');
  });
});
