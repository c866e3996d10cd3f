// Upload throughput for bench/import: a file sent to the upload service by the console's upload
// client (HTTP PATCH chunks over loopback, sized to the link as the upload page sizes them, the last
// answered once every byte is on disk) against the same bytes written to a file in 16 MiB pieces,
// each fsynced. The upload is timed from its first request to that last answer, as the client sees
// it: the client is a process of its own, and its start-up is no part of the upload.
// The service writes whole blocks with O_DIRECT (server/node/writer.ts); for reference, the same
// plain write with O_DIRECT is timed too, but the target is against the ordinary one.
import { type ChildProcessByStdio, execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { DIRECT_ALIGN, pageAlignedBuffer } from '@/server/node/writer';
import { signUploadToken } from '@/server/upload/token';
import { SERVER_NODE_FLAGS } from '../../scripts/server-flags.mjs';
import { primeMemory } from './memory';

const CHUNK = 16 << 20;

/** Copies src to dst in 16 MiB pieces, each fsynced; with `direct`, whole blocks with O_DIRECT. */
async function plainWrite(src: string, dst: string, direct = false): Promise<number> {
  const t = performance.now();
  const fd = fs.openSync(dst, 'w');
  const directFd = direct ? fs.openSync(dst, fs.constants.O_WRONLY | fs.constants.O_DIRECT) : undefined;
  const buf = direct ? pageAlignedBuffer(CHUNK) : Buffer.allocUnsafe(CHUNK);
  const inFd = fs.openSync(src, 'r');
  for (let pos = 0; ; ) {
    const n = fs.readSync(inFd, buf, 0, CHUNK, pos);
    if (n === 0) break;
    const whole = directFd === undefined ? 0 : n - (n % DIRECT_ALIGN);
    if (whole > 0) fs.writeSync(directFd!, buf, 0, whole, pos);
    if (whole < n) fs.writeSync(fd, buf, whole, n - whole, pos + whole);
    fs.fsyncSync(fd);
    pos += n;
  }
  fs.closeSync(inFd);
  if (directFd !== undefined) fs.closeSync(directFd);
  fs.closeSync(fd);
  return (performance.now() - t) / 1000;
}

/** What a child process says on lines starting with @, a line at a time (other lines are passed on); rejects if it exits first. */
function lineReader(child: ChildProcessByStdio<Writable, Readable, null>, name: string): () => Promise<string> {
  const lines = readline.createInterface({ input: child.stdout });
  const queue: string[] = [];
  let waiting: { resolve: (l: string) => void; reject: (e: Error) => void } | undefined;
  let exited: Error | undefined;
  lines.on('line', (line) => {
    if (!line.startsWith('@')) return void process.stdout.write(`${line}\n`);
    const l = line.slice(1);
    if (waiting) waiting.resolve(l);
    else queue.push(l);
    waiting = undefined;
  });
  child.once('exit', (code) => {
    exited = new Error(`the ${name} exited (${code})`);
    waiting?.reject(exited);
  });
  return () => {
    const l = queue.shift();
    if (l !== undefined) return Promise.resolve(l);
    if (exited) return Promise.reject(exited);
    return new Promise((resolve, reject) => (waiting = { resolve, reject }));
  };
}

/** The upload service in a process of its own (see upload-server.ts), staging into `dir`. */
export class BenchUploadService {
  private readonly key = crypto.randomBytes(32);
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private readonly said: () => Promise<string>;
  private port: number | undefined;

  constructor(private readonly dir: string) {
    this.child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', path.join(import.meta.dirname, 'upload-server.ts'), dir, this.key.toString('hex')], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.said = lineReader(this.child, 'upload service');
  }

  /**
   * Sends `src` in a fresh upload: the client process is started first, then `ready` runs (the
   * memory priming), then the upload. Gives the seconds the client took and the service's CPU seconds.
   */
  async upload(src: string, ready: () => void = () => undefined): Promise<{ seconds: number; serviceCpu: number }> {
    this.port ??= Number(await this.said());
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.mkdirSync(this.dir, { recursive: true });
    // The client runs in a process of its own, as a browser would: it does not share the service's event loop.
    const url = `http://127.0.0.1:${this.port}/kura/v1/upload`;
    const client = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'upload-client.ts'), url, signUploadToken(this.key, 'bench', 'bench'), src, '--wait'], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const fromClient = lineReader(client, 'upload client');
      if ((await fromClient()) !== 'ready') throw new Error('the upload client did not start');
      ready();
      this.child.stdin.write('cpu\n');
      await this.said();
      client.stdin.write('go\n');
      const seconds = Number(await fromClient());
      if (!(seconds > 0)) throw new Error('the upload client did not print its time');
      if ((await this.said()) !== 'received') throw new Error('the upload service did not say the upload was received');
      this.child.stdin.write('cpu\n');
      return { seconds, serviceCpu: Number((await this.said()).replace(/^cpu /, '')) };
    } finally {
      client.kill();
    }
  }

  close(): void {
    this.child.kill();
  }
}

export async function uploadRate(src: string, dir: string, rounds: number): Promise<{ uploadSeconds: number; writeSeconds: number; directSeconds: number }> {
  let uploadSeconds = Infinity;
  let writeSeconds = Infinity;
  let directSeconds = Infinity;
  const service = new BenchUploadService(path.join(dir, 'upload'));
  try {
    for (let i = 0; i < rounds; i++) {
      // Each run starts with the disk quiet (the other's writeback would land on it) and memory in
      // the same state (see memory.ts).
      execFileSync('sync');
      primeMemory(dir);
      const c0 = process.cpuUsage();
      const w = await plainWrite(src, path.join(dir, 'plain-write.bin'));
      writeSeconds = Math.min(writeSeconds, w);
      const c1 = process.cpuUsage(c0);
      fs.rmSync(path.join(dir, 'plain-write.bin'), { force: true });
      execFileSync('sync');
      primeMemory(dir);
      const d = await plainWrite(src, path.join(dir, 'plain-write.bin'), true);
      directSeconds = Math.min(directSeconds, d);
      fs.rmSync(path.join(dir, 'plain-write.bin'), { force: true });
      execFileSync('sync');
      const up = await service.upload(src, () => primeMemory(dir));
      uploadSeconds = Math.min(uploadSeconds, up.seconds);
      console.log(`upload round ${i + 1}: plain write ${w.toFixed(2)} s (${((c1.user + c1.system) / 1e6).toFixed(2)} s CPU; with O_DIRECT ${d.toFixed(2)} s), upload ${up.seconds.toFixed(2)} s (service: ${up.serviceCpu.toFixed(2)} s CPU)`);
    }
  } finally {
    service.close();
  }
  return { uploadSeconds, writeSeconds, directSeconds };
}
