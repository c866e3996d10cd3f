// The NBD backend over a file that is still being downloaded: a read of bytes already written is
// served from the file at once; a read past them waits until the download gets there. qemu-img can
// then convert while the download goes on (a sequentially laid out image is read about in file
// order, just behind the download) instead of after it. `until` lets a caller hand qemu-img the
// file itself once every byte a slice needs has arrived (see the importer).
import fsp from 'node:fs/promises';
import { AbortedError } from './errors';
import type { NbdBackend } from './nbd';

interface Waiter {
  upTo: number;
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class GrowingFile implements NbdBackend {
  /** What qemu sees: the file rounded up to 512 bytes, the tail read as zeros. */
  readonly size: number;
  private available = 0;
  private ended: { error?: unknown } | undefined;
  private waiters: Waiter[] = [];
  private handle: Promise<fsp.FileHandle> | undefined;
  private closed = false;

  constructor(
    private readonly file: string,
    /** The length the file will have once downloaded. */
    private readonly fileSize: number,
  ) {
    this.size = Math.ceil(fileSize / 512) * 512;
  }

  /** The file now holds bytes [0, n). */
  grew(n: number): void {
    if (n <= this.available) return;
    this.available = n;
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.upTo <= n) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }

  /** The download ended: whole (every read can be served), or with `error` (reads it never reached fail with it). */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = error === undefined ? {} : { error };
    if (error === undefined) this.grew(this.fileSize);
    for (const w of this.waiters) w.reject(error ?? new AbortedError());
    this.waiters = [];
  }

  /** Resolves once the file holds bytes [0, n) (n is capped at its full length); fails as reads past the download do. */
  async until(n: number): Promise<void> {
    const upTo = Math.min(n, this.fileSize);
    if (upTo <= this.available) return;
    if (this.ended) throw this.ended.error ?? new AbortedError();
    await new Promise<void>((resolve, reject) => this.waiters.push({ upTo, resolve, reject }));
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const upTo = Math.min(offset + length, this.fileSize);
    await this.until(upTo);
    if (offset >= this.fileSize) return Buffer.alloc(length);
    if (this.closed) throw new AbortedError();
    // Only the part past the end of the file (its last 512-byte block) reads as zeros.
    const out = Buffer.allocUnsafe(length);
    out.fill(0, upTo - offset);
    this.handle ??= fsp.open(this.file, 'r');
    const fh = await this.handle;
    let done = 0;
    while (offset + done < upTo) {
      const { bytesRead } = await fh.read(out, done, upTo - offset - done, offset + done);
      if (bytesRead === 0) throw new Error(`the downloaded file ${this.file} is shorter than the ${upTo} bytes written to it`);
      done += bytesRead;
    }
    return out;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.end(new AbortedError());
    const h = this.handle;
    this.handle = undefined;
    if (h) await (await h).close().catch(() => undefined);
  }
}
