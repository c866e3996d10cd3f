// Storage capacity per node and class as the console can see it through the
// Kubernetes API alone: free from CSIStorageCapacity (what the driver says it
// can still provision; else a node annotation, Kura's capacity.kura.dev/<class>
// or TopoLVM's), allocated from the PersistentVolumes on the node, and real
// size or written bytes from node annotations where a driver adds them.
// Any of these may be missing (another driver, or a user who may not read
// Nodes or PersistentVolumes); every figure says whether it is known.
import {
  getAnnotations,
  getCapacityClassName,
  getCapacityMaximumVolumeSize,
  getCapacityNodeTopology,
  getCapacityQuantity,
  getName,
  type K8sObject,
  type LabelSelector,
  matchesSelectorObject,
  SelectorError,
} from '../k8s';
import {
  type ClassPool,
  getVolumeClassName,
  NODE_TOPOLOGY_KEY,
  parseBytes,
  type PersistentVolume,
  pinnedNodeOf,
  type StorageClassView,
} from '../provisioning';

/** Node annotation (per class) with the real size of the node's pool of that class, as a quantity or bytes. */
export const POOL_CAPACITY_ANNOTATION_PREFIX = 'capacity.storage.kura.dev/';
/** Node annotation (per class) with the bytes data occupies in the node's pool of that class. */
export const POOL_USED_ANNOTATION_PREFIX = 'used.storage.kura.dev/';
/** Kura's embedded nodes' annotation with the free bytes of a node-local class (as TopoLVM's, per class). */
export const KURA_FREE_ANNOTATION_PREFIX = 'capacity.kura.dev/';
/** TopoLVM's node annotation with the free bytes of a device class. */
export const TOPOLVM_CAPACITY_ANNOTATION_PREFIX = 'capacity.topolvm.io/';
const TOPOLVM_DRIVER = 'topolvm.io';
const TOPOLVM_DEVICE_CLASS_PARAMETER = 'topolvm.io/device-class';
const TOPOLVM_DEFAULT_DEVICE_CLASS = '00default';
/** Labels that name a node in topology selectors, most specific first. */
const NODE_KEYS = [NODE_TOPOLOGY_KEY, 'kubernetes.io/hostname', 'topology.topolvm.io/node'];

export interface NodeRef {
  name: string;
  labels?: Readonly<Record<string, string>>;
  annotations?: Readonly<Record<string, string>>;
}

/** One pool (a node's, or one every node reaches) of one class, with what is known about it. */
export interface PoolFacts {
  className: string;
  /** The node whose pool this is; null for a pool every node reaches. */
  node: string | null;
  /** What new volumes may still take (CSIStorageCapacity, or a TopoLVM annotation); undefined when nobody says. */
  freeBytes?: number;
  /** The largest single volume the driver can make here, when it says. */
  maxVolumeBytes?: number;
  /** Sum of the sizes of the PersistentVolumes in the pool; undefined when volumes cannot be read. */
  allocatedBytes?: number;
  volumes?: number;
  /** Real size of the pool: a node annotation, or allocated + free over the class's overprovision ratio. */
  capacityBytes?: number;
  capacitySource?: 'annotation' | 'derived';
  /** Bytes written, from a node annotation only (the Kubernetes API has no field for it). */
  usedBytes?: number;
  overprovisionRatio: number;
}

export interface CapacityInput {
  classes: readonly StorageClassView[];
  /** CSIStorageCapacity objects (any namespace). */
  capacities: readonly K8sObject[];
  /** PersistentVolumes; undefined when the user may not list them. */
  volumes?: readonly PersistentVolume[];
  /** Nodes; undefined when the user may not list them. */
  nodes?: readonly NodeRef[];
}

const bytesOf = (q: string | undefined): number | undefined => (q === undefined ? undefined : parseBytes(q).bytes);

function isEmptySelector(s: LabelSelector): boolean {
  return !Object.keys(s.matchLabels ?? {}).length && !(s.matchExpressions ?? []).length;
}

