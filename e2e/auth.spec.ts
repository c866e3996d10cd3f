import { expect, test } from '@playwright/test';
import { adminToken, csrfToken, kura, signInAsAdmin, signInWithToken } from './support/helpers';

test.describe('signing in and out', () => {
  test('the one-time link npm start printed signs the admin in, once', async ({ page, browser }) => {
    await page.goto(kura().signInLink);
    await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
    await expect(page.getByRole('button', { name: /User menu for kura-admin/ })).toBeVisible();
    // The secret is gone from the address bar once used.
    expect(page.url()).not.toContain('#');

    const other = await browser.newPage();
    await other.goto(kura().signInLink);
    await expect(other.getByTestId('link-error')).toContainText('already used or has expired');
    await other.close();
  });

  test('an unknown visitor is sent to sign in', async ({ page }) => {
    await page.goto(`${kura().baseURL}/k8s/cluster/core~v1~Node`);
    await expect(page).toHaveURL(/\/login\?next=/);
    await expect(page.getByRole('heading', { name: 'Sign in to Kura' })).toBeVisible();
  });

  test('a token the cluster does not accept is refused with the reason', async ({ page }) => {
    await page.goto(`${kura().baseURL}/login`);
    await page.getByLabel('Bearer token').fill('kura_not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('login-error')).toContainText('did not accept this token');
    await expect(page).toHaveURL(/\/login/);
  });

  test('signing in with a token returns to the page asked for, and signing out ends the session', async ({ page }) => {
    await page.goto(`${kura().baseURL}/k8s/cluster/storage.k8s.io~v1~StorageClass`);
    await expect(page).toHaveURL(/\/login\?next=/);
    await page.getByLabel('Bearer token').fill(adminToken());
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'StorageClasses', level: 1 })).toBeVisible();

    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'kura_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    expect(session?.value).not.toContain(adminToken());
    const storage = await page.evaluate(() => JSON.stringify({ ...window.localStorage }) + JSON.stringify({ ...window.sessionStorage }));
    expect(storage).not.toContain(adminToken());

    await page.getByRole('button', { name: /User menu for/ }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login/);
    const after = await page.request.get(`${kura().baseURL}/api/k8s/api/v1/namespaces`);
    expect(after.status()).toBe(401);
    await page.goto(`${kura().baseURL}/`);
    await expect(page).toHaveURL(/\/login/);
  });
});

test.describe('requests the console refuses', () => {
  const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' } });
  const url = () => `${kura().baseURL}/api/k8s/api/v1/namespaces/default/configmaps`;

  test('no session: 401 from the proxy', async ({ request }) => {
    const res = await request.get(`${kura().baseURL}/api/k8s/api/v1/namespaces`);
    expect(res.status()).toBe(401);
    expect((await res.json()).kind).toBe('Status');
  });

  test('an empty token is refused before reaching the cluster', async ({ request }) => {
    const res = await request.post(`${kura().baseURL}/api/auth/login`, { data: { token: '' } });
    expect(res.status()).toBe(400);
  });

  test('a mutating request without the CSRF header is refused', async ({ page }) => {
    await signInAsAdmin(page);
    const res = await page.request.post(url(), { data: configMap('no-csrf'), headers: { origin: kura().baseURL } });
    expect(res.status()).toBe(403);
    expect((await res.json()).message).toContain('x-csrf-token');
  });

  test('a request from a foreign Origin is refused even with the CSRF token', async ({ page }) => {
    await signInAsAdmin(page);
    const token = await csrfToken(page);
    const res = await page.request.post(url(), { data: configMap('foreign'), headers: { origin: 'https://evil.example', 'x-csrf-token': token } });
    expect(res.status()).toBe(403);
    expect((await res.json()).message).toContain('cross-origin');
  });

  test('with the session, the CSRF header and our Origin, the same request goes through', async ({ page }) => {
    await signInAsAdmin(page);
    const token = await csrfToken(page);
    const res = await page.request.post(url(), { data: configMap(`ok-${Date.now()}`), headers: { origin: kura().baseURL, 'x-csrf-token': token } });
    expect(res.status()).toBe(201);
  });

  test('bodies over 3 MiB are refused with 413', async ({ page }) => {
    await signInAsAdmin(page);
    const token = await csrfToken(page);
    const big = { ...configMap('big'), data: { blob: 'x'.repeat(3 * 1024 * 1024 + 10) } };
    const res = await page.request.post(url(), { data: big, headers: { origin: kura().baseURL, 'x-csrf-token': token } });
    expect(res.status()).toBe(413);
  });

  test('the token sign-in page works for a user made with the CLI', async ({ page }) => {
    const { execFileSync } = await import('node:child_process');
    const name = `e2e-user-${Date.now()}`;
    const token = execFileSync('npm', ['run', '--silent', 'kura', '--', 'user', 'add', name, '--group', 'e2e'], {
      env: { ...process.env, KURA_DATA_DIR: kura().dataDir },
      encoding: 'utf8',
    }).trim().split('\n').pop()!;
    await signInWithToken(page, token);
    await expect(page.getByRole('button', { name: `User menu for ${name}` })).toBeVisible();
  });
});
