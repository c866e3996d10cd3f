// DELETE and deletecollection: preconditions, finalizers and deletionTimestamp,
// propagation policies (Background, Foreground, Orphan), and the moment an
// object whose last finalizer is removed actually goes away.
import type { K8sObject } from '@/lib/k8s/types';
import { errors } from '../errors';
import { type ResourceDef, storageKey } from '../registry';
import { isStoreError } from '../store';
import { decodeJson, readBody } from './body';
import { buildFilter } from './filters';
import { type Obj, timestamp } from './lifecycle';
import { atVersion, respondList, writeBody } from './respond';
import type { ApiDeps, Scope } from './scope';
import { isDryRun } from './write';

export type Propagation = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  propagationPolicy?: Propagation;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** DeleteOptions from the body (kubectl) or the query string (curl, clients). */
async function readDeleteOptions(scope: Scope): Promise<DeleteOptions> {
  const raw = await readBody(scope.req);
  let body: Record<string, unknown> = {};
  if (raw.length) {
    const decoded = decodeJson(raw);
    if (decoded && typeof decoded === 'object' && !Array.isArray(decoded)) body = decoded as Record<string, unknown>;
    else throw errors.badRequest('DeleteOptions must be a JSON object');
  }
  const q = scope.query;
  let policy = (body.propagationPolicy as string | undefined) ?? q.get('propagationPolicy') ?? undefined;
  const orphan = body.orphanDependents ?? (q.has('orphanDependents') ? q.get('orphanDependents') === 'true' : undefined);
  if (orphan !== undefined && policy) throw errors.invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', [{ reason: 'FieldValueInvalid', field: 'propagationPolicy', message: 'Invalid value: orphanDependents and propagationPolicy cannot both be set' }]);
  if (orphan === true) policy = 'Orphan';
  if (policy && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
    throw errors.invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', [{ reason: 'FieldValueNotSupported', field: 'propagationPolicy', message: `Unsupported value: "${policy}": supported values: "Background", "Foreground", "Orphan"` }]);
  }
  const dry = Array.isArray(body.dryRun) ? (body.dryRun as string[]).includes('All') : false;
  return { propagationPolicy: policy as Propagation | undefined, preconditions: body.preconditions as DeleteOptions['preconditions'], dryRun: dry || isDryRun(q) };
}

function isNamespace(def: ResourceDef): boolean {
  return def.builtin && def.model.kind === 'Namespace' && def.model.apiGroup === '';
}

/** Nothing holds the object any more (no finalizers; for namespaces, no spec finalizers either). */
function nothingHolds(def: ResourceDef, obj: Obj): boolean {
  if (obj.metadata?.finalizers?.length) return false;
  if (isNamespace(def) && ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length) return false;
  return true;
}

/**
 * If an update leaves a terminating object with nothing holding it, delete it
 * instead of storing it. Returns the deleted object, or undefined to go on with the update.
 */
export async function finalizeIfDone(deps: ApiDeps, def: ResourceDef, key: string, next: Obj, expectedRevision: number): Promise<Obj | undefined> {
  if (!next.metadata?.deletionTimestamp || !nothingHolds(def, next)) return undefined;
  try {
    const gone = await deps.store.delete<Obj>(key, { expectedRevision });
    return { ...gone.object, metadata: { ...next.metadata, resourceVersion: gone.object.metadata?.resourceVersion } };
  } catch (e) {
    if (isStoreError(e) && e.code === 'Conflict') throw errors.conflict(def.model.plural, def.model.apiGroup, next.metadata?.name ?? '', 'the object has been modified; please apply your changes to the latest version and try again');
    throw e;
  }
}

export interface DeleteResult {
  /** The object as it is now: gone (deleted) or terminating. */
  object: Obj;
  deleted: boolean;
}

/** Delete one object the way the API does; used by handlers and by the API machinery's controllers. */
export async function deleteOne(deps: ApiDeps, def: ResourceDef, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<DeleteResult> {
  const key = storageKey(def, namespace, name);
  for (let attempt = 0; attempt < 8; attempt++) {
    const current = deps.store.get<Obj>(key);
    if (!current) throw errors.notFound(def.model.plural, def.model.apiGroup, name);
    const obj = current.object;
    const meta = obj.metadata ?? {};
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== meta.uid) throw errors.conflict(def.model.plural, def.model.apiGroup, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid}`);
    if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
      throw errors.conflict(def.model.plural, def.model.apiGroup, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion}`);
    }
    const finalizers = [...(meta.finalizers ?? [])];
    const policy = opts.propagationPolicy;
    if (policy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    const holds = finalizers.length > 0 || (isNamespace(def) && ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0);
    if (holds) {
      if (meta.deletionTimestamp && finalizers.length === (meta.finalizers ?? []).length) return { object: obj, deleted: false };
      const next: Obj = structuredClone(obj);
      next.metadata = { ...next.metadata, finalizers, deletionTimestamp: meta.deletionTimestamp ?? timestamp(deps.now()), deletionGracePeriodSeconds: 0 };
      if (isNamespace(def)) next.status = { ...(next.status as object), phase: 'Terminating' };
      if (opts.dryRun) return { object: next, deleted: false };
      try {
        const stored = await deps.store.update<Obj>(key, () => next, { expectedRevision: current.revision });
        return { object: stored.object, deleted: false };
      } catch (e) {
        if (isStoreError(e) && e.code === 'Conflict') continue;
        throw e;
      }
    }
    if (opts.dryRun) return { object: obj, deleted: true };
    try {
      const gone = await deps.store.delete<Obj>(key, { expectedRevision: current.revision });
      return { object: gone.object, deleted: true };
    } catch (e) {
      if (isStoreError(e) && (e.code === 'Conflict' || e.code === 'NotFound')) continue;
      throw e;
    }
  }
  throw errors.conflict(def.model.plural, def.model.apiGroup, name, 'the object kept changing while it was being deleted; try again');
}

function successStatus(def: ResourceDef, obj: K8sObject) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: obj.metadata?.name, group: def.model.apiGroup, kind: def.model.plural, uid: obj.metadata?.uid },
  };
}

export async function deleteObject(scope: Scope): Promise<void> {
  const { def, info, deps } = scope;
  if (info.subresource) throw errors.methodNotAllowed('DELETE', `${def.model.plural}/${info.subresource}`);
  const opts = await readDeleteOptions(scope);
  const result = await deleteOne(deps, def, info.namespace, info.name!, opts);
  // Built-in kinds answer a finished delete with a Status; custom resources with the object.
  if (result.deleted && def.builtin && !isNamespace(def)) writeBody(scope.res, 200, successStatus(def, result.object));
  else writeBody(scope.res, 200, atVersion(def, result.object));
}

export async function deleteCollection(scope: Scope): Promise<void> {
  const { def, info, deps, query } = scope;
  const opts = await readDeleteOptions(scope);
  const filter = buildFilter(def, query);
  const prefix = storageKey(def, def.model.namespaced ? info.namespace : undefined);
  const page = deps.store.list<Obj>(prefix);
  const out: K8sObject[] = [];
  for (const it of page.items) {
    if (!filter.matches(it.object)) continue;
    try {
      const r = await deleteOne(deps, def, it.object.metadata?.namespace, it.object.metadata!.name!, opts);
      out.push(atVersion(def, r.object));
    } catch (e) {
      // Gone meanwhile: that is what was asked for.
      if ((e as { code?: number }).code !== 404) throw e;
    }
  }
  respondList(scope, def, out, { resourceVersion: String(deps.store.revision) });
}
