// Test helpers for the importer: the test disk and the broken images derived from it, volume
// targets, and a loopback HTTP server whose misbehaviours (no Range, drops, lies, errors, slowness)
// are chosen per file.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { parseImportAllowList } from '@/lib/cdi';
import { ImportError } from './errors';
import type { ImportOptions, ImportTarget } from './types';

const MiB = 1 << 20;

export function run(bin: string, args: string[]): Promise<{ code: number; stdout: string; out: string }> {
  return new Promise((resolve) => {
    execFile(bin, args, { env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, out: stdout + stderr });
    });
  });
}

async function must(bin: string, args: string[]): Promise<string> {
  const r = await run(bin, args);
  if (r.code !== 0) throw new Error(`${bin} ${args.join(' ')}: ${r.out}`);
  return r.stdout;
}

export interface Fixtures {
  dir: string;
  /** The bootable test disk (scripts/test-image), or a patterned stand-in when it cannot be built. */
  raw: string;
  qcow2: string;
  qcow2gz: string;
  /** The qcow2 with compressed clusters (as cloud images are shipped). */
  packed: string;
  /** 8 MiB qcow2 with 1.5 MiB of patterns, and its xz. */
  small: string;
  smallxz: string;
  rawzst: string;
  vhd: string;
  virtualSize: number;
  backing: string;
  dataFile: string;
  bomb: string;
  encrypted: string;
  zerosGz: string;
  corruptL1: string;
  corruptHeader: string;
  html: string;
}

async function baseImage(dir: string): Promise<{ raw: string; qcow2: string; qcow2gz: string }> {
  const script = fileURLToPath(new URL('../../../scripts/test-image/build.sh', import.meta.url));
  const built = await run('bash', [script]);
  const raw = built.stdout.trim().split('\n').pop() ?? '';
  if (built.code === 0 && fs.existsSync(raw)) {
    const d = path.dirname(raw);
    return { raw, qcow2: path.join(d, 'test-image.qcow2'), qcow2gz: path.join(d, 'test-image.qcow2.gz') };
  }
  // Without the Debian packages: a 32 MiB disk with patterned blocks stands in.
  const out = { raw: path.join(dir, 'base.raw'), qcow2: path.join(dir, 'base.qcow2'), qcow2gz: path.join(dir, 'base.qcow2.gz') };
  await must('qemu-img', ['create', '-q', '-f', 'raw', out.raw, '32M']);
  await must('qemu-io', ['-f', 'raw', '-c', 'write -P 0xeb 0 1M', '-c', 'write -P 0x55 510 1', '-c', 'write -P 0xaa 511 1', '-c', 'write -P 0xa5 8M 3M', '-c', 'write -P 0x93 30M 1M', out.raw]);
  await must('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', out.raw, out.qcow2]);
  fs.writeFileSync(out.qcow2gz, zlib.gzipSync(fs.readFileSync(out.qcow2)));
  return out;
}

