// Selectors over Node (v1) fields the console shows.
import type { K8sObject } from '../types';
import { getLabels } from './metadata';

interface NodeFields {
  spec?: { unschedulable?: boolean };
  status?: {
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[] | null;
    capacity?: Record<string, string | undefined> | null;
    allocatable?: Record<string, string | undefined> | null;
    nodeInfo?: { kubeletVersion?: string } | null;
  };
}

const fields = (o: K8sObject | undefined): NodeFields => (o ?? {}) as NodeFields;
const ROLE_PREFIX = 'node-role.kubernetes.io/';

/** The Ready condition's status: 'True', 'False' or 'Unknown' (also when the node reports none). */
export const getNodeReadyStatus = (node: K8sObject | undefined): 'True' | 'False' | 'Unknown' => {
  const s = fields(node).status?.conditions?.find((c) => c.type === 'Ready')?.status;
  return s === 'True' || s === 'False' ? s : 'Unknown';
};
/** Reason and message of the Ready condition, for a tooltip. */
export const getNodeReadyMessage = (node: K8sObject | undefined): string | undefined => {
  const c = fields(node).status?.conditions?.find((x) => x.type === 'Ready');
  return [c?.reason, c?.message].filter(Boolean).join(': ') || undefined;
};
/** False when the node is cordoned (spec.unschedulable). */
export const isNodeSchedulable = (node: K8sObject | undefined): boolean => fields(node).spec?.unschedulable !== true;
/** Roles from node-role.kubernetes.io/<role> labels (and the older kubernetes.io/role), sorted. */
export const getNodeRoles = (node: K8sObject | undefined): string[] => {
  const labels = getLabels(node);
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort();
};
/** status.allocatable cpu and memory as written ("4", "16Gi"): what workloads may request. */
export const getNodeAllocatable = (node: K8sObject | undefined): { cpu?: string; memory?: string } => {
  const a = fields(node).status?.allocatable ?? {};
  return { cpu: a.cpu, memory: a.memory };
};
/** status.capacity cpu and memory as written: the machine's total. */
export const getNodeCapacity = (node: K8sObject | undefined): { cpu?: string; memory?: string } => {
  const c = fields(node).status?.capacity ?? {};
  return { cpu: c.cpu, memory: c.memory };
};
