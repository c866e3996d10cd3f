// Store semantics: create/get/update/delete, their errors, revisions, resourceVersion, persistence, storage failures.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStoreError, StoreError, storageError } from './errors';
import { Store } from './store';
import { type ConfigMap, configMap, connectionOf, key, useTempStores } from './testing';

const stores = useTempStores();

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the promise to reject');
}

describe('create and get', () => {
  it('stores an object and returns it with its revision written into metadata.resourceVersion', async () => {
    const store = stores.open();
    const input = configMap('a', { x: '1' });
    const created = await store.create(key('a'), input);
    expect(created.revision).toBe(1);
    expect(created.object.metadata.resourceVersion).toBe('1');
    expect(input.metadata.resourceVersion).toBeUndefined(); // the caller's object is not touched
    expect(store.get<ConfigMap>(key('a'))).toEqual({ key: key('a'), revision: 1, object: { ...input, metadata: { ...input.metadata, resourceVersion: '1' } } });
    expect(store.revision).toBe(1);
  });

  it('stores values without metadata unchanged', async () => {
    const store = stores.open();
    await store.create('/plain', { n: 1, list: [1, 2] });
    await store.create('/array-metadata', { metadata: ['not', 'an', 'object'] });
    expect(store.get('/plain')?.object).toEqual({ n: 1, list: [1, 2] });
    expect(store.get('/array-metadata')?.object).toEqual({ metadata: ['not', 'an', 'object'] });
  });

  it('returns undefined for a missing key', () => {
    expect(stores.open().get(key('missing'))).toBeUndefined();
  });

  it('refuses a second create of the same key with AlreadyExists and keeps the first value', async () => {
    const store = stores.open();
    await store.create(key('a'), configMap('a', { v: 'first' }));
    const err = await rejection(store.create(key('a'), configMap('a', { v: 'second' })));
    expect(isStoreError(err, 'AlreadyExists')).toBe(true);
    expect(store.get<ConfigMap>(key('a'))?.object.data).toEqual({ v: 'first' });
    expect(store.revision).toBe(1);
  });

  it('rejects a value that does not serialize without writing anything', async () => {
    const store = stores.open();
    const err = await rejection(store.create('/bad', { n: 1n }));
    expect(err).toBeInstanceOf(TypeError);
    expect(store.revision).toBe(0);
  });
});

describe('update', () => {
  it('passes the current value to mutate and stores what it returns at the next revision', async () => {
    const store = stores.open();
    await store.create(key('a'), configMap('a', { n: '1' }));
    const updated = await store.update<ConfigMap>(key('a'), (current) => {
      expect(current.revision).toBe(1);
      expect(current.object.metadata.resourceVersion).toBe('1');
      return { ...current.object, data: { n: String(Number(current.object.data?.n) + 1) } };
    });
    expect(updated.revision).toBe(2);
    expect(updated.object.metadata.resourceVersion).toBe('2');
    expect(store.get<ConfigMap>(key('a'))?.object).toEqual(updated.object);
  });

  it('rejects with NotFound for a missing key', async () => {
    const err = await rejection(stores.open().update(key('missing'), (c) => c.object));
    expect(isStoreError(err, 'NotFound')).toBe(true);
  });

  it('rejects with Conflict when expectedRevision is stale', async () => {
    const store = stores.open();
    await store.create(key('a'), configMap('a'));
    await store.update(key('a'), (c) => c.object);
    const err = await rejection(store.update(key('a'), (c) => c.object, { expectedRevision: 1 }));
    expect(isStoreError(err, 'Conflict')).toBe(true);
    expect((err as Error).message).toContain('current revision is 2');
    await expect(store.update(key('a'), (c) => c.object, { expectedRevision: 2 })).resolves.toMatchObject({ revision: 3 });
  });

  it('refuses an async mutate instead of storing a promise', async () => {
    const store = stores.open();
    await store.create(key('a'), configMap('a'));
    const err = await rejection(store.update(key('a'), (async (c: { object: unknown }) => c.object) as never));
    expect((err as Error).message).toMatch(/mutate returned a promise/);
    expect(store.get(key('a'))?.revision).toBe(1);
  });

  it('passes an error thrown by mutate through unchanged and writes nothing', async () => {
    const store = stores.open();
    await store.create(key('a'), configMap('a'));
    const mine = new Error('field is immutable');
    expect(await rejection(store.update(key('a'), () => { throw mine; }))).toBe(mine);
    expect(store.revision).toBe(1);
    expect(store.get(key('a'))?.revision).toBe(1);
  });
});

