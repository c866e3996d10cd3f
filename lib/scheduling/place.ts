// The fast placement path over a compiled cluster: a few branch-free passes
// over typed arrays with no allocation per node, an exact bound that skips
// nodes which cannot make the top `limit`, and words built afterwards, only
// for the nodes asked about.
import {
  type ChoiceFacts,
  type MostFree,
  choiceReason,
  describeCpu,
  describeMemory,
  describeNotReady,
  describeSelector,
  describeStorage,
  describeUnschedulable,
  describeVolumeNode,
  noFitReason,
  problemResult,
  rejection,
} from './explain';
import { type ClassNeed, type RequestPlan, planRequest } from './plan';
import { combineScores, leastAllocatedScore } from './score';
import { CPU, type ClusterSnapshot, MEMORY, NODE_SELECTOR, NOT_READY, STORAGE, UNSCHEDULABLE, VOLUME_NODE, SCRATCH_TOP, labelColumn } from './snapshot';
import {
  DEFAULT_WEIGHTS,
  type NodeRejection,
  type PlacementOptions,
  type PlacementRequest,
  type PlacementResult,
  type RankedNode,
  type RejectionCounts,
  type ScoreWeights,
} from './types';

// Up to this many, the best nodes are kept by insertion; beyond, feasible nodes are sorted.
const INSERTION_LIMIT = SCRATCH_TOP;

function explainNode(s: ClusterSnapshot, i: number, request: PlacementRequest, plan: RequestPlan): NodeRejection {
  const m = s.mask[i] as number;
  const reasons: string[] = [];
  if (m & NOT_READY) reasons.push(describeNotReady());
  if (m & UNSCHEDULABLE) reasons.push(describeUnschedulable());
  if (m & NODE_SELECTOR) reasons.push(describeSelector(plan));
  if (m & VOLUME_NODE) reasons.push(describeVolumeNode(plan));
  if (m & CPU) reasons.push(describeCpu(s.cpuFree[i] as number, request.cpuMillis));
  if (m & MEMORY) reasons.push(describeMemory(s.memFree[i] as number, request.memoryBytes));
  if (m & STORAGE) {
    for (const need of plan.needs) {
      const free = s.free[(s.classRow.get(need.className) as number) * s.nodeCount + i] as number;
      if (!(free >= need.bytes)) reasons.push(describeStorage(need, free));
    }
  }
  return rejection(s.names[i] as string, reasons);
}

function ranked(s: ClusterSnapshot, i: number, score: number, request: PlacementRequest, needCount: number): RankedNode {
  let storageScore: number | null = null;
  for (let j = 0; j < needCount; j++) {
    const v = s.storageScore[(s.needOffset[j] as number) + i] as number;
    if (storageScore === null || v < storageScore) storageScore = v;
  }
  const resourceScore = leastAllocatedScore(
    s.cpuFree[i] as number, request.cpuMillis, s.cpuAllocatable[i] as number, s.memFree[i] as number, request.memoryBytes, s.memAllocatable[i] as number,
  );
  return { node: s.names[i] as string, score, storageScore, resourceScore };
}

function mostFree(s: ClusterSnapshot, plan: RequestPlan): MostFree[] {
  return plan.needs.map((need, j) => {
    const offset = s.needOffset[j] as number;
    let best: MostFree = { need, node: undefined, bytes: NaN };
    for (let p = 0; p < s.nodeCount; p++) {
      const i = s.byName[p] as number;
      const free = s.free[offset + i] as number;
      if (!Number.isNaN(free) && (best.node === undefined || free > best.bytes)) best = { need, node: s.names[i], bytes: free };
    }
    return best;
  });
}

/**
 * The hot path, in a function of its own with no closures over its locals
 * (V8 then keeps the typed arrays in registers). Filtering runs as simple
 * column passes over s.mask, branch-free; a histogram of mask values then
 * gives every count at once; only nodes that pass are scored. The best `keep`
 * go to topIndex/topScore (all feasible ones, unsorted, when not `insertion`).
 * Returns how many were kept; hist[m] counts nodes by mask (hist[0]: feasible).
 */
