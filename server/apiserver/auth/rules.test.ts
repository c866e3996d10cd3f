// Rule matching and coverage, case by case.
import { describe, expect, it } from 'vitest';
import type { Attributes } from './attributes';
import type { PolicyRule } from './policy';
import { breakdownRule, compactRules, describeRule, ruleAllows, ruleCovers, uncoveredRules } from './rules';

const user = { username: 'alice', groups: [] };
const res = (verb: string, apiGroup: string, resource: string, extra: Partial<Attributes> = {}): Attributes => ({
  user,
  verb,
  resourceRequest: true,
  apiGroup,
  resource,
  namespace: 'ns',
  ...extra,
});
const path = (verb: string, p: string): Attributes => ({ user, verb, resourceRequest: false, path: p });

describe('ruleAllows', () => {
  const pvcRead: PolicyRule = { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['get', 'list'] };
  const named: PolicyRule = { apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'], verbs: ['*'] };

  it.each<[string, PolicyRule, Attributes, boolean]>([
    ['exact verb, group, resource', pvcRead, res('get', '', 'persistentvolumeclaims'), true],
    ['another verb', pvcRead, res('delete', '', 'persistentvolumeclaims'), false],
    ['another group', pvcRead, res('get', 'kubevirt.io', 'persistentvolumeclaims'), false],
    ['a subresource of an allowed resource', pvcRead, res('get', '', 'persistentvolumeclaims', { subresource: 'status' }), false],
    ['verb *', { apiGroups: [''], resources: ['secrets'], verbs: ['*'] }, res('deletecollection', '', 'secrets'), true],
    ['group *', { apiGroups: ['*'], resources: ['virtualmachines'], verbs: ['get'] }, res('get', 'kubevirt.io', 'virtualmachines'), true],
    ['resource * covers subresources', { apiGroups: ['*'], resources: ['*'], verbs: ['update'] }, res('update', 'subresources.kubevirt.io', 'virtualmachines', { subresource: 'start' }), true],
    ['resource/subresource', { apiGroups: ['subresources.kubevirt.io'], resources: ['virtualmachines/start'], verbs: ['update'] }, res('update', 'subresources.kubevirt.io', 'virtualmachines', { subresource: 'start' }), true],
    ['resource/subresource is not the resource', { apiGroups: ['subresources.kubevirt.io'], resources: ['virtualmachines/start'], verbs: ['update'] }, res('update', 'subresources.kubevirt.io', 'virtualmachines'), false],
    ['another subresource', { apiGroups: ['subresources.kubevirt.io'], resources: ['virtualmachines/start'], verbs: ['update'] }, res('update', 'subresources.kubevirt.io', 'virtualmachines', { subresource: 'stop' }), false],
    ['*/subresource', { apiGroups: [''], resources: ['*/status'], verbs: ['get'] }, res('get', '', 'persistentvolumeclaims', { subresource: 'status' }), true],
    ['*/subresource is not the resource', { apiGroups: [''], resources: ['*/status'], verbs: ['get'] }, res('get', '', 'persistentvolumeclaims'), false],
    ['resourceNames: the named object', named, res('update', '', 'configmaps', { name: 'settings' }), true],
    ['resourceNames: another object', named, res('update', '', 'configmaps', { name: 'other' }), false],
    ['resourceNames: create has no name', named, res('create', '', 'configmaps'), false],
    ['resourceNames: list has no name', named, res('list', '', 'configmaps'), false],
    ['resourceNames: watch has no name', named, res('watch', '', 'configmaps'), false],
    ['resourceNames: deletecollection has no name', named, res('deletecollection', '', 'configmaps'), false],
    ['resourceNames: watch of one object by field selector', named, res('watch', '', 'configmaps', { name: 'settings' }), true],
    ['URL exact', { nonResourceURLs: ['/version'], verbs: ['get'] }, path('get', '/version'), true],
    ['URL exact is not a prefix', { nonResourceURLs: ['/version'], verbs: ['get'] }, path('get', '/version/extra'), false],
    ['URL prefix *', { nonResourceURLs: ['/apis/*'], verbs: ['get'] }, path('get', '/apis/kubevirt.io/v1'), true],
    ['URL prefix * without the slash', { nonResourceURLs: ['/apis/*'], verbs: ['get'] }, path('get', '/apis'), false],
    ['URL *', { nonResourceURLs: ['*'], verbs: ['*'] }, path('post', '/anything'), true],
    ['URL with another verb', { nonResourceURLs: ['/healthz'], verbs: ['get'] }, path('post', '/healthz'), false],
    ['URL rule never allows resources', { nonResourceURLs: ['*'], verbs: ['*'] }, res('get', '', 'secrets'), false],
    ['resource rule never allows URLs', { apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, path('get', '/version'), false],
  ])('%s', (_, rule, attrs, allowed) => {
    expect(ruleAllows(attrs, rule)).toBe(allowed);
  });
});

describe('ruleCovers', () => {
  const unit = (verb: string, group: string, resource: string, name?: string): PolicyRule => ({
    verbs: [verb],
    apiGroups: [group],
    resources: [resource],
    ...(name ? { resourceNames: [name] } : {}),
  });

  it.each<[string, PolicyRule, PolicyRule, boolean]>([
    ['the same rule', unit('get', '', 'secrets'), unit('get', '', 'secrets'), true],
    ['all verbs cover one', { verbs: ['*'], apiGroups: [''], resources: ['secrets'] }, unit('delete', '', 'secrets'), true],
    ['one verb does not cover *', unit('get', '', 'secrets'), unit('*', '', 'secrets'), false],
    ['all groups', { verbs: ['get'], apiGroups: ['*'], resources: ['secrets'] }, unit('get', 'x.io', 'secrets'), true],
    ['all resources cover a subresource', { verbs: ['get'], apiGroups: [''], resources: ['*'] }, unit('get', '', 'pods/log'), true],
    ['*/status covers x/status', { verbs: ['get'], apiGroups: [''], resources: ['*/status'] }, unit('get', '', 'persistentvolumeclaims/status'), true],
    ['a resource does not cover its subresource', unit('get', '', 'persistentvolumeclaims'), unit('get', '', 'persistentvolumeclaims/status'), false],
    ['unnamed covers named', unit('get', '', 'configmaps'), unit('get', '', 'configmaps', 'a'), true],
    ['named covers the same name', unit('get', '', 'configmaps', 'a'), unit('get', '', 'configmaps', 'a'), true],
    ['named does not cover another name', unit('get', '', 'configmaps', 'a'), unit('get', '', 'configmaps', 'b'), false],
    ['named does not cover unnamed', unit('get', '', 'configmaps', 'a'), unit('get', '', 'configmaps'), false],
    ['URL prefix covers a longer prefix', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, { verbs: ['get'], nonResourceURLs: ['/apis/kubevirt.io/*'] }, true],
    ['URL exact does not cover a prefix', { verbs: ['get'], nonResourceURLs: ['/apis'] }, { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, false],
    ['resource rule does not cover a URL', { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['get'], nonResourceURLs: ['/version'] }, false],
  ])('%s', (_, owner, wanted, covered) => {
    expect(ruleCovers(owner, wanted)).toBe(covered);
  });
});

describe('breakdown, uncovered rules and their description', () => {
  it('splits a rule into one rule per verb, group, resource and name', () => {
    expect(breakdownRule({ verbs: ['get', 'list'], apiGroups: ['', 'x'], resources: ['a'], resourceNames: ['n'] })).toHaveLength(4);
    expect(breakdownRule({ verbs: ['get'], nonResourceURLs: ['/a', '/b'] })).toEqual([
      { verbs: ['get'], nonResourceURLs: ['/a'] },
      { verbs: ['get'], nonResourceURLs: ['/b'] },
    ]);
  });

  it('finds the pieces not held and compacts them by resource', () => {
    const owner: PolicyRule[] = [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['secrets'] }];
    const missing = uncoveredRules(owner, [{ verbs: ['get', 'list', 'delete', 'create'], apiGroups: [''], resources: ['secrets', 'configmaps'] }]);
    expect(compactRules(missing).map(describeRule)).toEqual([
      '{APIGroups:[""], Resources:["secrets"], Verbs:["delete" "create"]}',
      '{APIGroups:[""], Resources:["configmaps"], Verbs:["get" "list" "delete" "create"]}',
    ]);
  });

  it('describes named and URL rules', () => {
    expect(describeRule({ verbs: ['get'], apiGroups: ['kubevirt.io'], resources: ['virtualmachines'], resourceNames: ['vm1'] })).toBe(
      '{APIGroups:["kubevirt.io"], Resources:["virtualmachines"], ResourceNames:["vm1"], Verbs:["get"]}',
    );
    expect(describeRule({ verbs: ['get'], nonResourceURLs: ['/metrics'] })).toBe('{NonResourceURLs:["/metrics"], Verbs:["get"]}');
  });
});
