import { describe, expect, it } from 'vitest';
import { GiB, KiB, MiB, TiB } from '../provisioning';
import { type DetectedFormat, type ImageFacts, assessImage, checkExpansion, detectFormat, formatSizeAtLeast, qemuImgFormat } from './image';
import { requiredPvcSize, usableSize } from './size';

// --- byte builders (headers as the formats lay them out) ---

function bytes(length: number, at: Record<number, number[] | string> = {}): Uint8Array {
  const b = new Uint8Array(length);
  for (const [offset, v] of Object.entries(at)) {
    const arr = typeof v === 'string' ? [...v].map((c) => c.charCodeAt(0)) : v;
    b.set(arr, Number(offset));
  }
  return b;
}
const be32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const be64 = (n: number): number[] => [...be32(Math.floor(n / 2 ** 32)), ...be32(n >>> 0)];
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function qcow2(o: { version?: number; size?: number; backing?: string; crypt?: number; incompatible?: number } = {}): Uint8Array {
  const at: Record<number, number[] | string> = {
    0: [0x51, 0x46, 0x49, 0xfb],
    4: be32(o.version ?? 3),
    20: be32(16),
    24: be64(o.size ?? 10 * GiB),
    32: be32(o.crypt ?? 0),
    72: be64(o.incompatible ?? 0),
    100: be32(104),
  };
  if (o.backing !== undefined) {
    at[8] = be64(0x200);
    at[16] = be32(o.backing.length);
    at[0x200] = o.backing;
  }
  return bytes(64 * KiB, at);
}

const vhdFooter = (type: number): Uint8Array => bytes(512, { 0: 'conectix', 60: be32(type) });

function withTail(length: number, tail: Uint8Array): Uint8Array {
  const b = new Uint8Array(length);
  b.set(tail, length - tail.length);
  return b;
}

