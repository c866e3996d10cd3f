// Starting and stopping a Kura for the tests, the way the README says to:
// `npm start`, with its settings in the environment.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const stateFile = path.join(repoRoot, 'e2e', '.artifacts', 'kura.json');

export interface KuraState {
  baseURL: string;
  signInLink: string;
  dataDir: string;
  kubeconfig: string;
  pid: number;
  logFile: string;
  /** Where the disk-image tests run their registry (plain http; Kura was told so). */
  registryHost: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface StartedKura {
  child: ChildProcess;
  baseURL: string;
  dataDir: string;
  logFile: string;
  /** Resolves with the first line matching `re` in the output. */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
}

/** Run `npm start` with extra environment; output goes to a log file beside the results. */
export async function startKura(env: Record<string, string>, args: string[] = [], name = 'kura'): Promise<StartedKura> {
  const port = await freePort();
  const dataDir = env.KURA_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kura-e2e-'));
  const logFile = path.join(repoRoot, 'e2e', '.artifacts', `${name}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const log = fs.createWriteStream(logFile);
  const child = spawn('npm', ['start', ...(args.length ? ['--', ...args] : [])], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', KURA_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  const onData = (chunk: Buffer) => {
    log.write(chunk);
    output += chunk.toString();
    for (const w of [...waiters]) {
      const line = output.split('\n').find((l) => w.re.test(l));
      if (line) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const waitForLine = (re: RegExp, timeoutMs = 180_000) =>
    new Promise<string>((resolve, reject) => {
      const line = output.split('\n').find((l) => re.test(l));
      if (line) return resolve(line);
      const timer = setTimeout(() => reject(new Error(`Kura did not print ${re} within ${timeoutMs} ms; see ${logFile}`)), timeoutMs);
      waiters.push({ re, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      child.once('exit', (code) => reject(new Error(`Kura exited with code ${code} before printing ${re}; see ${logFile}`)));
    });
  return { child, baseURL: `http://127.0.0.1:${port}`, dataDir, logFile, waitForLine };
}

/** Stop a Kura started by startKura (the whole process group: npm and the server). */
export function stopKura(pid: number): void {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
}

export function readState(): KuraState {
  return JSON.parse(fs.readFileSync(stateFile, 'utf8')) as KuraState;
}
