// The staged path: a stream that cannot be read in place (compressed, or from a server without Range
// support, or out of a container layer) is detected from its first bytes, refused at once when it
// is no disk image, decompressed under the image-bomb and size limits, and written sparsely into a
// scratch file that qemu-img then reads like any local image.
import fsp from 'node:fs/promises';
import {
  type Compression,
  DETECT_HEAD_BYTES,
  DETECT_TAIL_BYTES,
  type DetectedFormat,
  type DiskFormat,
  type ImageBombLimits,
  assessImage,
  checkExpansion,
  detectFormat,
} from '@/lib/cdi';
import { MiB, formatSize } from '@/lib/provisioning';
import { ByteReader, type ByteStream, isZero, tap } from './bytes';
import { writeAt } from '../writer';
import { decompress } from './decompress';
import { imageFailure } from './errors';
import type { ImportTarget } from './types';

export interface Staged {
  file: string;
  detected: DetectedFormat;
  inner?: DetectedFormat;
  format: DiskFormat;
  compression?: Compression;
  /** Bytes of the input stream read (compressed, when compressed). */
  sourceBytes: number;
  /** Bytes of the image file written. */
  imageBytes: number;
}

export interface StageOptions {
  /** Path of the scratch image, without extension. */
  fileBase: string;
  target: ImportTarget;
  limits: ImageBombLimits;
  signal?: AbortSignal;
  /** Called with the input bytes read so far. */
  onInput?: (bytes: number) => void;
}

/**
 * Refuses (throws) what lib/cdi refuses on the facts known so far; `fileBytes`, what the whole
 * file will bring when that is known up front, lets the image-bomb rule judge a header at once.
 */
export function refuseEarly(detected: DetectedFormat, inner: DetectedFormat | undefined, target: ImportTarget, fileBytes?: number): void {
  const a = assessImage({
    detected,
    ...(inner ? { inner } : {}),
    ...(fileBytes !== undefined ? { receivedBytes: fileBytes } : {}),
    target: { usableBytes: target.usableBytes, overhead: target.overhead ?? 0 },
  });
  if (!a.accept) throw imageFailure(a.reason, a.message);
}

/** Passes a decompressed stream through, refusing it once it outgrows lib/cdi's image-bomb ratio. */
export async function* guardExpansion(expanded: ByteStream, compressedBytes: () => number, limits: ImageBombLimits): AsyncGenerator<Buffer> {
  let out = 0;
  for await (const c of expanded) {
    out += c.length;
    const bomb = checkExpansion(compressedBytes(), out, limits);
    if (bomb && !bomb.accept) throw imageFailure(bomb.reason, bomb.message);
    yield c;
  }
}

/** Writes a stream into `file`, leaving holes where whole 64 KiB blocks are zero; stops past `maxBytes`. */
async function writeSparse(stream: ByteStream, file: string, maxBytes: number, tooLarge: () => Error): Promise<number> {
  const fh = await fsp.open(file, 'w', 0o600);
  const block = 64 << 10;
  let pos = 0;
  let pending: Buffer[] = [];
  let pendingLength = 0;
  const flush = async (all: boolean) => {
    const buf = Buffer.concat(pending);
    const whole = all ? buf.length : buf.length - (buf.length % block);
    let runStart = -1;
    for (let at = 0; at <= whole; at += block) {
      const piece = buf.subarray(at, Math.min(at + block, whole));
      const data = at < whole && !isZero(piece);
      if (data && runStart < 0) runStart = at;
      if (!data && runStart >= 0) {
        await writeAt(fh.fd, buf, runStart, at - runStart, pos + runStart);
        runStart = -1;
      }
    }
    pos += whole;
    pending = whole < buf.length ? [buf.subarray(whole)] : [];
    pendingLength = buf.length - whole;
  };
  try {
    for await (const c of stream) {
      pending.push(c);
      pendingLength += c.length;
      if (pos + pendingLength > maxBytes) throw tooLarge();
      if (pendingLength >= 4 * MiB) await flush(false);
    }
    await flush(true);
    await fh.truncate(pos);
    await fh.sync();
    return pos;
  } finally {
    await fh.close();
  }
}

/** Bytes [at, at+n) of a file (fewer at its end). */
async function bytesOf(file: string, at: number, n: number): Promise<Buffer> {
  const fh = await fsp.open(file, 'r');
  try {
    const b = Buffer.alloc(n);
    const { bytesRead } = await fh.read(b, 0, n, at);
    return b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Stages `input` (from its first byte) into a scratch image file, refusing what must be refused as early as it shows. */
export async function stageImage(input: ByteStream, o: StageOptions): Promise<Staged> {
  let sourceBytes = 0;
  const outer = new ByteReader(
    tap(input, (c) => {
      sourceBytes += c.length;
      o.onInput?.(sourceBytes);
    }),
  );
  try {
    const detected = detectFormat(await outer.peek(DETECT_HEAD_BYTES));
    refuseEarly(detected, undefined, o.target);
    let body: ByteReader = outer;
    let inner: DetectedFormat | undefined;
    let compression: Compression | undefined;
    if (detected.kind === 'compressed') {
      compression = detected.compression;
      body = new ByteReader(guardExpansion(decompress(compression, outer, o.signal), () => sourceBytes, o.limits));
      inner = detectFormat(await body.peek(DETECT_HEAD_BYTES));
      refuseEarly(detected, inner, o.target);
    }
    const d = inner ?? detected;
    if (d.kind !== 'disk') throw imageFailure('NotADiskImage', 'the file is not a disk image');
    const rawLike = d.format === 'raw' || d.format === 'iso';
    // A raw image is its own virtual size; other formats may carry some metadata beyond it.
    const usable = o.target.usableBytes;
    const maxBytes = rawLike ? usable : usable + Math.floor(usable / 8) + 16 * MiB;
    const file = `${o.fileBase}.${d.format}`;
    const imageBytes = await writeSparse(body, file, maxBytes, () =>
      imageFailure('TooLarge', `the image is bigger than the volume: more than ${formatSize(maxBytes)} arrived and the volume holds ${formatSize(usable)}; ask for a bigger volume`),
    );
    // A fixed VHD looks raw until its footer, the last 512 bytes, is seen.
    let format = d.format;
    if (rawLike && imageBytes >= DETECT_TAIL_BYTES) {
      const again = detectFormat(await bytesOf(file, 0, DETECT_HEAD_BYTES), await bytesOf(file, imageBytes - DETECT_TAIL_BYTES, DETECT_TAIL_BYTES));
      if (again.kind === 'disk' && again.format !== d.format) {
        refuseEarly(again, undefined, o.target);
        format = again.format;
      }
    }
    const finalFile = format === d.format ? file : `${o.fileBase}.${format}`;
    if (finalFile !== file) await fsp.rename(file, finalFile);
    return { file: finalFile, detected, ...(inner ? { inner } : {}), format, ...(compression ? { compression } : {}), sourceBytes, imageBytes };
  } finally {
    await outer.close().catch(() => undefined);
  }
}
