// Byte streams as async iterables of Buffers: a reader that can peek at a stream's head and take
// exact counts (format detection, tar), and local file chunks.
import fs from 'node:fs';
import { imageFailure } from './errors';

export type ByteStream = AsyncIterable<Buffer>;

export class ByteReader implements AsyncIterable<Buffer> {
  private readonly it: AsyncIterator<Buffer>;
  private buffered: Buffer[] = [];
  private bufferedLength = 0;
  private done = false;
  /** Bytes handed out so far. */
  position = 0;

  constructor(source: ByteStream) {
    this.it = source[Symbol.asyncIterator]();
  }

  private async fill(n: number): Promise<void> {
    while (this.bufferedLength < n && !this.done) {
      const r = await this.it.next();
      if (r.done) this.done = true;
      else if (r.value.length > 0) {
        this.buffered.push(r.value);
        this.bufferedLength += r.value.length;
      }
    }
  }

  /** Up to n bytes from the current position without consuming them (fewer only at the end). */
  async peek(n: number): Promise<Buffer> {
    await this.fill(n);
    const all = Buffer.concat(this.buffered);
    this.buffered = all.length ? [all] : [];
    return all.subarray(0, n);
  }

  /** Exactly n bytes; undefined at a clean end; a stream ending inside them is truncated. */
  async take(n: number, what: string): Promise<Buffer | undefined> {
    await this.fill(n);
    if (this.bufferedLength === 0 && this.done) return undefined;
    if (this.bufferedLength < n) throw imageFailure('Truncated', `the ${what} ends early: ${this.bufferedLength} of ${n} bytes`);
    const all = Buffer.concat(this.buffered);
    this.buffered = all.length > n ? [all.subarray(n)] : [];
    this.bufferedLength -= n;
    this.position += n;
    return all.subarray(0, n);
  }

  /** The next n bytes as chunks; the stream ending inside them is truncated. */
  async *chunks(n: number, what: string): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      await this.fill(1);
      const head = this.buffered.shift();
      if (!head) throw imageFailure('Truncated', `the ${what} ends early: ${n - left} of ${n} bytes`);
      const piece = head.subarray(0, left);
      if (head.length > left) this.buffered.unshift(head.subarray(left));
      this.bufferedLength -= piece.length;
      this.position += piece.length;
      left -= piece.length;
      yield piece;
    }
  }

  async skip(n: number, what: string): Promise<void> {
    for await (const _ of this.chunks(n, what)) {
      // discarded
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (;;) {
      await this.fill(1);
      const head = this.buffered.shift();
      if (!head) return;
      this.bufferedLength -= head.length;
      this.position += head.length;
      yield head;
    }
  }

  /** Ends the underlying stream early (closes a response, stops a decompressor). */
  async close(): Promise<void> {
    this.done = true;
    await this.it.return?.();
  }
}

/** A local file's bytes [start, end) in 1 MiB chunks. */
export async function* fileChunks(file: string, start = 0, end?: number): AsyncGenerator<Buffer> {
  if (end !== undefined && end <= start) return;
  const stream = fs.createReadStream(file, { start, ...(end !== undefined ? { end: end - 1 } : {}), highWaterMark: 1 << 20 });
  try {
    for await (const c of stream as AsyncIterable<Buffer>) yield c;
  } finally {
    stream.destroy();
  }
}

/** Shows each chunk to `see` (counting, hashing) on its way through. */
export async function* tap(source: ByteStream, see: (chunk: Buffer) => void): AsyncGenerator<Buffer> {
  for await (const c of source) {
    see(c);
    yield c;
  }
}

const ZERO = Buffer.alloc(64 << 10);

/** True when the buffer holds only zero bytes. */
export function isZero(b: Buffer): boolean {
  for (let at = 0; at < b.length; at += ZERO.length) {
    const piece = b.subarray(at, at + ZERO.length);
    if (!piece.equals(ZERO.subarray(0, piece.length))) return false;
  }
  return true;
}

