// What an imported file is, and whether Kura writes it into a volume.
//
// detectFormat reads magic numbers from the first bytes (and, for a fixed
// VHD, the last 512), never the file name: a name says what someone hoped,
// the bytes what arrived. assessImage then decides over plain facts the node
// side gathers (detection, qemu-img info and check, byte counts, the target's
// usable size) and refuses with a reason a person can act on.
//
// Decisions:
// - gzip, xz and zstd around an image are supported (as CDI); bzip2 is
//   refused: CDI and qemu-img do not read it, it decompresses at a few MB/s,
//   and recompressing with xz takes one command.
// - qcow2 with a backing file or an external data file is refused: either
//   makes qemu-img open another path on the node (a host file, another
//   volume) and copy it into the user's volume. Same for a differencing VHD
//   and a VMDK descriptor that points to extent files.
// - Image bombs: above 64 GiB of virtual size, an image must bring at least
//   1 byte per 1,000 it claims (counting what arrived over the wire or what
//   the image takes on disk, whichever is larger). Real OS images sit at
//   3–20 to 1 (a cloud image of 500 MiB for a 5 GiB disk); gzip cannot
//   exceed about 1,032 to 1, so a gzipped raw disk never trips it. It stops
//   xz or zstd streams of zeros and qcow2 headers claiming terabytes over a
//   few kilobytes, which would cost hours of CPU and disk for nothing. Below
//   64 GiB nothing is refused: expanding that much is cheap on thin storage.
//   An empty disk of any size is what the blank source is for.
import { GiB, KiB, MAX_SAFE_BYTES, formatSize } from '../provisioning';
import { requiredPvcSize } from './size';

/** Bytes of the head detectFormat wants: an ISO's CD001 sits at 32 KiB + 1. */
export const DETECT_HEAD_BYTES = 64 * KiB;
/** Bytes of the tail detectFormat wants: a fixed VHD keeps its footer in the last 512. */
export const DETECT_TAIL_BYTES = 512;

export type DiskFormat = 'raw' | 'qcow2' | 'vmdk' | 'vhd' | 'vhdx' | 'vdi' | 'iso';
export type Compression = 'gzip' | 'xz' | 'zstd' | 'bzip2';

export interface Qcow2Header {
  version: number;
  virtualSize: number;
  /** The backing file's name when it lies within the bytes given, '' when it does not; undefined: no backing file. */
  backingFile?: string;
  encrypted: boolean;
  externalDataFile: boolean;
  /** The image marks itself corrupt (incompatible feature bit 1). */
  corrupt: boolean;
}

export type DetectedFormat =
  | {
      kind: 'disk';
      format: DiskFormat;
      qcow2?: Qcow2Header;
      /** VHD: the footer's disk type; differencing disks have a parent. */
      vhdType?: 'fixed' | 'dynamic' | 'differencing';
      /** VMDK: a text descriptor that refers to separate extent files. */
      vmdkDescriptor?: boolean;
      /** Raw: a GPT header, or a boot sector signature (an MBR, or a filesystem's own boot sector). */
      layout?: 'gpt' | 'boot-sector';
    }
  | { kind: 'compressed'; compression: Compression }
  | { kind: 'archive'; format: 'tar' | 'zip' }
  | { kind: 'html' }
  | { kind: 'xml' }
  | { kind: 'json' }
  | { kind: 'text' }
  | { kind: 'empty' };

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));

function matches(b: Uint8Array, offset: number, magic: readonly number[]): boolean {
  if (b.length < offset + magic.length) return false;
  return magic.every((m, i) => b[offset + i] === m);
}

function u32be(b: Uint8Array, o: number): number {
  return (((b[o] ?? 0) << 24) >>> 0) + ((b[o + 1] ?? 0) << 16) + ((b[o + 2] ?? 0) << 8) + (b[o + 3] ?? 0);
}

function u64be(b: Uint8Array, o: number): bigint {
  return (BigInt(u32be(b, o)) << 32n) + BigInt(u32be(b, o + 4));
}

const QCOW2 = [0x51, 0x46, 0x49, 0xfb];
const GZIP = [0x1f, 0x8b];
const XZ = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd];
const VDI = [0x7f, 0x10, 0xda, 0xbe];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const CONECTIX = ascii('conectix');

