// A @kubernetes/client-node informer against the embedded API server: every change seen in order per
// object, a cache equal to the server's state, and a relist (not a loss) after its revision is compacted.
import net from 'node:net';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './testing/harness';

const NS = 'informed';
const CMS = `/api/v1/namespaces/${NS}/configmaps`;

/**
 * A TCP relay between the informer and the server, so the test can cut the informer's connections and
 * refuse new ones (the network going away) while its own writes still reach the server directly.
 */
function startRelay(targetPort: number): Promise<{ port: number; cut(): void; restore(): void; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let down = false;
  const server = net.createServer((client) => {
    if (down) return void client.destroy();
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined); // a reset is the point here, not a failure
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        cut() {
          down = true;
          for (const s of sockets) s.destroy();
        },
        restore() {
          down = false;
        },
        close: () => {
          for (const s of sockets) s.destroy();
          return new Promise((r) => server.close(() => r()));
        },
      });
    });
  });
}

/** What a handler call or an acknowledged write says about one object, comparable as a string. */
type Seen = `add@${string}` | `update@${string}` | 'delete';

let c: TestCluster;
beforeAll(async () => {
  c = await startTestCluster();
  const ns = await c.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  expect(ns.status).toBe(201);
}, 60_000);
afterAll(async () => {
  await c?.stop();
});

