// Docker Registry HTTP API v2 client for containerDisk images: the manifest (Docker v2 schema 2 or
// OCI, through an image index or manifest list to linux/amd64), bearer-token and basic auth, and the
// layers to search for the disk under /disk/.
import { createHash } from 'node:crypto';
import { Failure, invalidSource, shownUrl } from './errors';
import type { Connector, Credentials, Opened } from './net';
import type { RegistrySource } from './types';

export interface RegistryRef {
  /** https://host[:port] or http://… with insecureHttp. */
  base: string;
  repository: string;
  /** A tag or a sha256:… digest. */
  reference: string;
}

export interface Layer {
  digest: string;
  mediaType: string;
  size: number;
}

const INDEX_TYPES = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'];
const MANIFEST_TYPES = ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'];
const MAX_MANIFEST = 4 << 20;

/** docker://host[:port]/repo[:tag|@digest]; a name without a registry host is Docker Hub's, as docker pull reads it. */
export function parseRegistryUrl(url: string, insecureHttp = false): RegistryRef {
  const m = /^docker:\/\/(.+)$/.exec(url.trim());
  if (!m) throw invalidSource(`"${url}" is not a registry URL: write it as docker://registry.example.com/repository:tag`);
  let rest = m[1] as string;
  let reference = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^sha256:[0-9a-f]{64}$/.test(reference)) throw invalidSource(`"${reference}" is not a sha256 digest`);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      reference = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasHost = first.includes('.') || first.includes(':') || first === 'localhost';
  const host = hasHost ? first : 'registry-1.docker.io';
  let repository = hasHost ? rest.slice(slash + 1) : rest;
  if (!hasHost && !repository.includes('/')) repository = `library/${repository}`;
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(repository)) throw invalidSource(`"${repository}" is not a repository name`);
  if (!/^[\w][\w.-]{0,127}$/.test(reference) && !reference.startsWith('sha256:')) throw invalidSource(`"${reference}" is not a tag`);
  return { base: `${insecureHttp ? 'http' : 'https'}://${host}`, repository, reference };
}

/** Parses `Bearer realm="…",service="…",scope="…"` (or Basic) into its scheme and parameters. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const m = /^\s*(\w+)\s*(.*)$/.exec(header) ?? [];
  const params: Record<string, string> = {};
  for (const p of (m[2] ?? '').matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) params[(p[1] as string).toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme: (m[1] ?? '').toLowerCase(), params };
}

async function readJson(o: Opened, what: string): Promise<{ body: Buffer; json: Record<string, unknown> }> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of o.body()) {
    n += c.length;
    if (n > MAX_MANIFEST) {
      o.res.destroy();
      throw invalidSource(`the ${what} is larger than ${MAX_MANIFEST} bytes: not a container image manifest`);
    }
    chunks.push(c);
  }
  const body = Buffer.concat(chunks);
  try {
    return { body, json: JSON.parse(body.toString('utf8')) as Record<string, unknown> };
  } catch {
    throw invalidSource(`the registry's ${what} is not JSON`);
  }
}

export class RegistryClient {
  private authorization: string | undefined;

  constructor(
    private readonly connector: Connector,
    readonly ref: RegistryRef,
    private readonly source: RegistrySource,
  ) {}

  /** Headers for requests to the registry host (dropped by the connector on redirects elsewhere, e.g. blob storage). */
  credentials(): Credentials | undefined {
    return this.authorization ? { headers: { authorization: this.authorization } } : undefined;
  }

  private basic(): string | undefined {
    const a = this.source.auth;
    return a ? `Basic ${Buffer.from(`${a.user}:${a.password}`).toString('base64')}` : undefined;
  }

  /** GET on the registry, answering an auth challenge once. */
  async get(path: string, accept?: string): Promise<Opened> {
    const url = `${this.ref.base}/v2/${this.ref.repository}/${path}`;
    const headers = accept ? { accept } : undefined;
    for (let round = 0; ; round++) {
      const o = await this.connector.request(url, { ...(headers ? { headers } : {}), credentials: this.credentials(), accept: [401] });
      if (o.status !== 401) return o;
      o.res.resume();
      const challenge = parseChallenge(String(o.res.headers['www-authenticate'] ?? ''));
      if (round > 0 || (challenge.scheme !== 'bearer' && challenge.scheme !== 'basic')) throw new Failure({ kind: 'http', status: 401, url: shownUrl(url) });
      if (challenge.scheme === 'basic') {
        this.authorization = this.basic();
        if (!this.authorization) throw new Failure({ kind: 'http', status: 401, url: shownUrl(url) });
      } else {
        this.authorization = `Bearer ${await this.token(challenge.params)}`;
      }
    }
  }

  private async token(params: Record<string, string>): Promise<string> {
    if (!params.realm) throw invalidSource('the registry asked for a bearer token but named no realm to get it from');
    const u = new URL(params.realm);
    if (params.service) u.searchParams.set('service', params.service);
    u.searchParams.set('scope', params.scope ?? `repository:${this.ref.repository}:pull`);
    const basic = this.basic();
    const o = await this.connector.request(u.href, { ...(basic ? { credentials: { headers: { authorization: basic } } } : {}) });
    const { json } = await readJson(o, 'token answer');
    const token = json.token ?? json.access_token;
    if (typeof token !== 'string' || !token) throw invalidSource(`the token service ${shownUrl(u.href)} answered without a token`);
    return token;
  }

  private async fetchManifest(reference: string): Promise<{ json: Record<string, unknown>; mediaType: string }> {
    const o = await this.get(`manifests/${reference}`, [...INDEX_TYPES, ...MANIFEST_TYPES].join(', '));
    const { body, json } = await readJson(o, 'manifest');
    if (reference.startsWith('sha256:') && `sha256:${createHash('sha256').update(body).digest('hex')}` !== reference) {
      throw new Failure({ kind: 'checksum', message: `the manifest ${reference} the registry sent does not match its digest` });
    }
    const mediaType = String(json.mediaType ?? o.res.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    return { json, mediaType };
  }

  /** The layers of the image, through an index to the wanted platform. */
  async layers(): Promise<Layer[]> {
    let { json, mediaType } = await this.fetchManifest(this.ref.reference);
    if (INDEX_TYPES.includes(mediaType) || (Array.isArray(json.manifests) && !json.layers)) {
      const want = this.source.platform ?? { os: 'linux', architecture: 'amd64' };
      const list = (json.manifests ?? []) as { digest?: string; platform?: { os?: string; architecture?: string } }[];
      const pick = list.find((m) => m.platform?.os === want.os && m.platform?.architecture === want.architecture);
      if (!pick?.digest) throw invalidSource(`the image index holds no ${want.os}/${want.architecture} image`);
      ({ json, mediaType } = await this.fetchManifest(pick.digest));
    }
    if (!Array.isArray(json.layers)) throw invalidSource(`the registry answered with a ${mediaType || 'manifest'} Kura cannot read (schema 1 manifests are not supported)`);
    return (json.layers as Partial<Layer>[]).map((l) => {
      if (typeof l.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(l.digest)) throw invalidSource('a layer of the image has no sha256 digest');
      return { digest: l.digest, mediaType: String(l.mediaType ?? ''), size: Number(l.size ?? 0) };
    });
  }

  blobUrl(digest: string): string {
    return `${this.ref.base}/v2/${this.ref.repository}/blobs/${digest}`;
  }
}
