// The paths of an OpenAPI document: each resource's collection and item
// endpoints with the operations its verbs allow, in Swagger 2.0 or OpenAPI 3.0
// form. kubectl looks for the fieldValidation parameter on PATCH (matched by
// x-kubernetes-group-version-kind) to decide that the server validates fields.
import type { ResourceDef } from '@/server/apiserver/registry/types';
import { DELETE_OPTIONS, type Definitions, type Flavor, PATCH, STATUS } from './openapi-defs';

type Obj = Record<string, unknown>;
type ParamType = 'string' | 'boolean' | 'integer';

// Parameter descriptions in Kura's own words.
const PARAMS: Record<string, [ParamType, string]> = {
  pretty: ['string', "If 'true', the output is indented."],
  allowWatchBookmarks: ['boolean', 'Ask for BOOKMARK events in a watch. Servers may ignore it.'],
  continue: ['string', 'The continue token of the previous page of a paged list.'],
  fieldSelector: ['string', 'Only return objects whose fields match, e.g. metadata.name=foo.'],
  labelSelector: ['string', 'Only return objects whose labels match, e.g. app=db,tier!=cache.'],
  limit: ['integer', 'Most objects to return in one page; the rest come with the continue token.'],
  resourceVersion: ['string', 'Read as of this resource version (see resourceVersionMatch); for a watch, start after it.'],
  resourceVersionMatch: ['string', 'How resourceVersion applies to a list: Exact or NotOlderThan.'],
  sendInitialEvents: ['boolean', 'Begin a watch with ADDED events for the objects that already exist.'],
  timeoutSeconds: ['integer', 'End the list or watch after this many seconds.'],
  watch: ['boolean', 'Stream changes (ADDED, MODIFIED, DELETED) instead of returning a list.'],
  dryRun: ['string', "'All' checks and processes the request without storing anything."],
  fieldManager: ['string', 'Name of the actor making the change, recorded in managedFields.'],
  fieldValidation: [
    'string',
    'What to do with fields the schema does not know or that appear twice: Ignore drops them, Warn drops them and answers with a Warning header for each, Strict rejects the request.',
  ],
  force: ['boolean', 'For server-side apply: take over fields other managers own. Only for apply patches.'],
  gracePeriodSeconds: ['integer', 'Seconds to wait before deleting; 0 deletes at once.'],
  ignoreStoreReadErrorWithClusterBreakingPotential: ['boolean', 'Delete an object the server cannot read back (unsafe).'],
  orphanDependents: ['boolean', 'Deprecated: use propagationPolicy. Leave dependents in place when true.'],
  propagationPolicy: ['string', 'What happens to dependents: Orphan, Background or Foreground.'],
};

const LIST_PARAMS = ['allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch'];
const WRITE_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation'];
const DELETE_PARAMS = ['dryRun', 'gracePeriodSeconds', 'ignoreStoreReadErrorWithClusterBreakingPotential', 'orphanDependents', 'propagationPolicy'];

function param(flavor: Flavor, name: string, location: 'query' | 'path' = 'query'): Obj {
  const [type, description] = PARAMS[name] ?? ['string', ''];
  const base: Obj = { name, in: location, description };
  if (location === 'path') {
    const d = name === 'namespace' ? 'Object name and auth scope, such as for teams and projects.' : 'Name of the object.';
    return flavor === 'v2'
      ? { name, in: 'path', description: d, required: true, type: 'string', uniqueItems: true }
      : { name, in: 'path', description: d, required: true, schema: { type: 'string', uniqueItems: true } };
  }
  return flavor === 'v2' ? { ...base, type, uniqueItems: true } : { ...base, schema: { type, uniqueItems: true } };
}

/** "Core", "Storage", "RbacAuthorization", "KubevirtIo": the group part of operation ids. */
function groupWord(group: string): string {
  const g = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '');
  return g
    .split(/[.-]/)
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join('');
}

export interface PathOptions {
  defs: Definitions;
  names: { kind: string; list: string };
}