async function until(what: string, ok: () => boolean, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('sees every change in order, keeps an exact cache, and relists after its revision is compacted', async () => {
  const relay = await startRelay(Number(new URL(c.api.url).port));
  // The admin kubeconfig, pointed at the relay (same host, so the serving certificate still matches).
  const base = new k8s.KubeConfig();
  base.loadFromFile(c.api.kubeconfigPath);
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: base.clusters.map((cl) => ({ ...cl, server: `https://127.0.0.1:${relay.port}` })),
    users: base.users,
    contexts: base.contexts,
    currentContext: base.currentContext,
  });
  const core = kc.makeApiClient(k8s.CoreV1Api);
  let lists = 0;
  const informer = k8s.makeInformer(kc, CMS, () => {
    lists++;
    return core.listNamespacedConfigMap({ namespace: NS });
  });

  const seen = new Map<string, Seen[]>();
  const record = (name: string | undefined, s: Seen) => {
    const key = name ?? '?';
    seen.set(key, [...(seen.get(key) ?? []), s]);
  };
  informer.on('add', (o) => record(o.metadata?.name, `add@${o.metadata?.resourceVersion}`));
  informer.on('update', (o) => record(o.metadata?.name, `update@${o.metadata?.resourceVersion}`));
  informer.on('delete', (o) => record(o.metadata?.name, 'delete'));
  // client-node stops an informer on any error but a 410; an application restarts it, and so do we.
  let stopping = false;
  let errorsSeen = 0;
  informer.on('error', () => {
    errorsSeen++;
    if (!stopping) setTimeout(() => void (stopping ? undefined : informer.start()), 50);
  });

  // What the server acknowledged, per object, in the order the informer must report it.
  const expected = new Map<string, Seen[]>();
  const acknowledge = (name: string, s: Seen) => expected.set(name, [...(expected.get(name) ?? []), s]);
  let writes = 0;
  async function write(method: string, name: string, body?: unknown): Promise<string | undefined> {
    const isPatch = method === 'PATCH';
    const res = await c.request(method, method === 'POST' ? CMS : `${CMS}/${name}`, body, isPatch ? { contentType: 'application/merge-patch+json' } : {});
    expect(res.status, `${method} ${name}: ${JSON.stringify(res.body)}`).toBe(method === 'POST' ? 201 : 200);
    writes++;
    return res.body?.metadata?.resourceVersion as string | undefined;
  }
  const create = async (name: string, v: string) => acknowledge(name, `add@${await write('POST', name, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v } })}`);
  const update = async (name: string, v: string) => acknowledge(name, `update@${await write('PATCH', name, { data: { v } })}`);
  const remove = async (name: string) => {
    await write('DELETE', name);
    acknowledge(name, 'delete');
  };
  /** Concurrent updates of one object: the server orders them, and its revisions tell in which order. */
  const burst = async (name: string, n: number) => {
    const rvs = await Promise.all(Array.from({ length: n }, (_, i) => write('PATCH', name, { data: { [`k${i}`]: String(i) } })));
    // Kura's resourceVersions are revisions; the test may compare them, a client must not.
    for (const rv of rvs.map(Number).sort((a, b) => a - b)) acknowledge(name, `update@${rv}`);
  };

  const settled = () => [...expected].every(([name, want]) => (seen.get(name)?.length ?? 0) >= want.length);
  const checkSequences = () => {
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(expected));
    for (const events of seen.values()) {
      const rvs = events.filter((e) => e.startsWith('update@')).map((e) => Number(e.slice('update@'.length)));
      expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
    }
  };
  const checkCache = async () => {
    const server = await c.request('GET', CMS);
    const state = (items: readonly k8s.V1ConfigMap[]) =>
      Object.fromEntries(items.map((o) => [o.metadata?.name, { rv: o.metadata?.resourceVersion, data: o.data }]).sort(([a], [b]) => String(a).localeCompare(String(b))));
    expect(state(informer.list(NS))).toEqual(state(server.body.items as k8s.V1ConfigMap[]));
  };

  try {
    await informer.start();
    expect(lists).toBe(1);

    // 1. Live: 12 writers, each with its own 5 objects: create, updates, some deleted and re-created,
    // and bursts of concurrent updates to one object.
    const name = (w: number, i: number) => `cm-${w}-${i}`;
    await Promise.all(
      Array.from({ length: 12 }, async (_, w) => {
        for (let i = 0; i < 5; i++) {
          const n = name(w, i);
          await create(n, 'v0');
          for (let u = 1; u <= 3; u++) await update(n, `v${u}`);
          if (i === 1) await burst(n, 4);
          if (i === 2 || i === 3) await remove(n);
          if (i === 3) await create(n, 'again');
        }
      }),
    );
    await until('the informer to see the live changes', settled);
    checkSequences();
    await checkCache();
    const live = writes;
    expect(live).toBeGreaterThan(300);

    // 2. The gap: the informer's connection drops and cannot come back while objects change and the
    // event log is compacted past its revision.
    const errorsBefore = errorsSeen;
    relay.cut();
    await until('the informer to notice it is disconnected', () => errorsSeen > errorsBefore);
    // makeInformer's informer is a ListWatch, which knows the revision it would watch from.
    if (!(informer instanceof k8s.ListWatch)) throw new Error('makeInformer no longer returns a ListWatch');
    const stale = informer.latestResourceVersion();
    const gapUpdated: string[] = [];
    const gapDeleted: string[] = [];
    const gapCreated: string[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async (_, w) => {
        await update(name(w, 0), 'gap1');
        await update(name(w, 0), 'gap2'); // two changes, one relist: the informer sees only the last
        gapUpdated.push(name(w, 0));
        if (w % 3 === 0) {
          await remove(name(w, 4));
          gapDeleted.push(name(w, 4));
        }
        if (w % 4 === 0) {
          await create(`gap-${w}`, 'new');
          gapCreated.push(`gap-${w}`);
        }
      }),
    );
    c.api.deps.store.compact(c.api.deps.store.revision);
    expect(c.api.deps.store.compactedRevision).toBeGreaterThan(Number(stale));
    // The server refuses the informer's revision: a watch from it ends with a 410 Expired ERROR event.
    const refused = await c.request('GET', `${CMS}?watch=1&resourceVersion=${stale}`);
    expect(refused.body).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });

    // A relist coalesces what happened in the gap: per object, its last state (or its deletion).
    for (const n of gapUpdated) {
      const want = expected.get(n)!;
      const last = want.pop()!;
      want.pop();
      want.push(last);
    }
    relay.restore();
    await until('the informer to relist', () => lists >= 2 && settled());
    expect(lists).toBe(2);
    checkSequences();
    await checkCache();
    for (const n of gapDeleted) expect(informer.get(n, NS)).toBeUndefined();
    for (const n of gapCreated) expect(informer.get(n, NS)?.data).toEqual({ v: 'new' });

    // 3. Live again, from the relist's revision: nothing is missed after the gap either.
    await Promise.all(
      Array.from({ length: 12 }, async (_, w) => {
        await update(name(w, 0), 'after');
        if (w % 2 === 0) await remove(name(w, 1));
        await create(`after-${w}`, 'x');
      }),
    );
    await until('the informer to see the changes after the gap', settled);
    checkSequences();
    await checkCache();
    expect(lists).toBe(2);
    expect([...seen.values()].flat().length).toBe([...expected.values()].flat().length);
  } finally {
    stopping = true;
    await informer.stop();
    await relay.close();
  }
}, 20_000);
