// Where the disk-image tests get their images from, all on loopback: the
// bootable test disk built from Debian packages (scripts/test-image), served
// as raw, qcow2 and qcow2.gz by an HTTP server of the test's own (Range
// support, an optional slow pace so progress can be watched, misbehaviours on
// request); an S3-compatible server (s3rver); and a container registry
// (Debian's docker-registry) holding the disk as a containerDisk.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import S3rver from 's3rver';
import { freePort, repoRoot } from './kura';

export interface TestImages {
  raw: string;
  qcow2: string;
  qcow2gz: string;
}

/** Builds (or finds, cached) the bootable test disk. */
export function testImages(): TestImages {
  const out = execFileSync('bash', [path.join(repoRoot, 'scripts/test-image/build.sh')], { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'inherit'] });
  const raw = out.trim().split('\n').pop()!;
  const d = path.dirname(raw);
  return { raw, qcow2: path.join(d, 'test-image.qcow2'), qcow2gz: path.join(d, 'test-image.qcow2.gz') };
}

export interface ImageServer {
  url(name: string): string;
  close(): Promise<void>;
}

/**
 * Serves files by name. `/slow/<name>` sends 64 KiB every `slowMs` (default 20 ms) so a
 * page can watch progress; names not in `files` answer 404; `/html/<name>` answers a sign-in page.
 */
export async function serveImages(files: Record<string, string>, slowMs = 20): Promise<ImageServer> {
  const server = http.createServer((req, res) => {
    const parts = (req.url ?? '/').split('?')[0]!.split('/').filter(Boolean);
    const slow = parts[0] === 'slow';
    if (parts[0] === 'html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end('<!DOCTYPE html><html><body>Please sign in</body></html>');
    }
    const file = files[parts.at(-1) ?? ''];
    if (!file) {
      res.writeHead(404);
      return res.end();
    }
    const size = fs.statSync(file).size;
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    const end = m && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
    const headers = { 'accept-ranges': 'bytes', etag: `"${size}"`, 'content-length': String(end - start + 1), 'content-type': 'application/octet-stream' };
    res.writeHead(m ? 206 : 200, m ? { ...headers, 'content-range': `bytes ${start}-${end}/${size}` } : headers);
    if (req.method === 'HEAD') return res.end();
    const stream = fs.createReadStream(file, { start, end, highWaterMark: 64 * 1024 });
    if (!slow) return void stream.pipe(res);
    stream.on('data', (c) => {
      stream.pause();
      res.write(c, () => setTimeout(() => stream.resume(), slowMs));
    });
    stream.on('end', () => res.end());
    res.on('close', () => stream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export interface S3Server {
  /** Path-style URL of an object in the bucket "images". */
  url(key: string): string;
  accessKeyId: string;
  secretKey: string;
  close(): Promise<void>;
}

/** s3rver with a bucket "images" holding `objects` (key → file); it checks SigV4 signatures with its default keys. */
export async function serveS3(objects: Record<string, string>): Promise<S3Server> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'kura-e2e-s3-'));
  const s3 = new S3rver({ port: 0, address: '127.0.0.1', directory, silent: true, configureBuckets: [{ name: 'images', configs: [] }] });
  const { port } = (await s3.run()) as { port: number };
  const url = (key: string) => `http://127.0.0.1:${port}/images/${key}`;
  for (const [key, file] of Object.entries(objects)) {
    const r = await fetch(url(key), { method: 'PUT', body: new Uint8Array(fs.readFileSync(file)) });
    if (!r.ok) throw new Error(`s3rver refused ${key}: ${r.status}`);
  }
  return {
    url,
    accessKeyId: 'S3RVER',
    secretKey: 'S3RVER',
    close: async () => {
      await s3.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

export interface Registry {
  /** host:port */
  host: string;
  close(): Promise<void>;
}

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Debian's docker-registry on `host` (default a free loopback port), with `image` pushed as repo:tag holding `disk` under /disk/. */
export async function serveRegistry(image: { repo: string; tag: string; disk: string }, at?: string): Promise<Registry> {
  const host = at ?? `127.0.0.1:${await freePort()}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kura-e2e-registry-'));
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: ${host}\n`);
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
  const base = `http://${host}/v2`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 100) throw new Error('docker-registry did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  // One layer: a tar with disk/<file>, gzipped, as containerDisk images are built.
  const root = path.join(dir, 'layer');
  fs.mkdirSync(path.join(root, 'disk'), { recursive: true });
  fs.copyFileSync(image.disk, path.join(root, 'disk', path.basename(image.disk)));
  const tar = execFileSync('tar', ['--format=pax', '-C', root, '-cf', '-', 'disk'], { maxBuffer: 1 << 30 });
  const layer = zlib.gzipSync(tar);
  const configBlob = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(tar)] } }));
  for (const blob of [layer, configBlob]) {
    const start = await fetch(`${base}/${image.repo}/blobs/uploads/`, { method: 'POST' });
    const location = new URL(start.headers.get('location')!, base);
    location.searchParams.set('digest', sha256(blob));
    const put = await fetch(location, { method: 'PUT', body: new Uint8Array(blob), headers: { 'content-type': 'application/octet-stream' } });
    if (put.status !== 201) throw new Error(`registry refused a blob: ${put.status}`);
  }
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: configBlob.length, digest: sha256(configBlob) },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.length, digest: sha256(layer) }],
  };
  const put = await fetch(`${base}/${image.repo}/manifests/${image.tag}`, { method: 'PUT', body: JSON.stringify(manifest), headers: { 'content-type': manifest.mediaType } });
  if (put.status !== 201) throw new Error(`registry refused the manifest: ${put.status} ${await put.text()}`);
  return {
    host,
    close: async () => {
      child.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
