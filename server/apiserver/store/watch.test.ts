// Watches: replay then live, in order, without gaps or duplicates; cancel, Expired, slow consumers, close.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isStoreError } from './errors';
import type { Store } from './store';
import { type ConfigMap, configMap, key, useTempStores } from './testing';
import type { StoreEvent } from './types';
import { isPlainJson } from './values';

const stores = useTempStores();

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Waits until `check` holds, failing after a while instead of hanging. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await tick();
  }
  throw new Error(`timed out waiting for ${what}`);
}

function collect<T = ConfigMap>(store: Store, prefix: string, from: number) {
  const events: StoreEvent<T>[] = [];
  const errors: Error[] = [];
  const handle = store.watch<T>(prefix, from, (e) => void events.push(e), { onError: (err) => errors.push(err) });
  return { events, errors, handle };
}

describe('watch', () => {
  it('replays the log from a revision, then delivers live events, with values and previous values', async () => {
    const store = stores.open();
    await store.create(key('a'), configMap('a', { v: '1' }));
    await store.create(key('b'), configMap('b'));
    await store.update<ConfigMap>(key('a'), (c) => ({ ...c.object, data: { v: '2' } }));
    const w = collect(store, '/registry/configmaps/', 1);
    await until(() => w.events.length === 2, 'the replay');
    await store.create(key('c'), configMap('c'));
    await store.delete(key('b'));
    await until(() => w.events.length === 4, 'live events');
    expect(w.events.map((e) => [e.type, e.key, e.revision])).toEqual([
      ['ADDED', key('b'), 2],
      ['MODIFIED', key('a'), 3],
      ['ADDED', key('c'), 4],
      ['DELETED', key('b'), 5],
    ]);
    const [, modified, , deleted] = w.events;
    expect(modified?.object.data).toEqual({ v: '2' });
    expect(modified?.object.metadata.resourceVersion).toBe('3');
    expect(modified?.prevObject?.data).toEqual({ v: '1' });
    expect(modified?.prevObject?.metadata.resourceVersion).toBe('1');
    // A deleted object carries the deletion's revision; its previous value the one it had.
    expect(deleted?.object.metadata.resourceVersion).toBe('5');
    expect(deleted?.prevObject?.metadata.resourceVersion).toBe('2');
    expect(w.events[0]?.prevObject).toBeUndefined();
  });

  it('delivers only keys under its prefix, both replayed and live', async () => {
    const store = stores.open();
    await store.create(key('a', 'ns1'), configMap('a'));
    await store.create(key('a', 'ns10'), configMap('a'));
    const w = collect(store, '/registry/configmaps/ns1/', 0);
    await store.create(key('b', 'ns10'), configMap('b'));
    await store.create(key('b', 'ns1'), configMap('b'));
    await until(() => w.events.length === 2, 'two events');
    await tick();
    expect(w.events.map((e) => e.key)).toEqual([key('a', 'ns1'), key('b', 'ns1')]);
  });

  it('sees every revision exactly once across the replay/live boundary while writers keep writing', async () => {
    const store = stores.open();
    let stop = false;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const k = `/w/${w}/${i % 20}`;
        if (store.get(k)) await (i % 3 === 0 ? store.delete(k) : store.update(k, (c) => c.object));
        else await store.create(k, { metadata: { name: k } });
      }
    });
    const watchers: { from: number; events: StoreEvent[] }[] = [];
    // Start watchers at different moments, some far enough back that replay takes several pages.
    for (let n = 0; n < 6; n++) {
      await until(() => store.revision >= 400 * (n + 1), `revision ${400 * (n + 1)}`);
      const from = n % 2 === 0 ? 0 : store.revision - 50;
      const events: StoreEvent[] = [];
      store.watch('/w/', from, (e) => void events.push(e));
      watchers.push({ from, events });
    }
    stop = true;
    await Promise.all(writers);
    const last = store.revision;
    await until(() => watchers.every((w) => w.events.at(-1)?.revision === last), 'every watcher to reach the last revision');
    for (const { from, events } of watchers) {
      const revisions = events.map((e) => e.revision);
      expect(revisions).toEqual(Array.from({ length: last - from }, (_, i) => from + 1 + i));
    }
  });

  it('replays a rare prefix from far back, across many scan windows', async () => {
    const store = stores.open();
    for (let i = 0; i < 12; i++) {
      await Promise.all(Array.from({ length: 1000 }, (_, j) => store.create(`/noise/${i}/${j}`, {})));
      await store.create(`/rare/${i}`, {});
    }
    const w = collect(store, '/rare/', 0);
    await until(() => w.events.length === 12, 'the rare events');
    expect(w.events.map((e) => e.key)).toEqual(Array.from({ length: 12 }, (_, i) => `/rare/${i}`));
    await store.create('/rare/live', {});
    await until(() => w.events.length === 13, 'the live event');
  });

  it('delivers an event only once it is committed (visible to another connection)', async () => {
    const store = stores.open();
    const other = new Database(stores.dbPath(), { readonly: true });
    try {
      const committed = other.prepare('SELECT count(*) FROM events WHERE revision = ?').pluck();
      const seen: number[] = [];
      store.watch('/', 0, (e) => {
        expect(committed.get(e.revision)).toBe(1);
        seen.push(e.revision);
      });
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.create(`/k/${i}`, { i })));
      await until(() => seen.length === 50, 'all events');
    } finally {
      other.close();
    }
  });

  it('stops delivering after cancel', async () => {
    const store = stores.open();
    const w = collect(store, '/', 0);
    await store.create('/a', {});
    await until(() => w.events.length === 1, 'the first event');
    expect(store.stats().watchers).toBe(1);
    w.handle.cancel();
    expect(store.stats().watchers).toBe(0);
    await store.create('/b', {});
    await tick();
    expect(w.events).toHaveLength(1);
    expect(w.errors).toEqual([]);
  });

  it('waits for events newer than a future revision', async () => {
    const store = stores.open();
    await store.create('/a', {});
    const w = collect(store, '/', 2);
    await store.create('/b', {});
    await store.create('/c', {});
    await until(() => w.events.length === 1, 'the event after revision 2');
    expect(w.events[0]?.key).toBe('/c');
  });

  it('throws Expired when asked to start below the compacted revision', async () => {
    const store = stores.open();
    for (const k of ['/a', '/b', '/c']) await store.create(k, {});
    store.compact(2);
    let err: unknown;
    try {
      store.watch('/', 1, () => undefined);
    } catch (e) {
      err = e;
    }
    expect(isStoreError(err, 'Expired')).toBe(true);
    const w = collect(store, '/', 2);
    await until(() => w.events.length === 1, 'the event after the compaction point');
  });

  it('ends a watcher still replaying with Expired when compaction removes what it has not read', async () => {
    const store = stores.open();
    await Promise.all(Array.from({ length: 1200 }, (_, i) => store.create(`/k/${i}`, {})));
    let release = () => {};
    const errors: Error[] = [];
    let delivered = 0;
    // The consumer holds the first event, so the replay stops after its first page.
    store.watch('/', 0, () => {
      delivered++;
      return delivered === 1 ? new Promise<void>((resolve) => (release = resolve)) : undefined;
    }, { onError: (err) => errors.push(err) });
    await until(() => delivered === 1, 'the first event');
    store.compact(1000);
    release();
    await until(() => errors.length === 1, 'the watch to end');
    expect(isStoreError(errors[0], 'Expired')).toBe(true);
    expect(delivered).toBeLessThan(1000);
    expect(store.stats().watchers).toBe(0);
  });

  it('applies backpressure: a consumer returning promises gets every event in order', async () => {
    const store = stores.open();
    const revisions: number[] = [];
    store.watch('/', 0, async (e) => {
      await tick();
      revisions.push(e.revision);
    });
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.create(`/k/${i}`, {})));
    await until(() => revisions.length === 40, 'the slow consumer');
    expect(revisions).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('ends a consumer that falls too far behind with Expired, without holding up writers', async () => {
    const store = stores.open();
    const errors: Error[] = [];
    const stuck = store.watch('/', 0, () => new Promise<void>(() => {}), { maxBuffered: 10, onError: (err) => errors.push(err) });
    const fast = collect(store, '/', 0);
    const writes = await Promise.all(Array.from({ length: 50 }, (_, i) => store.create(`/k/${i}`, {})));
    expect(writes).toHaveLength(50);
    await until(() => errors.length === 1 && fast.events.length === 50, 'the stuck watcher to be dropped');
    expect(isStoreError(errors[0], 'Expired')).toBe(true);
    expect(errors[0]?.message).toMatch(/fell \d+ events behind/);
    expect(store.stats().watchers).toBe(1);
    stuck.cancel();
  });

  it('ends a watcher whose consumer throws, reporting that error, and others go on', async () => {
    const store = stores.open();
    const boom = new Error('consumer bug');
    const errors: Error[] = [];
    store.watch('/', 0, () => { throw boom; }, { onError: (err) => errors.push(err) });
    const healthy = collect(store, '/', 0);
    await store.create('/a', {});
    await store.create('/b', {});
    await until(() => healthy.events.length === 2, 'the healthy watcher');
    expect(errors).toEqual([boom]);
  });

  it('ends watchers with Closed when the store closes', async () => {
    const store = stores.open();
    const w = collect(store, '/', 0);
    store.close();
    expect(w.errors).toHaveLength(1);
    expect(isStoreError(w.errors[0], 'Closed')).toBe(true);
    expect(() => store.watch('/', 0, () => undefined)).toThrow(/closed/);
  });
});

