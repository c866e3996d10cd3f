// qemu-img for the importer: facts about a source (a local file or the NBD proxy), the target made
// empty again, and conversion into the existing target in slices, so a restart resumes at a slice.
// Every call names the format (-f, -O, the json "driver"): a format is never probed.
import { spawn } from 'node:child_process';
import fsp from 'node:fs/promises';
import { type DiskFormat, type ImageCheckFacts, type ImageInfoFacts, qemuImgFormat } from '@/lib/cdi';
import { fsyncFile } from '../files';
import { AbortedError, Failure, imageFailure, internalFailure } from './errors';
import type { ImportTarget } from './types';

/** Where qemu-img reads an image: a file on this node, or an NBD export on a unix socket. */
export type Location = { file: string } | { nbd: string };

/** Where qemu-img reads the slice of virtual bytes starting at `at` (`size` offered), and how many it takes. */
export type SlicePlan = (at: number, size: number) => Promise<{ loc: Location; size: number }>;

function protocolNode(loc: Location): Record<string, unknown> {
  return 'file' in loc ? { driver: 'file', filename: loc.file } : { driver: 'nbd', server: { type: 'unix', path: loc.nbd } };
}

function whole(loc: Location): string {
  return `json:${JSON.stringify({ file: protocolNode(loc) })}`;
}

