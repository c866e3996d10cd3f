import { describe, expect, it } from 'vitest';
import { claimKey, claimsOfVm, consumersByClaim } from './usedBy';

const vm = (name: string, volumes: object[]) => ({ metadata: { name, namespace: 'team-a' }, spec: { template: { spec: { volumes } } } });
const vmi = (name: string, volumes: object[], phase = 'Running', nodeName = 'node-2') => ({ metadata: { name, namespace: 'team-a' }, spec: { volumes }, status: { phase, nodeName } });

describe('consumersByClaim', () => {
  it('finds claims named directly and through DataVolumes, and merges a VM with its instance', () => {
    const vms = [vm('web', [{ name: 'root', dataVolume: { name: 'web-root' } }, { name: 'data', persistentVolumeClaim: { claimName: 'shared' } }, { name: 'ci', cloudInitNoCloud: {} }])];
    const vmis = [vmi('web', [{ name: 'root', dataVolume: { name: 'web-root' } }]), vmi('batch', [{ name: 'd', persistentVolumeClaim: { claimName: 'shared' } }], 'Succeeded', '')];
    const m = consumersByClaim(vms, vmis);
    expect(m.get(claimKey('team-a', 'web-root'))).toEqual([{ name: 'web', vm: true, running: true, node: 'node-2' }]);
    expect(m.get(claimKey('team-a', 'shared'))).toEqual([
      { name: 'batch', vm: false, running: false, node: undefined },
      { name: 'web', vm: true, running: false },
    ]);
    expect(m.get(claimKey('team-b', 'shared'))).toBeUndefined();
  });
  it('lists each claim once per VM', () => {
    expect(claimsOfVm(vm('x', [{ persistentVolumeClaim: { claimName: 'a' } }, { dataVolume: { name: 'a' } }]))).toEqual(['a']);
  });
});
