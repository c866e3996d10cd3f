// API server benchmark: Kura's embedded API server against a local etcd 3.4, both measured in this run.
// Run: node --import tsx bench/apiserver/run.ts   (figures, ratios and targets; see README.md)
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '../../scripts/server-flags.mjs';
import { Client, type Subject, configMap, etcdSubject, kuraSubject } from './subjects';

const PRELOAD_NAMESPACES = 10;
const PER_NAMESPACE = 10_000; // 10 × 10k = 100k stored objects; one namespace is the 10k-object list
// Kura and etcd take turns, ROUNDS times each, and every figure is the median of its per-round
// values: a burst of load from elsewhere on the machine then spoils a round, not a column.
const ROUNDS = 5;
const CREATES_1 = 1_000;
const CREATES_16 = 4_000;
const WARMUP = 200;
const LIST_RUNS = 3;
const WATCH_CREATES = 400;
/** Namespaces (etcd: key prefixes) the measured writes go to, fresh in every round. */
const roundGroups = (round: number) => ({ warmup: `warmup-${round}`, one: `create-1-${round}`, sixteen: `create-16-${round}`, watch: `watch-${round}` });

const thisFile = fileURLToPath(import.meta.url);
const repoRoot = path.resolve(path.dirname(thisFile), '../..');


// ---------------------------------------------------------------------------------------------
// Server mode: the child process that runs Kura's API server, so its memory is its own.

type ToServer = { kind: 'preload'; namespaces: string[]; perNamespace: number };
type FromServer = { kind: 'listening'; url: string; token: string; ca: string } | { kind: 'preloaded'; count: number; ms: number } | { kind: 'failed'; error: string };

