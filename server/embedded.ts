// Embedded mode: Kura's own cluster in this process: the API server first,
// then the node agent's storage pools and the controllers that do the work behind it.
import fs from 'node:fs';
import path from 'node:path';
import { bytesFromQuantity } from '@/lib/provisioning';
import type { Config } from './config';
import { startApiServer } from './apiserver';
import { PoolSet, startStorageControllers } from './controllers/storage';
import { type RunningCdi, UploadTargetsRegistry, startCdiControllers } from './controllers/cdi';
import { parseImportAllowList } from '@/lib/cdi';
import { startUploadServer, type RunningUploadServer } from './upload/listen';
import type { UploadHandler } from './upload/service';
import { logger } from './log';
import { FilePool } from './node';

const log = logger('embedded');

/**
 * How much a FilePool lets classes promise beyond its size. The controllers
 * hold each class to its own kura.dev/overprovision-ratio; the pool only
 * refuses what no class could sensibly ask for.
 */
const POOL_OVERPROVISION_LIMIT = 10;

export interface EmbeddedCluster {
  kubeconfigPath: string;
  /** The upload service's request handler (the console hands browser uploads to it). */
  uploads: UploadHandler;
  stop(): Promise<void>;
}

/** One pool per node under <dataDir>/nodes/<node>/pool, one shared under <dataDir>/shared/pool. */
export function openPools(config: Pick<Config, 'dataDirAbs' | 'nodes' | 'nodePoolSize' | 'sharedPoolSize'>): { nodes: string[]; pools: PoolSet; files: FilePool[] } {
  const nodes = Array.from({ length: config.nodes }, (_, i) => `node-${i + 1}`);
  const open = (name: string, dir: string, size: string) => {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return new FilePool({ name, dir, capacityBytes: bytesFromQuantity(size), overprovisionRatio: POOL_OVERPROVISION_LIMIT });
  };
  const nodePools = Object.fromEntries(nodes.map((n) => [n, open(n, path.join(config.dataDirAbs, 'nodes', n, 'pool'), config.nodePoolSize)]));
  const shared = open('shared', path.join(config.dataDirAbs, 'shared', 'pool'), config.sharedPoolSize);
  return { nodes, pools: new PoolSet(nodePools, shared), files: [...Object.values(nodePools), shared] };
}

export async function startEmbeddedCluster(config: Config): Promise<EmbeddedCluster> {
  const api = await startApiServer({ dataDir: config.dataDirAbs, addr: config.apiAddr, storageProtection: true });
  let storage: Awaited<ReturnType<typeof startStorageControllers>> | undefined;
  let cdi: RunningCdi | undefined;
  let upload: RunningUploadServer | undefined;
  let files: FilePool[] = [];
  const stopAll = async () => {
    await upload?.close();
    await cdi?.stop();
    await storage?.stop();
    await Promise.all(files.map((f) => f.close()));
    await api.stop();
  };
  try {
    const opened = openPools(config);
    files = opened.files;
    const pki = path.join(config.dataDirAbs, 'pki');
    // The admin token for now; the controllers get their own identity with RBAC later.
    const cluster = { server: api.url, ca: fs.readFileSync(path.join(pki, 'ca.crt'), 'utf8'), token: api.adminToken };
    storage = await startStorageControllers(cluster, { pools: opened.pools, nodes: opened.nodes });
    log.info('storage controllers running', { nodes: opened.nodes.length, nodePoolSize: config.nodePoolSize, sharedPoolSize: config.sharedPoolSize });
    const uploads = new UploadTargetsRegistry();
    upload = await startUploadServer({ addr: config.uploadAddr, dataDir: config.dataDirAbs, targets: uploads });
    cdi = await startCdiControllers(cluster, {
      pools: opened.pools,
      scratchDir: path.join(config.dataDirAbs, 'cdi'),
      policy: {
        allow: parseImportAllowList(config.importAllow).allow,
        // Imports may never reach Kura itself: the console, the API server, the upload proxy.
        kuraEndpoints: [`${config.host}:${config.port}`, config.apiAddr, upload.address],
      },
      insecureRegistries: config.insecureRegistries.split(',').map((h) => h.trim()).filter(Boolean),
      uploads,
    });
    log.info('CDI controllers running', { uploadProxy: `https://${upload.address}`, importAllow: config.importAllow || '(public addresses only)' });
  } catch (e) {
    await stopAll();
    throw e;
  }
  return {
    kubeconfigPath: api.kubeconfigPath,
    uploads: upload.serve,
    stop: stopAll,
  };
}
