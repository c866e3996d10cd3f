// Crash safety: a process running pool operations is SIGKILLed (with its qemu-img children) at random
// moments, round after round on one pool. Each reopen must leave a consistent pool that holds every
// acknowledged volume and snapshot, usable and with its data, and the operation cut short either
// wholly done or wholly undone.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FilePool } from './pool';
import { QemuImg } from './qemuImg';
import type { CrashOp } from './testing/crash-worker';
import { checkImage, layerFiles, quiet, readsPattern, tempDir } from './testing/qemu';

const ROUNDS = 12;
/** How long into an operation each kill lands: operations take 20-200 ms here (fsyncs, qemu-img). */
const KILL_AFTER_MS = [0, 3, 8, 15, 25, 40, 60, 80, 110, 150, 5, 30];
const WRITE_BYTES = 65536;
const worker = fileURLToPath(new URL('./testing/crash-worker.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const qemu = new QemuImg();
const dir = tempDir('pool-crash');

interface Model {
  volumes: Map<string, { size: number; pattern: number }>;
  snapshots: Map<string, { pattern: number }>;
}

function apply(m: Model, op: CrashOp): Model {
  const volumes = new Map(m.volumes);
  const snapshots = new Map(m.snapshots);
  switch (op.t) {
    case 'create':
      volumes.set(op.id, { size: op.size, pattern: 0 });
      break;
    case 'write':
      volumes.set(op.id, { ...volumes.get(op.id)!, pattern: op.pattern });
      break;
    case 'snapshot':
      snapshots.set(op.id, { pattern: volumes.get(op.vol)!.pattern });
      break;
    case 'restore':
      volumes.set(op.id, { size: op.size, pattern: snapshots.get(op.snap)!.pattern });
      break;
    case 'clone':
      volumes.set(op.id, { size: op.size, pattern: volumes.get(op.vol)!.pattern });
      break;
    case 'expand':
      volumes.set(op.id, { ...volumes.get(op.id)!, size: op.size });
      break;
    case 'delvol':
      volumes.delete(op.id);
      break;
    case 'delsnap':
      snapshots.delete(op.id);
      break;
  }
  return { volumes, snapshots };
}

interface Worker {
  child: ChildProcess;
  loaded: Promise<void>;
  lines: string[];
  onLine: (() => void)[];
  exited: Promise<void>;
}

const workers: Worker[] = [];

function spawnWorker(round: number): Worker {
  // Its own process group, so the kill takes its qemu-img and qemu-io children too, as a crash would.
  const child = spawn(process.execPath, ['--import', 'tsx', worker, dir, String(round), String(1000 + round * 7919)], {
    cwd: repoRoot,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const w: Worker = { child, loaded: Promise.resolve(), lines: [], onLine: [], exited: new Promise((r) => child.once('exit', () => r())) };
  let buf = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => {
    buf += d;
    const parts = buf.split('\n');
    buf = parts.pop()!;
    w.lines.push(...parts);
    for (const f of w.onLine.splice(0)) f();
  });
  w.loaded = new Promise((resolve, reject) => {
    const check = () => (w.lines.includes('loaded') ? resolve() : w.onLine.push(check));
    check();
    void w.exited.then(() => reject(new Error(`worker exited: ${err}`)));
  });
  return w;
}

beforeAll(async () => {
  // tsx takes seconds of CPU to load the worker; all load first, in parallel, before any clock starts.
  for (let round = 0; round < ROUNDS; round++) workers.push(spawnWorker(round));
  await Promise.all(workers.map((w) => w.loaded));
}, 120_000);

afterAll(() => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) process.kill(-w.child.pid!, 'SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs the checks a few at a time: each is a qemu-img or qemu-io process. */
async function firstFailure(checks: (() => Promise<string | undefined>)[]): Promise<string | undefined> {
  for (let i = 0; i < checks.length; i += 4) {
    const failed = (await Promise.all(checks.slice(i, i + 4).map((c) => c()))).find((r) => r !== undefined);
    if (failed !== undefined) return failed;
  }
  return undefined;
}

/** Whether the reopened pool holds exactly the model: same volumes, sizes, snapshots, and data. */
async function holds(pool: FilePool, m: Model): Promise<string | undefined> {
  const vols = new Map(pool.listVolumes().map((v) => [v.id, v]));
  const snaps = new Set(pool.listSnapshots().map((s) => s.id));
  if ([...vols.keys()].sort().join() !== [...m.volumes.keys()].sort().join()) return `volumes ${[...vols.keys()].join()} != ${[...m.volumes.keys()].join()}`;
  if ([...snaps].sort().join() !== [...m.snapshots.keys()].sort().join()) return `snapshots ${[...snaps].join()} != ${[...m.snapshots.keys()].join()}`;
  const checks = [...m.volumes].map(([id, want]) => async () => {
    const v = vols.get(id)!;
    if (v.sizeBytes !== want.size) return `volume ${id} size ${v.sizeBytes} != ${want.size}`;
    if ((await qemu.info(v.path, { format: 'qcow2' })).virtualSize !== want.size) return `volume ${id} file has the wrong size`;
    if (!(await readsPattern(v.path, want.pattern, 0, WRITE_BYTES))) return `volume ${id} does not read ${want.pattern}`;
    return undefined;
  });
  for (const [id, want] of m.snapshots) {
    checks.push(async () => ((await readsPattern(pool.snapshotPath(id)!, want.pattern, 0, WRITE_BYTES)) ? undefined : `snapshot ${id} does not read ${want.pattern}`));
  }
  return firstFailure(checks);
}

/**
 * Every file the metadata needs is there, no other, and each passes `qemu-img check`. A guest write
 * killed midway may leak clusters in the top it wrote (qemu-img: "waste of disk space, but no harm
 * to data"), as a killed QEMU would. The leak stays with that file, also once a later snapshot has
 * frozen it below a new top: allowed in `leaky` files only, and never corruption.
 */
async function expectConsistent(pool: FilePool, leaky: ReadonlySet<string>): Promise<void> {
  const needed = new Set<string>();
  for (const v of pool.listVolumes()) for (const f of pool.chain(v.id)!) needed.add(path.basename(f));
  for (const s of pool.listSnapshots()) for (const f of pool.snapshotChain(s.id)!) needed.add(path.basename(f));
  expect(layerFiles(dir)).toEqual([...needed].sort());
  const bad = await firstFailure(
    [...needed].map((f) => async () => {
      const file = path.join(dir, 'layers', f);
      const check = await checkImage(file);
      return check.code === 0 || (check.code === 3 && leaky.has(file)) ? undefined : `${f}: ${check.out}`;
    }),
  );
  expect(bad).toBeUndefined();
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'pool.json'), 'utf8')) as Record<string, unknown>;
  expect(meta.pending).toBeUndefined();
  expect(fs.readdirSync(dir).sort()).toEqual(['layers', 'pool.json']);
}

it(`keeps a consistent pool and every acknowledged change across ${ROUNDS} SIGKILLs`, async () => {
  let model: Model = { volumes: new Map(), snapshots: new Map() };
  const cutShort: string[] = [];
  /** Files a killed write went to, in this round or an earlier one. */
  const leaky = new Set<string>();
  for (let round = 0; round < ROUNDS; round++) {
    const w = workers[round]!;
    w.child.stdin!.write('go\n');
    // Kill during the k-th operation, a random few milliseconds into it.
    const k = 4 + ((round * 5) % 11);
    await new Promise<void>((resolve, reject) => {
      const check = () => (w.lines.filter((l) => l.startsWith('begin ')).length >= k ? resolve() : w.onLine.push(check));
      check();
      void w.exited.then(() => reject(new Error(`worker ${round} exited early:\n${w.lines.join('\n')}`)));
    });
    await new Promise((r) => setTimeout(r, KILL_AFTER_MS[round % KILL_AFTER_MS.length]));
    process.kill(-w.child.pid!, 'SIGKILL');
    await w.exited;
    // Let any grandchild the group kill reached last be gone before the files are looked at.
    await new Promise((r) => setTimeout(r, 50));

    let inFlight: CrashOp | undefined;
    for (const line of w.lines) {
      if (line.startsWith('begin ')) inFlight = JSON.parse(line.slice(6)) as CrashOp;
      else if (line.startsWith('ack ')) {
        model = apply(model, JSON.parse(line.slice(4)) as CrashOp);
        inFlight = undefined;
      }
    }
    const pool = new FilePool({ name: 'crash', dir, capacityBytes: 2 ** 40, log: quiet });
    const writtenTop = inFlight?.t === 'write' ? pool.getVolume(inFlight.id)?.path : undefined;
    if (writtenTop) leaky.add(writtenTop);
    await expectConsistent(pool, leaky);
    const undone = await holds(pool, model);
    if (undone !== undefined) {
      expect(inFlight, `round ${round}: ${undone}`).toBeDefined();
      const done = await holds(pool, apply(model, inFlight!));
      expect(done, `round ${round}: neither undone (${undone}) nor done`).toBeUndefined();
      model = apply(model, inFlight!);
    }
    if (inFlight) cutShort.push(`${inFlight.t}${JSON.stringify(inFlight).includes('-live"') ? '(live)' : ''}: ${undone === undefined ? 'undone' : 'done'}`);
    await pool.close();
  }
  console.log(`operations cut short: ${cutShort.join(', ')}`);

  // Everything acknowledged is still usable: restore every snapshot, clone every volume, then delete it all.
  const pool = new FilePool({ name: 'crash', dir, capacityBytes: 2 ** 40, log: quiet });
  expect(model.volumes.size + model.snapshots.size).toBeGreaterThan(3);
  for (const [id, s] of model.snapshots) {
    const restored = await pool.createVolume(`check-${id}`, pool.getSnapshot(id)!.restoreSizeBytes, { source: { snapshotId: id } });
    expect(await readsPattern(restored.path, s.pattern, 0, WRITE_BYTES)).toBe(true);
  }
  for (const [id, v] of model.volumes) {
    const clone = await pool.createVolume(`check-${id}`, v.size, { source: { volumeId: id } });
    expect(await readsPattern(clone.path, v.pattern, 0, WRITE_BYTES)).toBe(true);
  }
  for (const v of pool.listVolumes()) await pool.deleteVolume(v.id);
  for (const s of pool.listSnapshots()) await pool.deleteSnapshot(s.id);
  expect(layerFiles(dir)).toEqual([]);
  await pool.close();
}, 300_000);
