// Start the Kura every test talks to, as a user would: `npm start`, embedded mode.
import fs from 'node:fs';
import path from 'node:path';
import { freePort, type KuraState, startKura, stateFile } from './kura';

export default async function globalSetup(): Promise<void> {
  const apiPort = await freePort();
  const uploadPort = await freePort();
  // The disk-image tests serve their images from loopback servers of their own; their registry
  // speaks plain http on a port chosen here, so Kura can be told it is insecure.
  const registryHost = `127.0.0.1:${await freePort()}`;
  const kura = await startKura({
    KURA_API_ADDR: `127.0.0.1:${apiPort}`,
    KURA_UPLOAD_ADDR: `127.0.0.1:${uploadPort}`,
    KURA_IMPORT_ALLOW: '127.0.0.1',
    KURA_INSECURE_REGISTRIES: registryHost,
  });
  const line = await kura.waitForLine(/\/auth\/link#/);
  const signInLink = line.trim();
  const state: KuraState = {
    baseURL: kura.baseURL,
    signInLink,
    dataDir: kura.dataDir,
    kubeconfig: path.join(kura.dataDir, 'kubeconfig'),
    pid: kura.child.pid!,
    logFile: kura.logFile,
    registryHost,
  };
  fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
  kura.child.unref();
}
