// 1,000 concurrent claims against nearly full pools: the embedded API server, the storage
// controllers and real FilePools in a temporary directory. Prints counts and PASS/FAIL for
// "zero over-commit, every byte that fits used, every other claim pending with a reason".
// Run: node --import tsx bench/storage/claims.ts [claims]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventModel, NamespaceModel, PersistentVolumeClaimModel, PersistentVolumeModel, StorageClassModel } from '@/lib/k8s/models';
import { formatSize, MiB } from '@/lib/provisioning';
import { openPools } from '@/server/embedded';
import type { Claim, Volume } from '@/server/controllers/storage/objects';
import { parseHandle } from '@/server/controllers/storage/objects';
import { type EventRecord, startStorageCluster } from '@/server/controllers/storage/integration/harness';

const CLAIMS = Number(process.argv[2] ?? 1000);
const NODES = 3;
const POOL = 4096 * MiB;
const FILLED = 3584 * MiB;
const SIZE = 64 * MiB;
const EXPECTED_BOUND = (NODES + 1) * Math.floor((POOL - FILLED) / SIZE);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kura-bench-claims-'));
const { pools, files, nodes } = openPools({ dataDirAbs: dir, nodes: NODES, nodePoolSize: `${POOL / MiB}Mi`, sharedPoolSize: `${POOL / MiB}Mi` });
for (const p of pools.all()) await p.createVolume('filler', FILLED);
const c = await startStorageCluster({ pools, nodes, maxRetryMs: 10_000 }, dir);
let ok: boolean;
try {
  await c.client.create(NamespaceModel, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
  await c.client.create(StorageClassModel, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'local-now' }, provisioner: 'local.kura.dev', volumeBindingMode: 'Immediate', parameters: { 'kura.dev/image-format': 'qcow2' } });
  while ((await c.client.list(StorageClassModel)).items.length < 3) await new Promise((r) => setTimeout(r, 100));

  const started = performance.now();
  // Created as fast as the API takes them, a few dozen requests in flight at once.
  let next = 0;
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (next < CLAIMS) {
      const i = next++;
      await c.claim(`c-${i}`, { storageClassName: i % 2 ? 'kura-shared' : 'local-now', resources: { requests: { storage: `${SIZE / MiB}Mi` } } }, {}, 'bench');
    }
  }));
  const created = performance.now();

  let bound = 0;
  let explained = 0;
  let unexplained = CLAIMS;
  const deadline = Date.now() + 5 * 60_000;
  while (Date.now() < deadline) {
    const claims = (await c.client.list<Claim>(PersistentVolumeClaimModel, { namespace: 'bench' })).items;
    const failed = new Set((await c.client.list<EventRecord>(EventModel, { namespace: 'bench' })).items.filter((e) => e.reason === 'ProvisioningFailed').map((e) => e.involvedObject.name));
    bound = claims.filter((x) => x.status?.phase === 'Bound').length;
    explained = claims.filter((x) => x.status?.phase !== 'Bound' && failed.has(x.metadata.name)).length;
    unexplained = CLAIMS - bound - explained;
    if (unexplained === 0) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const settled = performance.now();

  let overCommitted = 0;
  console.log(`\n${CLAIMS} claims of ${formatSize(SIZE)} against ${NODES} node pools and a shared pool, each ${formatSize(POOL)} with ${formatSize(FILLED)} already promised`);
  for (const p of pools.all()) {
    const s = p.status();
    if (s.allocatedBytes > s.capacityBytes) overCommitted++;
    console.log(`  pool ${s.name.padEnd(7)} allocated ${formatSize(s.allocatedBytes).padStart(9)} of ${formatSize(s.capacityBytes)}  volumes ${s.volumes}`);
  }
  const pvs = (await c.client.list<Volume>(PersistentVolumeModel)).items;
  const withoutData = pvs.filter((pv) => {
    const h = parseHandle(pv.spec?.csi?.volumeHandle);
    return !h || !pools.byName(h.pool)?.getVolume(h.id);
  }).length;
  console.log(`  created in ${((created - started) / 1000).toFixed(1)} s, settled after ${((settled - started) / 1000).toFixed(1)} s`);
  console.log(`  bound ${bound} (expected ${EXPECTED_BOUND}), pending with a reason ${explained}, pending without one ${unexplained}`);
  console.log(`  pools over-committed ${overCommitted}, PVs without data ${withoutData}`);
  ok = overCommitted === 0 && withoutData === 0 && bound === EXPECTED_BOUND && unexplained === 0 && pvs.length === bound;
  console.log(ok ? 'PASS' : 'FAIL');
} finally {
  await Promise.all(files.map((f) => f.close()));
  await c.stop();
}
process.exit(ok ? 0 : 1);
