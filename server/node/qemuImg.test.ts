// The qemu-img wrapper against the real qemu-img: parsed output, explicit formats, and failures sorted
// into codes (missing file, lock held, full disk, timeout).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { QemuImg, QemuImgError } from './qemuImg';
import { holdOpen, tempDir, writePattern } from './testing/qemu';

const MiB = 2 ** 20;
const dir = tempDir('qemu-img');
const qemu = new QemuImg();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fake(name: string, script: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return file;
}

async function failure(p: Promise<unknown>): Promise<QemuImgError> {
  const err = await p.then(
    () => new Error('resolved'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(QemuImgError);
  return err as QemuImgError;
}

it('creates, reads back, grows, checks, converts and compares images', async () => {
  const base = path.join(dir, 'base.qcow2');
  await qemu.create(base, { format: 'qcow2', sizeBytes: 4 * MiB });
  await writePattern(base, 0xab, 0, MiB);
  const overlay = path.join(dir, 'overlay.qcow2');
  await qemu.create(overlay, { format: 'qcow2', sizeBytes: 8 * MiB, backing: { file: 'base.qcow2', format: 'qcow2' } });
  expect(await qemu.info(overlay, { format: 'qcow2' })).toMatchObject({
    format: 'qcow2',
    virtualSize: 8 * MiB,
    backingFilename: 'base.qcow2',
    backingFormat: 'qcow2',
    dirty: false,
  });
  await qemu.resize(overlay, { format: 'qcow2', sizeBytes: 16 * MiB });
  expect((await qemu.info(overlay, { format: 'qcow2' })).virtualSize).toBe(16 * MiB);
  expect(await qemu.check(overlay, { format: 'qcow2' })).toEqual({ exitCode: 0, checkErrors: 0, corruptions: 0, leaks: 0 });
  const flat = path.join(dir, 'flat.raw');
  await qemu.convert(overlay, flat, { from: 'qcow2', to: 'raw' });
  expect(fs.statSync(flat).size).toBe(16 * MiB);
  expect(await qemu.compare(overlay, flat, { formatA: 'qcow2', formatB: 'raw' })).toBe(true);
  await writePattern(flat, 0x01, 0, 512, 'raw');
  expect(await qemu.compare(overlay, flat, { formatA: 'qcow2', formatB: 'raw' })).toBe(false);
  // The format is never guessed: a qcow2 file read as raw is just bytes.
  expect((await qemu.info(base, { format: 'raw' })).format).toBe('raw');
});

it('reports a missing file as NotFound', async () => {
  expect((await failure(qemu.info(path.join(dir, 'nope.qcow2'), { format: 'qcow2' }))).code).toBe('NotFound');
});

it('tells when another process holds an image, and reads it anyway with forceShare', async () => {
  const file = path.join(dir, 'held.qcow2');
  await qemu.create(file, { format: 'qcow2', sizeBytes: MiB });
  expect(await qemu.inUse(file, 'qcow2')).toBe(false);
  const release = await holdOpen(file);
  try {
    expect(await qemu.inUse(file, 'qcow2')).toBe(true);
    expect((await failure(qemu.resize(file, { format: 'qcow2', sizeBytes: 2 * MiB }))).code).toBe('Locked');
    expect((await qemu.info(file, { format: 'qcow2', forceShare: true })).virtualSize).toBe(MiB);
  } finally {
    await release();
  }
  expect(await qemu.inUse(file, 'qcow2')).toBe(false);
});

it('sorts a full disk, a hang and a missing binary into codes', async () => {
  const full = new QemuImg({ bin: fake('full', 'echo "qemu-img: x: Could not write qcow2 header: No space left on device" >&2; exit 1') });
  const err = await failure(full.create(path.join(dir, 'x.qcow2'), { format: 'qcow2', sizeBytes: MiB }));
  expect(err.code).toBe('NoSpace');
  expect(err.message).toMatch(/^qemu-img create .*x\.qcow2: x: Could not write qcow2 header/);
  const hung = new QemuImg({ bin: fake('hung', 'exec sleep 10'), timeoutMs: 200 });
  const started = Date.now();
  expect((await failure(hung.info(path.join(dir, 'x.qcow2'), { format: 'qcow2' }))).code).toBe('Timeout');
  expect(Date.now() - started).toBeLessThan(5000);
  const missing = await failure(new QemuImg({ bin: path.join(dir, 'no-such-qemu-img') }).info('x', { format: 'qcow2' }));
  expect(missing.message).toMatch(/not installed/);
});