function parseQcow2(b: Uint8Array): Qcow2Header {
  const version = u32be(b, 4);
  const backingOffset = u64be(b, 8);
  const backingSize = u32be(b, 16);
  const cryptMethod = u32be(b, 32);
  const incompatible = version >= 3 && b.length >= 80 ? u64be(b, 72) : 0n;
  let backingFile: string | undefined;
  if (backingOffset !== 0n) {
    const start = Number(backingOffset);
    const end = start + backingSize;
    backingFile = end <= b.length && backingSize <= 1023 ? new TextDecoder().decode(b.subarray(start, end)) : '';
  }
  return {
    version,
    virtualSize: Number(u64be(b, 24)),
    ...(backingFile !== undefined ? { backingFile } : {}),
    encrypted: cryptMethod !== 0,
    externalDataFile: (incompatible & 4n) !== 0n,
    corrupt: (incompatible & 2n) !== 0n,
  };
}

function vhdType(footer: Uint8Array, at: number): 'fixed' | 'dynamic' | 'differencing' | undefined {
  switch (u32be(footer, at + 60)) {
    case 2:
      return 'fixed';
    case 3:
      return 'dynamic';
    case 4:
      return 'differencing';
    default:
      return undefined;
  }
}

function vhdFooter(head: Uint8Array, tail: Uint8Array | undefined): DetectedFormat | undefined {
  if (matches(head, 0, CONECTIX)) {
    const type = vhdType(head, 0);
    return { kind: 'disk', format: 'vhd', ...(type ? { vhdType: type } : {}) };
  }
  if (!tail) return undefined;
  // The footer is the last 512 bytes; images from old Virtual PC versions end with 511.
  for (const at of [tail.length - 512, tail.length - 511]) {
    if (at >= 0 && matches(tail, at, CONECTIX)) {
      const type = vhdType(tail, at);
      return { kind: 'disk', format: 'vhd', ...(type ? { vhdType: type } : {}) };
    }
  }
  return undefined;
}

function decodeText(sample: Uint8Array): string | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // The sample may end inside a multi-byte character: try shorter cuts.
  for (let cut = 0; cut <= 3 && cut < sample.length; cut++) {
    try {
      return decoder.decode(sample.subarray(0, sample.length - cut));
    } catch {
      // try a shorter cut
    }
  }
  return undefined;
}

/** Text, when the head is UTF-8 without NULs and almost no control characters. */
function asText(head: Uint8Array): string | undefined {
  const sample = head.subarray(0, Math.min(head.length, 4096));
  if (sample.includes(0)) return undefined;
  const text = decodeText(sample);
  if (text === undefined) return undefined;
  let control = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x1b) control++;
  }
  return control * 100 <= text.length ? text : undefined;
}

function classifyText(text: string): DetectedFormat {
  const start = text.replace(/^\uFEFF/, '').trimStart().slice(0, 256).toLowerCase();
  if (start.startsWith('# disk descriptorfile')) return { kind: 'disk', format: 'vmdk', vmdkDescriptor: true };
  if (/^<!doctype html|^<html|^<head|^<body|^<!--|^<title|^<meta|^<script/.test(start)) return { kind: 'html' };
  if (start.startsWith('<?xml') || start.startsWith('<')) return start.includes('<html') ? { kind: 'html' } : { kind: 'xml' };
  if (start.startsWith('{') || start.startsWith('[')) return { kind: 'json' };
  return { kind: 'text' };
}

/**
 * What a file is, from its first bytes (`head`, DETECT_HEAD_BYTES of them
 * for every rule to see) and optionally its last (`tail`, for a fixed VHD's
 * footer). Anything binary that no rule recognises is raw.
 */
