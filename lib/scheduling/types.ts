// Inputs and outputs of VM placement: nodes with CPU, memory and storage
// pools per class; a request for CPU, memory and volumes.

/** A node as placement sees it. CPU in millicores, memory and storage in bytes. */
export interface SchedulingNode {
  name: string;
  /** The Ready condition is True. */
  ready: boolean;
  /** Not cordoned (spec.unschedulable is not true). */
  schedulable: boolean;
  labels?: Readonly<Record<string, string>>;
  cpu: { allocatableMillis: number; requestedMillis: number };
  memory: { allocatableBytes: number; requestedBytes: number };
  /**
   * This node's pool of each node-local class: free-to-promise bytes, as
   * lib/provisioning's accountPool computes them (a PoolUsage fits here).
   */
  storage: Readonly<Record<string, { readonly freeBytes: number }>>;
}

/**
 * How a class constrains placement: 'node' volumes live on one node's pool,
 * 'shared' ones in one pool all nodes reach, 'unknown' ones (another driver)
 * are not checked.
 */
export type ClassTopology = 'node' | 'shared' | 'unknown';

export interface SchedulingClass {
  topology: ClassTopology;
  /** TopoLVM's divisor for the capacity score (kura.dev/score-divisor). */
  scoreDivisor: number;
  /** Free-to-promise bytes of the shared pool ('shared' classes; undefined = not checked). */
  sharedFreeBytes?: number;
}

export interface VolumeRequest {
  /** The volume's name in the VM (or the claim's), for messages. */
  name: string;
  storageClassName: string;
  sizeBytes: number;
  /**
   * Absent: the volume is still to be provisioned. A string: it exists and its
   * data is on that node (a node-local PV: the VM must run there). null: it
   * exists and every node reaches it.
   */
  boundNode?: string | null;
}

export interface PlacementRequest {
  cpuMillis: number;
  memoryBytes: number;
  /** The VM's nodeSelector: every label must match. */
  nodeSelector?: Readonly<Record<string, string>>;
  volumes: readonly VolumeRequest[];
}

export interface ScoreWeights {
  /** Weight of the TopoLVM storage score. */
  storage: number;
  /** Weight of the CPU/memory least-allocated score. */
  resources: number;
}

export const DEFAULT_WEIGHTS: Readonly<ScoreWeights> = Object.freeze({ storage: 1, resources: 1 });

export interface PlacementOptions {
  weights?: ScoreWeights;
  /** How many ranked nodes to return (default 10). */
  limit?: number;
  /** How many rejected nodes to explain in words, by name (default all; 0 for controllers that only need the choice). */
  explain?: number;
}

export interface RankedNode {
  node: string;
  /** Combined score, 0–10. */
  score: number;
  /** TopoLVM score (integer 0–10), the minimum over the node-local classes the request provisions; null when it provisions none. */
  storageScore: number | null;
  /** CPU/memory headroom after placement, 0–10. */
  resourceScore: number;
}

export interface NodeRejection {
  node: string;
  reasons: string[];
  /** "node-2: 3 GiB free in kura-local, needs 20 GiB" */
  message: string;
}

/** How many nodes failed each check (a node can fail several). */
export interface RejectionCounts {
  notReady: number;
  unschedulable: number;
  nodeSelector: number;
  volumeNode: number;
  cpu: number;
  memory: number;
  storage: number;
}

export interface PlacementResult {
  /** The chosen node, or undefined when none fits. */
  node: string | undefined;
  /** One line on the choice, or on why there is none. */
  reason: string;
  ranked: RankedNode[];
  nodeCount: number;
  feasibleCount: number;
  rejectedBy: RejectionCounts;
  /** Rejected nodes in words, by name (at most options.explain of them). */
  rejections: NodeRejection[];
  /** Problems of the request itself, which no node can fix (unknown class, shared pool full, volumes on two nodes). */
  problems: string[];
}
