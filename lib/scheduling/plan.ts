// A placement request boiled down once per decision: what each node-local
// class must hold, which node the existing volumes pin the VM to, and what is
// wrong with the request whatever the node.
import { formatSize } from '../provisioning';
import type { PlacementRequest, SchedulingClass, ScoreWeights } from './types';

export interface ClassNeed {
  className: string;
  /** Sum of the sizes of the volumes of this class still to be provisioned. */
  bytes: number;
  scoreDivisor: number;
}

export interface RequestPlan {
  /** Problems no node can fix; when any, no node is evaluated. */
  problems: string[];
  /** Node-local classes the request provisions, in the order the volumes name them. */
  needs: ClassNeed[];
  /** The node existing node-local volumes live on, and the first such volume. */
  pinnedNode: string | undefined;
  pinnedBy: string | undefined;
  /** nodeSelector entries, sorted by key. */
  selector: [string, string][];
}

const validAmount = (n: number): boolean => Number.isFinite(n) && n >= 0;

/** Plans a request against the cluster's classes (by name). */
export function planRequest(request: PlacementRequest, classes: Readonly<Record<string, SchedulingClass>>, weights?: ScoreWeights): RequestPlan {
  const problems: string[] = [];
  if (weights && !(validAmount(weights.storage) && validAmount(weights.resources))) {
    problems.push(`score weights must be numbers of 0 or more (storage ${String(weights.storage)}, resources ${String(weights.resources)})`);
  }
  if (!validAmount(request.cpuMillis)) problems.push(`the CPU request ${String(request.cpuMillis)} is not an amount`);
  if (!validAmount(request.memoryBytes)) problems.push(`the memory request ${String(request.memoryBytes)} is not an amount`);
  const needs: ClassNeed[] = [];
  const shared = new Map<string, number>();
  let pinnedNode: string | undefined;
  let pinnedBy: string | undefined;
  for (const v of request.volumes) {
    if (typeof v.boundNode === 'string') {
      if (pinnedNode === undefined) [pinnedNode, pinnedBy] = [v.boundNode, v.name];
      else if (pinnedNode !== v.boundNode) {
        problems.push(`volumes ${pinnedBy ?? ''} and ${v.name} live on different nodes (${pinnedNode}, ${v.boundNode}), and no node can use both`);
      }
      continue;
    }
    if (v.boundNode === null) continue; // exists, every node reaches it
    if (!validAmount(v.sizeBytes)) {
      problems.push(`volume ${v.name}: size ${String(v.sizeBytes)} is not an amount`);
      continue;
    }
    const cls = Object.hasOwn(classes, v.storageClassName) ? classes[v.storageClassName] : undefined;
    if (!cls) {
      problems.push(`volume ${v.name}: no StorageClass named ${v.storageClassName}`);
    } else if (cls.topology === 'node') {
      const need = needs.find((n) => n.className === v.storageClassName);
      if (need) need.bytes += v.sizeBytes;
      else needs.push({ className: v.storageClassName, bytes: v.sizeBytes, scoreDivisor: cls.scoreDivisor });
    } else if (cls.topology === 'shared') {
      shared.set(v.storageClassName, (shared.get(v.storageClassName) ?? 0) + v.sizeBytes);
    }
  }
  for (const [className, bytes] of shared) {
    const free = classes[className]?.sharedFreeBytes;
    if (free !== undefined && bytes > free) problems.push(`${formatSize(free)} free in ${className}, needs ${formatSize(bytes)}`);
  }
  const selector = Object.entries(request.nodeSelector ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { problems, needs, pinnedNode, pinnedBy, selector };
}
