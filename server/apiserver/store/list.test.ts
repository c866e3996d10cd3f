// Lists: prefix ranges, key order, limit/startAfter pages, counts, and reads at an older revision.
import { describe, expect, it } from 'vitest';
import { isStoreError } from './errors';
import { compareKeys } from './reads';
import type { Store } from './store';
import { type ConfigMap, configMap, useTempStores } from './testing';
import { prefixEnd } from './values';

const stores = useTempStores();

describe('prefixEnd', () => {
  it.each([
    ['/registry/pods/', '/registry/pods0'],
    ['a', 'b'],
    ['a\u{10ffff}', 'b'],
    ['a\ud7ff', 'a\ue000'], // skips the surrogate range
    ['\u{10ffff}', null],
    ['', null],
  ])('prefixEnd(%j) = %j', (prefix, end) => {
    expect(prefixEnd(prefix)).toBe(end);
  });
});

describe('compareKeys (code point order, as SQLite sorts UTF-8)', () => {
  it.each([
    ['a', 'b', -1],
    ['ab', 'a', 1],
    ['x', 'x', 0],
    ['\uffff', '😀', -1], // UTF-16 code units would say the opposite
    ['😀', '\ue000', 1],
  ])('%j vs %j', (a, b, sign) => {
    expect(Math.sign(compareKeys(a, b))).toBe(sign);
  });
});

async function fill(store: Store, keys: string[]): Promise<void> {
  await Promise.all(keys.map((k) => store.create(k, configMap(k.split('/').pop() ?? k))));
}

const keysOf = (items: { key: string }[]) => items.map((i) => i.key);

describe('list', () => {
  it('returns exactly the keys under the prefix, in key order, with the revision it read at', async () => {
    const store = stores.open();
    await fill(store, ['/r/pods/ns10/a', '/r/pods/ns1/b', '/r/pods/ns1/a', '/r/pods/ns2/a', '/r/podsx/ns1/a', '/r/pod']);
    const list = store.list<ConfigMap>('/r/pods/ns1/');
    expect(keysOf(list.items)).toEqual(['/r/pods/ns1/a', '/r/pods/ns1/b']);
    expect(list.revision).toBe(6);
    expect(list.more).toBe(false);
    expect(list.items[0]?.object.metadata.resourceVersion).toBe(String(list.items[0]?.revision));
    expect(keysOf(store.list('/r/pods/').items)).toEqual(['/r/pods/ns1/a', '/r/pods/ns1/b', '/r/pods/ns10/a', '/r/pods/ns2/a']);
    expect(store.list('').items).toHaveLength(6);
    expect(store.count('/r/pods/')).toBe(4);
    expect(store.count('/r/nothing/')).toBe(0);
  });

  it('pages with limit and startAfter, reporting more and remaining', async () => {
    const store = stores.open();
    const keys = Array.from({ length: 25 }, (_, i) => `/r/cm/ns/o${String(i).padStart(2, '0')}`);
    await fill(store, [...keys, '/r/other/x']);
    const seen: string[] = [];
    const remainders: (number | undefined)[] = [];
    let after: string | undefined;
    for (;;) {
      const page = store.list('/r/cm/', { limit: 10, startAfter: after });
      seen.push(...keysOf(page.items));
      remainders.push(page.remaining);
      if (!page.more) break;
      after = page.items[page.items.length - 1]?.key;
    }
    expect(seen).toEqual(keys);
    expect(remainders).toEqual([15, 5, undefined]);
    // An exact fit is not "more".
    expect(store.list('/r/cm/', { limit: 25 }).more).toBe(false);
    // startAfter before the prefix is simply the whole prefix; after it, nothing.
    expect(store.list('/r/cm/', { startAfter: '/a' }).items).toHaveLength(25);
    expect(store.list('/r/cm/', { startAfter: '/r/cm0' }).items).toHaveLength(0);
  });

  it('orders and pages keys outside the Basic Multilingual Plane the way SQLite stores them', async () => {
    const store = stores.open();
    const keys = ['/u/a', '/u/\uffff', '/u/😀', '/u/😀/x'];
    await fill(store, keys);
    expect(keysOf(store.list('/u/').items)).toEqual(keys);
    expect(keysOf(store.list('/u/', { startAfter: '/u/\uffff' }).items)).toEqual(['/u/😀', '/u/😀/x']);
    expect(keysOf(store.list('/u/😀').items)).toEqual(['/u/😀', '/u/😀/x']);
  });

  it('refuses a bad limit and a revision from the future', async () => {
    const store = stores.open();
    await fill(store, ['/a']);
    expect(() => store.list('/', { limit: 0 })).toThrow(RangeError);
    expect(() => store.list('/', { atRevision: 5 })).toThrow(/newer than/);
  });
});

