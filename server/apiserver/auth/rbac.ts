// Kubernetes RBAC over the current roles and bindings: authorization, rules and access reviews, escalation checks.
import type { Attributes } from './attributes';
import { SYSTEM_MASTERS, serviceAccountUsername, type UserInfo } from './identity';
import { type PolicyRule, RBAC_GROUP, type RbacKind, type RoleRef, type Subject, isRbacKind, parseRbacObject } from './policy';
import { compactRules, describeRule, goQuotedList, ruleAllows, uncoveredRules } from './rules';

export interface Decision {
  allowed: boolean;
  /** Which binding allowed it, as kube-apiserver words it; empty when denied. */
  reason: string;
}

/** authorization.k8s.io/v1 ResourceRule, as SelfSubjectRulesReview returns it. */
export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

/** authorization.k8s.io/v1 NonResourceRule. */
export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

/** The status of a SelfSubjectRulesReview. */
export interface SubjectRulesReviewStatus {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  /** True when a binding names a role that does not exist, so the list may be short. */
  incomplete: boolean;
  evaluationError?: string;
}

/** The status of a (Self|Local)SubjectAccessReview. RBAC never denies outright, so `denied` stays unset. */
export interface SubjectAccessReviewStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

interface BindingEntry {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  name: string;
  /** '' for ClusterRoleBindings. */
  namespace: string;
  roleRef: RoleRef;
  subjects: Subject[];
  /** Index keys of the subjects that can match anyone. */
  subjectKeys: string[];
}

/** Index scope of ClusterRoleBindings; RoleBindings are indexed under their namespace. */
const CLUSTER = '';
const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

const userKey = (username: string): string => `user:${username}`;
const groupKey = (group: string): string => `group:${group}`;

/**
 * The index key a subject matches under, or undefined when it can match no one. A ServiceAccount
 * subject is the user "system:serviceaccount:<ns>:<name>", so it shares that user's key.
 */
function subjectKey(s: Subject, bindingNamespace: string): string | undefined {
  switch (s.kind) {
    case 'User':
      return userKey(s.name);
    case 'Group':
      return groupKey(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || bindingNamespace;
      return ns && s.name ? userKey(serviceAccountUsername(ns, s.name)) : undefined;
    }
    default:
      return undefined;
  }
}

