// The storage pages, black box: a StorageClass made with the form, a claim
// made with the form that says where it fits and then binds, expanded,
// cloned, snapshotted, restored and deleted; a claim too large to fit says
// why it is Pending; capacity shows per node; the default class moves; a user
// who may only view sees every action off, with the reason. Needs the
// embedded storage controllers (provisioning, binding, expansion, snapshots,
// CSIStorageCapacity). Each group has its own namespace, so one group's
// failure does not hide another's result.
import { execFileSync } from 'node:child_process';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { kubectl, kubectlApply, kura, signInAsAdmin, signInWithToken } from './support/helpers';

const id = Date.now().toString(36);
/** Binding, resizing and snapshots are done by controllers: give them time. */
const SLOW = { timeout: 90_000 };

const pvcList = (ns: string) => `${kura().baseURL}/k8s/ns/${ns}/core~v1~PersistentVolumeClaim`;
const snapshotList = (ns: string) => `${kura().baseURL}/k8s/ns/${ns}/snapshot.storage.k8s.io~v1~VolumeSnapshot`;
const classList = () => `${kura().baseURL}/k8s/cluster/storage.k8s.io~v1~StorageClass`;

/** The table row whose name link is exactly `name`. */
const row = (page: Page, name: string): Locator => page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });

async function rowAction(page: Page, name: string, action: string): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: action }).click();
}

function jsonpath(kind: string, name: string, path: string, namespace?: string): string {
  return kubectl('get', kind, name, ...(namespace ? ['-n', namespace] : []), '-o', `jsonpath={${path}}`);
}

function immediateLocalClass(name: string): void {
  kubectlApply({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner: 'local.kura.dev', volumeBindingMode: 'Immediate', allowVolumeExpansion: true });
}

function claim(ns: string, name: string, storageClassName: string, storage = '1Gi') {
  kubectlApply({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: ns }, spec: { accessModes: ['ReadWriteOnce'], storageClassName, resources: { requests: { storage } } } });
}

test('the cluster reports its storage: default classes, capacity per node, the Overview summary', async ({ page }) => {
  await signInAsAdmin(page);
  await page.goto(classList());
  await expect(page.getByTestId('watch-state')).toHaveText('Live');
  await expect(row(page, 'kura-local')).toContainText('Default');
  await expect(row(page, 'kura-local')).toContainText('WaitForFirstConsumer');
  await expect(row(page, 'kura-shared')).toContainText('Immediate');

  await page.goto(`${kura().baseURL}/k8s/cluster/core~v1~Node`);
  await expect(page.getByTestId('watch-state')).toHaveText('Live');
  for (const node of ['node-1', 'node-2', 'node-3']) await expect(row(page, node)).toBeVisible();
  const bar = page.getByTestId('capacity-node-1-kura-local');
  await expect(bar).toBeVisible(SLOW);
  await expect(bar).toHaveAttribute('aria-label', /kura-local: .*free/);
  await bar.hover();
  await expect(page.getByRole('tooltip')).toContainText('Free to promise');

  await page.goto(`${kura().baseURL}/`);
  await expect(page.getByTestId('storage-summary')).toContainText(/3 nodes, .*kura-local [\d.]+ [GT]iB free/, SLOW);
});

