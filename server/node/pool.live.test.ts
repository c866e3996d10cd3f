// Snapshots of volumes in use: through the LiveSnapshotHook (a real QEMU switching to the overlay, and
// hooks that fail), and refusals (Busy) when another process holds a volume and no hook helps.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { FilePool } from './pool';
import { QemuImg } from './qemuImg';
import { haveQemuSystem, runDisk } from './testing/qmp';
import { checkClean, holdOpen, layerFiles, quiet, readsPattern, tempDir, writePattern } from './testing/qemu';
import { PoolError, type LiveSnapshotHook } from './types';

const MiB = 2 ** 20;
const qemu = new QemuImg();
const dirs: string[] = [];
const pools: FilePool[] = [];

function newPool(): FilePool {
  const dir = tempDir('pool');
  dirs.push(dir);
  const pool = new FilePool({ name: 'node-1', dir, capacityBytes: 2 ** 40, usageTtlMs: 0, log: quiet });
  pools.push(pool);
  return pool;
}

afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function code(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof PoolError ? e.code : String(e)),
  );
}

function metaOf(pool: FilePool): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(pool.dir, 'pool.json'), 'utf8')) as Record<string, unknown>;
}

/** Does what a VM's QEMU does for blockdev-snapshot-sync: an overlay naming the old top by absolute path. */
const qemuLikeHook: LiveSnapshotHook = async (_volumeId, currentTop, newOverlay) => {
  await promisify(execFile)('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', currentTop, newOverlay]);
  return 'done';
};

describe('live snapshot hook', () => {
  it.runIf(haveQemuSystem())('snapshots a volume a running QEMU writes, through QEMU, and the VM goes on writing the new top', async () => {
    const pool = newPool();
    const vol = await pool.createVolume('disk', 16 * MiB);
    const vm = await runDisk(vol.path, pool.dir);
    try {
      await vm.io(`write -P 0xab 0 ${MiB}`);
      const calls: string[][] = [];
      pool.setLiveSnapshotHook(async (volumeId, currentTop, newOverlay) => {
        calls.push([volumeId, currentTop, newOverlay]);
        await vm.execute('blockdev-snapshot-sync', { device: 'drive0', 'snapshot-file': newOverlay, format: 'qcow2' });
        return 'done';
      });
      const snap = await pool.snapshot('disk', 'snap');
      expect(snap).toMatchObject({ id: 'snap', sourceVolumeId: 'disk', restoreSizeBytes: 16 * MiB });
      const top = pool.getVolume('disk')!.path;
      expect(calls).toEqual([['disk', vol.path, top]]);
      await vm.io(`write -P 0xcd 0 ${MiB}`);
      // A clone of the running volume freezes it through QEMU too.
      const clone = await pool.createVolume('clone', 16 * MiB, { source: { volumeId: 'disk' } });
      expect(calls).toHaveLength(2);
      await vm.io(`write -P 0xee 0 ${MiB}`);
      expect(await readsPattern(clone.path, 0xcd, 0, MiB)).toBe(true);
      const restored = await pool.createVolume('restored', 16 * MiB, { source: { snapshotId: 'snap' } });
      expect(await readsPattern(restored.path, 0xab, 0, MiB)).toBe(true);
    } finally {
      await vm.stop();
    }
    expect(await readsPattern(pool.getVolume('disk')!.path, 0xee, 0, MiB)).toBe(true);
    for (const f of layerFiles(pool.dir)) expect(await checkClean(path.join(pool.dir, 'layers', f))).toBe(true);
    expect(metaOf(pool).pending).toBeUndefined();
  });

  it('records the overlay the hook made and passes it the old and new top', async () => {
    const pool = newPool();
    const vol = await pool.createVolume('v', 8 * MiB);
    await writePattern(vol.path, 0xab, 0, MiB);
    pool.setLiveSnapshotHook(qemuLikeHook);
    await pool.snapshot('v', 's');
    const top = pool.getVolume('v')!;
    expect(pool.chain('v')).toEqual([top.path, vol.path]);
    expect((await qemu.info(top.path, { format: 'qcow2' })).backingFilename).toBe(vol.path);
    await writePattern(top.path, 0xcd, 0, MiB);
    expect(await readsPattern(pool.snapshotPath('s')!, 0xab, 0, MiB)).toBe(true);
    expect(metaOf(pool).pending).toBeUndefined();
  });

  it("snapshots offline when the hook says the volume's VM is not running", async () => {
    const pool = newPool();
    const vol = await pool.createVolume('v', 8 * MiB);
    let asked = 0;
    pool.setLiveSnapshotHook(async () => {
      asked++;
      return 'not-running';
    });
    await pool.snapshot('v', 's');
    expect(asked).toBe(1);
    expect(pool.snapshotPath('s')).toBe(vol.path);
    expect((await qemu.info(pool.getVolume('v')!.path, { format: 'qcow2' })).backingFilename).toBe(path.basename(vol.path));
    expect(metaOf(pool).pending).toBeUndefined();
  });

  it.each([
    ['throws', (async () => Promise.reject(new Error('QMP: device not found'))) as LiveSnapshotHook, /device not found/],
    ['says done without an overlay', (async () => 'done') as LiveSnapshotHook, /not an overlay/],
    [
      'makes an overlay of the wrong file',
      (async (_v, _top, overlay) => {
        await promisify(execFile)('qemu-img', ['create', '-q', '-f', 'qcow2', overlay, String(8 * MiB)]);
        return 'done';
      }) as LiveSnapshotHook,
      /not an overlay/,
    ],
  ])('fails cleanly when the hook %s', async (_name, hook, why) => {
    const pool = newPool();
    const vol = await pool.createVolume('v', 8 * MiB);
    pool.setLiveSnapshotHook(hook);
    const err = await pool.snapshot('v', 's').catch((e: unknown) => e as PoolError);
    expect(err).toMatchObject({ code: 'Failed' });
    expect((err as PoolError).message).toMatch(why);
    expect(pool.getSnapshot('s')).toBeUndefined();
    expect(pool.getVolume('v')!.path).toBe(vol.path);
    expect(layerFiles(pool.dir)).toEqual([path.basename(vol.path)]);
    expect(metaOf(pool).pending).toBeUndefined();
    pool.setLiveSnapshotHook(undefined);
    await pool.snapshot('v', 's');
  });
});

describe('volumes in use without a hook', () => {
  it('refuses to snapshot, clone, grow or delete a volume another process writes (Busy), and works once it let go', async () => {
    const pool = newPool();
    const vol = await pool.createVolume('v', 8 * MiB);
    const release = await holdOpen(vol.path);
    try {
      expect(await code(pool.snapshot('v', 's'))).toBe('Busy');
      expect(await code(pool.createVolume('c', 8 * MiB, { source: { volumeId: 'v' } }))).toBe('Busy');
      expect(await code(pool.expandVolume('v', 16 * MiB))).toBe('Busy');
      expect(await code(pool.deleteVolume('v'))).toBe('Busy');
      expect(layerFiles(pool.dir)).toEqual([path.basename(vol.path)]);
    } finally {
      await release();
    }
    await pool.snapshot('v', 's');
    await pool.expandVolume('v', 16 * MiB);
    await pool.deleteVolume('v');
    expect(pool.listVolumes()).toEqual([]);
  });
});