async function serve(dataDir: string): Promise<void> {
  // Loaded here only: the parent does not need the server's code.
  const { startApiServer } = await import('@/server/apiserver');
  const { storageKey } = await import('@/server/apiserver/registry');
  const api = await startApiServer({ dataDir, addr: '127.0.0.1:0' });
  const send = (m: FromServer) => process.send?.(m);
  // The parent going away (Ctrl-C, a crash) ends this process too.
  process.on('disconnect', () => void api.stop().finally(() => process.exit(0)));
  process.on('message', (m: ToServer) => {
    if (m.kind !== 'preload') return;
    void (async () => {
      // Straight into the store: the objects the API would have stored, without 100k HTTPS round trips.
      const def = api.deps.registry.lookup('', 'v1', 'configmaps');
      if (!def) throw new Error('the registry has no configmaps');
      const t0 = performance.now();
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      let count = 0;
      for (const ns of m.namespaces) {
        for (let i = 0; i < m.perNamespace; i += 1000) {
          await Promise.all(
            Array.from({ length: Math.min(1000, m.perNamespace - i) }, (_, j) => {
              const name = `cm-${String(i + j).padStart(5, '0')}`;
              const obj = configMap(ns, name);
              Object.assign(obj.metadata as object, { uid: crypto.randomUUID(), creationTimestamp: now });
              return api.deps.store.create(storageKey(def, ns, name), obj);
            }),
          );
          count += Math.min(1000, m.perNamespace - i);
        }
      }
      send({ kind: 'preloaded', count, ms: performance.now() - t0 });
    })().catch((e: unknown) => send({ kind: 'failed', error: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
  });
  send({ kind: 'listening', url: api.url, token: api.adminToken, ca: fs.readFileSync(path.join(dataDir, 'pki', 'ca.crt'), 'utf8') });
}

// ---------------------------------------------------------------------------------------------
// Bench mode.

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/** Synchronous, so it also runs from 'exit': nothing is left behind, however the run ends. */
function cleanup(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

function tempDir(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kura-bench-${tag}-`));
  tempDirs.add(dir);
  return dir;
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

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

/** The process's resident memory and its peak, from /proc, in MiB. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

// Linux counts process CPU time in ticks of 1/100 s on every architecture Node runs on here.
const CLOCK_TICKS = 100;

/**
 * CPU used by the server and by this process (the clients) over a phase, in cores: tells whether a
 * figure is the server's limit or the machine's (2 cores shared by server and clients).
 */
function cpuMeter(pid: number): () => string {
  const serverCpu = () => {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime + stime
  };
  const server0 = serverCpu();
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const wall = (performance.now() - t0) / 1000;
    const client = process.cpuUsage(client0);
    return `server ${((serverCpu() - server0) / wall).toFixed(2)} cores, clients ${((client.user + client.system) / 1e6 / wall).toFixed(2)} cores`;
  };
}

async function startKura(): Promise<{ subject: Subject; preload: () => Promise<{ count: number; ms: number }>; child: ChildProcess }> {
  const dataDir = tempDir('kura');
  const child = track(
    spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', thisFile, '--server', dataDir], {
      cwd: repoRoot,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, KURA_LOG_LEVEL: 'warn' },
    }),
  );
  const next = <K extends FromServer['kind']>(kind: K) =>
    new Promise<Extract<FromServer, { kind: K }>>((resolve, reject) => {
      const onMessage = (m: FromServer) => {
        if (m.kind === 'failed') reject(new Error(`the Kura server failed: ${m.error}`));
        else if (m.kind === kind) resolve(m as Extract<FromServer, { kind: K }>);
        else return;
        child.off('message', onMessage);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`the Kura server exited (${code})`)));
    });
  const listening = await next('listening');
  const subject = kuraSubject(listening.url, listening.token, listening.ca, child.pid!);
  return {
    subject,
    child,
    async preload() {
      // Namespaces through the API, so they are what the server itself would have made.
      const admin = new Client(listening.url, { authorization: `Bearer ${listening.token}` }, listening.ca);
      const measured = Array.from({ length: ROUNDS }, (_, r) => Object.values(roundGroups(r + 1))).flat();
      for (const ns of [...preloadGroups(), ...measured]) {
        const res = await admin.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
        if (res.status !== 201) throw new Error(`namespace ${ns}: HTTP ${res.status} ${res.body}`);
      }
      admin.close();
      const done = next('preloaded');
      child.send({ kind: 'preload', namespaces: preloadGroups(), perNamespace: PER_NAMESPACE } satisfies ToServer);
      return done;
    },
  };
}

const preloadGroups = () => Array.from({ length: PRELOAD_NAMESPACES }, (_, i) => `bench-${i}`);

async function startEtcd(): Promise<{ subject: Subject; child: ChildProcess; preload: () => Promise<{ count: number; ms: number }> }> {
  const dataDir = tempDir('etcd');
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${clientPort}`;
  const log = fs.openSync(path.join(dataDir, 'etcd.log'), 'w');
  const child = track(
    spawn('etcd', ['--data-dir', path.join(dataDir, 'data'), '--listen-client-urls', url, '--advertise-client-urls', url, '--listen-peer-urls', `http://127.0.0.1:${peerPort}`], {
      stdio: ['ignore', log, log],
    }),
  );
  fs.closeSync(log);
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`etcd exited (${code}); see its log in ${dataDir}`))));
  exited.catch(() => undefined);
  const probe = new Client(url);
  for (const deadline = Date.now() + 15_000; ; ) {
    const healthy = await Promise.race([probe.request('GET', '/health').then((r) => r.body.includes('"true"'), () => false), exited]);
    if (healthy) break;
    if (Date.now() > deadline) throw new Error('etcd did not become healthy in 15 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  probe.close();
  const subject = etcdSubject(url, child.pid!);
  return {
    subject,
    child,
    async preload() {
      // Through the gateway at 64 clients: the same 100k objects, loaded as fast as etcd takes them.
      const t0 = performance.now();
      let count = 0;
      for (const group of preloadGroups()) {
        const r = await runWrites(subject, group, PER_NAMESPACE, 64, 'cm-');
        count += r.count;
      }
      return { count, ms: performance.now() - t0 };
    },
  };
}

interface Run {
  count: number;
  ms: number;
  latencies: number[];
}

/** `total` writes by `clients` closed-loop clients, each waiting for its answer before the next. */
async function runWrites(subject: Subject, group: string, total: number, clients: number, prefix = 'obj-'): Promise<Run> {
  let next = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < total; i = next++) {
        const start = performance.now();
        await subject.write(group, `${prefix}${String(i).padStart(5, '0')}`);
        latencies.push(performance.now() - start);
      }
    }),
  );
  return { count: total, ms: performance.now() - t0, latencies };
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)] ?? NaN;
}

