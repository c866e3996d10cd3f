// The embedded CDI end to end, below the console: a real API server, the
// storage controllers over real file pools, the CDI controllers and the upload
// service; images from a loopback HTTP server; every result read back with qemu-img.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataVolume } from '@/lib/cdi';
import type { K8sResource } from '@/lib/k8s';
import { DataVolumeModel, PersistentVolumeClaimModel, PersistentVolumeModel, StorageProfileModel, UploadTokenRequestModel, VolumeSnapshotModel } from '@/lib/k8s/models';
import { openPools } from '@/server/embedded';
import { type Fixtures, TestServer, makeFixtures, tempDir } from '@/server/node/import/testing';
import { UploadService } from '@/server/upload/service';
import { loadUploadTokenKey } from '@/server/upload/token';
import { type StorageCluster, startStorageCluster } from '../storage/integration/harness';
import { parseHandle, type Claim, type Volume } from '../storage/objects';
import { type RunningCdi, UploadTargetsRegistry, startCdiControllers } from '.';
import { parseImportAllowList } from '@/lib/cdi';
import { execFileSync } from 'node:child_process';

type DV = DataVolume & K8sResource;
const MiB = 1 << 20;
let cluster: StorageCluster;
let cdi: RunningCdi;
let fx: Fixtures;
let images: TestServer;
let uploadServer: http.Server;
let uploadUrl: string;
let pools: ReturnType<typeof openPools>;
let dir: string;
let startCdi: () => Promise<RunningCdi>;

beforeAll(async () => {
  dir = tempDir('cdi');
  fs.mkdirSync(path.join(dir, 'fixtures'));
  fx = await makeFixtures(path.join(dir, 'fixtures'));
  images = await new TestServer().start();
  images.route('/disk.qcow2', { file: fx.qcow2 });
  images.route('/disk.qcow2.gz', { file: fx.qcow2gz });
  images.route('/slow.qcow2', { file: fx.qcow2, delayMs: 4 });
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  pools = openPools({ dataDirAbs: dataDir, nodes: 2, nodePoolSize: '4Gi', sharedPoolSize: '4Gi' });
  cluster = await startStorageCluster({ pools: pools.pools, nodes: pools.nodes }, dataDir);
  const uploads = new UploadTargetsRegistry();
  const service = new UploadService(loadUploadTokenKey(dataDir), uploads);
  uploadServer = http.createServer(service.handle);
  await new Promise<void>((r) => uploadServer.listen(0, '127.0.0.1', r));
  uploadUrl = `http://127.0.0.1:${(uploadServer.address() as { port: number }).port}`;
  startCdi = () =>
    startCdiControllers({ server: cluster.api.url, ca: fs.readFileSync(path.join(dataDir, 'pki', 'ca.crt'), 'utf8'), token: cluster.api.adminToken }, {
      pools: pools.pools,
      scratchDir: path.join(dataDir, 'cdi'),
      policy: { allow: parseImportAllowList('127.0.0.1').allow },
      uploads,
    });
  cdi = await startCdi();
}, 180_000);

afterAll(async () => {
  await cdi?.stop();
  uploadServer?.close();
  await images?.close();
  await cluster?.stop();
  await Promise.all(pools?.files.map((f) => f.close()) ?? []);
  fs.rmSync(dir, { recursive: true, force: true });
});