describe('detectFormat', () => {
  it.each<[string, Uint8Array, Uint8Array | undefined, DetectedFormat | Partial<DetectedFormat>]>([
    ['nothing', new Uint8Array(0), undefined, { kind: 'empty' }],
    ['gzip', bytes(64, { 0: [0x1f, 0x8b, 0x08] }), undefined, { kind: 'compressed', compression: 'gzip' }],
    ['xz', bytes(64, { 0: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] }), undefined, { kind: 'compressed', compression: 'xz' }],
    ['zstd', bytes(64, { 0: [0x28, 0xb5, 0x2f, 0xfd] }), undefined, { kind: 'compressed', compression: 'zstd' }],
    ['bzip2', bytes(64, { 0: 'BZh9' }), undefined, { kind: 'compressed', compression: 'bzip2' }],
    ['"BZh" without a block size is not bzip2', text('BZhello world, plain text'), undefined, { kind: 'text' }],
    ['vmdk sparse extent', bytes(4096, { 0: 'KDMV' }), undefined, { kind: 'disk', format: 'vmdk' }],
    ['a vmdk descriptor', text('# Disk DescriptorFile\nversion=1\nRW 4192256 SPARSE "disk-s001.vmdk"\n'), undefined, { kind: 'disk', format: 'vmdk', vmdkDescriptor: true }],
    ['vhdx', bytes(4096, { 0: 'vhdxfile' }), undefined, { kind: 'disk', format: 'vhdx' }],
    ['vdi', bytes(4096, { 0: '<<< Oracle VM VirtualBox Disk Image >>>\n', 0x40: [0x7f, 0x10, 0xda, 0xbe] }), undefined, { kind: 'disk', format: 'vdi' }],
    ['a dynamic vhd (footer copy at the start)', withTail(4096, new Uint8Array(0)).map((_, i) => vhdFooter(3)[i] ?? 0), undefined, { kind: 'disk', format: 'vhd', vhdType: 'dynamic' }],
    ['a fixed vhd (footer only at the end)', bytes(4096), withTail(4096, vhdFooter(2)).subarray(4096 - 512), { kind: 'disk', format: 'vhd', vhdType: 'fixed' }],
    ['an old fixed vhd with a 511-byte footer', bytes(4096), withTail(1024, vhdFooter(2).subarray(0, 511)), { kind: 'disk', format: 'vhd', vhdType: 'fixed' }],
    ['a differencing vhd', vhdFooter(4), undefined, { kind: 'disk', format: 'vhd', vhdType: 'differencing' }],
    ['an ISO', bytes(64 * KiB, { 0x8001: 'CD001' }), undefined, { kind: 'disk', format: 'iso' }],
    ['a hybrid ISO (MBR too)', bytes(64 * KiB, { 0x8001: 'CD001', 510: [0x55, 0xaa] }), undefined, { kind: 'disk', format: 'iso' }],
    ['an ISO seen through too few bytes is raw', bytes(0x8000, { 510: [0x55, 0xaa] }), undefined, { kind: 'disk', format: 'raw', layout: 'boot-sector' }],
    ['a tar', bytes(1024, { 0: 'disk.img', 257: 'ustar' }), undefined, { kind: 'archive', format: 'tar' }],
    ['a zip', bytes(64, { 0: [0x50, 0x4b, 0x03, 0x04] }), undefined, { kind: 'archive', format: 'zip' }],
    ['an HTML error page', text('\n  <!DOCTYPE html>\n<html><body>404 Not Found</body></html>'), undefined, { kind: 'html' }],
    ['HTML without a doctype', text('<html><head><title>Sign in</title></head>'), undefined, { kind: 'html' }],
    ['HTML with a byte order mark', text('\uFEFF<!doctype html><p>hi'), undefined, { kind: 'html' }],
    ["S3's XML error", text('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code></Error>'), undefined, { kind: 'xml' }],
    ['a JSON error', text('{"message":"Not Found"}'), undefined, { kind: 'json' }],
    ['plain text', text('Service Unavailable\r\n'), undefined, { kind: 'text' }],
    ['UTF-8 text cut in the middle of a character', text('Fehler: Datei nicht gefunden – ö').subarray(0, 33), undefined, { kind: 'text' }],
    ['a GPT disk', bytes(4096, { 510: [0x55, 0xaa], 512: 'EFI PART' }), undefined, { kind: 'disk', format: 'raw', layout: 'gpt' }],
    ['an MBR disk', bytes(4096, { 0: [0xeb, 0x63, 0x90], 510: [0x55, 0xaa] }), undefined, { kind: 'disk', format: 'raw', layout: 'boot-sector' }],
    ['zeros', bytes(4096), undefined, { kind: 'disk', format: 'raw' }],
    ['random binary', Uint8Array.from({ length: 512 }, (_, i) => (i * 97 + 13) % 256), undefined, { kind: 'disk', format: 'raw' }],
  ])('%s', (_, head, tail, expected) => {
    expect(detectFormat(head, tail)).toEqual(expected);
  });

  it.each<[string, Uint8Array, Partial<DetectedFormat & { qcow2: unknown }>]>([
    ['a plain qcow2 v3', qcow2(), { qcow2: { version: 3, virtualSize: 10 * GiB, encrypted: false, externalDataFile: false, corrupt: false } }],
    ['a qcow2 v2', qcow2({ version: 2, incompatible: 7 }), { qcow2: { version: 2, virtualSize: 10 * GiB, encrypted: false, externalDataFile: false, corrupt: false } }],
    ['a qcow2 with a backing file', qcow2({ backing: '/var/lib/kura/other-volume.raw' }),
      { qcow2: { version: 3, virtualSize: 10 * GiB, backingFile: '/var/lib/kura/other-volume.raw', encrypted: false, externalDataFile: false, corrupt: false } }],
    ['an AES-encrypted qcow2', qcow2({ crypt: 1 }), { qcow2: { version: 3, virtualSize: 10 * GiB, encrypted: true, externalDataFile: false, corrupt: false } }],
    ['a LUKS qcow2', qcow2({ crypt: 2 }), { qcow2: { version: 3, virtualSize: 10 * GiB, encrypted: true, externalDataFile: false, corrupt: false } }],
    ['a qcow2 with an external data file', qcow2({ incompatible: 4 }), { qcow2: { version: 3, virtualSize: 10 * GiB, encrypted: false, externalDataFile: true, corrupt: false } }],
    ['a qcow2 marked corrupt', qcow2({ incompatible: 2 }), { qcow2: { version: 3, virtualSize: 10 * GiB, encrypted: false, externalDataFile: false, corrupt: true } }],
    ['a 4 TiB qcow2', qcow2({ size: 4 * TiB }), { qcow2: { version: 3, virtualSize: 4 * TiB, encrypted: false, externalDataFile: false, corrupt: false } }],
  ])('reads the header of %s', (_, head, expected) => {
    expect(detectFormat(head)).toEqual({ kind: 'disk', format: 'qcow2', ...expected });
  });

  it('says the backing file exists even when its name lies beyond the bytes given', () => {
    const d = detectFormat(qcow2({ backing: 'base.qcow2' }).subarray(0, 256));
    expect(d).toMatchObject({ kind: 'disk', format: 'qcow2', qcow2: { backingFile: '' } });
  });

  it.each([['vhd', 'vpc'], ['iso', 'raw'], ['qcow2', 'qcow2'], ['raw', 'raw'], ['vmdk', 'vmdk']] as const)('qemu-img calls %s %s', (f, q) => {
    expect(qemuImgFormat(f)).toBe(q);
  });
});

