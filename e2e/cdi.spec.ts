// Disk images, black box: an import from a URL made with the form, whose
// progress bar moves until it succeeds; an upload from the browser through the
// same-origin relay; a clone; imports from S3 (s3rver) and from a registry
// (Debian's docker-registry); and the refusals, each with its reason on the
// page: a 404, an image larger than the disk, a file that is not a disk image.
// The images are the bootable test disk (scripts/test-image), served on loopback.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { type ImageServer, type Registry, type S3Server, serveImages, serveRegistry, serveS3, type TestImages, testImages } from './support/images';
import { kubectl, kubectlApply, kura, signInAsAdmin } from './support/helpers';

const id = Date.now().toString(36);
const ns = `disks-${id}`;
/** Imports are done by controllers and qemu-img: give them time. */
const SLOW = { timeout: 120_000 };

let images: TestImages;
let server: ImageServer;
let s3: S3Server;
let registry: Registry;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(600_000);
  images = testImages();
  server = await serveImages({ 'disk.qcow2': images.qcow2, 'disk.qcow2.gz': images.qcow2gz, 'disk.raw': images.raw }, 40);
  s3 = await serveS3({ 'disks/disk.qcow2': images.qcow2 });
  registry = await serveRegistry({ repo: 'kura/test-disk', tag: 'v1', disk: images.qcow2 }, kura().registryHost);
  kubectl('create', 'namespace', ns);
});

test.afterAll(async () => {
  await server?.close();
  await s3?.close();
  await registry?.close();
});

const listUrl = () => `${kura().baseURL}/k8s/ns/${ns}/cdi.kubevirt.io~v1beta1~DataVolume`;
const row = (page: Page, name: string): Locator => page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });

function dataVolume(name: string, source: object, storage = '1Gi'): void {
  kubectlApply({
    apiVersion: 'cdi.kubevirt.io/v1beta1',
    kind: 'DataVolume',
    metadata: { name, namespace: ns },
    spec: { source, storage: { storageClassName: 'kura-shared', resources: { requests: { storage } } } },
  });
}

async function openCreateForm(page: Page, name: string, tab: string): Promise<void> {
  await page.goto(`${listUrl()}/~new`);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await page.getByRole('tab', { name: tab, exact: true }).click();
}

test('an import from a URL shows its progress moving, then succeeds', async ({ page }) => {
  test.setTimeout(240_000);
  await signInAsAdmin(page);
  await openCreateForm(page, 'imported', 'URL');
  await page.getByRole('textbox', { name: 'URL of the disk image' }).fill(server.url('slow/disk.qcow2'));
  await page.getByRole('textbox', { name: 'Size', exact: true }).fill('1');
  await page.locator('#dv-class').selectOption('kura-shared');
  await page.getByRole('button', { name: 'Create', exact: true }).click();

  // The details page: the bar moves while the bytes arrive.
  await expect(page).toHaveURL(/DataVolume\/imported$/);
  const bar = page.getByRole('progressbar', { name: 'Transfer progress' });
  await expect(bar).toBeVisible(SLOW);
  const first = Number(await bar.getAttribute('aria-valuenow'));
  await expect.poll(async () => Number((await bar.getAttribute('aria-valuenow')) ?? 0), SLOW).toBeGreaterThan(first);
  await expect(page.getByTestId('dv-phase').first()).toHaveText('Succeeded', SLOW);
  expect(kubectl('get', 'pvc', 'imported', '-n', ns, '-o', 'jsonpath={.status.phase}')).toBe('Bound');

  await page.goto(listUrl());
  await expect(row(page, 'imported')).toContainText('Succeeded');
  await expect(row(page, 'imported')).toContainText(/http.*disk\.qcow2/);
});

test('an upload from the browser goes through the relay and fills the disk', async ({ page }) => {
  test.setTimeout(240_000);
  await signInAsAdmin(page);
  await openCreateForm(page, 'uploaded', 'Upload');
  await page.locator('input[type="file"]').setInputFiles(images.qcow2);
  await expect(page.getByTestId('upload-file-check')).toContainText(/qcow2/i, SLOW);
  await page.getByRole('textbox', { name: 'Size', exact: true }).fill('1');
  await page.locator('#dv-class').selectOption('kura-shared');
  await page.getByRole('button', { name: 'Create and upload' }).click();
  await expect(page).toHaveURL(/DataVolume\/uploaded$/);
  await expect(page.getByTestId('dv-phase').first()).toHaveText('Succeeded', SLOW);
  // The events that just happened are not dated in the future.
  await expect(page.getByText('Upload into PVC uploaded succeeded')).toBeVisible();
  await expect(page.getByText('<invalid>')).toHaveCount(0);
  expect(kubectl('get', 'pvc', 'uploaded', '-n', ns, '-o', 'jsonpath={.metadata.annotations.cdi\\.kubevirt\\.io/storage\\.pod\\.phase}')).toBe('Succeeded');
});