describe('list at an older revision', () => {
  it('serves later pages at the first page’s revision, unaffected by writes in between', async () => {
    const store = stores.open();
    const keys = Array.from({ length: 9 }, (_, i) => `/r/cm/o${i}`);
    await fill(store, keys);
    const first = store.list<ConfigMap>('/r/cm/', { limit: 3 });
    expect(keysOf(first.items)).toEqual(keys.slice(0, 3));
    const before = store.list<ConfigMap>('/r/cm/').items;

    // Writes interleaved with paging: in the range of later pages, and on the first page too.
    await store.delete('/r/cm/o4');
    await store.update<ConfigMap>('/r/cm/o5', (c) => ({ ...c.object, data: { changed: 'yes' } }));
    await store.create('/r/cm/o4a', configMap('o4a'));
    await store.delete('/r/cm/o0');
    await store.update<ConfigMap>('/r/cm/o7', (c) => c.object);
    await store.delete('/r/cm/o7');
    await store.create('/r/cm/o7', configMap('o7', { reborn: 'yes' }));

    const rest: typeof before = [];
    let page = first;
    while (page.more) {
      page = store.list<ConfigMap>('/r/cm/', { limit: 3, startAfter: page.items[page.items.length - 1]?.key, atRevision: first.revision });
      expect(page.revision).toBe(first.revision);
      rest.push(...page.items);
    }
    expect([...first.items, ...rest]).toEqual(before);
    expect(store.list('/r/cm/', { limit: 3, atRevision: first.revision }).remaining).toBe(6);
    expect(keysOf(store.list('/r/cm/').items)).toEqual(['/r/cm/o1', '/r/cm/o2', '/r/cm/o3', '/r/cm/o4a', '/r/cm/o5', '/r/cm/o6', '/r/cm/o7', '/r/cm/o8']);
  });

  it('matches a model of every past state after random writes', async () => {
    const store = stores.open();
    // A small deterministic generator so a failure can be replayed.
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const model = new Map<string, number>(); // key -> revision of its value
    const history = new Map<number, Map<string, number>>([[0, new Map()]]);
    for (let step = 0; step < 300; step++) {
      const k = `/m/${['a', 'b', 'c'][random(3)]}/${random(12)}`;
      const existing = model.get(k);
      let revision: number;
      if (existing === undefined) revision = (await store.create(k, { metadata: { name: k }, step })).revision;
      else if (random(3) === 0) {
        revision = (await store.delete(k)).revision;
        model.delete(k);
        history.set(revision, new Map(model));
        continue;
      } else revision = (await store.update<{ step: number }>(k, (c) => ({ ...c.object, step }))).revision;
      model.set(k, revision);
      history.set(revision, new Map(model));
    }
    for (const at of [0, 1, 17, 99, 150, 222, 299, 300]) {
      const state = history.get(at);
      if (!state) throw new Error(`no state at ${at}`);
      for (const prefix of ['/m/', '/m/b/', '/m/c/1']) {
        const expected = [...state.entries()].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => compareKeys(a, b));
        const listed = store.list('/m/', { atRevision: at }).items.filter((i) => i.key.startsWith(prefix));
        expect(listed.map((i) => [i.key, i.revision])).toEqual(expected);
        expect(store.list(prefix, { atRevision: at }).items.map((i) => [i.key, i.revision])).toEqual(expected);
        expect(store.list(prefix, { atRevision: at, limit: 2 }).remaining ?? 0).toBe(Math.max(0, expected.length - 2));
      }
    }
  });

  it('is Expired below the compacted revision, and still served at it', async () => {
    const store = stores.open();
    await fill(store, ['/a', '/b', '/c']);
    await store.update('/a', (c) => c.object);
    store.compact(2);
    expect(store.compactedRevision).toBe(2);
    let err: unknown;
    try {
      store.list('/', { atRevision: 1 });
    } catch (e) {
      err = e;
    }
    expect(isStoreError(err, 'Expired')).toBe(true);
    expect(keysOf(store.list('/', { atRevision: 2 }).items)).toHaveLength(2);
    expect(store.list('/', { atRevision: 2 }).items.find((i) => i.key === '/a')?.revision).toBeLessThan(3);
  });

  it('compacts by retention, by default keeping the last eventRetention revisions', async () => {
    const store = stores.open({ eventRetention: 5 });
    await fill(store, Array.from({ length: 12 }, (_, i) => `/k/${i}`));
    store.compact();
    expect(store.compactedRevision).toBe(7);
    store.compact(3); // never backwards
    expect(store.compactedRevision).toBe(7);
    store.compact(1_000); // never past the current revision
    expect(store.compactedRevision).toBe(12);
    expect(store.list('/k/').items).toHaveLength(12);
  });

  it('compacts on its timer', async () => {
    const store = stores.open({ eventRetention: 2, compactIntervalMs: 20 });
    await fill(store, ['/a', '/b', '/c', '/d']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(store.compactedRevision).toBe(2);
  });
});