const disk = (format: 'raw' | 'qcow2' | 'vmdk' | 'vhd' | 'vhdx' | 'vdi' | 'iso' = 'qcow2'): DetectedFormat => ({ kind: 'disk', format });
const target10 = { usableBytes: usableSize(10 * GiB, 0.055), overhead: 0.055 };

describe('assessImage accepts', () => {
  it.each<[string, ImageFacts, { format: string; compression?: string; virtualSize?: number; warnings?: string[] }]>([
    ['a qcow2 that fits', { detected: disk(), info: { virtualSize: 5 * GiB, actualSize: 900 * MiB }, check: {}, target: target10 }, { format: 'qcow2', virtualSize: 5 * GiB }],
    ['a gzipped raw disk', { detected: { kind: 'compressed', compression: 'gzip' }, inner: disk('raw'), info: { virtualSize: 2 * GiB, actualSize: GiB }, receivedBytes: 300 * MiB, declaredBytes: 300 * MiB },
      { format: 'raw', compression: 'gzip', virtualSize: 2 * GiB }],
    ['an xz qcow2 before looking inside', { detected: { kind: 'compressed', compression: 'xz' } }, { format: 'unknown', compression: 'xz' }],
    ['a vmdk, vhd, vhdx, vdi and iso alike', { detected: disk('vhdx'), info: { virtualSize: GiB } }, { format: 'vhdx', virtualSize: GiB }],
    ['an ISO', { detected: disk('iso'), info: { virtualSize: 700 * MiB } }, { format: 'iso', virtualSize: 700 * MiB }],
    ['exactly the usable size', { detected: disk(), info: { virtualSize: target10.usableBytes }, target: target10 }, { format: 'qcow2', virtualSize: target10.usableBytes }],
    ['a Block target holding all of it', { detected: disk('raw'), info: { virtualSize: 10 * GiB }, target: { usableBytes: 10 * GiB, overhead: 0 } }, { format: 'raw', virtualSize: 10 * GiB }],
    ['leaked clusters, with a warning', { detected: disk(), info: { virtualSize: GiB }, check: { leaks: 12 } },
      { format: 'qcow2', virtualSize: GiB, warnings: ['qemu-img check found 12 leaked clusters: harmless wasted space, reclaimed when the image is converted'] }],
    ['a sparse 60 GiB qcow2 of 1 MiB (below the bomb floor)', { detected: disk(), info: { virtualSize: 60 * GiB, actualSize: MiB } }, { format: 'qcow2', virtualSize: 60 * GiB }],
    ['a 200 GiB qcow2 holding 300 MiB (683 to 1)', { detected: disk(), info: { virtualSize: 200 * GiB, actualSize: 300 * MiB } }, { format: 'qcow2', virtualSize: 200 * GiB }],
    ['a tar for contentType archive', { detected: { kind: 'archive', format: 'tar' }, contentType: 'archive' }, { format: 'tar' }],
    ['a header-only check of a qcow2', { detected: { kind: 'disk', format: 'qcow2', qcow2: { version: 3, virtualSize: GiB, encrypted: false, externalDataFile: false, corrupt: false } }, target: target10 },
      { format: 'qcow2', virtualSize: GiB }],
    ['Content-Length matching', { detected: disk('raw'), declaredBytes: 1000, receivedBytes: 1000 }, { format: 'raw' }],
  ])('%s', (_, facts, expected) => {
    expect(assessImage(facts)).toEqual({ accept: true, warnings: [], ...expected });
  });
});

