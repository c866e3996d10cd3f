// FilePool with real qcow2 files: data survives snapshots, restores and clones read the right data and
// stay independent, shared layers go only when nothing needs them, expansion, validation, idempotency.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { QemuImg } from './qemuImg';
import { FilePool } from './pool';
import { checkClean, layerFiles, quiet, readsPattern, tempDir, writePattern } from './testing/qemu';
import { PoolError } from './types';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const qemu = new QemuImg();
const dirs: string[] = [];

function newPool(capacityBytes = 100 * GiB): FilePool {
  const dir = tempDir('pool');
  dirs.push(dir);
  // A qemu-img call that hangs fails within the test's time, naming itself (the default is 60 s).
  return new FilePool({ name: 'node-1', dir, capacityBytes, usageTtlMs: 0, log: quiet, qemuImgTimeoutMs: 12_000 });
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function expectPoolError(p: Promise<unknown>, code: PoolError['code']): Promise<PoolError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PoolError);
  expect((err as PoolError).code).toBe(code);
  return err as PoolError;
}

/** Every file the pool's metadata needs is there and clean, and no other file is. */
async function expectConsistent(pool: FilePool): Promise<void> {
  const needed = new Set<string>();
  for (const v of pool.listVolumes()) for (const f of pool.chain(v.id) ?? []) needed.add(path.basename(f));
  for (const s of pool.listSnapshots()) for (const f of pool.snapshotChain(s.id) ?? []) needed.add(path.basename(f));
  const files = layerFiles(pool.dir);
  expect(files.filter((f) => !needed.has(f))).toEqual([]);
  for (const f of needed) expect(files).toContain(f);
  for (const f of files) expect(await checkClean(path.join(pool.dir, 'layers', f))).toBe(true);
}

describe('empty volumes', () => {
  it('creates a thin qcow2 volume of the size asked, rounded up to 512 bytes', async () => {
    const pool = newPool();
    const vol = await pool.createVolume('pvc-a', 10 * GiB + 1000);
    expect(vol).toMatchObject({ id: 'pvc-a', sizeBytes: 10 * GiB + 1024, format: 'qcow2' });
    const info = await qemu.info(vol.path, { format: 'qcow2' });
    expect(info.virtualSize).toBe(10 * GiB + 1024);
    expect(vol.usedBytes).toBeLessThan(MiB);
    expect(await readsPattern(vol.path, 0, 0, MiB)).toBe(true);
  });

  it('creates a sparse raw volume when asked', async () => {
    const pool = newPool();
    const vol = await pool.createVolume('raw', 64 * MiB, { format: 'raw' });
    expect(fs.statSync(vol.path).size).toBe(64 * MiB);
    expect(vol.usedBytes).toBeLessThan(MiB);
    await writePattern(vol.path, 0x11, 0, MiB, 'raw');
    expect(await readsPattern(vol.path, 0x11, 0, MiB, 'raw')).toBe(true);
    await expectPoolError(pool.snapshot('raw', 's'), 'Invalid');
    await expectPoolError(pool.createVolume('c', 64 * MiB, { source: { volumeId: 'raw' } }), 'Invalid');
    expect((await pool.expandVolume('raw', 65 * MiB)).sizeBytes).toBe(65 * MiB);
    expect(fs.statSync(vol.path).size).toBe(65 * MiB);
  });

  it('answers the same create again with the volume, and a different one with AlreadyExists', async () => {
    const pool = newPool();
    const first = await pool.createVolume('v', 4 * MiB);
    expect(await pool.createVolume('v', 4 * MiB)).toEqual(first);
    expect(await pool.createVolume('v', 4 * MiB - 100)).toEqual(first);
    await expectPoolError(pool.createVolume('v', 8 * MiB), 'AlreadyExists');
    await expectPoolError(pool.createVolume('v', 4 * MiB, { format: 'raw' }), 'AlreadyExists');
    expect(pool.listVolumes()).toHaveLength(1);
    expect(layerFiles(pool.dir)).toHaveLength(1);
  });

  it.each([
    ['..', 1],
    ['a/b', 1],
    ['../etc', 1],
    ['', 1],
    ['.hidden', 1],
    ['a..b', 1],
    ['x'.repeat(254), 1],
    ['ok', 0],
    ['ok', -1],
    ['ok', 1.5],
    ['ok', Number.NaN],
  ])('refuses id %j with size %d as Invalid, touching nothing', async (id, size) => {
    const pool = newPool();
    await expectPoolError(pool.createVolume(id, size), 'Invalid');
    await expectPoolError(pool.snapshot(id, 'ok'), id === 'ok' ? 'NotFound' : 'Invalid');
    expect(layerFiles(pool.dir)).toEqual([]);
  });
});

