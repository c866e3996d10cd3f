// Kura's settings: environment variables and command-line flags, validated
// once at start-up so a typo fails loudly instead of half-working.
import path from 'node:path';
import { z } from 'zod';
import { parseImportAllowList } from '@/lib/cdi';

export const clusterModes = ['embedded', 'kubeconfig', 'in-cluster'] as const;
export type ClusterMode = (typeof clusterModes)[number];

// A storage size as Kubernetes writes it (checked exactly where it is used).
const quantityPattern = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/;

const hostPort = z.string().regex(/^[^:\s]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:6443');

const schema = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  cluster: z.enum(clusterModes),
  dataDir: z.string().min(1),
  kubeconfig: z.string().optional(),
  context: z.string().optional(),
  apiAddr: hostPort,
  publicUrl: z.url().optional(),
  tlsCert: z.string().optional(),
  tlsKey: z.string().optional(),
  dev: z.boolean(),
  sessionIdleMinutes: z.coerce.number().int().positive(),
  nodes: z.coerce.number().int().min(1, 'must be at least 1').max(64, 'must be at most 64'),
  nodePoolSize: z.string().regex(quantityPattern, 'must be a size such as 100Gi'),
  sharedPoolSize: z.string().regex(quantityPattern, 'must be a size such as 200Gi'),
  importAllow: z.string(),
  uploadAddr: hostPort,
  uploadProxyUrl: z.url().optional(),
  insecureRegistries: z.string(),
});

export type Config = z.infer<typeof schema> & {
  /** Absolute data directory. */
  dataDirAbs: string;
};

export class ConfigError extends Error {}

/** Read `--flag value` / `--flag=value` pairs; unknown flags are errors. */
export function parseFlags(argv: string[], known: readonly string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument "${arg}"; flags look like --name value`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!known.includes(name)) throw new ConfigError(`unknown flag --${name}; known flags: ${known.map((k) => `--${k}`).join(', ')}`);
    if (eq > 0) out[name] = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) out[name] = argv[++i]!;
    else out[name] = true;
  }
  return out;
}

const flagNames = ['port', 'host', 'cluster', 'data-dir', 'kubeconfig', 'context', 'api-addr', 'public-url', 'dev'] as const;

/** Settings from the environment, overridden by flags. */
export function loadConfig(env: Record<string, string | undefined> = process.env, argv: string[] = []): Config {
  const flags = parseFlags(argv, flagNames);
  const str = (flag: string, envName: string): string | undefined => {
    const f = flags[flag];
    if (typeof f === 'string') return f;
    const v = env[envName];
    return v === undefined || v === '' ? undefined : v;
  };
  const raw = {
    port: str('port', 'PORT') ?? '3000',
    host: str('host', 'HOST') ?? '127.0.0.1',
    cluster: str('cluster', 'KURA_CLUSTER') ?? 'embedded',
    dataDir: str('data-dir', 'KURA_DATA_DIR') ?? '.kura',
    kubeconfig: str('kubeconfig', 'KUBECONFIG'),
    context: str('context', 'KURA_CONTEXT'),
    apiAddr: str('api-addr', 'KURA_API_ADDR') ?? '127.0.0.1:6443',
    publicUrl: str('public-url', 'KURA_PUBLIC_URL'),
    tlsCert: env.KURA_TLS_CERT || undefined,
    tlsKey: env.KURA_TLS_KEY || undefined,
    dev: flags.dev === true || env.KURA_DEV === '1',
    sessionIdleMinutes: env.KURA_SESSION_IDLE_MINUTES ?? '480',
    nodes: env.KURA_NODES ?? '3',
    nodePoolSize: env.KURA_NODE_POOL_SIZE ?? '100Gi',
    sharedPoolSize: env.KURA_SHARED_POOL_SIZE ?? '200Gi',
    importAllow: env.KURA_IMPORT_ALLOW ?? '',
    uploadAddr: env.KURA_UPLOAD_ADDR || '127.0.0.1:6444',
    uploadProxyUrl: env.KURA_UPLOAD_PROXY_URL || undefined,
    insecureRegistries: env.KURA_INSECURE_REGISTRIES ?? '',
  };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const names: Record<string, string> = {
      port: 'PORT', host: 'HOST', cluster: 'KURA_CLUSTER', dataDir: 'KURA_DATA_DIR', apiAddr: 'KURA_API_ADDR',
      publicUrl: 'KURA_PUBLIC_URL', sessionIdleMinutes: 'KURA_SESSION_IDLE_MINUTES',
      nodes: 'KURA_NODES', nodePoolSize: 'KURA_NODE_POOL_SIZE', sharedPoolSize: 'KURA_SHARED_POOL_SIZE',
      importAllow: 'KURA_IMPORT_ALLOW', uploadAddr: 'KURA_UPLOAD_ADDR', uploadProxyUrl: 'KURA_UPLOAD_PROXY_URL', insecureRegistries: 'KURA_INSECURE_REGISTRIES',
    };
    const problems = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      return `${names[key] ?? key}: ${i.message}`;
    });
    throw new ConfigError(`invalid settings: ${problems.join('; ')}`);
  }
  const cfg = parsed.data;
  if ((cfg.tlsCert && !cfg.tlsKey) || (!cfg.tlsCert && cfg.tlsKey)) {
    throw new ConfigError('invalid settings: KURA_TLS_CERT and KURA_TLS_KEY must be given together');
  }
  const allow = parseImportAllowList(cfg.importAllow);
  if (allow.errors.length > 0) throw new ConfigError(`invalid settings: KURA_IMPORT_ALLOW: ${allow.errors.join('; ')}`);
  return { ...cfg, dataDirAbs: path.resolve(cfg.dataDir) };
}

/** The URL people use to open the console: KURA_PUBLIC_URL, or HOST:PORT (a wildcard host shown as loopback). */
export function consoleBaseUrl(config: Config): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, '');
  const h = config.host;
  const host = h === '0.0.0.0' || h === '::' ? '127.0.0.1' : h.includes(':') ? `[${h}]` : h;
  return `${config.tlsCert ? 'https' : 'http'}://${host}:${config.port}`;
}
