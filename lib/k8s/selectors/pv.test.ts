import { describe, expect, it } from 'vitest';
import { getPvAccessModes, getPvCapacityStorage, getPvClaimRef, getPvDriver, getPvPhase, getPvReclaimPolicy, getPvStatusMessage } from './pv';

describe('PersistentVolume selectors', () => {
  it('reads capacity, modes, claim, policy, driver and message', () => {
    const pv = {
      metadata: { name: 'pv-1', annotations: { 'pv.kubernetes.io/provisioned-by': 'topolvm.io' } },
      spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], claimRef: { namespace: 'a', name: 'b' }, persistentVolumeReclaimPolicy: 'Delete' },
      status: { phase: 'Released', message: 'claim gone' },
    };
    expect(getPvPhase(pv)).toBe('Released');
    expect(getPvCapacityStorage(pv)).toBe('5Gi');
    expect(getPvAccessModes(pv)).toEqual(['ReadWriteOnce']);
    expect(getPvClaimRef(pv)).toEqual({ namespace: 'a', name: 'b' });
    expect(getPvReclaimPolicy(pv)).toBe('Delete');
    expect(getPvDriver(pv)).toBe('topolvm.io');
    expect(getPvStatusMessage(pv)).toBe('claim gone');
  });
  it('prefers spec.csi.driver and defaults a hand-made volume to Retain', () => {
    const pv = { spec: { csi: { driver: 'local.kura.dev' } } };
    expect(getPvDriver(pv)).toBe('local.kura.dev');
    expect(getPvReclaimPolicy(pv)).toBe('Retain');
    expect(getPvClaimRef(pv)).toBeUndefined();
    expect(getPvAccessModes(pv)).toEqual([]);
  });
});
