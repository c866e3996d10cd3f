// Decompression of gzip (Node's zlib), xz and zstd (Debian's xz-utils and zstd, as child processes:
// Node 20 has no xz, and no zstd in zlib) as a stream transform. The caller stops reading when the
// output grows past its limits, which ends the decompressor at once.
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import zlib from 'node:zlib';
import type { Compression } from '@/lib/cdi';
import type { ByteStream } from './bytes';
import { AbortedError, imageFailure, internalFailure } from './errors';

function drained(w: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      w.off('drain', done);
      w.off('close', done);
      w.off('error', done);
      resolve();
    };
    w.once('drain', done);
    w.once('close', done);
    w.once('error', done);
  });
}

/** Feeds `input` into `writable` while yielding what `readable` produces; an input error surfaces as itself. */
async function* through(input: ByteStream, writable: Writable, readable: Readable, finish?: () => Promise<void>): AsyncGenerator<Buffer> {
  let inputError: unknown;
  const feed = (async () => {
    try {
      for await (const c of input) {
        if (writable.destroyed) return;
        if (!writable.write(c)) await drained(writable);
      }
      if (!writable.destroyed) writable.end();
    } catch (err) {
      inputError = err;
      readable.destroy();
    }
  })();
  try {
    try {
      for await (const c of readable as AsyncIterable<Buffer>) yield c;
    } catch (err) {
      await feed;
      throw inputError ?? err;
    }
    await feed;
    if (inputError) throw inputError;
    await finish?.();
  } finally {
    writable.destroy();
    readable.destroy();
  }
}

function gunzip(input: ByteStream): AsyncGenerator<Buffer> {
  const z = zlib.createGunzip({ chunkSize: 256 << 10 });
  const inner = through(input, z, z);
  return (async function* () {
    try {
      yield* inner;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code && /^Z_/.test(code)) throw imageFailure('Corrupt', `the gzip stream is damaged or incomplete (${(err as Error).message})`);
      throw err;
    }
  })();
}

function external(kind: 'xz' | 'zstd', input: ByteStream, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  const [bin, args] = kind === 'xz' ? ['xz', ['--decompress', '--stdout', '--quiet']] : ['zstd', ['--decompress', '--stdout', '--quiet', '--memory=2048MB']];
  const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let spawnError: Error | undefined;
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr = (stderr + t).slice(-2000)));
  child.on('error', (err) => (spawnError = err));
  child.stdin.on('error', () => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const onAbort = () => child.kill('SIGKILL');
  signal?.addEventListener('abort', onAbort, { once: true });
  const finish = async () => {
    const code = await exited;
    if (spawnError) throw internalFailure(`${bin} could not be started (install ${kind === 'xz' ? 'xz-utils' : 'zstd'}): ${spawnError.message}`);
    if (code !== 0) throw imageFailure('Corrupt', `the ${kind} stream is damaged or incomplete (${stderr.trim().split('\n')[0] || `exit code ${code}`})`);
  };
  const inner = through(input, child.stdin, child.stdout, finish);
  return (async function* () {
    try {
      yield* inner;
    } catch (err) {
      throw signal?.aborted ? new AbortedError() : err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  })();
}

/** The decompressed bytes of `input`; bzip2 never gets here (lib/cdi refuses it). */
export function decompress(kind: Compression, input: ByteStream, signal?: AbortSignal): AsyncGenerator<Buffer> {
  if (kind === 'gzip') return gunzip(input);
  if (kind === 'xz' || kind === 'zstd') return external(kind, input, signal);
  throw imageFailure('UnsupportedCompression', `${kind} is not supported`);
}
