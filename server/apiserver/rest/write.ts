// POST (create), PUT (update) and PATCH (JSON, merge, strategic merge,
// server-side apply), with optimistic concurrency and the retry kube-apiserver
// does for writes that did not ask for a precondition.
import type { JsonObject, JsonValue } from '@/lib/k8s/patch';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PatchError } from '@/lib/k8s/patch';
import { ApplyError, applyConfiguration, ConflictError } from '@/lib/k8s/ssa';
import { groupVersion } from '@/lib/k8s/models';
import type { K8sObject } from '@/lib/k8s/types';
import { ApiError, errors } from '../errors';
import { storageKey } from '../registry';
import { isStoreError, type Stored } from '../store';
import { decodeJson, decodeObject, decodeYaml, mediaType, readBody } from './body';
import { type Obj, patchMetaFor, prepareCreate, prepareUpdate, timestamp } from './lifecycle';
import { finalizeIfDone } from './delete';
import { negotiate } from './negotiate';
import { atVersion, respondObject, writeJson } from './respond';
import type { Scope } from './scope';

const MAX_RETRIES = 8;

export function isDryRun(query: URLSearchParams): boolean {
  const v = query.getAll('dryRun');
  for (const d of v) if (d !== 'All') throw errors.badRequest(`dryRun: Unsupported value: "${d}": supported values: "All"`);
  return v.length > 0;
}

function storeFailure(e: unknown, scope: Scope, name: string): never {
  if (e instanceof ApiError) throw e;
  if (isStoreError(e)) {
    const { plural, apiGroup } = scope.def.model;
    if (e.code === 'AlreadyExists') throw errors.alreadyExists(plural, apiGroup, name);
    if (e.code === 'NotFound') throw errors.notFound(plural, apiGroup, name);
    if (e.code === 'Conflict') throw errors.conflict(plural, apiGroup, name, 'the object has been modified; please apply your changes to the latest version and try again');
    if (e.code === 'Storage') throw errors.insufficientStorage(`the object was not stored: ${e.message}`);
  }
  throw e;
}

/** Store a prepared new object (retrying a generated name that happens to be taken). */
async function storeNew(scope: Scope, body: Record<string, unknown>): Promise<Obj> {
  return (await storeNewValue(scope, body)).object;
}

/** storeNew, with the stored JSON when there is one (not for a dry run). */
async function storeNewValue(scope: Scope, body: Record<string, unknown>): Promise<{ object: Obj; json?: string }> {
  const { def, info, deps } = scope;
  const dryRun = isDryRun(scope.query);
  const generated = !(body.metadata as { name?: string } | undefined)?.name;
  const original = generated ? structuredClone(body) : body;
  for (let attempt = 0; ; attempt++) {
    // prepareCreate consumes its argument; a retry (a generated name that was taken) starts from the request again.
    const obj = await prepareCreate(scope, attempt === 0 ? body : structuredClone(original));
    const name = obj.metadata!.name!;
    if (dryRun) return { object: obj };
    try {
      // prepareCreate made obj for this write alone and nothing touches it after: watchers may have it.
      return (await deps.store.create(storageKey(def, info.namespace, name), obj, { handOver: true })) as { object: Obj; json?: string };
    } catch (e) {
      if (isStoreError(e) && e.code === 'AlreadyExists' && generated && attempt < 5) continue;
      storeFailure(e, scope, name);
    }
  }
}

export async function createObject(scope: Scope): Promise<void> {
  const { def, deps, req, info } = scope;
  if (info.name && !def.virtual) throw errors.methodNotAllowed('POST', `${def.model.plural}/${info.name}`);
  const body = decodeObject(await readBody(req), req.headers['content-type']);
  const answer = deps.virtual.get(`${def.model.apiGroup}/${def.model.plural}`);
  if (def.virtual && answer) {
    const out = await answer(body, scope.user, info);
    respondObject(scope, 201, out as K8sObject);
    return;
  }
  const created = await storeNewValue(scope, body);
  // Stored at the version it was sent at (prepareCreate checks apiVersion): its JSON is the answer.
  const asked = negotiate(req.headers.accept, false);
  if (created.json !== undefined && asked.format === 'json' && asked.as === undefined) {
    writeJson(scope.res, 201, created.json);
    return;
  }
  respondObject(scope, 201, atVersion(def, created.object));
}

/** Read-modify-write with retries on conflict, unless the caller pinned a resourceVersion. */
async function guaranteedUpdate(
  scope: Scope,
  compute: (current: Stored<Obj>) => Promise<Record<string, unknown>> | Record<string, unknown>,
  opts: { retry: boolean; createIfMissing?: (body?: Record<string, unknown>) => Promise<Record<string, unknown> | undefined> },
): Promise<{ code: number; object: Obj }> {
  const { def, info, deps } = scope;
  const key = storageKey(def, info.namespace, info.name);
  const dryRun = isDryRun(scope.query);
  for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
    const current = deps.store.get<Obj>(key);
    if (!current) {
      const body = opts.createIfMissing ? await opts.createIfMissing() : undefined;
      if (body) return { code: 201, object: await storeNew(scope, body) };
      throw errors.notFound(def.model.plural, def.model.apiGroup, info.name ?? '');
    }
    const desired = await compute(current);
    const prepared = await prepareUpdate(scope, desired, current.object);
    if (prepared.noop || dryRun) return { code: 200, object: prepared.object };
    const done = await finalizeIfDone(deps, def, key, prepared.object, current.revision);
    if (done) return { code: 200, object: done };
    try {
      const stored = await deps.store.update<Obj>(key, () => prepared.object, { expectedRevision: current.revision });
      return { code: 200, object: stored.object };
    } catch (e) {
      if (isStoreError(e) && e.code === 'Conflict' && opts.retry) continue;
      if (isStoreError(e) && e.code === 'NotFound' && opts.retry) continue;
      storeFailure(e, scope, info.name ?? '');
    }
  }
  throw errors.conflict(def.model.plural, def.model.apiGroup, info.name ?? '', 'the object kept changing while it was being updated; try again');
}