function dataVolume(name: string, source: Record<string, unknown>, storage: Record<string, unknown> = {}, annotations: Record<string, string> = {}): Promise<DV> {
  return cluster.client.create(DataVolumeModel, {
    apiVersion: 'cdi.kubevirt.io/v1beta1',
    kind: 'DataVolume',
    metadata: { name, namespace: 'default', annotations },
    spec: { source, storage: { resources: { requests: { storage: '64Mi' } }, ...storage } },
  }) as Promise<DV>;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

const getDv = (name: string) => cluster.client.get<DV>(DataVolumeModel, 'default', name);
const phaseIs = (name: string, ...phases: string[]) => until(`${name} in ${phases.join('/')}`, async () => {
  const dv = await getDv(name);
  return phases.includes(dv.status?.phase ?? '') ? dv : undefined;
});

/** The volume file behind a DataVolume's claim. */
async function volumeFile(name: string): Promise<string> {
  const claim = await cluster.client.get<Claim>(PersistentVolumeClaimModel, 'default', name);
  const pv = await cluster.client.get<Volume>(PersistentVolumeModel, undefined, claim.spec!.volumeName!);
  const h = parseHandle(pv.spec?.csi?.volumeHandle)!;
  return pools.pools.byName(h.pool)!.getVolume(h.id)!.path;
}

const sameAsTestDisk = (file: string) => {
  try {
    execFileSync('qemu-img', ['compare', '-q', '-f', 'raw', '-F', 'qcow2', fx.raw, file]);
    return true;
  } catch {
    return false;
  }
};

describe('StorageProfiles', () => {
  it('has one per class, saying which modes and clone strategy Kura uses', async () => {
    const p = await until('profile', () => cluster.client.find<K8sResource & { status?: Record<string, unknown> }>(StorageProfileModel, undefined, 'kura-shared').then((x) => (x?.status?.claimPropertySets ? x : undefined)));
    expect(p.status).toMatchObject({ storageClass: 'kura-shared', cloneStrategy: 'csi-clone', claimPropertySets: [{ accessModes: ['ReadWriteMany'], volumeMode: 'Filesystem' }, expect.anything(), expect.anything()] });
  });
});

describe('imports', () => {
  it('imports a qcow2 over http into a shared volume, with progress, events and a claim owned by the DataVolume', async () => {
    await dataVolume('http-shared', { http: { url: images.url('/disk.qcow2') } }, { storageClassName: 'kura-shared' });
    const dv = await phaseIs('http-shared', 'Succeeded', 'Failed');
    expect(dv.status).toMatchObject({ phase: 'Succeeded', progress: '100.0%', claimName: 'http-shared' });
    expect(dv.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    const claim = await cluster.client.get<Claim>(PersistentVolumeClaimModel, 'default', 'http-shared');
    expect(claim.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'DataVolume', name: 'http-shared', controller: true });
    expect(claim.spec?.accessModes).toEqual(['ReadWriteMany']);
    expect(sameAsTestDisk(await volumeFile('http-shared'))).toBe(true);
    const reasons = (await cluster.events('http-shared')).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['ImportInProgress', 'ImportSucceeded']));
  });

  it('waits for the first consumer on a WaitForFirstConsumer class, and starts at once when asked to bind immediately', async () => {
    await dataVolume('wffc', { http: { url: images.url('/disk.qcow2.gz') } }, { storageClassName: 'kura-local' });
    const waiting = await phaseIs('wffc', 'WaitForFirstConsumer');
    expect(waiting.status?.conditions?.find((c) => c.type === 'Running')?.reason).toBe('WaitForFirstConsumer');
    await dataVolume('wffc-now', { http: { url: images.url('/disk.qcow2.gz') } }, { storageClassName: 'kura-local' }, { 'cdi.kubevirt.io/storage.bind.immediate.requested': 'true' });
    await phaseIs('wffc-now', 'Succeeded');
    expect(sameAsTestDisk(await volumeFile('wffc-now'))).toBe(true);
    expect((await getDv('wffc')).status?.phase).toBe('WaitForFirstConsumer');
  });

  it('fails with the reason when the server answers 404, and empties nothing it should keep', async () => {
    await dataVolume('missing', { http: { url: images.url('/nope.qcow2') } }, { storageClassName: 'kura-shared' });
    const dv = await phaseIs('missing', 'Failed');
    expect(dv.status?.conditions?.find((c) => c.type === 'Running')?.message).toMatch(/404/);
    // The event is recorded beside the status, not before it: wait for it too.
    await until('the ImportFailed event', async () => ((await cluster.events('missing')).some((e) => e.type === 'Warning' && e.reason === 'ImportFailed') ? true : undefined), 10_000);
  });

  it('fails at once for an image larger than the disk asked for', async () => {
    await dataVolume('small', { http: { url: images.url('/disk.qcow2') } }, { storageClassName: 'kura-shared', resources: { requests: { storage: '8Mi' } } });
    const dv = await phaseIs('small', 'Failed');
    expect(dv.status?.conditions?.find((c) => c.type === 'Running')?.message).toMatch(/at least/);
  });
});

describe('a restart in the middle of an import', () => {
  it('takes the import up where it was, and never says Succeeded before the data is whole', async () => {
    await dataVolume('restart', { http: { url: images.url('/slow.qcow2') } }, { storageClassName: 'kura-shared' });
    const phases = new Set<string>();
    const watcher = setInterval(() => void getDv('restart').then((d) => phases.add(`${d.status?.phase}@${d.status?.progress}`)).catch(() => undefined), 50);
    try {
      await until('some progress', async () => {
        const p = Number.parseFloat((await getDv('restart')).status?.progress ?? '');
        return p > 5 ? p : undefined;
      });
      await cdi.stop();
      await new Promise((r) => setTimeout(r, 300));
      cdi = await startCdi();
      await phaseIs('restart', 'Succeeded');
    } finally {
      clearInterval(watcher);
    }
    expect(sameAsTestDisk(await volumeFile('restart'))).toBe(true);
    expect([...phases].filter((p) => p.startsWith('Succeeded')).every((p) => p === 'Succeeded@100.0%')).toBe(true);
    // Only the missing part was fetched again.
    expect(images.served('/slow.qcow2').bytes).toBeLessThan(fs.statSync(fx.qcow2).size * 1.5);
  }, 120_000);
});