test.describe('a claim from creation to deletion', () => {
  // Each step builds on the last; the controllers bind, resize and snapshot in the background.
  test.describe.configure({ mode: 'serial', timeout: 180_000 });
  const ns = `storage-life-${id}`;
  const sc = `e2e-immediate-${id}`;
  const base = 'data';

  test.beforeAll(() => {
    kubectl('create', 'namespace', ns);
  });
  test.afterAll(() => {
    kubectl('delete', 'namespace', ns, '--wait=false', '--ignore-not-found');
    kubectl('delete', 'storageclass', sc, '--ignore-not-found', '--wait=false');
  });
  test.beforeEach(async ({ page }) => {
    await signInAsAdmin(page);
  });

  test('a StorageClass made with the form: Immediate, the local driver, explained parameters', async ({ page }) => {
    await page.goto(classList());
    await page.getByRole('link', { name: 'Create StorageClass' }).click();
    await expect(page.getByRole('heading', { name: 'Create StorageClass', level: 1 })).toBeVisible();

    // Problems show before anything is sent.
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Not_Valid');
    await expect(page.getByText('Use lower case letters only.')).toBeVisible();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(sc);
    await page.getByLabel('Driver (provisioner)').selectOption('local.kura.dev');
    await page.getByRole('radio', { name: 'Immediate' }).check();
    await expect(page.getByText('Immediate binding picks a node for each volume before any VM exists')).toBeVisible();
    await page.getByRole('button', { name: 'Add parameter' }).click();
    await page.getByRole('menuitem', { name: /kura\.dev\/overprovision-ratio/ }).click();
    await page.getByLabel('Parameter 1 value').fill('0.5');
    await expect(page.getByText(/at least 1\.0/)).toBeVisible();
    await page.getByLabel('Parameter 1 value').fill('1.0');
    await expect(page.getByText(/How many times the pool size may be promised/)).toBeVisible();

    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect(page).toHaveURL(/storage\.k8s\.io~v1~StorageClass$/);
    await expect(row(page, sc)).toContainText('local.kura.dev');
    await expect(row(page, sc)).toContainText('Immediate');
    expect(jsonpath('storageclass', sc, '.volumeBindingMode')).toBe('Immediate');
    expect(jsonpath('storageclass', sc, '.parameters.kura\\.dev/overprovision-ratio')).toBe('1.0');
  });

  test('"Edit YAML" on the claim form continues in the YAML editor with the same claim', async ({ page }) => {
    await page.goto(pvcList(ns));
    await page.getByRole('link', { name: 'Create PersistentVolumeClaim' }).click();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('from-form');
    await page.getByRole('textbox', { name: 'Size', exact: true }).fill('3');
    await page.getByRole('button', { name: 'Edit YAML' }).click();
    const editor = page.getByRole('textbox', { name: 'YAML to create' });
    await expect(editor).toContainText('name: from-form');
    await expect(editor).toContainText('storage: 3Gi');
    await expect(editor).toContainText(`namespace: ${ns}`);
  });

  test('a claim made with the form says where it fits before it is made, then binds', async ({ page }) => {
    await page.goto(pvcList(ns));
    await expect(page.getByTestId('watch-state')).toHaveText('Live');
    await page.getByRole('link', { name: 'Create PersistentVolumeClaim' }).click();
    await expect(page.getByTestId('target-namespace')).toHaveText(ns);
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(base);
    await page.getByLabel('StorageClass').selectOption(sc);
    await page.getByRole('textbox', { name: 'Size', exact: true }).fill('1');
    await expect(page.getByTestId('fit-notice')).toContainText(/Fits on \d of 3 nodes, [\d.]+ [GT]iB free in /, SLOW);
    await expect(page.getByRole('radio', { name: 'ReadWriteMany' })).toHaveCount(0); // node-local: not offered
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect(page).toHaveURL(/core~v1~PersistentVolumeClaim$/);
    await expect(row(page, base).getByTestId('pvc-status')).toContainText('Bound', SLOW);
    await expect(row(page, base)).toContainText(/node-\d/);
    await expect(row(page, base)).toContainText('1 GiB');
  });

  test('expanding refuses to shrink, says whether it fits, and grows the claim', async ({ page }) => {
    await page.goto(pvcList(ns));
    await rowAction(page, base, 'Expand');
    const expand = page.getByRole('dialog');
    await expand.getByRole('textbox', { name: 'New size', exact: true }).fill('0.5');
    await expect(expand).toContainText('Volumes can only grow');
    await expect(expand.getByRole('button', { name: 'Expand' })).toBeDisabled();
    await expand.getByRole('textbox', { name: 'New size', exact: true }).fill('2');
    await expect(expand.getByTestId('expand-decision')).toContainText('can grow from 1 GiB to 2 GiB');
    await expand.getByRole('button', { name: 'Expand' }).click();
    await expect(expand).toHaveCount(0);
    expect(jsonpath('pvc', base, '.spec.resources.requests.storage', ns)).toBe('2Gi');
    await expect(row(page, base)).toContainText('2 GiB', SLOW);
    await expect(row(page, base)).not.toContainText('asks for', SLOW);
  });

  test('a clone stays with its driver, binds, and is deleted from its row', async ({ page }) => {
    await page.goto(pvcList(ns));
    await rowAction(page, base, 'Clone');
    const clone = page.getByRole('dialog');
    await clone.getByLabel('Name of the new claim').fill('cloned');
    await expect(clone.getByLabel('StorageClass').locator('option', { hasText: 'kura-shared' })).toHaveCount(0);
    await clone.getByLabel('StorageClass').selectOption(sc);
    await clone.getByRole('textbox', { name: 'Size', exact: true }).fill('1');
    await expect(clone).toContainText('At least 2 GiB: the volume must hold everything its source holds.');
    await clone.getByRole('textbox', { name: 'Size', exact: true }).fill('2');
    await expect(clone.getByTestId('fit-notice')).toContainText('Fits on');
    await clone.getByRole('button', { name: 'Clone' }).click();
    await expect(clone).toHaveCount(0);
    expect(jsonpath('pvc', 'cloned', '.spec.dataSource.name', ns)).toBe(base);
    await expect(row(page, 'cloned').getByTestId('pvc-status')).toContainText('Bound', SLOW);

    await rowAction(page, 'cloned', 'Delete');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect(row(page, 'cloned')).toHaveCount(0, SLOW);
  });

  test('a snapshot becomes ready', async ({ page }) => {
    await page.goto(pvcList(ns));
    await rowAction(page, base, 'Snapshot');
    const snap = page.getByRole('dialog');
    await snap.getByRole('textbox', { name: 'Name', exact: true }).fill('data-snap');
    await expect(snap.getByLabel('VolumeSnapshotClass')).toHaveValue('kura-local-snapshots');
    await snap.getByRole('button', { name: 'Take snapshot' }).click();
    await expect(snap.getByTestId('snapshot-created')).toBeVisible();
    await snap.getByRole('link', { name: 'See VolumeSnapshots' }).click();
    await expect(page.getByTestId('watch-state')).toHaveText('Live');
    await expect(row(page, 'data-snap').getByTestId('snapshot-status')).toHaveText('Ready', SLOW);
    await expect(row(page, 'data-snap')).toContainText(base);
    await expect(row(page, 'data-snap')).toContainText('2 GiB');
  });

  test('the snapshot restores into a new claim no smaller than it, which binds', async ({ page }) => {
    await page.goto(snapshotList(ns));
    await rowAction(page, 'data-snap', 'Restore as new claim');
    const restore = page.getByRole('dialog');
    await restore.getByLabel('Name of the new claim').fill('restored');
    await restore.getByRole('textbox', { name: 'Size', exact: true }).fill('1');
    await expect(restore).toContainText('At least 2 GiB: the volume must hold everything its source holds.');
    await restore.getByRole('textbox', { name: 'Size', exact: true }).fill('2');
    await restore.getByLabel('StorageClass').selectOption(sc);
    await restore.getByRole('button', { name: 'Restore' }).click();
    await expect(restore).toHaveCount(0);
    expect(jsonpath('pvc', 'restored', '.spec.dataSource.kind', ns)).toBe('VolumeSnapshot');
    await page.goto(pvcList(ns));
    await expect(row(page, 'restored').getByTestId('pvc-status')).toContainText('Bound', SLOW);
  });

  test('the claims and the snapshot are deleted from their rows', async ({ page }) => {
    await page.goto(pvcList(ns));
    for (const name of ['restored', base]) {
      await rowAction(page, name, 'Delete');
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      await expect(row(page, name)).toHaveCount(0, SLOW);
    }
    await page.goto(snapshotList(ns));
    await rowAction(page, 'data-snap', 'Delete');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect(row(page, 'data-snap')).toHaveCount(0, SLOW);
  });
});

