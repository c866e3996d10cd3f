// GrowingFile: reads of written bytes are served at once, reads past them wait for the download,
// and a download that fails fails the reads still waiting.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { GrowingFile } from './growing';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kura-growing-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fileOf(name: string, bytes: Buffer): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, bytes);
  return f;
}

const settled = async (p: Promise<unknown>) => Promise.race([p.then(() => true, () => true), new Promise((r) => setTimeout(() => r(false), 30))]);

it('serves what is written, waits for the rest, and reads zeros past the end', async () => {
  const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
  const g = new GrowingFile(fileOf('a', data), 1000);
  expect(g.size).toBe(1024);
  g.grew(600);
  expect(await g.read(0, 512)).toEqual(data.subarray(0, 512));
  const later = g.read(512, 512);
  expect(await settled(later)).toBe(false);
  g.grew(900);
  expect(await settled(later)).toBe(false);
  g.end();
  const tail = await later;
  expect(tail.subarray(0, 488)).toEqual(data.subarray(512));
  expect(tail.subarray(488).every((b) => b === 0)).toBe(true);
  await g.close();
});

it('fails the reads still waiting when the download fails, with its error', async () => {
  const g = new GrowingFile(fileOf('b', Buffer.alloc(4096, 7)), 4096);
  g.grew(1024);
  const waiting = g.read(2048, 1024);
  const boom = new Error('the server went away');
  g.end(boom);
  await expect(waiting).rejects.toBe(boom);
  await expect(g.read(3072, 512)).rejects.toBe(boom);
  expect(await g.read(0, 512)).toEqual(Buffer.alloc(512, 7));
  await g.close();
  await expect(g.read(0, 512)).rejects.toThrow(/cancelled|Aborted|abort/i);
});

it('until resolves once the file holds the bytes asked for, and fails with the download', async () => {
  const g = new GrowingFile(fileOf('c', Buffer.alloc(4096, 1)), 4096);
  g.grew(1000);
  expect(await settled(g.until(1000))).toBe(true);
  const later = g.until(3000);
  expect(await settled(later)).toBe(false);
  g.grew(2999);
  expect(await settled(later)).toBe(false);
  g.grew(3000);
  expect(await settled(later)).toBe(true);
  // Past the end of the file means the whole file.
  const whole = g.until(1 << 20);
  g.grew(4096);
  expect(await settled(whole)).toBe(true);
  const h = new GrowingFile(fileOf('d', Buffer.alloc(4096, 1)), 4096);
  const waiting = h.until(2048);
  const boom = new Error('dropped for good');
  h.end(boom);
  await expect(waiting).rejects.toBe(boom);
  await expect(h.until(4096)).rejects.toBe(boom);
  await g.close();
  await h.close();
});
