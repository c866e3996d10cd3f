// The plain placement path: each node checked and scored on its own, then
// filter and sort. It is the readable statement of the rules, what the
// console uses for a handful of nodes, and the oracle and baseline the fast
// path (place.ts) is tested and benchmarked against.
import {
  type ChoiceFacts,
  type MostFree,
  type RejectionCode,
  choiceReason,
  describeCpu,
  describeMemory,
  describeNotReady,
  describeSelector,
  describeStorage,
  describeUnschedulable,
  describeVolumeNode,
  emptyCounts,
  noFitReason,
  problemResult,
  rejection,
} from './explain';
import { type RequestPlan, planRequest } from './plan';
import { capacityToScore, combineScores, leastAllocatedScore } from './score';
import {
  DEFAULT_WEIGHTS,
  type PlacementOptions,
  type PlacementRequest,
  type PlacementResult,
  type RankedNode,
  type SchedulingClass,
  type SchedulingNode,
  type ScoreWeights,
} from './types';

export interface NodeEvaluation extends RankedNode {
  fits: boolean;
  /** The checks the node failed, in a fixed order, and the same in words. */
  codes: RejectionCode[];
  reasons: string[];
  /** The node-local class that set the storage score (the scarcest), if any. */
  scarcest: { className: string; freeBytes: number } | undefined;
}

/** Checks and scores one node for a planned request. */
export function evaluateNode(node: SchedulingNode, request: PlacementRequest, plan: RequestPlan, weights: ScoreWeights = DEFAULT_WEIGHTS): NodeEvaluation {
  const codes: RejectionCode[] = [];
  const reasons: string[] = [];
  const fail = (code: RejectionCode, reason: string): void => {
    if (!codes.includes(code)) codes.push(code);
    reasons.push(reason);
  };
  if (!node.ready) fail('notReady', describeNotReady());
  if (!node.schedulable) fail('unschedulable', describeUnschedulable());
  const labels = node.labels ?? {};
  if (plan.selector.some(([k, v]) => (Object.hasOwn(labels, k) ? labels[k] : undefined) !== v)) fail('nodeSelector', describeSelector(plan));
  if (plan.pinnedNode !== undefined && plan.pinnedNode !== node.name) fail('volumeNode', describeVolumeNode(plan));
  const cpuFree = node.cpu.allocatableMillis - node.cpu.requestedMillis;
  const memFree = node.memory.allocatableBytes - node.memory.requestedBytes;
  if (cpuFree < request.cpuMillis) fail('cpu', describeCpu(cpuFree, request.cpuMillis));
  if (memFree < request.memoryBytes) fail('memory', describeMemory(memFree, request.memoryBytes));

  let storageScore: number | null = null;
  let scarcest: NodeEvaluation['scarcest'];
  for (const need of plan.needs) {
    const pool = Object.hasOwn(node.storage, need.className) ? node.storage[need.className] : undefined;
    if (!pool || !(pool.freeBytes >= need.bytes)) {
      fail('storage', describeStorage(need, pool?.freeBytes));
      continue;
    }
    const s = capacityToScore(pool.freeBytes, need.scoreDivisor);
    if (storageScore === null || s < storageScore) {
      storageScore = s;
      scarcest = { className: need.className, freeBytes: pool.freeBytes };
    }
  }
  const fits = codes.length === 0;
  if (!fits) return { node: node.name, fits, codes, reasons, score: 0, storageScore: null, resourceScore: 0, scarcest: undefined };
  const resourceScore = leastAllocatedScore(
    cpuFree, request.cpuMillis, node.cpu.allocatableMillis, memFree, request.memoryBytes, node.memory.allocatableBytes,
  );
  const score = combineScores(storageScore, resourceScore, weights);
  return { node: node.name, fits, codes, reasons, score, storageScore, resourceScore, scarcest };
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Best first: higher score, then name. */
export function compareRanked(a: RankedNode, b: RankedNode): number {
  return b.score - a.score || byName(a.node, b.node);
}

/** The most free each needed class has on any node, for the "no node fits" line. */
function mostFreeOf(nodes: readonly SchedulingNode[], plan: RequestPlan): MostFree[] {
  return plan.needs.map((need) => {
    let best: MostFree = { need, node: undefined, bytes: NaN };
    for (const n of nodes) {
      const pool = Object.hasOwn(n.storage, need.className) ? n.storage[need.className] : undefined;
      if (!pool) continue;
      const better = best.node === undefined || pool.freeBytes > best.bytes || (pool.freeBytes === best.bytes && n.name < best.node);
      if (better) best = { need, node: n.name, bytes: pool.freeBytes };
    }
    return best;
  });
}

/**
 * Places a VM by checking every node, then sorting those that fit: the
 * straightforward way. Same result as placeVm on a compiled cluster.
 */
export function rankNodes(
  nodes: readonly SchedulingNode[],
  request: PlacementRequest,
  classes: Readonly<Record<string, SchedulingClass>>,
  options: PlacementOptions = {},
): PlacementResult {
  const weights = options.weights ?? DEFAULT_WEIGHTS;
  const plan = planRequest(request, classes, weights);
  if (plan.problems.length > 0) return problemResult(plan, nodes.length);
  const evaluations = nodes.map((n) => evaluateNode(n, request, plan, weights));
  const fitting = evaluations.filter((e) => e.fits).sort(compareRanked);
  const rejected = evaluations.filter((e) => !e.fits).sort((a, b) => byName(a.node, b.node));
  const rejectedBy = emptyCounts();
  for (const e of rejected) for (const code of e.codes) rejectedBy[code]++;
  const ranked = fitting.slice(0, options.limit ?? 10).map(({ node, score, storageScore, resourceScore }) => ({ node, score, storageScore, resourceScore }));
  const best = fitting[0];
  let reason: string;
  if (best) {
    const n = nodes.find((x) => x.name === best.node) as SchedulingNode;
    const facts: ChoiceFacts = {
      best: { node: best.node, score: best.score, storageScore: best.storageScore, resourceScore: best.resourceScore },
      cpuLeftMillis: n.cpu.allocatableMillis - n.cpu.requestedMillis - request.cpuMillis,
      memoryLeftBytes: n.memory.allocatableBytes - n.memory.requestedBytes - request.memoryBytes,
      storage: best.scarcest,
    };
    reason = choiceReason(facts, fitting.length, nodes.length, plan);
  } else {
    reason = noFitReason(rejectedBy, nodes.length, plan, mostFreeOf(nodes, plan));
  }
  return {
    node: best?.node,
    reason,
    ranked,
    nodeCount: nodes.length,
    feasibleCount: fitting.length,
    rejectedBy,
    rejections: rejected.slice(0, options.explain ?? Infinity).map((e) => rejection(e.node, e.reasons)),
    problems: [],
  };
}