function scan(
  s: ClusterSnapshot,
  request: PlacementRequest,
  plan: RequestPlan,
  weights: ScoreWeights,
  keep: number,
  insertion: boolean,
  topIndex: Int32Array,
  topScore: Float64Array,
  hist: Int32Array,
): number {
  const n = s.nodeCount;
  const { needOffset, needBytes, flags, cpuFree, memFree, cpuAllocatable, memAllocatable, idleScore, free, storageScore, rank, mask } = s;
  const needCount = plan.needs.length;
  const cpu = request.cpuMillis;
  const mem = request.memoryBytes;

  if (needCount === 0) {
    for (let i = 0; i < n; i++) mask[i] = (flags[i] as number) | (+((cpuFree[i] as number) < cpu) << 4) | (+((memFree[i] as number) < mem) << 5);
  } else {
    // The first class's room is checked in the same pass (most requests provision one class).
    const offset = needOffset[0] as number;
    const need = needBytes[0] as number;
    for (let i = 0; i < n; i++) {
      mask[i] =
        (flags[i] as number) |
        (+((cpuFree[i] as number) < cpu) << 4) |
        (+((memFree[i] as number) < mem) << 5) |
        // A missing pool is NaN, and NaN >= need is false: no pool, no room.
        (+!((free[offset + i] as number) >= need) << 6);
    }
  }
  for (let j = 1; j < needCount; j++) {
    const offset = needOffset[j] as number;
    const need = needBytes[j] as number;
    for (let i = 0; i < n; i++) mask[i] = (mask[i] as number) | (+!((free[offset + i] as number) >= need) << 6);
  }
  if (plan.pinnedNode !== undefined) {
    const pinned = s.index.get(plan.pinnedNode) ?? -1; // a node the cluster lacks: every node fails
    for (let i = 0; i < n; i++) mask[i] = (mask[i] as number) | VOLUME_NODE;
    if (pinned >= 0) mask[pinned] = (mask[pinned] as number) & ~VOLUME_NODE;
  }
  for (const [key, value] of plan.selector) {
    const column = labelColumn(s, key);
    for (let i = 0; i < n; i++) if (column[i] !== value) mask[i] = (mask[i] as number) | NODE_SELECTOR;
  }
  // Pruning: once `keep` nodes are held, a node whose best possible weighted
  // sum (storage score plus its idle resource score, which no request beats)
  // is below the worst held one's cannot enter. Every step of the real score
  // is monotone in IEEE arithmetic too, so the bound is exact; the margin
  // absorbs the final division's rounding, and ties are always scored.
  const ws = needCount > 0 ? weights.storage : 0;
  const wr = weights.resources;
  const wt = ws + wr;
  let cut = -Infinity;
  let count = 0;
  let feasible = 0;
  hist.fill(0);
  for (let i = 0; i < n; i++) {
    const m = mask[i] as number;
    if (m !== 0) {
      hist[m] = (hist[m] as number) + 1;
      continue;
    }
    feasible++;
    let st = -1;
    for (let j = 0; j < needCount; j++) {
      const v = storageScore[(needOffset[j] as number) + i] as number;
      if (st < 0 || v < st) st = v;
    }
    if (ws * st + wr * (idleScore[i] as number) < cut) continue;
    const r = leastAllocatedScore(cpuFree[i] as number, cpu, cpuAllocatable[i] as number, memFree[i] as number, mem, memAllocatable[i] as number);
    const total = combineScores(st < 0 ? null : st, r, weights);
    if (!insertion) {
      topIndex[count] = i;
      topScore[count++] = total;
      continue;
    }
    const ri = rank[i] as number;
    let pos: number;
    if (count < keep) pos = count++;
    else {
      const w = keep - 1;
      const worst = topScore[w] as number;
      if (!(total > worst || (total === worst && ri < (rank[topIndex[w] as number] as number)))) continue;
      pos = w;
    }
    while (pos > 0) {
      const ps = topScore[pos - 1] as number;
      const pi = topIndex[pos - 1] as number;
      if (!(total > ps || (total === ps && ri < (rank[pi] as number)))) break;
      topScore[pos] = ps;
      topIndex[pos] = pi;
      pos--;
    }
    topScore[pos] = total;
    topIndex[pos] = i;
    if (count === keep) cut = (topScore[keep - 1] as number) * wt * (1 - 1e-12) - 1e-12;
  }
  hist[0] = feasible;
  return count;
}

