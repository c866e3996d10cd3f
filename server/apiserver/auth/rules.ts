// RBAC rule arithmetic: does a rule allow a request, and does one set of rules cover another (escalation checks).
import { type Attributes, combinedResource } from './attributes';
import type { PolicyRule } from './policy';

const ALL = '*';

function has(list: readonly string[] | undefined, value: string): boolean {
  return list !== undefined && list.includes(value);
}

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return has(rule.verbs, ALL) || has(rule.verbs, verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return has(rule.apiGroups, ALL) || has(rule.apiGroups, group);
}

/** `combined` is "resource" or "resource/subresource"; "*" in a rule matches subresources too, "*\/status" every status. */
export function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === ALL || r === combined) return true;
    if (subresource && r === `${ALL}/${subresource}`) return true;
  }
  return false;
}

/** resourceNames restrict only when present; a request without a name (create, list…) never matches a restricted rule. */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  if (!rule.resourceNames?.length) return true;
  return name !== '' && rule.resourceNames.includes(name);
}

/** Exact paths, "*" for all, and a trailing "*" for every path with that prefix ("/apis/*"). */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const url of rule.nonResourceURLs ?? []) {
    if (url === ALL || url === path) return true;
    if (url.endsWith(ALL) && path.startsWith(url.replace(/\*+$/, ''))) return true;
  }
  return false;
}

export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if (!verbMatches(rule, attrs.verb)) return false;
  if (!attrs.resourceRequest) return nonResourceURLMatches(rule, attrs.path ?? '');
  return (
    apiGroupMatches(rule, attrs.apiGroup ?? '') &&
    resourceMatches(rule, combinedResource(attrs), attrs.subresource ?? '') &&
    resourceNameMatches(rule, attrs.name ?? '')
  );
}

/** One rule per verb × group × resource × name (or verb × URL): the units coverage is decided on. */
export function breakdownRule(rule: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      for (const verb of rule.verbs) {
        if (rule.resourceNames?.length) {
          for (const name of rule.resourceNames) out.push({ verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [name] });
        } else {
          out.push({ verbs: [verb], apiGroups: [group], resources: [resource] });
        }
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) {
    for (const verb of rule.verbs) out.push({ verbs: [verb], nonResourceURLs: [url] });
  }
  return out;
}

function resourcesCover(owner: readonly string[], wanted: readonly string[]): boolean {
  if (owner.includes(ALL)) return true;
  return wanted.every((r) => {
    if (owner.includes(r)) return true;
    const slash = r.indexOf('/');
    return slash >= 0 && owner.includes(`${ALL}/${r.slice(slash + 1)}`);
  });
}

function urlsCover(owner: readonly string[], wanted: readonly string[]): boolean {
  if (owner.includes(ALL)) return true;
  return wanted.every((u) => owner.some((o) => o === u || (o.endsWith(ALL) && u.startsWith(o.replace(/\*+$/, '')))));
}

/**
 * Whether `owner` grants everything `wanted` does. Wildcards are compared as strings: holding
 * get on every resource one by one does not cover a rule that says "*".
 */
export function ruleCovers(owner: PolicyRule, wanted: PolicyRule): boolean {
  const verbs = has(owner.verbs, ALL) || wanted.verbs.every((v) => has(owner.verbs, v));
  const groups = has(owner.apiGroups, ALL) || (wanted.apiGroups ?? []).every((g) => has(owner.apiGroups, g));
  const resources = resourcesCover(owner.resources ?? [], wanted.resources ?? []);
  const urls = urlsCover(owner.nonResourceURLs ?? [], wanted.nonResourceURLs ?? []);
  const names = !owner.resourceNames?.length || (!!wanted.resourceNames?.length && wanted.resourceNames.every((n) => has(owner.resourceNames, n)));
  return verbs && groups && resources && urls && names;
}

/** The pieces of `wanted` that no rule of `owner` covers (empty: fully covered). */
export function uncoveredRules(owner: readonly PolicyRule[], wanted: readonly PolicyRule[]): PolicyRule[] {
  const missing: PolicyRule[] = [];
  for (const rule of wanted) {
    for (const unit of breakdownRule(rule)) {
      if (!owner.some((o) => ruleCovers(o, unit))) missing.push(unit);
    }
  }
  return missing;
}

/** Merge rules that differ only in verbs, keeping first-seen order, so messages list each resource once. */
export function compactRules(rules: readonly PolicyRule[]): PolicyRule[] {
  const byTarget = new Map<string, PolicyRule>();
  for (const rule of rules) {
    const key = JSON.stringify([rule.apiGroups ?? [], rule.resources ?? [], rule.resourceNames ?? [], rule.nonResourceURLs ?? []]);
    const seen = byTarget.get(key);
    if (!seen) byTarget.set(key, { ...rule, verbs: [...rule.verbs] });
    else for (const verb of rule.verbs) if (!seen.verbs.includes(verb)) seen.verbs.push(verb);
  }
  return [...byTarget.values()];
}

/** A Go-style quoted list, `["a" "b"]`, as kube-apiserver prints string slices with %q. */
export function goQuotedList(list: readonly string[]): string {
  return `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;
}

/** A rule the way kube-apiserver prints it in escalation errors: `{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}`. */
export function describeRule(rule: PolicyRule): string {
  const parts: string[] = [];
  if (rule.apiGroups?.length) parts.push(`APIGroups:${goQuotedList(rule.apiGroups)}`);
  if (rule.resources?.length) parts.push(`Resources:${goQuotedList(rule.resources)}`);
  if (rule.resourceNames?.length) parts.push(`ResourceNames:${goQuotedList(rule.resourceNames)}`);
  if (rule.nonResourceURLs?.length) parts.push(`NonResourceURLs:${goQuotedList(rule.nonResourceURLs)}`);
  if (rule.verbs.length) parts.push(`Verbs:${goQuotedList(rule.verbs)}`);
  return `{${parts.join(', ')}}`;
}
