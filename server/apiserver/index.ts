// The embedded Kubernetes API server: TLS on KURA_API_ADDR, SQLite store,
// registry of built-in kinds and CRDs, RBAC, and the API machinery's own
// controllers (CRDs, garbage collection, namespaces). Writes the admin kubeconfig.
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { logger } from '../log';
import { ensureAdmin, forbiddenMessage, RbacAuthorizer, TokenAuthenticator } from './auth';
import { crdFinalizer, dataVolumeValidation, defaultStorageClass, NamespaceIndex, namespaceLifecycle, rbacEscalation, storageObjectInUseProtection } from './admission';
import { ensureBootstrap } from './bootstrap';
import { createApiHandler } from './handler';
import { CrdController } from './machinery/crdController';
import { GarbageCollector } from './machinery/gc';
import { NamespaceController } from './machinery/namespaces';
import { ensurePki, writeKubeconfig } from './pki';
import type { K8sObject } from '@/lib/k8s/types';
import { builtinResources, type CRD, type JSONSchemaProps, Registry, type ResourceDef, storageKey, validateCRD } from './registry';
import { reviewAnswers } from './reviews';
import { uploadTokenAnswer } from './uploadTokens';
import { loadUploadTokenKey } from '../upload/token';
import { PersistentVolumeClaimModel } from '@/lib/k8s/models';
import type { ApiDeps } from './rest/scope';
import { builtinSchemas, customResourceSchemas, gvkKey, OpenApiDocuments, structuralCauses } from './schema';
import { Store } from './store';

const log = logger('apiserver');

export const KUBERNETES_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0+kura', gitCommit: 'kura', gitTreeState: 'clean', buildDate: '2026-11-01T00:00:00Z', goVersion: 'n/a', compiler: 'node', platform: 'linux/amd64' };

export interface ApiServerOptions {
  dataDir: string;
  /** host:port to listen on. */
  addr: string;
  /**
   * Add the pvc/pv-protection finalizers on create. Only where the storage
   * controllers run to remove them: otherwise no claim could ever be deleted.
   */
  storageProtection?: boolean;
}

export interface RunningApiServer {
  url: string;
  kubeconfigPath: string;
  adminToken: string;
  deps: ApiDeps;
  stop(): Promise<void>;
}

function splitAddr(addr: string): { host: string; port: number } {
  const i = addr.lastIndexOf(':');
  return { host: addr.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(addr.slice(i + 1)) };
}

export async function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  const { host, port } = splitAddr(opts.addr);
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const pki = ensurePki(opts.dataDir, host);
  const store = Store.open({ path: path.join(opts.dataDir, 'cluster.db') });
  const schemasOfBuiltins = builtinSchemas();
  const registry = new Registry(
    builtinResources().map((d) => {
      const withSchema = { ...d, schema: schemasOfBuiltins.get(gvkKey(d.model.apiGroup, d.model.apiVersion, d.model.kind)) };
      if (d.model.kind !== 'CustomResourceDefinition') return withSchema;
      const checkSchema = (schema: JSONSchemaProps, field: string) => structuralCauses(schema, field);
      return { ...withSchema, strategy: { ...d.strategy, validate: (o: K8sObject) => validateCRD(o as CRD, checkSchema) } };
    }),
  );
  const authorizer = new RbacAuthorizer();
  const now = () => Date.now();
  await ensureBootstrap(store, registry, new Map(customResourceSchemas()), now());

  // RBAC decisions come from the stored policy, kept current by a watch.
  const RBAC_PREFIX = '/registry/rbac.authorization.k8s.io/';
  const policy = store.list(RBAC_PREFIX);
  authorizer.reset(policy.items.map((i) => i.object));
  const rbacWatch = store.watch(RBAC_PREFIX, policy.revision, (e) => {
    if (e.type === 'DELETED') authorizer.remove(e.object);
    else authorizer.upsert(e.object);
  });

  const namespaceIndex = new NamespaceIndex(store);
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const deps: ApiDeps = {
    store,
    registry,
    authorizer: { authorize: (attrs) => authorizer.authorize(attrs as never) },
    admission: [namespaceLifecycle(namespaceIndex), rbacEscalation(authorizer), crdFinalizer(), defaultStorageClass(store), dataVolumeValidation(), ...(opts.storageProtection ? [storageObjectInUseProtection()] : [])],
    now,
    virtual: reviewAnswers(authorizer),
    serverAddress: address,
  };
  const uploadKey = loadUploadTokenKey(opts.dataDir);
  deps.virtual.set(
    'upload.cdi.kubevirt.io/uploadtokenrequests',
    uploadTokenAnswer(uploadKey, (ns, name) => store.get(storageKey({ model: PersistentVolumeClaimModel }, ns, name)) !== undefined),
  );

  const crds = new CrdController(store, registry, now);
  crds.start();
  const namespaces = new NamespaceController(deps);
  await namespaces.ensureInitialNamespaces();
  namespaces.start();
  const gc = new GarbageCollector(deps);
  gc.start();

  const admin = ensureAdmin(opts.dataDir);
  const authn = new TokenAuthenticator(opts.dataDir);
  // OpenAPI documents are rebuilt only when the set of resources changes (CRDs).
  let served = { version: -1, defs: [] as ResourceDef[] };
  const docs = new OpenApiDocuments(() => {
    if (served.version !== registry.version) served = { version: registry.version, defs: registry.all() };
    return served.defs;
  });
  const openapi = { v2: () => docs.v2().body, v3Index: () => docs.v3Index().body, v3: (p: string) => docs.v3(p)?.body };
  const handler = createApiHandler({
    deps,
    authn,
    openapi,
    version: KUBERNETES_VERSION,
    ready: () => undefined,
    forbiddenMessage: (attrs) => forbiddenMessage(attrs as never),
  });

  const server = https.createServer({ cert: pki.serverCert, key: pki.serverKey, minVersion: 'TLSv1.2' }, (req, res) => void handler(req, res));
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? new Error(`KURA_API_ADDR ${opts.addr} is already in use; stop what listens there or choose another address`) : e));
    server.listen(port, host, resolve);
  });
  const actualPort = (server.address() as { port: number }).port;
  const connectHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `https://${connectHost}:${actualPort}`;
  deps.serverAddress = `${connectHost}:${actualPort}`;
  const kubeconfigPath = path.join(opts.dataDir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, url, pki.caCert, admin.token);
  log.info('embedded API server listening', { url, kubeconfig: kubeconfigPath });

  return {
    url,
    kubeconfigPath,
    adminToken: admin.token,
    deps,
    async stop() {
      gc.stop();
      namespaces.stop();
      crds.stop();
      rbacWatch.cancel();
      namespaceIndex.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      store.close();
    },
  };
}
