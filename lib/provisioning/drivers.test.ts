import { describe, expect, it } from 'vitest';
import { LOCAL_DRIVER, NO_PROVISIONER, NODE_TOPOLOGY_KEY, SHARED_DRIVER, driverCapabilities, isKuraDriver } from './drivers';

describe('driverCapabilities', () => {
  it.each([
    [LOCAL_DRIVER, { known: true, locality: 'node-local', accessModes: ['ReadWriteOnce', 'ReadWriteOncePod'], topologyKey: NODE_TOPOLOGY_KEY }],
    [SHARED_DRIVER, { known: true, locality: 'shared', accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'], topologyKey: undefined }],
    ['topolvm.io', { known: false, provisions: true }],
    [NO_PROVISIONER, { known: false, provisions: false }],
    ['toString', { known: false, provisions: true }], // not fooled by Object.prototype
  ])('%s', (name, want) => {
    expect(driverCapabilities(name)).toMatchObject({ name, ...want });
  });

  it('knows both Kura drivers make Filesystem and Block volumes', () => {
    for (const d of [LOCAL_DRIVER, SHARED_DRIVER]) {
      const caps = driverCapabilities(d);
      expect(caps.known && caps.volumeModes).toEqual(['Filesystem', 'Block']);
      expect(isKuraDriver(d)).toBe(true);
    }
    expect(isKuraDriver('ebs.csi.aws.com')).toBe(false);
  });
});
