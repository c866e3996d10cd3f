// Where the cluster is and how to reach it, from the connection mode: the
// embedded API server's kubeconfig, a user's kubeconfig, or the in-cluster
// service account environment. Only the server address and its CA are taken
// from there; user requests always carry the signed-in user's own token.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { Config, ClusterMode } from '../config';

export interface ClusterTarget {
  mode: ClusterMode;
  /** Context or cluster name shown in the masthead. */
  name: string;
  server: URL;
  agent: http.Agent;
  /** The admin token of the embedded cluster (for one-time sign-in links only). */
  embeddedAdminToken?: string;
}

export class ClusterConfigError extends Error {}

export function embeddedKubeconfigPath(dataDir: string): string {
  return path.join(dataDir, 'kubeconfig');
}

/** Resolve the cluster for a mode. Throws ClusterConfigError with what to fix. */
export function loadClusterTarget(config: Config): ClusterTarget {
  const kc = new KubeConfig();
  let name: string;
  try {
    if (config.cluster === 'in-cluster') {
      if (!process.env.KUBERNETES_SERVICE_HOST) {
        throw new ClusterConfigError('KURA_CLUSTER=in-cluster but KUBERNETES_SERVICE_HOST is not set: Kura is not running in a pod. Use KURA_CLUSTER=kubeconfig instead.');
      }
      kc.loadFromCluster();
      name = 'in-cluster';
    } else {
      const file = config.cluster === 'embedded' ? embeddedKubeconfigPath(config.dataDirAbs) : config.kubeconfig;
      if (file) {
        if (!fs.existsSync(file)) throw new ClusterConfigError(`kubeconfig ${file} does not exist`);
        kc.loadFromFile(file);
      } else {
        kc.loadFromDefault();
      }
      if (config.context && config.cluster !== 'embedded') {
        if (!kc.getContextObject(config.context)) throw new ClusterConfigError(`context "${config.context}" is not in the kubeconfig; it has: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'}`);
        kc.setCurrentContext(config.context);
      }
      name = config.cluster === 'embedded' ? 'embedded' : kc.getCurrentContext();
    }
  } catch (e) {
    if (e instanceof ClusterConfigError) throw e;
    throw new ClusterConfigError(`cannot load the cluster configuration: ${(e as Error).message}`);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new ClusterConfigError('the kubeconfig has no current cluster with a server address');
  let server: URL;
  try {
    server = new URL(cluster.server);
  } catch {
    throw new ClusterConfigError(`the cluster server address "${cluster.server}" is not a URL`);
  }
  let ca: Buffer | undefined;
  if (cluster.caData) ca = Buffer.from(cluster.caData, 'base64');
  else if (cluster.caFile) ca = fs.readFileSync(cluster.caFile);
  const agent =
    server.protocol === 'https:'
      ? new https.Agent({ keepAlive: true, ca, rejectUnauthorized: !cluster.skipTLSVerify, servername: cluster.tlsServerName, maxSockets: 256 })
      : new http.Agent({ keepAlive: true, maxSockets: 256 });
  const user = kc.getCurrentUser();
  return {
    mode: config.cluster,
    name,
    server,
    agent,
    embeddedAdminToken: config.cluster === 'embedded' ? user?.token : undefined,
  };
}

export interface UpstreamResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A small buffered request to the cluster (for the console's own checks, never for user traffic). */
export function clusterRequest(
  target: ClusterTarget,
  method: string,
  apiPath: string,
  opts: { token?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(joinServerPath(target.server, apiPath));
    const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(url, { method, headers, agent: target.agent, timeout: opts.timeoutMs ?? 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${target.server.origin} within ${opts.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Append an API path to the server URL, keeping any path prefix the server URL has (proxies use them). */
export function joinServerPath(server: URL, apiPath: string): string {
  const base = server.href.replace(/\/+$/, '');
  return base + (apiPath.startsWith('/') ? apiPath : `/${apiPath}`);
}

export interface ClusterHealth {
  reachable: boolean;
  version?: string;
  error?: string;
  checkedAt: number;
}

/** Probe the cluster's /version (anonymous; any HTTP answer means reachable), cached briefly. */
export class ClusterProbe {
  private last: ClusterHealth = { reachable: false, error: 'not checked yet', checkedAt: 0 };
  private inflight?: Promise<ClusterHealth>;

  constructor(private readonly target: () => ClusterTarget | undefined, private readonly maxAgeMs = 5000) {}

  async check(): Promise<ClusterHealth> {
    if (Date.now() - this.last.checkedAt < this.maxAgeMs) return this.last;
    this.inflight ??= this.run().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async run(): Promise<ClusterHealth> {
    const t = this.target();
    if (!t) return (this.last = { reachable: false, error: 'there is no cluster yet', checkedAt: Date.now() });
    try {
      const res = await clusterRequest(t, 'GET', '/version', { timeoutMs: 3000 });
      let version: string | undefined;
      if (res.status === 200) {
        try {
          version = (JSON.parse(res.body.toString()) as { gitVersion?: string }).gitVersion;
        } catch {
          /* a reachable server with an odd /version is still reachable */
        }
      }
      this.last = { reachable: true, version, checkedAt: Date.now() };
    } catch (e) {
      this.last = { reachable: false, error: `cannot reach the cluster at ${t.server.origin}: ${(e as Error).message}`, checkedAt: Date.now() };
    }
    return this.last;
  }
}