/** Bytes [offset, offset+size) of the image as a raw node over the format driver: a slice to convert. */
function slice(loc: Location, format: string, offset: number, size: number): string {
  return `json:${JSON.stringify({ offset, size, file: { driver: format, file: protocolNode(loc) } })}`;
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export class QemuRunner {
  constructor(
    private readonly bin: string,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Runs qemu-img; killed at once on abort. `onStdout` sees output as it comes (convert -p). */
  run(args: string[], onStdout?: (text: string) => void): Promise<Ran> {
    const signal = this.signal;
    if (signal?.aborted) return Promise.reject(new AbortedError());
    return new Promise((resolve, reject) => {
      const child = spawn(this.bin, args, { env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (t: string) => {
        if (onStdout) onStdout(t);
        else if (stdout.length < 1 << 20) stdout += t;
      });
      child.stderr.setEncoding('utf8').on('data', (t: string) => {
        if (stderr.length < 65536) stderr += t;
      });
      const onAbort = () => child.kill('SIGKILL');
      signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (err) => {
        signal?.removeEventListener('abort', onAbort);
        reject(internalFailure(`${this.bin} could not be started (qemu-utils): ${err.message}`));
      });
      child.on('close', (code) => {
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) return reject(new AbortedError());
        resolve({ code: code ?? -1, stdout, stderr: stderr.replace(/^qemu-img: /gm, '').trim() });
      });
    });
  }

  /** qemu-img info of the image to import; an image qemu-img cannot open is corrupt. */
  async sourceInfo(loc: Location, format: DiskFormat): Promise<ImageInfoFacts & { clusterSize?: number }> {
    const r = await this.run(['info', '--output=json', '-f', qemuImgFormat(format), whole(loc)]);
    if (r.code !== 0) throw imageFailure('Corrupt', `qemu-img cannot read the image as ${format}: ${r.stderr || `exit code ${r.code}`}`);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    const data = ((j['format-specific'] as { data?: Record<string, unknown> } | undefined)?.data ?? {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    const backingFile = str(j['backing-filename']);
    const dataFile = str(data['data-file']);
    return {
      format: String(j.format),
      virtualSize: Number(j['virtual-size']),
      ...(backingFile ? { backingFile } : {}),
      ...(dataFile ? { dataFile } : {}),
      encrypted: j.encrypted === true || data.encrypt !== undefined,
      ...(typeof j['cluster-size'] === 'number' ? { clusterSize: j['cluster-size'] } : {}),
    };
  }

  /**
   * Where the data of the image's virtual bytes [at, at+size) lies in its file (qemu-img map): the
   * end of the furthest byte, or undefined when some of it is not stored plainly at an offset of
   * the file (compressed clusters, a backing image), so reading it takes more than those bytes.
   */
  async dataEnd(loc: Location, format: DiskFormat, at: number, size: number): Promise<number | undefined> {
    const r = await this.run(['map', '--output=json', '-f', qemuImgFormat(format), `--start-offset=${at}`, `--max-length=${size}`, whole(loc)]);
    if (r.code !== 0) throw imageFailure('Corrupt', `qemu-img cannot map the ${format} image: ${r.stderr || `exit code ${r.code}`}`);
    let end = 0;
    for (const e of JSON.parse(r.stdout) as { length: number; depth: number; data: boolean; offset?: number }[]) {
      if (!e.data) continue;
      if (e.depth !== 0 || typeof e.offset !== 'number') return undefined;
      end = Math.max(end, e.offset + e.length);
    }
    return end;
  }

  /** qemu-img check; undefined for formats without a check (raw, vpc). */
  async sourceCheck(loc: Location, format: DiskFormat): Promise<(ImageCheckFacts & { imageEndOffset?: number; compressedClusters?: number }) | undefined> {
    if (format === 'raw' || format === 'iso' || format === 'vhd') return undefined;
    const r = await this.run(['check', '--output=json', '-f', qemuImgFormat(format), whole(loc)]);
    if (r.code === 63) return undefined;
    if (![0, 2, 3].includes(r.code)) throw imageFailure('Corrupt', `qemu-img check could not finish reading the ${format} image: ${r.stderr || `exit code ${r.code}`}`);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    const end = j['image-end-offset'];
    return {
      corruptions: Number(j.corruptions ?? 0),
      leaks: Number(j.leaks ?? 0),
      checkErrors: Number(j['check-errors'] ?? 0),
      ...(typeof end === 'number' ? { imageEndOffset: end } : {}),
      ...(typeof j['compressed-clusters'] === 'number' ? { compressedClusters: j['compressed-clusters'] } : {}),
    };
  }

  /** The target's virtual size, after checking it is a plain file of the expected format. */
  async targetSize(target: ImportTarget): Promise<{ virtualSize: number; clusterSize?: number }> {
    const r = await this.run(['info', '--output=json', '-f', target.format, target.path]);
    if (r.code !== 0) throw new Failure({ kind: 'policy', message: `the volume file ${target.path} cannot be opened as ${target.format}: ${r.stderr}` }, 'InvalidTarget');
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    if (j['backing-filename']) throw new Failure({ kind: 'policy', message: `the volume file ${target.path} has a backing file: an import needs an empty volume of its own` }, 'InvalidTarget');
    return { virtualSize: Number(j['virtual-size']), ...(typeof j['cluster-size'] === 'number' ? { clusterSize: j['cluster-size'] } : {}) };
  }

  /** Makes the target read as zeros again: a fresh qcow2 of the same size and cluster size, or a raw file punched empty. */
  async resetTarget(target: ImportTarget): Promise<number> {
    const { virtualSize, clusterSize } = await this.targetSize(target);
    if (target.format === 'raw') {
      await fsp.truncate(target.path, 0);
      await fsp.truncate(target.path, virtualSize);
    } else {
      const opts = clusterSize ? ['-o', `cluster_size=${clusterSize}`] : [];
      const r = await this.run(['create', '-q', '-f', 'qcow2', ...opts, target.path, String(virtualSize)]);
      if (r.code !== 0) throw commandFailure('create', target.path, r);
    }
    await fsyncFile(target.path);
    return virtualSize;
  }

  /**
   * Converts the image's virtual bytes [from, virtualSize) into the target, one slice at a time,
   * each made durable before `onSlice` records it. The target must read as zeros wherever the
   * image was not yet written (resetTarget, or earlier slices of this same source).
   */
  async convert(
    /**
     * `loc` may be a plan made for each slice: where qemu-img reads the slice starting at `at`
     * (offered `size` bytes), and how many bytes it takes, so a download that completed is read
     * as a local file, to its end at once.
     */
    src: { loc: Location | SlicePlan; format: DiskFormat },
    target: ImportTarget,
    o: { virtualSize: number; from: number; sliceBytes: number; onSlice: (doneTo: number) => Promise<void>; onProgress?: (doneBytes: number) => void },
  ): Promise<void> {
    const fmt = qemuImgFormat(src.format);
    // A slice's fsync runs while the next slice converts: the disk writes back as qemu-img goes on.
    let syncing: { done: Promise<void>; to: number } | undefined;
    const settle = async () => {
      if (!syncing) return;
      await syncing.done;
      await o.onSlice(syncing.to);
      syncing = undefined;
    };
    try {
      for (let at = o.from; at < o.virtualSize; ) {
        const offered = Math.min(o.sliceBytes, o.virtualSize - at);
        const plan = typeof src.loc === 'function' ? await src.loc(at, offered) : { loc: src.loc, size: offered };
        const { loc } = plan;
        const size = Math.min(Math.max(plan.size, 1), o.virtualSize - at);
        const base = at;
        const args = ['convert', '-p', '-n', '--target-is-zero', '-m', '16', '-f', 'raw', slice(loc, fmt, at, size), '-O', 'raw', slice({ file: target.path }, target.format, at, size)];
        const r = await this.run(args, (text) => {
          const pct = /\((\d+(?:\.\d+)?)\/100%\)[^(]*$/.exec(text)?.[1];
          if (pct !== undefined) o.onProgress?.(base + (Number(pct) / 100) * size);
        });
        if (r.code !== 0) throw commandFailure('convert', target.path, r);
        at += size;
        await settle();
        syncing = { done: fsyncFile(target.path), to: at };
      }
      await settle();
    } finally {
      await syncing?.done.catch(() => undefined);
    }
  }

  /** qemu-img check of the converted target: a converter bug or a disk error shows here. */
  async checkTarget(target: ImportTarget): Promise<void> {
    if (target.format !== 'qcow2') return;
    const r = await this.run(['check', '--output=json', '-f', 'qcow2', target.path]);
    if (r.code === 0 || r.code === 3) return;
    throw internalFailure(`the converted volume does not pass qemu-img check: ${r.stderr || r.stdout.slice(0, 500)}`, 'Corrupt');
  }
}

function commandFailure(what: string, file: string, r: Ran): Failure {
  if (/No space left on device|Disk quota exceeded/i.test(r.stderr)) {
    return new Failure({ kind: 'no-space', message: `the disk holding the volume is full (qemu-img ${what} ${file}: ${r.stderr.split('\n')[0]})` });
  }
  return internalFailure(`qemu-img ${what} ${file} failed: ${r.stderr || `exit code ${r.code}`}`);
}
