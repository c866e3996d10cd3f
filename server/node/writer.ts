// Bytes that arrive in small pieces (a socket hands over 64 KiB or less at a time), written to a
// file in large positional writes through a few reused buffers. Each piece is copied once into the
// buffer being filled; a full buffer is written while the next fills. Reusing the buffers matters
// on a VM: a fresh buffer per write (or per piece, kept until its write ends) is fresh memory, and
// every 4 KiB page of it is a page fault.
// With an O_DIRECT descriptor of the same file the whole blocks go to the disk straight from the
// buffers, skipping the page cache: no copy into it, no pages to allocate (on a VM that hands free
// memory back to its host, each one a fault on the host) and nothing left to write back at the
// fsync. That needs buffers on page boundaries (BufferPool with pageAlignedBuffer) and block-aligned
// positions and lengths; what is not (a chunk's ragged end, the start of the next) is written
// through the page cache as before, and a filesystem that refuses a direct write turns it off.
import fs from 'node:fs';
import fsp from 'node:fs/promises';

/** Positions, lengths and buffer addresses of O_DIRECT writes are multiples of this. */
export const DIRECT_ALIGN = 4096;

/**
 * Writes buf[offset, offset+length) at `position` (null: at the file's current offset), all of it.
 * Through fs.write rather than FileHandle.write, which measured three times slower for 4 MiB
 * buffers on this machine (bench/import).
 */
export function writeAt(fd: number, buf: Buffer, offset: number, length: number, position: number | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (off: number, left: number, pos: number | null) => {
      fs.write(fd, buf, off, left, pos, (err, n) => {
        if (err) return reject(err);
        if (n === left) return resolve();
        step(off + n, left - n, pos === null ? null : pos + n);
      });
    };
    step(offset, length, position);
  });
}

/**
 * A buffer whose memory starts on a page boundary, as O_DIRECT needs. Node cannot ask for an
 * alignment; WebAssembly memory is mapped page by page, so its start is one.
 */
export function pageAlignedBuffer(bytes: number): Buffer {
  const pages = Math.ceil(bytes / 65_536);
  try {
    return Buffer.from(new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer, 0, bytes);
  } catch {
    // No memory to map (a tight address-space limit): an ordinary buffer, which O_DIRECT refuses
    // and the writer then writes through the page cache.
    return Buffer.allocUnsafe(bytes);
  }
}

/** `file` opened for O_DIRECT writes, or undefined where that is not supported (tmpfs, other systems). */
export async function openDirect(file: string): Promise<fsp.FileHandle | undefined> {
  const flag = fs.constants.O_DIRECT;
  if (flag === undefined) return undefined;
  try {
    return await fsp.open(file, fs.constants.O_WRONLY | flag);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EINVAL') return undefined;
    throw e;
  }
}

/**
 * Spare write buffers shared by writers one after another (an upload's chunks, each a request of
 * its own), so each does not fault in buffers of its own; it keeps at most `keep` of them.
 */
export class BufferPool {
  private readonly spare: Buffer[] = [];
  constructor(
    readonly bufferBytes: number,
    private readonly keep: number,
    private readonly allocate: (bytes: number) => Buffer = (n) => Buffer.allocUnsafe(n),
  ) {}

  take(): Buffer {
    return this.spare.pop() ?? this.allocate(this.bufferBytes);
  }

  give(b: Buffer): void {
    if (b.length === this.bufferBytes && this.spare.length < this.keep) this.spare.push(b);
  }
}

export interface GatheringWriterOptions {
  /** Where the writer's buffers come from, and go back to once written and when it is settled (default: 4 MiB ones of its own). */
  pool?: BufferPool;
  /**
   * Writes in flight at once (default 1). With more, a later write can land before an earlier one:
   * a crash between them leaves a hole inside the file's length. Only a caller that records the
   * length written without a gap (`onWritten` with idle) and trusts nothing beyond it may ask for 2.
   */
  maxInFlight?: 1 | 2;
  /**
   * After each write ends: the file holds every byte before `end` (the lowest write still in
   * flight bounds it), and `idle` says no write is in flight.
   */
  onWritten?: (end: number, idle: boolean) => void;
  /**
   * An O_DIRECT descriptor of the same file, for the block-aligned part of each write; the pool's
   * buffers must start on page boundaries (pageAlignedBuffer).
   */
  direct?: number;
}

export class GatheringWriter {
  private readonly bufferBytes: number;
  private readonly maxInFlight: number;
  private readonly pool: BufferPool;
  /** The position where the buffer being filled goes. */
  private scheduled: number;
  private buf: Buffer;
  private filled = 0;
  /** Start positions of the writes in flight. */
  private readonly starts = new Set<number>();
  private readonly writes = new Set<Promise<void>>();
  private error: { cause: unknown } | undefined;
  /** Callers waiting for a write to end. */
  private waiters: (() => void)[] = [];
  private abandoned = false;
  private released = false;
  /** How many bytes the buffer being filled takes before it is written (less than a buffer only to reach a block boundary). */
  private limit: number;
  private direct: number | undefined;
  /** Bytes written with O_DIRECT. */
  directBytes = 0;

