import { describe, expect, it } from 'vitest';
import {
  buildDiscovery,
  findPreferredModel,
  findServedModel,
  groupVersionsToRead,
  kindAbbr,
  modelForManifest,
  modelsFromResourceList,
  parseGroupVersion,
  pluralLabel,
  supportsVerb,
  type APIResourceList,
} from './discovery';
import { PersistentVolumeClaimModel } from './models';

const coreV1: APIResourceList = {
  groupVersion: 'v1',
  resources: [
    { name: 'persistentvolumeclaims', singularName: 'persistentvolumeclaim', namespaced: true, kind: 'PersistentVolumeClaim', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['pvc'] },
    { name: 'persistentvolumeclaims/status', singularName: '', namespaced: true, kind: 'PersistentVolumeClaim', verbs: ['get', 'patch', 'update'] },
    { name: 'nodes', singularName: 'node', namespaced: false, kind: 'Node', verbs: ['get', 'list', 'watch'] },
  ],
};

const widgetsV1: APIResourceList = {
  groupVersion: 'example.com/v1',
  resources: [
    { name: 'widgets', singularName: 'widget', namespaced: true, kind: 'Widget', verbs: ['create', 'get', 'list', 'watch'], categories: ['all'] },
    { name: 'widgets/status', singularName: '', namespaced: true, kind: 'Widget', verbs: ['get', 'patch', 'update'] },
    { name: 'widgets/scale', singularName: '', namespaced: true, kind: 'Widget', verbs: ['get', 'patch', 'update'] },
  ],
};

describe('groupVersionsToRead', () => {
  it('lists the core versions and every version of every group, marking the preferred ones', () => {
    const refs = groupVersionsToRead(
      { versions: ['v1'] },
      {
        groups: [
          { name: 'example.com', versions: [{ groupVersion: 'example.com/v1', version: 'v1' }, { groupVersion: 'example.com/v1beta1', version: 'v1beta1' }], preferredVersion: { groupVersion: 'example.com/v1', version: 'v1' } },
          { name: 'old.example.com', versions: [{ groupVersion: 'old.example.com/v2', version: 'v2' }] },
        ],
      },
    );
    expect(refs).toEqual([
      { apiGroup: '', apiVersion: 'v1', path: '/api/v1', preferred: true },
      { apiGroup: 'example.com', apiVersion: 'v1', path: '/apis/example.com/v1', preferred: true },
      { apiGroup: 'example.com', apiVersion: 'v1beta1', path: '/apis/example.com/v1beta1', preferred: false },
      // No preferredVersion: the first listed one is preferred, as kubectl assumes.
      { apiGroup: 'old.example.com', apiVersion: 'v2', path: '/apis/old.example.com/v2', preferred: true },
    ]);
  });
});

describe('modelsFromResourceList', () => {
  it('makes one model per kind with its subresources, skipping the subresource entries', () => {
    const models = modelsFromResourceList(widgetsV1, true);
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({
      kind: 'Widget',
      apiGroup: 'example.com',
      apiVersion: 'v1',
      plural: 'widgets',
      singular: 'widget',
      namespaced: true,
      label: 'Widget',
      labelPlural: 'Widgets',
      abbr: 'W',
      subresources: ['status', 'scale'],
      categories: ['all'],
      preferred: true,
    });
  });

  it("takes labels from Kura's own model of a kind it knows", () => {
    const pvc = modelsFromResourceList(coreV1, true).find((m) => m.kind === 'PersistentVolumeClaim');
    expect(pvc).toMatchObject({ apiGroup: '', apiVersion: 'v1', abbr: 'PVC', labelPlural: 'PersistentVolumeClaims', shortNames: ['pvc'], subresources: ['status'] });
    expect(pvc?.createOnly).toBeUndefined();
  });

  it('marks kinds that can be created but never read back as create-only', () => {
    const [review] = modelsFromResourceList(
      { groupVersion: 'authorization.k8s.io/v1', resources: [{ name: 'selfsubjectaccessreviews', namespaced: false, kind: 'SelfSubjectAccessReview', verbs: ['create'] }] },
      true,
    );
    expect(review?.createOnly).toBe(true);
  });
});

