// The upload relay between a real browser-side request and a stand-in upload proxy.
import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ClusterTarget } from './cluster';
import { relayUpload, type UploadProxy } from './upload';

let proxy: http.Server;
let seen: { method?: string; url?: string; auth?: string; offset?: string; bytes: number }[] = [];
let proxyUrl: URL;

beforeAll(async () => {
  proxy = http.createServer((req, res) => {
    let bytes = 0;
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, offset: req.headers['upload-offset'] as string | undefined, bytes });
      res.writeHead(req.method === 'PATCH' ? 204 : 200, { 'upload-offset': String(bytes), 'set-cookie': 'x=y' });
      res.end();
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyUrl = new URL(`http://127.0.0.1:${(proxy.address() as { port: number }).port}`);
});
afterAll(() => proxy.close());

async function through(p: UploadProxy, init: RequestInit): Promise<Response> {
  const target = { agent: new http.Agent() } as unknown as ClusterTarget;
  const console_ = http.createServer((req, res) => relayUpload(req, res, p, target));
  await new Promise<void>((r) => console_.listen(0, '127.0.0.1', r));
  try {
    return await fetch(`http://127.0.0.1:${(console_.address() as { port: number }).port}/api/upload`, init);
  } finally {
    console_.close();
  }
}

it('passes a resumable chunk to Kura\'s proxy with the token as bearer, and only the upload headers back', async () => {
  seen = [];
  const r = await through({ url: proxyUrl, resumable: true }, { method: 'PATCH', headers: { 'x-upload-token': 'tok', 'upload-offset': '0', 'upload-length': '5', cookie: 'session=secret' }, body: 'hello' });
  expect(r.status).toBe(204);
  expect(r.headers.get('upload-offset')).toBe('5');
  expect(r.headers.get('set-cookie')).toBeNull();
  expect(seen).toEqual([{ method: 'PATCH', url: '/kura/v1/upload', auth: 'Bearer tok', offset: '0', bytes: 5 }]);
});

it('sends a whole file to CDI\'s proxy, and says 501 for what CDI cannot do', async () => {
  seen = [];
  expect((await through({ url: proxyUrl, resumable: false }, { method: 'POST', headers: { 'x-upload-token': 't' }, body: 'abc' })).status).toBe(200);
  expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1beta1/upload-async', auth: 'Bearer t', bytes: 3 });
  expect((await through({ url: proxyUrl, resumable: false }, { method: 'HEAD', headers: { 'x-upload-token': 't' } })).status).toBe(501);
});

it('refuses a request without a token, and says so when the proxy cannot be reached', async () => {
  expect((await through({ url: proxyUrl, resumable: true }, { method: 'HEAD' })).status).toBe(400);
  const r = await through({ url: new URL('http://127.0.0.1:9'), resumable: true }, { method: 'HEAD', headers: { 'x-upload-token': 't' } });
  expect(r.status).toBe(502);
});

it('hands a request to the upload service in this process, with the token as bearer and the body unread', async () => {
  const got: { url?: string; auth?: string; offset?: string; body: string }[] = [];
  const local = (req: http.IncomingMessage, res: http.ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      got.push({ url: req.url, auth: req.headers.authorization, offset: req.headers['upload-offset'] as string | undefined, body });
      res.writeHead(204, { 'upload-offset': String(body.length) });
      res.end();
    });
  };
  // The URL is never used: nothing listens there.
  const r = await through({ url: new URL('http://127.0.0.1:9'), resumable: true, local }, { method: 'PATCH', headers: { 'x-upload-token': 'tok', 'upload-offset': '0', 'upload-length': '5' }, body: 'hello' });
  expect(r.status).toBe(204);
  expect(r.headers.get('upload-offset')).toBe('5');
  expect(got).toEqual([{ url: '/kura/v1/upload', auth: 'Bearer tok', offset: '0', body: 'hello' }]);
  expect((await through({ url: new URL('http://127.0.0.1:9'), resumable: true, local }, { method: 'HEAD' })).status).toBe(400);
});
