// Snapshot, clone and restore time of the node agent's FilePool for volumes of 100 MiB, 1 GiB and 10 GiB
// holding real data: copy-on-write layers should make them cost the same whatever the size.
// Run: node --import tsx bench/storage/snapshots.ts   (target: 10 GiB ≤ 1.5× the 100 MiB time; see CONVENTIONS.md 13)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FilePool } from '@/server/node';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const TARGET = 1.5;
/** Timed repetitions per operation and size; medians are reported (fsync latency varies a lot here). */
const REPEAT = 11;

interface Region {
  offset: number;
  length: number;
}

/** What is written into each volume: dense for the small ones; for 10 GiB dense ends plus 1 MiB every 64 MiB. */
function dataLayout(size: number): Region[] {
  const chunks = (from: number, to: number): Region[] => {
    const out: Region[] = [];
    for (let o = from; o < to; o += 64 * MiB) out.push({ offset: o, length: Math.min(64 * MiB, to - o) });
    return out;
  };
  if (size <= GiB) return chunks(0, size);
  const sparse: Region[] = [];
  for (let o = 512 * MiB; o < size - 256 * MiB; o += 64 * MiB) sparse.push({ offset: o, length: MiB });
  return [...chunks(0, 512 * MiB), ...sparse, ...chunks(size - 256 * MiB, size)];
}

/** Writes the regions through qemu-io (as a guest would, into the qcow2 top), each with its own byte pattern. */
function writeData(file: string, regions: Region[]): void {
  for (let i = 0; i < regions.length; i += 32) {
    const args = ['-f', 'qcow2'];
    regions.slice(i, i + 32).forEach((r, j) => args.push('-c', `write -P ${1 + ((i + j) % 254)} ${r.offset} ${r.length}`));
    execFileSync('qemu-io', [...args, file], { stdio: 'ignore' });
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const fmtMs = (ms: number) => `${ms.toFixed(1).padStart(7)} ms`;
const fmtSize = (b: number) => (b >= GiB ? `${+(b / GiB).toFixed(2)} GiB` : `${+(b / MiB).toFixed(1)} MiB`);

interface Subject {
  size: number;
  pool: FilePool;
  dir: string;
  firstSnapshot: number;
  snapshot: number[];
  clone: number[];
  restore: number[];
}

async function prepare(root: string, size: number): Promise<Subject> {
  const dir = path.join(root, `pool-${size}`);
  const pool = new FilePool({ name: 'bench', dir, capacityBytes: 2 ** 40, usageTtlMs: 0, log: { debug() {}, info() {}, warn() {}, error() {} } });
  const vol = await pool.createVolume('vol', size);
  const regions = dataLayout(size);
  const written = regions.reduce((sum, r) => sum + r.length, 0);
  const start = performance.now();
  writeData(vol.path, regions);
  console.log(`  ${fmtSize(size).padEnd(8)} wrote ${fmtSize(written)} in ${((performance.now() - start) / 1000).toFixed(1)} s (${regions.length} regions), ${fmtSize(pool.status().usedBytes)} on disk`);
  return { size, pool, dir, firstSnapshot: 0, snapshot: [], clone: [], restore: [] };
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kura-bench-snapshots-'));
  console.log(`FilePool snapshot/clone/restore, ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}, pool on disk in ${root}`);
  const subjects: Subject[] = [];
  try {
    for (const size of [100 * MiB, GiB, 10 * GiB]) subjects.push(await prepare(root, size));
    // The data's own writeback is the writer's cost, not the snapshot's: flush it before any clock starts.
    execFileSync('sync');
    // Sizes take turns at every step, so load from other processes falls on all of them alike.
    for (const s of subjects) s.firstSnapshot = await timed(() => s.pool.snapshot('vol', 'snap-0'));
    for (let i = 1; i <= REPEAT; i++) {
      for (const s of subjects) s.restore.push(await timed(() => s.pool.createVolume(`restore-${i}`, s.size, { source: { snapshotId: 'snap-0' } })));
      for (const s of subjects) s.clone.push(await timed(() => s.pool.createVolume(`clone-${i}`, s.size, { source: { volumeId: 'vol' } })));
      for (const s of subjects) writeData(s.pool.getVolume('vol')!.path, [{ offset: i * MiB, length: MiB }]);
      for (const s of subjects) s.snapshot.push(await timed(() => s.pool.snapshot('vol', `snap-${i}`)));
    }
    console.log('');
    console.log(`  size      first snapshot  snapshot   clone      restore    (medians of ${REPEAT})`);
    for (const s of subjects) {
      console.log(`  ${fmtSize(s.size).padEnd(8)}  ${fmtMs(s.firstSnapshot)}      ${fmtMs(median(s.snapshot))} ${fmtMs(median(s.clone))} ${fmtMs(median(s.restore))}`);
    }
    const small = subjects[0]!;
    const big = subjects[2]!;
    console.log('');
    for (const key of ['snapshot', 'clone', 'restore'] as const) {
      const ratio = median(big[key]) / median(small[key]);
      console.log(`  ${key.padEnd(8)} 10 GiB / 100 MiB = ${ratio.toFixed(2)}x (target <= ${TARGET}x) ${ratio <= TARGET ? 'OK' : 'MISSED'}`);
    }
  } finally {
    for (const s of subjects) await s.pool.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
