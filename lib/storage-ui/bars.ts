// A pool as a stacked bar: written, allocated but not written, free, and
// promised beyond the pool's real size (overprovisioned), with the exact
// figures for a tooltip. Only what is known is drawn.
import { formatSize } from '../provisioning';
import type { PoolFacts } from './capacity';

export type SegmentKind = 'used' | 'allocated' | 'free' | 'overprovisioned';

export interface BarSegment {
  kind: SegmentKind;
  bytes: number;
  /** Share of the bar, 0–1. */
  fraction: number;
}

export interface CapacityBar {
  /**
   * 'full': size and allocation known; 'allocated-only': no capacity
   * published; 'free-only': free known, allocation not visible to the user;
   * 'unknown': nothing to draw.
   */
  kind: 'full' | 'allocated-only' | 'free-only' | 'unknown';
  segments: BarSegment[];
  /** One line beside the bar: "60 GiB free of 100 GiB". */
  label: string;
  /** Every figure, one per line, for the tooltip. */
  details: string[];
}

export const SEGMENT_LABELS: Record<SegmentKind, string> = {
  used: 'Written',
  allocated: 'Allocated, not written',
  free: 'Free',
  overprovisioned: 'Overprovisioned',
};

function segments(parts: [SegmentKind, number][]): BarSegment[] {
  const total = parts.reduce((s, [, b]) => s + Math.max(0, b), 0);
  if (total <= 0) return [];
  return parts.filter(([, b]) => b > 0).map(([kind, bytes]) => ({ kind, bytes, fraction: bytes / total }));
}

/** The bar of one pool. */
export function capacityBar(p: PoolFacts): CapacityBar {
  const details: string[] = [];
  const volumes = p.volumes === undefined ? '' : ` in ${p.volumes} volume${p.volumes === 1 ? '' : 's'}`;
  if (p.capacityBytes !== undefined && p.allocatedBytes !== undefined) {
    const cap = p.capacityBytes;
    const alloc = p.allocatedBytes;
    const inside = Math.min(alloc, cap);
    const used = p.usedBytes === undefined ? 0 : Math.min(p.usedBytes, cap);
    const over = Math.max(0, alloc - cap);
    const unallocated = Math.max(0, cap - Math.max(inside, used));
    const parts: [SegmentKind, number][] = [
      ['used', used],
      ['allocated', Math.max(0, inside - used)],
      ['free', unallocated],
      ['overprovisioned', over],
    ];
    details.push(`Pool size: ${formatSize(cap)}${p.capacitySource === 'derived' ? ' (allocated + free to promise, over the overprovision ratio)' : ''}`);
    details.push(`Allocated to volumes: ${formatSize(alloc)}${volumes}`);
    if (p.usedBytes !== undefined) details.push(`Written: ${formatSize(p.usedBytes)}`);
    if (over > 0) details.push(`Overprovisioned: ${formatSize(over)} promised beyond the pool's size (ratio ${p.overprovisionRatio})`);
    if (p.freeBytes !== undefined) details.push(`Free to promise: ${formatSize(p.freeBytes)}`);
    if (p.maxVolumeBytes !== undefined) details.push(`Largest new volume: ${formatSize(p.maxVolumeBytes)}`);
    const free = p.freeBytes ?? unallocated;
    let label = `${formatSize(free)} free of ${formatSize(cap)}`;
    if (over > 0) label = `${formatSize(free)} free, ${formatSize(over)} overprovisioned, pool ${formatSize(cap)}`;
    else if (p.overprovisionRatio > 1) label = `${formatSize(free)} free to promise, pool ${formatSize(cap)} (×${p.overprovisionRatio})`;
    return { kind: 'full', segments: segments(parts), label, details };
  }
  if (p.allocatedBytes !== undefined) {
    details.push(`Allocated to volumes: ${formatSize(p.allocatedBytes)}${volumes}`);
    details.push('The driver publishes no capacity for this pool (no CSIStorageCapacity), so its size and free space are unknown.');
    return { kind: 'allocated-only', segments: segments([['allocated', p.allocatedBytes]]), label: `${formatSize(p.allocatedBytes)} allocated, capacity unknown`, details };
  }
  if (p.freeBytes !== undefined) {
    details.push(`Free to promise: ${formatSize(p.freeBytes)}`);
    if (p.maxVolumeBytes !== undefined) details.push(`Largest new volume: ${formatSize(p.maxVolumeBytes)}`);
    details.push('How much is allocated is not shown: you may not list PersistentVolumes.');
    return { kind: 'free-only', segments: segments([['free', p.freeBytes]]), label: `${formatSize(p.freeBytes)} free`, details };
  }
  return { kind: 'unknown', segments: [], label: 'capacity unknown', details: ['Nothing reports the size of this pool.'] };
}
