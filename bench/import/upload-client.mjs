// The browser's side of an upload, in a process of its own: PATCH chunks of 16 MiB streamed from a
// file, one after another, over one keep-alive connection. Each chunk streams from the file while
// it is sent, as a browser sends File.slice(): read into a few buffers that are reused once the
// socket has taken them (as a browser's network stack feeds a request body through a fixed-size
// pipe), not the whole chunk first, nor a fresh buffer per read (a page fault per 4 KiB read).
// Usage: node upload-client.mjs <url> <token> <file>; prints the seconds taken.
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import process from 'node:process';

const [url, token, file] = process.argv.slice(2);
const CHUNK = 16 << 20;
const PIECE = 1 << 20;
const size = fs.statSync(file).size;
const fd = fs.openSync(file, 'r');
const agent = new http.Agent({ keepAlive: true });
const spare = Array.from({ length: 4 }, () => Buffer.allocUnsafe(PIECE));
let freed;

const readAt = (buf, n, at) => new Promise((resolve, reject) => fs.read(fd, buf, 0, n, at, (e, got) => (e ? reject(e) : resolve(got))));

/** Sends bytes [start, end) of the file as the request body, through the reused buffers. */
async function sendBody(req, start, end) {
  for (let at = start; at < end; ) {
    while (spare.length === 0) await new Promise((r) => (freed = r));
    const buf = spare.pop();
    const got = await readAt(buf, Math.min(PIECE, end - at), at);
    if (got === 0) throw new Error(`${file} is shorter than it was`);
    at += got;
    req.write(got === buf.length ? buf : buf.subarray(0, got), () => {
      spare.push(buf);
      freed?.();
    });
  }
  req.end();
}

const started = performance.now();
for (let pos = 0; pos < size; ) {
  const n = Math.min(CHUNK, size - pos);
  const status = await new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'PATCH', agent, headers: { authorization: `Bearer ${token}`, 'upload-offset': String(pos), 'upload-length': String(size), 'content-length': String(n) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    sendBody(req, pos, pos + n).catch(reject);
  });
  if (status !== 204) throw new Error(`chunk at ${pos} answered ${status}`);
  pos += n;
}
process.stdout.write(`${(performance.now() - started) / 1000}\n`);
agent.destroy();
