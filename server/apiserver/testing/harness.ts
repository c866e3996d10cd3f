// A real embedded API server in a temporary data directory for tests, plus a
// kubectl runner pointed at it (with its own discovery cache).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApiServer, type RunningApiServer } from '..';

export interface TestCluster {
  api: RunningApiServer;
  dir: string;
  kubectl(args: string[], opts?: { input?: string; token?: string; allowFail?: boolean }): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Start a long-running kubectl (e.g. get -w) and collect its output. */
  spawnKubectl(args: string[]): { child: ChildProcess; output: () => string; stop: () => void };
  request(
    method: string,
    apiPath: string,
    body?: unknown,
    opts?: { token?: string; contentType?: string; raw?: string | Buffer; headers?: Record<string, string> },
    // Tests read arbitrary JSON answers; typing each would only restate the assertions.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): Promise<{ status: number; body: any; headers: Record<string, string | string[] | undefined> }>;
  stop(): Promise<void>;
}

export async function startTestCluster(): Promise<TestCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kura-api-test-'));
  const api = await startApiServer({ dataDir: dir, addr: '127.0.0.1:0' });
  const cacheDir = path.join(dir, 'kubectl-cache');
  const ca = fs.readFileSync(path.join(dir, 'pki', 'ca.crt'));

  const kubectlArgs = (args: string[], token?: string) => [
    '--kubeconfig',
    api.kubeconfigPath,
    '--cache-dir',
    cacheDir,
    ...(token ? ['--token', token] : []),
    ...args,
  ];

  return {
    api,
    dir,
    kubectl(args, opts = {}) {
      return new Promise((resolve, reject) => {
        const child = execFile('kubectl', kubectlArgs(args, opts.token), { timeout: 60_000, env: { ...process.env, HOME: dir } }, (err, stdout, stderr) => {
          const code = err ? ((err as { code?: number }).code ?? 1) : 0;
          if (code !== 0 && !opts.allowFail) reject(new Error(`kubectl ${args.join(' ')} failed (${code}): ${stderr || stdout}`));
          else resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
        });
        if (opts.input !== undefined) child.stdin!.end(opts.input);
      });
    },
    spawnKubectl(args) {
      const child = spawn('kubectl', kubectlArgs(args), { env: { ...process.env, HOME: dir } });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      return { child, output: () => out, stop: () => child.kill('SIGTERM') };
    },
    async request(method, apiPath, body, opts = {}) {
      const https = await import('node:https');
      const url = new URL(api.url + apiPath);
      const payload = opts.raw ?? (body === undefined ? undefined : JSON.stringify(body));
      return new Promise((resolve, reject) => {
        const req = https.request(
          url,
          {
            method,
            ca,
            headers: {
              authorization: `Bearer ${opts.token ?? api.adminToken}`,
              accept: 'application/json',
              // Explicit length: Node sends DELETE bodies unframed otherwise.
              ...(payload !== undefined ? { 'content-type': opts.contentType ?? 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
              ...opts.headers,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString();
              let parsed: unknown = text;
              try {
                parsed = JSON.parse(text);
              } catch {
                /* text */
              }
              resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
            });
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
    async stop() {
      await api.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
