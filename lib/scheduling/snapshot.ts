// A cluster compiled for fast placement: one typed array per node field and
// per node-local class (free bytes and the TopoLVM score, precomputed with the
// class's divisor), so a decision over thousands of nodes touches only numbers.
import { capacityToScore, leastAllocatedScore } from './score';
import type { SchedulingClass, SchedulingNode } from './types';

export const NOT_READY = 1;
export const UNSCHEDULABLE = 2;
export const NODE_SELECTOR = 4;
export const VOLUME_NODE = 8;
export const CPU = 16;
export const MEMORY = 32;
export const STORAGE = 64;
/** Rankings up to this long are kept in the snapshot's scratch arrays. */
export const SCRATCH_TOP = 64;

/** Treat as opaque: build with compileCluster, update with refreshNode / refreshSharedPool. */
export interface ClusterSnapshot {
  readonly nodeCount: number;
  readonly names: readonly string[];
  readonly classes: Record<string, SchedulingClass>;
  readonly index: ReadonlyMap<string, number>;
  /** Node indices in name order, and each node's position in it (the tie-break). */
  readonly byName: Int32Array;
  readonly rank: Int32Array;
  readonly flags: Uint8Array;
  readonly cpuFree: Float64Array;
  readonly cpuAllocatable: Float64Array;
  readonly memFree: Float64Array;
  readonly memAllocatable: Float64Array;
  /** Resource score for an empty request: no request scores higher, so it bounds what a node can reach. */
  readonly idleScore: Float64Array;
  readonly labels: (Readonly<Record<string, string>> | undefined)[];
  /** Each label key a node selector asked for, as one value per node (built on first use). */
  readonly labelColumns: Map<string, (string | undefined)[]>;
  /** Row of each node-local class in free/storageScore ([row * nodeCount + node]). */
  readonly classRow: ReadonlyMap<string, number>;
  /** Free-to-promise bytes; NaN where the node has no pool of the class. */
  readonly free: Float64Array;
  readonly storageScore: Float64Array;
  /** Scratch reused by every decision (single-threaded: no decision overlaps another). */
  readonly mask: Uint8Array;
  readonly needOffset: Int32Array;
  readonly needBytes: Float64Array;
  readonly topIndex: Int32Array;
  readonly topScore: Float64Array;
  /** Nodes by mask value (7 check bits). */
  readonly histogram: Int32Array;
}

function writeNode(s: ClusterSnapshot, i: number, node: SchedulingNode): void {
  s.flags[i] = (node.ready ? 0 : NOT_READY) | (node.schedulable ? 0 : UNSCHEDULABLE);
  s.cpuFree[i] = node.cpu.allocatableMillis - node.cpu.requestedMillis;
  s.cpuAllocatable[i] = node.cpu.allocatableMillis;
  s.memFree[i] = node.memory.allocatableBytes - node.memory.requestedBytes;
  s.memAllocatable[i] = node.memory.allocatableBytes;
  s.idleScore[i] = leastAllocatedScore(s.cpuFree[i] as number, 0, node.cpu.allocatableMillis, s.memFree[i] as number, 0, node.memory.allocatableBytes);
  s.labels[i] = node.labels;
  for (const [key, column] of s.labelColumns) column[i] = labelOf(node.labels, key);
  for (const [className, row] of s.classRow) {
    const pool = Object.hasOwn(node.storage, className) ? node.storage[className] : undefined;
    const at = row * s.nodeCount + i;
    s.free[at] = pool ? pool.freeBytes : NaN;
    s.storageScore[at] = pool ? capacityToScore(pool.freeBytes, s.classes[className]?.scoreDivisor ?? 1) : 0;
  }
}

function labelOf(labels: Readonly<Record<string, string>> | undefined, key: string): string | undefined {
  return labels && Object.hasOwn(labels, key) ? labels[key] : undefined;
}

/** The values of one label key across nodes, so a node selector compares strings in a flat array. */
export function labelColumn(s: ClusterSnapshot, key: string): readonly (string | undefined)[] {
  let column = s.labelColumns.get(key);
  if (!column) {
    column = Array.from(s.labels, (labels) => labelOf(labels, key));
    s.labelColumns.set(key, column);
  }
  return column;
}

/** Compiles nodes and classes once; each placeVm over the result is then a scan of typed arrays. */
export function compileCluster(nodes: readonly SchedulingNode[], classes: Readonly<Record<string, SchedulingClass>>): ClusterSnapshot {
  const n = nodes.length;
  const index = new Map<string, number>();
  nodes.forEach((node, i) => {
    if (index.has(node.name)) throw new Error(`node ${node.name} appears twice`);
    index.set(node.name, i);
  });
  const names = nodes.map((x) => x.name);
  const byName = Int32Array.from(names.keys()).sort((a, b) => {
    const [x, y] = [names[a] as string, names[b] as string];
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const rank = new Int32Array(n);
  byName.forEach((node, position) => void (rank[node] = position));
  const classRow = new Map<string, number>();
  for (const [name, cls] of Object.entries(classes)) if (cls.topology === 'node') classRow.set(name, classRow.size);
  const rows = classRow.size;
  const snapshot: ClusterSnapshot = {
    nodeCount: n,
    names,
    classes: { ...classes },
    index,
    byName,
    rank,
    flags: new Uint8Array(n),
    cpuFree: new Float64Array(n),
    cpuAllocatable: new Float64Array(n),
    memFree: new Float64Array(n),
    memAllocatable: new Float64Array(n),
    idleScore: new Float64Array(n),
    labels: new Array<Readonly<Record<string, string>> | undefined>(n),
    labelColumns: new Map(),
    classRow,
    free: new Float64Array(rows * n),
    storageScore: new Float64Array(rows * n),
    mask: new Uint8Array(n),
    needOffset: new Int32Array(rows),
    needBytes: new Float64Array(rows),
    topIndex: new Int32Array(SCRATCH_TOP),
    topScore: new Float64Array(SCRATCH_TOP),
    histogram: new Int32Array(128),
  };
  nodes.forEach((node, i) => writeNode(snapshot, i, node));
  return snapshot;
}

/** Replaces one node's state (after a placement or a capacity report), in O(classes). */
export function refreshNode(snapshot: ClusterSnapshot, node: SchedulingNode): void {
  const i = snapshot.index.get(node.name);
  if (i === undefined) throw new Error(`node ${node.name} is not in the snapshot; compile the cluster again`);
  writeNode(snapshot, i, node);
}

/** Updates the free bytes of a shared class's pool. */
export function refreshSharedPool(snapshot: ClusterSnapshot, className: string, freeBytes: number): void {
  const cls = snapshot.classes[className];
  if (!cls || cls.topology !== 'shared') throw new Error(`${className} is not a shared class of this snapshot`);
  snapshot.classes[className] = { ...cls, sharedFreeBytes: freeBytes };
}
