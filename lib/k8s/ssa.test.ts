import { describe, expect, it } from 'vitest';
import { fieldSetFromFieldsV1, formatFieldPath, pathFromKey, type FieldSet } from './fieldset';
import { builtinPatchMeta, type JsonObject, type PatchMeta } from './patch';
import { ApplyError, applyConfiguration, ConflictError, fieldSetOf, updateManagedFields, type FieldsV1Entry } from './ssa';
import { widgetPatchMeta } from './ssa.testing';

const T1 = '2025-01-01T00:00:00Z';
const T2 = '2025-01-01T00:01:00Z';
const T3 = '2025-01-01T00:02:00Z';

// A small kind with every list flavour.
const meta = widgetPatchMeta;
const configMapMeta = builtinPatchMeta['/v1/ConfigMap'] as PatchMeta;

const printed = (set: FieldSet): string[] => [...set].map((k) => formatFieldPath(pathFromKey(k))).sort();
const owned = (entry: FieldsV1Entry | undefined): string[] => (entry ? printed(fieldSetFromFieldsV1(entry.fieldsV1)) : []);
const entryOf = (entries: FieldsV1Entry[], manager: string, operation = 'Apply'): FieldsV1Entry | undefined =>
  entries.find((e) => e.manager === manager && e.operation === operation);
const widget = (spec: JsonObject, extra: JsonObject = {}): JsonObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec, ...extra });

describe('fieldSetOf', () => {
  it.each<[string, JsonObject, PatchMeta, string | undefined, string[]]>([
    [
      'leaves of a ConfigMap, without apiVersion, kind and server-set metadata',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'd', uid: 'u', resourceVersion: '5', labels: { app: 'a' } }, data: { k: 'v' } },
      configMapMeta,
      undefined,
      ['.data.k', '.metadata.labels.app'],
    ],
    [
      'keyed lists: each element and its fields',
      widget({ containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }] }] }),
      meta,
      undefined,
      [
        '.spec.containers[name="web"]',
        '.spec.containers[name="web"].image',
        '.spec.containers[name="web"].name',
        '.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"]',
        '.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].containerPort',
        '.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].protocol',
      ],
    ],
    ['sets: each value', widget({ tags: ['a', 'b'] }), meta, undefined, ['.spec.tags[="a"]', '.spec.tags[="b"]']],
    ['atomic lists and maps are one field', widget({ args: ['x', 'y'], selector: { matchLabels: { a: 'b' } } }), meta, undefined, ['.spec.args', '.spec.selector']],
    ['empty maps and nulls are fields, empty merge lists are not', widget({ x: {}, y: null, tags: [] }), meta, undefined, ['.spec.x', '.spec.y']],
    ['status is not tracked through the main resource', widget({ a: 1 }, { status: { phase: 'Ready' } }), meta, undefined, ['.spec.a']],
    ['spec is not tracked through /status', widget({ a: 1 }, { status: { phase: 'Ready' } }), meta, 'status', ['.status.phase']],
    // OwnerReference is an atomic struct: the element is owned whole.
    ['finalizers are a set, ownerReferences keyed by uid', { metadata: { finalizers: ['f'], ownerReferences: [{ uid: 'u1', name: 'o' }] } }, meta, undefined, ['.metadata.finalizers[="f"]', '.metadata.ownerReferences[uid="u1"]']],
  ])('%s', (_name, obj, m, subresource, expected) => {
    expect(printed(fieldSetOf(obj, m, { subresource }))).toEqual(expected);
  });

  it.each<[JsonObject, string]>([
    [widget({ containers: [{ name: 'a' }, { name: 'a' }] }), '.spec.containers: duplicate entries for key [name="a"]'],
    [widget({ containers: [{ image: 'x' }] }), '.spec.containers: element 0: associative list with keys has an element that omits key field "name"'],
    [widget({ tags: [{ a: 1 }] }), '.spec.tags: element 0: elements of a set must be scalars'],
  ])('refuses a configuration whose list cannot be keyed: %s', (obj, message) => {
    expect(() => fieldSetOf(obj, meta)).toThrow(ApplyError);
    expect(() => fieldSetOf(obj, meta)).toThrow(message);
  });

  it('treats a stored list that cannot be keyed as one field', () => {
    expect(printed(fieldSetOf(widget({ containers: [{ name: 'a' }, { name: 'a' }] }), meta, { strict: false }))).toEqual(['.spec.containers']);
  });
});

