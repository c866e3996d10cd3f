// The generic YAML page: create from YAML, edit and save, conflicts, the
// server's validation errors placed on their lines, custom resources found
// through discovery, and a user who may only look.
import { execFileSync } from 'node:child_process';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { kubectl, kubectlApply, kura, signInAsAdmin, signInWithToken } from './support/helpers';

const unique = () => Date.now().toString(36);

/** Put the cursor at the end of the first editor line containing `text` and type `typed`. */
async function typeAtEndOf(page: Page, editor: Locator, text: string | RegExp, typed: string, backspaces = 0): Promise<void> {
  await editor.locator('.cm-line', { hasText: text }).first().click();
  await page.keyboard.press('End');
  for (let i = 0; i < backspaces; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type(typed);
}

function configMap(name: string, data: Record<string, string>) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data };
}

test.describe('as the admin', () => {
  test.beforeEach(async ({ page }) => {
    await signInAsAdmin(page);
  });

  test('"Create from YAML" on a list page creates a ConfigMap and opens it', async ({ page }) => {
    const name = `created-${unique()}`;
    await page.goto(`${kura().baseURL}/k8s/ns/default/core~v1~ConfigMap`);
    await page.getByRole('link', { name: 'Create ConfigMap' }).click();
    await expect(page).toHaveURL(/\/k8s\/ns\/default\/import\?kind=core~v1~ConfigMap/);
    const editor = page.getByRole('textbox', { name: 'YAML to create' });
    await expect(editor).toContainText('kind: ConfigMap');

    // A syntax error is caught before anything is sent.
    await editor.fill('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [oops\n');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect(page.getByTestId('yaml-outcome')).toContainText('does not parse; nothing was sent');
    await expect(page.getByTestId('yaml-outcome')).toContainText(/Line \d+, column \d+/);

    await editor.fill(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  greeting: hello\n`);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/k8s/ns/default/core~v1~ConfigMap/${name}$`));
    await expect(page.getByRole('heading', { name: new RegExp(name), level: 1 })).toBeVisible();
    expect(kubectl('get', 'configmap', name, '-n', 'default', '-o', 'jsonpath={.data.greeting}')).toBe('hello');
  });

  test('several documents are created in order, each with its own result', async ({ page }) => {
    const id = unique();
    await page.goto(`${kura().baseURL}/k8s/ns/default/import`);
    const editor = page.getByRole('textbox', { name: 'YAML to create' });
    await editor.fill(
      [
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first-${id}\ndata:\n  a: b`,
        `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: bad-${id}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: lots`,
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: third-${id}`,
      ].join('\n---\n'),
    );
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const results = page.getByTestId('create-results');
    await expect(results).toContainText(`Document 3 (line 18): created ConfigMap third-${id}`);
    await expect(results).toContainText(`Document 1 (line 1): created ConfigMap first-${id}`);
    await expect(results).toContainText(`PersistentVolumeClaim bad-${id} was not created`);
    await expect(results).toContainText('spec.resources.requests[storage]');
    await expect(results.getByRole('link', { name: `ConfigMap first-${id}` })).toHaveAttribute('href', `/k8s/ns/default/core~v1~ConfigMap/first-${id}`);
  });

  test('the YAML tab saves edits; a change made meanwhile is announced, refused as a conflict, and Reload shows it', async ({ page }) => {
    const name = `edited-${unique()}`;
    kubectlApply(configMap(name, { greeting: 'hello', color: 'blue' }));
    await page.goto(`${kura().baseURL}/k8s/ns/default/core~v1~ConfigMap/${name}`);
    await page.getByRole('tab', { name: 'YAML' }).click();
    const editor = page.getByRole('textbox', { name: `YAML of ConfigMap ${name}` });
    await expect(editor).toContainText('greeting: hello');
    await expect(editor).not.toContainText('managedFields');

    await typeAtEndOf(page, editor, 'greeting: hello', ' world');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('yaml-outcome')).toContainText(/Saved\. resourceVersion \d+/);
    expect(kubectl('get', 'configmap', name, '-n', 'default', '-o', 'jsonpath={.data.greeting}')).toBe('hello world');

    // Someone else changes it while we have unsaved edits.
    await typeAtEndOf(page, editor, 'greeting: hello world', '!');
    kubectl('patch', 'configmap', name, '-n', 'default', '--type=merge', '-p', '{"data":{"color":"green"}}');
    await expect(page.getByTestId('yaml-changed')).toContainText('changed on the server while you were editing');
    await page.getByRole('button', { name: 'Save' }).click();
    const outcome = page.getByTestId('yaml-outcome');
    await expect(outcome).toContainText('was changed by someone else since you loaded it');
    expect(kubectl('get', 'configmap', name, '-n', 'default', '-o', 'jsonpath={.data.greeting}')).toBe('hello world');

    await outcome.getByRole('button', { name: 'Reload' }).click();
    await expect(editor).toContainText('color: green');
    await expect(editor).not.toContainText('hello world!');
    await expect(page.getByTestId('yaml-outcome')).toHaveCount(0);
  });

  test('a 422 and unknown fields under Strict list their causes and mark their lines', async ({ page }) => {
    const name = `claim-${unique()}`;
    kubectlApply({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    await page.goto(`${kura().baseURL}/k8s/ns/default/core~v1~PersistentVolumeClaim/${name}?tab=yaml`);
    const editor = page.getByRole('textbox', { name: `YAML of PersistentVolumeClaim ${name}` });
    await expect(editor).toContainText('storage: 1Gi');

    await typeAtEndOf(page, editor, 'storage: 1Gi', 'lots', 3);
    await page.getByRole('button', { name: 'Save' }).click();
    const outcome = page.getByTestId('yaml-outcome');
    await expect(outcome).toContainText('is invalid');
    await expect(outcome).toContainText(/Line \d+: spec\.resources\.requests\[storage\]: Invalid value: "lots"/);
    await expect(editor.locator('.cm-line', { hasText: 'storage: lots' }).locator('.cm-lintRange-error')).toBeVisible();

    await typeAtEndOf(page, editor, 'storage: lots', '1Gi', 4);
    // Enter after "spec:" indents the new line under it.
    await typeAtEndOf(page, editor, /^spec:$/, '\nbogus: 1');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(outcome).toContainText('has fields its kind does not know');
    await expect(outcome).toContainText(/Line \d+: spec\.bogus: unknown field/);
    await expect(editor.locator('.cm-line', { hasText: 'bogus: 1' }).locator('.cm-lintRange-error')).toBeVisible();
  });
});

