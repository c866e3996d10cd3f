import { describe, expect, it } from 'vitest';
import { parseRequestInfo } from './requestInfo';

const p = (method: string, url: string) => {
  const u = new URL(url, 'https://x');
  return parseRequestInfo(method, u.pathname, u.searchParams);
};

describe('parseRequestInfo', () => {
  it.each<[string, string, Record<string, unknown>]>([
    ['GET', '/api/v1/namespaces/default/persistentvolumeclaims', { verb: 'list', apiGroup: '', namespace: 'default', resource: 'persistentvolumeclaims', name: undefined }],
    ['GET', '/api/v1/namespaces/default/persistentvolumeclaims?watch=true', { verb: 'watch', resource: 'persistentvolumeclaims' }],
    ['GET', '/api/v1/namespaces/default/persistentvolumeclaims/data', { verb: 'get', name: 'data' }],
    ['GET', '/api/v1/namespaces/default/persistentvolumeclaims/data?watch=1', { verb: 'watch', name: 'data' }],
    ['PUT', '/api/v1/namespaces/default/persistentvolumeclaims/data/status', { verb: 'update', name: 'data', subresource: 'status' }],
    ['DELETE', '/api/v1/namespaces/default/persistentvolumeclaims', { verb: 'deletecollection' }],
    ['DELETE', '/api/v1/namespaces/default/persistentvolumeclaims/data', { verb: 'delete', name: 'data' }],
    ['PATCH', '/apis/kubevirt.io/v1/namespaces/ns1/virtualmachines/vm1', { verb: 'patch', apiGroup: 'kubevirt.io', apiVersion: 'v1', namespace: 'ns1', resource: 'virtualmachines' }],
    ['POST', '/apis/storage.k8s.io/v1/storageclasses', { verb: 'create', resource: 'storageclasses', namespace: undefined }],
    ['GET', '/api/v1/namespaces', { verb: 'list', resource: 'namespaces', namespace: undefined }],
    ['GET', '/api/v1/namespaces/default', { verb: 'get', resource: 'namespaces', name: 'default', namespace: 'default' }],
    ['DELETE', '/api/v1/namespaces/team-a', { verb: 'delete', resource: 'namespaces', name: 'team-a' }],
    ['PUT', '/api/v1/namespaces/team-a/finalize', { verb: 'update', resource: 'namespaces', name: 'team-a', subresource: 'finalize' }],
    ['GET', '/api/v1/watch/namespaces/default/configmaps', { verb: 'watch', resource: 'configmaps', namespace: 'default' }],
    ['GET', '/api/v1/persistentvolumeclaims', { verb: 'list', namespace: undefined }],
    ['PUT', '/apis/subresources.kubevirt.io/v1/namespaces/default/virtualmachines/vm1/start', { verb: 'update', resource: 'virtualmachines', subresource: 'start' }],
  ])('%s %s', (method, url, want) => {
    expect(p(method, url)).toMatchObject({ resourceRequest: true, ...want });
  });

  it.each([
    ['GET', '/version'],
    ['GET', '/api'],
    ['GET', '/apis'],
    ['GET', '/api/v1'],
    ['GET', '/apis/kubevirt.io'],
    ['GET', '/apis/kubevirt.io/v1'],
    ['GET', '/openapi/v3'],
    ['GET', '/healthz'],
  ])('%s %s is not a resource request', (method, url) => {
    expect(p(method, url)?.resourceRequest).toBe(false);
  });

  it('refuses broken percent-encoding', () => {
    expect(p('GET', '/api/v1/namespaces/%zz/configmaps')).toBeUndefined();
  });
});