export function detectFormat(head: Uint8Array, tail?: Uint8Array): DetectedFormat {
  if (head.length === 0) return { kind: 'empty' };
  if (matches(head, 0, QCOW2)) return { kind: 'disk', format: 'qcow2', qcow2: parseQcow2(head) };
  if (matches(head, 0, XZ)) return { kind: 'compressed', compression: 'xz' };
  if (matches(head, 0, ZSTD)) return { kind: 'compressed', compression: 'zstd' };
  if (matches(head, 0, GZIP)) return { kind: 'compressed', compression: 'gzip' };
  if (matches(head, 0, ascii('BZh')) && (head[3] ?? 0) >= 0x31 && (head[3] ?? 0) <= 0x39) return { kind: 'compressed', compression: 'bzip2' };
  if (matches(head, 0, ascii('KDMV'))) return { kind: 'disk', format: 'vmdk' };
  if (matches(head, 0, ascii('vhdxfile'))) return { kind: 'disk', format: 'vhdx' };
  if (matches(head, 0x40, VDI)) return { kind: 'disk', format: 'vdi' };
  const vhd = vhdFooter(head, tail);
  if (vhd) return vhd;
  if ([0x8001, 0x8801, 0x9001].some((o) => matches(head, o, ascii('CD001')))) return { kind: 'disk', format: 'iso' };
  if (matches(head, 257, ascii('ustar'))) return { kind: 'archive', format: 'tar' };
  if (matches(head, 0, ZIP)) return { kind: 'archive', format: 'zip' };
  const text = asText(head);
  if (text !== undefined) return classifyText(text);
  if (matches(head, 512, ascii('EFI PART'))) return { kind: 'disk', format: 'raw', layout: 'gpt' };
  if (matches(head, 510, [0x55, 0xaa])) return { kind: 'disk', format: 'raw', layout: 'boot-sector' };
  return { kind: 'disk', format: 'raw' };
}

/** The name qemu-img gives a format (-f): a VHD is "vpc", an ISO is read as raw. */
export function qemuImgFormat(format: DiskFormat): string {
  if (format === 'vhd') return 'vpc';
  if (format === 'iso') return 'raw';
  return format;
}

// --- assessment ---------------------------------------------------------------

export type ImageRefusalReason =
  | 'Truncated'
  | 'LengthMismatch'
  | 'Empty'
  | 'NotADiskImage'
  | 'UnsupportedCompression'
  | 'BackingFile'
  | 'ExternalDataFile'
  | 'Encrypted'
  | 'Corrupt'
  | 'ImageBomb'
  | 'TooLarge';

/** qemu-img info of the image as stored (after decompression), in bytes. */
export interface ImageInfoFacts {
  format?: string;
  virtualSize: number;
  actualSize?: number;
  backingFile?: string;
  /** qcow2's external data file (format-specific data-file). */
  dataFile?: string;
  encrypted?: boolean;
}

/** qemu-img check counts. */
export interface ImageCheckFacts {
  corruptions?: number;
  leaks?: number;
  checkErrors?: number;
}

export interface ImageTarget {
  /** What the volume holds (usableSize of the claim). */
  usableBytes: number;
  /** The overhead behind usableBytes (0 for Block), to say what size to ask for instead. */
  overhead: number;
}

/**
 * What the node side knows. Every fact but `detected` is optional and the
 * rules use the facts given, so the same call can run on the first bytes
 * (refusing an HTML page or a qcow2 with a backing file before anything is
 * written) and again once the download and qemu-img are done.
 */
export interface ImageFacts {
  /** detectFormat of the bytes as they arrived. */
  detected: DetectedFormat;
  /** detectFormat after decompression, when `detected` is compressed. */
  inner?: DetectedFormat;
  info?: ImageInfoFacts;
  check?: ImageCheckFacts;
  /** Content-Length the server announced. */
  declaredBytes?: number;
  /** Bytes that arrived over the wire (before decompression); pass only once the transfer ended. */
  receivedBytes?: number;
  target?: ImageTarget;
  /** spec.contentType: "archive" wants a tar to unpack, not a disk image. */
  contentType?: string;
}

export interface ImageBombLimits {
  /** Largest virtual size to bytes-brought ratio accepted above minVirtualBytes. */
  maxRatio: number;
  /** Virtual sizes up to this are never refused as bombs. */
  minVirtualBytes: number;
}

export const DEFAULT_IMAGE_BOMB_LIMITS: Readonly<ImageBombLimits> = Object.freeze({ maxRatio: 1000, minVirtualBytes: 64 * GiB });

export type ImageAssessment =
  | {
      accept: true;
      /** 'unknown' while a compressed stream has not been looked inside yet. */
      format: DiskFormat | 'tar' | 'unknown';
      compression?: Compression;
      virtualSize?: number;
      /** Accepted, but worth telling (leaked clusters…). */
      warnings: string[];
    }
  | { accept: false; reason: ImageRefusalReason; message: string };

