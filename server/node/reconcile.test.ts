// Reopening after Kura died inside a live snapshot: QEMU outlives Kura, so a switch it made must be
// kept (the VM's newer writes are in the overlay) and one it never made must be forgotten.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { FilePool } from './pool';
import { layerFiles, quiet, readsPattern, tempDir, writePattern } from './testing/qemu';

const MiB = 2 ** 20;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function open(dir: string): FilePool {
  return new FilePool({ name: 'node-1', dir, capacityBytes: 2 ** 40, usageTtlMs: 0, log: quiet });
}

/** Starts a live snapshot whose hook runs `qemu` and then never answers: Kura dies waiting for QEMU. */
async function dieDuringLiveSnapshot(qemu: (currentTop: string, overlay: string) => Promise<void>): Promise<{ dir: string; oldTop: string }> {
  const dir = tempDir('pool');
  dirs.push(dir);
  const pool = open(dir);
  const vol = await pool.createVolume('disk', 8 * MiB);
  await writePattern(vol.path, 0xab, 0, MiB);
  let reached!: () => void;
  const inHook = new Promise<void>((resolve) => (reached = resolve));
  pool.setLiveSnapshotHook(async (_id, currentTop, overlay) => {
    await qemu(currentTop, overlay);
    reached();
    return new Promise<never>(() => undefined);
  });
  void pool.snapshot('disk', 'snap');
  await inHook;
  return { dir, oldTop: vol.path };
}

it('finishes a live snapshot QEMU made before Kura died, keeping what the VM wrote since', async () => {
  const { dir, oldTop } = await dieDuringLiveSnapshot(async (currentTop, overlay) => {
    await promisify(execFile)('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', currentTop, overlay]);
    await writePattern(overlay, 0xcd, 0, MiB); // the VM goes on writing, into the overlay
  });
  const pool = open(dir);
  expect(pool.getSnapshot('snap')).toMatchObject({ sourceVolumeId: 'disk', restoreSizeBytes: 8 * MiB });
  expect(pool.snapshotPath('snap')).toBe(oldTop);
  expect(await readsPattern(pool.getVolume('disk')!.path, 0xcd, 0, MiB)).toBe(true);
  expect(await readsPattern(pool.snapshotPath('snap')!, 0xab, 0, MiB)).toBe(true);
  expect(layerFiles(dir)).toHaveLength(2);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'pool.json'), 'utf8'))).not.toHaveProperty('pending');
});

it.each([
  ['never started', async () => undefined],
  ['had only begun writing the overlay', async (_top: string, overlay: string) => fs.writeFileSync(overlay, Buffer.from('QFI'))],
])('forgets a live snapshot QEMU %s when Kura died', async (_name, qemu) => {
  const { dir, oldTop } = await dieDuringLiveSnapshot(qemu);
  const pool = open(dir);
  expect(pool.getSnapshot('snap')).toBeUndefined();
  expect(pool.getVolume('disk')!.path).toBe(oldTop);
  expect(layerFiles(dir)).toEqual([path.basename(oldTop)]);
  expect(await readsPattern(oldTop, 0xab, 0, MiB)).toBe(true);
  await pool.snapshot('disk', 'snap');
});

it('refuses a pool whose metadata is unreadable, touching nothing', async () => {
  const dir = tempDir('pool');
  dirs.push(dir);
  const pool = open(dir);
  await pool.createVolume('v', MiB);
  fs.writeFileSync(path.join(dir, 'pool.json'), '{"version":1,"volumes":');
  const again = open(dir);
  expect(again.status()).toMatchObject({ healthy: false });
  expect(again.status().problem).toMatch(/not valid JSON/);
  expect(layerFiles(dir)).toHaveLength(1);
  fs.writeFileSync(path.join(dir, 'pool.json'), '{"version":2}');
  expect(open(dir).status().problem).toMatch(/not in the expected form/);
});
