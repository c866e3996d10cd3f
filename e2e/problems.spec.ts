import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { kubectl, kura, signInAsAdmin } from './support/helpers';
import { startKura, stopKura } from './support/kura';

test('a kind the cluster does not serve says so instead of spinning', async ({ page }) => {
  await signInAsAdmin(page);
  // Take a kind away, as on a cluster without that component installed.
  kubectl('delete', 'crd', 'virtualmachineclusterpreferences.instancetype.kubevirt.io');
  await page.goto(`${kura().baseURL}/k8s/cluster/instancetype.kubevirt.io~v1beta1~VirtualMachineClusterPreference`);
  await expect(page.getByRole('heading', { name: 'Not served by this cluster' })).toBeVisible();
  await expect(page.getByTestId('error-state')).toContainText('does not serve VirtualMachineClusterPreference');
});

test('a kind Kura does not know says so', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto(`${kura().baseURL}/k8s/cluster/example.com~v1~Widget`);
  await expect(page.getByTestId('error-state')).toContainText('does not know the kind Widget');
});

test('an object URL ending in /yaml, as OpenShift links one, opens its YAML tab; a path with no page says what pages look like', async ({ page }) => {
  await signInAsAdmin(page);
  kubectl('create', 'configmap', 'tab-link', '--from-literal=a=b');
  await page.goto(`${kura().baseURL}/k8s/ns/default/core~v1~ConfigMap/tab-link/yaml`);
  await expect(page).toHaveURL(/\/core~v1~ConfigMap\/tab-link\?tab=yaml$/);
  await expect(page.getByRole('tab', { name: 'YAML', selected: true })).toBeVisible();
  await page.goto(`${kura().baseURL}/k8s/ns/default/core~v1~ConfigMap/tab-link/nothing`);
  await expect(page.getByTestId('error-state')).toContainText('There is no page at /k8s/ns/default/core~v1~ConfigMap/tab-link/nothing');
  kubectl('delete', 'configmap', 'tab-link');
});

test('an unreachable cluster is named on the sign-in page and in readiness', async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kura-e2e-unreachable-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(
    kubeconfig,
    ['apiVersion: v1', 'kind: Config', 'clusters: [{name: gone, cluster: {server: "https://127.0.0.1:9"}}]', 'users: [{name: u, user: {token: t}}]', 'contexts: [{name: gone, context: {cluster: gone, user: u}}]', 'current-context: gone'].join('\n'),
  );
  const other = await startKura({ KURA_CLUSTER: 'kubeconfig', KUBECONFIG: kubeconfig, KURA_DATA_DIR: dir }, [], 'kura-unreachable');
  try {
    await other.waitForLine(/console listening/);
    const ready = await page.request.get(`${other.baseURL}/readyz`);
    expect(ready.status()).toBe(503);
    expect(await ready.text()).toContain('cannot reach the cluster at https://127.0.0.1:9');
    await page.goto(`${other.baseURL}/login`);
    await expect(page.getByTestId('login-cluster-problem')).toContainText('cannot reach the cluster');
    await page.getByLabel('Bearer token').fill('anything');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('login-error')).toContainText('cannot check the token with the cluster');
  } finally {
    stopKura(other.child.pid!);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
