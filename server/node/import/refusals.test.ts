// What importImage refuses, and how: the reason, whether a retry could help, the message a person
// reads, an empty volume and no scratch files afterwards; and the retries that do help.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImportAllowList } from '@/lib/cdi';
import { type ImportError } from './errors';
import { importImage } from './importer';
import { type Behaviour, type Fixtures, TestServer, importFailure, isEmpty, loopbackOptions, makeFixtures, makeTarget, sameData, tempDir } from './testing';
import type { ImportOptions, ImportSource } from './types';

const MiB = 1 << 20;
let fx: Fixtures;
let server: TestServer;
let dir: string;
let n = 0;

beforeAll(async () => {
  dir = tempDir('import-refusals');
  fx = await makeFixtures(dir);
  server = await new TestServer().start();
}, 120_000);
afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function fresh(size = 64 * MiB) {
  n++;
  return { target: await makeTarget(dir, `vol-${n}.qcow2`, size), scratch: path.join(dir, `scratch-${n}`) };
}

async function refusal(source: ImportSource, size = 64 * MiB, extra: Partial<ImportOptions> = {}): Promise<ImportError> {
  const { target, scratch } = await fresh(size);
  const err = await importFailure(importImage(source, target, loopbackOptions(scratch, extra)));
  expect(await isEmpty(target)).toBe(true);
  if (!err.retryable) expect(fs.existsSync(scratch)).toBe(false);
  return err;
}

const route = (name: string, b: Behaviour | (() => Behaviour)) => ({ http: { url: server.route(`/${name}`, typeof b === 'function' ? b() : b) } });

describe('refused at once, never retried', () => {
  it.each([
    ['a 404', () => route('missing.qcow2', { file: '/nonexistent', failFirst: [404] }), 'NotFound', /^Disk import failed: the server answered 404 \(not found\) for http:\/\/127\.0\.0\.1:\d+\/missing\.qcow2: check the URL$/],
    ['a 403', () => route('forbidden.qcow2', { file: fx.qcow2, failFirst: [403] }), 'Forbidden', /answered 403 \(forbidden\)/],
    ['an HTML error page served with 200', () => route('login.qcow2', { file: fx.html, contentType: 'text/html' }), 'NotADiskImage', /the file is HTML, not a disk image/],
    ['a qcow2 with a backing file', () => route('backing.qcow2', { file: fx.backing }), 'BackingFile', /depends on a backing file \(.*test-image\.qcow2|base\.qcow2\)/],
    ['a qcow2 with an external data file', () => route('datafile.qcow2', { file: fx.dataFile }), 'DataFile', /keeps its data in an external file/],
    ['an encrypted qcow2', () => route('encrypted.qcow2', { file: fx.encrypted }), 'Encrypted', /encrypted/],
    ['a qcow2 claiming 100 TiB over 2 MiB', () => route('bomb.qcow2', { file: fx.bomb }), 'ImageBomb', /claims a 100 TiB disk from only 1\.8 MiB/],
    ['a qcow2 whose L1 table points nowhere', () => route('corrupt-l1.qcow2', { file: fx.corruptL1 }), 'Corrupt', /qemu-img check found \d+ corruptions/],
    ['a qcow2 whose header is damaged', () => route('corrupt-header.qcow2', { file: fx.corruptHeader }), 'Corrupt', /cannot read the image as qcow2: .*Reference count table offset invalid/],
    ['a disk bigger than the volume', () => route('big.qcow2', { file: fx.qcow2 }), 'TooLarge', /the image needs 32 MiB, the volume holds 16 MiB; ask for at least 32 MiB/],
    ['a raw stream bigger than the volume', () => route('big.raw.zst', { file: fx.rawzst }), 'TooLarge', /more than 16 MiB arrived and the volume holds 16 MiB/],
    ['a server claiming more bytes than it has (Range)', () => route('more.raw', { file: fx.raw, lie: 'more' }), 'ContentLengthMismatch', /announced 33555432 bytes .* but has fewer/],
    ['a server sending more bytes than it announced', () => route('less.raw', { file: fx.raw, lie: 'less', range: false }), 'ContentLengthMismatch', /announced 33553432 bytes \(Content-Length\) .* but sent more/],
    ['a qcow2 cut short by a Content-Length that is too small (Range)', () => route('less.qcow2', { file: fx.qcow2, lie: 'less' }), 'Truncated', /truncated/],
  ] as const)('%s', async (_what, source, reason, message) => {
    const size = reason === 'TooLarge' ? 16 * MiB : 64 * MiB;
    const err = await refusal(source(), size);
    expect({ reason: err.reason, retryable: err.retryable }).toEqual({ reason, retryable: false });
    expect(err.message).toMatch(message);
  });

  it('stops reading an HTML page at its first bytes', async () => {
    const page = Buffer.concat([fs.readFileSync(fx.html), Buffer.alloc(32 * MiB, 0x20)]);
    const err = await refusal({ http: { url: server.route('/big-page', { body: page, range: false }) } });
    expect(err.reason).toBe('NotADiskImage');
    expect(server.served('/big-page').bytes).toBeLessThan(page.length / 2);
  });

  it('stops decompressing a gzip of zeros once it passes the image-bomb ratio', async () => {
    const err = await refusal({ http: { url: server.route('/zeros.gz', { file: fx.zerosGz }) } }, 1024 * MiB, { bombLimits: { maxRatio: 100, minVirtualBytes: 8 * MiB } });
    expect(err.reason).toBe('ImageBomb');
    expect(err.message).toMatch(/to 1; Kura accepts at most 100 to 1 above 8 MiB/);
  });

  it('stops at the volume size when a gzip of zeros outgrows it', async () => {
    const err = await refusal({ http: { url: server.route('/zeros-small.gz', { file: fx.zerosGz }) } }, 16 * MiB);
    expect(err.reason).toBe('TooLarge');
  });
});

