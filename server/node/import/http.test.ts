// importImage over loopback HTTP: the test disk as raw, qcow2, qcow2.gz, qcow2.xz, raw.zst and a
// fixed VHD, read in place (Range) or through the scratch file (no Range, compressed), resumed
// after dropped connections and after an abort, checked with qemu-img compare.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importImage } from './importer';
import { type Fixtures, TestServer, isEmpty, loopbackOptions, makeFixtures, makeTarget, sameData, tempDir } from './testing';
import type { ImportProgress } from './types';

const MiB = 1 << 20;
let fx: Fixtures;
let server: TestServer;
let dir: string;
let n = 0;

beforeAll(async () => {
  dir = tempDir('import-http');
  fx = await makeFixtures(dir);
  server = await new TestServer().start();
}, 120_000);
afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function fresh(size = 64 * MiB, format: 'qcow2' | 'raw' = 'qcow2') {
  n++;
  return { target: await makeTarget(dir, `vol-${n}.${format}`, size, format), scratch: path.join(dir, `scratch-${n}`) };
}

describe('formats, read in place or staged', () => {
  it.each([
    ['raw, Range', 'raw', true, 'direct', undefined, 'auto'],
    ['qcow2, Range, read in place', 'qcow2', true, 'direct', undefined, 'always'],
    ['qcow2, Range, room to download it first', 'qcow2', true, 'staged', undefined, 'auto'],
    ['qcow2, no Range', 'qcow2', false, 'staged', undefined, 'auto'],
    ['qcow2 with compressed clusters, read in place', 'packed', true, 'direct', undefined, 'always'],
    ['qcow2 with compressed clusters, downloaded first', 'packed', true, 'staged', undefined, 'auto'],
    ['qcow2.gz', 'qcow2gz', true, 'staged', 'gzip', 'auto'],
    ['qcow2.xz', 'smallxz', true, 'staged', 'xz', 'auto'],
    ['raw.zst, no Range', 'rawzst', false, 'staged', 'zstd', 'auto'],
  ] as const)('%s', async (_name, key, range, mode, compression, readInPlace) => {
    const url = server.route(`/${key}-${range}`, { file: fx[key], range });
    const { target, scratch } = await fresh();
    const progress: ImportProgress[] = [];
    const r = await importImage({ http: { url } }, target, loopbackOptions(scratch, { readInPlace, onProgress: (p) => progress.push(p) }));
    const small = key === 'smallxz';
    expect(r).toMatchObject({ mode, virtualSize: small ? 8 * MiB : fx.virtualSize, resumedAt: 0 });
    expect(r.compression).toBe(compression);
    expect(await (small ? sameData(fx.small, 'qcow2', target) : sameData(fx.raw, 'raw', target))).toBe(true);
    expect(fs.existsSync(scratch)).toBe(false);
    expect(progress.some((p) => p.phase === 'checking')).toBe(true);
  });

  it('finds a fixed VHD by its footer (the last 512 bytes) and converts it as vpc', async () => {
    const url = server.route('/disk.img', { file: fx.vhd });
    const { target, scratch } = await fresh();
    const r = await importImage({ http: { url } }, target, loopbackOptions(scratch));
    expect(r.format).toBe('vhd');
    expect(await sameData(fx.raw, 'raw', target)).toBe(true);
  });

  it('writes into a raw volume file too, sparsely', async () => {
    const url = server.route('/into-raw.qcow2', { file: fx.qcow2 });
    const { target, scratch } = await fresh(64 * MiB, 'raw');
    await importImage({ http: { url } }, target, loopbackOptions(scratch));
    expect(await sameData(fx.raw, 'raw', target)).toBe(true);
    expect(fs.statSync(target.path).blocks * 512).toBeLessThan(fs.statSync(fx.raw).blocks * 512 + 2 * MiB);
  });
});

describe('a download written in pieces', () => {
  it('keeps every piece where it belongs (48 MiB of distinct data through the scratch file)', async () => {
    const big = path.join(dir, 'patterned.qcow2');
    const cmds = Array.from({ length: 48 }, (_, i) => ['-c', `write -P ${(i % 250) + 1} ${i}M 1M`]).flat();
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', big, '64M']);
    execFileSync('qemu-io', ['-f', 'qcow2', ...cmds, big], { stdio: 'ignore' });
    const url = server.route('/patterned.qcow2', { file: big });
    const { target, scratch } = await fresh();
    const r = await importImage({ http: { url } }, target, loopbackOptions(scratch, { readInPlace: 'never' }));
    expect(r.mode).toBe('staged');
    expect(await sameData(big, 'qcow2', target)).toBe(true);
  });
});

