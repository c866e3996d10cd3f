import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SIGN_IN_LINK_TTL_MS, issueSignInLink, redeemSignInLink } from './signInLinks';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kura-links-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('sign-in links', () => {
  it('work exactly once', () => {
    const secret = issueSignInLink(dir, 0);
    expect(redeemSignInLink(dir, secret, 1)).toBe(true);
    expect(redeemSignInLink(dir, secret, 2)).toBe(false);
  });

  it('expire after ten minutes', () => {
    const secret = issueSignInLink(dir, 0);
    expect(redeemSignInLink(dir, secret, SIGN_IN_LINK_TTL_MS + 1)).toBe(false);
  });

  it('refuse secrets never issued, and keep the others usable', () => {
    const a = issueSignInLink(dir, 0);
    const b = issueSignInLink(dir, 0);
    expect(redeemSignInLink(dir, 'made-up', 1)).toBe(false);
    expect(redeemSignInLink(dir, '', 1)).toBe(false);
    expect(redeemSignInLink(dir, b, 1)).toBe(true);
    expect(redeemSignInLink(dir, a, 1)).toBe(true);
  });

  it('store only hashes, in a file only the owner can read', () => {
    const secret = issueSignInLink(dir, 0);
    const file = path.join(dir, 'console', 'sign-in-links.json');
    expect(fs.readFileSync(file, 'utf8')).not.toContain(secret);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
  });
});
