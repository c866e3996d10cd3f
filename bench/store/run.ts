// Store benchmark: create throughput at 1 and 16 writers, list latency for 10k of 100k objects.
// Run: node --import tsx bench/store/run.ts   (figures, not pass/fail; see CONVENTIONS.md 13)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Store } from '@/server/apiserver/store';

function pod(namespace: string, name: string): Record<string, unknown> {
  // About 1 KiB of JSON, like a small Pod or PersistentVolumeClaim.
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, uid: `${name}-0000-1111-2222-333344445555`, labels: { app: 'bench', tier: 'storage' }, annotations: { note: 'x'.repeat(200) } },
    data: { config: 'y'.repeat(600) },
  };
}

async function createThroughput(store: Store, writers: number, ms: number, tag: string): Promise<{ rate: number; perCommit: number }> {
  const before = store.stats();
  const end = performance.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; performance.now() < end; i++) {
        await store.create(`/registry/configmaps/${tag}/w${w}-${i}`, pod(tag, `w${w}-${i}`));
        done++;
      }
    }),
  );
  const after = store.stats();
  return { rate: (done / ms) * 1000, perCommit: (after.writes - before.writes) / (after.commits - before.commits) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function timed<R>(fn: () => R): [R, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, performance.now() - t0];
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kura-store-bench-'));
  try {
    {
      const store = Store.open({ path: path.join(dir, 'throughput.db'), compactIntervalMs: 0 });
      await createThroughput(store, 16, 500, 'warmup');
      for (const writers of [1, 16]) {
        const { rate, perCommit } = await createThroughput(store, writers, 3000, `c${writers}`);
        console.log(`create, ${String(writers).padStart(2)} writer(s): ${Math.round(rate).toLocaleString('en')} writes/s (${perCommit.toFixed(1)} writes per commit)`);
      }
      store.close();
    }
    {
      const store = Store.open({ path: path.join(dir, 'list.db'), compactIntervalMs: 0 });
      const t0 = performance.now();
      // 100k objects in ten resources of 10k; 1000 creates in flight at a time.
      for (let r = 0; r < 10; r++) {
        for (let i = 0; i < 10_000; i += 1000) {
          await Promise.all(Array.from({ length: 1000 }, (_, j) => store.create(`/registry/res${r}/ns/obj-${String(i + j).padStart(5, '0')}`, pod('ns', `obj-${i + j}`))));
        }
      }
      console.log(`load 100k objects: ${Math.round(performance.now() - t0)} ms`);
      const prefix = '/registry/res3/';
      const times: number[] = [];
      for (let k = 0; k < 7; k++) {
        const [res, ms] = timed(() => store.list(prefix));
        if (res.items.length !== 10_000) throw new Error(`listed ${res.items.length}`);
        times.push(ms);
      }
      console.log(`list 10k of 100k (with JSON parse): median ${median(times).toFixed(1)} ms`);

      const at = store.revision;
      // 2000 writes after `at` in the listed range, so the list at `at` must undo them.
      for (let i = 0; i < 1000; i += 100) {
        await Promise.all(Array.from({ length: 100 }, (_, j) => store.update(`/registry/res3/ns/obj-${String(i + j).padStart(5, '0')}`, (c) => c.object)));
        await Promise.all(Array.from({ length: 100 }, (_, j) => store.delete(`/registry/res3/ns/obj-${String(5000 + i + j).padStart(5, '0')}`)));
      }
      const historical: number[] = [];
      for (let k = 0; k < 7; k++) {
        const [res, ms] = timed(() => store.list(prefix, { atRevision: at }));
        if (res.items.length !== 10_000) throw new Error(`listed ${res.items.length} at ${at}`);
        historical.push(ms);
      }
      console.log(`list 10k of 100k at an older revision (2k writes since): median ${median(historical).toFixed(1)} ms`);

      const paginate = (atRevision: number) =>
        timed(() => {
          let n = 0;
          let after: string | undefined;
          for (;;) {
            const page = store.list(prefix, { limit: 500, startAfter: after, atRevision });
            n++;
            const last = page.items[page.items.length - 1];
            if (!page.more || !last) return n;
            after = last.key;
          }
        });
      const [pagesNow, nowMs] = paginate(store.revision);
      console.log(`paginated list 10k, limit 500, current revision: ${pagesNow} pages in ${nowMs.toFixed(1)} ms`);
      const [pages, pagedMs] = paginate(at);
      console.log(`paginated list 10k, limit 500, at an older revision (2k writes since): ${pages} pages in ${pagedMs.toFixed(1)} ms`);
      const counts: number[] = [];
      for (let k = 0; k < 7; k++) counts.push(timed(() => store.count(prefix))[1]);
      console.log(`count 10k of 100k: median ${median(counts).toFixed(2)} ms`);
      store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
