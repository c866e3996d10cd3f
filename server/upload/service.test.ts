// The upload service on its own (over plain loopback HTTP): chunks stored byte for byte, what a
// bad chunk leaves behind (nothing of itself), and CDI's single-request upload.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { UploadService, type UploadTarget } from './service';
import { signUploadToken } from './token';

const MiB = 1 << 20;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kura-upload-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const key = Buffer.alloc(32, 9);
const token = signUploadToken(key, 'default', 'disk');
/** A raw disk image: bytes that no format claims. */
const image = Buffer.from(Array.from({ length: 21 * MiB + 12345 }, (_, i) => ((i >> 9) * 31 + i) % 251));

let server: http.Server;
let port: number;
let target: UploadTarget & { completed: string[] };
let n = 0;

beforeEach(async () => {
  const dir = path.join(root, `u${++n}`);
  target = { uid: `dv-${n}`, dir, usableBytes: 64 * MiB, completed: [], complete: async (file) => void target.completed.push(file) };
  server = http.createServer(new UploadService(key, { lookup: () => target }).handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const call = (method: string, headers: Record<string, string> = {}, body?: Buffer, p = '/kura/v1/upload') =>
  fetch(`http://127.0.0.1:${port}${p}`, { method, headers: { authorization: `Bearer ${token}`, ...headers }, ...(body ? { body: new Uint8Array(body) } : {}) });
const patch = (at: number, body: Buffer, length = image.length) => call('PATCH', { 'upload-offset': String(at), 'upload-length': String(length) }, body);
const offset = async () => Number((await call('HEAD')).headers.get('upload-offset'));
const staged = () => fs.readFileSync(path.join(target.dir, 'upload.part'));

it('stores chunks of uneven sizes byte for byte and completes with the last', async () => {
  let at = 0;
  for (const size of [1, 7 * MiB + 3, 5 * MiB, Infinity]) {
    const r = await patch(at, image.subarray(at, Math.min(image.length, at + size)));
    expect(r.status).toBe(204);
    at = Math.min(image.length, at + size);
    expect(r.headers.get('upload-offset')).toBe(String(at));
  }
  expect(at).toBe(image.length);
  expect(staged().equals(image)).toBe(true);
  expect(target.completed).toEqual([path.join(target.dir, 'upload.part')]);
});

it('refuses a chunk that runs past Upload-Length and keeps none of it', async () => {
  expect((await patch(0, image.subarray(0, 2 * MiB))).status).toBe(204);
  const r = await patch(2 * MiB, image.subarray(2 * MiB, 6 * MiB), 5 * MiB);
  expect(r.status).toBe(409);
  const over = await patch(2 * MiB, Buffer.concat([image.subarray(2 * MiB), Buffer.alloc(10)]));
  expect(over.status).toBe(400);
  expect(((await over.json()) as { message: string }).message).toMatch(/more bytes arrived than Upload-Length/);
  expect(await offset()).toBe(2 * MiB);
  expect(staged().equals(image.subarray(0, 2 * MiB))).toBe(true);
});

it('after a connection dropped in the middle of a chunk, holds the bytes before it and goes on from there', async () => {
  expect((await patch(0, image.subarray(0, 3 * MiB))).status).toBe(204);
  const sock = net.connect(port, '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  sock.write(`PATCH /kura/v1/upload HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${token}\r\nupload-offset: ${3 * MiB}\r\nupload-length: ${image.length}\r\ncontent-length: ${8 * MiB}\r\n\r\n`);
  await new Promise<void>((r) => sock.write(image.subarray(3 * MiB, 6 * MiB), () => r()));
  await new Promise((r) => setTimeout(r, 100));
  sock.destroy();
  // The service sees the drop, then cuts the file back to where the chunk began.
  for (let i = 0; i < 100 && (await offset()) !== 3 * MiB; i++) await new Promise((r) => setTimeout(r, 20));
  expect(await offset()).toBe(3 * MiB);
  expect((await patch(3 * MiB, image.subarray(3 * MiB))).status).toBe(204);
  expect(staged().equals(image)).toBe(true);
});

it("takes CDI's single request with the whole file and answers once the volume is filled", async () => {
  const r = await call('POST', { 'content-length': String(image.length) }, image, '/v1beta1/upload');
  expect(r.status).toBe(200);
  expect(staged().equals(image)).toBe(true);
  expect(target.completed.length).toBe(1);
});
