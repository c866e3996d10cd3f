// The life of an object on its way into the store: the checks and defaults
// kube-apiserver applies on create and update (metadata, status subresource,
// generation, schema, strategy, immutability, admission, managed fields).
import crypto from 'node:crypto';
import { generateObjectName, validateAnnotations, validateLabels, validateObjectMetaName, nameValidatorForKind } from '@/lib/k8s/names';
import { type JsonObject, patchMetaFor as patchMetaForKind } from '@/lib/k8s/patch';
import { updateManagedFields } from '@/lib/k8s/ssa';
import type { ManagedFieldsEntry, ObjectMeta, StatusCause } from '@/lib/k8s/types';
import { groupVersion } from '@/lib/k8s/models';
import { errors } from '../errors';
import type { ResourceDef } from '../registry';
import { applyDefaults, findUnknownFields, prune, validateAgainstSchema } from '../schema';
import type { Scope } from './scope';

export type Obj = Record<string, unknown> & { metadata?: ObjectMeta };

let lastSecond = NaN;
let lastStamp = '';

/** RFC 3339 with second precision, as Kubernetes timestamps are written (the last one kept: writes come many a second). */
export function timestamp(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastStamp = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    lastSecond = second;
  }
  return lastStamp;
}

/** The field manager of a write: ?fieldManager=, else the user agent's product name (as kube-apiserver derives it). */
export function fieldManagerOf(scope: Scope): string {
  const explicit = scope.query.get('fieldManager');
  if (explicit) {
    if (explicit.length > 128) throw errors.badRequest('fieldManager: Too long: must have at most 128 characters');
    return explicit;
  }
  const ua = String(scope.req.headers['user-agent'] ?? 'unknown');
  return ua.split('/')[0]!.trim().slice(0, 128) || 'unknown';
}

/** Merge keys and list types of a kind (ObjectMeta's only, for custom resources). */
export function patchMetaFor(def: ResourceDef) {
  return patchMetaForKind(groupVersion(def.model), def.model.kind);
}

/** Custom resources and CRDs count generations; the other built-in kinds Kura serves do not (as in Kubernetes). */
export function tracksGeneration(def: ResourceDef): boolean {
  return !def.builtin || def.model.kind === 'CustomResourceDefinition';
}

function hasStatus(def: ResourceDef): boolean {
  return def.subresources.includes('status');
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Throws 400 unless apiVersion and kind name this resource (filled in when absent, as kubectl sends them anyway). */
function checkTypeMeta(def: ResourceDef, obj: Obj): void {
  const want = groupVersion(def.model);
  if (obj.apiVersion === undefined) obj.apiVersion = want;
  if (obj.kind === undefined) obj.kind = def.model.kind;
  if (obj.apiVersion !== want) {
    throw errors.badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${want})`);
  }
  if (obj.kind !== def.model.kind) {
    throw errors.badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${def.model.kind})`);
  }
  if (obj.metadata !== undefined && (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata))) {
    throw errors.badRequest('metadata must be an object');
  }
}

function checkNamespace(scope: Scope, obj: Obj): void {
  const meta = (obj.metadata ??= {});
  if (!scope.def.model.namespaced) {
    delete meta.namespace;
    return;
  }
  const urlNs = scope.info.namespace;
  if (!urlNs) throw errors.badRequest('a namespace must be given in the URL to create or update a namespaced object');
  if (meta.namespace && meta.namespace !== urlNs) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  meta.namespace = urlNs;
}

/** Unknown fields: refused under fieldValidation=Strict, reported as warnings under Warn (the default), pruned in any case. */
function handleUnknownFields(scope: Scope, obj: Obj): Obj {
  const schema = scope.def.schema;
  if (!schema) return obj;
  const mode = scope.query.get('fieldValidation') ?? 'Warn';
  if (!['Strict', 'Warn', 'Ignore'].includes(mode)) {
    throw errors.badRequest(`fieldValidation must be one of Strict, Warn, Ignore, not "${mode}"`);
  }
  if (mode !== 'Ignore') {
    const unknown = findUnknownFields(obj, schema);
    if (unknown.length && mode === 'Strict') {
      const list = unknown.map((f) => `unknown field "${f.replace(/^\./, '')}"`);
      throw errors.badRequest(`strict decoding error: ${list.join(', ')}`);
    }
    if (unknown.length) {
      const warnings = unknown.map((f) => `299 - "unknown field \\"${f.replace(/^\./, '')}\\""`);
      const prev = scope.res.getHeader('warning');
      scope.res.setHeader('warning', [...(Array.isArray(prev) ? prev : prev ? [String(prev)] : []), ...warnings]);
    }
  }
  return prune(obj, schema) as Obj;
}

