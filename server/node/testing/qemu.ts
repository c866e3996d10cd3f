// Test helpers: real reads and writes through qemu-io, and throwaway pool directories.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { VolumeFormat } from '../types';

/** How long one qemu-io or qemu-img call of these helpers may take (each takes well under a second). */
const CALL_TIMEOUT_MS = 12_000;

function runOnce(bin: string, args: string[]): Promise<{ code: number; out: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    execFile(bin, args, { env: { ...process.env, LC_ALL: 'C' }, timeout: CALL_TIMEOUT_MS, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
      const timedOut = (err as { killed?: boolean } | null)?.killed === true;
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
      resolve({ code, out: stdout + stderr, timedOut });
    });
  });
}

/**
 * Runs a helper's qemu-io or qemu-img call. A call that hangs (seen once in CI, on a machine whose
 * kernel was busy reclaiming memory) is killed, said on stderr with its command, and run once more:
 * the calls only read, check, or write the same bytes again.
 */
async function run(bin: string, args: string[]): Promise<{ code: number; out: string }> {
  const first = await runOnce(bin, args);
  if (!first.timedOut) return first;
  process.stderr.write(`test helper: ${bin} ${args.join(' ')} did not finish in ${CALL_TIMEOUT_MS / 1000} s; killed, running it again\n`);
  const again = await runOnce(bin, args);
  if (again.timedOut) return { code: -1, out: `${bin} ${args.join(' ')} did not finish in ${CALL_TIMEOUT_MS / 1000} s, twice` };
  return again;
}

/** Writes `length` bytes of `pattern` at `offset` into the image, as a guest would (through its chain). */
export async function writePattern(file: string, pattern: number, offset: number, length: number, format: VolumeFormat = 'qcow2'): Promise<void> {
  const r = await run('qemu-io', ['-f', format, '-c', `write -P ${pattern} ${offset} ${length}`, file]);
  if (r.code !== 0 || /failed|error/i.test(r.out)) throw new Error(`qemu-io write into ${file} failed: ${r.out}`);
}

/** Whether the image reads `pattern` over the whole range (read-only, shared: works while another process writes). */
export async function readsPattern(file: string, pattern: number, offset: number, length: number, format: VolumeFormat = 'qcow2'): Promise<boolean> {
  const r = await run('qemu-io', ['-r', '-U', '-f', format, '-c', `read -P ${pattern} ${offset} ${length}`, file]);
  return r.code === 0 && !/failed/i.test(r.out);
}

/** `qemu-img check` of one layer file: true when clean. */
export async function checkClean(file: string, format: VolumeFormat = 'qcow2'): Promise<boolean> {
  return (await checkImage(file, format)).code === 0;
}

/** `qemu-img check` of one layer file: exit code 0 clean, 2 corrupt, 3 leaked clusters only; and what it said. */
export async function checkImage(file: string, format: VolumeFormat = 'qcow2'): Promise<{ code: number; out: string }> {
  return run('qemu-img', ['check', '-f', format, file]);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `kura-${prefix}-`));
}

/** The layer files present in a pool directory. */
export function layerFiles(dir: string): string[] {
  return fs.readdirSync(path.join(dir, 'layers')).sort();
}

/** A silent logger for tests that provoke warnings on purpose. */
export const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** Holds an image open for writing, locked as a running VM would (qemu-io waiting for commands), until released. */
export async function holdOpen(file: string): Promise<() => Promise<void>> {
  const holder = spawn('qemu-io', ['-f', 'qcow2', file], { stdio: ['pipe', 'ignore', 'pipe'] });
  let said = '';
  holder.stderr.setEncoding('utf8').on('data', (chunk: string) => (said += chunk));
  let exited = false;
  const gone = new Promise<void>((resolve) => holder.once('exit', () => ((exited = true), resolve())));
  const release = async () => {
    holder.stdin.end();
    await gone;
  };
  // Waits for the lock itself (qemu-io can take seconds to start on a loaded machine), watching the
  // kernel's lock table rather than probing with qemu-img: a probe holds a lock of its own for a
  // moment, and a qemu-io starting in that moment fails to open the image at all.
  const inode = fs.statSync(file).ino;
  for (const deadline = Date.now() + 20_000; Date.now() < deadline && !exited; await new Promise((r) => setTimeout(r, 20))) {
    if (holdsLock(inode)) return release;
  }
  await release();
  throw new Error(`qemu-io did not lock ${file} within 20 s${said ? `: ${said.trim()}` : ''}`);
}

/** Whether the kernel lists an OFD lock (the kind QEMU takes) on the inode. */
function holdsLock(inode: number): boolean {
  const table = fs.readFileSync('/proc/locks', 'utf8');
  return table.split('\n').some((line) => line.includes('OFDLCK') && line.includes(`:${inode} `));
}
