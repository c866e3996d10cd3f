// GatheringWriter: pieces of any size land at their positions through the reused buffers, the
// written length it reports never runs ahead of the file, and a failed write fails the writer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { BufferPool, DIRECT_ALIGN, GatheringWriter, openDirect, pageAlignedBuffer } from './writer';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kura-writer-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Whether the test directory's filesystem takes O_DIRECT writes (tmpfs does not). */
const directProbe = path.join(dir, 'probe');
fs.writeFileSync(directProbe, '');
const directSupported = (await openDirect(directProbe).then((h) => h?.close().then(() => true))) ?? false;

/** Bytes that differ from position to position, so a piece in the wrong place shows. */
const pattern = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 7) % 251));

/** Feeds `data` to the writer in pieces of uneven sizes, waiting when it says so. */
async function feed(w: GatheringWriter, data: Buffer): Promise<void> {
  for (let at = 0, n = 1; at < data.length; at += n, n = (n * 5 + 3) % 9000) {
    const busy = w.write(data.subarray(at, at + n));
    if (busy) await busy;
  }
  await w.flush();
}

it.skipIf(!directSupported)('writes whole blocks with O_DIRECT and the ragged ends through the page cache, chunk after chunk', async () => {
  const file = path.join(dir, 'direct');
  fs.writeFileSync(file, '');
  const data = pattern(1_000_000);
  const pool = new BufferPool(64 * 1024, 3, pageAlignedBuffer);
  // Chunks that end inside a block, as a client's last bytes or a resumed upload do.
  let direct = 0;
  for (const [from, to] of [
    [0, 300_001],
    [300_001, 300_002],
    [300_002, 777_777],
    [777_777, 1_000_000],
  ] as const) {
    const fd = fs.openSync(file, 'r+');
    const d = await openDirect(file);
    const w = new GatheringWriter(fd, from, { pool, direct: d!.fd });
    await feed(w, data.subarray(from, to));
    await w.settled();
    direct += w.directBytes;
    await d!.close();
    fs.closeSync(fd);
    expect(fs.readFileSync(file).equals(data.subarray(0, to))).toBe(true);
  }
  // All but the blocks around the three ragged boundaries and the end went straight to the disk.
  expect(direct).toBeGreaterThan(data.length - 8 * DIRECT_ALIGN);
  expect(direct % DIRECT_ALIGN).toBe(0);
});

it.skipIf(!directSupported)('falls back to the page cache when a direct write is refused (buffers not aligned)', async () => {
  const file = path.join(dir, 'direct-refused');
  fs.writeFileSync(file, '');
  const data = pattern(200_000);
  const fd = fs.openSync(file, 'r+');
  const d = await openDirect(file);
  // Buffers one byte past a page boundary: O_DIRECT refuses them with EINVAL.
  const w = new GatheringWriter(fd, 0, { pool: new BufferPool(16 * 1024, 3, (n) => pageAlignedBuffer(n + 1).subarray(1)), direct: d!.fd });
  await feed(w, data);
  await w.settled();
  await d!.close();
  fs.closeSync(fd);
  expect(w.directBytes).toBe(0);
  expect(fs.readFileSync(file).equals(data)).toBe(true);
});

it.each([1, 2] as const)('writes pieces of every size where they belong, starting at an offset (%i in flight)', async (maxInFlight) => {
  const file = path.join(dir, `a${maxInFlight}`);
  fs.writeFileSync(file, Buffer.alloc(1000, 0xee));
  const data = pattern(300_000);
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