function validateMeta(def: ResourceDef, obj: Obj): StatusCause[] {
  const meta = obj.metadata ?? {};
  const causes: StatusCause[] = [];
  causes.push(...validateObjectMetaName(meta, nameValidatorForKind(def.model.kind)));
  causes.push(...validateLabels(meta.labels));
  causes.push(...validateAnnotations(meta.annotations));
  (meta.ownerReferences ?? []).forEach((ref, i) => {
    for (const f of ['apiVersion', 'kind', 'name', 'uid'] as const) {
      if (!ref[f]) causes.push({ reason: 'FieldValueRequired', field: `metadata.ownerReferences[${i}].${f}`, message: 'Required value' });
    }
  });
  const ownersMarkedController = (meta.ownerReferences ?? []).filter((r) => r.controller).length;
  if (ownersMarkedController > 1) causes.push({ reason: 'FieldValueInvalid', field: 'metadata.ownerReferences', message: 'Invalid value: only one reference can have Controller set to true' });
  for (const f of meta.finalizers ?? []) {
    if (typeof f !== 'string' || (!f.includes('/') && !['kubernetes', 'orphan', 'foregroundDeletion'].includes(f))) {
      causes.push({ reason: 'FieldValueInvalid', field: 'metadata.finalizers', message: `Invalid value: ${JSON.stringify(f)}: name is neither a standard finalizer name nor is it fully qualified` });
    }
  }
  return causes;
}

/** Schema defaults, strategy defaults, then schema and strategy validation; throws 422 Invalid. */
function defaultAndValidate(scope: Scope, obj: Obj, old: Obj | undefined): Obj {
  const { def } = scope;
  let out = obj;
  if (def.schema && !def.builtin) out = applyDefaults(out, def.schema) as Obj;
  def.strategy?.defaults?.(out);
  const causes: StatusCause[] = [...validateMeta(def, out)];
  if (def.schema) causes.push(...validateAgainstSchema(out, def.schema));
  causes.push(...(def.strategy?.validate?.(out, { old, now: scope.deps.now() }) ?? []));
  if (old) {
    for (const path of def.strategy?.immutable ?? []) {
      const a = JSON.stringify(readPath(old, path));
      const b = JSON.stringify(readPath(out, path));
      if (a !== b) causes.push({ reason: 'FieldValueInvalid', field: path, message: `Invalid value: ${b ?? 'null'}: field is immutable` });
    }
  }
  if (causes.length) throw errors.invalid({ group: def.model.apiGroup, kind: def.model.kind }, out.metadata?.name ?? '', dedupe(causes));
  return out;
}