describe('a create whose object the writer hands over', () => {
  it('reaches watchers as that object, stamped, equal to a parse of what was stored; the writer is answered with a parse of its own', async () => {
    const store = stores.open();
    const w = collect(store, '/registry/configmaps/', store.revision);
    const mine = configMap('a', { v: '1' });
    const stored = await store.create(key('a'), mine, { handOver: true });
    await until(() => w.events.length === 1, 'the event');
    const [event] = w.events;
    // Same keys in the same order as the stored JSON, resourceVersion included.
    expect(JSON.stringify(event!.object)).toBe(stored.json);
    expect(event!.object).toEqual(JSON.parse(stored.json!));
    expect(event!.object.metadata.resourceVersion).toBe(String(stored.revision));
    // The writer's own object is not stamped, and its answer is a separate parse.
    expect((mine.metadata as { resourceVersion?: string }).resourceVersion).toBeUndefined();
    expect(stored.object).not.toBe(event!.object);
    w.handle.cancel();
  });

  it('is parsed as usual when it is not plain JSON (an undefined field would differ from the stored value)', async () => {
    const store = stores.open();
    const w = collect(store, '/registry/configmaps/', store.revision);
    const odd = { ...configMap('a'), extra: undefined, when: new Date(0) };
    const stored = await store.create(key('a'), odd, { handOver: true });
    await until(() => w.events.length === 1, 'the event');
    const object = w.events[0]!.object as unknown as Record<string, unknown>;
    expect('extra' in object).toBe(false);
    expect(object.when).toBe('1970-01-01T00:00:00.000Z');
    expect(JSON.stringify(object)).toBe(stored.json);
  });

  it('without handOver, watchers get a parse, never the writer\'s object', async () => {
    const store = stores.open();
    const w = collect(store, '/registry/configmaps/', store.revision);
    const mine = configMap('a');
    await store.create(key('a'), mine);
    await until(() => w.events.length === 1, 'the event');
    expect(w.events[0]!.object.data).not.toBe(mine.data);
  });
});

describe('isPlainJson', () => {
  it.each<[string, unknown, boolean]>([
    ['an object of every JSON type', { a: 'x', b: 1.5, c: true, d: null, e: [1, { f: [] }], g: {} }, true],
    ['a null-prototype object', Object.assign(Object.create(null), { a: 1 }), true],
    ['undefined inside', { a: { b: undefined } }, false],
    ['a hole in an array', Object.assign(new Array<number>(3), { 0: 1, 2: 3 }), false],
    ['-0', { n: -0 }, false],
    ['NaN', [Number.NaN], false],
    ['Infinity', { n: Infinity }, false],
    ['a Date', { d: new Date(0) }, false],
    ['a Buffer', { b: Buffer.from('x') }, false],
    ['a function', { f: () => 1 }, false],
    ['a bigint', { n: 1n }, false],
  ])('%s: %s', (_, value, plain) => {
    expect(isPlainJson(value)).toBe(plain);
    if (plain) expect(JSON.parse(JSON.stringify(value))).toEqual(value);
  });
});
