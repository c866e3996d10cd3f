// Storage capacity in one sentence per class, for the Overview card:
// "kura-local 240 GiB free of 300 GiB; largest free on one node 100 GiB".
import { formatSize } from '../provisioning';
import type { PoolFacts } from './capacity';

export interface ClassCapacityLine {
  className: string;
  /** One pool every node reaches. */
  shared: boolean;
  pools: number;
  freeBytes: number;
  /** What may be promised in all (allocated + free), when every pool's allocation is known. */
  totalBytes?: number;
  overprovisionRatio: number;
  /** The node-local pool with the most free (a volume must fit on one node). */
  largestFree?: { node: string; bytes: number };
  text: string;
}

export interface StorageSummary {
  nodes: number;
  classes: ClassCapacityLine[];
  /** "3 nodes, kura-local 240 GiB free of 300 GiB; largest free on one node 100 GiB" */
  text: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Summarizes pools with known free space; nodeCount defaults to the distinct nodes that have pools. */
export function storageSummary(pools: readonly PoolFacts[], nodeCount?: number): StorageSummary {
  const byClass = new Map<string, PoolFacts[]>();
  for (const p of pools) {
    if (p.freeBytes === undefined) continue;
    byClass.set(p.className, [...(byClass.get(p.className) ?? []), p]);
  }
  const classes: ClassCapacityLine[] = [];
  for (const [className, ps] of byClass) {
    const shared = ps.every((p) => p.node === null);
    const freeBytes = ps.reduce((s, p) => s + (p.freeBytes ?? 0), 0);
    const known = ps.every((p) => p.allocatedBytes !== undefined);
    const totalBytes = known ? ps.reduce((s, p) => s + (p.allocatedBytes ?? 0) + (p.freeBytes ?? 0), 0) : undefined;
    let largestFree: ClassCapacityLine['largestFree'];
    for (const p of ps) {
      if (p.node === null) continue;
      const bytes = p.freeBytes ?? 0;
      if (!largestFree || bytes > largestFree.bytes) largestFree = { node: p.node, bytes };
    }
    const ratio = Math.max(...ps.map((p) => p.overprovisionRatio));
    let text = `${className} ${formatSize(freeBytes)} free${totalBytes !== undefined ? ` of ${formatSize(totalBytes)}` : ''}`;
    if (ratio > 1) text += ` (overprovisioned up to ${ratio}×)`;
    if (shared) text += ', shared by all nodes';
    else if (largestFree && ps.length > 1) text += `; largest free on one node ${formatSize(largestFree.bytes)}`;
    classes.push({ className, shared, pools: ps.length, freeBytes, totalBytes, overprovisionRatio: ratio, largestFree, text });
  }
  classes.sort((a, b) => a.className.localeCompare(b.className));
  const nodes = nodeCount ?? new Set(pools.map((p) => p.node).filter((n) => n !== null)).size;
  const text = classes.length ? `${plural(nodes, 'node')}, ${classes.map((c) => c.text).join('; ')}` : `${plural(nodes, 'node')}, no capacity published`;
  return { nodes, classes, text };
}
