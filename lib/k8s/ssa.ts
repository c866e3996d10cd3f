// Server-side apply field management, pure: who owns which fields
// (metadata.managedFields), how an apply configuration merges into the live
// object, when it conflicts, and how ownership moves on ordinary writes —
// following the API server's field manager (structured-merge-diff).

import { deepClone, deepEqual, getOwn, isJsonObject, setOwn, type JsonObject, type JsonValue, type PatchMeta } from './patch';
import {
  fieldSetFromFieldsV1,
  fieldsV1FromSet,
  formatFieldPath,
  pathFromKey,
  subtractFieldSet,
  unionFieldSets,
  type FieldSet,
  type FieldsV1,
  type PathElement,
} from './fieldset';
import { ApplyError, collect, compareObjects, dropNulls, ignoredFilter, mergeValues, newObjectFieldsV1, prune } from './ssa-typed';

export { ApplyError };

/** One metadata.managedFields entry, as the API server writes it. */
export interface FieldsV1Entry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldsV1;
  subresource?: string;
}

export interface FieldConflict {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  path: PathElement[];
  /** The path as Kubernetes prints it: ".spec.replicas". */
  field: string;
}

/** Apply changed fields other managers own (409 Conflict); `causes` are the Status causes. */
export class ConflictError extends Error {
  readonly causes: { reason: 'FieldManagerConflict'; message: string; field: string }[];
  constructor(readonly conflicts: FieldConflict[]) {
    super(conflictMessage(conflicts));
    this.name = 'ConflictError';
    this.causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${describeManager(c)}`, field: c.field }));
  }
}

function describeManager(m: { manager: string; operation: string; apiVersion: string; subresource?: string }): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  return m.operation === 'Update' ? `${s} using ${m.apiVersion}` : s;
}

function conflictMessage(conflicts: FieldConflict[]): string {
  const [only] = conflicts;
  if (conflicts.length === 1 && only) return `Apply failed with 1 conflict: conflict with ${describeManager(only)}: ${only.field}`;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const who = describeManager(c);
    byManager.set(who, [...(byManager.get(who) ?? []), c.field]);
  }
  const lines = [...byManager.entries()].flatMap(([who, fields]) => [`conflicts with ${who}:`, ...fields.map((f) => `- ${f}`)]);
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/**
 * The fields an object (or a partial object, such as an apply
 * configuration) sets, without those the field manager ignores
 * (apiVersion, kind, server-set metadata, and status — or spec for the
 * status subresource). Throws ApplyError for lists that cannot be keyed;
 * pass strict: false for stored objects, whose such lists count as one field.
 */
export function fieldSetOf(obj: JsonValue, meta: PatchMeta, options: { subresource?: string; strict?: boolean } = {}): FieldSet {
  const out: FieldSet = new Set();
  collect(obj, meta, [], out, options.strict ?? true);
  const ignored = ignoredFilter(options.subresource);
  return new Set([...out].filter((k) => !ignored(k)));
}

// ---- managedFields entries ------------------------------------------------

interface Manager {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

/** Appliers are one manager whatever their apiVersion; updaters are one per apiVersion (BuildManagerIdentifier). */
const identityOf = (m: Omit<Manager, 'set' | 'time'>): string =>
  JSON.stringify([m.manager, m.operation, m.operation === 'Update' ? m.apiVersion : '', m.subresource ?? '']);

function decodeManagedFields(entries: unknown): Map<string, Manager> {
  const out = new Map<string, Manager>();
  if (entries === undefined || entries === null) return out;
  if (!Array.isArray(entries)) throw new ApplyError('metadata.managedFields must be a list');
  entries.forEach((raw: unknown, i) => {
    const e = (isJsonObject(raw as JsonValue) ? raw : {}) as Record<string, unknown>;
    if (e.operation !== 'Apply' && e.operation !== 'Update') throw new ApplyError('operation must be `Apply` or `Update`');
    if (typeof e.apiVersion !== 'string' || e.apiVersion === '') throw new ApplyError('apiVersion must not be empty');
    if (e.fieldsType !== 'FieldsV1') throw new ApplyError(`invalid fieldsType ${JSON.stringify(e.fieldsType ?? '')} in managed fields entry ${i}`);
    const m: Manager = {
      manager: typeof e.manager === 'string' ? e.manager : '',
      operation: e.operation,
      apiVersion: e.apiVersion,
      ...(typeof e.subresource === 'string' && e.subresource ? { subresource: e.subresource } : {}),
      ...(typeof e.time === 'string' ? { time: e.time } : {}),
      set: fieldSetFromFieldsV1(e.fieldsV1 ?? {}),
    };
    out.set(identityOf(m), m);
  });
  return out;
}

const seconds = (time?: string): number => (time ? Math.floor(Date.parse(time) / 1000) || 0 : 0);
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Entries as the API server stores them: empty ones dropped, Apply first, then oldest first. */
function encodeManagedFields(managers: Iterable<Manager>): FieldsV1Entry[] {
  return [...managers]
    .filter((m) => m.set.size > 0)
    .sort(
      (a, b) =>
        cmp(a.operation, b.operation) ||
        seconds(a.time) - seconds(b.time) ||
        cmp(a.manager, b.manager) ||
        cmp(a.apiVersion, b.apiVersion) ||
        cmp(a.subresource ?? '', b.subresource ?? ''),
    )
    .map((m) => ({
      manager: m.manager,
      operation: m.operation,
      apiVersion: m.apiVersion,
      ...(m.time ? { time: m.time } : {}),
      fieldsType: 'FieldsV1' as const,
      fieldsV1: fieldsV1FromSet(m.set),
      ...(m.subresource ? { subresource: m.subresource } : {}),
    }));
}

const managedFieldsOf = (obj: JsonObject | null | undefined): unknown => {
  const metadata = obj ? getOwn(obj, 'metadata') : undefined;
  return isJsonObject(metadata) ? getOwn(metadata, 'managedFields') : undefined;
};

// ---- The two operations -----------------------------------------------------

export interface ApplyRequest {
  /** The stored object, or null when the apply creates it. */
  live: JsonObject | null | undefined;
  /** The apply configuration as sent (apiVersion, kind, metadata.name and the fields the manager cares about). */
  applied: JsonObject;
  manager: string;
  force?: boolean;
  meta: PatchMeta;
  /** RFC 3339 time recorded on the applier's entry, e.g. "2025-01-02T03:04:05Z". */
  now: string;
  subresource?: string;
  /** The group/version the request was served at; defaults to applied.apiVersion. */
  apiVersion?: string;
}

/**
 * Server-side apply. Returns the object to store (metadata.managedFields
 * filled in) and the new entries, or throws ConflictError when the
 * configuration changes fields other managers own and `force` is not set.
 * Preconditions (resourceVersion, uid), defaulting and validation stay with
 * the caller; server-set metadata and status in the configuration are ignored.
 */
export function applyConfiguration(req: ApplyRequest): { object: JsonObject; managedFields: FieldsV1Entry[] } {
  const { live, applied, manager, meta, now, subresource } = req;
  if (!manager) throw new ApplyError('fieldManager is required for apply requests');
  if (managedFieldsOf(applied) !== undefined) throw new ApplyError('metadata.managedFields must be nil');
  const apiVersion = req.apiVersion ?? (typeof applied.apiVersion === 'string' ? applied.apiVersion : String(live?.apiVersion ?? ''));
  const ignored = ignoredFilter(subresource);

  const config = deepClone(applied);
  delete config[subresource === 'status' ? 'spec' : 'status'];
  const configMeta = getOwn(config, 'metadata');
  if (isJsonObject(configMeta)) {
    for (const k of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds']) delete configMeta[k];
  }

  const before = live ? deepClone(live) : {};
  let managers: Map<string, Manager>;
  try {
    managers = decodeManagedFields(managedFieldsOf(live));
  } catch (e) {
    throw new ApplyError(`failed to decode managed fields: ${(e as Error).message}`);
  }
  const configSet = fieldSetOf(config, meta, { subresource, strict: true });
  const merged = mergeValues(before, config, meta, []) as JsonObject;
  dropNulls(merged);

  const self = identityOf({ manager, operation: 'Apply', apiVersion, subresource });
  const previous = managers.get(self);
  managers.set(self, { manager, operation: 'Apply', apiVersion, ...(subresource ? { subresource } : {}), ...(previous?.time ? { time: previous.time } : {}), set: configSet });
  if (previous && previous.set.size > 0) prune(merged, previous.set, unionFieldSets(...[...managers.values()].map((m) => m.set)), ignored);

  const diff = compareObjects(before, merged, meta, subresource);
  const changed = unionFieldSets(diff.modified, diff.added);
  const conflicts: FieldConflict[] = [];
  for (const [id, m] of managers) {
    if (id === self) continue;
    for (const key of [...m.set].filter((k) => changed.has(k)).sort()) {
      const path = pathFromKey(key);
      conflicts.push({ manager: m.manager, operation: m.operation, apiVersion: m.apiVersion, ...(m.subresource ? { subresource: m.subresource } : {}), path, field: formatFieldPath(path) });
    }
  }
  if (conflicts.length > 0 && !req.force) {
    conflicts.sort((a, b) => cmp(identityOf(a), identityOf(b)));
    throw new ConflictError(conflicts);
  }
  for (const [id, m] of managers) {
    if (id !== self) m.set = subtractFieldSet(subtractFieldSet(m.set, changed), diff.removed);
  }
  // The time moves only when the object changed, as upstream (a no-op apply leaves it be).
  const mine = managers.get(self) as Manager;
  if (!deepEqual(before, merged)) mine.time = now;

  const managedFields = encodeManagedFields(managers.values());
  let metadata = getOwn(merged, 'metadata');
  if (!isJsonObject(metadata)) setOwn(merged, 'metadata', (metadata = {}));
  if (managedFields.length > 0) setOwn(metadata, 'managedFields', managedFields as unknown as JsonValue);
  else delete metadata.managedFields;
  return { object: merged, managedFields };
}

export interface UpdateRequest {
  /** The stored object, or null for a create. */
  live: JsonObject | null | undefined;
  /** The object about to be stored (after any patch is applied). */
  updated: JsonObject;
  manager: string;
  meta: PatchMeta;
  now: string;
  operation?: 'Update';
  subresource?: string;
  /** The group/version the request was served at; defaults to updated.apiVersion. */
  apiVersion?: string;
}

/** Which entries an update starts from (decodeLiveOrNew): the request's, when it sets valid ones, else the live object's. */
function startingManagers(live: JsonObject | null | undefined, updated: JsonObject, subresource?: string): Map<string, Manager> {
  if (subresource) return liveManagers(live);
  const requested = managedFieldsOf(updated);
  // [] or [{}] is how a client asks to reset managedFields.
  if (Array.isArray(requested) && (requested.length === 0 || (requested.length === 1 && deepEqual(requested[0] as JsonValue, {})))) {
    return new Map();
  }
  try {
    const managers = decodeManagedFields(requested);
    if (managers.size > 0) return managers;
  } catch {
    // fall back to the live object's entries
  }
  return liveManagers(live);
}

function liveManagers(live: JsonObject | null | undefined): Map<string, Manager> {
  try {
    return decodeManagedFields(managedFieldsOf(live));
  } catch {
    return new Map();
  }
}

/**
 * managedFields after a create, update or patch (anything but apply): the
 * writer takes the fields it added or changed, other managers lose those
 * and any it removed, empty entries are dropped. Never throws: like the API
 * server, field tracking never fails a write.
 */
export function updateManagedFields(req: UpdateRequest): FieldsV1Entry[] {
  const { live, updated, manager, meta, now, subresource } = req;
  const apiVersion = req.apiVersion ?? (typeof updated.apiVersion === 'string' ? updated.apiVersion : String(live?.apiVersion ?? ''));
  const managers = startingManagers(live, updated, subresource);

  if (!live && managers.size === 0) {
    // A create with no entries of its own (nearly all of them): the creator owns every field it set.
    const fieldsV1 = newObjectFieldsV1(updated, meta, subresource);
    if (Object.keys(fieldsV1).length === 0) return [];
    return [{ manager, operation: 'Update', apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1, ...(subresource ? { subresource } : {}) }];
  }

  // On create, spec and status count as already there (as the empty typed object has them).
  const base: JsonObject = live ? live : {};
  if (!live) for (const k of ['spec', 'status']) if (isJsonObject(getOwn(updated, k))) setOwn(base, k, {});

  const diff = compareObjects(base, updated, meta, subresource);
  const changed = unionFieldSets(diff.modified, diff.added);
  for (const m of managers.values()) m.set = subtractFieldSet(subtractFieldSet(m.set, changed), diff.removed);

  const self = identityOf({ manager, operation: 'Update', apiVersion, subresource });
  const previous = managers.get(self);
  if (previous || changed.size > 0) {
    managers.set(self, {
      manager,
      operation: 'Update',
      apiVersion,
      ...(subresource ? { subresource } : {}),
      ...(changed.size > 0 ? { time: now } : previous?.time ? { time: previous.time } : {}),
      set: unionFieldSets(previous?.set ?? [], changed),
    });
  }
  return encodeManagedFields(managers.values());
}
