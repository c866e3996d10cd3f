// containerDisk import from an in-test Docker Registry v2 stand-in: an OCI image built by hand
// (tar + gzip layers, blobs by digest, an image index), bearer tokens from a token service, blobs
// redirected to another host that must not see the token; plus the tar reader and URL parsing.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportError } from './errors';
import { importImage } from './importer';
import { parseRegistryUrl } from './registry';
import { tarEntries } from './tar';
import { type Fixtures, TestServer, isEmpty, loopbackOptions, makeFixtures, makeTarget, sameData, tempDir } from './testing';

const MiB = 1 << 20;
let fx: Fixtures;
let server: TestServer;
let dir: string;
const TOKEN = 'tok-123';
const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A tar of `files` (relative paths under root), written by GNU tar in the given format. */
function tarOf(root: string, files: Record<string, Buffer>, format: 'pax' | 'gnu' | 'ustar'): Buffer {
  fs.rmSync(root, { recursive: true, force: true });
  for (const [name, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), data);
  }
  return execFileSync('tar', [`--format=${format}`, '-C', root, '-cf', '-', ...Object.keys(files).map((f) => f.split('/')[0] as string).filter((v, i, a) => a.indexOf(v) === i)], { maxBuffer: 256 << 20 });
}

interface Image {
  repo: string;
  blobs: Map<string, Buffer>;
  manifests: Map<string, { body: Buffer; type: string }>;
}

const images = new Map<string, Image>();

/** An image of the given layers (gzip-compressed unless said), under an index with an arm64 decoy first. */
function publish(repo: string, layers: Buffer[], opts: { gzip?: boolean; tamper?: boolean; plainManifest?: boolean } = {}): void {
  const blobs = new Map<string, Buffer>();
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
  blobs.set(sha(config), config);
  const descs = layers.map((tar) => {
    const blob = opts.gzip === false ? tar : zlib.gzipSync(tar);
    const digest = sha(blob);
    blobs.set(digest, opts.tamper ? Buffer.concat([blob.subarray(0, blob.length - 8), Buffer.alloc(8)]) : blob);
    return { mediaType: opts.gzip === false ? 'application/vnd.oci.image.layer.v1.tar' : 'application/vnd.oci.image.layer.v1.tar+gzip', digest, size: blob.length };
  });
  const type = opts.plainManifest ? 'application/vnd.docker.distribution.manifest.v2+json' : 'application/vnd.oci.image.manifest.v1+json';
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: type, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length }, layers: descs }));
  const manifests = new Map<string, { body: Buffer; type: string }>();
  manifests.set(sha(manifest), { body: manifest, type });
  if (opts.plainManifest) manifests.set('latest', { body: manifest, type });
  else {
    const decoy = Buffer.from('{"schemaVersion":2,"layers":[]}');
    manifests.set(sha(decoy), { body: decoy, type });
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [
      { mediaType: type, digest: sha(decoy), size: decoy.length, platform: { architecture: 'arm64', os: 'linux' } },
      { mediaType: type, digest: sha(manifest), size: manifest.length, platform: { architecture: 'amd64', os: 'linux' } },
    ] }));
    manifests.set('latest', { body: index, type: 'application/vnd.oci.image.index.v1+json' });
  }
  images.set(repo, { repo, blobs, manifests });
  for (const [digest, blob] of blobs) server.route(`/storage/${repo}/${digest}`, { body: blob });
}

/** The registry API: bearer challenge, token service (user kura / pw), manifests, blobs redirected to "storage.example". */
function registry(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const u = new URL(req.url ?? '/', 'http://x');
  if (u.pathname.startsWith('/storage/')) {
    if (req.headers.authorization) return void res.writeHead(400).end('credentials leaked to storage'), true;
    return false;
  }
  if (u.pathname === '/token') {
    const ok = req.headers.authorization === `Basic ${Buffer.from('kura:pw').toString('base64')}` && u.searchParams.get('scope')?.startsWith('repository:') && u.searchParams.get('service') === 'test-registry';
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(ok ? JSON.stringify({ token: TOKEN }) : '{"errors":[{"code":"UNAUTHORIZED"}]}');
    return true;
  }
  const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(u.pathname);
  if (!m) return void res.writeHead(404).end(), true;
  if (req.headers.authorization !== `Bearer ${TOKEN}`) {
    res.writeHead(401, { 'www-authenticate': `Bearer realm="http://127.0.0.1:${server.port}/token",service="test-registry",scope="repository:${m[1]}:pull"` }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    return true;
  }
  const image = images.get(m[1] as string);
  if (m[2] === 'manifests') {
    const man = image?.manifests.get(m[3] as string);
    if (!man) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}'), true;
    res.writeHead(200, { 'content-type': man.type, 'docker-content-digest': sha(man.body) }).end(man.body);
    return true;
  }
  if (!image?.blobs.has(m[3] as string)) return void res.writeHead(404).end(), true;
  res.writeHead(307, { location: `http://storage.example:${server.port}/storage/${m[1]}/${m[3]}` }).end();
  return true;
}

const resolve = async (host: string) => (host === 'storage.example' ? ['127.0.0.1'] : []);
const auth = { user: 'kura', password: 'pw' };

