// What a request URL means: a resource request (group, version, namespace,
// resource, name, subresource, verb) or a non-resource path, as kube-apiserver
// derives it before authorization.
export interface ResourceRequestInfo {
  resourceRequest: true;
  verb: string;
  apiPrefix: 'api' | 'apis';
  apiGroup: string;
  apiVersion: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** Path segments past the subresource (e.g. proxy paths); kept for errors. */
  parts: string[];
}

export interface NonResourceRequestInfo {
  resourceRequest: false;
  verb: string;
  path: string;
}

export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo;

const namespaceSubresources = new Set(['status', 'finalize']);

const httpToVerb: Record<string, string> = { GET: 'get', HEAD: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** Decode one path segment; undefined when it is not valid percent-encoding. */
function decodeSegment(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

export function parseRequestInfo(method: string, pathname: string, query: URLSearchParams): RequestInfo | undefined {
  const raw = pathname.split('/').filter((s) => s !== '');
  const segments: string[] = [];
  for (const s of raw) {
    const d = decodeSegment(s);
    if (d === undefined) return undefined;
    segments.push(d);
  }
  const baseVerb = (httpToVerb[method.toUpperCase()] ?? method.toLowerCase());
  const prefix = segments[0];
  if (prefix !== 'api' && prefix !== 'apis') return { resourceRequest: false, verb: baseVerb, path: pathname };
  let i = 1;
  let apiGroup = '';
  if (prefix === 'apis') {
    if (segments.length < 3) return { resourceRequest: false, verb: baseVerb, path: pathname };
    apiGroup = segments[i++]!;
  } else if (segments.length < 2) {
    return { resourceRequest: false, verb: baseVerb, path: pathname };
  }
  const apiVersion = segments[i++]!;
  let rest = segments.slice(i);
  if (rest.length === 0) return { resourceRequest: false, verb: baseVerb, path: pathname };

  let verb = baseVerb;
  // Deprecated /watch/ prefix: GET /api/v1/watch/namespaces/x/pods.
  if (rest[0] === 'watch') {
    verb = 'watch';
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 2) {
    namespace = rest[1];
    // /namespaces/x/status and /namespaces/x/finalize are subresources of the namespace itself;
    // anything else after the name is a resource inside the namespace.
    if (rest.length >= 3 && !namespaceSubresources.has(rest[2]!)) rest = rest.slice(2);
  }
  const [resource, name, subresource, ...parts] = rest;
  if (!resource) return undefined;
  const info: ResourceRequestInfo = { resourceRequest: true, verb, apiPrefix: prefix, apiGroup, apiVersion, namespace, resource, name, subresource, parts };
  if (verb === 'watch') return info;
  if (baseVerb === 'get' && !name) info.verb = isTrue(query.get('watch')) ? 'watch' : 'list';
  else if (baseVerb === 'get' && isTrue(query.get('watch'))) info.verb = 'watch';
  if (baseVerb === 'delete' && !name) info.verb = 'deletecollection';
  return info;
}

/** Kubernetes accepts watch=true and watch=1 (and any ParseBool-true value). */
export function isTrue(v: string | null): boolean {
  return v === 'true' || v === '1' || v === 'True' || v === 'TRUE' || v === 't' || v === 'T';
}
