// Writing responses: objects and lists as JSON or YAML, as a Table when
// kubectl asks for one, and errors as Status.
import type { ServerResponse } from 'node:http';
import { stringify as toYaml } from 'yaml';
import type { K8sObject } from '@/lib/k8s/types';
import type { ApiError } from '../errors';
import type { ResourceDef } from '../registry';
import { negotiate, type Rendering } from './negotiate';
import { parseIncludeObject, partialMetadata, toTable } from './table';
import type { Scope } from './scope';

export function writeBody(res: ServerResponse, code: number, body: unknown, format: 'json' | 'yaml' = 'json'): void {
  if (format === 'json') return writeJson(res, code, JSON.stringify(body));
  const text = toYaml(body);
  res.writeHead(code, { 'content-type': 'application/yaml', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-cache, private' });
  res.end(text);
}

/** A body that is JSON text already. */
export function writeJson(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-cache, private' });
  res.end(text);
}

export function writeError(res: ServerResponse, err: ApiError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  writeBody(res, err.code, err.toStatus());
}

/** The object as the client asked for it (plain, Table row, or metadata only). */
export function renderObject(scope: Scope, obj: K8sObject, rendering?: Rendering): unknown {
  const r = rendering ?? negotiate(scope.req.headers.accept, false);
  if (r.as === 'Table') return toTable(scope.def, [obj], { resourceVersion: obj.metadata?.resourceVersion }, parseIncludeObject(scope.query.get('includeObject')), scope.deps.now());
  if (r.as === 'PartialObjectMetadata') return partialMetadata(obj);
  return obj;
}

export function respondObject(scope: Scope, code: number, obj: K8sObject): void {
  const r = negotiate(scope.req.headers.accept, false);
  writeBody(scope.res, code, renderObject(scope, obj, r), r.format);
}

export function respondList(scope: Scope, def: ResourceDef, items: K8sObject[], meta: { resourceVersion: string; continue?: string; remainingItemCount?: number }): void {
  const r = negotiate(scope.req.headers.accept, true);
  let body: unknown;
  if (r.as === 'Table') body = toTable(def, items, meta, parseIncludeObject(scope.query.get('includeObject')), scope.deps.now());
  else if (r.as === 'PartialObjectMetadataList') body = { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: meta, items: items.map(partialMetadata) };
  else {
    const gv = def.model.apiGroup ? `${def.model.apiGroup}/${def.model.apiVersion}` : def.model.apiVersion;
    body = { kind: `${def.model.kind}List`, apiVersion: gv, metadata: meta, items };
  }
  writeBody(scope.res, 200, body, r.format);
}

/** The object with the apiVersion of the version it was requested at (CRDs with several versions share storage). */
export function atVersion<T extends K8sObject>(def: ResourceDef, obj: T): T {
  const gv = def.model.apiGroup ? `${def.model.apiGroup}/${def.model.apiVersion}` : def.model.apiVersion;
  return obj.apiVersion === gv ? obj : { ...obj, apiVersion: gv };
}
