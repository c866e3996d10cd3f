// Crash safety at the API: the server SIGKILLed at random moments under concurrent creates loses no
// acknowledged (201) ConfigMap, answers again on restart, and leaves a sound database.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';

const serverScript = fileURLToPath(new URL('./testing/crash-server.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const NS = 'crash';
const CMS = `/api/v1/namespaces/${NS}/configmaps`;
const ROUNDS = 5;
const CLIENTS = 8;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kura-api-crash-'));
const children = new Set<ChildProcess>();
let port = 0;
/** The first server and one replacement per kill. */
let servers: Server[] = [];

beforeAll(async () => {
  port = await freePort();
  // Loading the server's code under tsx takes seconds of CPU here, far longer than the server's own
  // startup. All processes load first, in parallel and before the clock of the test starts; each then
  // waits to be told to start, which it is right after the kill of the one before it.
  servers = Array.from({ length: ROUNDS + 1 }, () => spawnServer());
  await Promise.all(servers.map((s) => s.loaded));
}, 120_000);
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

interface Server {
  child: ChildProcess;
  /** Resolves once the code is loaded and the server waits to be told to start. */
  loaded: Promise<void>;
  /** Starts it; resolves once it listens. */
  start(): Promise<void>;
  exited: Promise<NodeJS.Signals | null>;
}

/** Spawns a server that loads its code and then waits; see crash-server.ts for why. */
function spawnServer(): Server {
  const child = spawn(process.execPath, ['--import', 'tsx', serverScript, dataDir, String(port), '--when-told'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    out += d;
    for (const w of waiters) w();
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => {
      children.delete(child);
      resolve(signal);
    }),
  );
  const said = (line: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => line.test(out) && resolve();
      waiters.push(check);
      check();
      child.on('error', reject);
      void exited.then(() => reject(new Error(`the server exited before it said ${line}: ${err || out}`)));
    });
  const loaded = said(/^loaded$/m);
  // Awaited in beforeAll; this only keeps a process killed at cleanup from reporting a second failure.
  loaded.catch(() => undefined);
  return {
    child,
    loaded,
    exited,
    start() {
      const ready = said(/^ready /m);
      child.stdin!.write('go\n');
      return ready;
    },
  };
}

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

function checkDatabase(): void {
  const db = new Database(path.join(dataDir, 'cluster.db'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    db.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('keeps every acknowledged create through repeated SIGKILLs of the API server', async () => {
  let server = servers[0]!;
  await server.start();
  const ca = fs.readFileSync(path.join(dataDir, 'pki', 'ca.crt'));
  const token = fs.readFileSync(path.join(dataDir, 'pki', 'admin.token'), 'utf8').trim();
  // Keep-alive like client-go: the kill then also resets connections that were idle in the pool.
  const agent = new https.Agent({ keepAlive: true, maxSockets: CLIENTS + 4, ca });
  const request = (method: string, apiPath: string, body?: unknown): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        `https://127.0.0.1:${port}${apiPath}`,
        { method, agent, headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(payload ? { 'content-type': 'application/json' } : {}) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            try {
              resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
            } catch {
              resolve({ status: res.statusCode ?? 0, body: text });
            }
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  expect((await request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } })).status).toBe(201);

  // Every create answered 201, with what the server said it stored.
  const acked = new Map<string, { uid: string; data: Record<string, string> }>();
  const unexpected: string[] = [];
  let connectionErrors = 0;
  let running = true;
  const clients = Array.from({ length: CLIENTS }, async (_, w) => {
    for (let i = 0; running; i++) {
      // A fresh name per attempt: a create cut off by the kill may or may not have been stored.
      const name = `w${w}-${i}`;
      const data = { v: `${name}:${'x'.repeat((i * 97) % 900)}` };
      try {
        const res = await request('POST', CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
        if (res.status === 201) acked.set(name, { uid: res.body.metadata.uid, data: res.body.data });
        else unexpected.push(`${res.status} ${JSON.stringify(res.body)}`);
      } catch {
        // The server is down or was killed mid-request: expected here, try again shortly.
        connectionErrors++;
        await sleep(20);
      }
    }
  });

  /** Every create acknowledged so far is there, with its data, and the server answers. */
  async function verify(mustGet: string[]): Promise<void> {
    const snapshot = new Map(acked);
    expect((await request('GET', '/readyz')).body).toBe('ok');
    const list = await request('GET', CMS);
    expect(list.status).toBe(200);
    const stored = new Map<string, { uid: string; data: Record<string, string> }>(
      (list.body.items as { metadata: { name: string; uid: string }; data: Record<string, string> }[]).map((o) => [o.metadata.name, { uid: o.metadata.uid, data: o.data }]),
    );
    const missing = [...snapshot.keys()].filter((n) => !stored.has(n));
    expect(missing, 'acknowledged ConfigMaps missing after a restart').toEqual([]);
    for (const [n, want] of snapshot) expect(stored.get(n), n).toEqual(want);
    // Those acknowledged by the server that was just killed, one by one as a client reads them.
    for (let i = 0; i < mustGet.length; i += 16) {
      await Promise.all(
        mustGet.slice(i, i + 16).map(async (n) => {
          const got = await request('GET', `${CMS}/${n}`);
          expect(got.status, n).toBe(200);
          expect({ uid: got.body.metadata.uid, data: got.body.data }, n).toEqual(snapshot.get(n));
        }),
      );
    }
  }

  try {
    // What the running server had not yet acknowledged when it started: the rest is its own work.
    let before = new Set(acked.keys());
    for (let round = 1; round <= ROUNDS; round++) {
      const newAcks = () => acked.size - before.size;
      // Kill only once this server has acknowledged some creates, then at a random moment.
      const deadline = Date.now() + 5000;
      while (newAcks() < 20 && Date.now() < deadline) await sleep(10);
      expect(newAcks(), `round ${round}: creates acknowledged before the kill`).toBeGreaterThan(0);
      await sleep(Math.random() * 400);
      server.child.kill('SIGKILL');
      expect(await server.exited).toBe('SIGKILL');
      checkDatabase();
      const ackedByKilled = [...acked.keys()].filter((n) => !before.has(n));
      server = servers[round]!;
      await server.start();
      before = new Set(acked.keys());
      await verify(ackedByKilled);
    }
  } finally {
    running = false;
    await Promise.all(clients);
  }
  server.child.kill('SIGKILL');
  await server.exited;
  checkDatabase();
  agent.destroy();
  expect(unexpected).toEqual([]);
  expect(acked.size).toBeGreaterThan(ROUNDS * 20);
  expect(connectionErrors).toBeGreaterThan(0);
}, 30_000);