describe('blank disks and clones', () => {
  it('makes a blank disk', async () => {
    await dataVolume('blank', { blank: {} }, { storageClassName: 'kura-shared' });
    await phaseIs('blank', 'Succeeded');
  });

  it('clones a volume copy-on-write within a driver, and copies it across drivers', async () => {
    await phaseIs('http-shared', 'Succeeded');
    await dataVolume('clone-cow', { pvc: { namespace: 'default', name: 'http-shared' } }, { storageClassName: 'kura-shared' });
    await dataVolume('clone-copy', { pvc: { namespace: 'default', name: 'http-shared' } }, { storageClassName: 'kura-local' }, { 'cdi.kubevirt.io/storage.bind.immediate.requested': 'true' });
    await phaseIs('clone-cow', 'Succeeded');
    const copy = await phaseIs('clone-copy', 'Succeeded', 'Failed');
    expect(copy.status?.phase).toBe('Succeeded');
    const cow = await cluster.client.get<Claim>(PersistentVolumeClaimModel, 'default', 'clone-cow');
    expect((cow.spec as { dataSource?: unknown }).dataSource).toMatchObject({ kind: 'PersistentVolumeClaim', name: 'http-shared' });
    expect(sameAsTestDisk(await volumeFile('clone-cow'))).toBe(true);
    expect(sameAsTestDisk(await volumeFile('clone-copy'))).toBe(true);
  });

  it('restores a snapshot into a DataVolume', async () => {
    await cluster.client.create(VolumeSnapshotModel, { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 'snap', namespace: 'default' }, spec: { source: { persistentVolumeClaimName: 'http-shared' } } });
    await dataVolume('from-snap', { snapshot: { namespace: 'default', name: 'snap' } }, { storageClassName: 'kura-shared' });
    await phaseIs('from-snap', 'Succeeded');
    expect(sameAsTestDisk(await volumeFile('from-snap'))).toBe(true);
  });
});

describe('uploads', () => {
  async function token(pvc: string): Promise<string> {
    const r = await cluster.client.create(UploadTokenRequestModel, { apiVersion: 'upload.cdi.kubevirt.io/v1beta1', kind: 'UploadTokenRequest', metadata: { name: pvc, namespace: 'default' }, spec: { pvcName: pvc } });
    return (r as unknown as { status: { token: string } }).status.token;
  }
  const call = (method: string, tok: string, headers: Record<string, string> = {}, body?: Buffer) =>
    fetch(`${uploadUrl}/kura/v1/upload`, { method, headers: { authorization: `Bearer ${tok}`, ...headers }, ...(body ? { body: new Uint8Array(body) } : {}) });

  it('takes a file in chunks, resumes at the stored offset, and converts it into the volume', async () => {
    await dataVolume('up', { upload: {} }, { storageClassName: 'kura-shared' });
    await phaseIs('up', 'UploadReady');
    const tok = await token('up');
    const file = fs.readFileSync(fx.qcow2);
    const len = String(file.length);
    expect((await call('HEAD', tok)).headers.get('upload-offset')).toBe('0');
    const first = await call('PATCH', tok, { 'upload-offset': '0', 'upload-length': len }, file.subarray(0, MiB));
    expect(first.status).toBe(204);
    // A chunk sent from the wrong place is refused with where to go on from.
    const wrong = await call('PATCH', tok, { 'upload-offset': '0', 'upload-length': len }, file.subarray(0, MiB));
    expect(wrong.status).toBe(409);
    expect(wrong.headers.get('upload-offset')).toBe(String(MiB));
    for (let at = MiB; at < file.length; at += 4 * MiB) {
      const r = await call('PATCH', tok, { 'upload-offset': String(at), 'upload-length': len }, file.subarray(at, Math.min(file.length, at + 4 * MiB)));
      expect(r.status).toBe(204);
    }
    await phaseIs('up', 'Succeeded');
    expect(sameAsTestDisk(await volumeFile('up'))).toBe(true);
  });

  it('refuses at once a file that is not a disk image, or an image larger than the volume', async () => {
    await dataVolume('up-bad', { upload: {} }, { storageClassName: 'kura-shared', resources: { requests: { storage: '8Mi' } } });
    await phaseIs('up-bad', 'UploadReady');
    const tok = await token('up-bad');
    const html = Buffer.from('<!DOCTYPE html><html><body>not a disk</body></html>');
    const r1 = await call('PATCH', tok, { 'upload-offset': '0', 'upload-length': String(html.length) }, html);
    expect(r1.status).toBe(400);
    expect(((await r1.json()) as { message: string }).message).toMatch(/not a disk image|HTML/i);
    // Refused at the head of a big chunk: the answer still reaches the client.
    const bigHtml = Buffer.concat([html, Buffer.alloc(12 * MiB, 0x20)]);
    const r1b = await call('PATCH', tok, { 'upload-offset': '0', 'upload-length': String(bigHtml.length) }, bigHtml);
    expect(r1b.status).toBe(400);
    const head = fs.readFileSync(fx.qcow2).subarray(0, 128 * 1024);
    const r2 = await call('PATCH', tok, { 'upload-offset': '0', 'upload-length': String(fs.statSync(fx.qcow2).size) }, head);
    expect(r2.status).toBe(413);
    expect((await call('HEAD', tok)).headers.get('upload-offset')).toBe('0');
  });

  it('refuses tokens it did not sign and claims that are not ready', async () => {
    expect((await call('HEAD', 'forged.token')).status).toBe(401);
    await dataVolume('up-wffc', { upload: {} }, { storageClassName: 'kura-local' });
    await phaseIs('up-wffc', 'WaitForFirstConsumer');
    expect((await call('HEAD', await token('up-wffc'))).status).toBe(503);
  });
});