/** Per-check counts from the histogram of mask values (a node failing several checks counts in each). */
function countRejections(hist: Int32Array): RejectionCounts {
  const c: RejectionCounts = { notReady: 0, unschedulable: 0, nodeSelector: 0, volumeNode: 0, cpu: 0, memory: 0, storage: 0 };
  for (let m = 1; m < hist.length; m++) {
    const k = hist[m] as number;
    if (k === 0) continue;
    if (m & NOT_READY) c.notReady += k;
    if (m & UNSCHEDULABLE) c.unschedulable += k;
    if (m & NODE_SELECTOR) c.nodeSelector += k;
    if (m & VOLUME_NODE) c.volumeNode += k;
    if (m & CPU) c.cpu += k;
    if (m & MEMORY) c.memory += k;
    if (m & STORAGE) c.storage += k;
  }
  return c;
}

/** What the chosen node has left, for the line that explains the choice. */
function choiceFacts(s: ClusterSnapshot, best: RankedNode, request: PlacementRequest, plan: RequestPlan): ChoiceFacts {
  const i = s.index.get(best.node) as number;
  let storage: ChoiceFacts['storage'];
  let lowest = Infinity;
  for (let j = 0; j < plan.needs.length; j++) {
    const at = (s.needOffset[j] as number) + i;
    const score = s.storageScore[at] as number;
    if (score < lowest) {
      lowest = score;
      storage = { className: (plan.needs[j] as ClassNeed).className, freeBytes: s.free[at] as number };
    }
  }
  return { best, cpuLeftMillis: (s.cpuFree[i] as number) - request.cpuMillis, memoryLeftBytes: (s.memFree[i] as number) - request.memoryBytes, storage };
}

/** Places a VM on a compiled cluster. Same result as rankNodes over the same nodes, much faster. */
export function placeVm(s: ClusterSnapshot, request: PlacementRequest, options: PlacementOptions = {}): PlacementResult {
  const n = s.nodeCount;
  const weights = options.weights ?? DEFAULT_WEIGHTS;
  const plan = planRequest(request, s.classes, weights);
  if (plan.problems.length > 0) return problemResult(plan, n);
  const limit = Math.min(n, Math.max(0, options.limit ?? 10));
  // The best node is tracked even when no ranking is asked for (limit 0): it is the choice.
  const keep = Math.max(1, limit);
  plan.needs.forEach((need, j) => {
    s.needOffset[j] = (s.classRow.get(need.className) as number) * n;
    s.needBytes[j] = need.bytes;
  });
  const insertion = keep <= INSERTION_LIMIT;
  // The usual small ranking reuses the snapshot's scratch; a long one gets its own arrays.
  const topIndex = insertion ? s.topIndex : new Int32Array(n);
  const topScore = insertion ? s.topScore : new Float64Array(n);
  const hist = s.histogram;
  const kept = scan(s, request, plan, weights, keep, insertion, topIndex, topScore, hist);
  const feasible = hist[0] as number;

  const order = Array.from({ length: kept }, (_, k) => k);
  if (!insertion) {
    order.sort((a, b) => (topScore[b] as number) - (topScore[a] as number) || (s.rank[topIndex[a] as number] as number) - (s.rank[topIndex[b] as number] as number));
    order.length = Math.min(order.length, keep);
  }
  const rankedNodes = order.map((k) => ranked(s, topIndex[k] as number, topScore[k] as number, request, plan.needs.length));
  const best = rankedNodes[0];
  rankedNodes.length = Math.min(rankedNodes.length, limit);
  const rejectedBy = countRejections(hist);

  const rejections: NodeRejection[] = [];
  const explain = options.explain ?? Infinity;
  for (let p = 0; p < n && rejections.length < explain && feasible < n; p++) {
    const i = s.byName[p] as number;
    if (s.mask[i] !== 0) rejections.push(explainNode(s, i, request, plan));
  }
  const reason = best ? choiceReason(choiceFacts(s, best, request, plan), feasible, n, plan) : noFitReason(rejectedBy, n, plan, mostFree(s, plan));
  return { node: best?.node, reason, ranked: rankedNodes, nodeCount: n, feasibleCount: feasible, rejectedBy, rejections, problems: [] };
}