test('a file that is not a disk image, or too large for the disk, is refused before anything is sent', async ({ page }) => {
  await signInAsAdmin(page);
  await openCreateForm(page, 'not-a-disk', 'Upload');
  const html = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kura-e2e-')), 'disk.img');
  fs.writeFileSync(html, '<!DOCTYPE html><html><body>Sign in to download</body></html>\n');
  await page.locator('input[type="file"]').setInputFiles(html);
  await expect(page.getByTestId('upload-file-check')).toContainText(/not a disk image|HTML/i);

  await page.locator('input[type="file"]').setInputFiles(images.qcow2);
  await page.getByRole('textbox', { name: 'Size', exact: true }).fill('8');
  await page.getByRole('combobox', { name: 'Size unit' }).selectOption('Mi');
  await expect(page.getByTestId('upload-file-check')).toContainText(/at least/i);
  await expect(page.getByRole('button', { name: /Set the size to/ })).toBeVisible();
  expect(kubectl('get', 'dv', '-n', ns, '-o', 'name')).not.toContain('not-a-disk');
});

test('a clone of the imported disk succeeds', async ({ page }) => {
  test.setTimeout(180_000);
  await signInAsAdmin(page);
  await openCreateForm(page, 'cloned', 'Clone volume');
  await page.getByLabel('PersistentVolumeClaim to clone').selectOption('imported');
  await page.locator('#dv-class').selectOption('kura-shared');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page).toHaveURL(/DataVolume\/cloned$/);
  await expect(page.getByTestId('dv-phase').first()).toHaveText('Succeeded', SLOW);
});

test('imports from S3 and from a registry succeed', async ({ page }) => {
  test.setTimeout(180_000);
  kubectl('create', 'secret', 'generic', 's3-keys', '-n', ns, `--from-literal=accessKeyId=${s3.accessKeyId}`, `--from-literal=secretKey=${s3.secretKey}`);
  dataVolume('from-s3', { s3: { url: s3.url('disks/disk.qcow2'), secretRef: 's3-keys' } });
  dataVolume('from-registry', { registry: { url: `docker://${registry.host}/kura/test-disk:v1` } });
  await signInAsAdmin(page);
  await page.goto(listUrl());
  await expect(row(page, 'from-s3')).toContainText('Succeeded', SLOW);
  await expect(row(page, 'from-registry')).toContainText('Succeeded', SLOW);
  await expect(row(page, 'from-registry')).toContainText(/registry/i);
});

test('refused imports say why on the page', async ({ page }) => {
  test.setTimeout(180_000);
  kubectl('create', 'secret', 'generic', 's3-wrong', '-n', ns, '--from-literal=accessKeyId=NOBODY', '--from-literal=secretKey=x');
  dataVolume('missing', { http: { url: server.url('no-such-disk.qcow2') } });
  dataVolume('too-big', { http: { url: server.url('disk.qcow2') } }, '8Mi');
  dataVolume('sign-in-page', { http: { url: server.url('html/disk.qcow2') } });
  dataVolume('wrong-keys', { s3: { url: s3.url('disks/disk.qcow2'), secretRef: 's3-wrong' } });
  await signInAsAdmin(page);
  await page.goto(listUrl());
  await expect(row(page, 'missing')).toContainText('Failed', SLOW);
  await expect(row(page, 'missing').getByTestId('dv-failure')).toContainText('404');
  await expect(row(page, 'too-big').getByTestId('dv-failure')).toContainText(/at least/, SLOW);
  await expect(row(page, 'sign-in-page').getByTestId('dv-failure')).toContainText(/HTML|not a disk image/i, SLOW);
  await expect(row(page, 'wrong-keys').getByTestId('dv-failure')).toContainText(/403|InvalidAccessKeyId|denied/i, SLOW);

  // The details page tells the story too.
  await page.goto(`${listUrl()}/missing`);
  await expect(page.getByTestId('dv-explanation')).toContainText('404');
});

test('an import from loopback is refused unless the admin allowed it, and a disk on a WaitForFirstConsumer class waits', async ({ page }) => {
  // Kura's own API server is loopback too, but never allowed.
  const api = new URL(kubectl('config', 'view', '-o', 'jsonpath={.clusters[0].cluster.server}'));
  dataVolume('own-api', { http: { url: `https://${api.host}/version` } });
  kubectlApply({
    apiVersion: 'cdi.kubevirt.io/v1beta1',
    kind: 'DataVolume',
    metadata: { name: 'later', namespace: ns },
    spec: { source: { http: { url: server.url('disk.qcow2') } }, storage: { storageClassName: 'kura-local', resources: { requests: { storage: '1Gi' } } } },
  });
  await signInAsAdmin(page);
  await page.goto(listUrl());
  await expect(row(page, 'own-api').getByTestId('dv-failure')).toContainText(/Kura/, SLOW);
  await expect(row(page, 'later')).toContainText('WaitForFirstConsumer', SLOW);
  await page.goto(`${listUrl()}/later`);
  await expect(page.getByTestId('dv-explanation')).toContainText(/first consumer|VM uses it/i);
});
