// The OpenAPI documents kubectl reads: /openapi/v2 (Swagger 2.0, all groups)
// and /openapi/v3 (an index, then one OpenAPI 3.0 document per group-version),
// built from the registry's ResourceDefs and cached serialized.
import { createHash } from 'node:crypto';
import type { ResourceDef } from '@/server/apiserver/registry/types';
import { Definitions, type Flavor } from './openapi-defs';
import { resourcePaths } from './openapi-paths';

/** The Kubernetes version the documents claim to describe. */
export const OPENAPI_INFO = { title: 'Kubernetes', version: 'v1.32.0' };

const SECURITY_SCHEME = {
  BearerToken: { type: 'apiKey', name: 'authorization', in: 'header', description: 'Bearer token: "Bearer <token>".' },
};

/** "api/v1" or "apis/<group>/<version>": where a resource's group-version lives under /openapi/v3. */
export function groupVersionPath(def: Pick<ResourceDef, 'model'>): string {
  const m = def.model;
  return m.apiGroup ? `apis/${m.apiGroup}/${m.apiVersion}` : `api/${m.apiVersion}`;
}

function groupVersionsOf(defs: readonly ResourceDef[]): Array<{ group: string; version: string }> {
  const seen = new Map<string, { group: string; version: string }>();
  for (const d of defs) seen.set(groupVersionPath(d), { group: d.model.apiGroup, version: d.model.apiVersion });
  return [...seen.values()];
}

function build(defs: readonly ResourceDef[], flavor: Flavor): { paths: Record<string, unknown>; schemas: Record<string, unknown> } {
  const definitions = new Definitions(flavor);
  definitions.addMeta(groupVersionsOf(defs));
  const paths: Record<string, unknown> = {};
  const sorted = [...defs].sort((a, b) => groupVersionPath(a).localeCompare(groupVersionPath(b)) || a.model.plural.localeCompare(b.model.plural));
  for (const def of sorted) {
    const names = definitions.addKind(def);
    Object.assign(paths, resourcePaths(def, { defs: definitions, names }));
  }
  return { paths, schemas: sortKeys(definitions.schemas) };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** The Swagger 2.0 document of every resource served (GET /openapi/v2 as JSON). */
export function openApiV2(defs: readonly ResourceDef[]): object {
  const { paths, schemas } = build(defs, 'v2');
  return {
    swagger: '2.0',
    info: OPENAPI_INFO,
    paths,
    definitions: schemas,
    securityDefinitions: SECURITY_SCHEME,
    security: [{ BearerToken: [] }],
  };
}

/** The OpenAPI 3.0 document of one group-version ("api/v1", "apis/kubevirt.io/v1"), or undefined if none is served. */
export function openApiV3GroupVersion(defs: readonly ResourceDef[], gvPath: string): object | undefined {
  const mine = defs.filter((d) => groupVersionPath(d) === gvPath.replace(/^\/+|\/+$/g, ''));
  if (mine.length === 0) return undefined;
  const { paths, schemas } = build(mine, 'v3');
  return {
    openapi: '3.0.0',
    info: OPENAPI_INFO,
    paths,
    components: { schemas, securitySchemes: SECURITY_SCHEME },
    security: [{ BearerToken: [] }],
  };
}

function contentHash(body: string): string {
  return createHash('sha512').update(body).digest('hex').toUpperCase();
}

export interface OpenApiV3Index {
  paths: Record<string, { serverRelativeURL: string }>;
}

/** GET /openapi/v3: one entry per group-version, its URL carrying a hash of its document. */
export function openApiV3Index(defs: readonly ResourceDef[]): OpenApiV3Index {
  const paths: OpenApiV3Index['paths'] = {};
  for (const gv of [...new Set(defs.map(groupVersionPath))].sort()) {
    const hash = contentHash(JSON.stringify(openApiV3GroupVersion(defs, gv)));
    paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${hash}` };
  }
  return { paths };
}

export interface ServedDocument {
  /** Serialized JSON. */
  body: string;
  /** Content hash, for ETag and the ?hash= of the v3 index. */
  hash: string;
}

/**
 * The documents, serialized once and kept until the resources change (every
 * kubectl invocation asks for them). Rebuilt when `invalidate()` is called —
 * after a CustomResourceDefinition is created, changed or deleted — or when
 * the source hands back a different array.
 */
export class OpenApiDocuments {
  private defs: readonly ResourceDef[] | undefined;
  private v2Doc: ServedDocument | undefined;
  private v3Docs: Map<string, ServedDocument> | undefined;
  private index: ServedDocument | undefined;

  constructor(private readonly source: () => readonly ResourceDef[]) {}

  invalidate(): void {
    this.defs = undefined;
    this.v2Doc = undefined;
    this.v3Docs = undefined;
    this.index = undefined;
  }

  private current(): readonly ResourceDef[] {
    const defs = this.source();
    if (defs !== this.defs) {
      this.invalidate();
      this.defs = defs;
    }
    return defs;
  }

  v2(): ServedDocument {
    const defs = this.current();
    if (!this.v2Doc) this.v2Doc = serve(openApiV2(defs));
    return this.v2Doc;
  }

  private groupVersions(): Map<string, ServedDocument> {
    const defs = this.current();
    if (!this.v3Docs) {
      const docs = new Map<string, ServedDocument>();
      for (const gv of [...new Set(defs.map(groupVersionPath))].sort()) {
        const doc = openApiV3GroupVersion(defs, gv);
        if (doc) docs.set(gv, serve(doc));
      }
      this.v3Docs = docs;
    }
    return this.v3Docs;
  }

  v3Index(): ServedDocument {
    const docs = this.groupVersions();
    if (!this.index) {
      const paths: OpenApiV3Index['paths'] = {};
      for (const [gv, doc] of docs) paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${doc.hash}` };
      this.index = serve({ paths });
    }
    return this.index;
  }

  /** The document of "api/v1", "apis/<group>/<version>"; undefined when that group-version is not served. */
  v3(gvPath: string): ServedDocument | undefined {
    return this.groupVersions().get(gvPath.replace(/^\/+|\/+$/g, ''));
  }
}

function serve(doc: object): ServedDocument {
  const body = JSON.stringify(doc);
  return { body, hash: contentHash(body) };
}
