import { expect, test } from '@playwright/test';
import { kubectl, kubectlApply, kura, signInAsAdmin } from './support/helpers';

const sidebar = [
  ['Virtualization', 'VirtualMachines'],
  ['Virtualization', 'InstanceTypes'],
  ['Virtualization', 'Bootable volumes'],
  ['Storage', 'PersistentVolumeClaims'],
  ['Storage', 'DataVolumes'],
  ['Storage', 'VolumeSnapshots'],
  ['Storage', 'StorageClasses'],
  ['Storage', 'VolumeSnapshotClasses'],
  ['Storage', 'PersistentVolumes'],
  ['Cluster', 'Nodes'],
  ['Cluster', 'Events'],
] as const;

test.beforeEach(async ({ page }) => {
  await signInAsAdmin(page);
});

test('the masthead names the product, the cluster, its mode and the user', async ({ page }) => {
  await expect(page.getByRole('link', { name: 'Kura' })).toBeVisible();
  await expect(page.getByTestId('cluster-badge')).toContainText('embedded');
  await expect(page.getByRole('button', { name: 'User menu for kura-admin' })).toBeVisible();
  await expect(page.getByText('Connected')).toBeVisible();
});

test('every sidebar entry opens a live list of its kind', async ({ page }) => {
  const nav = page.getByRole('navigation', { name: 'Kura' });
  for (const [, label] of sidebar) {
    await nav.getByRole('link', { name: label, exact: true }).click();
    await expect(page.getByRole('heading', { name: label, level: 1 })).toBeVisible();
    await expect(page.getByTestId('watch-state')).toHaveText('Live');
    await expect(page.getByTestId('error-state')).toHaveCount(0);
  }
});

test('a list follows changes without a reload', async ({ page }) => {
  const name = `live-${Date.now()}`;
  await page.goto(`${kura().baseURL}/k8s/ns/default/core~v1~PersistentVolumeClaim`);
  await expect(page.getByTestId('watch-state')).toHaveText('Live');
  kubectlApply({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  });
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toBeVisible();
  await expect(row).toContainText('Pending');
  kubectl('delete', 'pvc', name, '-n', 'default', '--wait=false');
  await expect(row).toHaveCount(0);
});

test('the namespace selector switches namespace and remembers the choice', async ({ page }) => {
  const ns = `e2e-ns-${Date.now()}`;
  kubectl('create', 'namespace', ns);
  await page.goto(`${kura().baseURL}/k8s/ns/default/cdi.kubevirt.io~v1beta1~DataVolume`);
  await page.getByRole('button', { name: 'Namespace' }).click();
  await page.getByPlaceholder('Find or type a namespace').fill(ns);
  await page.getByRole('menuitem', { name: ns, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/k8s/ns/${ns}/cdi.kubevirt.io~v1beta1~DataVolume`));
  await expect(page.getByText(`There are no DataVolumes in namespace ${ns}.`)).toBeVisible();

  // Another kind opens in the chosen namespace, and the choice survives a reload.
  await page.getByRole('navigation', { name: 'Kura' }).getByRole('link', { name: 'VirtualMachines' }).click();
  await expect(page).toHaveURL(new RegExp(`/k8s/ns/${ns}/kubevirt.io~v1~VirtualMachine`));
  await page.goto(`${kura().baseURL}/`);
  await expect(page.getByRole('heading', { name: `In namespace ${ns}` })).toBeVisible();

  kubectlApply({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'in-other-ns', namespace: ns },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  });
  await page.getByRole('button', { name: 'Namespace' }).click();
  await page.getByRole('menuitem', { name: 'All namespaces' }).click();
  await page.getByRole('navigation', { name: 'Kura' }).getByRole('link', { name: 'PersistentVolumeClaims' }).click();
  await expect(page).toHaveURL(/\/k8s\/all-namespaces\/core~v1~PersistentVolumeClaim/);
  await expect(page.getByRole('columnheader', { name: 'Namespace' })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(`in-other-ns\\s+${ns}`) })).toBeVisible();
  kubectl('delete', 'namespace', ns, '--wait=false');
});

test('the theme switches to dark and stays dark', async ({ page }) => {
  const html = page.locator('html');
  const dark = /pf-v6-theme-dark/;
  const wasDark = dark.test((await html.getAttribute('class')) ?? '');
  await page.getByRole('button', { name: /Switch to (dark|light) theme/ }).click();
  if (wasDark) await expect(html).not.toHaveClass(dark);
  else await expect(html).toHaveClass(dark);
  await page.reload();
  if (wasDark) await expect(html).not.toHaveClass(dark);
  else await expect(html).toHaveClass(dark);
});

test('an object page shows the object and its YAML', async ({ page }) => {
  await page.goto(`${kura().baseURL}/k8s/cluster/core~v1~Namespace/default`);
  await expect(page.getByRole('heading', { name: /default/, level: 1 })).toBeVisible();
  await expect(page.getByText('kubernetes.io/metadata.name=default')).toBeVisible();
});
