// The NBD backend over a remote file: reads grouped into fixed blocks fetched with Range requests,
// a small LRU of recent blocks (qemu-img rereads metadata clusters), and read-ahead while the
// reads are sequential so the network stays busy while qemu-img converts.
import type { NbdBackend } from './nbd';

export interface RangeSource {
  readonly size: number;
  /** Bytes [start, end) exactly. */
  read(start: number, end: number): Promise<Buffer>;
}

export interface RangeCacheOptions {
  blockBytes?: number;
  /** Blocks kept (memory: blockBytes × this). */
  capacity?: number;
  /** Blocks fetched ahead of a sequential reader. */
  readahead?: number;
}

export class RangeCache implements NbdBackend {
  /** What qemu sees: the file rounded up to 512 bytes, the tail read as zeros. */
  readonly size: number;
  /** Distinct bytes of the file fetched so far (progress). */
  fetchedBytes = 0;
  private readonly block: number;
  private readonly capacity: number;
  private readonly readahead: number;
  private readonly cache = new Map<number, Promise<Buffer>>();
  private readonly seen: Uint8Array;
  private lastBlock = -1;

  constructor(
    private readonly source: RangeSource,
    opts: RangeCacheOptions = {},
  ) {
    this.block = opts.blockBytes ?? 2 << 20;
    this.capacity = opts.capacity ?? 48;
    this.readahead = opts.readahead ?? 8;
    this.size = Math.ceil(source.size / 512) * 512;
    this.seen = new Uint8Array(Math.ceil(source.size / this.block / 8) + 1);
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const first = Math.floor(offset / this.block);
    const last = Math.floor((offset + length - 1) / this.block);
    const sequential = first >= this.lastBlock - 2 && first <= this.lastBlock + 2;
    this.lastBlock = Math.max(last, sequential ? this.lastBlock : last);
    const wanted: Promise<Buffer>[] = [];
    for (let k = first; k <= last; k++) wanted.push(this.get(k));
    if (sequential) for (let k = last + 1; k <= last + this.readahead && k * this.block < this.source.size; k++) void this.get(k).catch(() => undefined);
    const blocks = await Promise.all(wanted);
    // Within one block (most reads): a view of it, no copy.
    const only = blocks.length === 1 ? (blocks[0] as Buffer) : undefined;
    const inBlock = offset - first * this.block;
    if (only && inBlock + length <= only.length) return only.subarray(inBlock, inBlock + length);
    const out = Buffer.alloc(length);
    blocks.forEach((b, i) => {
      const blockStart = (first + i) * this.block;
      const from = Math.max(offset, blockStart);
      const to = Math.min(offset + length, blockStart + b.length);
      if (to > from) b.copy(out, from - offset, from - blockStart, to - blockStart);
    });
    return out;
  }

  private get(k: number): Promise<Buffer> {
    const hit = this.cache.get(k);
    if (hit) {
      this.cache.delete(k);
      this.cache.set(k, hit);
      return hit;
    }
    const start = k * this.block;
    const end = Math.min(this.source.size, start + this.block);
    const p = start >= end ? Promise.resolve(Buffer.alloc(0)) : this.source.read(start, end);
    this.cache.set(k, p);
    p.then(
      (b) => {
        const bit = 1 << (k & 7);
        if (!((this.seen[k >> 3] ?? 0) & bit)) {
          this.seen[k >> 3] = (this.seen[k >> 3] ?? 0) | bit;
          this.fetchedBytes += b.length;
        }
      },
      () => this.cache.delete(k),
    );
    while (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as number);
    return p;
  }
}