describe('snapshots, restores and clones', () => {
  it('restores a snapshot as the data was when it was taken, whatever was written after', async () => {
    const pool = newPool();
    const vol = await pool.createVolume('src', 64 * MiB);
    await writePattern(vol.path, 0xab, 0, MiB);
    const snap = await pool.snapshot('src', 'snap-1');
    expect(snap).toMatchObject({ id: 'snap-1', sourceVolumeId: 'src', restoreSizeBytes: 64 * MiB, dependents: 0 });
    const after = pool.getVolume('src')!;
    expect(after.path).not.toBe(vol.path);
    await writePattern(after.path, 0xcd, 0, MiB);
    await writePattern(after.path, 0xcd, 32 * MiB, MiB);

    const restored = await pool.createVolume('restored', 64 * MiB, { source: { snapshotId: 'snap-1' } });
    expect(await readsPattern(restored.path, 0xab, 0, MiB)).toBe(true);
    expect(await readsPattern(restored.path, 0, 32 * MiB, MiB)).toBe(true);
    expect(await readsPattern(after.path, 0xcd, 0, MiB)).toBe(true);
    expect(pool.getSnapshot('snap-1')!.dependents).toBe(1);
    await expectConsistent(pool);
  });

  it('restores into a bigger volume: old data, then zeros up to the new size', async () => {
    const pool = newPool();
    const vol = await pool.createVolume('src', 16 * MiB);
    await writePattern(vol.path, 0xab, 15 * MiB, MiB);
    await pool.snapshot('src', 's');
    const big = await pool.createVolume('big', 48 * MiB, { source: { snapshotId: 's' } });
    expect((await qemu.info(big.path, { format: 'qcow2' })).virtualSize).toBe(48 * MiB);
    expect(await readsPattern(big.path, 0xab, 15 * MiB, MiB)).toBe(true);
    expect(await readsPattern(big.path, 0, 16 * MiB, 32 * MiB)).toBe(true);
    await writePattern(big.path, 0x77, 40 * MiB, MiB);
    expect(await readsPattern(big.path, 0x77, 40 * MiB, MiB)).toBe(true);
    await expectPoolError(pool.createVolume('small', 8 * MiB, { source: { snapshotId: 's' } }), 'Invalid');
    await expectPoolError(pool.createVolume('none', 16 * MiB, { source: { snapshotId: 'nope' } }), 'NotFound');
    await expectPoolError(pool.createVolume('none', 16 * MiB, { source: { volumeId: 'nope' } }), 'NotFound');
  });

  it('clones a volume; afterwards writes to either do not show in the other', async () => {
    const pool = newPool();
    const src = await pool.createVolume('src', 32 * MiB);
    await writePattern(src.path, 0xab, 0, 2 * MiB);
    const clone = await pool.createVolume('clone', 32 * MiB, { source: { volumeId: 'src' } });
    expect(await readsPattern(clone.path, 0xab, 0, 2 * MiB)).toBe(true);
    await writePattern(clone.path, 0xee, 0, MiB);
    await writePattern(pool.getVolume('src')!.path, 0x55, MiB, MiB);
    expect(await readsPattern(pool.getVolume('src')!.path, 0xab, 0, MiB)).toBe(true);
    expect(await readsPattern(pool.getVolume('src')!.path, 0x55, MiB, MiB)).toBe(true);
    expect(await readsPattern(clone.path, 0xee, 0, MiB)).toBe(true);
    expect(await readsPattern(clone.path, 0xab, MiB, MiB)).toBe(true);
    expect(await pool.createVolume('clone', 32 * MiB, { source: { volumeId: 'src' } })).toMatchObject({ id: 'clone', path: clone.path });
    await expectPoolError(pool.createVolume('clone', 32 * MiB), 'AlreadyExists');
    await expectConsistent(pool);
  });

  it('takes a snapshot once per id', async () => {
    const pool = newPool();
    await pool.createVolume('a', MiB);
    await pool.createVolume('b', MiB);
    const s = await pool.snapshot('a', 's');
    const files = layerFiles(pool.dir);
    expect(await pool.snapshot('a', 's')).toEqual(s);
    expect(layerFiles(pool.dir)).toEqual(files);
    await expectPoolError(pool.snapshot('b', 's'), 'AlreadyExists');
    await expectPoolError(pool.snapshot('missing', 's2'), 'NotFound');
  });

  it('deletes what is missing without complaint', async () => {
    const pool = newPool();
    await pool.deleteVolume('never');
    await pool.deleteSnapshot('never');
    await pool.createVolume('v', MiB);
    await pool.snapshot('v', 's');
    await pool.deleteSnapshot('s');
    await pool.deleteSnapshot('s');
    await pool.deleteVolume('v');
    await pool.deleteVolume('v');
    expect(layerFiles(pool.dir)).toEqual([]);
  });
});

type Item = 'source' | 'snapshot' | 'restored' | 'clone';

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

