// Custom resources' schemas: KubeVirt and CDI kinds read from the kubevirt-api
// declarations, the hand-written CSI snapshot and StorageProfile kinds.
import { describe, expect, it } from 'vitest';
import type { JSONSchemaProps } from '@/server/apiserver/registry/types';
import { checkStructural } from './checkstructural';
import { customResourceSchemas } from './custom';
import { schemaForKubevirtType } from './kubevirt';
import { findUnknownFields, validateAgainstSchema } from './validate';

function at(schema: JSONSchemaProps | undefined, path: string): JSONSchemaProps | undefined {
  let node = schema;
  for (const step of path.split('.')) {
    if (!node) return undefined;
    if (step === '[]') node = node.items;
    else if (step === '{}') node = node.additionalProperties as JSONSchemaProps | undefined;
    else node = node.properties?.[step];
  }
  return node;
}

const schemas = customResourceSchemas();
const get = (key: string) => schemas.get(key);

describe('customResourceSchemas', () => {
  it.each([
    'kubevirt.io/v1/VirtualMachine',
    'kubevirt.io/v1/VirtualMachineInstance',
    'kubevirt.io/v1/VirtualMachineInstanceMigration',
    'snapshot.kubevirt.io/v1beta1/VirtualMachineSnapshot',
    'snapshot.kubevirt.io/v1beta1/VirtualMachineSnapshotContent',
    'snapshot.kubevirt.io/v1beta1/VirtualMachineRestore',
    'instancetype.kubevirt.io/v1beta1/VirtualMachineInstancetype',
    'instancetype.kubevirt.io/v1beta1/VirtualMachineClusterInstancetype',
    'instancetype.kubevirt.io/v1beta1/VirtualMachinePreference',
    'instancetype.kubevirt.io/v1beta1/VirtualMachineClusterPreference',
    'cdi.kubevirt.io/v1beta1/DataVolume',
    'cdi.kubevirt.io/v1beta1/DataSource',
    'cdi.kubevirt.io/v1beta1/StorageProfile',
    'upload.cdi.kubevirt.io/v1beta1/UploadTokenRequest',
    'snapshot.storage.k8s.io/v1/VolumeSnapshot',
    'snapshot.storage.k8s.io/v1/VolumeSnapshotClass',
    'snapshot.storage.k8s.io/v1/VolumeSnapshotContent',
  ])('%s: a structural CRD-style root', (key) => {
    const s = get(key);
    expect(s?.type).toBe('object');
    expect(s?.properties?.apiVersion?.type).toBe('string');
    expect(s?.properties?.kind?.type).toBe('string');
    expect(s?.properties?.metadata).toEqual({ type: 'object' });
    expect(s?.required ?? []).not.toContain('status');
    expect(s?.required ?? []).not.toContain('metadata');
    expect(checkStructural(s)).toEqual([]);
  });

  it('is built once', () => {
    expect(customResourceSchemas()).toBe(schemas);
  });

  it('carries no Kura hints (these schemas go into CustomResourceDefinitions as they are)', () => {
    expect(JSON.stringify([...schemas.values()])).not.toContain('x-kura-');
  });
});

