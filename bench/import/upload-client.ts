// The browser's side of an upload, in a process of its own: the console's own UploadClient (the
// HEAD, then PATCH chunks sized to the link, as the upload page sends them), over one keep-alive
// connection straight to the upload service, with the token as the relay passes it on. Each chunk
// streams from the file while it is sent, as a browser sends File.slice(): read into a few buffers
// that are reused once the socket has taken them (as a browser's network stack feeds a request
// body through a fixed-size pipe), not the whole chunk first, nor a fresh buffer per read (a page
// fault per 4 KiB read).
// Usage: node --import tsx upload-client.ts <url> <token> <file> [--wait]; prints @ and the seconds
// from the first request to the answer that every byte is stored. With --wait it prints @ready once
// loaded and starts when a line arrives on stdin. An https URL (Kura's upload proxy) needs
// NODE_EXTRA_CA_CERTS=<data dir>/pki/ca.crt.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { UPLOAD_TOKEN_HEADER, UploadClient, type UploadRequest, type UploadResponse } from '@/lib/cdi-ui/uploadClient';

const [url, token, file, wait] = process.argv.slice(2) as [string, string, string, string?];
const PIECE = 1 << 20;
const fd = fs.openSync(file, 'r');
const size = fs.fstatSync(fd).size;
const web = new URL(url).protocol === 'https:' ? https : http;
const agent = new web.Agent({ keepAlive: true });
const spare = Array.from({ length: 4 }, () => Buffer.allocUnsafe(PIECE));
let freed: (() => void) | undefined;

/** A slice of the file, read only as it is sent. */
class FileRange extends Blob {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {
    super();
  }
  override get size(): number {
    return this.end - this.start;
  }
}

const readAt = (buf: Buffer, n: number, at: number) => new Promise<number>((resolve, reject) => fs.read(fd, buf, 0, n, at, (e, got) => (e ? reject(e) : resolve(got))));

/** Sends the range as the request body, through the reused buffers. */
async function sendBody(req: http.ClientRequest, range: FileRange, onProgress?: (n: number) => void): Promise<void> {
  let sent = 0;
  for (let at = range.start; at < range.end; ) {
    while (spare.length === 0) await new Promise<void>((r) => (freed = r));
    const buf = spare.pop()!;
    const got = await readAt(buf, Math.min(PIECE, range.end - at), at);
    if (got === 0) throw new Error(`${file} is shorter than it was`);
    at += got;
    req.write(got === buf.length ? buf : buf.subarray(0, got), () => {
      spare.push(buf);
      sent += got;
      onProgress?.(sent);
      freed?.();
    });
  }
  req.end();
}

function send(r: UploadRequest): Promise<UploadResponse> {
  return new Promise((resolve, reject) => {
    const { [UPLOAD_TOKEN_HEADER]: bearer, ...rest } = r.headers;
    const body = r.body as FileRange | undefined;
    const headers = { ...rest, authorization: `Bearer ${bearer}`, ...(body ? { 'content-length': String(body.size) } : {}) };
    const req = web.request(url, { method: r.method, agent, headers, signal: r.signal }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, body: Buffer.concat(parts).toString() }));
    });
    req.on('error', reject);
    if (body) sendBody(req, body, r.onProgress).catch(reject);
    else req.end();
  });
}

if (wait === '--wait') {
  process.stdout.write('@ready\n');
  await new Promise((r) => process.stdin.once('data', r));
  process.stdin.pause();
}
const started = performance.now();
const client = new UploadClient({ send, file: { size, slice: (start, end) => new FileRange(start, end) }, token: async () => token });
const result = await client.start();
if (result.state !== 'sent') throw new Error(`the upload ended ${result.state}: ${result.message ?? ''}`);
process.stdout.write(`@${(performance.now() - started) / 1000}\n`);
agent.destroy();