describe('deletion in any order', () => {
  it.each(permutations<Item>(['source', 'snapshot', 'restored', 'clone']).map((p) => [p.join(' → '), p] as const))('%s', async (_name, order) => {
    const pool = newPool();
    const src = await pool.createVolume('source', 8 * MiB);
    await writePattern(src.path, 0x01, 0, MiB);
    await pool.snapshot('source', 'snapshot');
    await writePattern(pool.getVolume('source')!.path, 0x02, MiB, MiB);
    await pool.createVolume('restored', 8 * MiB, { source: { snapshotId: 'snapshot' } });
    await pool.createVolume('clone', 8 * MiB, { source: { volumeId: 'source' } });
    await writePattern(pool.getVolume('clone')!.path, 0x03, 2 * MiB, MiB);
    // What each one must still read while it exists.
    const expected: Record<Item, [number, number][]> = {
      source: [[0x01, 0], [0x02, MiB]],
      snapshot: [[0x01, 0], [0, MiB]],
      restored: [[0x01, 0], [0, MiB]],
      clone: [[0x01, 0], [0x02, MiB], [0x03, 2 * MiB]],
    };
    const alive = new Set<Item>(order);
    for (const item of order) {
      if (item === 'snapshot') await pool.deleteSnapshot(item);
      else await pool.deleteVolume(item);
      alive.delete(item);
      await expectConsistent(pool);
      for (const other of alive) {
        const file = other === 'snapshot' ? pool.snapshotPath(other)! : pool.getVolume(other)!.path;
        for (const [pattern, offset] of expected[other]) expect(await readsPattern(file, pattern, offset, MiB)).toBe(true);
      }
    }
    expect(layerFiles(pool.dir)).toEqual([]);
    expect(pool.status()).toMatchObject({ volumes: 0, snapshots: 0, allocatedBytes: 0, usedBytes: 0 });
  });
});

describe('expansion', () => {
  it('grows the top; data stays, the new space reads zeros, snapshots keep their size', async () => {
    const pool = newPool();
    const vol = await pool.createVolume('v', 8 * MiB);
    await writePattern(vol.path, 0xab, 7 * MiB, MiB);
    await pool.snapshot('v', 's');
    const grown = await pool.expandVolume('v', 24 * MiB);
    expect(grown.sizeBytes).toBe(24 * MiB);
    expect((await qemu.info(grown.path, { format: 'qcow2' })).virtualSize).toBe(24 * MiB);
    expect(await readsPattern(grown.path, 0xab, 7 * MiB, MiB)).toBe(true);
    expect(await readsPattern(grown.path, 0, 8 * MiB, 16 * MiB)).toBe(true);
    await writePattern(grown.path, 0xcd, 20 * MiB, MiB);
    expect(pool.getSnapshot('s')!.restoreSizeBytes).toBe(8 * MiB);
    expect(await pool.expandVolume('v', 24 * MiB)).toEqual(pool.getVolume('v'));
    await expectPoolError(pool.expandVolume('v', 16 * MiB), 'Invalid');
    await expectPoolError(pool.expandVolume('nope', 16 * MiB), 'NotFound');
    expect(pool.status().allocatedBytes).toBe(24 * MiB);
    await expectConsistent(pool);
  });
});

describe('reopening', () => {
  it('finds every volume and snapshot again, and removes debris of unfinished operations', async () => {
    const pool = newPool();
    const vol = await pool.createVolume('v', 8 * MiB);
    await writePattern(vol.path, 0xab, 0, MiB);
    await pool.snapshot('v', 's');
    await pool.createVolume('r', 8 * MiB, { source: { snapshotId: 's' } });
    fs.writeFileSync(path.join(pool.dir, 'layers', 'deadbeefdeadbeef.qcow2'), 'half-created');
    fs.writeFileSync(path.join(pool.dir, 'pool.json.tmp'), '{"trunc');

    const again = new FilePool({ name: 'node-1', dir: pool.dir, capacityBytes: 100 * GiB, usageTtlMs: 0, log: quiet });
    expect(again.listVolumes()).toEqual(pool.listVolumes());
    expect(again.listSnapshots()).toEqual(pool.listSnapshots());
    expect(fs.existsSync(path.join(pool.dir, 'pool.json.tmp'))).toBe(false);
    await expectConsistent(again);
    expect(await readsPattern(again.getVolume('r')!.path, 0xab, 0, MiB)).toBe(true);
  });

  it('keeps a size a killed expansion had already written into the top', async () => {
    const pool = newPool();
    const vol = await pool.createVolume('v', 8 * MiB);
    await qemu.resize(vol.path, { format: 'qcow2', sizeBytes: 16 * MiB });
    const again = new FilePool({ name: 'node-1', dir: pool.dir, capacityBytes: 100 * GiB, log: quiet });
    expect(again.getVolume('v')!.sizeBytes).toBe(16 * MiB);
  });

  it('refuses to touch layer files when the metadata is gone', async () => {
    const pool = newPool();
    await pool.createVolume('v', MiB);
    fs.rmSync(path.join(pool.dir, 'pool.json'));
    const again = new FilePool({ name: 'node-1', dir: pool.dir, capacityBytes: 100 * GiB, log: quiet });
    expect(again.status()).toMatchObject({ healthy: false, capacityBytes: 0 });
    expect(again.status().problem).toMatch(/metadata .* is missing/);
    expect(layerFiles(pool.dir)).toHaveLength(1);
    await expectPoolError(again.createVolume('w', MiB), 'Unavailable');
  });
});
