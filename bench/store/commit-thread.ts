// Measures where the group commit should run: on the main thread (what Store does: the transaction
// there, the WAL's fsync on libuv's pool) or on a worker thread that owns the write connection.
// Same batch preparation, same SQL; only the commit moves.
// Run: node --import tsx bench/store/commit-thread.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Store } from '@/server/apiserver/store';
import { Reader, type Row } from '@/server/apiserver/store/reads';
import { openDatabase } from '@/server/apiserver/store/schema';
import { prepareWrite, RowWriter, stateAfter, type WriteOp, type WriteRow } from '@/server/apiserver/store/writes';

interface Pending {
  op: WriteOp;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Group commit with the transaction on a worker: batches form while the worker fsyncs the previous one. */
class WorkerCommitter {
  private queue: Pending[] = [];
  private busy = false;
  private scheduled = false;
  private readonly reader: Reader;
  private readonly worker: Worker;
  private revision: number;
  commits = 0;

  constructor(file: string) {
    const { db, revision } = openDatabase(file);
    this.reader = new Reader(db);
    this.revision = revision;
    // Node 20 will not start a worker from a .ts file even under tsx; register tsx in the worker first.
    const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;
    this.worker = new Worker(boot, { eval: true, workerData: { file } });
  }

  submit(op: WriteOp): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.busy && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    if (this.busy || this.queue.length === 0) return;
    this.busy = true;
    const batch = this.queue.splice(0);
    const overlay = new Map<string, Row | undefined>();
    const rows: WriteRow[] = [];
    const accepted: Pending[] = [];
    let revision = this.revision;
    for (const p of batch) {
      try {
        const current = overlay.has(p.op.key) ? overlay.get(p.op.key) : this.reader.get(p.op.key);
        const row = prepareWrite(p.op, revision + 1, current);
        revision = row.revision;
        overlay.set(p.op.key, stateAfter(row));
        rows.push(row);
        accepted.push(p);
      } catch (err) {
        p.reject(err);
      }
    }
    await new Promise<void>((resolve, reject) => {
      this.worker.once('message', (m: { error?: string }) => (m.error ? reject(new Error(m.error)) : resolve()));
      this.worker.postMessage(rows);
    });
    this.revision = revision;
    this.commits++;
    for (const p of accepted) p.resolve();
    this.busy = false;
    // Writes that arrived during the commit form the next batch right away.
    if (this.queue.length > 0) void this.flush();
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

function runWorker(): void {
  const { db } = openDatabase((workerData as { file: string }).file);
  // The store syncs the WAL itself after COMMIT (synchronous=NORMAL); here COMMIT must do it.
  db.pragma('synchronous = FULL');
  const writer = new RowWriter(db);
  const commit = db.transaction((rows: WriteRow[]) => {
    for (const row of rows) writer.write(row);
  });
  parentPort?.on('message', (rows: WriteRow[]) => {
    try {
      commit(rows);
      parentPort?.postMessage({});
    } catch (err) {
      parentPort?.postMessage({ error: String(err) });
    }
  });
}

const object = (name: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'bench', annotations: { note: 'x'.repeat(200) } },
  data: { config: 'y'.repeat(600) },
});

async function rate(writers: number, ms: number, create: (key: string) => Promise<unknown>): Promise<number> {
  const end = performance.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; performance.now() < end; i++) {
        await create(`/registry/configmaps/bench/${writers}-${w}-${i}`);
        done++;
      }
    }),
  );
  return Math.round((done / ms) * 1000);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** Runs both variants alternately (and in alternating order) so disk noise hits both alike; prints medians. */
async function compare(base: string, label: string, rounds: number): Promise<void> {
  const dir = fs.mkdtempSync(path.join(base, 'kura-commit-thread-'));
  const results = { main: [[], []] as number[][], worker: [[], []] as number[][] };
  const variants = {
    main: async (file: string) => {
      const store = Store.open({ path: file, compactIntervalMs: 0 });
      const create = (k: string) => store.create(k, object(k));
      const r = [await rate(1, 1500, create), await rate(16, 1500, create)];
      store.close();
      return r;
    },
    worker: async (file: string) => {
      const committer = new WorkerCommitter(file);
      const create = (k: string) => committer.submit({ kind: 'create', key: k, object: object(k) });
      const r = [await rate(1, 1500, create), await rate(16, 1500, create)];
      await committer.close();
      return r;
    },
  };
  try {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['main', 'worker'] as const) : (['worker', 'main'] as const);
      for (const name of order) {
        const [one, sixteen] = await variants[name](path.join(dir, `${name}-${round}.db`));
        results[name][0]?.push(one ?? NaN);
        results[name][1]?.push(sixteen ?? NaN);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const fmt = (xs: number[] | undefined) => `${median(xs ?? []).toLocaleString('en')}/s`;
  console.log(`${label}, median of ${rounds} rounds:`);
  console.log(`   1 writer:  main thread ${fmt(results.main[0])}, worker ${fmt(results.worker[0])}`);
  console.log(`  16 writers: main thread ${fmt(results.main[1])}, worker ${fmt(results.worker[1])}`);
}

async function main(): Promise<void> {
  await compare(os.tmpdir(), 'on disk (fsync per commit)', 7);
  // tmpfs makes fsync free, which leaves only the CPU cost of each variant.
  if (fs.existsSync('/dev/shm')) await compare('/dev/shm', 'on tmpfs (CPU cost only)', 5);
}

if (isMainThread) await main();
else runWorker();