describe('applyConfiguration', () => {
  const cm = (data: JsonObject, extra: JsonObject = {}): JsonObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'd' }, data, ...extra });

  it('creates: the object is the configuration, owned by the applier', () => {
    const { object, managedFields } = applyConfiguration({ live: null, applied: cm({ a: '1' }), manager: 'kubectl', meta: configMapMeta, now: T1 });
    expect(managedFields).toEqual([
      { manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: T1, fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } },
    ]);
    expect(object).toEqual({ ...cm({ a: '1' }), metadata: { name: 'c', namespace: 'd', managedFields } });
  });

  it('a repeated apply changes nothing, not even the time', () => {
    const first = applyConfiguration({ live: null, applied: cm({ a: '1' }), manager: 'kubectl', meta: configMapMeta, now: T1 });
    const again = applyConfiguration({ live: first.object, applied: cm({ a: '1' }), manager: 'kubectl', meta: configMapMeta, now: T2 });
    expect(again.object).toEqual(first.object);
    expect(again.managedFields[0]?.time).toBe(T1);
  });

  it('removes fields the applier stopped applying, unless another manager owns them', () => {
    const first = applyConfiguration({ live: null, applied: cm({ a: '1', b: '2', c: '3' }), manager: 'one', meta: configMapMeta, now: T1 });
    const second = applyConfiguration({ live: first.object, applied: cm({ c: '3' }), manager: 'two', meta: configMapMeta, now: T2 });
    const third = applyConfiguration({ live: second.object, applied: cm({ a: '1' }), manager: 'one', meta: configMapMeta, now: T3 });
    expect(third.object.data).toEqual({ a: '1', c: '3' });
    expect(owned(entryOf(third.managedFields, 'one'))).toEqual(['.data.a']);
    expect(owned(entryOf(third.managedFields, 'two'))).toEqual(['.data.c']);
  });

  it('conflicts when changing a field another manager set', () => {
    const live = applyConfiguration({ live: null, applied: widget({ replicas: 3 }), manager: 'kubectl-client-side-apply', meta, now: T1 }).object;
    const asUpdate = { ...live, metadata: { name: 'w', managedFields: [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', time: T1, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }] } };
    const attempt = () => applyConfiguration({ live: asUpdate, applied: widget({ replicas: 5 }), manager: 'kubectl', meta, now: T2 });
    expect(attempt).toThrow(ConflictError);
    expect(attempt).toThrow('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec.replicas');
    try {
      attempt();
    } catch (e) {
      expect((e as ConflictError).causes).toEqual([{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using v1', field: '.spec.replicas' }]);
    }
  });

  it('with force, takes the field over', () => {
    const live = applyConfiguration({ live: null, applied: widget({ replicas: 3, paused: false }), manager: 'ci', meta, now: T1 }).object;
    const { object, managedFields } = applyConfiguration({ live, applied: widget({ replicas: 5 }), manager: 'kubectl', meta, now: T2, force: true });
    expect(object.spec).toEqual({ replicas: 5, paused: false });
    expect(owned(entryOf(managedFields, 'ci'))).toEqual(['.spec.paused']);
    expect(owned(entryOf(managedFields, 'kubectl'))).toEqual(['.spec.replicas']);
  });

  it('applying the value another manager set makes both owners, without conflict', () => {
    const live = applyConfiguration({ live: null, applied: widget({ replicas: 3 }), manager: 'ci', meta, now: T1 }).object;
    const { managedFields } = applyConfiguration({ live, applied: widget({ replicas: 3 }), manager: 'kubectl', meta, now: T2 });
    expect(owned(entryOf(managedFields, 'ci'))).toEqual(['.spec.replicas']);
    expect(owned(entryOf(managedFields, 'kubectl'))).toEqual(['.spec.replicas']);
  });

  it('lists every conflict, grouped by manager', () => {
    let live = applyConfiguration({ live: null, applied: widget({ x: 1 }), manager: 'a', meta, now: T1 }).object;
    live = applyConfiguration({ live, applied: widget({ y: 1 }), manager: 'b', meta, now: T1 }).object;
    const attempt = () => applyConfiguration({ live, applied: widget({ x: 2, y: 2 }), manager: 'c', meta, now: T2 });
    expect(attempt).toThrow('Apply failed with 2 conflicts: conflicts with "a":\n- .spec.x\nconflicts with "b":\n- .spec.y');
  });

  it('merges keyed lists by key: new elements are appended, applied order wins', () => {
    const containers = [{ name: 'a', image: '1' }, { name: 'b', image: '2' }, { name: 'c', image: '3' }];
    const live = applyConfiguration({ live: null, applied: widget({ containers }), manager: 'one', meta, now: T1 }).object;
    const added = applyConfiguration({ live, applied: widget({ containers: [{ name: 'd', image: '4' }] }), manager: 'two', meta, now: T2 });
    expect((added.object.spec as JsonObject).containers).toEqual([...containers, { name: 'd', image: '4' }]);
    const reordered = applyConfiguration({ live, applied: widget({ containers: [{ name: 'c' }, { name: 'a' }] }), manager: 'two', meta, now: T2 });
    expect(((reordered.object.spec as JsonObject).containers as JsonObject[]).map((c) => c.name)).toEqual(['b', 'c', 'a']);
    expect((reordered.object.spec as JsonObject).containers).toContainEqual({ name: 'a', image: '1' });
  });

  it('unions sets and replaces atomic lists', () => {
    const live = applyConfiguration({ live: null, applied: widget({ tags: ['x'], args: ['1', '2'] }), manager: 'one', meta, now: T1 }).object;
    const { object, managedFields } = applyConfiguration({ live, applied: widget({ tags: ['y'] }), manager: 'two', meta, now: T2 });
    expect(object.spec).toEqual({ tags: ['x', 'y'], args: ['1', '2'] });
    expect(owned(entryOf(managedFields, 'two'))).toEqual(['.spec.tags[="y"]']);
  });

  it('drops a list element the applier stopped applying', () => {
    const live = applyConfiguration({ live: null, applied: widget({ containers: [{ name: 'a' }, { name: 'b' }] }), manager: 'one', meta, now: T1 }).object;
    const { object } = applyConfiguration({ live, applied: widget({ containers: [{ name: 'a' }] }), manager: 'one', meta, now: T2 });
    expect((object.spec as JsonObject).containers).toEqual([{ name: 'a' }]);
  });

  it('keeps a dropped element another applier also applies', () => {
    let live = applyConfiguration({ live: null, applied: widget({ containers: [{ name: 'a' }, { name: 'b' }] }), manager: 'one', meta, now: T1 }).object;
    live = applyConfiguration({ live, applied: widget({ containers: [{ name: 'b' }] }), manager: 'two', meta, now: T1 }).object;
    const { object } = applyConfiguration({ live, applied: widget({ containers: [{ name: 'a' }] }), manager: 'one', meta, now: T2 });
    expect((object.spec as JsonObject).containers).toEqual([{ name: 'a' }, { name: 'b' }]);
  });

  it('ignores status and server-set metadata in the configuration', () => {
    const live = { ...widget({ a: 1 }), metadata: { name: 'w', uid: 'u-1', resourceVersion: '7' }, status: { phase: 'Ready' } };
    const applied = { ...widget({ a: 2 }), metadata: { name: 'w', uid: 'other', resourceVersion: '1' }, status: { phase: 'Failed' } };
    const { object, managedFields } = applyConfiguration({ live, applied, manager: 'm', meta, now: T1 });
    expect(object.status).toEqual({ phase: 'Ready' });
    expect(object.metadata).toMatchObject({ uid: 'u-1', resourceVersion: '7' });
    expect(owned(managedFields[0])).toEqual(['.spec.a']);
  });

  it('applies status through the status subresource', () => {
    const live = { ...widget({ a: 1 }), status: { phase: 'Pending' } };
    const { object, managedFields } = applyConfiguration({ live, applied: { ...widget({ a: 9 }), status: { phase: 'Ready' } }, manager: 'ctrl', meta, now: T1, subresource: 'status' });
    expect(object.spec).toEqual({ a: 1 });
    expect(object.status).toEqual({ phase: 'Ready' });
    expect(managedFields).toEqual([{ manager: 'ctrl', operation: 'Apply', apiVersion: 'example.com/v1', time: T1, fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:phase': {} } }, subresource: 'status' }]);
  });

  it('a field applied as null is removed but owned', () => {
    const live = applyConfiguration({ live: null, applied: cm({ a: '1', b: '2' }), manager: 'one', meta: configMapMeta, now: T1 }).object;
    const { object, managedFields } = applyConfiguration({ live, applied: cm({ b: null }), manager: 'one', meta: configMapMeta, now: T2, force: true });
    expect(object.data).toEqual({});
    expect(owned(managedFields[0])).toEqual(['.data.b']);
  });

  it.each<[string, Partial<Parameters<typeof applyConfiguration>[0]>, string]>([
    ['without a field manager', { manager: '' }, 'fieldManager is required for apply requests'],
    ['with managedFields in the configuration', { applied: { metadata: { name: 'w', managedFields: [] } } }, 'metadata.managedFields must be nil'],
    ['over unreadable managedFields', { live: { metadata: { name: 'w', managedFields: [{ manager: 'x', operation: 'Delete' }] } } }, 'failed to decode managed fields: operation must be `Apply` or `Update`'],
  ])('refuses to apply %s', (_name, overrides, message) => {
    const req = { live: null, applied: widget({}), manager: 'm', meta, now: T1, ...overrides };
    expect(() => applyConfiguration(req)).toThrow(ApplyError);
    expect(() => applyConfiguration(req)).toThrow(message);
  });

  it('keeps an applier and an updater of the same name apart', () => {
    const live = {
      ...widget({ replicas: 1 }),
      metadata: { name: 'w', managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'example.com/v1', time: T1, fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }] },
    };
    expect(() => applyConfiguration({ live, applied: widget({ replicas: 2 }), manager: 'kubectl', meta, now: T2 })).toThrow(
      'conflict with "kubectl" using example.com/v1: .spec.replicas',
    );
  });

  it('orders entries Apply first, then by time', () => {
    let live = applyConfiguration({ live: null, applied: widget({ x: 1 }), manager: 'zeta', meta, now: T2 }).object;
    live = applyConfiguration({ live, applied: widget({ y: 1 }), manager: 'alpha', meta, now: T3 }).object;
    const updates = updateManagedFields({ live, updated: { ...live, spec: { x: 1, y: 1, z: 1 } }, manager: 'editor', meta, now: T1 });
    expect(updates.map((e) => `${e.operation}:${e.manager}`)).toEqual(['Apply:zeta', 'Apply:alpha', 'Update:editor']);
  });
});

describe('purity', () => {
  const freeze = <T>(v: T): T => {
    if (v && typeof v === 'object') Object.values(v).forEach(freeze);
    return Object.freeze(v);
  };

  it('never mutates its inputs', () => {
    const first = applyConfiguration({ live: null, applied: widget({ containers: [{ name: 'a' }, { name: 'b' }], tags: ['x'] }), manager: 'one', meta, now: T1 });
    const live = freeze(first.object);
    const applied = freeze(widget({ containers: [{ name: 'b', image: 'i' }], tags: ['y'] }));
    expect(() => applyConfiguration({ live, applied, manager: 'one', meta, now: T2 })).not.toThrow();
    const updated = freeze({ ...live, spec: { containers: [{ name: 'a' }] } });
    expect(() => updateManagedFields({ live, updated, manager: 'two', meta, now: T2 })).not.toThrow();
  });
});

describe('updateManagedFields', () => {
  const cm = (data: JsonObject, managedFields?: FieldsV1Entry[]): JsonObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', labels: { app: 'x' }, ...(managedFields ? { managedFields: managedFields as unknown as JsonObject[] } : {}) },
    data,
  });

  it('on create, the creator owns what it set (with "." on new maps, as kubectl create shows)', () => {
    const entries = updateManagedFields({ live: null, updated: cm({ a: '1' }), manager: 'kubectl-create', meta: configMapMeta, now: T1 });
    expect(entries).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'v1',
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { '.': {}, 'f:a': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
      },
    ]);
  });

  it('on create, spec itself is not new', () => {
    const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p' }, spec: { accessModes: ['ReadWriteOnce'] } };
    const [entry] = updateManagedFields({ live: null, updated: pvc, manager: 'console', meta: builtinPatchMeta['/v1/PersistentVolumeClaim'] as PatchMeta, now: T1 });
    expect(entry?.fieldsV1).toEqual({ 'f:spec': { 'f:accessModes': {} } });
  });

  it('moves changed fields to the writer and drops emptied entries', () => {
    const created = updateManagedFields({ live: null, updated: cm({ a: '1', b: '2' }), manager: 'creator', meta: configMapMeta, now: T1 });
    const live = cm({ a: '1', b: '2' }, created);
    const edited = updateManagedFields({ live, updated: cm({ a: '9', b: '2', c: '3' }, created), manager: 'editor', meta: configMapMeta, now: T2 });
    expect(owned(entryOf(edited, 'creator', 'Update'))).toEqual(['.data', '.data.b', '.metadata.labels', '.metadata.labels.app']);
    expect(owned(entryOf(edited, 'editor', 'Update'))).toEqual(['.data.a', '.data.c']);
    expect(entryOf(edited, 'editor', 'Update')?.time).toBe(T2);

    const removed = updateManagedFields({ live: cm({ a: '9', c: '3' }, edited), updated: cm({ c: '3' }, edited), manager: 'other', meta: configMapMeta, now: T3 });
    expect(owned(entryOf(removed, 'editor', 'Update'))).toEqual(['.data.c']);
    expect(entryOf(removed, 'other', 'Update')).toBeUndefined();
  });

  it('a write that changes nothing leaves managedFields as they were', () => {
    const created = updateManagedFields({ live: null, updated: cm({ a: '1' }), manager: 'creator', meta: configMapMeta, now: T1 });
    const live = cm({ a: '1' }, created);
    expect(updateManagedFields({ live, updated: live, manager: 'creator', meta: configMapMeta, now: T2 })).toEqual(created);
    expect(updateManagedFields({ live, updated: live, manager: 'someone', meta: configMapMeta, now: T2 })).toEqual(created);
  });

  it.each([[[]], [[{}]]])('managedFields set to %j resets them', (reset) => {
    const created = updateManagedFields({ live: null, updated: cm({ a: '1' }), manager: 'creator', meta: configMapMeta, now: T1 });
    const live = cm({ a: '1' }, created);
    const updated = { ...cm({ a: '1' }), metadata: { name: 'c', labels: { app: 'x' }, managedFields: reset } };
    expect(updateManagedFields({ live, updated, manager: 'creator', meta: configMapMeta, now: T2 })).toEqual([]);
  });

  it('takes managedFields the request sets, and falls back to the live ones when they are unreadable', () => {
    const created = updateManagedFields({ live: null, updated: cm({ a: '1' }), manager: 'creator', meta: configMapMeta, now: T1 });
    const live = cm({ a: '1' }, created);
    const renamed = created.map((e) => ({ ...e, manager: 'renamed' }));
    expect(updateManagedFields({ live, updated: cm({ a: '1' }, renamed), manager: 'x', meta: configMapMeta, now: T2 })).toEqual(renamed);
    const garbage = { ...cm({ a: '1' }), metadata: { name: 'c', labels: { app: 'x' }, managedFields: [{ manager: 'bad' }] } };
    expect(updateManagedFields({ live, updated: garbage, manager: 'x', meta: configMapMeta, now: T2 })).toEqual(created);
  });

  it('never fails a write over unreadable stored managedFields', () => {
    const live = { ...cm({ a: '1' }), metadata: { name: 'c', managedFields: [{ operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV2' }] } };
    const entries = updateManagedFields({ live, updated: cm({ a: '2' }), manager: 'x', meta: configMapMeta, now: T2 });
    expect(entries.map((e) => e.manager)).toEqual(['x']);
  });

  it('tracks status writers separately, and only their status fields', () => {
    const live = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p' }, spec: { volumeName: '' }, status: { phase: 'Pending' } };
    const updated = { ...live, spec: { volumeName: 'pv-1' }, status: { phase: 'Bound', conditions: [{ type: 'Resizing', status: 'True' }] } };
    const [entry] = updateManagedFields({ live, updated, manager: 'binder', meta: builtinPatchMeta['/v1/PersistentVolumeClaim'] as PatchMeta, now: T1, subresource: 'status' });
    expect(entry?.subresource).toBe('status');
    expect(owned(entry)).toEqual([
      '.status.conditions',
      '.status.conditions[type="Resizing"]',
      '.status.conditions[type="Resizing"].status',
      '.status.conditions[type="Resizing"].type',
      '.status.phase',
    ]);
  });

  it('records the apiVersion the request was served at, when given', () => {
    const [entry] = updateManagedFields({ live: null, updated: cm({ a: '1' }), manager: 'm', meta: configMapMeta, now: T1, apiVersion: 'v9' });
    expect(entry?.apiVersion).toBe('v9');
    const applied = applyConfiguration({ live: null, applied: cm({ a: '1' }), manager: 'm', meta: configMapMeta, now: T1, apiVersion: 'v9' });
    expect(applied.managedFields[0]?.apiVersion).toBe('v9');
  });

  it('keeps one entry per apiVersion for updaters', () => {
    const created = updateManagedFields({ live: null, updated: cm({ a: '1' }), manager: 'tool', meta: configMapMeta, now: T1 });
    const live = cm({ a: '1' }, created);
    const entries = updateManagedFields({ live, updated: { ...cm({ a: '1', b: '2' }, created), apiVersion: 'v2' }, manager: 'tool', meta: configMapMeta, now: T2 });
    expect(entries.map((e) => `${e.manager}@${e.apiVersion}`)).toEqual(['tool@v1', 'tool@v2']);
  });
});