describe('buildDiscovery', () => {
  it('keeps the group versions it could read and names those it could not', () => {
    const d = buildDiscovery([
      { ref: { apiGroup: '', apiVersion: 'v1', path: '/api/v1', preferred: true }, list: coreV1 },
      { ref: { apiGroup: 'metrics.k8s.io', apiVersion: 'v1beta1', path: '/apis/metrics.k8s.io/v1beta1', preferred: true }, error: 'service unavailable' },
      { ref: { apiGroup: 'example.com', apiVersion: 'v1', path: '/apis/example.com/v1', preferred: true }, list: widgetsV1 },
    ]);
    expect(d.models.map((m) => m.kind)).toEqual(['PersistentVolumeClaim', 'Node', 'Widget']);
    expect(d.failed).toEqual([{ groupVersion: 'metrics.k8s.io/v1beta1', message: 'service unavailable' }]);
  });
});

describe('finding models', () => {
  const models = [
    ...modelsFromResourceList(coreV1, true),
    ...modelsFromResourceList(widgetsV1, true),
    ...modelsFromResourceList({ ...widgetsV1, groupVersion: 'example.com/v1beta1' }, false),
  ];

  it.each([
    [{ apiGroup: 'example.com', apiVersion: 'v1beta1', kind: 'Widget' }, 'example.com/v1beta1'],
    [{ apiGroup: 'example.com', apiVersion: 'v2', kind: 'Widget' }, undefined],
    [{ apiGroup: '', apiVersion: 'v1', kind: 'Widget' }, undefined],
    [{ apiGroup: '', apiVersion: 'v1', kind: 'Node' }, 'v1'],
  ])('findServedModel(%o)', (gvk, expected) => {
    const m = findServedModel(models, gvk);
    expect(m ? (m.apiGroup ? `${m.apiGroup}/${m.apiVersion}` : m.apiVersion) : undefined).toBe(expected);
  });

  it('prefers the preferred version of a kind', () => {
    expect(findPreferredModel(models, 'example.com', 'Widget')?.apiVersion).toBe('v1');
    expect(findPreferredModel(models, 'example.com', 'Gadget')).toBeUndefined();
  });

  it.each([
    ['v1', 'PersistentVolumeClaim', 'persistentvolumeclaims'],
    ['example.com/v1', 'Widget', 'widgets'],
    ['example.com/v1', 'PersistentVolumeClaim', undefined],
    ['apps/v1', 'Deployment', undefined],
  ])('modelForManifest(%s, %s)', (apiVersion, kind, plural) => {
    expect(modelForManifest(models, apiVersion, kind)?.plural).toBe(plural);
  });

  it('knows which verbs a served kind supports, and assumes all for static models', () => {
    const node = findServedModel(models, { apiGroup: '', apiVersion: 'v1', kind: 'Node' })!;
    expect(supportsVerb(node, 'list')).toBe(true);
    expect(supportsVerb(node, 'create')).toBe(false);
    expect(supportsVerb(PersistentVolumeClaimModel, 'create')).toBe(true);
  });
});

describe('names', () => {
  it.each([
    ['Widget', 'Widgets', 'W'],
    ['NetworkPolicy', 'NetworkPolicies', 'NP'],
    ['StorageClass', 'StorageClasses', 'SC'],
    ['Gateway', 'Gateways', 'G'],
    ['VirtualMachineInstanceMigration', 'VirtualMachineInstanceMigrations', 'VMIM'],
  ])('%s', (kind, plural, abbr) => {
    expect(pluralLabel(kind)).toBe(plural);
    expect(kindAbbr(kind)).toBe(abbr);
  });

  it.each([
    ['v1', { apiGroup: '', apiVersion: 'v1' }],
    ['example.com/v1alpha1', { apiGroup: 'example.com', apiVersion: 'v1alpha1' }],
  ])('parseGroupVersion(%s)', (gv, expected) => {
    expect(parseGroupVersion(gv)).toEqual(expected);
  });
});
