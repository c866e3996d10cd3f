import { describe, expect, it } from 'vitest';
import { detectFormat } from '../cdi';
import { checkUploadFile } from './uploadCheck';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

function qcow2(virtualSize: number, backing = false): Uint8Array {
  const b = new Uint8Array(65536);
  b.set([0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3]);
  const view = new DataView(b.buffer);
  if (backing) {
    view.setBigUint64(8, 512n);
    view.setUint32(16, 8);
    b.set(new TextEncoder().encode('base.img'), 512);
  }
  view.setBigUint64(24, BigInt(virtualSize));
  return b;
}

function gptDisk(): Uint8Array {
  const b = new Uint8Array(65536);
  b.set(new TextEncoder().encode('EFI PART'), 512);
  return b;
}

const text = (s: string) => new TextEncoder().encode(s);

describe('checkUploadFile', () => {
  it.each<[string, Parameters<typeof checkUploadFile>[0], number | undefined, { ok: boolean; text: string }]>([
    ['a qcow2 that fits', { size: 300 * MiB, head: qcow2(2 * GiB) }, 10 * GiB, { ok: true, text: 'qcow2 image, virtual size 2 GiB' }],
    ['a raw disk that fits', { size: 2 * GiB, head: gptDisk() }, 2 * GiB, { ok: true, text: 'raw disk image (GPT partitions), 2 GiB' }],
    ['an HTML page', { size: 5000, head: text('<!DOCTYPE html><html><body>Not found</body></html>') }, 10 * GiB, { ok: false, text: 'The file is a web page (HTML), not a disk image.' }],
    ['a text file', { size: 10, head: text('hello world\n') }, 10 * GiB, { ok: false, text: 'The file is text, not a disk image.' }],
    ['a zip', { size: 100, head: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]) }, undefined, { ok: false, text: 'zip archive' }],
    ['bzip2', { size: 100, head: text('BZh91AY&SY') }, undefined, { ok: false, text: 'bzip2' }],
    ['an empty file', { size: 0, head: new Uint8Array() }, undefined, { ok: false, text: 'The file is empty.' }],
    ['a qcow2 with a backing file', { size: 1 * MiB, head: qcow2(GiB, true) }, 10 * GiB, { ok: false, text: 'backing file (base.img)' }],
    [
      'a qcow2 larger than asked for',
      { size: 300 * MiB, head: qcow2(20 * GiB) },
      10 * GiB,
      { ok: false, text: 'The image holds a 20 GiB disk, larger than the 10 GiB the DataVolume asks for: it must ask for at least 20 GiB.' },
    ],
    ['a raw file larger than asked for', { size: 3 * GiB + 1, head: gptDisk() }, 3 * GiB, { ok: false, text: 'it must ask for at least 3.1 GiB' }],
    ['xz: checked on arrival', { size: 100, head: new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0]) }, 1 * GiB, { ok: true, text: 'xz file: what it holds is checked when it arrives' }],
    [
      'gzip around a qcow2 that is too large',
      { size: 100 * MiB, head: new Uint8Array([0x1f, 0x8b, 8, 0]), inner: detectFormat(qcow2(50 * GiB)) },
      10 * GiB,
      { ok: false, text: 'The image holds a 50 GiB disk' },
    ],
    ['gzip around text', { size: 100, head: new Uint8Array([0x1f, 0x8b, 8, 0]), inner: detectFormat(text('just some notes')) }, 10 * GiB, { ok: false, text: 'The file inside the gzip file is text, not a disk image.' }],
    ['gzip around a raw disk', { size: 100, head: new Uint8Array([0x1f, 0x8b, 8, 0]), inner: detectFormat(gptDisk()) }, 10 * GiB, { ok: true, text: 'gzip-compressed raw disk image (GPT partitions): its size is checked when it arrives' }],
  ])('%s', (_n, facts, requested, want) => {
    const v = checkUploadFile(facts, requested);
    expect(v.ok).toBe(want.ok);
    expect(v.ok ? v.summary : v.message).toContain(want.text);
  });

  it('gives the minimum size to ask for', () => {
    const v = checkUploadFile({ size: 300 * MiB, head: qcow2(20 * GiB) }, 10 * GiB);
    expect(v.ok ? undefined : v.minimumBytes).toBe(20 * GiB);
  });
});
