// The words of placement: why a node was refused, why one was chosen, why
// none fits. One source for both placement paths, so their output is equal.
import { formatSize } from '../provisioning';
import type { ClassNeed, RequestPlan } from './plan';
import type { NodeRejection, PlacementResult, RankedNode, RejectionCounts } from './types';

export type RejectionCode = keyof RejectionCounts;

/** "1.5" for 1500 millicores (never negative: an overcommitted node has nothing free). */
export function formatCpu(millis: number): string {
  return String(Math.round(Math.max(0, millis)) / 1000);
}

export const describeNotReady = (): string => 'not ready';
export const describeUnschedulable = (): string => 'cordoned (unschedulable)';
export const describeSelector = (plan: RequestPlan): string =>
  `labels do not match the node selector ${plan.selector.map(([k, v]) => `${k}=${v}`).join(',')}`;
export const describeVolumeNode = (plan: RequestPlan): string => `volume ${plan.pinnedBy ?? ''} is on ${plan.pinnedNode ?? ''}`;
export const describeCpu = (free: number, need: number): string => `${formatCpu(free)} CPU free, needs ${formatCpu(need)}`;
export const describeMemory = (free: number, need: number): string => `${formatSize(free)} memory free, needs ${formatSize(need)}`;
export const describeStorage = (need: ClassNeed, free: number | undefined): string =>
  free === undefined || Number.isNaN(free) ? `no ${need.className} pool` : `${formatSize(free)} free in ${need.className}, needs ${formatSize(need.bytes)}`;

export function emptyCounts(): RejectionCounts {
  return { notReady: 0, unschedulable: 0, nodeSelector: 0, volumeNode: 0, cpu: 0, memory: 0, storage: 0 };
}

export function rejection(node: string, reasons: string[]): NodeRejection {
  return { node, reasons, message: `${node}: ${reasons.join('; ')}` };
}

/** The most free any node has of a class the request provisions (first by name on ties). */
export interface MostFree {
  need: ClassNeed;
  node: string | undefined;
  bytes: number;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "No node fits: 1 node not ready, 2 short of CPU, 2 short of space in kura-local (the most free is 40 GiB on node-2, needs 50 GiB)." */
export function noFitReason(counts: RejectionCounts, nodeCount: number, plan: RequestPlan, mostFree: readonly MostFree[]): string {
  if (nodeCount === 0) return 'No node fits: the cluster has no nodes.';
  const parts: string[] = [];
  const add = (n: number, text: string): void => void (n > 0 && parts.push(`${n} ${text}`));
  add(counts.notReady, 'not ready');
  add(counts.unschedulable, 'cordoned');
  add(counts.nodeSelector, 'not matching the node selector');
  add(counts.volumeNode, `not holding volume ${plan.pinnedBy ?? ''} (it is on ${plan.pinnedNode ?? ''})`);
  add(counts.cpu, 'short of CPU');
  add(counts.memory, 'short of memory');
  if (counts.storage > 0) {
    const short = mostFree.filter((m) => m.bytes < m.need.bytes || Number.isNaN(m.bytes));
    const detail = short.map((m) =>
      m.node === undefined
        ? `no node has a ${m.need.className} pool`
        : `the most free in ${m.need.className} is ${formatSize(m.bytes)} on ${m.node}, needs ${formatSize(m.need.bytes)}`,
    );
    const names = plan.needs.map((n) => n.className).join(', ');
    parts.push(`${counts.storage} short of space in ${names}${detail.length ? ` (${detail.join('; ')})` : ''}`);
  }
  return `No node fits among ${plural(nodeCount, 'node')}: ${parts.join(', ')}.`;
}

/** Facts about the chosen node, for the one line that explains the choice. */
export interface ChoiceFacts {
  best: RankedNode;
  cpuLeftMillis: number;
  memoryLeftBytes: number;
  /** Free of the node-local class that set the storage score (the scarcest), if any. */
  storage: { className: string; freeBytes: number } | undefined;
}

/** "node-2, the best of 2 fitting nodes out of 3 (score 8.5 of 10): 480 GiB free in kura-local; 6 CPU and 20 GiB memory left after placement." */
export function choiceReason(facts: ChoiceFacts, feasible: number, nodeCount: number, plan: RequestPlan): string {
  const { best } = facts;
  const why = plan.pinnedNode !== undefined ? `where volume ${plan.pinnedBy ?? ''} lives` : `the best of ${feasible} fitting out of ${plural(nodeCount, 'node')}`;
  const storage = facts.storage ? `${formatSize(facts.storage.freeBytes)} free in ${facts.storage.className}; ` : '';
  const left = `${formatCpu(facts.cpuLeftMillis)} CPU and ${formatSize(facts.memoryLeftBytes)} memory left after placement`;
  return `${best.node}, ${why} (score ${best.score.toFixed(1)} of 10): ${storage}${left}.`;
}

/** The result of a request with problems: nothing evaluated, nothing chosen. */
export function problemResult(plan: RequestPlan, nodeCount: number): PlacementResult {
  return {
    node: undefined,
    reason: `No node fits: ${plan.problems.join('; ')}.`,
    ranked: [],
    nodeCount,
    feasibleCount: 0,
    rejectedBy: emptyCounts(),
    rejections: [],
    problems: plan.problems,
  };
}
