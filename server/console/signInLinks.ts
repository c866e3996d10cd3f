// One-time sign-in links for the embedded cluster's admin. The link carries a
// random secret (in the URL fragment, so it never reaches a server log); only
// its hash is kept, under the data directory so `npm run kura -- sign-in-link`
// can issue one while Kura runs. Each secret works once, for 10 minutes.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const SIGN_IN_LINK_TTL_MS = 10 * 60 * 1000;

interface LinkRecord {
  hash: string;
  expiresAt: number;
}

function linksFile(dataDir: string): string {
  return path.join(dataDir, 'console', 'sign-in-links.json');
}

function hash(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

function readLinks(file: string): LinkRecord[] {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return Array.isArray(parsed) ? (parsed as LinkRecord[]).filter((r) => typeof r?.hash === 'string' && typeof r?.expiresAt === 'number') : [];
  } catch {
    return [];
  }
}

function writeLinks(file: string, links: LinkRecord[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(links), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Issue a new single-use secret; returns it (only its hash is stored). */
export function issueSignInLink(dataDir: string, now = Date.now()): string {
  const file = linksFile(dataDir);
  const secret = crypto.randomBytes(24).toString('base64url');
  const links = readLinks(file).filter((l) => l.expiresAt > now);
  links.push({ hash: hash(secret), expiresAt: now + SIGN_IN_LINK_TTL_MS });
  writeLinks(file, links);
  return secret;
}

/** Use a secret up: true if it was issued, unexpired and unused; it never works again. */
export function redeemSignInLink(dataDir: string, secret: string, now = Date.now()): boolean {
  if (!secret || secret.length > 200) return false;
  const file = linksFile(dataDir);
  const links = readLinks(file);
  const h = hash(secret);
  // Comparing hashes, not secrets: timing reveals nothing about the secret.
  const match = links.find((l) => l.hash === h);
  const remaining = links.filter((l) => l !== match && l.expiresAt > now);
  if (match || remaining.length !== links.length) writeLinks(file, remaining);
  return Boolean(match && match.expiresAt > now);
}
