// CDI's s3 source: a path-style object URL (http(s)://endpoint/bucket/key) read with SigV4-signed
// GETs. Each request is signed afresh (its own x-amz-date), so retries and Range reads stay valid.
import { invalidSource } from './errors';
import type { Credentials } from './net';
import { regionFromHost, signV4 } from './sigv4';
import type { S3Source } from './types';

/** The object's URL and the signing credentials; refuses URLs that name no bucket and key. */
export function s3Request(source: S3Source): { url: string; credentials: Credentials } {
  let u: URL;
  try {
    u = new URL(source.url);
  } catch {
    throw invalidSource(`"${source.url}" is not a valid URL`);
  }
  if (u.protocol === 's3:') throw invalidSource(`write the S3 endpoint's address instead of s3:// (http(s)://endpoint/${u.host}${u.pathname})`);
  if (!/^\/[^/]+\/.+/.test(u.pathname)) throw invalidSource(`${source.url} names no bucket and object: write it as http(s)://endpoint/bucket/object`);
  const region = source.region ?? regionFromHost(u.hostname) ?? 'us-east-1';
  const creds = { accessKeyId: source.accessKeyId, secretKey: source.secretKey, region, service: 's3', ...(source.sessionToken ? { sessionToken: source.sessionToken } : {}) };
  return { url: u.href, credentials: { sign: (method, url) => signV4({ method, url }, creds) } };
}
