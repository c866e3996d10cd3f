// Kura's one entry point: settings, the cluster for the chosen mode (starting
// the embedded one when asked), then the console on HOST:PORT.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import next from 'next';
import { ConfigError, consoleBaseUrl, loadConfig, type Config } from './config';
import { ClusterConfigError, ClusterProbe, loadClusterTarget } from './console/cluster';
import { type ClusterState, createConsole } from './console';
import { issueSignInLink } from './console/signInLinks';
import { type EmbeddedCluster, startEmbeddedCluster } from './embedded';
import { logger } from './log';

const log = logger('main');
const projectRoot = path.resolve(import.meta.dirname, '..');

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`kura: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  fs.mkdirSync(config.dataDirAbs, { recursive: true, mode: 0o700 });

  let embedded: EmbeddedCluster | undefined;
  const state: ClusterState = {};
  if (config.cluster === 'embedded') {
    try {
      embedded = await startEmbeddedCluster(config);
      state.uploads = embedded.uploads;
    } catch (e) {
      state.problem = `the embedded cluster did not start: ${(e as Error).message}`;
      log.error(state.problem);
    }
  }
  if (config.cluster !== 'embedded' || embedded) {
    try {
      state.target = loadClusterTarget(config);
      log.info('cluster configured', { mode: config.cluster, name: state.target.name, server: state.target.server.origin });
    } catch (e) {
      if (!(e instanceof ClusterConfigError)) throw e;
      state.problem = e.message;
      log.error(e.message);
    }
  }
  const probe = new ClusterProbe(() => state.target);

  const app = next({ dev: config.dev, dir: projectRoot, hostname: config.host, port: config.port });
  await app.prepare();
  const pages = app.getRequestHandler();
  const consoleApp = createConsole({ config, cluster: () => state, probe, pages: (req, res) => pages(req, res) });

  const secure = Boolean(config.tlsCert);
  const server = secure
    ? https.createServer({ cert: fs.readFileSync(config.tlsCert!), key: fs.readFileSync(config.tlsKey!) }, consoleApp.handle)
    : http.createServer(consoleApp.handle);
  // Watches are long-lived; Node's default request timeout would cut them.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  if (config.dev) {
    const upgrade = app.getUpgradeHandler();
    server.on('upgrade', (req, socket, head) => void upgrade(req, socket, head));
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const url = consoleBaseUrl(config);
  log.info(`Kura console listening on ${url}`, { mode: config.cluster, dataDir: config.dataDirAbs });
  if (embedded && state.target?.embeddedAdminToken) {
    const secret = issueSignInLink(config.dataDirAbs);
    console.log(`\n  Kura is ready. Sign in as admin (link works once, for 10 minutes):\n\n    ${url}/auth/link#${secret}\n`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    server.close();
    server.closeAllConnections();
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: unknown) => {
  log.error('Kura failed to start', { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.exit(1);
});