describe('the request policy', () => {
  it('refuses a URL the policy does not allow without connecting to it', async () => {
    const url = server.route('/denied.qcow2', { file: fx.qcow2 });
    const err = await refusal({ http: { url } }, 64 * MiB, { policy: {} });
    expect(err.reason).toBe('RequestRefused');
    expect(err.message).toMatch(/127\.0\.0\.1:\d+ is a loopback address \(this machine\); importing from it is refused unless KURA_IMPORT_ALLOW lists it/);
    expect(server.served('/denied.qcow2').requests).toBe(0);
  });

  it.each([
    ['the cloud metadata service', 'http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is the cloud metadata service/],
    ['another port on loopback', 'http://127.0.0.1:1/disk.qcow2', /127\.0\.0\.1:1 is a loopback address/],
    ['a file URL', 'file:///etc/passwd', /refused: .*file URLs cannot be imported/],
  ])('re-checks a redirect to %s', async (_what, location, message) => {
    const policy = { allow: parseImportAllowList(`127.0.0.1:${server.port}`).allow };
    const err = await refusal({ http: { url: server.route(`/redirect-${n}`, { redirect: location }) } }, 64 * MiB, { policy });
    expect(err.reason).toBe('RequestRefused');
    expect(err.message).toMatch(message);
  });

  it('connects only to the addresses that were checked (a pinned lookup)', async () => {
    const url = server.route('/pinned.qcow2', { file: fx.qcow2 }).replace('127.0.0.1', 'images.example');
    const { target, scratch } = await fresh();
    await importImage({ http: { url } }, target, loopbackOptions(scratch, { resolve: async () => ['127.0.0.1'] }));
    expect(await sameData(fx.raw, 'raw', target)).toBe(true);
  });

  it('refuses a name when any of its addresses is refused', async () => {
    const url = server.route('/rebind.qcow2', { file: fx.qcow2 }).replace('127.0.0.1', 'rebind.example');
    const err = await refusal({ http: { url } }, 64 * MiB, { resolve: async () => ['127.0.0.1', '169.254.169.254'] });
    expect(err.reason).toBe('RequestRefused');
    expect(server.served('/rebind.qcow2').requests).toBe(0);
  });
});

describe('retries', () => {
  it('retries a 500 and succeeds on the next answer', async () => {
    const url = server.route('/flaky.qcow2', { file: fx.qcow2, failFirst: [500, 503] });
    const { target, scratch } = await fresh();
    const retries: string[] = [];
    await importImage({ http: { url } }, target, loopbackOptions(scratch, { onRetry: (r) => retries.push(r.reason) }));
    expect(retries).toEqual([expect.stringMatching(/answered 500 for/), expect.stringMatching(/answered 503 for/)]);
    expect(await sameData(fx.raw, 'raw', target)).toBe(true);
  });

  it('gives up after the policy\'s attempts on a server that keeps failing, and says a retry may help', async () => {
    const err = await refusal(route('down.qcow2', { file: fx.qcow2, failFirst: [502, 502, 502, 502, 502] }));
    expect({ reason: err.reason, retryable: err.retryable }).toEqual({ reason: 'ServerError', retryable: true });
    expect(err.message).toMatch(/answered 502 .*; gave up after 4 attempts$/);
  });

  it.each([
    ['with Range', true],
    ['without Range', false],
  ])('gives up on a file that is always cut short (%s)', async (_what, range) => {
    const err = await refusal(route(`short-${range}.qcow2`, { file: fx.qcow2, truncateAt: 5 * MiB, range }));
    expect({ reason: err.reason, retryable: err.retryable }).toEqual({ reason: 'Truncated', retryable: true });
  });

  it('does not retry when the volume\'s disk is full', async () => {
    const mnt = path.join(dir, 'tmpfs');
    fs.mkdirSync(mnt, { recursive: true });
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', mnt]);
    } catch {
      return void console.warn('skipped: cannot mount a tmpfs here');
    }
    try {
      const target = await makeTarget(mnt, 'vol.qcow2', 64 * MiB);
      const url = server.route('/fills.raw', { file: fx.raw });
      const err = await importFailure(importImage({ http: { url } }, target, loopbackOptions(path.join(dir, 'scratch-nospace'))));
      expect({ reason: err.reason, retryable: err.retryable }).toEqual({ reason: 'NoSpace', retryable: false });
      expect(err.message).toMatch(/^Disk import failed: the disk holding the volume is full/);
      expect(await isEmpty(target)).toBe(true);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});

describe('a file staged on this node (uploads)', () => {
  it.each([
    ['qcow2', 'qcow2', 'direct'],
    ['qcow2.gz', 'qcow2gz', 'staged'],
  ] as const)('imports a %s upload', async (_what, key, mode) => {
    const { target, scratch } = await fresh();
    const r = await importImage({ file: { path: fx[key] } }, target, loopbackOptions(scratch));
    expect(r.mode).toBe(mode);
    expect(r.downloadedBytes).toBe(0);
    expect(await sameData(fx.raw, 'raw', target)).toBe(true);
  });

  it('refuses an upload that is not a disk image', async () => {
    const err = await refusal({ file: { path: fx.html } });
    expect(err.reason).toBe('NotADiskImage');
  });
});