/** Builds every image the importer tests use, in `dir`. */
export async function makeFixtures(dir: string): Promise<Fixtures> {
  const base = await baseImage(dir);
  const f = (name: string) => path.join(dir, name);
  const info = JSON.parse(await must('qemu-img', ['info', '--output=json', '-f', 'qcow2', base.qcow2])) as { 'virtual-size': number };
  // xz is slow on the test disk's kernel (6 s): a small patterned qcow2 stands in for the xz case.
  await must('qemu-img', ['create', '-q', '-f', 'qcow2', f('small.qcow2'), '8M']);
  await must('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x6b 0 1M', '-c', 'write -P 0x17 5M 512k', f('small.qcow2')]);
  await must('sh', ['-c', `xz -1 -c '${f('small.qcow2')}' > '${f('small.qcow2.xz')}'`]);
  await must('zstd', ['-q', '-f', '-1', base.raw, '-o', f('image.raw.zst')]);
  await must('qemu-img', ['convert', '-c', '-f', 'qcow2', '-O', 'qcow2', base.qcow2, f('packed.qcow2')]);
  await must('qemu-img', ['convert', '-f', 'raw', '-O', 'vpc', '-o', 'subformat=fixed,force_size=on', base.raw, f('image.vhd')]);
  await must('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', base.qcow2, '-F', 'qcow2', f('backing.qcow2')]);
  await must('qemu-img', ['create', '-q', '-f', 'qcow2', '-o', `data_file=${f('data.raw')}`, f('datafile.qcow2'), '16M']);
  await must('qemu-img', ['create', '-q', '-f', 'qcow2', f('bomb.qcow2'), '100T']);
  // An encrypted qcow2 as its header declares one (crypt_method 2, LUKS, at byte 32), which is what
  // the importer judges. Not made with qemu-img's LUKS: that times its key derivation and, on a busy
  // machine, fails ("Unable to get accurate CPU usage") often enough to make the tests flaky.
  const enc = fs.readFileSync(base.qcow2);
  enc.writeUInt32BE(2, 32);
  fs.writeFileSync(f('encrypted.qcow2'), enc);
  fs.writeFileSync(f('zeros.gz'), zlib.gzipSync(Buffer.alloc(64 * MiB), { level: 1 }));
  // Damaged copies: an L1 entry pointing nowhere (qemu-img check finds it), a refcount table offset that is not one (open fails).
  for (const [name, at, value] of [['corrupt-l1.qcow2', -1, 0x8000000000012345n], ['corrupt-header.qcow2', 48, 0x7777777n]] as const) {
    const b = fs.readFileSync(base.qcow2);
    b.writeBigUInt64BE(value, at >= 0 ? at : Number(b.readBigUInt64BE(40)));
    fs.writeFileSync(f(name), b);
  }
  fs.writeFileSync(f('error.html'), '<!DOCTYPE html>\n<html><head><title>Not here</title></head><body>Sign in to continue</body></html>\n');
  return {
    dir,
    ...base,
    packed: f('packed.qcow2'),
    small: f('small.qcow2'),
    smallxz: f('small.qcow2.xz'),
    rawzst: f('image.raw.zst'),
    vhd: f('image.vhd'),
    virtualSize: info['virtual-size'],
    backing: f('backing.qcow2'),
    dataFile: f('datafile.qcow2'),
    bomb: f('bomb.qcow2'),
    encrypted: f('encrypted.qcow2'),
    zerosGz: f('zeros.gz'),
    corruptL1: f('corrupt-l1.qcow2'),
    corruptHeader: f('corrupt-header.qcow2'),
    html: f('error.html'),
  };
}

/** A fresh volume file, as FilePool makes one. */
export async function makeTarget(dir: string, name: string, sizeBytes: number, format: 'qcow2' | 'raw' = 'qcow2'): Promise<ImportTarget> {
  const file = path.join(dir, name);
  await must('qemu-img', ['create', '-q', '-f', format, file, String(sizeBytes)]);
  return { path: file, format, usableBytes: sizeBytes };
}

/** qemu-img compare: true when the target reads the same as the source (zeros beyond the source). */
export async function sameData(source: string, sourceFormat: string, target: ImportTarget): Promise<boolean> {
  return (await run('qemu-img', ['compare', '-q', '-f', sourceFormat, '-F', target.format, source, target.path])).code === 0;
}

/** True when no byte of the target's data is allocated: it reads as an empty volume. */
export async function isEmpty(target: ImportTarget): Promise<boolean> {
  const map = JSON.parse(await must('qemu-img', ['map', '--output=json', '-f', target.format, target.path])) as { data: boolean; zero: boolean }[];
  return map.every((e) => !e.data || e.zero);
}

/** The ImportError an import ends with; fails the test when it succeeds or throws something else. */
export async function importFailure(p: Promise<unknown>): Promise<ImportError> {
  const err = await p.then(
    () => new Error('the import succeeded'),
    (e: unknown) => e,
  );
  if (!(err instanceof ImportError)) throw err;
  return err;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `kura-${prefix}-`));
}

export const FAST_RETRY = { initialDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 50, maxAttempts: 4 };
export const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export function loopbackOptions(scratchDir: string, extra: Partial<ImportOptions> = {}): ImportOptions {
  return { scratchDir, policy: { allow: parseImportAllowList('127.0.0.1').allow }, retry: FAST_RETRY, log: quiet, idleTimeoutMs: 5_000, ...extra };
}

export interface Behaviour {
  file?: string;
  body?: Buffer;
  contentType?: string;
  /** Answer Range requests (default true). */
  range?: boolean;
  /** Send an ETag (default true). */
  etag?: boolean;
  /** Close the connection after this many body bytes, for the first `dropTimes` responses (default 1). */
  dropAfter?: number;
  dropTimes?: number;
  /** Every response stops at this byte of the file, then the connection closes. */
  truncateAt?: number;
  /** Content-Length (and Content-Range total) claims 1000 bytes more, or fewer, than sent. */
  lie?: 'more' | 'less';
  /** Statuses answered, in turn, before the file is served. */
  failFirst?: number[];
  redirect?: string;
  /** Pause this long after each 64 KiB. */
  delayMs?: number;
  /** Checks a request; false → 401/403. */
  authorize?: (req: http.IncomingMessage) => boolean;
}