describe('converting while the download goes on', () => {
  /** A qemu-img that logs each call's arguments (a line each, then an END line), then runs the real one. */
  function loggingQemuImg(name: string): { bin: string; calls: () => string[][] } {
    const log = path.join(dir, `${name}.calls`);
    const bin = path.join(dir, `${name}.qemu-img`);
    fs.writeFileSync(bin, `#!/bin/sh\n{ printf '%s\\n' "$@"; echo END; } >> '${log}'\nexec qemu-img "$@"\n`, { mode: 0o755 });
    const calls = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '').split('END\n').slice(0, -1).map((c) => c.trim().split('\n'));
    return { bin, calls };
  }
  /** Each slice's conversion: where it read ('file' or 'nbd') and how many virtual bytes it took. */
  const slices = (calls: string[][]) =>
    calls
      .filter((c) => c[0] === 'convert')
      .map((c) => {
        const src = JSON.parse((c.find((a) => a.startsWith('json:')) as string).slice(5)) as { size: number; file: { file: { driver: string } } };
        return { from: src.file.file.driver, size: src.size };
      });

  async function slowImport(name: string, image: string) {
    // About 1.5 s for the test disk: the first slices begin well before the download ends.
    const url = server.route(`/${name}`, { file: image, delayMs: 8 });
    const { target, scratch } = await fresh();
    const q = loggingQemuImg(name);
    const r = await importImage({ http: { url } }, target, loopbackOptions(scratch, { sliceBytes: 2 * MiB, qemuImg: q.bin }));
    return { r, target, slices: slices(q.calls()) };
  }

  it('reads a slice from the downloaded file once its data has arrived, not through the proxy', async () => {
    const { r, target, slices: s } = await slowImport('plain.qcow2', fx.qcow2);
    expect(r.mode).toBe('staged');
    expect(await sameData(fx.raw, 'raw', target)).toBe(true);
    // The first slice began long before the download ended: it read the file, one slice's worth.
    expect(s[0]).toEqual({ from: 'file', size: 2 * MiB });
    expect(s.every((x) => x.from === 'file')).toBe(true);
  });

  it('reads compressed clusters through the proxy as they arrive', async () => {
    const { target, slices: s } = await slowImport('packed.qcow2', fx.packed);
    expect(await sameData(fx.raw, 'raw', target)).toBe(true);
    expect(s[0]?.from).toBe('nbd');
  });

  it('waits for tables that lie after the data before reading the file', async () => {
    // Growing a qcow2 moves its L1 table to the end of the file, after every data cluster: a slice
    // read from the file before the table arrived would come out as zeros.
    const late = path.join(dir, 'late-l1.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-o', 'cluster_size=512', late, '16M']);
    execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x3c 0 6M', '-c', 'write -P 0x5a 10M 2M', late], { stdio: 'ignore' });
    execFileSync('qemu-img', ['resize', '-q', '-f', 'qcow2', late, '32M']);
    const b = fs.readFileSync(late);
    expect(Number(b.readBigUInt64BE(40))).toBeGreaterThan(b.length - 256 * 1024);
    const { target, slices: s } = await slowImport('late-l1.qcow2', late);
    expect(await sameData(late, 'qcow2', target)).toBe(true);
    expect(s.length).toBeGreaterThan(0);
  });
});

