import { describe, expect, it } from 'vitest';
import type { DataSource, DataVolume } from '../cdi';
import type { K8sObject } from '../k8s';
import { bootableReason, bootableRows } from './bootable';

const dv = (name: string, labels?: Record<string, string>): DataVolume => ({
  metadata: { name, namespace: 'os', ...(labels ? { labels } : {}) },
  spec: { source: { registry: { url: 'docker://quay.io/containerdisks/fedora:40' } }, storage: { resources: { requests: { storage: '5Gi' } } } },
  status: { phase: 'Succeeded' },
});

const pvc = (name: string, labels?: Record<string, string>, ownerDv?: string): K8sObject => ({
  metadata: {
    name,
    namespace: 'os',
    ...(labels ? { labels } : {}),
    ...(ownerDv ? { ownerReferences: [{ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume', name: ownerDv, uid: 'u' }] } : {}),
  },
  spec: { resources: { requests: { storage: '5Gi' } } },
  status: { phase: 'Bound', capacity: { storage: '6Gi' } },
});

describe('bootableReason', () => {
  it.each<[Record<string, string> | undefined, boolean]>([
    [{ 'kura.dev/bootable': 'true' }, true],
    [{ 'kura.dev/bootable': 'false' }, false],
    [{ 'cdi.kubevirt.io/dataImportCron': 'fedora-cron' }, true],
    [{ 'instancetype.kubevirt.io/default-preference': 'fedora' }, true],
    [{ app: 'x' }, false],
    [undefined, false],
  ])('%j', (labels, listed) => {
    expect(Boolean(bootableReason({ metadata: { name: 'x', ...(labels ? { labels } : {}) } }))).toBe(listed);
  });
});

describe('bootableRows', () => {
  it('lists DataSources and labelled volumes once each', () => {
    const ds: DataSource & K8sObject = {
      metadata: { name: 'fedora', namespace: 'os', labels: { 'instancetype.kubevirt.io/default-preference': 'fedora' } },
      spec: { source: { pvc: { name: 'fedora-40' } } },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    };
    const rows = bootableRows({
      dataSources: [ds],
      dataVolumes: [dv('fedora-40', { 'kura.dev/bootable': 'true' }), dv('scratch')],
      claims: [pvc('fedora-40', { 'kura.dev/bootable': 'true' }, 'fedora-40'), pvc('golden', { 'kura.dev/bootable': 'true' }), pvc('plain')],
    });
    expect(rows.map((r) => `${r.kind} ${r.name}`)).toEqual(['DataSource fedora', 'DataVolume fedora-40', 'PersistentVolumeClaim golden']);
    expect(rows[0]).toMatchObject({ source: 'PVC os/fedora-40', status: { text: 'Ready', tone: 'success' }, sizeBytes: 6 * 2 ** 30, preference: 'fedora' });
    expect(rows[1]).toMatchObject({ source: 'registry docker://quay.io/containerdisks/fedora:40', status: { text: 'Succeeded' }, sizeBytes: 5 * 2 ** 30 });
    expect(rows[2]).toMatchObject({ source: 'claim', status: { text: 'Bound' } });
  });

  it('says why a DataSource is not ready', () => {
    const [row] = bootableRows({
      dataSources: [{ metadata: { name: 'x', namespace: 'os' }, spec: { source: { pvc: { name: 'gone' } } }, status: { conditions: [{ type: 'Ready', status: 'False', reason: 'NotFound', message: 'PVC os/gone not found' }] } } as DataSource],
      dataVolumes: [],
      claims: [],
    });
    expect(row?.status).toEqual({ text: 'Not ready', tone: 'warning', detail: 'PVC os/gone not found' });
  });
});
