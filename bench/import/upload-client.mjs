// The browser's side of an upload, in a process of its own: PATCH chunks of
// 16 MiB streamed from a file (as a browser sends File.slice()), one after another, over one
// keep-alive connection.
// Usage: node upload-client.mjs <url> <token> <file>; prints the seconds taken.
import fs from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import process from 'node:process';

const [url, token, file] = process.argv.slice(2);
const CHUNK = 16 << 20;
const size = fs.statSync(file).size;
const agent = new http.Agent({ keepAlive: true });
const started = performance.now();
for (let pos = 0; pos < size; ) {
  const n = Math.min(CHUNK, size - pos);
  // The body streams from the file, as a browser sends File.slice(): it does not read the whole
  // chunk first and then send it.
  const status = await new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'PATCH', agent, headers: { authorization: `Bearer ${token}`, 'upload-offset': String(pos), 'upload-length': String(size), 'content-length': String(n) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    const body = fs.createReadStream(file, { start: pos, end: pos + n - 1, highWaterMark: 1 << 20 });
    body.on('error', reject);
    body.pipe(req);
  });
  if (status !== 204) throw new Error(`chunk at ${pos} answered ${status}`);
  pos += n;
}
process.stdout.write(`${(performance.now() - started) / 1000}\n`);
agent.destroy();