test.describe('claims that cannot bind', () => {
  const ns = `storage-pending-${id}`;
  const sc = `e2e-pending-${id}`;
  test.beforeAll(() => {
    kubectl('create', 'namespace', ns);
    immediateLocalClass(sc);
  });
  test.afterAll(() => {
    kubectl('delete', 'namespace', ns, '--wait=false', '--ignore-not-found');
    kubectl('delete', 'storageclass', sc, '--ignore-not-found', '--wait=false');
  });

  test('a claim that cannot fit says so before it is made, and why it is Pending after', async ({ page }) => {
    await signInAsAdmin(page);
    await page.goto(pvcList(ns));
    await page.getByRole('link', { name: 'Create PersistentVolumeClaim' }).click();
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill('too-large');
    await page.getByLabel('StorageClass').selectOption(sc);
    await page.getByRole('textbox', { name: 'Size', exact: true }).fill('500');
    await page.getByLabel('Size unit').selectOption('Ti');
    await expect(page.getByTestId('fit-notice')).toContainText(/Does not fit: the most any node has free in .* is [\d.]+ [GT]iB \(node-\d\), and the volume needs 500 TiB/, SLOW);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect(page).toHaveURL(/core~v1~PersistentVolumeClaim$/);
    const status = row(page, 'too-large').getByTestId('pvc-status');
    await expect(status).toContainText('Pending');
    await expect(status).toContainText('Not enough free space');
    await status.getByTestId('pvc-reason').hover();
    await expect(page.getByRole('tooltip')).toContainText('needs 500 TiB');

    // A claim of a WaitForFirstConsumer class waits for a VM, and says so.
    claim(ns, 'waiting', 'kura-local');
    await expect(row(page, 'waiting').getByTestId('pvc-status')).toContainText('Waiting for a VM to use it (WaitForFirstConsumer)');

    // Deleting the class warns about the claims that use it.
    await page.goto(classList());
    await rowAction(page, sc, 'Delete');
    await expect(page.getByTestId('delete-warning')).toContainText(`1 claim uses it: ${ns}/too-large`);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  });
});