describe('assessImage refuses', () => {
  const q = (over: Record<string, unknown>): DetectedFormat => ({ kind: 'disk', format: 'qcow2', qcow2: { version: 3, virtualSize: GiB, encrypted: false, externalDataFile: false, corrupt: false, ...over } });
  it.each<[string, ImageFacts, string, string]>([
    ['an HTML page', { detected: { kind: 'html' } }, 'NotADiskImage', 'the file is HTML, not a disk image: the server may have returned an error page'],
    ['an S3 XML error', { detected: { kind: 'xml' } }, 'NotADiskImage', 'the file is XML, not a disk image: the server may have returned an error (an S3 server answers NoSuchKey or AccessDenied this way)'],
    ['JSON', { detected: { kind: 'json' } }, 'NotADiskImage', 'the file is JSON, not a disk image: the server may have returned an error'],
    ['text', { detected: { kind: 'text' } }, 'NotADiskImage', 'the file is text, not a disk image: check the URL points at the image itself'],
    ['HTML inside gzip', { detected: { kind: 'compressed', compression: 'gzip' }, inner: { kind: 'html' } }, 'NotADiskImage', 'the file is HTML, not a disk image: the server may have returned an error page'],
    ['a zip', { detected: { kind: 'archive', format: 'zip' } }, 'NotADiskImage', 'the file is a zip archive, not a disk image: unpack it and import the disk image inside'],
    ['a tar for a disk', { detected: { kind: 'archive', format: 'tar' } }, 'NotADiskImage',
      'the file is a tar archive, not a disk image: import the disk image inside it, or set contentType archive to unpack it into the volume'],
    ['a disk for an archive', { detected: disk(), contentType: 'archive' }, 'NotADiskImage', 'contentType archive expects a tar archive to unpack, but the file is a qcow2 disk image: leave contentType as kubevirt'],
    ['nothing at all', { detected: { kind: 'empty' } }, 'Empty', 'the file is empty: the server sent no data'],
    ['an empty gzip stream', { detected: { kind: 'compressed', compression: 'gzip' }, inner: { kind: 'empty' } }, 'Empty', 'the gzip stream holds no data'],
    ['bzip2', { detected: { kind: 'compressed', compression: 'bzip2' } }, 'UnsupportedCompression', 'the file is compressed with bzip2, which Kura (like CDI) does not read: recompress it with xz or gzip'],
    ['compressed twice', { detected: { kind: 'compressed', compression: 'xz' }, inner: { kind: 'compressed', compression: 'gzip' } }, 'NotADiskImage',
      'the file is compressed twice (xz, then gzip): decompress it once and import that'],
    ['a truncated download', { detected: disk(), declaredBytes: 2 * GiB, receivedBytes: GiB }, 'Truncated', 'the download ended after 1 GiB of 2 GiB: the connection dropped or the server stopped sending'],
    ['a Content-Length that lies', { detected: disk(), declaredBytes: 1000, receivedBytes: 5000 }, 'LengthMismatch', 'the server announced 1000 bytes (Content-Length) but sent 5000: the file cannot be trusted'],
    ['a backing file in the header', { detected: q({ backingFile: '/etc/shadow' }) }, 'BackingFile', 'the qcow2 image depends on a backing file (/etc/shadow), which Kura will not open: flatten it first with qemu-img convert -O qcow2'],
    ['a backing file past the bytes seen', { detected: q({ backingFile: '' }) }, 'BackingFile', 'the qcow2 image depends on a backing file, which Kura will not open: flatten it first with qemu-img convert -O qcow2'],
    ['an external data file in the header', { detected: q({ externalDataFile: true }) }, 'ExternalDataFile', 'the qcow2 image keeps its data in an external file, which Kura will not open: convert it to a self-contained image first'],
    ['an encrypted header', { detected: q({ encrypted: true }) }, 'Encrypted', 'the qcow2 image is encrypted and Kura has no key for it: import a decrypted image'],
    ['a header marked corrupt', { detected: q({ corrupt: true }) }, 'Corrupt', 'the qcow2 image marks itself corrupt: repair it with qemu-img check -r all, or export it again'],
    ['a differencing VHD', { detected: { kind: 'disk', format: 'vhd', vhdType: 'differencing' } }, 'BackingFile', 'the VHD is a differencing disk that needs its parent disk: merge it into a full disk first'],
    ['a VMDK descriptor', { detected: { kind: 'disk', format: 'vmdk', vmdkDescriptor: true } }, 'BackingFile',
      'the file is a VMDK descriptor that points to separate extent files: import a single-file (monolithic or stream-optimized) VMDK'],
    ['a backing file qemu-img found', { detected: disk('vmdk'), info: { virtualSize: GiB, backingFile: 'parent.vmdk' } }, 'BackingFile',
      'the image depends on a backing file (parent.vmdk), which Kura will not open: flatten it first with qemu-img convert'],
    ['a data file qemu-img found', { detected: disk(), info: { virtualSize: GiB, dataFile: '/dev/sda' } }, 'ExternalDataFile',
      'the image keeps its data in an external file (/dev/sda), which Kura will not open: convert it to a self-contained image first'],
    ['encryption qemu-img found', { detected: disk(), info: { virtualSize: GiB, encrypted: true } }, 'Encrypted', 'the image is encrypted and Kura has no key for it: import a decrypted image'],
    ['corruptions', { detected: disk(), info: { virtualSize: GiB }, check: { corruptions: 3, leaks: 1 } }, 'Corrupt',
      'qemu-img check found 3 corruptions: the image is damaged; export it again or repair it with qemu-img check -r all'],
    ['check errors', { detected: disk(), info: { virtualSize: GiB }, check: { corruptions: 1, checkErrors: 2 } }, 'Corrupt',
      'qemu-img check found 1 corruptions and 2 errors while checking: the image is damaged; export it again or repair it with qemu-img check -r all'],
    ['too big for the volume', { detected: disk(), info: { virtualSize: 20 * GiB, actualSize: 2 * GiB }, target: target10 }, 'TooLarge',
      'the image needs 20 GiB, the volume holds 9.4 GiB; ask for at least 21.2 GiB'],
    ['too big for a Block volume', { detected: disk('raw'), info: { virtualSize: 10 * GiB + MiB }, target: { usableBytes: 10 * GiB, overhead: 0 } }, 'TooLarge',
      'the image needs 10 GiB, the volume holds 10 GiB; ask for at least 10.1 GiB'],
    ['a header claiming more than any volume', { detected: q({ virtualSize: 2 ** 60 }), target: target10 }, 'TooLarge', 'the image needs 1 EiB, the volume holds 9.4 GiB; no volume Kura makes is that big'],
    ['a qcow2 claiming 8 TiB from 1 MiB', { detected: disk(), info: { virtualSize: 8 * TiB, actualSize: 200 * KiB }, receivedBytes: MiB }, 'ImageBomb',
      'the image claims a 8 TiB disk from only 1 MiB of data, 8,388,608 to 1; Kura accepts at most 1,000 to 1 above 64 GiB. For an empty disk use a blank source; otherwise make the image with a smaller virtual size and grow the volume later'],
    ['an xz stream of zeros', { detected: { kind: 'compressed', compression: 'xz' }, inner: disk('raw'), info: { virtualSize: TiB, actualSize: 0 }, receivedBytes: 150 * MiB }, 'ImageBomb',
      'the image claims a 1 TiB disk from only 150 MiB of data, 6,991 to 1; Kura accepts at most 1,000 to 1 above 64 GiB. For an empty disk use a blank source; otherwise make the image with a smaller virtual size and grow the volume later'],
  ])('%s', (_, facts, reason, message) => {
    expect(assessImage(facts)).toEqual({ accept: false, reason, message });
  });

  it('checks the transfer before anything else', () => {
    expect(assessImage({ detected: { kind: 'html' }, declaredBytes: 10, receivedBytes: 5 })).toMatchObject({ reason: 'Truncated' });
  });

  it('takes its bomb limits as options', () => {
    const facts: ImageFacts = { detected: disk(), info: { virtualSize: 100 * GiB, actualSize: 200 * MiB } };
    expect(assessImage(facts).accept).toBe(true);
    expect(assessImage(facts, { maxRatio: 1000, minVirtualBytes: 64 * GiB }).accept).toBe(true);
    expect(assessImage(facts, { maxRatio: 100, minVirtualBytes: 64 * GiB })).toMatchObject({ accept: false, reason: 'ImageBomb' });
  });
});

describe('checkExpansion', () => {
  it.each<[number, number, boolean]>([
    [100 * MiB, 60 * GiB, true],
    [MiB, 64 * GiB, true],
    [200 * MiB, 100 * GiB, true],
    [100 * MiB, 100 * GiB, false],
    [10 * MiB, 100 * GiB, false],
    [0, 100 * GiB, true],
  ])('%s compressed, %s expanded: ok %s', (compressed, expanded, ok) => {
    expect(checkExpansion(compressed, expanded) === undefined).toBe(ok);
  });
});

describe('formatSizeAtLeast', () => {
  it.each<[number, string]>([
    [requiredPvcSize(20 * GiB, 0.055), '21.2 GiB'],
    [21.14 * GiB, '21.2 GiB'],
    [21 * GiB, '21 GiB'],
    [10 * GiB + 1, '10.1 GiB'],
    [512, '512 B'],
    [1536 * MiB, '1.5 GiB'],
  ])('%s → %s', (n, s) => {
    expect(formatSizeAtLeast(n)).toBe(s);
  });
});