/** The paths one resource serves, keyed by URL template. */
export function resourcePaths(def: ResourceDef, { defs, names }: PathOptions): Record<string, Obj> {
  const flavor = defs.flavor;
  const m = def.model;
  const gvk = { group: m.apiGroup, kind: m.kind, version: m.apiVersion };
  const prefix = m.apiGroup ? `/apis/${m.apiGroup}/${m.apiVersion}` : `/api/${m.apiVersion}`;
  const scope = m.namespaced ? `${prefix}/namespaces/{namespace}/${m.plural}` : `${prefix}/${m.plural}`;
  const id = `${groupWord(m.apiGroup)}${m.apiVersion[0]!.toUpperCase()}${m.apiVersion.slice(1)}${m.namespaced ? 'Namespaced' : ''}${m.kind}`;
  const tag = `${groupWord(m.apiGroup)[0]!.toLowerCase()}${groupWord(m.apiGroup).slice(1)}_${m.apiVersion}`;
  const verbs = new Set(def.verbs);
  const builtin = def.builtin;

  const body = (schemaName: string, required = true): Obj =>
    flavor === 'v2'
      ? { name: 'body', in: 'body', required, schema: defs.ref(schemaName) }
      : { requestBody: { content: { '*/*': { schema: defs.ref(schemaName) } }, required } };

  const patchTypes = [
    'application/json-patch+json',
    'application/merge-patch+json',
    ...(builtin ? ['application/strategic-merge-patch+json'] : []),
    'application/apply-patch+yaml',
  ];
  // Kura answers in JSON and YAML only (no protobuf), so that is all it advertises.
  const produces = ['application/json', 'application/yaml'];

  const responses = (codes: Record<string, string>): Obj => {
    const out: Obj = {};
    for (const [code, schemaName] of Object.entries(codes)) {
      const description = code === '200' ? 'OK' : code === '201' ? 'Created' : 'Accepted';
      out[code] =
        flavor === 'v2'
          ? { description, schema: defs.ref(schemaName) }
          : { description, content: Object.fromEntries(produces.map((p) => [p, { schema: defs.ref(schemaName) }])) };
    }
    out['401'] = { description: 'Unauthorized' };
    return out;
  };

  const op = (
    verb: string,
    action: string,
    description: string,
    params: string[],
    codes: Record<string, string>,
    request?: { schema: string; patch?: boolean; optional?: boolean },
    subresource = '',
  ): Obj => {
    const operation: Obj = {
      description,
      operationId: `${verb}${id}${subresource}`,
      tags: [tag],
      parameters: params.map((p) => param(flavor, p)),
      responses: responses(codes),
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
    };
    if (flavor === 'v2') {
      operation.consumes = request?.patch ? patchTypes : ['*/*'];
      operation.produces = action === 'list' ? [...produces, 'application/json;stream=watch'] : produces;
      operation.schemes = ['https'];
      if (request) (operation.parameters as Obj[]).unshift(body(request.schema, !request.optional));
    } else if (request) {
      const rb = body(request.schema, !request.optional).requestBody as Obj;
      if (request.patch) rb.content = Object.fromEntries(patchTypes.map((t) => [t, { schema: defs.ref(PATCH) }]));
      operation.requestBody = rb;
    }
    return operation;
  };

  const pathParams = (withName: boolean): Obj[] => [
    ...(withName ? [param(flavor, 'name', 'path')] : []),
    ...(m.namespaced ? [param(flavor, 'namespace', 'path')] : []),
    param(flavor, 'pretty'),
  ];

  const paths: Record<string, Obj> = {};
  const collection: Obj = { parameters: pathParams(false) };
  if (verbs.has('list')) {
    collection.get = op('list', 'list', `List or watch ${m.kind} objects.`, LIST_PARAMS, { '200': names.list });
  }
  if (verbs.has('create')) {
    collection.post = op('create', 'post', `Create a ${m.kind}.`, WRITE_PARAMS, { '200': names.kind, '201': names.kind, '202': names.kind }, { schema: names.kind });
  }
  if (verbs.has('deletecollection')) {
    collection.delete = op(
      'deleteCollection',
      'deletecollection',
      `Delete a collection of ${m.kind} objects.`,
      [...DELETE_PARAMS, ...LIST_PARAMS.filter((p) => p !== 'watch' && p !== 'allowWatchBookmarks')],
      { '200': STATUS },
      { schema: DELETE_OPTIONS, optional: true },
    );
  }
  if (Object.keys(collection).length > 1) paths[scope] = collection;

  if (m.namespaced && verbs.has('list')) {
    const all: Obj = { parameters: [param(flavor, 'pretty')] };
    all.get = { ...op('list', 'list', `List or watch ${m.kind} objects in all namespaces.`, LIST_PARAMS, { '200': names.list }), operationId: `list${id.replace('Namespaced', '')}ForAllNamespaces` };
    paths[`${prefix}/${m.plural}`] = all;
  }

  const item: Obj = { parameters: pathParams(true) };
  const itemOps = (target: Obj, subresource: string, what: string) => {
    if (verbs.has('get')) target.get = op('read', 'get', `Read ${what}.`, [], { '200': names.kind }, undefined, subresource);
    if (verbs.has('update')) {
      target.put = op('replace', 'put', `Replace ${what}.`, WRITE_PARAMS, { '200': names.kind, '201': names.kind }, { schema: names.kind }, subresource);
    }
    if (verbs.has('patch')) {
      target.patch = op('patch', 'patch', `Partially update ${what}.`, [...WRITE_PARAMS, 'force'], { '200': names.kind, '201': names.kind }, { schema: PATCH, patch: true }, subresource);
    }
  };
  itemOps(item, '', `the specified ${m.kind}`);
  if (verbs.has('delete')) {
    item.delete = op('delete', 'delete', `Delete a ${m.kind}.`, DELETE_PARAMS, { '200': STATUS, '202': STATUS }, { schema: DELETE_OPTIONS, optional: true });
  }
  if (Object.keys(item).length > 1) paths[`${scope}/{name}`] = item;

  if (def.subresources.includes('status')) {
    const status: Obj = { parameters: pathParams(true) };
    itemOps(status, 'Status', `the status of the specified ${m.kind}`);
    if (Object.keys(status).length > 1) paths[`${scope}/{name}/status`] = status;
  }
  return paths;
}
