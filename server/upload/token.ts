// Upload tokens: what an UploadTokenRequest answers and the upload proxy
// accepts. A token names one claim in one namespace, carries its own expiry
// and is signed with a key only this Kura holds (<data dir>/pki/upload-token.key),
// so the proxy needs no lookup to trust it and cannot be sent elsewhere.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** How long a new token may be used to start (or resume) an upload, as CDI's five minutes, with room for a slow browser. */
export const UPLOAD_TOKEN_TTL_MS = 10 * 60_000;

export interface UploadTokenClaims {
  namespace: string;
  pvc: string;
  /** Issued at, ms since the epoch. */
  iat: number;
  /** Expires at, ms since the epoch. */
  exp: number;
  /** Random id: an upload session remembers the token that opened it. */
  jti: string;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** The signing key, created (0600) on first use. */
export function loadUploadTokenKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'pki', 'upload-token.key');
  try {
    const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length >= 32) return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  return key;
}

export function signUploadToken(key: Buffer, namespace: string, pvc: string, now = Date.now(), ttlMs = UPLOAD_TOKEN_TTL_MS): string {
  const claims: UploadTokenClaims = { namespace, pvc, iat: now, exp: now + ttlMs, jti: randomBytes(9).toString('base64url') };
  const body = b64(JSON.stringify(claims));
  return `${body}.${b64(createHmac('sha256', key).update(body).digest())}`;
}

export type TokenCheck = { ok: true; claims: UploadTokenClaims; expired: boolean } | { ok: false; message: string };

/** The token's claims when Kura signed it; `expired` is left to the caller (a session it opened outlives it). */
export function verifyUploadToken(key: Buffer, token: string, now = Date.now()): TokenCheck {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined) return { ok: false, message: 'the upload token is malformed: ask for a new one with an UploadTokenRequest' };
  const want = createHmac('sha256', key).update(body).digest();
  const got = Buffer.from(sig, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return { ok: false, message: 'the upload token was not issued by this cluster: ask for a new one with an UploadTokenRequest' };
  let claims: UploadTokenClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as UploadTokenClaims;
  } catch {
    return { ok: false, message: 'the upload token is malformed: ask for a new one with an UploadTokenRequest' };
  }
  if (typeof claims.namespace !== 'string' || typeof claims.pvc !== 'string' || typeof claims.exp !== 'number') return { ok: false, message: 'the upload token is malformed' };
  return { ok: true, claims, expired: now > claims.exp };
}
