// The embedded upload proxy's listener: TLS with the API server's certificate
// (signed by Kura's CA) on KURA_UPLOAD_ADDR, so `virtctl image-upload
// --uploadproxy-url https://<addr>` and the console's relay both reach it.
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { logger } from '../log';
import { type UploadHandler, type UploadTargets, UploadService } from './service';
import { loadUploadTokenKey } from './token';

const log = logger('upload');

export interface RunningUploadServer {
  /** host:port it listens on. */
  address: string;
  /** The service's request handler (bound), for the console's relay in the same process. */
  serve: UploadHandler;
  close(): Promise<void>;
}

export async function startUploadServer(opts: { addr: string; dataDir: string; targets: UploadTargets }): Promise<RunningUploadServer> {
  const pki = path.join(opts.dataDir, 'pki');
  const service = new UploadService(loadUploadTokenKey(opts.dataDir), opts.targets);
  const server = https.createServer({ cert: fs.readFileSync(path.join(pki, 'apiserver.crt')), key: fs.readFileSync(path.join(pki, 'apiserver.key')), minVersion: 'TLSv1.2' }, service.handle);
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  const i = opts.addr.lastIndexOf(':');
  const host = opts.addr.slice(0, i).replace(/^\[|\]$/g, '');
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? new Error(`KURA_UPLOAD_ADDR ${opts.addr} is already in use; stop what listens there or choose another address`) : e));
    server.listen(Number(opts.addr.slice(i + 1)), host, resolve);
  });
  const port = (server.address() as { port: number }).port;
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info('upload proxy listening', { url: `https://${address}` });
  return {
    address,
    serve: service.handle,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