export async function updateObject(scope: Scope): Promise<void> {
  const { def, req, info } = scope;
  if (!info.name) throw errors.methodNotAllowed('PUT', def.model.plural);
  const body = decodeObject(await readBody(req), req.headers['content-type']);
  const pinned = Boolean((body.metadata as { resourceVersion?: string } | undefined)?.resourceVersion);
  // prepareUpdate consumes what compute returns, and a conflict retries: hand it a copy each time.
  const result = await guaranteedUpdate(scope, (cur) => (info.subresource === 'finalize' ? finalizeBody(cur.object, body) : structuredClone(body)), {
    retry: !pinned,
    createIfMissing: def.strategy?.allowCreateOnUpdate && !info.subresource ? async () => body : undefined,
  });
  respondObject(scope, result.code, atVersion(def, result.object));
}

/** Namespaces' /finalize changes spec.finalizers only. */
function finalizeBody(current: Obj, body: Record<string, unknown>): Record<string, unknown> {
  const finalizers = (body.spec as { finalizers?: unknown } | undefined)?.finalizers;
  return { ...structuredClone(current), spec: { ...(current.spec as object), finalizers: Array.isArray(finalizers) ? finalizers : [] } };
}

const patchTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml', 'application/apply-patch+json'];

export async function patchObject(scope: Scope): Promise<void> {
  const { def, req, info, query, deps } = scope;
  if (!info.name) throw errors.methodNotAllowed('PATCH', def.model.plural);
  const type = mediaType(req.headers['content-type']);
  if (!patchTypes.includes(type)) throw errors.unsupportedMediaType(type, patchTypes);
  if (type === 'application/strategic-merge-patch+json' && !def.builtin) {
    throw errors.unsupportedMediaType(type, patchTypes.filter((t) => t !== 'application/strategic-merge-patch+json'));
  }
  const raw = await readBody(req);
  if (raw.length === 0) throw errors.badRequest('the patch is empty');
  const meta = patchMetaFor(def);
  const gv = groupVersion(def.model);

  if (type.startsWith('application/apply-patch')) {
    const manager = query.get('fieldManager');
    if (!manager) throw errors.badRequest('PATCH, apply: fieldManager is required for apply requests');
    const force = query.get('force') === 'true';
    if (query.get('force') && !['true', 'false'].includes(query.get('force')!)) throw errors.badRequest('force must be true or false');
    const applied = (type.endsWith('yaml') ? decodeYaml(raw) : decodeJson(raw)) as Record<string, unknown>;
    if (!applied || typeof applied !== 'object' || Array.isArray(applied)) throw errors.badRequest('the apply configuration must be an object');
    const appliedName = (applied.metadata as { name?: string } | undefined)?.name;
    if (appliedName !== undefined && appliedName !== info.name) throw errors.badRequest(`the name of the object (${appliedName}) does not match the name on the URL (${info.name})`);
    const apply = (live: Obj | null) => {
      try {
        const out = applyConfiguration({
          live: live as JsonObject | null,
          applied: { apiVersion: gv, kind: def.model.kind, ...applied, metadata: { ...(applied.metadata as object), name: info.name } } as JsonObject,
          manager,
          force,
          meta,
          now: timestamp(deps.now()),
          apiVersion: gv,
          subresource: info.subresource,
        });
        return out.object as Obj;
      } catch (e) {
        if (e instanceof ConflictError) {
          throw new ApiError(409, 'Conflict', e.message, { name: info.name, group: def.model.apiGroup, kind: def.model.plural, causes: e.causes });
        }
        if (e instanceof ApplyError) throw errors.badRequest(e.message);
        throw errorFromPatch(e);
      }
    };
    const result = await guaranteedUpdate(scope, (cur) => apply(cur.object), { retry: true, createIfMissing: async () => apply(null) });
    respondObject(scope, result.code, atVersion(def, result.object));
    return;
  }

  const patch = decodeJson(raw) as JsonValue;
  const pinned = type !== 'application/json-patch+json' && typeof patch === 'object' && patch !== null && !Array.isArray(patch) && Boolean((patch.metadata as { resourceVersion?: string } | undefined)?.resourceVersion);
  const result = await guaranteedUpdate(
    scope,
    (cur) => {
      const target = cur.object as unknown as JsonValue;
      try {
        if (type === 'application/json-patch+json') return applyJsonPatch(target, patch) as Record<string, unknown>;
        if (type === 'application/merge-patch+json') return applyMergePatch(target, patch) as Record<string, unknown>;
        return applyStrategicMergePatch(target, patch, meta) as Record<string, unknown>;
      } catch (e) {
        throw errorFromPatch(e);
      }
    },
    { retry: !pinned },
  );
  respondObject(scope, result.code, atVersion(def, result.object));
}

function errorFromPatch(e: unknown): Error {
  if (e instanceof ApiError) return e;
  if (e instanceof PatchError) return new ApiError(422, 'Invalid', e.message);
  return e instanceof Error ? e : new Error(String(e));
}
