// The OpenAPI documents: shapes kubectl relies on (GVK extensions, the
// fieldValidation parameter, references that resolve), and the cache.
import { describe, expect, it } from 'vitest';
import { CustomResourceDefinitionModel, defineModel } from '@/lib/k8s/models';
import type { ResourceDef } from '@/server/apiserver/registry/types';
import { OpenApiDocuments, groupVersionPath, openApiV2, openApiV3GroupVersion, openApiV3Index } from './openapi';
import { classDefinitionName, definitionName } from './openapi-defs';
import { testResourceDefs } from './testdefs';

type Doc = Record<string, unknown> & { paths: Record<string, Record<string, unknown>> };
type Op = { parameters: Array<{ name: string; in: string }>; 'x-kubernetes-group-version-kind': object; 'x-kubernetes-action': string };

const defs = testResourceDefs();
const v2 = openApiV2(defs) as Doc & { definitions: Record<string, Record<string, unknown>> };
const core = openApiV3GroupVersion(defs, 'api/v1') as Doc & { components: { schemas: Record<string, Record<string, unknown>> } };
const kubevirt = openApiV3GroupVersion(defs, 'apis/kubevirt.io/v1') as typeof core;

/** Every $ref in a document, and whether it points at something in it. */
function refs(doc: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string') out.push(x);
        else walk(x);
      }
    }
  };
  walk(doc);
  return out;
}

function resolve(doc: Record<string, unknown>, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], doc);
}

describe('definition names', () => {
  it.each([
    ['', 'v1', 'PersistentVolumeClaim', 'io.k8s.api.core.v1.PersistentVolumeClaim'],
    ['storage.k8s.io', 'v1', 'StorageClass', 'io.k8s.api.storage.v1.StorageClass'],
    ['rbac.authorization.k8s.io', 'v1', 'Role', 'io.k8s.api.rbac.v1.Role'],
    ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition'],
    ['kubevirt.io', 'v1', 'VirtualMachine', 'io.kubevirt.v1.VirtualMachine'],
    ['cdi.kubevirt.io', 'v1beta1', 'DataVolume', 'io.kubevirt.cdi.v1beta1.DataVolume'],
    ['snapshot.storage.k8s.io', 'v1', 'VolumeSnapshot', 'io.k8s.storage.snapshot.v1.VolumeSnapshot'],
  ])('%s/%s %s', (group, version, kind, name) => {
    expect(definitionName(group, version, kind)).toBe(name);
  });

  it.each([
    ['V1PersistentVolumeClaimSpec', '', 'io.k8s.api.core.v1.PersistentVolumeClaimSpec'],
    ['V1ObjectMeta', '', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'],
    ['V1TopologySelectorTerm', 'storage.k8s.io', 'io.k8s.api.core.v1.TopologySelectorTerm'],
    ['RbacV1Subject', 'rbac.authorization.k8s.io', 'io.k8s.api.rbac.v1.Subject'],
    ['V1PolicyRule', 'rbac.authorization.k8s.io', 'io.k8s.api.rbac.v1.PolicyRule'],
  ])('class %s in %j', (className, group, name) => {
    expect(classDefinitionName(className, group)).toBe(name);
  });
});

describe('openApiV2', () => {
  it('is Swagger 2.0 with definitions for built-ins and custom resources', () => {
    expect(v2.swagger).toBe('2.0');
    expect(v2.definitions['io.k8s.api.core.v1.PersistentVolumeClaim']?.['x-kubernetes-group-version-kind']).toEqual([{ group: '', version: 'v1', kind: 'PersistentVolumeClaim' }]);
    expect(v2.definitions['io.kubevirt.v1.VirtualMachine']?.['x-kubernetes-group-version-kind']).toEqual([{ group: 'kubevirt.io', version: 'v1', kind: 'VirtualMachine' }]);
    expect(v2.definitions['io.k8s.api.core.v1.PersistentVolumeClaimList']).toBeDefined();
    expect(v2.definitions['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']).toBeDefined();
  });

  it('has no OpenAPI 3 keywords', () => {
    const text = JSON.stringify(v2);
    expect(text).not.toMatch(/"(oneOf|anyOf|nullable)":/);
    expect(text).not.toContain('#/components/');
    expect(text).not.toContain('x-kura-');
  });

  it('every $ref resolves', () => {
    for (const ref of new Set(refs(v2))) expect(resolve(v2, ref), ref).toBeDefined();
  });

  it('POST, PUT and PATCH take fieldValidation, dryRun and fieldManager; each operation names its GVK', () => {
    const item = v2.paths['/api/v1/namespaces/{namespace}/persistentvolumeclaims/{name}']!;
    const collection = v2.paths['/api/v1/namespaces/{namespace}/persistentvolumeclaims']!;
    for (const op of [collection.post, item.put, item.patch] as Op[]) {
      const names = op.parameters.filter((p) => p.in === 'query').map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(['fieldValidation', 'dryRun', 'fieldManager']));
      expect(op['x-kubernetes-group-version-kind']).toEqual({ group: '', kind: 'PersistentVolumeClaim', version: 'v1' });
    }
    expect((item.patch as { consumes: string[] }).consumes).toContain('application/strategic-merge-patch+json');
    const vmPatch = v2.paths['/apis/kubevirt.io/v1/namespaces/{namespace}/virtualmachines/{name}']!.patch as { consumes: string[] };
    expect(vmPatch.consumes).not.toContain('application/strategic-merge-patch+json');
  });
});

