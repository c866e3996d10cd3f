// FilePool capacity and health: what status() reports, refusals when promises or the disk run out
// (leaving nothing behind), and an unusable directory reported in words instead of crashing.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FilePool, type FilePoolOptions } from './pool';
import { layerFiles, quiet, readsPattern, tempDir, writePattern } from './testing/qemu';
import { PoolError } from './types';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const dirs: string[] = [];
const mounts: string[] = [];
const pools: FilePool[] = [];

function newPool(opts: Partial<FilePoolOptions> = {}): FilePool {
  const dir = opts.dir ?? tempDir('pool');
  dirs.push(dir);
  const pool = new FilePool({ name: 'node-1', dir, capacityBytes: 100 * GiB, usageTtlMs: 0, log: quiet, ...opts });
  pools.push(pool);
  return pool;
}

afterEach(async () => {
  // A pool holds its directory open, which would keep a tmpfs from unmounting.
  for (const pool of pools.splice(0)) await pool.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A small tmpfs, to meet a real ENOSPC or EROFS; undefined where this process may not mount. */
function mountTmpfs(size: string): string | undefined {
  const dir = tempDir('mnt');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  mounts.push(dir);
  return dir;
}
const canMount = (() => {
  const dir = mountTmpfs('1m');
  if (!dir) return false;
  execFileSync('umount', [dir]);
  mounts.pop();
  fs.rmSync(dir, { recursive: true, force: true });
  return true;
})();
afterAll(() => {
  for (const dir of mounts) {
    try {
      execFileSync('umount', [dir], { stdio: 'ignore' });
    } catch {
      // already unmounted
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

async function rejection(p: Promise<unknown>): Promise<PoolError> {
  const err = await p.then(
    () => new Error('resolved'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PoolError);
  return err as PoolError;
}

describe('accounting', () => {
  it('reports allocated as the sum of volume sizes and used as the blocks every layer takes', async () => {
    const pool = newPool();
    expect(pool.status()).toEqual({ name: 'node-1', capacityBytes: 100 * GiB, allocatedBytes: 0, usedBytes: 0, healthy: true, volumes: 0, snapshots: 0 });
    const a = await pool.createVolume('a', 10 * GiB);
    await pool.createVolume('b', 5 * GiB);
    const empty = pool.status().usedBytes;
    expect(empty).toBeGreaterThan(0);
    expect(empty).toBeLessThan(2 * MiB);
    await writePattern(a.path, 0xab, 0, 8 * MiB);
    const written = pool.status();
    expect(written).toMatchObject({ allocatedBytes: 15 * GiB, volumes: 2, snapshots: 0 });
    expect(written.usedBytes - empty).toBeGreaterThanOrEqual(8 * MiB);
    expect(pool.getVolume('a')!.usedBytes).toBeGreaterThanOrEqual(8 * MiB);

    // The written data now belongs to the snapshot: the volume's own share is its new, empty top.
    await pool.snapshot('a', 's');
    expect(pool.status()).toMatchObject({ allocatedBytes: 15 * GiB, snapshots: 1 });
    expect(pool.getVolume('a')!.usedBytes).toBeLessThan(MiB);
    await pool.deleteSnapshot('s');
    expect(pool.getVolume('a')!.usedBytes).toBeGreaterThanOrEqual(8 * MiB);

    await pool.deleteVolume('a');
    expect(pool.status()).toMatchObject({ allocatedBytes: 5 * GiB, volumes: 1 });
    expect(pool.status().usedBytes).toBeLessThan(MiB);
  });

  it('refuses to promise more than the capacity (times the ratio it was given)', async () => {
    const pool = newPool({ capacityBytes: 10 * GiB });
    await pool.createVolume('a', 6 * GiB);
    const err = await rejection(pool.createVolume('b', 5 * GiB));
    expect(err.code).toBe('NoSpace');
    expect(err.message).toMatch(/4 ?GiB left/);
    expect((await rejection(pool.expandVolume('a', 11 * GiB))).code).toBe('NoSpace');
    await pool.expandVolume('a', 10 * GiB);
    expect((await rejection(pool.createVolume('c', 512))).code).toBe('NoSpace');
    // A restore promises its full size too.
    await pool.snapshot('a', 's');
    expect((await rejection(pool.createVolume('r', 10 * GiB, { source: { snapshotId: 's' } }))).code).toBe('NoSpace');
    expect(pool.listVolumes()).toHaveLength(1);

    const thin = newPool({ capacityBytes: 10 * GiB, overprovisionRatio: 2.5 });
    await thin.createVolume('a', 20 * GiB);
    await thin.createVolume('b', 5 * GiB);
    expect((await rejection(thin.createVolume('c', 512))).code).toBe('NoSpace');
  });

  it('refuses new promises once data fills the capacity, whatever the ratio', async () => {
    const pool = newPool({ capacityBytes: 4 * MiB, overprovisionRatio: 100 });
    const a = await pool.createVolume('a', 64 * MiB);
    await writePattern(a.path, 0xab, 0, 5 * MiB);
    const err = await rejection(pool.createVolume('b', MiB));
    expect(err).toMatchObject({ code: 'NoSpace' });
    expect(err.message).toMatch(/is full/);
  });
});

describe('a full file system', () => {
  it('turns qemu-img running out of space into NoSpace and removes the partial file', async () => {
    const bin = path.join(tempDir('fake'), 'qemu-img');
    dirs.push(path.dirname(bin));
    // Writes half a file where qemu-img would, then fails as qemu-img does on a full disk.
    fs.writeFileSync(bin, '#!/bin/sh\neval f=\\${$(($# - 1))}\necho partial > "$f"\necho "qemu-img: $f: Could not write qcow2 header: No space left on device" >&2\nexit 1\n', { mode: 0o755 });
    const pool = newPool({ qemuImg: bin });
    const err = await rejection(pool.createVolume('v', 4 * MiB));
    expect(err.code).toBe('NoSpace');
    expect(err.message).toMatch(/file system of pool node-1 .* is full/);
    expect(layerFiles(pool.dir)).toEqual([]);
    expect(pool.listVolumes()).toEqual([]);
  });

  it('leaves nothing when the metadata commit fails after the layer was made', async () => {
    const pool = newPool();
    fs.mkdirSync(path.join(pool.dir, 'pool.json.tmp'));
    expect((await rejection(pool.createVolume('v', 4 * MiB))).code).toBe('Failed');
    expect(layerFiles(pool.dir)).toEqual([]);
    fs.rmdirSync(path.join(pool.dir, 'pool.json.tmp'));
    await pool.createVolume('v', 4 * MiB);
    expect(layerFiles(pool.dir)).toHaveLength(1);
  });

  it.runIf(canMount)('answers NoSpace for a real ENOSPC, and works again once space is freed', async () => {
    const mnt = mountTmpfs('4m')!;
    const pool = newPool({ dir: path.join(mnt, 'pool') });
    const vol = await pool.createVolume('v', 64 * MiB);
    await writePattern(vol.path, 0xab, 0, MiB);
    const filler = path.join(mnt, 'filler');
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
    } catch {
      // dd stops with ENOSPC: the file system is now full
    }
    const before = layerFiles(pool.dir);
    for (const op of [pool.createVolume('w', MiB), pool.snapshot('v', 's'), pool.createVolume('c', 64 * MiB, { source: { volumeId: 'v' } })]) {
      const err = await rejection(op);
      expect(err.code).toBe('NoSpace');
      expect(err.message).toMatch(/full/);
    }
    expect(layerFiles(pool.dir)).toEqual(before);
    expect(pool.listVolumes().map((v) => v.id)).toEqual(['v']);
    expect(pool.getVolume('v')!.path).toBe(vol.path);
    fs.rmSync(filler);
    await pool.snapshot('v', 's');
    const clone = await pool.createVolume('c', 64 * MiB, { source: { volumeId: 'v' } });
    expect(await readsPattern(clone.path, 0xab, 0, MiB)).toBe(true);
  });
});

describe('health', () => {
  it('reports a removed directory in words with zero capacity, and refuses operations without crashing', async () => {
    const pool = newPool();
    await pool.createVolume('v', MiB);
    await pool.snapshot('v', 's');
    fs.rmSync(pool.dir, { recursive: true });
    const status = pool.status();
    expect(status).toMatchObject({ healthy: false, capacityBytes: 0, volumes: 1, snapshots: 1 });
    expect(status.problem).toMatch(/pool directory .* is gone/);
    const ops = [
      pool.createVolume('w', MiB),
      pool.expandVolume('v', 2 * MiB),
      pool.snapshot('v', 's2'),
      pool.deleteSnapshot('s'),
      pool.deleteVolume('v'),
      pool.createVolume('r', MiB, { source: { snapshotId: 's' } }),
    ];
    for (const op of ops) expect((await rejection(op)).code).toBe('Unavailable');
    expect(pool.getVolume('v')).toBeDefined();
  });

  it('does not take a directory made again in its place for its own', async () => {
    const pool = newPool();
    await pool.createVolume('v', MiB);
    fs.rmSync(pool.dir, { recursive: true });
    fs.mkdirSync(path.join(pool.dir, 'layers'), { recursive: true });
    fs.writeFileSync(path.join(pool.dir, 'pool.json'), '{}');
    expect(pool.status().problem).toMatch(/removed and made again/);
    expect((await rejection(pool.createVolume('w', MiB))).code).toBe('Unavailable');
  });

  it('reports a pool it could not open', async () => {
    const parent = tempDir('pool');
    dirs.push(parent);
    fs.writeFileSync(path.join(parent, 'file'), '');
    const pool = newPool({ dir: path.join(parent, 'file', 'pool') });
    expect(pool.status()).toMatchObject({ healthy: false, capacityBytes: 0 });
    expect(pool.status().problem).toMatch(/cannot open the pool directory/);
    expect((await rejection(pool.createVolume('v', MiB))).code).toBe('Unavailable');
  });

  it.runIf(canMount)('reports a read-only directory, and recovers when it is writable again', async () => {
    const mnt = mountTmpfs('8m')!;
    const pool = newPool({ dir: path.join(mnt, 'pool') });
    await pool.createVolume('v', MiB);
    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    expect(pool.status()).toMatchObject({ healthy: false, capacityBytes: 0 });
    expect(pool.status().problem).toMatch(/not writable \(EROFS\)/);
    expect((await rejection(pool.snapshot('v', 's'))).code).toBe('Unavailable');
    execFileSync('mount', ['-o', 'remount,rw', mnt]);
    expect(pool.status()).toMatchObject({ healthy: true, capacityBytes: 100 * GiB });
    await pool.snapshot('v', 's');
  });
});
