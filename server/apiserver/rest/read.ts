// GET of one object and of collections (limit/continue at a consistent
// revision, label and field selectors, resourceVersion semantics).
import { errors } from '../errors';
import { storageKey } from '../registry';
import { isStoreError } from '../store';
import type { K8sObject } from '@/lib/k8s/types';
import { buildFilter } from './filters';
import { atVersion, respondList, respondObject } from './respond';
import type { Scope } from './scope';

export async function getObject(scope: Scope): Promise<void> {
  const { def, info, deps } = scope;
  const got = deps.store.get<K8sObject>(storageKey(def, info.namespace, info.name));
  if (!got) throw errors.notFound(def.model.plural, def.model.apiGroup, info.name ?? '');
  respondObject(scope, 200, atVersion(def, got.object));
}

interface ContinueToken {
  rv: number;
  start: string;
}

export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'kura/1', rv: t.rv, start: t.start })).toString('base64url');
}

export function decodeContinue(s: string): ContinueToken {
  try {
    const raw = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { v?: string; rv?: unknown; start?: unknown };
    if (raw.v === 'kura/1' && typeof raw.rv === 'number' && typeof raw.start === 'string') return { rv: raw.rv, start: raw.start };
  } catch {
    /* fall through */
  }
  throw errors.badRequest('continue key is not valid: it must come from a previous list response of this server');
}

function parseRevision(v: string, what: string): number {
  if (!/^\d+$/.test(v)) throw errors.badRequest(`${what} "${v}" is not a valid resource version`);
  return Number(v);
}

const tooOldContinue =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export async function listObjects(scope: Scope): Promise<void> {
  const { def, info, deps, query } = scope;
  const filter = buildFilter(def, query);
  const limitParam = query.get('limit');
  const limit = limitParam ? Number(limitParam) : 0;
  if (!Number.isInteger(limit) || limit < 0) throw errors.badRequest(`limit must be a non-negative integer, not "${limitParam}"`);
  const cont = query.get('continue');
  const rvParam = query.get('resourceVersion') ?? '';
  const match = query.get('resourceVersionMatch') ?? '';
  if (match && !['Exact', 'NotOlderThan'].includes(match)) throw errors.badRequest(`resourceVersionMatch must be Exact or NotOlderThan, not "${match}"`);
  if (match && !rvParam) throw errors.badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (cont && rvParam) throw errors.badRequest('specifying resource version is not allowed when using continue');

  let atRevision: number | undefined;
  let startAfter: string | undefined;
  if (cont) {
    const token = decodeContinue(cont);
    atRevision = token.rv;
    startAfter = token.start;
  } else if (rvParam && rvParam !== '0') {
    const rv = parseRevision(rvParam, 'resourceVersion');
    if (rv > deps.store.revision) {
      throw errors.timeout(`Too large resource version: ${rv}, current: ${deps.store.revision}`);
    }
    if (match === 'Exact') atRevision = rv;
  }

  const prefix = storageKey(def, def.model.namespaced ? info.namespace : undefined);
  const items: K8sObject[] = [];
  let revision = deps.store.revision;
  let lastKey: string | undefined = startAfter;
  let more = false;
  let remaining: number | undefined;
  try {
    if (filter.name !== undefined && !def.model.namespaced) {
      // A single-name selector on a cluster-scoped kind is one key lookup.
      const got = deps.store.get<K8sObject>(storageKey(def, undefined, filter.name));
      if (got && filter.matches(got.object)) items.push(atVersion(def, got.object));
    } else {
      // Without selectors a page of the store is a page of the answer; with them, read ahead.
      const chunk = limit > 0 ? (filter.everything ? limit : Math.max(limit, 500)) : 0;
      for (;;) {
        const page = deps.store.list<K8sObject>(prefix, { limit: chunk || undefined, startAfter: lastKey, atRevision });
        revision = page.revision;
        atRevision = page.revision;
        for (const it of page.items) {
          lastKey = it.key;
          if (!filter.matches(it.object)) continue;
          items.push(atVersion(def, it.object));
          if (limit > 0 && items.length === limit) break;
        }
        const stoppedEarly = limit > 0 && items.length === limit && lastKey !== page.items[page.items.length - 1]?.key;
        if (limit > 0 && items.length === limit) {
          more = stoppedEarly || page.more;
          if (more && filter.everything) remaining = stoppedEarly ? undefined : page.remaining;
          break;
        }
        if (!page.more || !chunk) break;
      }
    }
  } catch (e) {
    if (isStoreError(e) && e.code === 'Expired') throw errors.gone(cont ? tooOldContinue : `too old resource version: ${rvParam} (${deps.store.compactedRevision})`);
    throw e;
  }
  const meta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = { resourceVersion: String(revision) };
  if (more && lastKey) meta.continue = encodeContinue({ rv: revision, start: lastKey });
  if (remaining !== undefined) meta.remainingItemCount = remaining;
  respondList(scope, def, items, meta);
}