function selects(selector: LabelSelector, node: NodeRef): boolean {
  try {
    return matchesSelectorObject(selector, node.labels ?? {});
  } catch (e) {
    if (e instanceof SelectorError) return false;
    throw e;
  }
}

/** The node a topology selector names, read from the selector alone (for users who may not list Nodes). */
export function nodeNamedBy(selector: LabelSelector): string | undefined {
  const labels = selector.matchLabels ?? {};
  for (const key of NODE_KEYS) if (labels[key]) return labels[key];
  for (const e of selector.matchExpressions ?? []) {
    if (NODE_KEYS.includes(e.key) && e.operator === 'In' && e.values?.length === 1) return e.values[0];
  }
  const entries = Object.entries(labels);
  return entries.length === 1 && !(selector.matchExpressions ?? []).length ? entries[0]![1] : undefined;
}

const keyOf = (className: string, node: string | null) => `${className}\u0000${node ?? ''}`;

/** Free bytes a node annotation gives for a class: Kura's per class, or TopoLVM's per device class. */
function annotatedFree(sc: StorageClassView, node: NodeRef): number | undefined {
  const kura = bytesOf(node.annotations?.[KURA_FREE_ANNOTATION_PREFIX + sc.name]);
  if (kura !== undefined || sc.provisioner !== TOPOLVM_DRIVER) return kura;
  const dc = sc.parameters[TOPOLVM_DEVICE_CLASS_PARAMETER] || TOPOLVM_DEFAULT_DEVICE_CLASS;
  return bytesOf(node.annotations?.[TOPOLVM_CAPACITY_ANNOTATION_PREFIX + dc]);
}

/**
 * Every pool the cluster tells about, by class then node. A class is shared
 * (one pool, node null) when its driver is Kura's shared one or its capacity
 * is reported for all nodes at once (an empty topology selector).
 */
export function collectPools({ classes, capacities, volumes, nodes }: CapacityInput): PoolFacts[] {
  const byClass = new Map(classes.map((c) => [c.name, c]));
  const pools = new Map<string, PoolFacts>();
  const pool = (sc: StorageClassView, node: string | null): PoolFacts => {
    const key = keyOf(sc.name, node);
    let p = pools.get(key);
    if (!p) {
      p = { className: sc.name, node, overprovisionRatio: sc.kura.overprovisionRatio };
      pools.set(key, p);
    }
    return p;
  };
  const sharedClass = (sc: StorageClassView) => sc.driver.known && sc.driver.locality === 'shared';

  for (const c of capacities) {
    const sc = byClass.get(getCapacityClassName(c));
    const topology = getCapacityNodeTopology(c);
    const free = bytesOf(getCapacityQuantity(c));
    if (!sc || !topology || free === undefined) continue; // no topology: reachable from no node
    const max = bytesOf(getCapacityMaximumVolumeSize(c));
    let where: (string | null)[];
    if (sharedClass(sc) || isEmptySelector(topology)) where = [null];
    else if (nodes) where = nodes.filter((n) => selects(topology, n)).map((n) => n.name);
    else where = [nodeNamedBy(topology)].filter((n): n is string => Boolean(n));
    for (const node of where) {
      const p = pool(sc, node);
      // Several reports for one pool: the scheduler takes any that fits, so the largest counts.
      if (p.freeBytes === undefined || free > p.freeBytes) p.freeBytes = free;
      if (max !== undefined && (p.maxVolumeBytes === undefined || max > p.maxVolumeBytes)) p.maxVolumeBytes = max;
    }
  }

  for (const n of nodes ?? []) {
    for (const sc of classes) {
      if (sharedClass(sc)) continue;
      const annotations = n.annotations ?? {};
      const capacity = bytesOf(annotations[POOL_CAPACITY_ANNOTATION_PREFIX + sc.name]);
      const used = bytesOf(annotations[POOL_USED_ANNOTATION_PREFIX + sc.name]);
      const free = annotatedFree(sc, n);
      if (capacity === undefined && used === undefined && free === undefined) continue;
      const p = pool(sc, n.name);
      if (capacity !== undefined) {
        p.capacityBytes = capacity;
        p.capacitySource = 'annotation';
      }
      if (used !== undefined) p.usedBytes = used;
      if (p.freeBytes === undefined && free !== undefined) p.freeBytes = free;
    }
  }

  if (volumes) {
    const counted = new Set<string>();
    for (const pv of volumes) {
      const sc = byClass.get(getVolumeClassName(pv));
      if (!sc) continue;
      const node = sharedClass(sc) ? null : (pinnedNodeOf(pv) ?? null);
      // A volume of a node-local class that is pinned nowhere is not in any node's pool we can show.
      if (node === null && !sharedClass(sc) && !pools.has(keyOf(sc.name, null))) continue;
      const p = pool(sc, node);
      p.allocatedBytes = (p.allocatedBytes ?? 0) + (bytesOf(pv.spec?.capacity?.storage as string | undefined) ?? 0);
      p.volumes = (p.volumes ?? 0) + 1;
      counted.add(keyOf(sc.name, node));
    }
    for (const [key, p] of pools) {
      if (!counted.has(key)) {
        p.allocatedBytes = 0;
        p.volumes = 0;
      }
    }
  }

  for (const p of pools.values()) {
    if (p.capacityBytes === undefined && p.freeBytes !== undefined && p.allocatedBytes !== undefined) {
      p.capacityBytes = Math.floor((p.allocatedBytes + p.freeBytes) / p.overprovisionRatio);
      p.capacitySource = 'derived';
    }
  }
  return [...pools.values()].sort((a, b) => a.className.localeCompare(b.className) || (a.node ?? '').localeCompare(b.node ?? '', undefined, { numeric: true }));
}

