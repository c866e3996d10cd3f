// HTTP(S) requests under the import request policy: every host is resolved here, checked with
// lib/cdi checkImportRequest, and connected to only at the addresses that passed (a pinned lookup on
// the agent, so DNS rebinding cannot swap them); redirects are followed by hand, each hop re-checked.
import dns from 'node:dns/promises';
import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import tls from 'node:tls';
import { type ImportRequestPolicy, checkImportRequest, checkRedirect, parseIp, parseRetryAfter, redirectTarget } from '@/lib/cdi';
import { AbortedError, Failure, asFailure, errorCode, shownUrl } from './errors';
import { type LeanOptions, type LeanResult, leanGet } from './lean';

/** Headers names that carry secrets: sent only to the host they were given for. */
const SENSITIVE = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'x-auth-token', 'private-token']);

export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE.has(name.toLowerCase());
}

export interface Credentials {
  /** Added to requests for the first host only. */
  headers?: Record<string, string>;
  /** Signs a request (S3 SigV4): returns the headers to add. */
  sign?: (method: string, url: URL) => Record<string, string>;
}

export interface ConnectorOptions {
  policy: ImportRequestPolicy;
  caPem?: string;
  signal?: AbortSignal;
  resolve?: (hostname: string) => Promise<string[]>;
  idleTimeoutMs?: number;
}

export interface RequestOptions {
  method?: 'GET' | 'HEAD';
  /** Plain headers (Range, Accept…), kept across redirects. */
  headers?: Record<string, string>;
  credentials?: Credentials;
  /** Statuses handed back instead of thrown as failures (2xx always are). */
  accept?: readonly number[];
  /** A connection of its own, closed after the response: bytes sent beyond Content-Length then show. */
  fresh?: boolean;
}

export interface Opened {
  res: IncomingMessage;
  status: number;
  /** The URL that answered, after redirects. */
  url: string;
  /** Credentials were dropped on a redirect to another host. */
  credentialsDropped: boolean;
  /** The response body, counted into the connector's `received`. */
  body(): AsyncGenerator<Buffer>;
  /**
   * The body copied into `out` from `at` (bytes beyond its end dropped): the lean path for range
   * reads, with no per-chunk promises or concatenation. Resolves with the bytes copied and the error
   * that ended the body early, if one did.
   */
  readInto(out: Buffer, at: number): Promise<{ copied: number; error?: Error }>;
  /** After the body: resolves with an error the connection reported later (extra bytes), else undefined. */
  settled(): Promise<Error | undefined>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

async function systemResolve(hostname: string): Promise<string[]> {
  const all = await dns.lookup(hostname, { all: true, verbatim: true });
  return all.map((a) => a.address);
}

function pinnedLookup(addresses: readonly string[]): LookupFunction {
  return ((_hostname: string, options: { all?: boolean; family?: number } | number, callback: (...args: unknown[]) => void) => {
    const o = typeof options === 'object' && options ? options : { family: options };
    const list = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })).filter((a) => !o.family || a.family === o.family);
    if (list.length === 0) return callback(Object.assign(new Error('no checked address of that family'), { code: 'ENOTFOUND' }));
    if (o.all) return callback(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  }) as LookupFunction;
}

/** One import's connections: checked addresses per host, pinned agents, the caller's abort signal. */
export class Connector {
  private readonly pinned = new Map<string, string[]>();
  private readonly agents = new Map<string, http.Agent>();
  private readonly resolve: (hostname: string) => Promise<string[]>;
  private readonly ca: string[] | undefined;
  /** Bytes of response bodies received (all requests), for the result's downloadedBytes. */
  received = 0;

  constructor(private readonly opts: ConnectorOptions) {
    this.resolve = opts.resolve ?? systemResolve;
    this.ca = opts.caPem ? [...tls.rootCertificates, opts.caPem] : undefined;
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }

  /** GET or HEAD `url`, following redirects; non-2xx statuses not in `accept` become Failures. */
  async request(url: string, ro: RequestOptions = {}): Promise<Opened> {
    let method = ro.method ?? 'GET';
    let current = (await this.check(url)).url;
    let credentials = ro.credentials;
    let dropped = false;
    for (let hop = 1; ; hop++) {
      const opened = await this.send(method, current, ro, credentials);
      const location = opened.res.headers.location;
      if (!REDIRECTS.has(opened.status) || typeof location !== 'string') {
        if ((opened.status >= 200 && opened.status < 300) || ro.accept?.includes(opened.status)) return { ...opened, credentialsDropped: dropped };
        throw await statusFailure(opened.res, current);
      }
      opened.res.resume();
      const target = redirectTarget(current, location);
      const host = target ? new URL(target).hostname : '';
      const verdict = checkRedirect({ from: current, location, hop, resolved: target ? await this.addressesOf(host) : [], credentials: credentials !== undefined }, this.opts.policy);
      if (!verdict.allowed) throw new Failure({ kind: 'policy', message: `the request to ${shownUrl(url)} was refused: ${verdict.message}` });
      this.pinned.set(pinKey(verdict.url), verdict.addresses);
      if (verdict.dropCredentials && credentials) {
        credentials = undefined;
        dropped = true;
      }
      if (opened.status === 303) method = 'GET';
      current = verdict.url;
    }
  }

  /**
   * A GET of `url` over a lean connection (lean.ts) to its checked addresses, for bulk bodies.
   * No redirects here: the probe followed them and this is the URL it ended at.
   */
  /** A lean GET under this import's policy and signal; `stop` ends just this request (as an abort). */
  async lean(url: string, o: Pick<LeanOptions, 'headers' | 'onHead' | 'onData' | 'graceMs'> & { credentials?: Credentials | undefined; stop?: AbortSignal }): Promise<LeanResult> {
    const { addresses } = await this.check(url);
    const u = new URL(url);
    const headers = { ...o.headers, ...o.credentials?.headers, ...o.credentials?.sign?.('GET', u) };
    try {
      return await leanGet({
        url: u,
        addresses,
        headers,
        ...(this.ca ? { ca: this.ca } : {}),
        ...(signalOf(this.opts.signal, o.stop) ?? {}),
        idleTimeoutMs: this.opts.idleTimeoutMs ?? 60_000,
        onHead: o.onHead,
        onData: (piece) => {
          this.received += piece.length;
          return o.onData(piece);
        },
        ...(o.graceMs !== undefined ? { graceMs: o.graceMs } : {}),
      });
    } catch (err) {
      if (err instanceof Failure || err instanceof AbortedError) throw err;
      throw asFailure(err);
    }
  }

