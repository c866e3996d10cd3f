// The qcow2 header reader and backing-name matching that reopening relies on without qemu-img.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { backsOnto, readQcow2Header, writeJsonAtomic } from './files';
import { QemuImg } from './qemuImg';
import { tempDir } from './testing/qemu';

const dir = tempDir('files');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('reads the virtual size and backing name qemu-img wrote, and nothing from a file that is not qcow2', async () => {
  const qemu = new QemuImg();
  await qemu.create(path.join(dir, 'base.qcow2'), { format: 'qcow2', sizeBytes: 2 ** 20 });
  await qemu.create(path.join(dir, 'top.qcow2'), { format: 'qcow2', sizeBytes: 3 * 2 ** 20, backing: { file: 'base.qcow2', format: 'qcow2' } });
  expect(readQcow2Header(path.join(dir, 'base.qcow2'))).toEqual({ virtualSize: 2 ** 20 });
  expect(readQcow2Header(path.join(dir, 'top.qcow2'))).toEqual({ virtualSize: 3 * 2 ** 20, backingFile: 'base.qcow2' });
  fs.writeFileSync(path.join(dir, 'short'), 'QFI');
  expect(readQcow2Header(path.join(dir, 'short'))).toBeUndefined();
  expect(readQcow2Header(path.join(dir, 'missing'))).toBeUndefined();
});

it.each([
  ['base.qcow2', true],
  ['./base.qcow2', true],
  [`${dir}/base.qcow2`, true],
  [`json:{"driver":"qcow2","file":{"driver":"file","filename":"${dir}/base.qcow2"}}`, true],
  [`json:{"driver":"qcow2","file.driver":"file","file.filename":"${dir}/base.qcow2"}`, true],
  ['other.qcow2', false],
  ['json:{broken', false],
])('matches backing name %s: %s', (name, expected) => {
  expect(backsOnto(path.join(dir, 'top.qcow2'), name, path.join(dir, 'base.qcow2'))).toBe(expected);
});

it('replaces a JSON file whole, leaving no temp file', async () => {
  const file = path.join(dir, 'meta.json');
  await writeJsonAtomic(file, { a: 1 });
  await writeJsonAtomic(file, { a: 2 });
  expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ a: 2 });
  expect(fs.readdirSync(dir).filter((f) => f.startsWith('meta.json'))).toEqual(['meta.json']);
});
