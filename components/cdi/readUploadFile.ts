// Reads what the checks before an upload need from a File without reading
// it all: its first 64 KiB and last 512 bytes, and for a gzip file the first
// 64 KiB of what it holds (the browser decompresses a few MiB of it).
import { DETECT_HEAD_BYTES, DETECT_TAIL_BYTES, detectFormat, type DetectedFormat } from '@/lib/cdi';
import type { UploadFileFacts } from '@/lib/cdi-ui';

/** Compressed bytes read to find the first 64 KiB inside a gzip file. */
const GZIP_PROBE_BYTES = 4 << 20;

async function gunzipHead(file: Blob): Promise<DetectedFormat | undefined> {
  if (typeof DecompressionStream === 'undefined') return undefined;
  const parts: Uint8Array[] = [];
  let have = 0;
  const reader = file.slice(0, GZIP_PROBE_BYTES).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  try {
    while (have < DETECT_HEAD_BYTES) {
      const { value, done } = await reader.read();
      if (done) break;
      parts.push(value);
      have += value.length;
    }
  } catch {
    // The probe cuts the stream short: what came out before that is enough.
  } finally {
    void reader.cancel().catch(() => undefined);
  }
  if (have === 0) return undefined;
  const head = new Uint8Array(Math.min(have, DETECT_HEAD_BYTES));
  let at = 0;
  for (const p of parts) {
    if (at >= head.length) break;
    head.set(p.subarray(0, head.length - at), at);
    at += p.length;
  }
  return detectFormat(head);
}

export async function readUploadFileFacts(file: Blob): Promise<UploadFileFacts> {
  const head = new Uint8Array(await file.slice(0, DETECT_HEAD_BYTES).arrayBuffer());
  const tail = new Uint8Array(await file.slice(Math.max(0, file.size - DETECT_TAIL_BYTES)).arrayBuffer());
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const inner = gzip ? await gunzipHead(file) : undefined;
  return { size: file.size, head, tail, ...(inner ? { inner } : {}) };
}