beforeAll(async () => {
  dir = tempDir('import-registry');
  fx = await makeFixtures(dir);
  server = await new TestServer(registry).start();
  const disk = fs.readFileSync(fx.qcow2);
  const etc = tarOf(path.join(dir, 'l1'), { 'etc/hostname': Buffer.from('kura\n') }, 'pax');
  const longName = `disk/${'d'.repeat(120)}.qcow2`;
  publish('kubevirt/cirros-container-disk-demo', [etc, tarOf(path.join(dir, 'l2'), { 'disk/disk.qcow2': disk }, 'pax')]);
  publish('kura/long-name', [tarOf(path.join(dir, 'l3'), { [longName]: disk }, 'gnu')], { gzip: false, plainManifest: true });
  publish('kura/no-disk', [etc]);
  publish('kura/tampered', [tarOf(path.join(dir, 'l4'), { 'disk/disk.qcow2': disk }, 'ustar')], { tamper: true });
}, 120_000);
afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(repo: string, extra: { auth?: typeof auth; tag?: string } = { auth }) {
  const target = await makeTarget(dir, `vol-${repo.replace(/\//g, '_')}-${Math.random()}.qcow2`, 64 * MiB);
  const url = `docker://127.0.0.1:${server.port}/${repo}:${extra.tag ?? 'latest'}`;
  const result = importImage({ registry: { url, insecureHttp: true, ...(extra.auth ? { auth: extra.auth } : {}) } }, target, loopbackOptions(path.join(dir, `s-${Math.random()}`), { resolve }));
  return { target, result };
}

describe('containerDisk import', () => {
  it('picks linux/amd64 from the index, gets a token, follows the blob redirect without it, finds disk/ in the second layer', async () => {
    const { target, result } = await run('kubevirt/cirros-container-disk-demo');
    const r = await result;
    expect(r).toMatchObject({ format: 'qcow2', mode: 'staged' });
    expect(await sameData(fx.raw, 'raw', target)).toBe(true);
  });

  it('reads an uncompressed layer with a GNU long name under a Docker schema 2 manifest', async () => {
    const { target, result } = await run('kura/long-name');
    await result;
    expect(await sameData(fx.raw, 'raw', target)).toBe(true);
  });

  it.each([
    ['a wrong password', 'kubevirt/cirros-container-disk-demo', { auth: { user: 'kura', password: 'nope' } }, 'Unauthorized', /answered 401/],
    ['an image without /disk/', 'kura/no-disk', { auth }, 'NotADiskImage', /has no file under \/disk\//],
    ['a layer that does not match its digest', 'kura/tampered', { auth }, /DigestMismatch|Corrupt/, /does not match its digest|damaged/],
    ['an unknown tag', 'kubevirt/cirros-container-disk-demo', { auth, tag: 'v9' }, 'NotFound', /answered 404/],
  ] as const)('refuses %s', async (_what, repo, extra, reason, message) => {
    const { target, result } = await run(repo, extra);
    const err = (await result.catch((e: unknown) => e)) as ImportError;
    expect(err).toBeInstanceOf(ImportError);
    expect(err.reason).toMatch(reason);
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(message);
    expect(await isEmpty(target)).toBe(true);
  });
});

describe('parseRegistryUrl', () => {
  it.each([
    ['docker://quay.io/containerdisks/fedora:40', { base: 'https://quay.io', repository: 'containerdisks/fedora', reference: '40' }],
    ['docker://localhost:5000/disk', { base: 'https://localhost:5000', repository: 'disk', reference: 'latest' }],
    ['docker://busybox', { base: 'https://registry-1.docker.io', repository: 'library/busybox', reference: 'latest' }],
    [`docker://r.example/a/b@sha256:${'a'.repeat(64)}`, { base: 'https://r.example', repository: 'a/b', reference: `sha256:${'a'.repeat(64)}` }],
  ])('%s', (url, ref) => {
    expect(parseRegistryUrl(url)).toEqual(ref);
  });

  it.each(['https://quay.io/x', 'docker://quay.io/UPPER:tag', 'docker://r.example/a@sha256:short'])('refuses %s', (url) => {
    expect(() => parseRegistryUrl(url)).toThrow();
  });
});

describe('tarEntries', () => {
  async function* once(b: Buffer) {
    yield b.subarray(0, 700);
    yield b.subarray(700);
  }

  it.each(['pax', 'gnu', 'ustar'] as const)('reads names, sizes and data of a %s archive', async (format) => {
    const name = format === 'ustar' ? `disk/${'p'.repeat(90)}/${'q'.repeat(60)}.img` : `disk/${'n'.repeat(150)}.img`;
    const files = { 'disk/a.img': Buffer.alloc(1000, 7), [name]: Buffer.from('hello'), 'disk/empty': Buffer.alloc(0) };
    const seen: Record<string, string> = {};
    for await (const e of tarEntries(once(tarOf(path.join(dir, `t-${format}`), files, format)))) {
      if (e.type !== 'file') continue;
      const chunks: Buffer[] = [];
      for await (const c of e.body) chunks.push(c);
      seen[e.name] = createHash('sha256').update(Buffer.concat(chunks)).digest('hex');
    }
    for (const [n, data] of Object.entries(files)) expect(seen[n]).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('skips the data of entries that are not read', async () => {
    const names: string[] = [];
    for await (const e of tarEntries(once(tarOf(path.join(dir, 't-skip'), { 'a/x': Buffer.alloc(5000, 1), 'a/y': Buffer.alloc(10, 2) }, 'pax')))) names.push(`${e.type}:${e.name}`);
    expect(names).toEqual(['directory:a/', 'file:a/x', 'file:a/y']);
  });

  it('refuses a damaged header', async () => {
    const bad = Buffer.alloc(1024, 0x41);
    await expect((async () => {
      for await (const _ of tarEntries(once(bad))) {
        // nothing
      }
    })()).rejects.toThrow(/not a valid tar archive/);
  });
});