describe('KubeVirt and CDI schemas', () => {
  const vm = get('kubevirt.io/v1/VirtualMachine');
  const dv = get('cdi.kubevirt.io/v1beta1/DataVolume');

  it.each<[string, string, JSONSchemaProps]>([
    // Embedded templates keep their metadata as sent, as KubeVirt's own CRDs do.
    ['VM', 'spec.template.metadata', { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }],
    ['VM', 'spec.dataVolumeTemplates.[].metadata', { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }],
    ['VM', 'spec.template.spec.domain.memory.guest', { 'x-kubernetes-int-or-string': true }],
    ['VM', 'spec.template.spec.domain.resources.requests.{}', { 'x-kubernetes-int-or-string': true }],
    ['VM', 'spec.dataVolumeTemplates.[].spec.storage.resources.requests.{}', { 'x-kubernetes-int-or-string': true }],
    ['VM', 'spec.template.spec.domain.cpu.cores', { type: 'integer' }],
    ['VM', 'spec.template.spec.readinessProbe.httpGet.port', { 'x-kubernetes-int-or-string': true }],
    ['VM', 'spec.dataVolumeTemplates.[].status', { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }],
    ['DV', 'spec.storage.resources.requests.{}', { 'x-kubernetes-int-or-string': true }],
    ['DV', 'spec.storage.volumeMode', { type: 'string' }],
    ['DV', 'status.conditions.[].lastTransitionTime', { type: 'string', format: 'date-time' }],
    ['DV', 'status.restartCount', { type: 'integer' }],
  ])('%s %s', (which, path, expected) => {
    const node = at(which === 'VM' ? vm : dv, path);
    const { description: _d, ...rest } = node ?? {};
    expect(node && rest).toEqual(expected);
  });

  it('fields keep their descriptions; quantities get a short one', () => {
    expect(vm?.description).toMatch(/^VirtualMachine handles the VirtualMachines/);
    expect(at(vm, 'spec.runStrategy')?.description).toBeTruthy();
    expect(at(vm, 'spec.template.spec.domain.memory.guest')?.description).toMatch(/^A quantity/);
  });

  it('required fields come from the declarations', () => {
    expect(vm?.required).toEqual(['spec']);
    expect(at(vm, 'spec.template.spec.domain')?.required).toEqual(['devices']);
    expect(at(vm, 'spec.template.spec.readinessProbe.httpGet')?.required).toEqual(['port']);
  });

  it('an unknown interface name preserves its content', () => {
    expect(schemaForKubevirtType('kubevirt', 'V1NoSuchThing')).toEqual({ 'x-kubernetes-preserve-unknown-fields': true });
  });

  it('a realistic VirtualMachine validates, with no unknown fields', () => {
    const obj = {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachine',
      metadata: { name: 'vm1', namespace: 'default', labels: { app: 'x' } },
      spec: {
        runStrategy: 'Always',
        dataVolumeTemplates: [
          {
            metadata: { name: 'root', labels: { a: 'b' } },
            spec: { source: { http: { url: 'https://example.org/disk.qcow2' } }, storage: { resources: { requests: { storage: '10Gi' } } } },
          },
        ],
        template: {
          metadata: { labels: { 'kubevirt.io/domain': 'vm1' } },
          spec: {
            domain: {
              cpu: { cores: 2 },
              memory: { guest: '2Gi' },
              resources: { requests: { memory: 2147483648 } },
              devices: { disks: [{ name: 'root', disk: { bus: 'virtio' } }], interfaces: [{ name: 'default', masquerade: {} }] },
            },
            networks: [{ name: 'default', pod: {} }],
            volumes: [{ name: 'root', dataVolume: { name: 'root' } }],
          },
        },
      },
    };
    expect(findUnknownFields(obj, vm!)).toEqual([]);
    expect(validateAgainstSchema(obj, vm!)).toEqual([]);
  });
});

describe('CSI snapshot schemas', () => {
  const vs = get('snapshot.storage.k8s.io/v1/VolumeSnapshot')!;
  const vsc = get('snapshot.storage.k8s.io/v1/VolumeSnapshotClass')!;
  const content = get('snapshot.storage.k8s.io/v1/VolumeSnapshotContent')!;
  const snapshot = (source: object) => ({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', metadata: { name: 's' }, spec: { source } });

  it('a snapshot of a claim is valid', () => {
    expect(validateAgainstSchema(snapshot({ persistentVolumeClaimName: 'data' }), vs)).toEqual([]);
  });

  it('exactly one source', () => {
    const both = validateAgainstSchema(snapshot({ persistentVolumeClaimName: 'a', volumeSnapshotContentName: 'b' }), vs);
    expect(both.map((c) => c.message)).toEqual(['Invalid value: "": "spec.source" must validate one and only one schema (oneOf). Found 2 valid alternatives']);
    expect(validateAgainstSchema(snapshot({}), vs)[0]?.message).toMatch(/Found none valid/);
  });

  it('a class needs a driver and a deletion policy of Delete or Retain', () => {
    const causes = validateAgainstSchema({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'c' }, deletionPolicy: 'Keep' }, vsc);
    expect(causes).toEqual([
      { reason: 'FieldValueRequired', field: 'driver', message: 'Required value' },
      { reason: 'FieldValueNotSupported', field: 'deletionPolicy', message: 'Unsupported value: "Keep": supported values: "Delete", "Retain"' },
    ]);
  });

  it('content times are nanoseconds (int64), snapshot times are date-times', () => {
    expect(at(content, 'status.creationTime')).toMatchObject({ type: 'integer', format: 'int64' });
    expect(at(vs, 'status.creationTime')).toMatchObject({ type: 'string', format: 'date-time' });
    expect(at(content, 'spec.volumeSnapshotRef')?.['x-kubernetes-map-type']).toBe('atomic');
  });
});
