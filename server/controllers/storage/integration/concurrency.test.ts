// Many claims at once against nearly full pools: the controllers never promise
// more than a pool holds, fill what there is, and explain every claim left pending.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventModel, NamespaceModel, PersistentVolumeClaimModel, PersistentVolumeModel, StorageClassModel } from '@/lib/k8s/models';
import { MiB } from '@/lib/provisioning';
import { openPools } from '@/server/embedded';
import type { FilePool } from '@/server/node';
import type { Claim, Volume } from '../objects';
import { parseHandle } from '../objects';
import { type EventRecord, startStorageCluster, type StorageCluster } from './harness';

let c: StorageCluster;
let files: FilePool[];
let pools: ReturnType<typeof openPools>['pools'];
const CLAIMS = 200;
const SIZE = 64 * MiB;

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kura-storage-load-'));
  const opened = openPools({ dataDirAbs: dir, nodes: 2, nodePoolSize: '2Gi', sharedPoolSize: '2Gi' });
  files = opened.files;
  pools = opened.pools;
  // Nearly full: 1.5 GiB of each 2 GiB pool already promised, room for 8 claims of 64 MiB in each.
  for (const p of pools.all()) await p.createVolume('filler', 1536 * MiB);
  c = await startStorageCluster({ pools, nodes: opened.nodes, maxRetryMs: 5000 }, dir);
  await c.client.create(NamespaceModel, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'load' } });
  await c.client.create(StorageClassModel, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local-now' }, provisioner: 'local.kura.dev', volumeBindingMode: 'Immediate', parameters: { 'kura.dev/image-format': 'qcow2' } });
  while ((await c.client.list(StorageClassModel)).items.length < 3) await new Promise((r) => setTimeout(r, 100));
}, 60_000);

afterAll(async () => {
  await Promise.all((files ?? []).map((f) => f.close()));
  await c?.stop();
});

describe(`${CLAIMS} concurrent claims against nearly full pools`, () => {
  it('bind exactly what fits, over-commit nothing, and explain the rest', async () => {
    await Promise.all(
      Array.from({ length: CLAIMS }, (_, i) =>
        c.claim(`c-${i}`, { storageClassName: i % 2 ? 'kura-shared' : 'local-now', resources: { requests: { storage: '64Mi' } } }, {}, 'load'),
      ),
    );
    const settled = async () => {
      const claims = (await c.client.list<Claim>(PersistentVolumeClaimModel, { namespace: 'load' })).items;
      const events = (await c.client.list<EventRecord>(EventModel, { namespace: 'load' })).items;
      const failed = new Set(events.filter((e) => e.reason === 'ProvisioningFailed').map((e) => e.involvedObject.name));
      const bound = claims.filter((x) => x.status?.phase === 'Bound');
      const explained = claims.filter((x) => x.status?.phase === 'Pending' && failed.has(x.metadata.name));
      return { bound: bound.length, explained: explained.length, events };
    };
    await expect.poll(async () => { const s = await settled(); return s.bound + s.explained; }, { timeout: 60_000, interval: 500 }).toBe(CLAIMS);
    const { bound, events } = await settled();
    // 512 MiB free in each of three pools: 8 claims of 64 MiB each.
    expect(bound).toBe(24);
    for (const p of pools.all()) {
      const s = p.status();
      expect(s.allocatedBytes).toBeLessThanOrEqual(s.capacityBytes);
      expect(s.allocatedBytes).toBe(1536 * MiB + 8 * SIZE);
    }
    // Every bound volume has its data in the pool its handle names.
    const pvs = (await c.client.list<Volume>(PersistentVolumeModel)).items;
    expect(pvs).toHaveLength(24);
    for (const pv of pvs) {
      const h = parseHandle(pv.spec?.csi?.volumeHandle)!;
      expect(pools.byName(h.pool)?.getVolume(h.id)).toBeDefined();
    }
    const failures = events.filter((e) => e.reason === 'ProvisioningFailed');
    const local = failures.find((e) => Number(e.involvedObject.name.slice(2)) % 2 === 0);
    const shared = failures.find((e) => Number(e.involvedObject.name.slice(2)) % 2 === 1);
    expect(local?.message).toMatch(/^No node fits among 2 nodes: 2 short of space in local-now .* node-1: 0 B free in local-now, needs 64 MiB; node-2: 0 B free in local-now, needs 64 MiB\.$/);
    expect(shared?.message).toBe(`The kura-shared pool has 0 B free, and ${shared?.involvedObject.name ?? ''} needs 64 MiB.`);
  }, 90_000);
});
