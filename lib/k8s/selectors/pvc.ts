// Selectors over PersistentVolumeClaim (v1) fields the console shows; the
// storage rules' own readers (class, request bytes) live in lib/provisioning.
import type { K8sObject } from '../types';
import { getAnnotations, getOwnerReferences } from './metadata';

interface ClaimFields {
  spec?: {
    volumeName?: string;
    resources?: { requests?: Record<string, string | number | undefined> | null } | null;
    dataSource?: { apiGroup?: string | null; kind?: string; name?: string } | null;
    dataSourceRef?: { apiGroup?: string | null; kind?: string; name?: string; namespace?: string | null } | null;
  };
  status?: {
    phase?: string;
    capacity?: Record<string, string | number | undefined> | null;
    conditions?: { type?: string; status?: string; message?: string }[] | null;
    allocatedResourceStatuses?: Record<string, string> | null;
  };
}

const fields = (o: K8sObject | undefined): ClaimFields => (o ?? {}) as ClaimFields;

/** Set by the scheduler on a WaitForFirstConsumer claim once its consumer has a node. */
export const PVC_SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';

/** status.phase, 'Pending' when the claim has none yet (as kubectl shows it). */
export const getPvcPhase = (pvc: K8sObject | undefined): string => fields(pvc).status?.phase || 'Pending';
/** spec.volumeName: the PersistentVolume the claim is (or will be) bound to. */
export const getPvcVolumeName = (pvc: K8sObject | undefined): string | undefined => fields(pvc).spec?.volumeName || undefined;
/** spec.resources.requests.storage as written ("10Gi"). */
export const getPvcRequestedStorage = (pvc: K8sObject | undefined): string | undefined => {
  const v = fields(pvc).spec?.resources?.requests?.storage;
  return v === undefined ? undefined : String(v);
};
/** status.capacity.storage: what the bound volume actually holds. */
export const getPvcActualStorage = (pvc: K8sObject | undefined): string | undefined => {
  const v = fields(pvc).status?.capacity?.storage;
  return v === undefined ? undefined : String(v);
};
/** The node the scheduler chose for the claim's consumer (selected-node annotation). */
export const getPvcSelectedNode = (pvc: K8sObject | undefined): string | undefined => getAnnotations(pvc)[PVC_SELECTED_NODE_ANNOTATION] || undefined;
/** Where the claim's data came from: spec.dataSourceRef, else spec.dataSource. */
export const getPvcDataSource = (pvc: K8sObject | undefined): { apiGroup?: string | null; kind?: string; name?: string } | undefined =>
  fields(pvc).spec?.dataSourceRef ?? fields(pvc).spec?.dataSource ?? undefined;
/** The DataVolume that owns the claim (CDI creates claims for DataVolumes), by name. */
export const getPvcOwningDataVolume = (pvc: K8sObject | undefined): string | undefined =>
  getOwnerReferences(pvc).find((r) => r.kind === 'DataVolume' && r.apiVersion.startsWith('cdi.kubevirt.io/'))?.name;
/** A resize under way: the Resizing/FileSystemResizePending condition, or a storage resize status, in words; undefined when none. */
export function getPvcResizeState(pvc: K8sObject | undefined): string | undefined {
  const status = fields(pvc).status;
  const condition = status?.conditions?.find((c) => (c.type === 'Resizing' || c.type === 'FileSystemResizePending') && c.status === 'True');
  if (condition) return condition.type === 'Resizing' ? 'Resizing the volume' : 'Waiting for the file system to grow (when a VM next uses the volume)';
  const state = status?.allocatedResourceStatuses?.storage;
  if (!state) return undefined;
  if (state.endsWith('InProgress')) return 'Resizing the volume';
  if (state.endsWith('Infeasible')) return 'The resize cannot be done';
  if (state === 'NodeResizePending') return 'Waiting for the file system to grow (when a VM next uses the volume)';
  return undefined;
}