/** Sequential creates while a watch on the same group waits for each one's ADDED: send to event. */
async function watchLatency(subject: Subject, group: string, n: number): Promise<number[]> {
  const waiting = new Map<string, () => void>();
  const stream = await subject.watch(group, (name) => waiting.get(name)?.());
  const latencies: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const name = `w-${String(i).padStart(5, '0')}`;
      const start = performance.now();
      const seen = new Promise<number>((resolve) => waiting.set(name, () => resolve(performance.now())));
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${subject.name}: no watch event for ${name} in 5 s`)), 5000).unref());
      await subject.write(group, name);
      latencies.push((await Promise.race([seen, timeout])) - start);
      waiting.delete(name);
    }
  } finally {
    stream.close();
  }
  return latencies;
}

interface Figures {
  rate1: number;
  rate16: number;
  p50_1: number;
  p99_1: number;
  p50_16: number;
  p99_16: number;
  list: number;
  watchP50: number;
  watchP99: number;
  rss: number;
  peak: number;
}
type RoundFigures = Omit<Figures, 'rss' | 'peak'>;

async function measureRound(subject: Subject, round: number, log: (s: string) => void): Promise<RoundFigures> {
  const groups = roundGroups(round);
  await runWrites(subject, groups.warmup, WARMUP, 16);
  let cpu = cpuMeter(subject.pid);
  const one = await runWrites(subject, groups.one, CREATES_1, 1);
  const cpuOne = cpu();
  cpu = cpuMeter(subject.pid);
  const sixteen = await runWrites(subject, groups.sixteen, CREATES_16, 16);
  const cpuSixteen = cpu();
  const lists: number[] = [];
  for (let k = 0; k < LIST_RUNS; k++) {
    const start = performance.now();
    const n = await subject.list('bench-3');
    lists.push(performance.now() - start);
    if (n !== PER_NAMESPACE) throw new Error(`${subject.name}: listed ${n} objects, expected ${PER_NAMESPACE}`);
  }
  const watch = await watchLatency(subject, groups.watch, WATCH_CREATES);
  const f: RoundFigures = {
    rate1: (one.count / one.ms) * 1000,
    rate16: (sixteen.count / sixteen.ms) * 1000,
    p50_1: percentile(one.latencies, 0.5),
    p99_1: percentile(one.latencies, 0.99),
    p50_16: percentile(sixteen.latencies, 0.5),
    p99_16: percentile(sixteen.latencies, 0.99),
    list: percentile(lists, 0.5),
    watchP50: percentile(watch, 0.5),
    watchP99: percentile(watch, 0.99),
  };
  const ms = (v: number) => v.toFixed(1);
  log(`round ${round}, ${subject.name}: 1 client ${Math.round(f.rate1)}/s p99 ${ms(f.p99_1)} ms (${cpuOne}); 16 clients ${Math.round(f.rate16)}/s p99 ${ms(f.p99_16)} ms (${cpuSixteen})`);
  log(`round ${round}, ${subject.name}: list ${lists.map(ms).join(', ')} ms; watch p99 ${ms(f.watchP99)} ms`);
  return f;
}

/** The median of each figure over the rounds, and the server's memory now. */
function figures(rounds: RoundFigures[], pid: number): Figures {
  const median = (key: keyof RoundFigures) => percentile(rounds.map((r) => r[key]), 0.5);
  const mem = memoryOf(pid);
  return {
    rate1: median('rate1'),
    rate16: median('rate16'),
    p50_1: median('p50_1'),
    p99_1: median('p99_1'),
    p50_16: median('p50_16'),
    p99_16: median('p99_16'),
    list: median('list'),
    watchP50: median('watchP50'),
    watchP99: median('watchP99'),
    rss: mem.rss,
    peak: mem.peak,
  };
}

function table(kura: Figures, etcd: Figures): string {
  type Row = [metric: string, key: keyof Figures, unit: string, target?: { text: string; pass: boolean }];
  const rows: Row[] = [
    ['create throughput, 1 client', 'rate1', '/s'],
    ['create throughput, 16 clients', 'rate16', '/s', { text: '>= 1.0x etcd', pass: kura.rate16 >= etcd.rate16 }],
    ['create p50, 1 client', 'p50_1', 'ms'],
    ['create p99, 1 client', 'p99_1', 'ms', { text: '<= 25 ms', pass: kura.p99_1 <= 25 }],
    ['create p50, 16 clients', 'p50_16', 'ms'],
    ['create p99, 16 clients', 'p99_16', 'ms', { text: '<= 25 ms', pass: kura.p99_16 <= 25 }],
    ['list 10k of 100k objects', 'list', 'ms', { text: '<= 300 ms', pass: kura.list <= 300 }],
    ['commit-to-watch p50', 'watchP50', 'ms'],
    ['commit-to-watch p99', 'watchP99', 'ms', { text: '<= 20 ms', pass: kura.watchP99 <= 20 }],
    ['RSS at 100k objects', 'rss', 'MiB', { text: '<= 1024 MiB', pass: kura.rss <= 1024 }],
    ['peak RSS (VmHWM)', 'peak', 'MiB'],
  ];
  const fmt = (v: number, unit: string) => (unit === '/s' ? `${Math.round(v).toLocaleString('en')}/s` : unit === 'MiB' ? `${Math.round(v)} MiB` : `${v.toFixed(v < 10 ? 2 : 1)} ms`);
  const lines = [['metric', 'Kura', 'etcd', 'ratio', 'target', 'result']];
  for (const [metric, key, unit, target] of rows) {
    lines.push([metric, fmt(kura[key], unit), fmt(etcd[key], unit), `${(kura[key] / etcd[key]).toFixed(2)}x`, target?.text ?? '', target ? (target.pass ? 'PASS' : 'FAIL') : '']);
  }
  const widths = lines[0]!.map((_, c) => Math.max(...lines.map((l) => l[c]!.length)));
  const render = (l: string[]) => l.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [render(lines[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.slice(1).map(render)].join('\n');
}

async function main(): Promise<void> {
  process.on('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping the servers and removing their data`);
      cleanup();
      process.exit(130);
    });
  }
  const t0 = performance.now();
  const log = (s: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${s}`);
  const etcdVersion = await new Promise<string>((resolve) => {
    const p = spawn('etcd', ['--version']);
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', () => resolve('not installed'));
    p.on('close', () => resolve(/etcd Version: (\S+)/.exec(out)?.[1] ?? 'unknown'));
  });
  // The machine may be shared: its load says how far to trust the figures.
  const load = () => os.loadavg()[0]!.toFixed(1);
  log(`node ${process.version}, ${os.cpus().length} cores, etcd ${etcdVersion}, data in ${os.tmpdir()}, load average ${load()}`);

  const [kura, etcd] = await Promise.all([startKura(), startEtcd()]);
  log(`started: Kura (pid ${kura.child.pid}), etcd (pid ${etcd.child.pid})`);
  // Both loaded at once (the loads are not measured); everything timed below runs on one server at a time.
  const [kuraLoad, etcdLoad] = await Promise.all([kura.preload(), etcd.preload()]);
  log(`preloaded Kura with ${kuraLoad.count.toLocaleString('en')} ConfigMaps through its store in ${(kuraLoad.ms / 1000).toFixed(1)} s`);
  log(`preloaded etcd with ${etcdLoad.count.toLocaleString('en')} keys through its JSON gateway (64 clients) in ${(etcdLoad.ms / 1000).toFixed(1)} s`);

  const kuraRounds: RoundFigures[] = [];
  const etcdRounds: RoundFigures[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    kuraRounds.push(await measureRound(kura.subject, round, log));
    etcdRounds.push(await measureRound(etcd.subject, round, log));
  }
  const kuraFigures = figures(kuraRounds, kura.subject.pid);
  const etcdFigures = figures(etcdRounds, etcd.subject.pid);
  kura.subject.close();
  etcd.subject.close();
  await Promise.all([stopChild(kura.child), stopChild(etcd.child)]);
  log(`done, load average ${load()}`);

  console.log('');
  console.log(table(kuraFigures, etcdFigures));
  console.log('');
  console.log('Kura: HTTPS with a bearer token, JSON, full API path (authn, RBAC, admission, validation, fsync per batch).');
  console.log('etcd: plain HTTP to its v3 JSON gateway (/v3/kv/put, /v3/kv/range, /v3/watch), same keep-alive client.');
  console.log(`Each figure is the median of ${ROUNDS} rounds (Kura and etcd taking turns); memory is read after the last.`);
  console.log('ratio = Kura / etcd (above 1 is better for throughput, worse for times and memory).');
  cleanup();
}

if (process.argv[2] === '--server') {
  const dataDir = process.argv[3];
  if (!dataDir) throw new Error('usage: run.ts --server <dataDir>');
  await serve(dataDir);
} else {
  try {
    await main();
  } catch (e) {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    cleanup();
    process.exit(1);
  }
}
