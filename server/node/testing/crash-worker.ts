// Child process for pool.crash.test.ts: loads, waits for "go" on stdin (so the parent's clock starts
// after tsx's slow load), then runs random pool operations forever, printing "begin <op>" before and
// "ack <op>" after each, until it is SIGKILLed. Volumes named "*-live" are snapshotted through a hook
// that does what a VM's QEMU does (an overlay naming the old top by absolute path).
// Run: node --import tsx server/node/testing/crash-worker.ts <pool dir> <round> <seed>
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { FilePool } from '../pool';
import { writePattern } from './qemu';

export type CrashOp =
  | { t: 'create'; id: string; size: number }
  | { t: 'write'; id: string; pattern: number }
  | { t: 'snapshot'; vol: string; id: string }
  | { t: 'restore'; snap: string; id: string; size: number }
  | { t: 'clone'; vol: string; id: string; size: number }
  | { t: 'expand'; id: string; size: number }
  | { t: 'delvol'; id: string }
  | { t: 'delsnap'; id: string };

export const WRITE_BYTES = 65536;
const MiB = 2 ** 20;

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function main(): Promise<void> {
  const [dir, round, seed] = process.argv.slice(2);
  if (!dir || !round || !seed) throw new Error('usage: crash-worker.ts <dir> <round> <seed>');
  process.stdout.write('loaded\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));

  const log = { debug() {}, info() {}, warn() {}, error() {} };
  const pool = new FilePool({ name: 'crash', dir, capacityBytes: 2 ** 40, log });
  pool.setLiveSnapshotHook(async (volumeId, currentTop, newOverlay) => {
    if (!volumeId.endsWith('-live')) return 'not-running';
    await promisify(execFile)('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', currentTop, newOverlay]);
    return 'done';
  });
  const rand = prng(Number(seed));
  const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(rand() * xs.length)];
  let n = 0;
  const fresh = () => `r${round}-${n++}${rand() < 0.3 ? '-live' : ''}`;

  for (;;) {
    const vols = pool.listVolumes();
    const snaps = pool.listSnapshots();
    const vol = pick(vols);
    const snap = pick(snaps);
    const r = rand();
    let op: CrashOp;
    if (!vol || vols.length < 3 || r < 0.1) op = { t: 'create', id: fresh(), size: 8 * MiB };
    else if (r < 0.3) op = { t: 'write', id: vol.id, pattern: 1 + Math.floor(rand() * 254) };
    else if (r < 0.45) op = { t: 'snapshot', vol: vol.id, id: `s${round}-${n++}` };
    else if (r < 0.55 && snap) op = { t: 'restore', snap: snap.id, id: fresh(), size: snap.restoreSizeBytes + (rand() < 0.5 ? MiB : 0) };
    else if (r < 0.65) op = { t: 'clone', vol: vol.id, id: fresh(), size: vol.sizeBytes };
    else if (r < 0.75) op = { t: 'expand', id: vol.id, size: vol.sizeBytes + MiB };
    else if (r < 0.87 && vols.length > 4) op = { t: 'delvol', id: vol.id };
    else if (snap && snaps.length > 2) op = { t: 'delsnap', id: snap.id };
    else op = { t: 'write', id: vol.id, pattern: 1 + Math.floor(rand() * 254) };

    process.stdout.write(`begin ${JSON.stringify(op)}\n`);
    switch (op.t) {
      case 'create':
        await pool.createVolume(op.id, op.size);
        break;
      case 'write':
        await writePattern(pool.getVolume(op.id)!.path, op.pattern, 0, WRITE_BYTES);
        break;
      case 'snapshot':
        await pool.snapshot(op.vol, op.id);
        break;
      case 'restore':
        await pool.createVolume(op.id, op.size, { source: { snapshotId: op.snap } });
        break;
      case 'clone':
        await pool.createVolume(op.id, op.size, { source: { volumeId: op.vol } });
        break;
      case 'expand':
        await pool.expandVolume(op.id, op.size);
        break;
      case 'delvol':
        await pool.deleteVolume(op.id);
        break;
      case 'delsnap':
        await pool.deleteSnapshot(op.id);
        break;
    }
    process.stdout.write(`ack ${JSON.stringify(op)}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`crash worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