function refuse(reason: ImageRefusalReason, message: string): ImageAssessment {
  return { accept: false, reason, message };
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** A size rounded up to a tenth of its unit ("21.2 GiB" for 21.14 GiB): a figure that is enough when asked for. */
export function formatSizeAtLeast(bytes: number): string {
  let unit = 0;
  while (unit < UNITS.length - 1 && bytes >= 1024 ** (unit + 1)) unit++;
  const tenths = Math.ceil((bytes / 1024 ** unit) * 10 - 1e-9);
  const value = tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1);
  return `${value} ${UNITS[unit]}`;
}

function notADisk(d: DetectedFormat, contentType: string | undefined): string | undefined {
  switch (d.kind) {
    case 'html':
      return 'the file is HTML, not a disk image: the server may have returned an error page';
    case 'xml':
      return 'the file is XML, not a disk image: the server may have returned an error (an S3 server answers NoSuchKey or AccessDenied this way)';
    case 'json':
      return 'the file is JSON, not a disk image: the server may have returned an error';
    case 'text':
      return 'the file is text, not a disk image: check the URL points at the image itself';
    case 'archive':
      if (d.format === 'tar' && contentType === 'archive') return undefined;
      return d.format === 'zip'
        ? 'the file is a zip archive, not a disk image: unpack it and import the disk image inside'
        : 'the file is a tar archive, not a disk image: import the disk image inside it, or set contentType archive to unpack it into the volume';
    default:
      return undefined;
  }
}

function headerProblems(d: DetectedFormat): ImageAssessment | undefined {
  if (d.kind !== 'disk') return undefined;
  if (d.qcow2) {
    if (d.qcow2.backingFile !== undefined) {
      const name = d.qcow2.backingFile ? ` (${d.qcow2.backingFile})` : '';
      return refuse('BackingFile', `the qcow2 image depends on a backing file${name}, which Kura will not open: flatten it first with qemu-img convert -O qcow2`);
    }
    if (d.qcow2.externalDataFile) return refuse('ExternalDataFile', 'the qcow2 image keeps its data in an external file, which Kura will not open: convert it to a self-contained image first');
    if (d.qcow2.encrypted) return refuse('Encrypted', 'the qcow2 image is encrypted and Kura has no key for it: import a decrypted image');
    if (d.qcow2.corrupt) return refuse('Corrupt', 'the qcow2 image marks itself corrupt: repair it with qemu-img check -r all, or export it again');
  }
  if (d.vhdType === 'differencing') return refuse('BackingFile', 'the VHD is a differencing disk that needs its parent disk: merge it into a full disk first');
  if (d.vmdkDescriptor) return refuse('BackingFile', 'the file is a VMDK descriptor that points to separate extent files: import a single-file (monolithic or stream-optimized) VMDK');
  return undefined;
}

function transferProblems(f: ImageFacts): ImageAssessment | undefined {
  const { declaredBytes: declared, receivedBytes: received } = f;
  if (declared === undefined || received === undefined) return undefined;
  if (received < declared) {
    return refuse('Truncated', `the download ended after ${formatSize(received)} of ${formatSize(declared)}: the connection dropped or the server stopped sending`);
  }
  if (received > declared) {
    return refuse('LengthMismatch', `the server announced ${declared} bytes (Content-Length) but sent ${received}: the file cannot be trusted`);
  }
  return undefined;
}

function bombProblem(virtualSize: number, brought: number, limits: ImageBombLimits): ImageAssessment | undefined {
  if (virtualSize <= limits.minVirtualBytes || brought <= 0) return undefined;
  const ratio = virtualSize / brought;
  if (ratio <= limits.maxRatio) return undefined;
  return refuse(
    'ImageBomb',
    `the image claims a ${formatSize(virtualSize)} disk from only ${formatSize(brought)} of data, ${Math.round(ratio).toLocaleString('en-US')} to 1; ` +
      `Kura accepts at most ${limits.maxRatio.toLocaleString('en-US')} to 1 above ${formatSize(limits.minVirtualBytes)}. ` +
      'For an empty disk use a blank source; otherwise make the image with a smaller virtual size and grow the volume later',
  );
}

/**
 * Streaming guard for decompression: refuses as soon as what came out of
 * the decompressor outgrows what went in beyond the image-bomb limits.
 */