  constructor(
    private readonly fd: number,
    at: number,
    private readonly opts: GatheringWriterOptions = {},
  ) {
    this.pool = opts.pool ?? new BufferPool(4 << 20, 3);
    this.bufferBytes = this.pool.bufferBytes;
    this.maxInFlight = opts.maxInFlight ?? 1;
    this.scheduled = at;
    this.buf = this.pool.take();
    this.direct = opts.direct;
    // From a position inside a block: the first write only reaches the boundary, so that every
    // buffer after it starts on one.
    this.limit = this.direct !== undefined && at % DIRECT_ALIGN !== 0 ? DIRECT_ALIGN - (at % DIRECT_ALIGN) : this.bufferBytes;
  }

  /** Writes in flight now. */
  get inFlight(): number {
    return this.starts.size;
  }

  /** The position the next byte goes to. */
  get position(): number {
    return this.scheduled + this.filled;
  }

  /**
   * Copies `piece` in. A full buffer is written at once unless as many writes as allowed are in
   * flight; then the rest of the piece waits, and write returns a promise that settles once all
   * of it is in: the caller waits for it before handing over more. Throws a write's error.
   */
  write(piece: Buffer): Promise<void> | undefined {
    if (this.error) throw this.error.cause;
    const rest = this.absorb(piece, 0);
    return rest === piece.length ? undefined : this.absorbLater(piece, rest);
  }

  /** Copies piece[at…] in as far as the writes allowed in flight let it go; returns where it stopped. */
  private absorb(piece: Buffer, at: number): number {
    while (at < piece.length) {
      if (this.filled === this.limit) {
        if (this.starts.size >= this.maxInFlight) return at;
        this.dispatch();
      }
      const n = piece.copy(this.buf, this.filled, at, at + (this.limit - this.filled));
      this.filled += n;
      at += n;
    }
    if (this.filled === this.limit && this.starts.size < this.maxInFlight) this.dispatch();
    return at;
  }

  private async absorbLater(piece: Buffer, at: number): Promise<void> {
    while (at < piece.length && !this.abandoned) {
      await this.writeEnded();
      if (this.error) throw this.error.cause;
      if (!this.abandoned) at = this.absorb(piece, at);
    }
  }

  private writeEnded(): Promise<void> {
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Writes what is gathered and waits for every write; throws the first write's error. */
  async flush(): Promise<void> {
    while (!this.error && this.filled > 0 && this.starts.size >= this.maxInFlight) await this.writeEnded();
    if (!this.error) this.dispatch();
    await Promise.all(this.writes);
    if (this.error) throw this.error.cause;
  }

  /**
   * Starts no more writes (what is gathered, or still waiting to be, is dropped) and waits for
   * those in flight, whatever their outcome: after a failure, before the file is cut back or closed.
   */
  async abandon(): Promise<void> {
    this.abandoned = true;
    this.wake();
    await Promise.all(this.writes);
  }

  /**
   * Waits for the writes in flight, whatever their outcome, and gives the buffers back to the pool:
   * the writer is done (before closing the file). What is gathered and not flushed is dropped.
   */
  async settled(): Promise<void> {
    await this.abandon();
    if (!this.released) this.pool.give(this.buf);
    this.released = true;
    this.filled = 0;
  }

  private dispatch(): void {
    if (this.filled === 0 || this.abandoned) return;
    const [data, n, at] = [this.buf, this.filled, this.scheduled];
    this.scheduled += n;
    this.buf = this.pool.take();
    this.filled = 0;
    this.limit = this.bufferBytes;
    this.starts.add(at);
    const w: Promise<void> = this.writeOut(data, n, at).then(
      () => {
        this.pool.give(data);
        this.starts.delete(at);
        this.writes.delete(w);
        this.opts.onWritten?.(this.starts.size > 0 ? Math.min(...this.starts) : this.scheduled, this.starts.size === 0);
        this.wake();
      },
      (err: unknown) => {
        this.error ??= { cause: err };
        this.starts.delete(at);
        this.writes.delete(w);
        this.wake();
      },
    );
    this.writes.add(w);
  }

  /** Writes data[0, n) at `at`: the whole blocks with O_DIRECT when it can, the rest through the page cache. */
  private async writeOut(data: Buffer, n: number, at: number): Promise<void> {
    const whole = this.direct !== undefined && at % DIRECT_ALIGN === 0 ? n - (n % DIRECT_ALIGN) : 0;
    if (whole > 0) {
      try {
        await writeAt(this.direct!, data, 0, whole, at);
        this.directBytes += whole;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
        // The filesystem wants another alignment, or no direct writes after all: the page cache, from now on.
        this.direct = undefined;
        return writeAt(this.fd, data, 0, n, at);
      }
    }
    if (whole < n) await writeAt(this.fd, data, whole, n - whole, at + whole);
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}
