// Builders and a seeded generator for the tests of lib/scheduling (not exported from index.ts).
import type { PlacementRequest, SchedulingClass, SchedulingNode, VolumeRequest } from './types';

export const GiB = 2 ** 30;

export const CLASSES: Record<string, SchedulingClass> = {
  'kura-local': { topology: 'node', scoreDivisor: 1 },
  'kura-fast': { topology: 'node', scoreDivisor: 10 },
  'kura-shared': { topology: 'shared', scoreDivisor: 1, sharedFreeBytes: 500 * GiB },
  ceph: { topology: 'unknown', scoreDivisor: 1 },
};

export function makeNode(name: string, over: Partial<SchedulingNode> & { freeGiB?: number; cpuFree?: number; memFreeGiB?: number } = {}): SchedulingNode {
  const { freeGiB = 100, cpuFree = 8000, memFreeGiB = 32, ...rest } = over;
  return {
    name,
    ready: true,
    schedulable: true,
    labels: { 'topology.kura.dev/node': name },
    cpu: { allocatableMillis: 8000, requestedMillis: 8000 - cpuFree },
    memory: { allocatableBytes: 32 * GiB, requestedBytes: (32 - memFreeGiB) * GiB },
    storage: { 'kura-local': { freeBytes: freeGiB * GiB } },
    ...rest,
  };
}

export function makeRequest(volumes: VolumeRequest[] = [], over: Partial<PlacementRequest> = {}): PlacementRequest {
  return { cpuMillis: 2000, memoryBytes: 4 * GiB, volumes, ...over };
}

export const volume = (name: string, sizeGiB: number, storageClassName = 'kura-local', boundNode?: string | null): VolumeRequest => ({
  name,
  storageClassName,
  sizeBytes: sizeGiB * GiB,
  boundNode,
});

/** mulberry32: a small deterministic PRNG, so a failing case can be replayed by its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** A varied cluster: some nodes down or cordoned, pools missing, many equal frees (ties). */
export function randomNodes(r: () => number, count: number): SchedulingNode[] {
  return Array.from({ length: count }, (_, i) => {
    const cpuAlloc = pick(r, [4000, 8000, 16000, 64000]);
    const memAlloc = pick(r, [16, 64, 256]) * GiB;
    const storage: Record<string, { freeBytes: number }> = {};
    if (r() < 0.9) storage['kura-local'] = { freeBytes: Math.floor(pick(r, [0, 0.5, 1, 3, 20, 100, 500, 2048, r() * 4096]) * GiB) };
    if (r() < 0.5) storage['kura-fast'] = { freeBytes: Math.floor(pick(r, [5, 50, 200, r() * 1024]) * GiB) };
    return {
      name: `node-${String(Math.floor(r() * 1e6)).padStart(6, '0')}-${i}`,
      ready: r() < 0.92,
      schedulable: r() < 0.95,
      labels: { zone: pick(r, ['a', 'b', 'c']), ...(r() < 0.3 ? { disk: 'ssd' } : {}) },
      cpu: { allocatableMillis: cpuAlloc, requestedMillis: Math.floor(r() * cpuAlloc * 1.05) },
      memory: { allocatableBytes: memAlloc, requestedBytes: Math.floor(r() * memAlloc) },
      storage,
    };
  });
}

export function randomRequest(r: () => number, nodes: readonly SchedulingNode[]): PlacementRequest {
  const volumes: VolumeRequest[] = [];
  const count = Math.floor(r() * 4);
  for (let v = 0; v < count; v++) {
    const roll = r();
    const boundNode = roll < 0.08 ? (nodes.length && r() < 0.9 ? pick(r, nodes).name : 'node-gone') : roll < 0.15 ? null : undefined;
    volumes.push({ name: `disk${v}`, storageClassName: pick(r, ['kura-local', 'kura-local', 'kura-fast', 'kura-shared', 'ceph']), sizeBytes: pick(r, [1, 10, 50, 200, 1000]) * GiB, boundNode });
  }
  const nodeSelector: Record<string, string> | undefined = r() < 0.2 ? { zone: pick(r, ['a', 'b']) } : r() < 0.1 ? { zone: 'a', disk: 'ssd' } : undefined;
  return { cpuMillis: pick(r, [0, 250, 1000, 2000, 8000]), memoryBytes: pick(r, [0, 1, 4, 16, 64]) * GiB, nodeSelector, volumes };
}
