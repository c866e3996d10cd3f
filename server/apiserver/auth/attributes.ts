// What a request asks to do, in kube-apiserver's authorizer terms, and how a 403 Forbidden words the refusal.
import type { Status } from '@/lib/k8s/types';
import type { UserInfo } from './identity';

/**
 * One authorization question. For resource requests, fill the fields the way kube-apiserver's
 * RequestInfo does: `name` only when the URL names the object (never for create of a top-level
 * object or for list/watch/deletecollection, except list/watch with fieldSelector metadata.name=…);
 * `namespace` empty for cluster-scoped resources; for the Namespace object itself `namespace` is its
 * name. Non-resource requests (/version, /healthz…) set `path` and a lowercase HTTP verb.
 */
export interface Attributes {
  user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection; or escalate, bind, impersonate… */
  verb: string;
  resourceRequest: boolean;
  /** "" for the core group. */
  apiGroup?: string;
  apiVersion?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  namespace?: string;
  path?: string;
}

/** `resource` or `resource/subresource`, as rules and messages spell it. */
export function combinedResource(attrs: Pick<Attributes, 'resource' | 'subresource'>): string {
  const resource = attrs.resource ?? '';
  return attrs.subresource ? `${resource}/${attrs.subresource}` : resource;
}

const q = (s: string | undefined): string => JSON.stringify(s ?? '');

/** The part after "is forbidden: ", e.g. `User "alice" cannot list resource "persistentvolumeclaims" in API group "" in the namespace "default"`. */
export function forbiddenDetail(attrs: Attributes): string {
  const who = `User ${q(attrs.user.username)}`;
  if (!attrs.resourceRequest) return `${who} cannot ${attrs.verb} path ${q(attrs.path)}`;
  const where = attrs.namespace ? `in the namespace ${q(attrs.namespace)}` : 'at the cluster scope';
  return `${who} cannot ${attrs.verb} resource ${q(combinedResource(attrs))} in API group ${q(attrs.apiGroup)} ${where}`;
}

/**
 * The message of kube-apiserver's 403 for a denied request, e.g.
 * `persistentvolumeclaims is forbidden: User "alice" cannot list resource "persistentvolumeclaims" in API group "" in the namespace "default"`,
 * `virtualmachines.subresources.kubevirt.io "vm1" is forbidden: User "alice" cannot update resource "virtualmachines/start" in API group "subresources.kubevirt.io" in the namespace "ns"`,
 * `forbidden: User "system:anonymous" cannot get path "/metrics"`. A non-empty `reason` is appended after ": ".
 */
export function forbiddenMessage(attrs: Attributes, reason = ''): string {
  const detail = forbiddenDetail(attrs) + (reason ? `: ${reason}` : '');
  const resource = attrs.resourceRequest ? (attrs.resource ?? '') : '';
  if (!resource) return `forbidden: ${detail}`;
  const qualified = attrs.apiGroup ? `${resource}.${attrs.apiGroup}` : resource;
  return attrs.name ? `${qualified} ${q(attrs.name)} is forbidden: ${detail}` : `${qualified} is forbidden: ${detail}`;
}

/** The whole 403 Status body kube-apiserver sends for a denied request. */
export function forbiddenStatus(attrs: Attributes, reason = ''): Status {
  const details: NonNullable<Status['details']> = {};
  if (attrs.resourceRequest && attrs.resource) {
    if (attrs.name) details.name = attrs.name;
    if (attrs.apiGroup) details.group = attrs.apiGroup;
    details.kind = attrs.resource; // kube-apiserver puts the resource (not the Kind) here
  }
  return { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message: forbiddenMessage(attrs, reason), reason: 'Forbidden', details, code: 403 };
}

/** spec of a (Self|Local)SubjectAccessReview, authorization.k8s.io/v1. */
export interface SubjectAccessReviewSpec {
  resourceAttributes?: {
    namespace?: string;
    verb?: string;
    group?: string;
    version?: string;
    resource?: string;
    subresource?: string;
    name?: string;
  };
  nonResourceAttributes?: { path?: string; verb?: string };
  /** SubjectAccessReview only: whom to ask about (SelfSubjectAccessReview asks about the caller). */
  user?: string;
  groups?: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

/** The question an access review asks about `user`, or the validation message kube-apiserver gives for a malformed spec. */
export function attributesFromReviewSpec(spec: SubjectAccessReviewSpec, user: UserInfo): Attributes | { error: string } {
  const r = spec.resourceAttributes;
  const n = spec.nonResourceAttributes;
  if ((r && n) || (!r && !n)) return { error: 'exactly one of nonResourceAttributes or resourceAttributes must be specified' };
  if (n) return { user, verb: n.verb ?? '', resourceRequest: false, path: n.path ?? '' };
  const attrs: Attributes = { user, verb: r?.verb ?? '', resourceRequest: true, apiGroup: r?.group ?? '', resource: r?.resource ?? '' };
  if (r?.version) attrs.apiVersion = r.version;
  if (r?.subresource) attrs.subresource = r.subresource;
  if (r?.name) attrs.name = r.name;
  if (r?.namespace) attrs.namespace = r.namespace;
  return attrs;
}
