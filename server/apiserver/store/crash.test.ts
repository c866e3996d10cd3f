// Crash safety: a writer SIGKILLed at random moments loses no acknowledged write and leaves a sound database.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { Store } from './store';
import { useTempStores } from './testing';

const stores = useTempStores();
const writerScript = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

interface Acknowledged {
  created: Map<string, number>;
  deleted: Map<string, number>;
  /** Deletes issued, acknowledged or not: those keys may be gone. */
  deleting: Set<string>;
  counter: number;
  revision: number;
}

/** Runs the writer until it has acknowledged some writes, kills it at a random moment, returns what it acknowledged. */
function runAndKill(dbPath: string, round: number): Promise<Acknowledged> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writerScript, dbPath, String(round)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: Acknowledged = { created: new Map(), deleted: new Map(), deleting: new Set(), counter: 0, revision: 0 };
    let buffer = '';
    let stderr = '';
    let armed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? ''; // a line cut by the kill is not an acknowledgement we saw
      for (const line of lines) {
        const [what, a, b] = line.split(' ');
        const revision = Number(b);
        if (what === 'created' && a) acked.created.set(a, revision);
        else if (what === 'deleted' && a) acked.deleted.set(a, revision);
        else if (what === 'deleting' && a) acked.deleting.add(a);
        else if (what === 'counter') acked.counter = Math.max(acked.counter, Number(a));
        if (Number.isFinite(revision)) acked.revision = Math.max(acked.revision, revision);
        if (what === 'created' && !armed) {
          armed = true;
          setTimeout(() => child.kill('SIGKILL'), Math.random() * 250);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`the writer exited on its own (code ${code}): ${stderr}`));
    });
  });
}

function checkDatabase(dbPath: string): void {
  const db = new Database(dbPath);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Whole batches or nothing: the log has no holes, and every current value is the one its log entry wrote.
    const log = db.prepare('SELECT count(*) AS n, min(revision) AS lo, max(revision) AS hi FROM events').get() as { n: number; lo: number; hi: number };
    expect(log.n).toBe(log.hi - log.lo + 1);
    const orphans = db
      .prepare('SELECT count(*) FROM current c LEFT JOIN events e ON e.revision = c.revision AND e.key = c.key AND e.value = c.value WHERE e.revision IS NULL')
      .pluck()
      .get();
    expect(orphans).toBe(0);
    const live = db.prepare('SELECT sum(CASE type WHEN 0 THEN 1 WHEN 2 THEN -1 ELSE 0 END) FROM events').pluck().get();
    expect(db.prepare('SELECT count(*) FROM current').pluck().get()).toBe(live);
  } finally {
    db.close();
  }
}

it('keeps every acknowledged write through repeated SIGKILLs, with a sound database', async () => {
  const dbPath = stores.dbPath();
  let total = 0;
  for (let round = 1; round <= 5; round++) {
    const acked = await runAndKill(dbPath, round);
    expect(acked.created.size).toBeGreaterThan(0);
    total += acked.created.size;
    checkDatabase(dbPath);

    const store = Store.open({ path: dbPath, compactIntervalMs: 0 });
    try {
      expect(store.revision).toBeGreaterThanOrEqual(acked.revision);
      for (const [k, revision] of acked.created) {
        const found = store.get(k);
        if (acked.deleted.has(k)) expect(found, k).toBeUndefined();
        else if (!(acked.deleting.has(k) && found === undefined)) expect(found?.revision, k).toBe(revision);
      }
      expect(store.get<{ n: number }>('/crash/counter')?.object.n ?? 0).toBeGreaterThanOrEqual(acked.counter);
    } finally {
      store.close();
    }
  }
  expect(total).toBeGreaterThan(20);
});
