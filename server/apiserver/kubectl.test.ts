// The embedded API server as kubectl users meet it: the real kubectl v1.32
// binary against a real server in a temporary data directory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from './auth';
import { startTestCluster, type TestCluster } from './testing/harness';

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster();
}, 60_000);
afterAll(async () => {
  await c?.stop();
});

const k = (...args: string[]) => c.kubectl(args);
const json = async (...args: string[]) => JSON.parse((await k(...args, '-o', 'json')).stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('kubectl against the embedded API server', () => {
  it('lists every served kind with its short names in api-resources', async () => {
    const { stdout } = await k('api-resources');
    for (const [name, short] of [
      ['virtualmachines', 'vm,vms'],
      ['virtualmachineinstances', 'vmi,vmis'],
      ['datavolumes', 'dv,dvs'],
      ['persistentvolumeclaims', 'pvc'],
      ['persistentvolumes', 'pv'],
      ['storageclasses', 'sc'],
      ['volumesnapshots', 'vs'],
      ['volumesnapshotcontents', 'vsc,vscs'],
      ['namespaces', 'ns'],
    ]) {
      expect(stdout).toMatch(new RegExp(`^${name}\\s+${short}\\s`, 'm'));
    }
  });

  it('applies a multi-document file: creates, then updates', async () => {
    const manifest = (value: string) => `
apiVersion: v1
kind: Namespace
metadata:
  name: apply-test
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: apply-test
data:
  mode: "${value}"
---
apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: vm1
  namespace: apply-test
spec:
  runStrategy: Halted
  template:
    spec:
      domain:
        devices: {}
        resources:
          requests:
            memory: 128Mi
`;
    const first = await c.kubectl(['apply', '-f', '-'], { input: manifest('a') });
    expect(first.stdout).toContain('namespace/apply-test created');
    expect(first.stdout).toContain('configmap/settings created');
    expect(first.stdout).toContain('virtualmachine.kubevirt.io/vm1 created');
    const second = await c.kubectl(['apply', '-f', '-'], { input: manifest('b') });
    expect(second.stdout).toContain('namespace/apply-test unchanged');
    expect(second.stdout).toContain('configmap/settings configured');
    expect(second.stdout).toContain('virtualmachine.kubevirt.io/vm1 unchanged');
    expect((await json('get', 'cm', 'settings', '-n', 'apply-test')).data.mode).toBe('b');
  });

  it('prints tables with the columns of the real projects, and yaml, json and wide', async () => {
    const vm = (await k('get', 'vm', '-n', 'apply-test')).stdout;
    expect(vm.split('\n')[0]).toMatch(/^NAME\s+AGE\s+STATUS\s+READY$/);
    await c.kubectl(['apply', '-f', '-'], {
      input: '{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"disk","namespace":"apply-test"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}',
    });
    const pvc = (await k('get', 'pvc', '-n', 'apply-test', '-o', 'wide')).stdout.split('\n');
    expect(pvc[0]).toMatch(/^NAME\s+STATUS\s+VOLUME\s+CAPACITY\s+ACCESS MODES\s+STORAGECLASS\s+VOLUMEATTRIBUTESCLASS\s+AGE\s+VOLUMEMODE$/);
    expect(pvc[1]).toMatch(/^disk\s+Pending\s+<unset>\s+\S+\s+Filesystem$/);
    expect((await k('get', 'pvc', '-n', 'apply-test')).stdout).not.toContain('VOLUMEMODE');
    const ns = (await k('get', 'ns', 'apply-test', '-o', 'wide')).stdout;
    expect(ns).toMatch(/^NAME\s+STATUS\s+AGE/);
    expect(ns).toMatch(/apply-test\s+Active/);
    const yaml = (await k('get', 'cm', 'settings', '-n', 'apply-test', '-o', 'yaml')).stdout;
    expect(yaml).toContain('kind: ConfigMap');
    expect(yaml).toMatch(/resourceVersion: "\d+"/);
    const obj = await json('get', 'vm', 'vm1', '-n', 'apply-test');
    expect(obj.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(obj.metadata.generation).toBe(1);
    const crds = (await k('get', 'crd')).stdout;
    expect(crds.split('\n')[0]).toMatch(/^NAME\s+CREATED AT$/);
  });

  it('watches with get -w: ADDED, MODIFIED, DELETED', async () => {
    const w = c.spawnKubectl(['get', 'cm', '-n', 'apply-test', '-w', '--output-watch-events']);
    try {
      await expect.poll(w.output, { timeout: 10_000 }).toMatch(/ADDED\s+settings/);
      await c.kubectl(['apply', '-f', '-'], { input: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"watched","namespace":"apply-test"},"data":{"x":"1"}}' });
      await k('patch', 'cm', 'watched', '-n', 'apply-test', '--type', 'merge', '-p', '{"data":{"x":"2"}}');
      await k('delete', 'cm', 'watched', '-n', 'apply-test');
      await expect.poll(w.output, { timeout: 10_000 }).toMatch(/ADDED\s+watched[\s\S]*MODIFIED\s+watched[\s\S]*DELETED\s+watched/);
      // One header only, as kubectl prints for a real server.
      expect(w.output().match(/EVENT\s+NAME/g)).toHaveLength(1);
    } finally {
      w.stop();
    }
  });

  it('waits for a jsonpath condition', async () => {
    const waiting = c.kubectl(['wait', 'cm/settings', '-n', 'apply-test', '--for=jsonpath={.data.ready}=yes', '--timeout=20s']);
    await new Promise((r) => setTimeout(r, 500));
    await k('patch', 'cm', 'settings', '-n', 'apply-test', '--type', 'merge', '-p', '{"data":{"ready":"yes"}}');
    expect((await waiting).stdout).toContain('condition met');
  });

  it('patches with merge, JSON and strategic patches, and refuses strategic merge for custom resources like Kubernetes', async () => {
    await k('patch', 'cm', 'settings', '-n', 'apply-test', '--type', 'merge', '-p', '{"data":{"m":"1"}}');
    await k('patch', 'cm', 'settings', '-n', 'apply-test', '--type', 'json', '-p', '[{"op":"add","path":"/data/j","value":"2"}]');
    await k('patch', 'cm', 'settings', '-n', 'apply-test', '-p', '{"data":{"s":"3"}}');
    const data = (await json('get', 'cm', 'settings', '-n', 'apply-test')).data;
    expect(data).toMatchObject({ m: '1', j: '2', s: '3' });
    const refused = await c.kubectl(['patch', 'vm', 'vm1', '-n', 'apply-test', '-p', '{"spec":{"runStrategy":"Always"}}'], { allowFail: true });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('application/strategic-merge-patch+json is not supported');
    await k('patch', 'vm', 'vm1', '-n', 'apply-test', '--type', 'merge', '-p', '{"spec":{"runStrategy":"Always"}}');
    const vm = await json('get', 'vm', 'vm1', '-n', 'apply-test');
    expect(vm.spec.runStrategy).toBe('Always');
    expect(vm.metadata.generation).toBe(2);
    const failing = await c.kubectl(['patch', 'cm', 'settings', '-n', 'apply-test', '--type', 'json', '-p', '[{"op":"test","path":"/data/m","value":"nope"}]'], { allowFail: true });
    expect(failing.code).not.toBe(0);
  });

  it('labels, annotates and selects by label and field', async () => {
    await k('label', 'cm', 'settings', '-n', 'apply-test', 'tier=gold');
    await k('annotate', 'cm', 'settings', '-n', 'apply-test', 'note=hello');
    const obj = await json('get', 'cm', 'settings', '-n', 'apply-test');
    expect(obj.metadata.labels.tier).toBe('gold');
    expect(obj.metadata.annotations.note).toBe('hello');
    expect((await k('get', 'cm', '-n', 'apply-test', '-l', 'tier in (gold,silver)', '-o', 'name')).stdout.trim()).toBe('configmap/settings');
    expect((await k('get', 'cm', '-n', 'apply-test', '-l', 'tier!=gold', '-o', 'name')).stdout.trim()).toBe('');
    expect((await k('get', 'cm', '-A', '--field-selector', 'metadata.name=settings', '-o', 'name')).stdout.trim()).toBe('configmap/settings');
    const bad = await c.kubectl(['get', 'cm', '-A', '--field-selector', 'spec.nothing=1'], { allowFail: true });
    expect(bad.stderr).toContain('field label not supported');
  });

  it('deletes an object with a finalizer only once the finalizer is removed', async () => {
    await c.kubectl(['apply', '-f', '-'], { input: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"held","namespace":"apply-test","finalizers":["example.com/hold"]}}' });
    let finished = false;
    const deleting = c.kubectl(['delete', 'cm', 'held', '-n', 'apply-test', '--timeout=20s']).then((r) => ((finished = true), r));
    await new Promise((r) => setTimeout(r, 1500));
    expect(finished).toBe(false);
    const held = await json('get', 'cm', 'held', '-n', 'apply-test');
    expect(held.metadata.deletionTimestamp).toBeTruthy();
    await k('patch', 'cm', 'held', '-n', 'apply-test', '--type', 'json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]');
    expect((await deleting).stdout).toContain('deleted');
    const gone = await c.kubectl(['get', 'cm', 'held', '-n', 'apply-test'], { allowFail: true });
    expect(gone.stderr).toContain('NotFound');
  });

  it('deletes a namespace with everything in it', async () => {
    await c.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'doomed' } },
        { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p', namespace: 'doomed' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
      ] }),
    });
    await k('delete', 'namespace', 'doomed', '--timeout=30s');
    expect((await c.kubectl(['get', 'ns', 'doomed'], { allowFail: true })).stderr).toContain('NotFound');
    expect((await k('get', 'cm,pvc', '-n', 'doomed', '-o', 'name')).stdout.trim()).toBe('');
  });

  it('answers auth can-i for the admin and for a restricted user', async () => {
    expect((await c.kubectl(['auth', 'can-i', 'create', 'pvc', '-n', 'apply-test'])).stdout.trim()).toBe('yes');
    const { token } = addUser(c.dir, 'alice', ['team-a']);
    const asAlice = (args: string[]) => c.kubectl(args, { token, allowFail: true });
    expect((await asAlice(['auth', 'can-i', 'create', 'pvc', '-n', 'apply-test'])).stdout.trim()).toBe('no');
    await c.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'alice-edit', namespace: 'apply-test' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }] }),
    });
    await expect.poll(async () => (await asAlice(['auth', 'can-i', 'create', 'pvc', '-n', 'apply-test'])).stdout.trim()).toBe('yes');
    expect((await asAlice(['auth', 'can-i', 'create', 'rolebindings', '-n', 'apply-test'])).stdout.trim()).toBe('no');
    expect((await asAlice(['auth', 'can-i', 'create', 'pvc', '-n', 'default'])).stdout.trim()).toBe('no');
    const denied = await asAlice(['get', 'cm', '-n', 'default']);
    expect(denied.stderr).toContain('User "alice" cannot list resource "configmaps" in API group "" in the namespace "default"');
    const bad = await c.kubectl(['get', 'ns'], { token: 'kura_made-up', allowFail: true });
    expect(bad.stderr).toMatch(/Unauthorized|provide credentials/);
  });

  it('explains the served kinds', async () => {
    const pvc = (await k('explain', 'pvc.spec')).stdout;
    expect(pvc).toContain('KIND:       PersistentVolumeClaim');
    expect(pvc).toMatch(/accessModes\s+<\[\]string>/);
    const vm = (await k('explain', 'vm.spec.runStrategy')).stdout;
    expect(vm).toContain('GROUP:      kubevirt.io');
    const dv = (await k('explain', 'dv.spec')).stdout;
    expect(dv).toContain('DataVolume');
  });

  it('validates strictly: unknown fields, invalid names and quantities change nothing', async () => {
    const unknown = await c.kubectl(['apply', '-f', '-'], { input: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"strict","namespace":"apply-test"},"dta":{"x":"1"}}', allowFail: true });
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('unknown field "dta"');
    const badName = await c.kubectl(['apply', '-f', '-'], { input: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Bad_Name","namespace":"apply-test"}}', allowFail: true });
    expect(badName.stderr).toContain('a lowercase RFC 1123 subdomain');
    const badQuantity = await c.kubectl(['apply', '-f', '-'], {
      input: '{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"q","namespace":"apply-test"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"lots"}}}}',
      allowFail: true,
    });
    expect(badQuantity.stderr).toContain('quantities must match the regular expression');
    expect((await k('get', 'cm,pvc', '-n', 'apply-test', '-o', 'name')).stdout).not.toMatch(/strict|Bad_Name|persistentvolumeclaim\/q/);
  });
});