export interface Served {
  requests: number;
  bytes: number;
  ranges: string[];
}

/** A loopback HTTP server of test files with chosen misbehaviours; counts requests and body bytes per path. */
export class TestServer {
  readonly routes = new Map<string, Behaviour>();
  readonly stats = new Map<string, Served>();
  private server: http.Server;
  port = 0;

  constructor(private readonly handler?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean) {
    this.server = http.createServer((req, res) => void this.handle(req, res).catch(() => res.destroy()));
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  url(p: string): string {
    return `http://127.0.0.1:${this.port}${p}`;
  }

  route(p: string, b: Behaviour): string {
    this.routes.set(p, b);
    this.stats.delete(p);
    return this.url(p);
  }

  served(p: string): Served {
    return this.stats.get(p) ?? { requests: 0, bytes: 0, ranges: [] };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (this.handler?.(req, res)) return;
    const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const b = this.routes.get(p);
    const st = this.stats.get(p) ?? { requests: 0, bytes: 0, ranges: [] };
    this.stats.set(p, st);
    st.requests++;
    if (!b) return void res.writeHead(404).end('not found');
    if (b.authorize && !b.authorize(req)) return void res.writeHead(req.headers.authorization ? 403 : 401, { 'www-authenticate': 'Basic realm="test"' }).end();
    const status = b.failFirst?.shift();
    if (status !== undefined) return void res.writeHead(status, status === 503 ? { 'retry-after': '0' } : {}).end(`status ${status}`);
    if (b.redirect) return void res.writeHead(302, { location: b.redirect }).end();
    const data = b.body ?? fs.readFileSync(b.file as string);
    const size = data.length;
    const claimed = size + (b.lie === 'more' ? 1000 : b.lie === 'less' ? -1000 : 0);
    const etag = `"${size}-${fs.existsSync(b.file ?? '') ? fs.statSync(b.file as string).mtimeMs : 0}"`;
    const headers: Record<string, string | number> = { 'content-type': b.contentType ?? 'application/octet-stream', 'last-modified': new Date(0).toUTCString() };
    if (b.etag !== false) headers.etag = etag;
    if (b.range !== false) headers['accept-ranges'] = 'bytes';
    let start = 0;
    let end = claimed - 1;
    const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    if (b.range !== false && m && (!ifRange || ifRange === etag || ifRange === headers['last-modified'])) {
      start = m[1] ? Number(m[1]) : claimed - Number(m[2]);
      end = m[1] && m[2] ? Math.min(Number(m[2]), claimed - 1) : claimed - 1;
      st.ranges.push(`${start}-${end}`);
      if (start >= size) return void res.writeHead(416, { 'content-range': `bytes */${claimed}` }).end();
      res.writeHead(206, { ...headers, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${claimed}` });
    } else if (b.lie === 'less') {
      // Bypass Node's own Content-Length check: the header says less than the body holds.
      req.socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${claimed}\r\ncontent-type: application/octet-stream\r\n\r\n`);
      req.socket.end(data);
      st.bytes += size;
      return;
    } else {
      res.writeHead(200, { ...headers, 'content-length': claimed });
    }
    res.flushHeaders();
    const stopAt = Math.min(end + 1, size, b.truncateAt ?? Infinity);
    let sent = 0;
    const drop = b.dropAfter !== undefined && (b.dropTimes ?? 1) > 0 && stopAt - start > b.dropAfter;
    if (drop) b.dropTimes = (b.dropTimes ?? 1) - 1;
    for (let at = start; at < stopAt; at += 64 << 10) {
      let piece = data.subarray(at, Math.min(stopAt, at + (64 << 10)));
      if (drop && sent + piece.length > (b.dropAfter as number)) piece = piece.subarray(0, (b.dropAfter as number) - sent);
      if (res.destroyed) return;
      st.bytes += piece.length;
      sent += piece.length;
      if (!res.write(piece)) await new Promise((r) => res.once('drain', r));
      if (drop && sent >= (b.dropAfter as number)) return void setTimeout(() => res.destroy(), 5);
      if (b.delayMs) await new Promise((r) => setTimeout(r, b.delayMs));
    }
    if (sent < end - start + 1) return void setTimeout(() => res.destroy(), 5);
    res.end();
  }
}