export function checkExpansion(compressedBytes: number, expandedBytes: number, limits: ImageBombLimits = DEFAULT_IMAGE_BOMB_LIMITS): ImageAssessment | undefined {
  return bombProblem(expandedBytes, compressedBytes, limits);
}

/**
 * Accept or refuse an imported image, checking in this order: the transfer
 * (truncated, Content-Length), what the file is (not a disk image, bzip2,
 * compressed twice), references to other files (backing file, external data
 * file, differencing parent), encryption, corruption, image bombs, and
 * whether it fits the target volume.
 */
export function assessImage(f: ImageFacts, limits: ImageBombLimits = DEFAULT_IMAGE_BOMB_LIMITS): ImageAssessment {
  const transfer = transferProblems(f);
  if (transfer) return transfer;

  let compression: Compression | undefined;
  let d = f.detected;
  if (d.kind === 'empty') return refuse('Empty', 'the file is empty: the server sent no data');
  if (d.kind === 'compressed') {
    compression = d.compression;
    if (compression === 'bzip2') return refuse('UnsupportedCompression', 'the file is compressed with bzip2, which Kura (like CDI) does not read: recompress it with xz or gzip');
    if (!f.inner) return { accept: true, format: 'unknown', compression, warnings: [] };
    d = f.inner;
    if (d.kind === 'empty') return refuse('Empty', `the ${compression} stream holds no data`);
    if (d.kind === 'compressed') return refuse('NotADiskImage', `the file is compressed twice (${compression}, then ${d.compression}): decompress it once and import that`);
  }
  const notDisk = notADisk(d, f.contentType);
  if (notDisk) return refuse('NotADiskImage', notDisk);
  if (f.contentType === 'archive' && d.kind === 'disk') {
    return refuse('NotADiskImage', `contentType archive expects a tar archive to unpack, but the file is a ${d.format} disk image: leave contentType as kubevirt`);
  }
  const header = headerProblems(d);
  if (header) return header;

  const info = f.info;
  if (info?.backingFile) return refuse('BackingFile', `the image depends on a backing file (${info.backingFile}), which Kura will not open: flatten it first with qemu-img convert`);
  if (info?.dataFile) return refuse('ExternalDataFile', `the image keeps its data in an external file (${info.dataFile}), which Kura will not open: convert it to a self-contained image first`);
  if (info?.encrypted) return refuse('Encrypted', 'the image is encrypted and Kura has no key for it: import a decrypted image');

  const warnings: string[] = [];
  const check = f.check;
  if (check && ((check.corruptions ?? 0) > 0 || (check.checkErrors ?? 0) > 0)) {
    const parts = [(check.corruptions ?? 0) > 0 ? `${check.corruptions} corruptions` : '', (check.checkErrors ?? 0) > 0 ? `${check.checkErrors} errors while checking` : ''].filter(Boolean);
    return refuse('Corrupt', `qemu-img check found ${parts.join(' and ')}: the image is damaged; export it again or repair it with qemu-img check -r all`);
  }
  if (check && (check.leaks ?? 0) > 0) warnings.push(`qemu-img check found ${check.leaks} leaked clusters: harmless wasted space, reclaimed when the image is converted`);

  const format = d.kind === 'disk' ? d.format : 'tar';
  const virtualSize = info?.virtualSize ?? (d.kind === 'disk' ? d.qcow2?.virtualSize : undefined);
  if (virtualSize !== undefined && format !== 'tar') {
    const brought = Math.max(info?.actualSize ?? 0, f.receivedBytes ?? 0);
    const bomb = bombProblem(virtualSize, brought, limits);
    if (bomb) return bomb;
    if (f.target && virtualSize > f.target.usableBytes) {
      const holds = `the image needs ${formatSize(virtualSize)}, the volume holds ${formatSize(f.target.usableBytes)}`;
      if (virtualSize > MAX_SAFE_BYTES) return refuse('TooLarge', `${holds}; no volume Kura makes is that big`);
      return refuse('TooLarge', `${holds}; ask for at least ${formatSizeAtLeast(requiredPvcSize(virtualSize, f.target.overhead))}`);
    }
  }
  return { accept: true, format, ...(compression ? { compression } : {}), ...(virtualSize !== undefined ? { virtualSize } : {}), warnings };
}