describe('dropped connections and restarts', () => {
  it('resumes a qcow2 read in place where the connection dropped', async () => {
    const url = server.route('/drop.qcow2', { file: fx.qcow2, dropAfter: MiB, dropTimes: 2 });
    const { target, scratch } = await fresh();
    const retries: string[] = [];
    const r = await importImage({ http: { url } }, target, loopbackOptions(scratch, { onRetry: (x) => retries.push(x.reason) }));
    expect(await sameData(fx.raw, 'raw', target)).toBe(true);
    expect(retries.length).toBeGreaterThan(0);
    // Only the missing part is asked for again: well under two whole downloads.
    expect(server.served('/drop.qcow2').bytes).toBeLessThan(fs.statSync(fx.qcow2).size * 1.3);
    expect(r.downloadedBytes).toBeGreaterThan(0);
  });

  it('resumes a compressed download with Range from the first missing byte', async () => {
    const url = server.route('/drop.qcow2.gz', { file: fx.qcow2gz, dropAfter: 4 * MiB });
    const { target, scratch } = await fresh();
    await importImage({ http: { url } }, target, loopbackOptions(scratch));
    const s = server.served('/drop.qcow2.gz');
    expect(await sameData(fx.raw, 'raw', target)).toBe(true);
    // The probe (0-65535), the stream from 0, then one from where the connection dropped.
    expect(s.ranges.length).toBe(3);
    expect(Number(s.ranges[2]?.split('-')[0])).toBeGreaterThan(MiB);
    expect(s.bytes).toBeLessThan(fs.statSync(fx.qcow2gz).size + 128 * 1024);
  });

  it('without Range support starts over after a drop (and still succeeds)', async () => {
    const url = server.route('/drop-norange.qcow2', { file: fx.qcow2, range: false, dropAfter: 3 * MiB });
    const { target, scratch } = await fresh();
    await importImage({ http: { url } }, target, loopbackOptions(scratch));
    expect(await sameData(fx.raw, 'raw', target)).toBe(true);
    expect(server.served('/drop-norange.qcow2').bytes).toBe(3 * MiB + fs.statSync(fx.qcow2).size);
  });

  it('ends a streamed download whose server keeps the connection open after the last byte', async () => {
    // The reader has taken every piece and waits for more when the request ends (after the grace
    // period for bytes beyond Content-Length): it must hear of the end, not wait for ever.
    const data = fs.readFileSync(fx.qcow2gz);
    const open = new Set<Socket>();
    const lingering = await new TestServer((req) => {
      const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      const start = Number(m?.[1] ?? 0);
      const end = m?.[2] ? Math.min(Number(m[2]), data.length - 1) : data.length - 1;
      const head = `HTTP/1.1 206 Partial Content\r\ncontent-length: ${end - start + 1}\r\ncontent-range: bytes ${start}-${end}/${data.length}\r\naccept-ranges: bytes\r\netag: "linger"\r\n\r\n`;
      open.add(req.socket);
      req.socket.write(head);
      req.socket.write(data.subarray(start, end + 1));
      return true;
    }).start();
    try {
      const { target, scratch } = await fresh();
      const r = await importImage({ http: { url: lingering.url('/linger.qcow2.gz') } }, target, loopbackOptions(scratch));
      expect(r.compression).toBe('gzip');
      expect(await sameData(fx.raw, 'raw', target)).toBe(true);
    } finally {
      for (const s of open) s.destroy();
      await lingering.close();
    }
  });

  it('after an abort, the next call with the same scratch directory downloads only the rest', async () => {
    const size = fs.statSync(fx.qcow2gz).size;
    const url = server.route('/slow.qcow2.gz', { file: fx.qcow2gz, delayMs: 2 });
    const { target, scratch } = await fresh();
    const ac = new AbortController();
    const first = importImage({ http: { url } }, target, loopbackOptions(scratch, { signal: ac.signal, onProgress: (p) => p.doneBytes > size / 2 && ac.abort() }));
    await expect(first).rejects.toMatchObject({ reason: 'Aborted', retryable: true });
    expect(server.served('/slow.qcow2.gz').bytes).toBeLessThan(size);
    server.route('/slow.qcow2.gz', { file: fx.qcow2gz });
    const r = await importImage({ http: { url } }, target, loopbackOptions(scratch));
    expect(await sameData(fx.raw, 'raw', target)).toBe(true);
    expect(r.resumedAt).toBeGreaterThan(size / 3);
    // The probe and the rest only.
    expect(server.served('/slow.qcow2.gz').bytes).toBeLessThanOrEqual(size - r.resumedAt + 65536);
  });

  it('after an abort in the middle of converting, the next call resumes at the last whole slice', async () => {
    const url = server.route('/slices.raw', { file: fx.raw, delayMs: 3 });
    const { target, scratch } = await fresh();
    const ac = new AbortController();
    const opts = { sliceBytes: 4 * MiB };
    const first = importImage({ http: { url } }, target, loopbackOptions(scratch, { ...opts, signal: ac.signal }));
    for (let i = 0; i < 400 && !fs.existsSync(path.join(scratch, 'import-state.json')); i++) await new Promise((r) => setTimeout(r, 25));
    for (let i = 0; i < 400; i++) {
      const st = JSON.parse(fs.readFileSync(path.join(scratch, 'import-state.json'), 'utf8')) as { convertedTo?: number };
      if ((st.convertedTo ?? 0) >= 8 * MiB) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    ac.abort();
    await expect(first).rejects.toMatchObject({ reason: 'Aborted' });
    const before = server.served('/slices.raw').bytes;
    server.route('/slices.raw', { file: fx.raw });
    const r = await importImage({ http: { url } }, target, loopbackOptions(scratch, opts));
    expect(r.resumedAt).toBeGreaterThanOrEqual(8 * MiB);
    expect(server.served('/slices.raw').bytes).toBeLessThanOrEqual(fx.virtualSize - r.resumedAt + 4 * MiB);
    expect(before).toBeGreaterThan(0);
    expect(await sameData(fx.raw, 'raw', target)).toBe(true);
  });

  it('an abort with keepOnAbort false leaves the volume empty and no scratch files', async () => {
    const url = server.route('/abort-clean.qcow2', { file: fx.qcow2, delayMs: 5 });
    const { target, scratch } = await fresh();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    await expect(importImage({ http: { url } }, target, loopbackOptions(scratch, { signal: ac.signal, keepOnAbort: false }))).rejects.toMatchObject({ reason: 'Aborted' });
    expect(await isEmpty(target)).toBe(true);
    expect(fs.existsSync(scratch)).toBe(false);
  });
});