function keysOf(user: UserInfo): string[] {
  return [userKey(user.username), ...user.groups.map(groupKey)];
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  // kube-apiserver's own spelling: name before namespace.
  if (s.kind === 'ServiceAccount') return `ServiceAccount ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

function refOf(obj: unknown): { kind: RbacKind; key: string } | undefined {
  const o = obj as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
  const name = o?.metadata?.name;
  if (!o || !isRbacKind(o.kind) || typeof name !== 'string' || !name) return undefined;
  const namespaced = o.kind === 'Role' || o.kind === 'RoleBinding';
  const namespace = namespaced && typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : '';
  return { kind: o.kind, key: `${namespace}/${name}` };
}

export class RbacAuthorizer {
  /** Rules by "namespace/name" ("/name" for ClusterRoles). */
  private readonly roles = new Map<string, PolicyRule[]>();
  private readonly clusterRoles = new Map<string, PolicyRule[]>();
  private readonly bindings = new Map<string, BindingEntry>();
  /** scope ('' or namespace) → subject key → binding keys: a request looks only at bindings naming its user or groups. */
  private readonly index = new Map<string, Map<string, Set<string>>>();

  constructor(objects: Iterable<unknown> = []) {
    for (const obj of objects) this.upsert(obj);
  }

  /** Forget everything and load `objects` (after a relist). Returns why some were ignored. */
  reset(objects: Iterable<unknown>): string[] {
    this.roles.clear();
    this.clusterRoles.clear();
    this.bindings.clear();
    this.index.clear();
    const problems: string[] = [];
    for (const obj of objects) {
      const problem = this.upsert(obj);
      if (problem) problems.push(problem);
    }
    return problems;
  }

  /**
   * Add or replace a Role, ClusterRole, RoleBinding or ClusterRoleBinding. Returns undefined, or why
   * the object was ignored; an ignored object also drops its previous version, so a bad update never
   * leaves stale grants behind.
   */
  upsert(obj: unknown): string | undefined {
    const ref = refOf(obj);
    if (!ref) return `not an RBAC object with a name: kind ${JSON.stringify((obj as { kind?: unknown } | null)?.kind)}`;
    this.removeRef(ref.kind, ref.key);
    const parsed = parseRbacObject(obj);
    if (!parsed.ok) return parsed.error;
    const o = parsed.value;
    switch (o.kind) {
      case 'Role':
        this.roles.set(ref.key, o.rules ?? []);
        return undefined;
      case 'ClusterRole':
        this.clusterRoles.set(o.metadata.name, o.rules ?? []);
        return undefined;
      default: {
        const namespace = o.kind === 'RoleBinding' ? o.metadata.namespace : CLUSTER;
        const subjects = o.subjects ?? [];
        const subjectKeys = [...new Set(subjects.map((s) => subjectKey(s, namespace)).filter((k): k is string => k !== undefined))];
        const entry: BindingEntry = { kind: o.kind, name: o.metadata.name, namespace, roleRef: o.roleRef, subjects, subjectKeys };
        const bindingKey = `${o.kind}:${ref.key}`;
        this.bindings.set(bindingKey, entry);
        let bySubject = this.index.get(namespace);
        if (!bySubject) this.index.set(namespace, (bySubject = new Map()));
        for (const k of subjectKeys) {
          let set = bySubject.get(k);
          if (!set) bySubject.set(k, (set = new Set()));
          set.add(bindingKey);
        }
        return undefined;
      }
    }
  }

  /** Forget an object by kind, namespace and name; true if it was known. */
  remove(obj: unknown): boolean {
    const ref = refOf(obj);
    return ref ? this.removeRef(ref.kind, ref.key) : false;
  }

  private removeRef(kind: RbacKind, key: string): boolean {
    if (kind === 'Role') return this.roles.delete(key);
    if (kind === 'ClusterRole') return this.clusterRoles.delete(key.slice(1));
    const bindingKey = `${kind}:${key}`;
    const entry = this.bindings.get(bindingKey);
    if (!entry) return false;
    this.bindings.delete(bindingKey);
    const bySubject = this.index.get(entry.namespace);
    for (const k of entry.subjectKeys) {
      const set = bySubject?.get(k);
      set?.delete(bindingKey);
      if (set && set.size === 0) bySubject?.delete(k);
    }
    if (bySubject && bySubject.size === 0) this.index.delete(entry.namespace);
    return true;
  }

  /** Bindings naming the user or one of its groups: ClusterRoleBindings first, then RoleBindings of `namespace`, each by name. */
  private bindingsFor(user: UserInfo, namespace: string): BindingEntry[] {
    const keys = keysOf(user);
    const scopes = namespace ? [CLUSTER, namespace] : [CLUSTER];
    const out: BindingEntry[] = [];
    for (const scope of scopes) {
      const bySubject = this.index.get(scope);
      if (!bySubject) continue;
      const found = new Set<string>(); // a binding may name both the user and one of its groups
      for (const k of keys) for (const b of bySubject.get(k) ?? []) found.add(b);
      const entries = [...found].map((b) => this.bindings.get(b)).filter((e): e is BindingEntry => e !== undefined);
      out.push(...entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
    }
    return out;
  }

  /** The rules a roleRef grants in `namespace` ('' for cluster bindings), or undefined when the role does not exist. */
  private resolveRoleRef(roleRef: RoleRef, namespace: string): PolicyRule[] | undefined {
    if (roleRef.kind === 'ClusterRole') return this.clusterRoles.get(roleRef.name);
    // A ClusterRoleBinding cannot use a Role: there is no namespace to find it in.
    if (roleRef.kind === 'Role' && namespace) return this.roles.get(`${namespace}/${roleRef.name}`);
    return undefined;
  }

  private describeBinding(b: BindingEntry, user: UserInfo): string {
    const keys = new Set(keysOf(user));
    const subject = b.subjects.find((s) => {
      const k = subjectKey(s, b.namespace);
      return k !== undefined && keys.has(k);
    });
    const who = subject ? ` to ${describeSubject(subject, b.namespace)}` : '';
    const name = b.kind === 'RoleBinding' ? `${b.name}/${b.namespace}` : b.name;
    return `${b.kind} ${JSON.stringify(name)} of ${b.roleRef.kind} ${JSON.stringify(b.roleRef.name)}${who}`;
  }

  authorize(attrs: Attributes): Decision {
    if (attrs.user.groups.includes(SYSTEM_MASTERS)) return { allowed: true, reason: '' };
    // Non-resource URLs have no namespace: only ClusterRoleBindings can grant them.
    const namespace = attrs.resourceRequest ? (attrs.namespace ?? '') : '';
    for (const b of this.bindingsFor(attrs.user, namespace)) {
      const rules = this.resolveRoleRef(b.roleRef, b.namespace);
      if (rules?.some((r) => ruleAllows(attrs, r))) return { allowed: true, reason: `RBAC: allowed by ${this.describeBinding(b, attrs.user)}` };
    }
    return { allowed: false, reason: '' };
  }

  subjectAccessReview(attrs: Attributes): SubjectAccessReviewStatus {
    const decision = this.authorize(attrs);
    return decision.reason ? { allowed: decision.allowed, reason: decision.reason } : { allowed: decision.allowed };
  }

  /** Every rule granted to `user` in `namespace` (cluster-wide only when ''), plus why the list may be short. */
  private grantedRules(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    for (const b of this.bindingsFor(user, namespace)) {
      const granted = this.resolveRoleRef(b.roleRef, b.namespace);
      if (!granted) {
        errors.push(`${b.roleRef.kind.toLowerCase()}.${RBAC_GROUP} ${JSON.stringify(b.roleRef.name)} not found`);
        continue;
      }
      for (const r of granted) {
        // URLs in a role reached through a RoleBinding grant nothing, so they are not reported as held.
        if (b.kind === 'RoleBinding' && r.nonResourceURLs) {
          if (!r.resources) continue;
          const { nonResourceURLs: _urls, ...resourcePart } = r;
          rules.push(resourcePart);
        } else {
          rules.push(r);
        }
      }
    }
    return { rules, errors };
  }

  /** What SelfSubjectRulesReview reports for `user` in `namespace`. */
  rulesFor(user: UserInfo, namespace = ''): SubjectRulesReviewStatus {
    const { rules, errors } = this.grantedRules(user, namespace);
    const resourceRules: ResourceRule[] = [];
    const nonResourceRules: NonResourceRule[] = [];
    for (const r of rules) {
      if (r.resources?.length) {
        const rr: ResourceRule = { verbs: [...r.verbs], apiGroups: [...(r.apiGroups ?? [])], resources: [...r.resources] };
        if (r.resourceNames?.length) rr.resourceNames = [...r.resourceNames];
        resourceRules.push(rr);
      }
      if (r.nonResourceURLs?.length) nonResourceRules.push({ verbs: [...r.verbs], nonResourceURLs: [...r.nonResourceURLs] });
    }
    const status: SubjectRulesReviewStatus = { resourceRules, nonResourceRules, incomplete: errors.length > 0 };
    if (errors.length) status.evaluationError = errors.join(', ');
    return status;
  }

  /**
   * Refuse to let `user` grant `rules` it does not hold itself (in `namespace`, or cluster-wide when
   * absent). Returns kube-apiserver's refusal message, or undefined when every rule is covered.
   */
  checkEscalation(user: UserInfo, rules: readonly PolicyRule[], namespace?: string): string | undefined {
    if (user.groups.includes(SYSTEM_MASTERS)) return undefined;
    const { rules: held, errors } = this.grantedRules(user, namespace ?? '');
    const missing = uncoveredRules(held, rules);
    if (!missing.length) return undefined;
    const lines = [...new Set(compactRules(missing).map(describeRule))].sort();
    let msg = `user ${JSON.stringify(user.username)} (groups=${goQuotedList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
    if (errors.length) msg += `; resolution errors: [${errors.join(' ')}]`;
    return msg;
  }

  /**
   * May `user` create or update this Role or ClusterRole? Allowed with `escalate` on it, otherwise only
   * if the user holds all its rules. An aggregationRule needs full authority, as in Kubernetes.
   */
  checkRoleWrite(user: UserInfo, obj: unknown): string | undefined {
    const parsed = parseRbacObject(obj);
    if (!parsed.ok) return parsed.error;
    const role = parsed.value;
    if (role.kind !== 'Role' && role.kind !== 'ClusterRole') return `expected a Role or ClusterRole, not a ${role.kind}`;
    if (user.groups.includes(SYSTEM_MASTERS)) return undefined;
    const namespace = role.kind === 'Role' ? role.metadata.namespace : undefined;
    const resource = role.kind === 'Role' ? 'roles' : 'clusterroles';
    const escalate: Attributes = { user, verb: 'escalate', resourceRequest: true, apiGroup: RBAC_GROUP, resource, name: role.metadata.name, namespace };
    if (this.authorize(escalate).allowed) return undefined;
    if (role.kind === 'ClusterRole' && role.aggregationRule?.clusterRoleSelectors?.length && this.checkEscalation(user, FULL_AUTHORITY)) {
      return 'must have cluster-admin privileges to use the aggregationRule';
    }
    return this.checkEscalation(user, role.rules ?? [], namespace);
  }

  /**
   * May `user` create or update this RoleBinding or ClusterRoleBinding? Allowed with `bind` on the
   * referenced role, otherwise only if the user holds all the role's rules where the binding applies.
   */
  checkBindingWrite(user: UserInfo, obj: unknown): string | undefined {
    const parsed = parseRbacObject(obj);
    if (!parsed.ok) return parsed.error;
    const binding = parsed.value;
    if (binding.kind !== 'RoleBinding' && binding.kind !== 'ClusterRoleBinding') return `expected a RoleBinding or ClusterRoleBinding, not a ${binding.kind}`;
    if (user.groups.includes(SYSTEM_MASTERS)) return undefined;
    const namespace = binding.kind === 'RoleBinding' ? binding.metadata.namespace : undefined;
    const { roleRef } = binding;
    const resource = roleRef.kind === 'Role' ? 'roles' : 'clusterroles';
    const bind: Attributes = { user, verb: 'bind', resourceRequest: true, apiGroup: RBAC_GROUP, resource, name: roleRef.name, namespace };
    if (this.authorize(bind).allowed) return undefined;
    const rules = this.resolveRoleRef(roleRef, namespace ?? '');
    // kube-apiserver answers this case 404; the message is the same.
    if (!rules) return `${roleRef.kind.toLowerCase()}.${RBAC_GROUP} ${JSON.stringify(roleRef.name)} not found`;
    return this.checkEscalation(user, rules, namespace);
  }
}
