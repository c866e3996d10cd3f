import { describe, expect, it } from 'vitest';
import { upstreamPath } from './proxy';

describe('upstreamPath', () => {
  it.each<[string, string | undefined]>([
    ['/api/k8s/api/v1/namespaces', '/api/v1/namespaces'],
    ['/api/k8s/apis/kubevirt.io/v1/namespaces/default/virtualmachines?watch=1&resourceVersion=5', '/apis/kubevirt.io/v1/namespaces/default/virtualmachines?watch=1&resourceVersion=5'],
    ['/api/k8s/version', '/version'],
    ['/api/k8s/openapi/v3', '/openapi/v3'],
    ['/api/k8s/api/v1/namespaces/a%2Fb', '/api/v1/namespaces/a%2Fb'],
    ['/api/k8s/../../etc/passwd', undefined],
    ['/api/k8s/api/v1/../../metrics', undefined],
    ['/api/k8s/api/v1/%2e%2e/x', undefined],
    ['/api/k8s/api//v1', undefined],
    ['/api/k8s/metrics', undefined],
    ['/api/k8s/debug/pprof', undefined],
    ['/api/k8s', undefined],
    ['/api/k8sx/api/v1', undefined],
    ['/api/k8s/api/v1/%zz', undefined],
  ])('%s → %s', (url, expected) => {
    expect(upstreamPath(url)).toBe(expected);
  });
});