describe('delete', () => {
  it('removes the key and returns the last value stamped with the deletion revision', async () => {
    const store = stores.open();
    await store.create(key('a'), configMap('a', { v: 'x' }));
    const deleted = await store.delete<ConfigMap>(key('a'));
    expect(deleted.revision).toBe(2);
    expect(deleted.object.metadata.resourceVersion).toBe('2');
    expect(deleted.object.data).toEqual({ v: 'x' });
    expect(store.get(key('a'))).toBeUndefined();
    // The key can be created again afterwards.
    await expect(store.create(key('a'), configMap('a'))).resolves.toMatchObject({ revision: 3 });
  });

  it('checks NotFound, expectedRevision and the precondition', async () => {
    const store = stores.open();
    expect(isStoreError(await rejection(store.delete(key('a'))), 'NotFound')).toBe(true);
    await store.create(key('a'), configMap('a'));
    expect(isStoreError(await rejection(store.delete(key('a'), { expectedRevision: 7 })), 'Conflict')).toBe(true);
    const refusal = new Error('has finalizers');
    const seen: number[] = [];
    const err = await rejection(store.delete<ConfigMap>(key('a'), { precondition: (c) => { seen.push(c.revision); throw refusal; } }));
    expect(err).toBe(refusal);
    expect(seen).toEqual([1]);
    expect(store.get(key('a'))).toBeDefined();
    await expect(store.delete(key('a'), { expectedRevision: 1, precondition: () => undefined })).resolves.toMatchObject({ revision: 2 });
  });
});

