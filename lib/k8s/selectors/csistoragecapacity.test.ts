import { describe, expect, it } from 'vitest';
import { getCapacityClassName, getCapacityMaximumVolumeSize, getCapacityNodeTopology, getCapacityQuantity } from './csistoragecapacity';

describe('CSIStorageCapacity selectors', () => {
  it('reads class, capacity, maximum and topology', () => {
    const c = { storageClassName: 'kura-local', capacity: '100Gi', maximumVolumeSize: '50Gi', nodeTopology: { matchLabels: { 'topology.kura.dev/node': 'node-1' } } };
    expect(getCapacityClassName(c)).toBe('kura-local');
    expect(getCapacityQuantity(c)).toBe('100Gi');
    expect(getCapacityMaximumVolumeSize(c)).toBe('50Gi');
    expect(getCapacityNodeTopology(c)).toEqual({ matchLabels: { 'topology.kura.dev/node': 'node-1' } });
    expect(getCapacityNodeTopology({})).toBeNull();
    expect(getCapacityQuantity({})).toBeUndefined();
  });
});
