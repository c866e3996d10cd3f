// A lean HTTP/1.1 GET for bulk bodies: one request on a connection of its own, to an address the
// policy already checked, read with `onread` into one reused 1 MiB buffer. Node's http client
// allocates a Buffer and a stream event per 64 KiB; this reads 1 GiB over loopback with about a
// third of its CPU, which is what lets an import keep up with curl (see bench/import).
import net from 'node:net';
import tls from 'node:tls';
import { AbortedError, invalidSource } from './errors';

export interface LeanHead {
  status: number;
  /** Lower-case names; a repeated header keeps its last value. */
  headers: Map<string, string>;
}

export interface LeanOptions {
  url: URL;
  /** Checked addresses, tried in turn. */
  addresses: readonly string[];
  headers: Record<string, string>;
  ca?: string[];
  signal?: AbortSignal;
  idleTimeoutMs: number;
  /** Sees the head before any body byte; throwing ends the request with that error. */
  onHead(head: LeanHead): void;
  /** Each piece of the body, in a reused buffer: copy what is kept before returning. A promise pauses reading until it settles. */
  onData(piece: Buffer): void | Promise<void>;
  /** How long to keep listening after the body for bytes beyond it (a server lying about its length); default 0. */
  graceMs?: number;
}

export interface LeanResult {
  head: LeanHead;
  bodyBytes: number;
  /** Content-Length, when the server sent one. */
  declared?: number;
  /** The server sent more than its Content-Length. */
  extra: boolean;
  /** What ended the body early (a reset, a timeout), if something did. */
  error?: Error;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const MAX_HEAD = 64 << 10;

function requestHead(url: URL, headers: Record<string, string>): string {
  let out = `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: kura-importer\r\nAccept-Encoding: identity\r\nConnection: close\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name) || /[\r\n\0]/.test(value)) throw invalidSource(`the header ${JSON.stringify(name)} is not a valid HTTP header`);
    out += `${name}: ${value}\r\n`;
  }
  return `${out}\r\n`;
}

function parseHead(text: string): LeanHead {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!m) throw Object.assign(new Error(`not an HTTP/1.1 answer: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`), { code: 'HPE_INVALID_CONSTANT' });
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: Number(m[1]), headers };
}

type OnRead = (n: number, buf: Buffer) => boolean;

function connect(o: LeanOptions, address: string, sink: { onread: OnRead }): Promise<net.Socket> {
  const port = Number(o.url.port) || (o.url.protocol === 'https:' ? 443 : 80);
  const host = o.url.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve, reject) => {
    const options = { host: address, port, onread: { buffer: Buffer.allocUnsafe(1 << 20), callback: (n: number, buf: Buffer) => sink.onread(n, buf) } };
    const s =
      o.url.protocol === 'https:'
        ? tls.connect({
            ...options,
            ...(net.isIP(host) ? {} : { servername: host }),
            ...(o.ca ? { ca: o.ca } : {}),
            // Verified against the URL's host, not the address connected to.
            checkServerIdentity: (_h, cert) => tls.checkServerIdentity(host, cert),
          })
        : net.connect(options);
    s.once(o.url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      s.removeListener('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** One GET; rejects when no address answers, resolves once the body ended (completely or not). */
export async function leanGet(o: LeanOptions): Promise<LeanResult> {
  if (o.signal?.aborted) throw new AbortedError();
  const head = requestHead(o.url, o.headers);
  let socket: net.Socket | undefined;
  let lastError: unknown;
  // Bytes can only arrive after the request is written, by which time the real reader is in place.
  const sink: { onread: OnRead } = { onread: () => true };
  for (const address of o.addresses) {
    try {
      socket = await connect(o, address, sink);
      break;
    } catch (err) {
      if (o.signal?.aborted) throw new AbortedError();
      lastError = err;
    }
  }
  if (!socket) throw lastError ?? Object.assign(new Error('no address to connect to'), { code: 'ENOTFOUND' });
  const s = socket;
  return new Promise<LeanResult>((resolve, reject) => {
    let headBuf = Buffer.alloc(0);
    let parsed: LeanHead | undefined;
    let declared: number | undefined;
    let chunked = false;
    let chunkLeft = -1;
    let lineBuf = '';
    let bodyBytes = 0;
    let extra = false;
    let done = false;
    let bodyDone = false;
    let grace: NodeJS.Timeout | undefined;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(grace);
      o.signal?.removeEventListener('abort', onAbort);
      s.destroy();
      if (!parsed) return reject(error ?? Object.assign(new Error('the connection closed before an answer'), { code: 'ECONNRESET' }));
      resolve({ head: parsed, bodyBytes, ...(declared !== undefined ? { declared } : {}), extra, ...(error && !bodyDone ? { error } : {}) });
    };
    const onAbort = () => {
      done = true;
      s.destroy();
      reject(new AbortedError());
    };
    o.signal?.addEventListener('abort', onAbort, { once: true });
    // Returns false to pause reading while the consumer catches up.
    const deliver = (piece: Buffer): boolean => {
      if (piece.length === 0) return true;
      bodyBytes += piece.length;
      const r = o.onData(piece);
      if (!r) return true;
      s.pause();
      r.then(
        () => !done && s.resume(),
        (err: Error) => finish(err),
      );
      return false;
    };
    const body = (data: Buffer): boolean => {
      if (bodyDone) {
        extra ||= data.length > 0;
        return true;
      }
      if (!chunked) {
        const want = declared === undefined ? data.length : declared - bodyBytes;
        if (data.length > want) extra = true;
        const ok = deliver(data.subarray(0, want));
        if (declared !== undefined && bodyBytes >= declared) bodyDone = true;
        return ok;
      }
      let ok = true;
      for (let at = 0; at < data.length && !bodyDone; ) {
        if (chunkLeft > 0) {
          const piece = data.subarray(at, at + chunkLeft);
          chunkLeft -= piece.length;
          at += piece.length;
          ok = deliver(piece) && ok;
          continue;
        }
        const nl = data.indexOf(0x0a, at);
        lineBuf += data.toString('latin1', at, nl === -1 ? data.length : nl + 1);
        at = nl === -1 ? data.length : nl + 1;
        if (nl === -1) continue;
        const line = lineBuf.trim();
        lineBuf = '';
        if (chunkLeft === 0) chunkLeft = -1; // the CRLF after a chunk's data
        else if (chunkLeft === -1) {
          const size = parseInt(line.split(';')[0] ?? '', 16);
          if (!Number.isFinite(size)) return void finish(Object.assign(new Error('bad chunk size'), { code: 'HPE_INVALID_CHUNK_SIZE' })), false;
          chunkLeft = size === 0 ? -2 : size;
        } else if (line === '') bodyDone = true; // end of trailers
      }
      return ok;
    };
    s.setTimeout(o.idleTimeoutMs, () => finish(Object.assign(new Error(`no data from ${o.url.host} for ${Math.round(o.idleTimeoutMs / 1000)} s`), { code: 'ETIMEDOUT' })));
    s.on('error', (err) => finish(err));
    s.on('end', () => finish(bodyDone || (!chunked && declared === undefined) ? undefined : Object.assign(new Error('the connection closed in the middle of the body'), { code: 'ECONNRESET' })));
    s.on('close', () => finish());
    sink.onread = (n: number, buf: Buffer): boolean => {
      if (done) return false;
      let data = buf.subarray(0, n);
      if (!parsed) {
        headBuf = Buffer.concat([headBuf, data]);
        const end = headBuf.indexOf('\r\n\r\n');
        if (end < 0) {
          if (headBuf.length > MAX_HEAD) finish(Object.assign(new Error('the answer\'s head is too large'), { code: 'HPE_HEADER_OVERFLOW' }));
          return true;
        }
        try {
          parsed = parseHead(headBuf.toString('latin1', 0, end));
          const te = parsed.headers.get('transfer-encoding') ?? '';
          chunked = /chunked/i.test(te);
          const cl = parsed.headers.get('content-length');
          if (!chunked && cl !== undefined && /^\d+$/.test(cl)) declared = Number(cl);
          o.onHead(parsed);
        } catch (err) {
          parsed ??= { status: 0, headers: new Map() };
          done = true;
          o.signal?.removeEventListener('abort', onAbort);
          s.destroy();
          reject(err);
          return false;
        }
        data = headBuf.subarray(end + 4);
        if (declared === 0) bodyDone = true;
      }
      const ok = body(data);
      if (bodyDone && !grace) grace = setTimeout(() => finish(), o.graceMs ?? 0);
      return ok;
    };
    s.write(head);
  });
}