describe('revisions', () => {
  it('gives every write the next revision, across creates, updates and deletes', async () => {
    const store = stores.open();
    const revisions: number[] = [];
    for (let i = 0; i < 5; i++) revisions.push((await store.create(key(`o${i}`), configMap(`o${i}`))).revision);
    revisions.push((await store.update(key('o1'), (c) => c.object)).revision);
    revisions.push((await store.delete(key('o2'))).revision);
    const concurrent = await Promise.all([store.create(key('p'), configMap('p')), store.update(key('o3'), (c) => c.object), store.delete(key('o4'))]);
    revisions.push(...concurrent.map((s) => s.revision));
    expect(revisions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(store.revision).toBe(10);
  });

  it('keeps data and the revision across a reopen, and continues from it', async () => {
    const first = stores.open();
    await first.create(key('a'), configMap('a'));
    await first.update(key('a'), (c) => c.object);
    first.close();
    const again = stores.open();
    expect(again.revision).toBe(2);
    expect(again.get(key('a'))?.revision).toBe(2);
    await expect(again.create(key('b'), configMap('b'))).resolves.toMatchObject({ revision: 3 });
  });

  it('keeps the revision when every event has been compacted away', async () => {
    const first = stores.open();
    await first.create(key('a'), configMap('a'));
    await first.delete(key('a'));
    first.compact(2);
    first.close();
    const again = stores.open();
    expect(again.revision).toBe(2);
    expect(again.compactedRevision).toBe(2);
    await expect(again.create(key('a'), configMap('a'))).resolves.toMatchObject({ revision: 3 });
  });
});

describe('misuse', () => {
  it('rejects an empty key', async () => {
    const store = stores.open();
    await expect(store.create('', {})).rejects.toThrow(TypeError);
    await expect(store.delete('')).rejects.toThrow(/non-empty/);
  });

  it('refuses to open the same file twice in one process, and allows it again after close', () => {
    const store = stores.open();
    expect(() => stores.open()).toThrow(/already open in this process/);
    store.close();
    expect(() => stores.open()).not.toThrow();
  });
});

describe('closing', () => {
  it('commits writes still queued at close, then refuses reads and writes with Closed', async () => {
    const store = stores.open();
    const pending = store.create(key('a'), configMap('a'));
    store.close();
    await expect(pending).resolves.toMatchObject({ revision: 1 });
    expect(() => store.get(key('a'))).toThrow(StoreError);
    expect(isStoreError(await rejection(store.create(key('b'), configMap('b'))), 'Closed')).toBe(true);
    expect(stores.open().get(key('a'))?.revision).toBe(1);
  });
});

describe('storage failures', () => {
  it('rejects the writes of a batch with Storage when the disk is full, and the store stays consistent', async () => {
    const store = stores.open();
    await store.create(key('seed'), configMap('seed'));
    const db = connectionOf(store);
    // max_page_count makes SQLite answer SQLITE_FULL as a full disk would.
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const big = { v: 'x'.repeat(64 * 1024) };
    const results = await Promise.allSettled([store.create(key('a'), configMap('a', big)), store.create(key('b'), configMap('b', big))]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      const reason = (r as PromiseRejectedResult).reason as StoreError;
      expect(reason.code).toBe('Storage');
      expect(reason.message).toMatch(/^the data disk is full: .*SQLITE_FULL/);
      expect(reason.message).toContain(stores.dbPath());
    }
    expect(store.revision).toBe(1);
    expect(store.get(key('a'))).toBeUndefined();
    expect(store.stats().rejected).toBe(2);

    // Space comes back: writing goes on with the next revision, nothing was half written.
    db.pragma('max_page_count = 1073741823');
    await expect(store.create(key('a'), configMap('a', big))).resolves.toMatchObject({ revision: 2 });
    expect(store.list('/registry/configmaps/').items.map((s) => s.key)).toEqual([key('a'), key('seed')]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('rejects writes with Storage when the database is read-only, and reads go on', async () => {
    const store = stores.open();
    await store.create(key('a'), configMap('a'));
    connectionOf(store).pragma('query_only = 1');
    const err = (await rejection(store.update(key('a'), (c) => c.object))) as StoreError;
    expect(err.code).toBe('Storage');
    expect(err.message).toMatch(/^the database is read-only/);
    expect(store.get(key('a'))?.revision).toBe(1);
    connectionOf(store).pragma('query_only = 0');
    await expect(store.update(key('a'), (c) => c.object)).resolves.toMatchObject({ revision: 2 });
  });

  it.each([
    ['SQLITE_FULL', /^the data disk is full: boom \(SQLITE_FULL\) \[\/data\/cluster.db\]$/],
    ['SQLITE_IOERR_FSYNC', /^the data disk failed a read or write \(I\/O error\): boom \(SQLITE_IOERR_FSYNC\)/],
    ['SQLITE_READONLY_DBMOVED', /^the database is read-only/],
    ['SQLITE_CORRUPT', /^the database file is corrupt/],
    ['SQLITE_BUSY', /^the database is locked by another process/],
    ['SQLITE_SOMETHING_NEW', /^storage failed while committing writes: boom \(SQLITE_SOMETHING_NEW\)/],
  ])('explains %s in plain words', (code, message) => {
    const err = storageError(Object.assign(new Error('boom'), { code }), '/data/cluster.db', 'committing writes');
    expect(err.code).toBe('Storage');
    expect(err.message).toMatch(message);
  });

  it('refuses to open a file that is not a database, saying so', () => {
    fs.writeFileSync(stores.dbPath(), 'this is not sqlite'.repeat(100));
    expect(() => Store.open({ path: stores.dbPath() })).toThrow(/not a SQLite database|file is not a database/);
    try {
      Store.open({ path: stores.dbPath() });
    } catch (err) {
      expect(isStoreError(err, 'Storage')).toBe(true);
    }
  });

  it('refuses to open a path whose directory does not exist with Storage', () => {
    expect(() => Store.open({ path: path.join(stores.dir(), 'missing', 'cluster.db') })).toThrow(/directory does not exist/);
  });
});