/** What may still be promised in a pool for one new volume (free, capped by the driver's largest volume). */
export function fitBytes(p: PoolFacts): number | undefined {
  if (p.freeBytes === undefined) return undefined;
  return p.maxVolumeBytes === undefined ? p.freeBytes : Math.min(p.freeBytes, p.maxVolumeBytes);
}

/** A pool as lib/provisioning's capacity rules take it; undefined when its free space is unknown. */
export function toClassPool(p: PoolFacts): ClassPool | undefined {
  const free = fitBytes(p);
  if (free === undefined) return undefined;
  const allocatedBytes = p.allocatedBytes ?? 0;
  const promisableBytes = allocatedBytes + (p.freeBytes ?? 0);
  return {
    node: p.node,
    usage: {
      capacityBytes: p.capacityBytes ?? promisableBytes,
      usedBytes: p.usedBytes ?? 0,
      allocatedBytes,
      overprovisionRatio: p.overprovisionRatio,
      promisableBytes,
      freeBytes: free,
      full: false,
    },
  };
}

/** Pools with known free space, by class name: the input of checkFit and explainPendingClaim (classes without any are left out). */
export function fitPoolsByClass(pools: readonly PoolFacts[]): Record<string, ClassPool[]> {
  const out: Record<string, ClassPool[]> = {};
  for (const p of pools) {
    const cp = toClassPool(p);
    if (!cp) continue;
    (out[p.className] ??= []).push(cp);
  }
  return out;
}

/** The pool a bound volume lives in: its node's pool of its class, or the class's shared pool. */
export function poolOfVolume(pools: readonly PoolFacts[], className: string, node: string | undefined): PoolFacts | undefined {
  return pools.find((p) => p.className === className && (p.node === null || p.node === node));
}

/** Nodes as the capacity rules need them, from Node objects. */
export function nodeRefs(nodes: readonly K8sObject[]): NodeRef[] {
  return nodes.map((n) => ({ name: getName(n), labels: n.metadata?.labels ?? {}, annotations: getAnnotations(n) }));
}
