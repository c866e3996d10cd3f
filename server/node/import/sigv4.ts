// AWS Signature Version 4 for S3-compatible GETs (AWS, MinIO, Ceph RGW…): canonical request, string
// to sign, derived key. S3 paths are encoded once (other AWS services encode twice).
import { createHash, createHmac } from 'node:crypto';

export interface SigV4Credentials {
  accessKeyId: string;
  secretKey: string;
  sessionToken?: string;
  region: string;
  service: string;
}

export interface SigV4Request {
  method: string;
  url: URL;
  /** Headers to sign besides host (names in any case). */
  headers?: Record<string, string>;
  /** Hex SHA-256 of the body, or UNSIGNED-PAYLOAD. Default: the hash of an empty body. */
  payloadHash?: string;
}

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

/** RFC 3986 encoding: everything but unreserved characters, as AWS wants it. */
export function awsEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalPath(u: URL): string {
  return u.pathname
    .split('/')
    .map((seg) => {
      try {
        return awsEncode(decodeURIComponent(seg));
      } catch {
        return awsEncode(seg);
      }
    })
    .join('/');
}

function canonicalQuery(u: URL): string {
  const pairs = [...u.searchParams.entries()].map(([k, v]) => [awsEncode(k), awsEncode(v)] as const);
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** "20130524T000000Z" */
export function amzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * The headers that authenticate `req`: x-amz-date, x-amz-content-sha256 (S3), the session token when
 * there is one, and Authorization over host plus every header given.
 */
export function signV4(req: SigV4Request, creds: SigV4Credentials, now: Date = new Date()): Record<string, string> {
  const date = amzDate(now);
  const day = date.slice(0, 8);
  const payloadHash = req.payloadHash ?? EMPTY_SHA256;
  const added: Record<string, string> = { 'x-amz-date': date };
  // S3 wants the payload hash as a header too; other services only in the canonical request.
  if (creds.service === 's3') added['x-amz-content-sha256'] = payloadHash;
  if (creds.sessionToken) added['x-amz-security-token'] = creds.sessionToken;
  const all = new Map<string, string>();
  all.set('host', req.url.host);
  for (const [k, v] of Object.entries({ ...req.headers, ...added })) all.set(k.toLowerCase(), v.trim().replace(/\s+/g, ' '));
  const names = [...all.keys()].sort();
  const canonical = [req.method.toUpperCase(), canonicalPath(req.url), canonicalQuery(req.url), names.map((n) => `${n}:${all.get(n)}\n`).join(''), names.join(';'), payloadHash].join('\n');
  const scope = `${day}/${creds.region}/${creds.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretKey}`, day), creds.region), creds.service), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  return { ...added, authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope},SignedHeaders=${names.join(';')},Signature=${signature}` };
}

/** The region in an AWS S3 host name (s3.eu-west-1.amazonaws.com, bucket.s3-us-west-2.amazonaws.com), else undefined. */
export function regionFromHost(host: string): string | undefined {
  const m = /(?:^|\.)s3[.-]([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/.exec(host.toLowerCase());
  const region = m?.[1];
  return region && region !== 'external-1' && region !== 'dualstack' ? region : undefined;
}
