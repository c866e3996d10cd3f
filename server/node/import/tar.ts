// A streaming tar reader for container image layers: ustar headers (name + prefix), pax extended
// headers (path, size) and GNU long names; entries come one at a time, their data as a stream.
import { ByteReader, type ByteStream } from './bytes';
import { imageFailure } from './errors';

export interface TarEntry {
  /** The path as written, pax or GNU long name applied. */
  name: string;
  type: 'file' | 'directory' | 'link' | 'other';
  size: number;
  /** The entry's data; read it (or not) before asking for the next entry. */
  body: AsyncGenerator<Buffer>;
}

const BLOCK = 512;

function field(h: Buffer, at: number, len: number): string {
  const raw = h.subarray(at, at + len);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul === -1 ? len : nul).toString('utf8');
}

/** A numeric field: octal text, or base-256 when the first byte has its high bit set (GNU, for sizes ≥ 8 GiB). */
function numeric(h: Buffer, at: number, len: number): number {
  const first = h[at] ?? 0;
  if (first & 0x80) {
    let n = BigInt(first & 0x7f);
    for (let i = 1; i < len; i++) n = (n << 8n) + BigInt(h[at + i] ?? 0);
    return Number(n);
  }
  const text = field(h, at, len).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function checksumOk(h: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] ?? 0);
  return sum === numeric(h, 148, 8);
}

/** pax records: "<length> <key>=<value>\n", the length counting the whole record. */
export function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space === -1) break;
    const len = Number(data.toString('utf8', at, space));
    if (!Number.isInteger(len) || len <= 0 || at + len > data.length) break;
    const record = data.toString('utf8', space + 1, at + len - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    at += len;
  }
  return out;
}

function typeOf(flag: string): TarEntry['type'] {
  if (flag === '0' || flag === '' || flag === '7') return 'file';
  if (flag === '5') return 'directory';
  if (flag === '1' || flag === '2') return 'link';
  return 'other';
}

const padding = (size: number) => (BLOCK - (size % BLOCK)) % BLOCK;

/** The entries of a tar stream; the reader skips whatever of an entry's data was not read. */
export async function* tarEntries(source: ByteStream): AsyncGenerator<TarEntry> {
  const reader = new ByteReader(source);
  let pax: Record<string, string> = {};
  let globalPax: Record<string, string> = {};
  let longName: string | undefined;
  for (;;) {
    const h = await reader.take(BLOCK, 'tar archive');
    if (!h || h.every((b) => b === 0)) return;
    if (!checksumOk(h)) throw imageFailure('Corrupt', `the layer is not a valid tar archive (bad header checksum at byte ${reader.position - BLOCK})`);
    const flag = field(h, 156, 1);
    let size = numeric(h, 124, 12);
    if (flag === 'x' || flag === 'g' || flag === 'L') {
      const data = (await reader.take(size, 'tar archive')) ?? Buffer.alloc(0);
      await reader.skip(padding(size), 'tar archive');
      if (flag === 'x') pax = parsePax(data);
      else if (flag === 'g') globalPax = { ...globalPax, ...parsePax(data) };
      else longName = field(data, 0, data.length);
      continue;
    }
    const attrs = { ...globalPax, ...pax };
    const prefix = field(h, 257, 6).startsWith('ustar') ? field(h, 345, 155) : '';
    const name = attrs.path ?? longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    if (attrs.size !== undefined && /^\d+$/.test(attrs.size)) size = Number(attrs.size);
    pax = {};
    longName = undefined;
    const type = typeOf(flag);
    const dataSize = type === 'file' || type === 'other' ? size : 0;
    const start = reader.position;
    const body = reader.chunks(dataSize, `tar entry ${name}`);
    yield { name, type, size: dataSize, body };
    await body.return(undefined);
    await reader.skip(dataSize - (reader.position - start) + padding(dataSize), `tar entry ${name}`);
  }
}
