import { describe, expect, it } from 'vitest';
import { accountPool, type ClassPool, GiB } from '../provisioning';
import { fitSentence } from './fit';

const G = GiB;
const pool = (node: string | null, free: number): ClassPool => ({ node, usage: accountPool({ capacityBytes: free * G, usedBytes: 0 }, []) });
const local = [pool('node-1', 120), pool('node-2', 40), pool('node-3', 20)];

describe('fitSentence', () => {
  it.each<[string, ClassPool[] | undefined, number, string, string]>([
    ['fits on some nodes', local, 50, 'fits', 'Fits on 1 of 3 nodes, 180 GiB free in kura-local'],
    ['fits on two', local, 30, 'fits', 'Fits on 2 of 3 nodes, 180 GiB free in kura-local (at most 120 GiB on one node)'],
    ['too large', local, 200, 'no-room', 'Does not fit: the most any node has free in kura-local is 120 GiB (node-1), and the volume needs 200 GiB.'],
    ['shared and full', [pool(null, 10)], 20, 'no-room', 'Does not fit: kura-local has 10 GiB free, and the volume needs 20 GiB.'],
    ['nothing published', undefined, 1, 'unknown', 'kura-local publishes no capacity (no CSIStorageCapacity objects for it), so Kura cannot tell before it is made whether the volume fits.'],
  ])('%s', (_n, pools, size, kind, text) => {
    const s = fitSentence('kura-local', pools, size * G);
    expect(s.kind).toBe(kind);
    expect(s.text).toBe(text);
  });
});
