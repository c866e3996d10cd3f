// Group commit: concurrent writes share transactions, and each write in a batch succeeds or fails on its own.
import fs from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { isStoreError } from './errors';
import { type ConfigMap, configMap, key, useTempStores } from './testing';

const stores = useTempStores();

describe('group commit', () => {
  it('commits 200 concurrent creates in fewer transactions than writes, all present with distinct revisions', async () => {
    const store = stores.open();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => store.create(key(`o${i}`), configMap(`o${i}`))));
    expect(results.map((r) => r.revision).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(store.count('/registry/configmaps/')).toBe(200);
    const { commits, writes } = store.stats();
    expect(writes).toBe(200);
    expect(commits).toBeLessThan(10);
  });

  it('batches writers that each wait for their previous write', async () => {
    const store = stores.open();
    await Promise.all(
      Array.from({ length: 16 }, async (_, w) => {
        for (let i = 0; i < 20; i++) await store.create(key(`w${w}-${i}`), configMap(`w${w}-${i}`));
      }),
    );
    const { commits, writes } = store.stats();
    expect(writes).toBe(320);
    // Each round of 16 writes shares one commit.
    expect(commits).toBeLessThanOrEqual(40);
  });

  it('splits a very large burst into several transactions, losing nothing', async () => {
    const store = stores.open();
    await Promise.all(Array.from({ length: 2500 }, (_, i) => store.create(`/k/${i}`, { i })));
    expect(store.count('/k/')).toBe(2500);
    expect(store.stats().commits).toBeGreaterThanOrEqual(3);
  });

  it('checks each write of a batch on its own: failures are rejected, the others committed', async () => {
    const store = stores.open();
    await store.create(key('exists'), configMap('exists'));
    await store.create(key('guarded'), configMap('guarded'));
    const before = store.stats().commits;
    const refusal = new Error('refused by mutate');
    const outcomes = await Promise.allSettled([
      store.create(key('new1'), configMap('new1')),
      store.create(key('exists'), configMap('exists')),
      store.update(key('exists'), () => { throw refusal; }),
      store.update(key('exists'), (c) => c.object, { expectedRevision: 99 }),
      store.delete(key('guarded'), { precondition: () => { throw new Error('has finalizers'); } }),
      store.update(key('missing'), (c) => c.object),
      store.create(key('new2'), configMap('new2')),
      store.update<ConfigMap>(key('exists'), (c) => ({ ...c.object, data: { touched: 'yes' } })),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'fulfilled', 'fulfilled']);
    const reasons = outcomes.map((o) => (o.status === 'rejected' ? o.reason : undefined));
    expect(isStoreError(reasons[1], 'AlreadyExists')).toBe(true);
    expect(reasons[2]).toBe(refusal);
    expect(isStoreError(reasons[3], 'Conflict')).toBe(true);
    expect((reasons[4] as Error).message).toBe('has finalizers');
    expect(isStoreError(reasons[5], 'NotFound')).toBe(true);
    // Refused writes take no revision: the three that went through got the next three.
    const revisions = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.revision] : []));
    expect(revisions).toEqual([3, 4, 5]);
    expect(store.stats().commits).toBe(before + 1);
    expect(store.get<ConfigMap>(key('exists'))?.object.data).toEqual({ touched: 'yes' });
    expect(store.get(key('guarded'))).toBeDefined();
  });

  it('applies writes to the same key in one batch in order, each seeing the one before', async () => {
    const store = stores.open();
    const seen: (string | undefined)[] = [];
    const bump = (c: { object: ConfigMap }) => {
      seen.push(c.object.data?.n);
      return { ...c.object, data: { n: String(Number(c.object.data?.n ?? 0) + 1) } };
    };
    const outcomes = await Promise.allSettled([
      store.create(key('a'), configMap('a', { n: '0' })),
      store.update(key('a'), bump),
      store.update(key('a'), bump, { expectedRevision: 2 }),
      store.delete(key('a'), { expectedRevision: 3 }),
      store.update(key('a'), bump),
      store.create(key('a'), configMap('a', { n: 'again' })),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(seen).toEqual(['0', '1']);
    expect(store.get<ConfigMap>(key('a'))).toMatchObject({ revision: 5, object: { data: { n: 'again' } } });
    expect(store.stats().commits).toBe(1);
  });

  it('does not commit a batch in which every write was refused', async () => {
    const store = stores.open();
    await Promise.allSettled([store.update('/nope', (c) => c.object), store.delete('/nope')]);
    expect(store.stats()).toMatchObject({ commits: 0, writes: 0, rejected: 2 });
    expect(store.revision).toBe(0);
  });

  it('acknowledges a write and publishes its event only once the WAL is synced; writes meanwhile are committed together when it ends', async () => {
    const store = stores.open();
    const held: (() => void)[] = [];
    const real = fs.fdatasync;
    const spy = vi.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
      held.push(() => real(fd, cb));
    }) as typeof fs.fdatasync);
    try {
      const events: string[] = [];
      const watch = store.watch('/registry/configmaps/', store.revision, (e) => void events.push(e.key));
      const acked: string[] = [];
      const create = (name: string) => store.create(key(name), configMap(name)).then((r) => (acked.push(name), r));
      const first = create('a');
      await vi.waitFor(() => expect(held.length).toBe(1));
      const second = create('b');
      const third = create('c');
      await new Promise((r) => setTimeout(r, 20));
      // The first is committed and visible, not yet acknowledged nor published; the others wait for
      // the sync to end, uncommitted, and no second sync starts.
      expect(store.get(key('a'))).toBeDefined();
      expect(store.get(key('b'))).toBeUndefined();
      expect(acked).toEqual([]);
      expect(events).toEqual([]);
      expect(held.length).toBe(1);
      expect(store.stats()).toMatchObject({ commits: 1, syncs: 1 });
      held.shift()?.();
      expect((await first).revision).toBe(1);
      // Then the two are committed in one transaction, and share the next sync.
      await vi.waitFor(() => expect(held.length).toBe(1));
      expect(store.stats()).toMatchObject({ commits: 2, syncs: 2, writes: 3 });
      expect(store.get(key('c'))).toBeDefined();
      expect(acked).toEqual(['a']);
      held.shift()?.();
      expect((await second).revision).toBe(2);
      expect((await third).revision).toBe(3);
      await vi.waitFor(() => expect(events).toEqual([key('a'), key('b'), key('c')]));
      watch.cancel();
    } finally {
      spy.mockRestore();
    }
  });
});