test('setting a default class unsets the previous default', async ({ page }) => {
  const second = `e2e-second-${id}`;
  kubectlApply({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: second }, provisioner: 'local.kura.dev', volumeBindingMode: 'WaitForFirstConsumer' });
  await signInAsAdmin(page);
  await page.goto(classList());
  try {
    await rowAction(page, second, 'Set as default');
    await expect(page.getByRole('dialog')).toContainText('kura-local (the default until now)');
    await page.getByRole('dialog').getByRole('button', { name: 'Make default' }).click();
    await expect(row(page, second)).toContainText('Default');
    await expect(row(page, 'kura-local')).not.toContainText('Default');
    expect(jsonpath('storageclass', 'kura-local', '.metadata.annotations.storageclass\\.kubernetes\\.io/is-default-class')).toBe('false');

    // Deleting the default warns that claims naming no class will get none.
    await rowAction(page, second, 'Delete');
    await expect(page.getByTestId('delete-warning')).toContainText('It is the default class');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    await rowAction(page, 'kura-local', 'Set as default');
    await page.getByRole('dialog').getByRole('button', { name: 'Make default' }).click();
    await expect(row(page, 'kura-local')).toContainText('Default');
    await expect(row(page, second)).not.toContainText('Default');
  } finally {
    // Other specs rely on kura-local being the only default.
    kubectl('annotate', 'storageclass', 'kura-local', 'storageclass.kubernetes.io/is-default-class=true', '--overwrite');
    kubectl('delete', 'storageclass', second, '--ignore-not-found');
  }
});

test('a user who may only view sees create, expand, snapshot and delete off, with the reason', async ({ page }) => {
  const ns = `storage-view-${id}`;
  const user = `storage-viewer-${id}`;
  kubectl('create', 'namespace', ns);
  try {
    const out = execFileSync('npm', ['run', '--silent', 'kura', '--', 'user', 'add', user], { env: { ...process.env, KURA_DATA_DIR: kura().dataDir }, encoding: 'utf8' });
    const token = out.match(/kura_[\w-]+/)?.[0];
    expect(token, `no token in: ${out}`).toBeTruthy();
    kubectlApply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${user}-view`, namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    });
    claim(ns, 'looked-at', 'kura-local');

    await signInWithToken(page, token!);
    await page.goto(pvcList(ns));
    await expect(row(page, 'looked-at')).toBeVisible();
    const create = page.getByRole('button', { name: 'Create PersistentVolumeClaim' });
    await expect(create).toBeDisabled();
    await create.hover();
    await expect(page.getByRole('tooltip')).toHaveText(`You may not create PersistentVolumeClaims in namespace ${ns}.`);

    await page.getByRole('button', { name: 'Actions for looked-at' }).click();
    for (const [item, verb, kind] of [
      ['Expand', 'patch', 'PersistentVolumeClaims'],
      ['Clone', 'create', 'PersistentVolumeClaims'],
      ['Snapshot', 'create', 'VolumeSnapshots'],
      ['Delete', 'delete', 'PersistentVolumeClaims'],
    ] as const) {
      const entry = page.getByRole('menuitem', { name: item });
      await expect(entry).toBeDisabled();
      await entry.hover();
      await expect(page.getByRole('tooltip')).toHaveText(`You may not ${verb} ${kind} in namespace ${ns}.`);
    }
    await page.keyboard.press('Escape');

    await page.goto(classList());
    const createClass = page.getByRole('button', { name: 'Create StorageClass' });
    await expect(createClass).toBeDisabled();
    await createClass.hover();
    await expect(page.getByRole('tooltip')).toHaveText('You may not create StorageClasses.');
    await page.getByRole('button', { name: 'Actions for kura-local' }).click();
    await expect(page.getByRole('menuitem', { name: 'Delete' })).toBeDisabled();
    await page.keyboard.press('Escape');

    // The form itself refuses too, and says why, instead of failing after a click.
    await page.goto(`${pvcList(ns)}/~new`);
    await expect(page.getByTestId('create-denied')).toContainText(`You may not create PersistentVolumeClaims in namespace ${ns}.`);
    await expect(page.getByRole('button', { name: 'Create', exact: true })).toBeDisabled();
  } finally {
    kubectl('delete', 'namespace', ns, '--wait=false', '--ignore-not-found');
  }
});
