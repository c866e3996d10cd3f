// Selectors over PersistentVolume (v1) fields the console shows.
import type { K8sObject } from '../types';
import { getAnnotations } from './metadata';

interface VolumeFields {
  spec?: {
    capacity?: Record<string, string | number | undefined> | null;
    accessModes?: string[] | null;
    claimRef?: { namespace?: string; name?: string; uid?: string } | null;
    persistentVolumeReclaimPolicy?: string;
    volumeMode?: string | null;
    csi?: { driver?: string; volumeHandle?: string } | null;
  };
  status?: { phase?: string; message?: string; reason?: string };
}

const fields = (o: K8sObject | undefined): VolumeFields => (o ?? {}) as VolumeFields;

/** status.phase ('Pending' when none yet). */
export const getPvPhase = (pv: K8sObject | undefined): string => fields(pv).status?.phase || 'Pending';
/** Why the volume is Failed or Released, when the controller said. */
export const getPvStatusMessage = (pv: K8sObject | undefined): string | undefined => fields(pv).status?.message || fields(pv).status?.reason || undefined;
/** spec.capacity.storage as written ("10Gi"). */
export const getPvCapacityStorage = (pv: K8sObject | undefined): string | undefined => {
  const v = fields(pv).spec?.capacity?.storage;
  return v === undefined ? undefined : String(v);
};
/** spec.accessModes, never undefined. */
export const getPvAccessModes = (pv: K8sObject | undefined): string[] => fields(pv).spec?.accessModes ?? [];
/** The claim the volume is bound or reserved to ("namespace/name"), or undefined. */
export const getPvClaimRef = (pv: K8sObject | undefined): { namespace: string; name: string } | undefined => {
  const ref = fields(pv).spec?.claimRef;
  return ref?.name ? { namespace: ref.namespace ?? '', name: ref.name } : undefined;
};
/** spec.persistentVolumeReclaimPolicy (Kubernetes' default for a hand-made volume is Retain). */
export const getPvReclaimPolicy = (pv: K8sObject | undefined): string => fields(pv).spec?.persistentVolumeReclaimPolicy || 'Retain';
/** spec.volumeMode with its default, Filesystem. */
export const getPvVolumeMode = (pv: K8sObject | undefined): string => fields(pv).spec?.volumeMode || 'Filesystem';
/** The CSI driver that serves the volume, or the provisioner that made it. */
export const getPvDriver = (pv: K8sObject | undefined): string | undefined =>
  fields(pv).spec?.csi?.driver || getAnnotations(pv)['pv.kubernetes.io/provisioned-by'] || undefined;
