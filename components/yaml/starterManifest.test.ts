import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ConfigMapModel,
  DataVolumeModel,
  NamespaceModel,
  PersistentVolumeClaimModel,
  StorageClassModel,
  VirtualMachineModel,
  VolumeSnapshotModel,
} from '@/lib/k8s/models';
import { emptyManifestHint, starterManifest } from './starterManifest';

describe('starterManifest', () => {
  it.each([
    [PersistentVolumeClaimModel, { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    [StorageClassModel, { provisioner: 'example.csi.k8s.io' }],
    [VirtualMachineModel, { spec: { runStrategy: 'Halted', template: { spec: { domain: { cpu: { cores: 1 } } } } } }],
    [DataVolumeModel, { spec: { source: { blank: {} }, storage: { resources: { requests: { storage: '1Gi' } } } } }],
    [VolumeSnapshotModel, { spec: { source: { persistentVolumeClaimName: 'my-pvc' } } }],
    [ConfigMapModel, { data: { key: 'value' } }],
  ])('$kind has apiVersion, kind, name, namespace and a minimal spec', (model, body) => {
    const obj = parse(starterManifest(model, 'team-a'));
    expect(obj).toMatchObject({ kind: model.kind, metadata: { name: 'example' }, ...body });
    expect(obj.apiVersion).toBe(model.apiGroup ? `${model.apiGroup}/${model.apiVersion}` : model.apiVersion);
    expect(obj.metadata.namespace).toBe(model.namespaced ? 'team-a' : undefined);
  });

  it('gives an unknown kind only apiVersion, kind and metadata', () => {
    const obj = parse(starterManifest({ apiGroup: 'example.com', apiVersion: 'v1', kind: 'Widget', namespaced: true }, 'default'));
    expect(obj).toEqual({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'example', namespace: 'default' } });
  });

  it('leaves the namespace out of cluster-scoped kinds', () => {
    expect(parse(starterManifest(NamespaceModel, 'default'))).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'example' } });
  });

  it('starts an empty editor with a valid object', () => {
    expect(parse(emptyManifestHint)).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'example' } });
  });
});
