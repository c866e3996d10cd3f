// The checks a browser makes on a file before uploading it, from its first
// 64 KiB and last 512 bytes: is it a disk image at all, and does it fit the
// size asked for. Refusing here saves sending gigabytes to be refused after.
import { type DetectedFormat, assessImage, detectFormat, formatSizeAtLeast, requiredPvcSize } from '../cdi';
import { formatBytes } from '../k8s';

export interface UploadFileFacts {
  /** The file's size in bytes. */
  size: number;
  /** Its first DETECT_HEAD_BYTES bytes. */
  head: Uint8Array;
  /** Its last DETECT_TAIL_BYTES bytes (a fixed VHD's footer). */
  tail?: Uint8Array;
  /** What a gzip file holds: detectFormat of the first bytes out of the decompressor, when the browser could read them. */
  inner?: DetectedFormat;
}

export type UploadFileVerdict =
  | {
      ok: true;
      /** "qcow2 image, virtual size 10 GiB", "gzip-compressed file: checked on arrival". */
      summary: string;
      /** The disk the image holds, when the header or the size says. */
      virtualSize?: number;
    }
  | {
      ok: false;
      message: string;
      /** Too large: the smallest size to ask for instead. */
      minimumBytes?: number;
    };

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const TEXT_KINDS: Partial<Record<DetectedFormat['kind'], string>> = { html: 'a web page (HTML)', xml: 'XML', json: 'JSON', text: 'text' };

const FORMAT_NAME: Record<string, string> = { raw: 'raw disk image', qcow2: 'qcow2 image', vmdk: 'VMDK image', vhd: 'VHD image', vhdx: 'VHDX image', vdi: 'VDI image', iso: 'ISO image' };

function virtualSizeOf(d: DetectedFormat, fileSize: number, compressed: boolean): number | undefined {
  if (d.kind !== 'disk') return undefined;
  if (d.qcow2) return d.qcow2.virtualSize;
  // A raw disk or an ISO is as large as the file, unless it arrives compressed.
  if ((d.format === 'raw' || d.format === 'iso') && !compressed) return fileSize;
  return undefined;
}

/**
 * Whether to send the file to a DataVolume that asks for `requestedBytes`
 * (undefined: not known yet, so only the format is checked).
 */
export function checkUploadFile(facts: UploadFileFacts, requestedBytes?: number): UploadFileVerdict {
  if (facts.size === 0) return { ok: false, message: 'The file is empty.' };
  const detected = detectFormat(facts.head, facts.tail);
  const compression = detected.kind === 'compressed' ? detected.compression : undefined;
  const inner = compression === 'gzip' ? facts.inner : undefined;
  const verdict = assessImage({ detected, ...(inner ? { inner } : {}) });
  if (!verdict.accept) {
    // lib/cdi words these for a download ("the server may have returned an error page"); an upload has no server to blame.
    const inside = inner ?? detected;
    const words = TEXT_KINDS[inside.kind];
    if (verdict.reason === 'NotADiskImage' && words) return { ok: false, message: `The file${inner ? ` inside the ${compression} file` : ''} is ${words}, not a disk image.` };
    return { ok: false, message: `${capital(verdict.message)}.` };
  }

  const image = inner ?? detected;
  const virtualSize = virtualSizeOf(image, facts.size, Boolean(compression));
  if (virtualSize !== undefined && requestedBytes !== undefined && virtualSize > requestedBytes) {
    const minimumBytes = requiredPvcSize(virtualSize, 0);
    return {
      ok: false,
      message: `The image holds a ${formatBytes(virtualSize)} disk, larger than the ${formatBytes(requestedBytes)} the DataVolume asks for: it must ask for at least ${formatSizeAtLeast(minimumBytes)}.`,
      minimumBytes,
    };
  }

  let summary: string;
  if (image.kind === 'disk') {
    const what = FORMAT_NAME[image.format] ?? `${image.format} image`;
    const layout = image.layout === 'gpt' ? ' (GPT partitions)' : image.layout === 'boot-sector' ? ' (boot sector)' : '';
    summary = `${compression ? `${compression}-compressed ` : ''}${what}${layout}`;
    if (virtualSize !== undefined && image.qcow2) summary += `, virtual size ${formatBytes(virtualSize)}`;
    else if (virtualSize !== undefined) summary += `, ${formatBytes(virtualSize)}`;
    else if (compression || image.format !== 'raw') summary += ': its size is checked when it arrives';
  } else {
    summary = `${compression ?? 'compressed'} file: what it holds is checked when it arrives`;
  }
  return { ok: true, summary, ...(virtualSize !== undefined ? { virtualSize } : {}) };
}
