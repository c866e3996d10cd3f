// PoolSet: lookups, per-class accounting, the lock that keeps two decisions from spending the same bytes, change notices.
import { describe, expect, it } from 'vitest';
import { GiB, storageClassView } from '@/lib/provisioning';
import { fitsInPool } from '@/lib/provisioning';
import { PoolSet } from './pools';
import { MemoryPool } from './testing';

const local = (ratio?: string) =>
  storageClassView({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'l' }, provisioner: 'local.kura.dev', parameters: ratio ? { 'kura.dev/overprovision-ratio': ratio } : {} });

function set() {
  const n1 = new MemoryPool('node-1', 10 * GiB);
  const n2 = new MemoryPool('node-2', 10 * GiB);
  const shared = new MemoryPool('shared', 20 * GiB);
  return { n1, n2, shared, pools: new PoolSet({ 'node-2': n2, 'node-1': n1 }, shared) };
}

describe('PoolSet', () => {
  it('finds pools by node, name and driver', () => {
    const { n1, shared, pools } = set();
    expect(pools.nodeNames()).toEqual(['node-1', 'node-2']);
    expect(pools.byName('shared')).toBe(shared);
    expect(pools.poolFor('local.kura.dev', 'node-1')).toBe(n1);
    expect(pools.poolFor('shared.kura.dev', undefined)).toBe(shared);
    expect(pools.poolFor('rbd.csi.ceph.com', 'node-1')).toBeUndefined();
    expect(pools.nodeOf(n1)).toBe('node-1');
    expect(pools.nodeOf(shared)).toBeUndefined();
  });

  it('accounts with the class\'s overprovision ratio, and gives an unhealthy pool no room', async () => {
    const { n1, n2, pools } = set();
    await n1.createVolume('a', 8 * GiB);
    expect(pools.usage(n1, local()).freeBytes).toBe(2 * GiB);
    expect(pools.usage(n1, local('2')).freeBytes).toBe(12 * GiB);
    n2.healthy = false;
    expect(pools.usage(n2, local()).freeBytes).toBe(0);
    expect(pools.classPools(local()).map((p) => p.node)).toEqual(['node-1']);
  });

  it('never lets two concurrent decisions spend the same free bytes', async () => {
    const { n1, pools } = set();
    n1.delayMs = 5;
    const sc = local();
    const tries = Array.from({ length: 20 }, (_, i) =>
      pools.withLock(n1, async () => {
        if (!fitsInPool(pools.usage(n1, sc), 1 * GiB)) return false;
        await n1.createVolume(`v${i}`, 1 * GiB);
        return true;
      }),
    );
    const made = (await Promise.all(tries)).filter(Boolean).length;
    expect(made).toBe(10);
    expect(n1.status().allocatedBytes).toBe(10 * GiB);
  });

  it('keeps the lock usable after a failure inside it', async () => {
    const { n1, pools } = set();
    await expect(pools.withLock(n1, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await pools.withLock(n1, async () => 'next')).toBe('next');
  });

  it('tells listeners what changed, and whether room may have appeared', async () => {
    const { n1, pools } = set();
    const seen: string[] = [];
    pools.onChange((c) => seen.push(`${c.pool}:${c.freed}`));
    await n1.createVolume('a', GiB);
    pools.check();
    await n1.deleteVolume('a');
    pools.check();
    pools.check();
    expect(seen).toEqual(['node-1:false', 'node-1:true']);
  });
});