  /** Resolves and checks a URL once per host; later requests reuse the same pinned addresses. */
  async check(url: string): Promise<{ url: string; addresses: string[] }> {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new Failure({ kind: 'policy', message: `"${url}" is not a valid URL` }, 'InvalidSource');
    }
    const key = pinKey(u.href);
    const known = this.pinned.get(key);
    if (known) return { url: u.href, addresses: known };
    const resolved = u.protocol === 'http:' || u.protocol === 'https:' ? await this.addressesOf(u.hostname) : [];
    const verdict = checkImportRequest(u.href, resolved, this.opts.policy);
    if (!verdict.allowed) throw new Failure({ kind: 'policy', message: `the request to ${shownUrl(url)} was refused: ${verdict.message}` }, verdict.reason === 'Scheme' || verdict.reason === 'InvalidURL' || verdict.reason === 'Credentials' ? 'InvalidSource' : undefined);
    this.pinned.set(key, verdict.addresses);
    return { url: verdict.url, addresses: verdict.addresses };
  }

  private async addressesOf(hostname: string): Promise<string[]> {
    const bare = hostname.replace(/^\[(.*)\]$/, '$1');
    if (parseIp(bare)) return [bare];
    try {
      return await this.resolve(bare);
    } catch (err) {
      throw asFailure(err);
    }
  }

  private agentFor(u: URL, fresh: boolean): http.Agent {
    const addresses = this.pinned.get(pinKey(u.href)) ?? [];
    const options = { keepAlive: !fresh, maxSockets: 8, lookup: pinnedLookup(addresses), ...(this.ca && u.protocol === 'https:' ? { ca: this.ca } : {}) };
    if (fresh) return u.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
    const key = `${pinKey(u.href)}|${addresses.join(',')}`;
    let agent = this.agents.get(key);
    if (!agent) {
      agent = u.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
      this.agents.set(key, agent);
    }
    return agent;
  }

  private send(method: string, url: string, ro: RequestOptions, credentials: Credentials | undefined): Promise<Omit<Opened, 'credentialsDropped'>> {
    const signal = this.opts.signal;
    if (signal?.aborted) return Promise.reject(new AbortedError());
    const u = new URL(url);
    const headers: Record<string, string> = { 'user-agent': 'kura-importer', ...ro.headers, ...credentials?.headers, ...credentials?.sign?.(method, u) };
    const agent = this.agentFor(u, ro.fresh === true);
    return new Promise((resolve, reject) => {
      let late: Error | undefined;
      let req: ClientRequest;
      const fail = (err: unknown) => reject(signal?.aborted ? new AbortedError() : asFailure(err));
      try {
        req = (u.protocol === 'https:' ? https : http).request(u, { method, headers, agent, ...(signal ? { signal } : {}) });
      } catch (err) {
        return fail(err);
      }
      const idle = this.opts.idleTimeoutMs ?? 60_000;
      req.setTimeout(idle, () => req.destroy(Object.assign(new Error(`no data from ${u.host} for ${Math.round(idle / 1000)} s`), { code: 'ETIMEDOUT' })));
      req.on('error', (err) => {
        late ??= err;
        fail(err);
      });
      req.on('response', (res) => {
        const closed = new Promise<void>((r) => req.once('close', () => r()));
        resolve({
          res,
          body: () => counted(res, (n) => (this.received += n)),
          readInto: (out, at) => readInto(res, out, at, (n) => (this.received += n)),
          status: res.statusCode ?? 0,
          url,
          settled: async () => {
            // A fresh connection is closed by the server once the body is sent: wait for that, briefly.
            if (ro.fresh) await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000).unref())]);
            return late;
          },
        });
      });
      req.end();
    });
  }
}

function readInto(res: IncomingMessage, out: Buffer, at: number, add: (n: number) => void): Promise<{ copied: number; error?: Error }> {
  return new Promise((resolve) => {
    let pos = at;
    res.on('data', (c: Buffer) => {
      add(c.length);
      if (pos < out.length) pos += c.copy(out, pos);
    });
    res.once('end', () => resolve({ copied: pos - at }));
    res.once('error', (error) => resolve({ copied: pos - at, error }));
    res.once('aborted', () => resolve({ copied: pos - at, error: Object.assign(new Error('aborted'), { code: 'ECONNRESET' }) }));
  });
}

async function* counted(res: IncomingMessage, add: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of res as AsyncIterable<Buffer>) {
    add(chunk.length);
    yield chunk;
  }
}

/** Both signals as one (either aborts the request); `{ signal }` spread-ready, or undefined for none. */
function signalOf(a: AbortSignal | undefined, b: AbortSignal | undefined): { signal: AbortSignal } | undefined {
  if (a && b) return { signal: AbortSignal.any([a, b]) };
  const one = a ?? b;
  return one ? { signal: one } : undefined;
}

function pinKey(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}

/** A Failure for an error status; an S3 or registry error code in a small body is worth quoting. */
async function statusFailure(res: IncomingMessage, url: string): Promise<Failure> {
  const status = res.statusCode ?? 0;
  let detail = '';
  try {
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const c of res as AsyncIterable<Buffer>) {
      if (n < 4096) chunks.push(c);
      n += c.length;
      if (n > 65536) break;
    }
    const body = Buffer.concat(chunks).toString('utf8', 0, 4096);
    const code = /<Code>([^<]{1,64})<\/Code>/.exec(body)?.[1] ?? /"code"\s*:\s*"([A-Z_]{1,64})"/.exec(body)?.[1];
    if (code) detail = ` (${code})`;
  } catch (err) {
    if (errorCode(err) === 'ABORT_ERR') throw new AbortedError();
  } finally {
    res.destroy();
  }
  const retryAfterMs = parseRetryAfter(res.headers['retry-after'], Date.now());
  return new Failure({ kind: 'http', status, url: `${shownUrl(url)}${detail}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
}
