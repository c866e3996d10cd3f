// Upload throughput for bench/import: a file sent through the upload service
// (HTTP PATCH chunks of 16 MiB over loopback, each stored durably) against
// the same bytes written to a file in 16 MiB pieces, each fsynced.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { UploadService, type UploadTarget } from '@/server/upload/service';
import { signUploadToken } from '@/server/upload/token';
import { primeMemory } from './memory';

const CHUNK = 16 << 20;

async function plainWrite(src: string, dst: string): Promise<number> {
  const t = performance.now();
  const fd = fs.openSync(dst, 'w');
  const buf = Buffer.allocUnsafe(CHUNK);
  const inFd = fs.openSync(src, 'r');
  for (let pos = 0; ; ) {
    const n = fs.readSync(inFd, buf, 0, CHUNK, pos);
    if (n === 0) break;
    fs.writeSync(fd, buf, 0, n, pos);
    fs.fsyncSync(fd);
    pos += n;
  }
  fs.closeSync(inFd);
  fs.closeSync(fd);
  return (performance.now() - t) / 1000;
}

export async function uploadOnce(src: string, dir: string): Promise<number> {
  const key = Buffer.alloc(32, 7);
  let done!: () => void;
  const received = new Promise<void>((r) => (done = r));
  const target: UploadTarget = { uid: 'bench', dir, usableBytes: 2 ** 50, complete: async () => done() };
  const service = new UploadService(key, { lookup: () => target });
  const server = http.createServer(service.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/kura/v1/upload`;
  const token = signUploadToken(key, 'bench', 'bench');
  // The client runs in a process of its own, as a browser would: it does not share the server's event loop.
  const t = performance.now();
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, [path.join(import.meta.dirname, 'upload-client.mjs'), url, token, src], (err, _out, stderr) => (err ? reject(new Error(`upload client: ${stderr || err.message}`)) : resolve()));
  });
  await received;
  const secs = (performance.now() - t) / 1000;
  server.close();
  return secs;
}

export async function uploadRate(src: string, dir: string, rounds: number): Promise<{ uploadSeconds: number; writeSeconds: number }> {
  let uploadSeconds = Infinity;
  let writeSeconds = Infinity;
  for (let i = 0; i < rounds; i++) {
    const w = path.join(dir, 'plain-write.bin');
    // Each run starts with the disk quiet (the other's writeback would land on it) and memory in
    // the same state (see memory.ts).
    execFileSync('sync');
    primeMemory(dir);
    const c0 = process.cpuUsage();
    writeSeconds = Math.min(writeSeconds, await plainWrite(src, w));
    const c1 = process.cpuUsage(c0);
    fs.rmSync(w, { force: true });
    const u = path.join(dir, `upload-${i}`);
    fs.mkdirSync(u, { recursive: true });
    execFileSync('sync');
    primeMemory(dir);
    const c2 = process.cpuUsage();
    uploadSeconds = Math.min(uploadSeconds, await uploadOnce(src, u));
    const c3 = process.cpuUsage(c2);
    fs.rmSync(u, { recursive: true, force: true });
    const cpu = (c: NodeJS.CpuUsage) => `${((c.user + c.system) / 1e6).toFixed(2)} s CPU`;
    console.log(`upload round ${i + 1}: plain write ${writeSeconds.toFixed(2)} s (${cpu(c1)}), upload ${uploadSeconds.toFixed(2)} s (service: ${cpu(c3)})`);
  }
  return { uploadSeconds, writeSeconds };
}
