// The API server's request pipeline: authenticate, resolve what the URL
// means, authorize, then serve discovery, OpenAPI, health, or a resource verb.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, errors } from './errors';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from './discovery';
import { parseRequestInfo, type ResourceRequestInfo } from './requestInfo';
import { createObject, patchObject, updateObject } from './rest/write';
import { deleteCollection, deleteObject } from './rest/delete';
import { getObject, listObjects } from './rest/read';
import { watchObjects } from './rest/watch';
import { writeBody, writeError } from './rest/respond';
import type { ApiDeps, Scope, UserInfo } from './rest/scope';
import { logger } from '../log';

const log = logger('apiserver');

export interface Authenticator {
  authenticate(header: string | undefined): { user: UserInfo } | { anonymous: true } | { error: string };
}

export interface OpenApiDocs {
  v2(): string;
  v3Index(): string;
  v3(path: string): string | undefined;
}

export interface HandlerOptions {
  deps: ApiDeps;
  authn: Authenticator;
  openapi: OpenApiDocs;
  version: Record<string, string>;
  /** Readiness of what the server depends on (the store is open, bootstrap done). */
  ready: () => string | undefined;
  forbiddenMessage: (attrs: Record<string, unknown>) => string;
}

const anonymous: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

function text(res: ServerResponse, code: number, body: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache, private', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

export function createApiHandler(opts: HandlerOptions) {
  const { deps, authn } = opts;

  function authorizeOrThrow(user: UserInfo, attrs: Parameters<ApiDeps['authorizer']['authorize']>[0]): void {
    const decision = deps.authorizer.authorize(attrs);
    if (!decision.allowed) {
      const msg = opts.forbiddenMessage(attrs as unknown as Record<string, unknown>);
      throw errors.forbidden(msg, attrs.resourceRequest ? { name: attrs.name, group: attrs.apiGroup, kind: attrs.resource } : undefined);
    }
    void user;
  }

  function nonResource(req: IncomingMessage, res: ServerResponse, user: UserInfo, path: string): void {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') throw errors.methodNotAllowed(method, path);
    authorizeOrThrow(user, { user, verb: 'get', resourceRequest: false, path });
    if (path === '/healthz' || path === '/livez') return text(res, 200, 'ok');
    if (path === '/readyz') {
      const problem = opts.ready();
      return problem ? text(res, 503, `[-]ready failed: ${problem}\nreadyz check failed`) : text(res, 200, 'ok');
    }
    if (path === '/version' || path === '/version/') return writeBody(res, 200, opts.version);
    if (path === '/api' || path === '/api/') return writeBody(res, 200, apiVersions(deps.serverAddress));
    if (path === '/apis' || path === '/apis/') return writeBody(res, 200, apiGroupList(deps.registry));
    if (path === '/openapi/v2') {
      // kubectl asks for the v2 document as gnostic protobuf (for client-side validation of kinds
      // such as v1 List); an empty message is a valid, empty document, and the server validates instead.
      const accept = String(req.headers.accept ?? '');
      if (accept.includes('application/com.github.proto-openapi.spec.v2') && !accept.includes('application/json')) {
        res.writeHead(200, { 'content-type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'content-length': 0 });
        return void res.end();
      }
      const doc = opts.openapi.v2();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(doc) });
      return void res.end(doc);
    }
    if (path === '/openapi/v3' || path === '/openapi/v3/') {
      const doc = opts.openapi.v3Index();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(doc) });
      return void res.end(doc);
    }
    if (path.startsWith('/openapi/v3/')) {
      const doc = opts.openapi.v3(path.slice('/openapi/v3/'.length));
      if (!doc) throw errors.notFoundPath();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(doc), 'cache-control': 'public, immutable' });
      return void res.end(doc);
    }
    const parts = path.split('/').filter(Boolean);
    if (parts[0] === 'api' && parts.length === 2) {
      const list = apiResourceList(deps.registry, '', parts[1]!);
      if (list) return writeBody(res, 200, list);
    }
    if (parts[0] === 'apis' && parts.length === 2) {
      const g = apiGroup(deps.registry, parts[1]!);
      if (g) return writeBody(res, 200, g);
    }
    if (parts[0] === 'apis' && parts.length === 3) {
      const list = apiResourceList(deps.registry, parts[1]!, parts[2]!);
      if (list) return writeBody(res, 200, list);
    }
    throw errors.notFoundPath();
  }

  async function resource(req: IncomingMessage, res: ServerResponse, user: UserInfo, info: ResourceRequestInfo, query: URLSearchParams): Promise<void> {
    const def = deps.registry.lookup(info.apiGroup, info.apiVersion, info.resource);
    if (!def) throw errors.notFoundPath();
    if (info.namespace !== undefined && !def.model.namespaced && def.model.kind !== 'Namespace') throw errors.notFoundPath();
    if (info.subresource && !def.subresources.includes(info.subresource)) throw errors.notFoundPath();
    if (info.parts.length) throw errors.notFoundPath();
    authorizeOrThrow(user, {
      user,
      verb: info.verb,
      resourceRequest: true,
      apiGroup: info.apiGroup,
      resource: info.resource,
      subresource: info.subresource,
      name: info.name,
      namespace: info.namespace,
    });
    const scope: Scope = { deps, req, res, info, def, user, query };
    const verb = info.verb;
    if (!def.verbs.includes(verb) && !(info.subresource && ['get', 'update', 'patch'].includes(verb))) {
      throw errors.methodNotAllowed(req.method ?? '', def.model.plural);
    }
    switch (verb) {
      case 'get':
        return getObject(scope);
      case 'list':
        return listObjects(scope);
      case 'watch':
        return watchObjects(scope);
      case 'create':
        return createObject(scope);
      case 'update':
        return updateObject(scope);
      case 'patch':
        return patchObject(scope);
      case 'delete':
        return deleteObject(scope);
      case 'deletecollection':
        return deleteCollection(scope);
      default:
        throw errors.methodNotAllowed(req.method ?? '', def.model.plural);
    }
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'https://kura.invalid');
    } catch {
      return writeError(res, errors.badRequest('the request URL is not valid'));
    }
    try {
      const auth = authn.authenticate(req.headers.authorization);
      if ('error' in auth) throw errors.unauthorized();
      const user = 'user' in auth ? auth.user : anonymous;
      const info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
      if (!info) throw errors.badRequest('the request path is not valid: check its percent-encoding');
      if (!info.resourceRequest) nonResource(req, res, user, url.pathname);
      else await resource(req, res, user, info, url.searchParams);
    } catch (e) {
      if (e instanceof ApiError) {
        if (e.code === 401) res.setHeader('www-authenticate', 'Bearer realm="kura"');
        writeError(res, e);
      } else {
        log.error('request failed', { method: req.method, path: url.pathname, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
        writeError(res, errors.internal(e instanceof Error ? e.message : String(e)));
      }
    } finally {
      const ms = Date.now() - started;
      if (ms > 1000 && !url.searchParams.has('watch')) log.debug('slow request', { method: req.method, path: url.pathname, ms });
    }
  };
}
