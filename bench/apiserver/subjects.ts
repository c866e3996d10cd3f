// How bench/apiserver talks to the two servers it compares: a keep-alive HTTP(S) client, and
// the same three operations (write, list, watch) against Kura's API and etcd's JSON gateway.
import http from 'node:http';
import https from 'node:https';

/** A ConfigMap of about 1 KiB of JSON, as a client would send it. */
export function configMap(namespace: string, name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels: { app: 'bench', tier: 'storage' }, annotations: { note: 'n'.repeat(120) } },
    data: { config: 'c'.repeat(700) },
  };
}

export interface Answer {
  status: number;
  body: string;
}

/** Keep-alive HTTP(S) requests to one server, as client-go keeps its connections. */
export class Client {
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly host: string;
  private readonly port: number;

  constructor(
    base: string,
    private readonly headers: Record<string, string> = {},
    private readonly ca?: string,
  ) {
    const url = new URL(base);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.transport = url.protocol === 'https:' ? https : http;
    this.agent = url.protocol === 'https:' ? new https.Agent({ keepAlive: true, maxSockets: 64, ca: this.ca }) : new http.Agent({ keepAlive: true, maxSockets: 64 });
  }

  private options(method: string, apiPath: string, payload: string | undefined, connection: https.RequestOptions): https.RequestOptions {
    const body = payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {};
    return { host: this.host, port: this.port, path: apiPath, method, ...connection, headers: { accept: 'application/json', ...this.headers, ...body } };
  }

  request(method: string, apiPath: string, body?: unknown): Promise<Answer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = this.transport.request(
        this.options(method, apiPath, payload, { agent: this.agent }),
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** A streaming request; every complete line goes to `onLine`. Resolves once the headers are in. */
  stream(method: string, apiPath: string, body: unknown, onLine: (line: string) => void): Promise<{ close(): void }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = this.transport.request(
        // Its own connection: a watch holds it for as long as it runs.
        this.options(method, apiPath, payload, { agent: false, ca: this.ca }),
        (res) => {
          if (res.statusCode !== 200) return reject(new Error(`${method} ${apiPath}: HTTP ${res.statusCode}`));
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => {
            buffer += d;
            let nl;
            while ((nl = buffer.indexOf('\n')) >= 0) {
              const line = buffer.slice(0, nl);
              buffer = buffer.slice(nl + 1);
              if (line.trim()) onLine(line);
            }
          });
          res.on('error', () => undefined); // closing the stream ourselves is how it ends
          resolve({ close: () => req.destroy() });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The operations measured on both servers, so each figure is the same work against each. */
export interface Subject {
  name: string;
  pid: number;
  /** Stores one ~1 KiB object (a create through the API, a put into etcd). */
  write(group: string, name: string): Promise<void>;
  /** Reads every object of a 10k-object group; resolves with how many came back. */
  list(group: string): Promise<number>;
  /** Watches a group; `seen` gets the name of each created object. */
  watch(group: string, seen: (name: string) => void): Promise<{ close(): void }>;
  close(): void;
}

export function kuraSubject(url: string, token: string, ca: string, pid: number): Subject {
  const client = new Client(url, { authorization: `Bearer ${token}` }, ca);
  const cms = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;
  return {
    name: 'Kura',
    pid,
    async write(ns, name) {
      const res = await client.request('POST', cms(ns), configMap(ns, name));
      if (res.status !== 201) throw new Error(`create ${ns}/${name}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
    },
    async list(ns) {
      const res = await client.request('GET', cms(ns));
      if (res.status !== 200) throw new Error(`list ${ns}: HTTP ${res.status}`);
      return (JSON.parse(res.body) as { items: unknown[] }).items.length;
    },
    watch(ns, seen) {
      return client.stream('GET', `${cms(ns)}?watch=1`, undefined, (line) => {
        const e = JSON.parse(line) as { type: string; object: { metadata?: { name?: string } } };
        if (e.type === 'ADDED' && e.object.metadata?.name) seen(e.object.metadata.name);
      });
    },
    close: () => client.close(),
  };
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
/** The end of etcd's key range for a prefix: the prefix with its last byte incremented. */
const prefixEnd = (p: string) => p.slice(0, -1) + String.fromCharCode(p.charCodeAt(p.length - 1) + 1);

export function etcdSubject(url: string, pid: number): Subject {
  const client = new Client(url);
  // Keys as Kubernetes lays them out in etcd; values the same JSON Kura is sent.
  const key = (group: string, name: string) => `/registry/configmaps/${group}/${name}`;
  return {
    name: 'etcd',
    pid,
    async write(group, name) {
      const res = await client.request('POST', '/v3/kv/put', { key: b64(key(group, name)), value: b64(JSON.stringify(configMap(group, name))) });
      if (res.status !== 200) throw new Error(`put ${group}/${name}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
    },
    async list(group) {
      const prefix = key(group, '');
      const res = await client.request('POST', '/v3/kv/range', { key: b64(prefix), range_end: b64(prefixEnd(prefix)) });
      if (res.status !== 200) throw new Error(`range ${group}: HTTP ${res.status}`);
      return ((JSON.parse(res.body) as { kvs?: unknown[] }).kvs ?? []).length;
    },
    async watch(group, seen) {
      const prefix = key(group, '');
      let created!: () => void;
      const ready = new Promise<void>((r) => (created = r));
      const stream = await client.stream('POST', '/v3/watch', { create_request: { key: b64(prefix), range_end: b64(prefixEnd(prefix)) } }, (line) => {
        const msg = JSON.parse(line) as { result?: { created?: boolean; events?: { type?: string; kv: { key: string } }[] } };
        if (msg.result?.created) created();
        // PUT is the default event type, which the JSON gateway leaves out.
        for (const e of msg.result?.events ?? []) if (!e.type) seen(Buffer.from(e.kv.key, 'base64').toString().slice(prefix.length));
      });
      await ready;
      return stream;
    },
    close: () => client.close(),
  };
}