describe('openApiV3Index', () => {
  const index = openApiV3Index(defs);
  it('lists each group-version with a hashed URL', () => {
    expect(Object.keys(index.paths)).toEqual(expect.arrayContaining(['api/v1', 'apis/storage.k8s.io/v1', 'apis/kubevirt.io/v1', 'apis/cdi.kubevirt.io/v1beta1']));
    expect(index.paths['api/v1']?.serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
  });

  it('the hash is stable and follows the content', () => {
    expect(openApiV3Index(testResourceDefs())).toEqual(index);
    const fewer = defs.filter((d) => d.model.kind !== 'Secret');
    expect(openApiV3Index(fewer).paths['api/v1']).not.toEqual(index.paths['api/v1']);
    expect(openApiV3Index(fewer).paths['apis/kubevirt.io/v1']).toEqual(index.paths['apis/kubevirt.io/v1']);
  });
});

describe('openApiV3GroupVersion', () => {
  it('is OpenAPI 3.0 with the group-version\'s kinds and the meta types', () => {
    expect(core.openapi).toBe('3.0.0');
    const schemas = core.components.schemas;
    expect(schemas['io.k8s.api.core.v1.PersistentVolumeClaim']?.['x-kubernetes-group-version-kind']).toEqual([{ group: '', version: 'v1', kind: 'PersistentVolumeClaim' }]);
    expect(schemas['io.k8s.api.core.v1.PersistentVolumeClaimList']?.['x-kubernetes-group-version-kind']).toEqual([{ group: '', version: 'v1', kind: 'PersistentVolumeClaimList' }]);
    for (const name of ['ObjectMeta', 'ListMeta', 'Status', 'DeleteOptions', 'Patch']) {
      expect(schemas[`io.k8s.apimachinery.pkg.apis.meta.v1.${name}`], name).toBeDefined();
    }
    expect(schemas['io.kubevirt.v1.VirtualMachine']).toBeUndefined();
  });

  it('every $ref resolves, in every group-version', () => {
    for (const gv of Object.keys(openApiV3Index(defs).paths)) {
      const doc = openApiV3GroupVersion(defs, gv) as Record<string, unknown>;
      for (const ref of new Set(refs(doc))) expect(resolve(doc, ref), `${gv} ${ref}`).toBeDefined();
    }
  });

  it('a chain of references: PVC → spec → resources → requests → Quantity', () => {
    const schemas = core.components.schemas;
    const pvc = schemas['io.k8s.api.core.v1.PersistentVolumeClaim'] as { properties: Record<string, { allOf?: Array<{ $ref: string }> }> };
    const specRef = pvc.properties.spec?.allOf?.[0]?.$ref;
    expect(specRef).toBe('#/components/schemas/io.k8s.api.core.v1.PersistentVolumeClaimSpec');
    const spec = resolve(core, specRef!) as { properties: Record<string, { allOf?: Array<{ $ref: string }> }> };
    const resources = resolve(core, spec.properties.resources!.allOf![0]!.$ref) as { properties: Record<string, { additionalProperties: { $ref: string } }> };
    const quantityRef = resources.properties.requests?.additionalProperties.$ref;
    expect(quantityRef).toBe('#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity');
    expect(resolve(core, quantityRef!)).toEqual({ 'x-kubernetes-int-or-string': true });
  });

  it('custom resources are inline, with ObjectMeta for metadata', () => {
    const vm = kubevirt.components.schemas['io.kubevirt.v1.VirtualMachine'] as { properties: Record<string, Record<string, unknown>> };
    expect(vm.properties.metadata?.allOf).toEqual([{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    expect((vm.properties.spec?.properties as Record<string, unknown>).template).toBeDefined();
  });

  it('PATCH operations carry fieldValidation and the GVK kubectl matches them by', () => {
    const patches = Object.values(kubevirt.paths)
      .map((p) => p.patch as Op | undefined)
      .filter((p): p is Op => !!p);
    expect(patches.length).toBeGreaterThan(0);
    for (const op of patches) {
      expect(op.parameters.some((p) => p.name === 'fieldValidation' && p.in === 'query')).toBe(true);
      expect(op['x-kubernetes-action']).toBe('patch');
    }
    expect(patches.map((p) => p['x-kubernetes-group-version-kind'])).toContainEqual({ group: 'kubevirt.io', kind: 'VirtualMachine', version: 'v1' });
  });

  it('paths follow scope, verbs and subresources', () => {
    const paths = Object.keys(core.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/namespaces/{namespace}/persistentvolumeclaims',
        '/api/v1/namespaces/{namespace}/persistentvolumeclaims/{name}',
        '/api/v1/namespaces/{namespace}/persistentvolumeclaims/{name}/status',
        '/api/v1/persistentvolumeclaims',
        '/api/v1/nodes/{name}',
      ]),
    );
    expect(paths).not.toContain('/api/v1/namespaces/{namespace}/nodes');
    const reviews = openApiV3GroupVersion(defs, 'apis/authorization.k8s.io/v1') as Doc;
    const ssar = reviews.paths['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews']!;
    expect(Object.keys(ssar).sort()).toEqual(['parameters', 'post']);
    expect(reviews.paths['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/{name}']).toBeUndefined();
  });

  it('an unknown group-version has no document', () => {
    expect(openApiV3GroupVersion(defs, 'apis/nothing.example.com/v1')).toBeUndefined();
  });

  it('a CRD-defined resource without a schema is published as preserving', () => {
    const foo = defineModel({ kind: 'Foo', apiGroup: 'example.com', apiVersion: 'v1', plural: 'foos', namespaced: true, label: 'Foo', labelPlural: 'Foos', abbr: 'F' });
    const def: ResourceDef = { model: foo, verbs: ['get', 'list', 'patch'], subresources: [], printerColumns: [], builtin: false, crdName: 'foos.example.com' };
    const doc = openApiV3GroupVersion([def], 'apis/example.com/v1') as typeof core;
    expect(doc.components.schemas['com.example.v1.Foo']).toMatchObject({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  });
});

describe('OpenApiDocuments', () => {
  it('serializes once and serves the same body until invalidated', () => {
    let calls = 0;
    const docs = new OpenApiDocuments(() => {
      calls++;
      return defs;
    });
    const first = docs.v3('api/v1');
    expect(docs.v3('/api/v1/')).toBe(first);
    expect(JSON.parse(first!.body)).toEqual(core);
    expect(docs.v2()).toBe(docs.v2());
    expect(JSON.parse(docs.v3Index().body)).toEqual(openApiV3Index(defs));
    docs.invalidate();
    expect(docs.v3('api/v1')).not.toBe(first);
    expect(docs.v3('api/v1')?.hash).toBe(first?.hash);
    expect(calls).toBeGreaterThan(1);
  });

  it('rebuilds when the source hands back a different list (a CRD came or went)', () => {
    let current: ResourceDef[] = defs.filter((d) => d.model !== CustomResourceDefinitionModel);
    const docs = new OpenApiDocuments(() => current);
    expect(docs.v3('apis/apiextensions.k8s.io/v1')).toBeUndefined();
    current = defs;
    expect(docs.v3('apis/apiextensions.k8s.io/v1')).toBeDefined();
    expect(Object.keys(JSON.parse(docs.v3Index().body).paths)).toContain('apis/apiextensions.k8s.io/v1');
  });

  it('groupVersionPath', () => {
    expect(defs.map(groupVersionPath)).toEqual(expect.arrayContaining(['api/v1', 'apis/kubevirt.io/v1']));
  });
});
