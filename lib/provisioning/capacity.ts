// Capacity accounting per pool (one node's pool of a class, or the shared
// pool): what is promised, what is written, what may still be promised, and
// whether a volume of a given size fits, on one node or across a class.
import { formatSize } from './bytes';

/** A pool as the node agent reports it. */
export interface StoragePool {
  /** Real size of the pool (disk space set aside for it). */
  capacityBytes: number;
  /** Bytes data actually occupies (thin volumes use less than they promise). */
  usedBytes: number;
}

export interface PoolUsage {
  capacityBytes: number;
  usedBytes: number;
  /** Sum of the requested sizes of the volumes provisioned in the pool. */
  allocatedBytes: number;
  overprovisionRatio: number;
  /** How much may be promised in all: capacity × ratio, rounded down. */
  promisableBytes: number;
  /** How much more may be promised: promisable − allocated (0 when the pool is full). */
  freeBytes: number;
  /** Data fills the pool: nothing new may go there, whatever the promises allow. */
  full: boolean;
}

/**
 * Accounts one pool. A thin pool promises volumes their full size but only
 * stores what they write, so it may promise capacity × overprovisionRatio.
 * Once data fills the real capacity nothing more fits: a new volume could
 * not take a single write.
 */
export function accountPool(pool: StoragePool, volumeSizes: readonly number[], overprovisionRatio = 1): PoolUsage {
  let allocatedBytes = 0;
  for (const size of volumeSizes) allocatedBytes += size;
  const ratio = Number.isFinite(overprovisionRatio) && overprovisionRatio >= 1 ? overprovisionRatio : 1;
  const promisableBytes = Math.floor(pool.capacityBytes * ratio);
  const full = pool.usedBytes >= pool.capacityBytes;
  const freeBytes = full ? 0 : Math.max(0, promisableBytes - allocatedBytes);
  return { capacityBytes: pool.capacityBytes, usedBytes: pool.usedBytes, allocatedBytes, overprovisionRatio: ratio, promisableBytes, freeBytes, full };
}

/** Whether a new volume of sizeBytes can be promised from the pool. */
export function fitsInPool(usage: Pick<PoolUsage, 'freeBytes'>, sizeBytes: number): boolean {
  return sizeBytes <= usage.freeBytes;
}

/** One pool of a class: node is null for the shared pool every node reaches. */
export interface ClassPool {
  node: string | null;
  usage: PoolUsage;
}

export interface ClassCapacitySummary {
  className: string;
  /** One pool for every node (node-local) or a single pool every node reaches (shared). */
  shared: boolean;
  pools: number;
  capacityBytes: number;
  allocatedBytes: number;
  usedBytes: number;
  freeBytes: number;
  /** The pool with the most free: a node-local volume must fit on ONE node. */
  largestFree: { node: string | null; bytes: number } | undefined;
}

/** Totals of a class across its pools, plus the largest single pool free. */
export function summarizeClass(className: string, pools: readonly ClassPool[]): ClassCapacitySummary {
  const summary: ClassCapacitySummary = {
    className,
    shared: pools.length > 0 && pools.every((p) => p.node === null),
    pools: pools.length,
    capacityBytes: 0,
    allocatedBytes: 0,
    usedBytes: 0,
    freeBytes: 0,
    largestFree: undefined,
  };
  for (const { node, usage } of pools) {
    summary.capacityBytes += usage.capacityBytes;
    summary.allocatedBytes += usage.allocatedBytes;
    summary.usedBytes += usage.usedBytes;
    summary.freeBytes += usage.freeBytes;
    const best = summary.largestFree;
    // Ties go to the first node by name, so the answer does not depend on input order.
    if (!best || usage.freeBytes > best.bytes || (usage.freeBytes === best.bytes && (node ?? '') < (best.node ?? ''))) {
      summary.largestFree = { node, bytes: usage.freeBytes };
    }
  }
  return summary;
}

export interface FitReport {
  fits: boolean;
  /** Nodes whose pool can take the volume, by name (empty for the shared pool). */
  nodes: string[];
  summary: ClassCapacitySummary;
  /** "fits on 2 of 3 nodes, 180 GiB free in kura-local (at most 120 GiB on one node)" */
  message: string;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Where a new volume of sizeBytes of a class would fit, with a sentence saying so. */
export function checkFit(className: string, pools: readonly ClassPool[], sizeBytes: number): FitReport {
  const summary = summarizeClass(className, pools);
  const size = formatSize(sizeBytes);
  if (pools.length === 0) {
    return { fits: false, nodes: [], summary, message: `no pool of ${className} exists, so ${size} cannot be placed` };
  }
  if (summary.shared) {
    const fits = pools.some((p) => fitsInPool(p.usage, sizeBytes));
    const free = formatSize(summary.largestFree?.bytes ?? 0);
    return { fits, nodes: [], summary, message: fits ? `fits: ${free} free in ${className}` : `does not fit: ${free} free in ${className}, needs ${size}` };
  }
  const nodes = pools
    .filter((p) => p.node !== null && fitsInPool(p.usage, sizeBytes))
    .map((p) => p.node as string)
    .sort();
  const largest = summary.largestFree;
  const where = largest?.node ? ` on ${largest.node}` : '';
  if (nodes.length === 0) {
    return {
      fits: false,
      nodes,
      summary,
      message: `fits on none of ${plural(pools.length, 'node')}: the most free in ${className} is ${formatSize(largest?.bytes ?? 0)}${where}, needs ${size}`,
    };
  }
  const most = nodes.length > 1 ? ` (at most ${formatSize(largest?.bytes ?? 0)} on one node)` : '';
  return {
    fits: true,
    nodes,
    summary,
    message: `fits on ${nodes.length} of ${plural(pools.length, 'node')}, ${formatSize(summary.freeBytes)} free in ${className}${most}`,
  };
}
