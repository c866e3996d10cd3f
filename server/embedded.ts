// Embedded mode: Kura's own cluster in this process: the API server first,
// then (as they are built) the controllers that do the work behind it.
import type { Config } from './config';
import { startApiServer } from './apiserver';

export interface EmbeddedCluster {
  kubeconfigPath: string;
  stop(): Promise<void>;
}

export async function startEmbeddedCluster(config: Config): Promise<EmbeddedCluster> {
  const api = await startApiServer({ dataDir: config.dataDirAbs, addr: config.apiAddr });
  return {
    kubeconfigPath: api.kubeconfigPath,
    stop: () => api.stop(),
  };
}
