// The s3 source against a small S3 stand-in that checks every request's SigV4 signature with its
// own code (not sigv4.ts): path-style bucket/key, Range reads in place, wrong keys refused.
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ImportError } from './errors';
import { importImage } from './importer';
import { type Fixtures, TestServer, importFailure, isEmpty, loopbackOptions, makeFixtures, makeTarget, sameData, tempDir } from './testing';

const MiB = 1 << 20;
const KEY = { id: 'AKIDKURATEST', secret: 'kura/secret+key' };
let fx: Fixtures;
let server: TestServer;
let dir: string;
const seen: { region?: string; signed?: string }[] = [];

const hex = (s: string) => createHash('sha256').update(s).digest('hex');
const mac = (k: Buffer | string, s: string) => createHmac('sha256', k).update(s).digest();
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Verifies SigV4 as an S3 server does; answers 403 SignatureDoesNotMatch when it does not hold. */
function verify(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(req.headers.authorization ?? '');
  const fail = (code: string) => {
    res.writeHead(403, { 'content-type': 'application/xml' }).end(`<?xml version="1.0"?><Error><Code>${code}</Code></Error>`);
    return true;
  };
  if (!auth) return fail('AccessDenied');
  const [, id, day, region, signed, signature] = auth as unknown as string[];
  seen.push({ region, signed });
  if (id !== KEY.id) return fail('InvalidAccessKeyId');
  const u = new URL(req.url ?? '/', 'http://x');
  const canonicalPath = u.pathname.split('/').map((s) => enc(decodeURIComponent(s))).join('/');
  const names = (signed as string).split(';');
  const headers = names.map((h) => `${h}:${String(req.headers[h] ?? '').trim()}\n`).join('');
  const canonical = ['GET', canonicalPath, '', headers, signed, req.headers['x-amz-content-sha256']].join('\n');
  const date = String(req.headers['x-amz-date']);
  if (!names.includes('host') || !names.includes('x-amz-date') || Math.abs(Date.parse(date.replace(/(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/, '$1-$2-$3T$4:$5:$6Z')) - Date.now()) > 15 * 60_000) return fail('RequestTimeTooSkewed');
  const toSign = ['AWS4-HMAC-SHA256', date, `${day}/${region}/s3/aws4_request`, hex(canonical)].join('\n');
  const key = mac(mac(mac(mac(`AWS4${KEY.secret}`, day as string), region as string), 's3'), 'aws4_request');
  return createHmac('sha256', key).update(toSign).digest('hex') === signature ? false : fail('SignatureDoesNotMatch');
}

beforeAll(async () => {
  dir = tempDir('import-s3');
  fx = await makeFixtures(dir);
  server = await new TestServer((req, res) => (req.url?.startsWith('/images/') ? verify(req, res) : false)).start();
  server.route('/images/disks/test disk+1.qcow2', { file: fx.qcow2 });
  server.route('/images/disks/test.qcow2.gz', { file: fx.qcow2gz });
}, 120_000);
afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it.each([
  ['a qcow2 read in place, with a key that needs encoding', '/images/disks/test%20disk+1.qcow2', 'direct', 'always'],
  ['a gzipped qcow2', '/images/disks/test.qcow2.gz', 'staged', 'auto'],
] as const)('imports %s with signed requests', async (_what, p, mode, readInPlace) => {
  const target = await makeTarget(dir, `vol-${mode}.qcow2`, 64 * MiB);
  seen.length = 0;
  const r = await importImage({ s3: { url: server.url(p), accessKeyId: KEY.id, secretKey: KEY.secret } }, target, loopbackOptions(path.join(dir, `s-${mode}`), { readInPlace }));
  expect(r.mode).toBe(mode);
  expect(await sameData(fx.raw, 'raw', target)).toBe(true);
  expect(seen.length).toBeGreaterThan(1);
  expect(seen.every((s) => s.region === 'us-east-1' && s.signed === 'host;x-amz-content-sha256;x-amz-date')).toBe(true);
});

it('signs for the region it is given', async () => {
  const target = await makeTarget(dir, 'vol-region.qcow2', 64 * MiB);
  seen.length = 0;
  await importImage({ s3: { url: server.url('/images/disks/test.qcow2.gz'), accessKeyId: KEY.id, secretKey: KEY.secret, region: 'eu-west-1' } }, target, loopbackOptions(path.join(dir, 's-region')));
  expect(seen[0]?.region).toBe('eu-west-1');
});

it('refuses at once when the server rejects the signature, quoting its error code', async () => {
  const target = await makeTarget(dir, 'vol-bad.qcow2', 64 * MiB);
  const err = await importFailure(importImage({ s3: { url: server.url('/images/disks/test.qcow2.gz'), accessKeyId: KEY.id, secretKey: 'wrong' } }, target, loopbackOptions(path.join(dir, 's-bad'))));
  expect(err).toBeInstanceOf(ImportError);
  expect(err).toMatchObject({ reason: 'Forbidden', retryable: false });
  expect((err as Error).message).toMatch(/answered 403 \(forbidden\) for http:\/\/127\.0\.0\.1:\d+\/images\/disks\/test\.qcow2\.gz \(SignatureDoesNotMatch\)/);
  expect(await isEmpty(target)).toBe(true);
});

it.each([
  ['s3://bucket/key', /write the S3 endpoint's address instead of s3:\/\//],
  ['http://127.0.0.1:9/bucket-only', /names no bucket and object/],
])('refuses the URL %s', async (url, message) => {
  const target = await makeTarget(dir, `vol-url-${url.length}.qcow2`, 64 * MiB);
  const err = await importFailure(importImage({ s3: { url, accessKeyId: 'a', secretKey: 'b' } }, target, loopbackOptions(path.join(dir, `s-url-${url.length}`))));
  expect(err).toMatchObject({ reason: 'InvalidSource', retryable: false });
  expect(err.message).toMatch(message);
});