test.describe('a custom resource the user defined', () => {
  const crd = 'widgets.yaml.example.com';

  test.afterAll(() => {
    kubectl('delete', 'crd', crd, '--ignore-not-found', '--wait=false');
  });

  test('gets a list and an object page through discovery', async ({ page }) => {
    kubectlApply({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: crd },
      spec: {
        group: 'yaml.example.com',
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer', minimum: 1 } } } } } },
          },
        ],
      },
    });
    await expect(() => kubectlApply({ apiVersion: 'yaml.example.com/v1', kind: 'Widget', metadata: { name: 'sprocket', namespace: 'default' }, spec: { size: 3 } })).toPass();

    await signInAsAdmin(page);
    await page.goto(`${kura().baseURL}/k8s/ns/default/yaml.example.com~v1~Widget`);
    await expect(page.getByRole('heading', { name: 'Widgets', level: 1 })).toBeVisible();
    await expect(page.getByTestId('watch-state')).toHaveText('Live');
    await page.getByRole('link', { name: 'sprocket' }).click();
    await expect(page.getByRole('heading', { name: /sprocket/, level: 1 })).toBeVisible();
    await expect(page.getByText('Widget (yaml.example.com/v1)')).toBeVisible();
    await page.getByRole('tab', { name: 'YAML' }).click();
    const editor = page.getByRole('textbox', { name: 'YAML of Widget sprocket' });
    await expect(editor).toContainText('size: 3');

    // The CRD's own schema is enforced, and its complaint lands on the field's line.
    await typeAtEndOf(page, editor, 'size: 3', '0', 1);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('yaml-outcome')).toContainText(/Line \d+: spec\.size: Invalid value: 0/);
  });
});

test('a user who may only view sees Save disabled, and why', async ({ page }) => {
  const user = `viewer-${unique()}`;
  const out = execFileSync('npm', ['run', '--silent', 'kura', '--', 'user', 'add', user], { env: { ...process.env, KURA_DATA_DIR: kura().dataDir }, encoding: 'utf8' });
  const token = out.match(/kura_[\w-]+/)?.[0];
  expect(token, `no token in: ${out}`).toBeTruthy();
  const binding = `${user}-view`;
  try {
    kubectl('create', 'rolebinding', binding, '--clusterrole=view', `--user=${user}`, '-n', 'default');
  } catch {
    // kubectl create sends protobuf, which the embedded server may not decode yet (415): apply JSON instead.
    kubectlApply({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: binding, namespace: 'default' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    });
  }
  const name = `readonly-${unique()}`;
  kubectlApply(configMap(name, { a: 'b' }));

  await signInWithToken(page, token!);
  await page.goto(`${kura().baseURL}/k8s/ns/default/core~v1~ConfigMap/${name}?tab=yaml`);
  await expect(page.getByRole('textbox', { name: `YAML of ConfigMap ${name}` })).toContainText('a: b');
  const save = page.getByRole('button', { name: 'Save' });
  await expect(save).toBeDisabled();
  await save.hover();
  await expect(page.getByRole('tooltip')).toHaveText('You may not update ConfigMaps in namespace default.');

  await page.getByRole('button', { name: 'Actions' }).click();
  await expect(page.getByRole('menuitem', { name: 'Delete ConfigMap' })).toBeDisabled();
});
