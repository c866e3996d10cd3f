// Watch: a chunked stream of JSON lines (ADDED/MODIFIED/DELETED/BOOKMARK/ERROR)
// from a resourceVersion, with selectors applied to both sides of every change
// (an object leaving a selection is DELETED for that watcher), bookmarks,
// timeouts, a heartbeat, and 410 Expired when the revision is compacted.
import { groupVersion } from '@/lib/k8s/models';
import type { K8sObject } from '@/lib/k8s/types';
import { errors } from '../errors';
import { storageKey } from '../registry';
import { isStoreError, type StoreEvent } from '../store';
import { buildFilter } from './filters';
import { negotiate } from './negotiate';
import { atVersion } from './respond';
import type { Scope } from './scope';
import { parseIncludeObject, toTable } from './table';

const HEARTBEAT_MS = 30_000;
const BOOKMARK_MS = 60_000;

export async function watchObjects(scope: Scope): Promise<void> {
  const { def, info, deps, query, req, res } = scope;
  const filter = buildFilter(def, query);
  const onlyName = info.name;
  const rvParam = query.get('resourceVersion') ?? '';
  if (rvParam && rvParam !== '0' && !/^\d+$/.test(rvParam)) throw errors.badRequest(`resourceVersion "${rvParam}" is not a valid resource version`);
  const timeoutParam = query.get('timeoutSeconds');
  const timeoutSeconds = timeoutParam ? Number(timeoutParam) : 1800 + Math.floor(Math.random() * 1800);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) throw errors.badRequest(`timeoutSeconds must be a non-negative number, not "${timeoutParam}"`);
  const bookmarks = query.get('allowWatchBookmarks') === 'true' || query.get('allowWatchBookmarks') === '1';
  const sendInitial = query.get('sendInitialEvents');
  const initialEvents = sendInitial === 'true' || (sendInitial === null && (rvParam === '' || rvParam === '0'));
  const rendering = negotiate(req.headers.accept, false);
  const include = parseIncludeObject(query.get('includeObject'));
  const prefix = storageKey(def, def.model.namespaced ? info.namespace : undefined);
  const passes = (o: K8sObject | undefined) => o !== undefined && (!onlyName || o.metadata?.name === onlyName) && filter.matches(o);

  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  req.socket.setNoDelay(true);
  req.socket.setKeepAlive(true, 30_000);

  let firstTable = true;
  let lastWrite = Date.now();
  let lastRevision = 0;
  let closed = false;
  let handle: { cancel(): void } | undefined;
  const timers: { ticker?: NodeJS.Timeout; deadline?: NodeJS.Timeout } = {};

  const write = (type: string, obj: unknown): boolean => {
    let object = obj;
    if (rendering.as === 'Table' && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')) {
      object = toTable(def, [obj as K8sObject], { resourceVersion: (obj as K8sObject).metadata?.resourceVersion }, include, deps.now(), firstTable);
      firstTable = false;
    }
    lastWrite = Date.now();
    return res.write(JSON.stringify({ type, object }) + '\n');
  };
  const drained = () => new Promise<void>((resolve) => {
    if (closed) return resolve();
    res.once('drain', resolve);
    res.once('close', resolve);
  });
  const bookmark = (annotations?: Record<string, string>) =>
    write('BOOKMARK', { kind: def.model.kind, apiVersion: groupVersion(def.model), metadata: { resourceVersion: String(lastRevision), ...(annotations ? { annotations } : {}) } });

  const finish = () => {
    if (closed) return;
    closed = true;
    handle?.cancel();
    if (timers.ticker) clearInterval(timers.ticker);
    if (timers.deadline) clearTimeout(timers.deadline);
    if (!res.writableEnded) res.end();
  };

  // The response's close is the client going away (a request's own close fires when its body ends).
  res.on('close', finish);

  let startRevision: number;
  if (initialEvents) {
    const page = deps.store.list<K8sObject>(prefix);
    startRevision = page.revision;
    lastRevision = page.revision;
    for (const it of page.items) if (passes(it.object)) if (!write('ADDED', atVersion(def, it.object))) await drained();
    if (sendInitial === 'true' && bookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } else {
    startRevision = Number(rvParam);
    lastRevision = startRevision;
  }

  if (closed) return;

  const onEvent = (e: StoreEvent<K8sObject>): void | Promise<void> => {
    if (closed) return;
    lastRevision = e.revision;
    const now = passes(e.type === 'DELETED' ? undefined : e.object);
    const before = passes(e.prevObject);
    let type: string | undefined;
    if (e.type === 'ADDED') type = now ? 'ADDED' : undefined;
    else if (e.type === 'DELETED') type = before ? 'DELETED' : undefined;
    else type = now && before ? 'MODIFIED' : now ? 'ADDED' : before ? 'DELETED' : undefined;
    if (!type) return;
    if (!write(type, atVersion(def, e.object))) return drained();
  };

  try {
    handle = deps.store.watch<K8sObject>(prefix, startRevision, onEvent, {
      onError: (err) => {
        if (isStoreError(err) && err.code === 'Expired') write('ERROR', errors.gone(`too old resource version: ${startRevision} (${deps.store.compactedRevision})`).toStatus());
        finish();
      },
    });
  } catch (e) {
    if (isStoreError(e) && e.code === 'Expired') {
      write('ERROR', errors.gone(`too old resource version: ${startRevision} (${deps.store.compactedRevision})`).toStatus());
      res.end();
      return;
    }
    res.end();
    throw e;
  }

  // Keep idle streams open through proxies; bookmarks let clients resume from a recent revision.
  let lastBookmark = Date.now();
  timers.ticker = setInterval(() => {
    if (closed) return;
    if (bookmarks && Date.now() - lastBookmark >= BOOKMARK_MS) {
      lastBookmark = Date.now();
      bookmark();
    } else if (Date.now() - lastWrite >= HEARTBEAT_MS) {
      lastWrite = Date.now();
      res.write('\n');
    }
  }, Math.min(HEARTBEAT_MS, BOOKMARK_MS) / 3);
  timers.deadline = setTimeout(finish, timeoutSeconds * 1000);
}
