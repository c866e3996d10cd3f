// Scores, 0–10: TopoLVM's capacity score and a least-allocated CPU/memory
// score, and how the two combine. Shared by the fast and the plain paths so
// both compute bit-identical numbers.
import type { ScoreWeights } from './types';

const GIB = 2 ** 30;

/**
 * TopoLVM's capacityToScore: min(10, max(0, log2(free_GiB / divisor))) with
 * free rounded down to whole GiB and the logarithm truncated, as the Go code
 * does. Newer TopoLVM gives 1 to anything non-zero; Kura keeps the formula
 * its architecture names, so "less than the divisor free" scores 0.
 */
export function capacityToScore(freeBytes: number, divisor: number): number {
  const gib = Math.floor(freeBytes / GIB);
  if (!(gib > 0) || !(divisor > 0)) return 0;
  const converted = Math.trunc(Math.log2(gib / divisor));
  // <= catches -0 too (free just under the divisor), so the score is a plain 0.
  return converted <= 0 ? 0 : converted > 10 ? 10 : converted;
}

/**
 * kube-scheduler's LeastAllocated on a 0–10 scale: the share of CPU and of
 * memory left free after placing the request, averaged. A resource with no
 * allocatable amount scores 0.
 */
export function leastAllocatedScore(
  cpuFreeMillis: number,
  cpuMillis: number,
  cpuAllocatableMillis: number,
  memFreeBytes: number,
  memoryBytes: number,
  memAllocatableBytes: number,
): number {
  const cpu = cpuAllocatableMillis > 0 ? ((cpuFreeMillis - cpuMillis) / cpuAllocatableMillis) * 10 : 0;
  const mem = memAllocatableBytes > 0 ? ((memFreeBytes - memoryBytes) / memAllocatableBytes) * 10 : 0;
  return (cpu + mem) / 2;
}

/** The weighted mean of the two scores; storage is left out when the request provisions no node-local volume (null). */
export function combineScores(storageScore: number | null, resourceScore: number, weights: ScoreWeights): number {
  const ws = storageScore === null ? 0 : weights.storage;
  const total = ws + weights.resources;
  if (!(total > 0)) return 0;
  return (ws * (storageScore ?? 0) + weights.resources * resourceScore) / total;
}
