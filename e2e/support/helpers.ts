// What the tests do again and again: read the admin token a user would find
// in the kubeconfig, sign in through the page, run kubectl.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { parse } from 'yaml';
import { readState } from './kura';

export const kura = () => readState();

export function adminToken(): string {
  const doc = parse(fs.readFileSync(kura().kubeconfig, 'utf8')) as { users: { user: { token: string } }[] };
  return doc.users[0]!.user.token;
}

export function kubectl(...args: string[]): string {
  return execFileSync('kubectl', ['--kubeconfig', kura().kubeconfig, ...args], { encoding: 'utf8', timeout: 30_000 });
}

/** Apply a manifest given as an object, the way a user would with kubectl apply -f. */
export function kubectlApply(manifest: object): string {
  return execFileSync('kubectl', ['--kubeconfig', kura().kubeconfig, 'apply', '-f', '-'], { input: JSON.stringify(manifest), encoding: 'utf8', timeout: 30_000 });
}

export async function signInWithToken(page: Page, token: string): Promise<void> {
  await page.goto(`${kura().baseURL}/login`);
  await page.getByLabel('Bearer token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
}

/** Sign in as the cluster admin (the token from the kubeconfig Kura wrote). */
export async function signInAsAdmin(page: Page): Promise<void> {
  await signInWithToken(page, adminToken());
}

/** The session's CSRF token, read the way the page reads it. */
export async function csrfToken(page: Page): Promise<string> {
  const res = await page.request.get(`${kura().baseURL}/api/session`);
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}
