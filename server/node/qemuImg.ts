// A small typed wrapper around the qemu-img CLI: explicit formats on every call (never probe a
// guest-written file's format), timeouts, JSON output parsed, failures sorted into typed errors.
import { execFile } from 'node:child_process';
import type { VolumeFormat } from './types';

export type QemuImgErrorCode = 'NoSpace' | 'Locked' | 'NotFound' | 'Timeout' | 'Failed';

export class QemuImgError extends Error {
  constructor(
    readonly code: QemuImgErrorCode,
    message: string,
    readonly stderr = '',
  ) {
    super(message);
    this.name = 'QemuImgError';
  }
}

export interface ImageInfo {
  filename: string;
  format: VolumeFormat;
  virtualSize: number;
  /** Bytes the file takes on disk, as qemu-img sees it. */
  actualSize: number;
  backingFilename?: string;
  /** The backing file resolved against the image's directory. */
  fullBackingFilename?: string;
  backingFormat?: string;
  dirty: boolean;
}

export interface CheckResult {
  /** 0 clean, 2 corrupt, 3 leaked clusters only (the exit codes of `qemu-img check`). */
  exitCode: number;
  checkErrors: number;
  corruptions: number;
  leaks: number;
}

export interface QemuImgOptions {
  /** The qemu-img binary (default "qemu-img" from PATH). */
  bin?: string;
  /** Default limit for one call; a hung qemu-img (a stuck NFS, a lock wait) must not hang the pool. */
  timeoutMs?: number;
}

interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Sorts qemu-img's stderr into a code; the texts are QEMU's own (LC_ALL=C keeps them English). */
function classify(stderr: string): QemuImgErrorCode {
  if (/No space left on device|Disk quota exceeded/i.test(stderr)) return 'NoSpace';
  if (/Failed to get .*lock|Is another process using the image/i.test(stderr)) return 'Locked';
  if (/No such file or directory/i.test(stderr)) return 'NotFound';
  return 'Failed';
}

export class QemuImg {
  readonly bin: string;
  private readonly timeoutMs: number;

  constructor(opts: QemuImgOptions = {}) {
    this.bin = opts.bin ?? 'qemu-img';
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  /** Creates an image; with `backing`, a copy-on-write overlay. `sizeBytes` is always given so the backing file is not opened. */
  async create(file: string, opts: { format: VolumeFormat; sizeBytes: number; backing?: { file: string; format: VolumeFormat } }): Promise<void> {
    const args = ['create', '-q', '-f', opts.format];
    if (opts.backing) args.push('-F', opts.backing.format, '-b', opts.backing.file);
    args.push(file, String(opts.sizeBytes));
    await this.run(args, file);
  }

  /** Image information; `forceShare` reads an image another process (a running VM) holds open. */
  async info(file: string, opts: { format: VolumeFormat; forceShare?: boolean }): Promise<ImageInfo> {
    const args = ['info', '--output=json', '-f', opts.format];
    if (opts.forceShare) args.push('-U');
    args.push(file);
    const { stdout } = await this.run(args, file);
    const j = JSON.parse(stdout) as Record<string, unknown>;
    const str = (k: string) => (typeof j[k] === 'string' ? (j[k] as string) : undefined);
    return {
      filename: str('filename') ?? file,
      format: str('format') as VolumeFormat,
      virtualSize: Number(j['virtual-size']),
      actualSize: Number(j['actual-size'] ?? 0),
      backingFilename: str('backing-filename'),
      fullBackingFilename: str('full-backing-filename'),
      backingFormat: str('backing-filename-format'),
      dirty: j['dirty-flag'] === true,
    };
  }

  /** True when another process holds the image open for writing (qemu-img cannot take its lock). */
  async inUse(file: string, format: VolumeFormat): Promise<boolean> {
    try {
      await this.run(['info', '--output=json', '-f', format, file], file);
      return false;
    } catch (err) {
      if (err instanceof QemuImgError && err.code === 'Locked') return true;
      throw err;
    }
  }

  /** Consistency check of one image file (not its backing chain). Corruption is a result, not an error. */
  async check(file: string, opts: { format: VolumeFormat; forceShare?: boolean }): Promise<CheckResult> {
    const args = ['check', '--output=json', '-f', opts.format];
    if (opts.forceShare) args.push('-U');
    args.push(file);
    const r = await this.run(args, file, [0, 2, 3]);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    return {
      exitCode: r.exitCode,
      checkErrors: Number(j['check-errors'] ?? 0),
      corruptions: Number(j['corruptions'] ?? 0),
      leaks: Number(j['leaks'] ?? 0),
    };
  }

  /** Grows (or shrinks, with `shrink`) the virtual size of one image. */
  async resize(file: string, opts: { format: VolumeFormat; sizeBytes: number; shrink?: boolean }): Promise<void> {
    const args = ['resize', '-q', '-f', opts.format];
    if (opts.shrink) args.push('--shrink');
    args.push(file, String(opts.sizeBytes));
    await this.run(args, file);
  }

  /** Copies an image (its whole chain, flattened) into a new file; `timeoutMs` because copies take as long as the data. */
  async convert(src: string, dst: string, opts: { from: VolumeFormat; to: VolumeFormat; timeoutMs?: number }): Promise<void> {
    await this.run(['convert', '-q', '-f', opts.from, '-O', opts.to, src, dst], dst, [0], opts.timeoutMs);
  }

  /** True when two images read the same (the bigger one beyond the smaller is all zeros). */
  async compare(a: string, b: string, opts: { formatA: VolumeFormat; formatB: VolumeFormat; timeoutMs?: number }): Promise<boolean> {
    const r = await this.run(['compare', '-q', '-f', opts.formatA, '-F', opts.formatB, a, b], a, [0, 1], opts.timeoutMs);
    return r.exitCode === 0;
  }

  private run(args: string[], subject: string, okCodes = [0], timeoutMs = this.timeoutMs): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      execFile(
        this.bin,
        args,
        { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 << 20, env: { ...process.env, LC_ALL: 'C' } },
        (err, stdout, stderr) => {
          const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
          const exitCode = e ? (typeof e.code === 'number' ? e.code : -1) : 0;
          if (okCodes.includes(exitCode)) return resolve({ stdout, stderr, exitCode });
          const what = `qemu-img ${args[0]} ${subject}`;
          if (e?.killed) return reject(new QemuImgError('Timeout', `${what} did not finish within ${timeoutMs} ms`, stderr));
          if (e?.code === 'ENOENT') return reject(new QemuImgError('Failed', `${this.bin} is not installed (qemu-utils)`, stderr));
          const text = stderr.trim().replace(/^qemu-img: /gm, '') || `exit code ${exitCode}`;
          reject(new QemuImgError(classify(stderr), `${what}: ${text}`, stderr));
        },
      );
    });
  }
}
