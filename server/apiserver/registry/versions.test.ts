import { describe, expect, it } from 'vitest';
import { compareKubeVersions } from './versions';

describe('compareKubeVersions', () => {
  it('orders like Kubernetes', () => {
    const sorted = ['v11alpha2', 'foo10', 'v10', 'v12alpha1', 'v3beta1', 'foo1', 'v1', 'v2', 'v10beta3', 'v11beta2', 'v1beta1'].sort(compareKubeVersions);
    expect(sorted).toEqual(['v10', 'v2', 'v1', 'v11beta2', 'v10beta3', 'v3beta1', 'v1beta1', 'v12alpha1', 'v11alpha2', 'foo1', 'foo10']);
  });
});