function dedupe(causes: StatusCause[]): StatusCause[] {
  const seen = new Set<string>();
  return causes.filter((c) => {
    const k = `${c.field}|${c.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function readPath(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

async function admit(scope: Scope, obj: Obj, old: Obj | undefined, operation: 'CREATE' | 'UPDATE'): Promise<void> {
  for (const hook of scope.deps.admission) {
    await hook(obj, old, { user: scope.user, def: scope.def, operation, namespace: scope.info.namespace, subresource: scope.info.subresource });
  }
}

function managedFields(scope: Scope, live: Obj | undefined, updated: Obj): ManagedFieldsEntry[] | undefined {
  // Apply requests bring their own entries (computed by applyConfiguration).
  if (scope.req.headers['content-type']?.startsWith('application/apply-patch')) return updated.metadata?.managedFields;
  const entries = updateManagedFields({
    live: (live ?? null) as JsonObject | null,
    updated: updated as JsonObject,
    manager: fieldManagerOf(scope),
    meta: patchMetaFor(scope.def),
    now: timestamp(scope.deps.now()),
    operation: 'Update',
    apiVersion: groupVersion(scope.def.model),
    subresource: scope.info.subresource,
  });
  return entries.length ? entries : undefined;
}

/**
 * Turn a create request body into the object to store. The body is consumed
 * (changed in place): callers pass a freshly decoded or cloned object.
 */
export async function prepareCreate(scope: Scope, body: Record<string, unknown>, random: () => number = Math.random): Promise<Obj> {
  const { def } = scope;
  let obj = body as Obj;
  checkTypeMeta(def, obj);
  checkNamespace(scope, obj);
  obj = handleUnknownFields(scope, obj);
  const meta = (obj.metadata ??= {});
  if (meta.resourceVersion) throw errors.badRequest('resourceVersion should not be set on objects to be created');
  if (!meta.name && meta.generateName) meta.name = generateObjectName(meta.generateName, random);
  meta.uid = crypto.randomUUID();
  meta.creationTimestamp = timestamp(scope.deps.now());
  if (tracksGeneration(def)) meta.generation = 1;
  else delete meta.generation;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  // With a status subresource, status is the controllers' to write, not the creator's.
  if (hasStatus(def) && def.model.kind !== 'Node') delete obj.status;
  if (def.model.kind === 'PersistentVolumeClaim') obj.status = { phase: 'Pending' };
  obj = defaultAndValidate(scope, obj, undefined);
  await admit(scope, obj, undefined, 'CREATE');
  const mf = managedFields(scope, undefined, obj);
  if (mf) obj.metadata!.managedFields = mf;
  else delete obj.metadata!.managedFields;
  return obj;
}

/** Everything in an object but metadata and status: a change there is a new generation. */
function specOf(o: Obj): string {
  const { metadata: _m, status: _s, ...rest } = o;
  return JSON.stringify(rest);
}

export interface PreparedUpdate {
  object: Obj;
  /** Nothing changed: the write can be skipped and the current object returned. */
  noop: boolean;
}

/**
 * Turn an update (PUT, or the result of a patch) into the object to store,
 * given the current one. The body is consumed (changed in place).
 */
export async function prepareUpdate(scope: Scope, body: Record<string, unknown>, current: Obj): Promise<PreparedUpdate> {
  const { def, info } = scope;
  let obj = body as Obj;
  // A patch result may share its metadata object with the stored one; never change that in place.
  obj.metadata = { ...(obj.metadata ?? {}) };
  checkTypeMeta(def, obj);
  checkNamespace(scope, obj);
  const meta = obj.metadata;
  if (meta.name !== undefined && meta.name !== info.name) {
    throw errors.badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${info.name})`);
  }
  meta.name = info.name;
  const old = current.metadata ?? {};
  if (meta.resourceVersion) {
    if (meta.resourceVersion !== old.resourceVersion) throw errors.conflict(def.model.plural, def.model.apiGroup, info.name ?? '', 'the object has been modified; please apply your changes to the latest version and try again');
  } else if (!def.strategy?.allowUnconditionalUpdate) {
    throw errors.invalid({ group: def.model.apiGroup, kind: def.model.kind }, info.name ?? '', [
      { reason: 'FieldValueInvalid', field: 'metadata.resourceVersion', message: 'Invalid value: 0x0: must be specified for an update' },
    ]);
  }
  if (meta.uid && meta.uid !== old.uid) {
    throw errors.conflict(def.model.plural, def.model.apiGroup, info.name ?? '', `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${old.uid}`);
  }
  obj = handleUnknownFields(scope, obj);
  const m = obj.metadata!;
  // Fields only the server sets.
  m.uid = old.uid;
  m.creationTimestamp = old.creationTimestamp;
  m.deletionTimestamp = old.deletionTimestamp;
  m.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
  if (m.deletionTimestamp === undefined) delete m.deletionTimestamp;
  if (m.deletionGracePeriodSeconds === undefined) delete m.deletionGracePeriodSeconds;
  m.resourceVersion = old.resourceVersion;
  if (old.deletionTimestamp) {
    const added = (m.finalizers ?? []).filter((f) => !(old.finalizers ?? []).includes(f));
    if (added.length) {
      throw errors.invalid({ group: def.model.apiGroup, kind: def.model.kind }, info.name ?? '', [
        { reason: 'FieldValueForbidden', field: 'metadata.finalizers', message: 'Forbidden: no new finalizers can be added if the object is being deleted' },
      ]);
    }
  }
  const sub = info.subresource;
  if (sub === 'status') {
    // Status writes change status only; everything else stays as it was.
    obj = { ...clone(current), status: obj.status };
  } else if (hasStatus(def)) {
    if (current.status === undefined) delete obj.status;
    else obj.status = clone(current.status);
  }
  obj = defaultAndValidate(scope, obj, current);
  if (!tracksGeneration(def)) delete obj.metadata!.generation;
  else obj.metadata!.generation = specOf(obj) !== specOf(current) ? (old.generation ?? 1) + 1 : (old.generation ?? 1);
  const { managedFields: _a, ...metaA } = obj.metadata!;
  const { managedFields: _b, ...metaB } = current.metadata ?? {};
  const unchanged = JSON.stringify({ ...obj, metadata: metaA }) === JSON.stringify({ ...current, metadata: metaB });
  if (unchanged) return { object: current, noop: true };
  await admit(scope, obj, current, 'UPDATE');
  const mf = managedFields(scope, current, obj);
  if (mf) obj.metadata!.managedFields = mf;
  else delete obj.metadata!.managedFields;
  return { object: obj, noop: false };
}
