// GatheringWriter: pieces of any size land at their positions through the reused buffers, the
// written length it reports never runs ahead of the file, and a failed write fails the writer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { BufferPool, GatheringWriter } from './writer';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kura-writer-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it.each([1, 2] as const)('writes pieces of every size where they belong, starting at an offset (%i in flight)', async (maxInFlight) => {
  const file = path.join(dir, `a${maxInFlight}`);
  fs.writeFileSync(file, Buffer.alloc(1000, 0xee));
  const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251));
  const fd = fs.openSync(file, 'r+');
  const got = () => fs.readFileSync(file);
  const ends: [number, boolean][] = [];
  let most = 0;
  const w = new GatheringWriter(fd, 1000, {
    pool: new BufferPool(4096, 3),
    maxInFlight,
    onWritten: (end, idle) => {
      // Whatever it reports is on file already.
      expect(fs.fstatSync(fd).size).toBeGreaterThanOrEqual(end);
      expect(got().subarray(1000, end).equals(data.subarray(0, end - 1000))).toBe(true);
      ends.push([end, idle]);
    },
  });
  let waited = 0;
  for (let at = 0, n = 1; at < data.length; at += n, n = (n * 5 + 3) % 9000) {
    const busy = w.write(data.subarray(at, at + n));
    most = Math.max(most, w.inFlight);
    if (busy) {
      waited++;
      await busy;
    }
  }
  expect(w.position).toBe(1000 + data.length);
  await w.flush();
  fs.closeSync(fd);
  expect(got().subarray(0, 1000).every((b) => b === 0xee)).toBe(true);
  expect(got().subarray(1000).equals(data)).toBe(true);
  expect(waited).toBeGreaterThan(0);
  expect(most).toBe(maxInFlight);
  expect(ends.map(([e]) => e)).toEqual([...ends.map(([e]) => e)].sort((a, b) => a - b));
  expect(ends.at(-1)).toEqual([1000 + data.length, true]);
});

it('fails the next write and the flush with the error of a failed write', async () => {
  const file = path.join(dir, 'b');
  fs.writeFileSync(file, '');
  const fd = fs.openSync(file, 'r');
  const w = new GatheringWriter(fd, 0, { pool: new BufferPool(1024, 3) });
  expect(w.write(Buffer.alloc(1024))).toBeUndefined();
  await expect(w.flush()).rejects.toMatchObject({ code: 'EBADF' });
  expect(() => w.write(Buffer.alloc(10))).toThrow(/EBADF|bad file/i);
  await w.settled();
  fs.closeSync(fd);
});

it('after abandon, starts no more writes: what waited is dropped', async () => {
  const file = path.join(dir, 'c');
  fs.writeFileSync(file, '');
  const fd = fs.openSync(file, 'r+');
  const w = new GatheringWriter(fd, 0, { pool: new BufferPool(1024, 3) });
  const waiting = w.write(Buffer.alloc(3000, 1));
  expect(waiting).toBeInstanceOf(Promise);
  expect(w.inFlight).toBe(1);
  await w.abandon();
  await waiting;
  await new Promise((r) => setTimeout(r, 20));
  expect(w.inFlight).toBe(0);
  expect(fs.fstatSync(fd).size).toBe(1024);
  fs.closeSync(fd);
});
