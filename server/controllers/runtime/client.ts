// The controllers' client: plain HTTPS to the API server with their own
// identity, typed by lib/k8s models. Controllers use the API like any other
// client (never the store), so a restart resumes from what the API says.
import http from 'node:http';
import https from 'node:https';
import type { K8sModel } from '@/lib/k8s/models';
import { queryString, resourcePath } from '@/lib/k8s/paths';
import type { K8sList, K8sObject, K8sResource, Status, WatchEvent } from '@/lib/k8s/types';
import { isStatus } from '@/lib/k8s/types';

export class KubeError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly status?: Status,
  ) {
    super(message);
    this.name = 'KubeError';
  }
}

export const isNotFound = (e: unknown): boolean => e instanceof KubeError && e.code === 404;
export const isConflict = (e: unknown): boolean => e instanceof KubeError && e.code === 409;
export const isAlreadyExists = (e: unknown): boolean => e instanceof KubeError && e.code === 409 && e.reason === 'AlreadyExists';

export interface ClientOptions {
  server: string;
  ca?: string;
  token: string;
  userAgent: string;
}

type PatchType = 'merge' | 'json' | 'strategic' | 'apply';
const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export class KubeClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(private readonly opts: ClientOptions) {
    this.base = new URL(opts.server);
    this.agent = this.base.protocol === 'https:' ? new https.Agent({ keepAlive: true, ca: opts.ca, maxSockets: 64 }) : new http.Agent({ keepAlive: true, maxSockets: 64 });
  }

  /** One request; JSON in and out; non-2xx becomes KubeError carrying the server's Status. */
  async request<T>(method: string, apiPath: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const res = await this.raw(method, apiPath, body === undefined ? undefined : JSON.stringify(body), contentType);
    const text = res.body.toString('utf8');
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (res.status >= 200 && res.status < 300) return parsed as T;
    if (isStatus(parsed)) throw new KubeError(parsed.code || res.status, parsed.reason ?? '', parsed.message ?? text, parsed);
    throw new KubeError(res.status, '', text || `HTTP ${res.status}`);
  }

  private raw(method: string, apiPath: string, payload: string | undefined, contentType: string): Promise<{ status: number; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const mod = this.base.protocol === 'https:' ? https : http;
      const req = mod.request(
        new URL(apiPath, this.base),
        {
          method,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${this.opts.token}`,
            accept: 'application/json',
            'user-agent': this.opts.userAgent,
            ...(payload !== undefined ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {}),
          },
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${apiPath}: no answer within 30 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  get<T extends K8sResource>(model: K8sModel, namespace: string | undefined, name: string): Promise<T> {
    return this.request<T>('GET', resourcePath(model, { namespace, name }));
  }

  /** The object, or undefined when it does not exist. */
  async find<T extends K8sResource>(model: K8sModel, namespace: string | undefined, name: string): Promise<T | undefined> {
    try {
      return await this.get<T>(model, namespace, name);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  list<T extends K8sResource>(model: K8sModel, opts: { namespace?: string; labelSelector?: string; fieldSelector?: string } = {}): Promise<K8sList<T>> {
    return this.request<K8sList<T>>('GET', resourcePath(model, { namespace: opts.namespace }) + queryString({ labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector }));
  }

  create<T extends K8sObject>(model: K8sModel, obj: T): Promise<T & K8sResource> {
    return this.request('POST', resourcePath(model, { namespace: obj.metadata?.namespace }) + queryString({ fieldManager: this.opts.userAgent }), obj);
  }

  /** PUT; the object's resourceVersion makes it conditional (409 when stale). */
  update<T extends K8sResource>(model: K8sModel, obj: T, subresource?: 'status'): Promise<T> {
    return this.request('PUT', resourcePath(model, { namespace: obj.metadata.namespace, name: obj.metadata.name, subresource }) + queryString({ fieldManager: this.opts.userAgent }), obj);
  }

  patch<T extends K8sResource>(model: K8sModel, namespace: string | undefined, name: string, patch: unknown, type: PatchType = 'merge', subresource?: 'status'): Promise<T> {
    const q = queryString({ fieldManager: this.opts.userAgent, force: type === 'apply' ? true : undefined });
    return this.request('PATCH', resourcePath(model, { namespace, name, subresource }) + q, patch, patchContentTypes[type]);
  }

  async delete(model: K8sModel, namespace: string | undefined, name: string, opts: { propagationPolicy?: string; preconditions?: { uid?: string; resourceVersion?: string } } = {}): Promise<void> {
    try {
      await this.request('DELETE', resourcePath(model, { namespace, name }), { kind: 'DeleteOptions', apiVersion: 'v1', ...opts });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /**
   * Watch from `resourceVersion` until the server ends the stream (resolves) or
   * the signal aborts; a compacted revision surfaces as KubeError 410.
   */
  watch<T extends K8sResource>(
    model: K8sModel,
    opts: { namespace?: string; resourceVersion: string; labelSelector?: string; fieldSelector?: string; timeoutSeconds?: number },
    onEvent: (e: WatchEvent<T>) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const apiPath =
      resourcePath(model, { namespace: opts.namespace }) +
      queryString({ watch: 1, resourceVersion: opts.resourceVersion, allowWatchBookmarks: true, labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, timeoutSeconds: opts.timeoutSeconds ?? 300 });
    return new Promise((resolve, reject) => {
      const mod = this.base.protocol === 'https:' ? https : http;
      const req = mod.request(new URL(apiPath, this.base), { agent: this.agent, headers: { authorization: `Bearer ${this.opts.token}`, accept: 'application/json', 'user-agent': this.opts.userAgent } }, (res) => {
        if (res.statusCode !== 200) {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            let status: Status | undefined;
            try {
              const parsed = JSON.parse(text) as unknown;
              if (isStatus(parsed)) status = parsed;
            } catch {
              /* not JSON */
            }
            reject(new KubeError(res.statusCode ?? 0, status?.reason ?? '', status?.message ?? text, status));
          });
          return;
        }
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (!line) continue;
            const event = JSON.parse(line) as WatchEvent<T>;
            if (event.type === 'ERROR') {
              const st = event.object as unknown as Status;
              req.destroy();
              reject(new KubeError(st.code ?? 500, st.reason ?? '', st.message ?? 'watch error', st));
              return;
            }
            onEvent(event);
          }
        });
        res.on('end', resolve);
        res.on('error', (e) => (signal.aborted ? resolve() : reject(e)));
      });
      const onAbort = () => req.destroy();
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e) => (signal.aborted ? resolve() : reject(e)));
      req.on('close', () => signal.removeEventListener('abort', onAbort));
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
