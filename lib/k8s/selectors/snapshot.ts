// Selectors over VolumeSnapshot (snapshot.storage.k8s.io/v1) fields.
import type { K8sObject } from '../types';

interface SnapshotFields {
  spec?: { source?: { persistentVolumeClaimName?: string; volumeSnapshotContentName?: string }; volumeSnapshotClassName?: string | null };
  status?: {
    readyToUse?: boolean;
    restoreSize?: string | number;
    boundVolumeSnapshotContentName?: string;
    creationTime?: string;
    error?: { message?: string; time?: string } | null;
  };
}

const fields = (o: K8sObject | undefined): SnapshotFields => (o ?? {}) as SnapshotFields;

/** The claim the snapshot is taken from (spec.source.persistentVolumeClaimName). */
export const getSnapshotSourceClaim = (vs: K8sObject | undefined): string | undefined => fields(vs).spec?.source?.persistentVolumeClaimName || undefined;
/** A pre-existing content the snapshot was imported from (spec.source.volumeSnapshotContentName). */
export const getSnapshotSourceContent = (vs: K8sObject | undefined): string | undefined => fields(vs).spec?.source?.volumeSnapshotContentName || undefined;
/** spec.volumeSnapshotClassName (undefined: the driver's default class). */
export const getSnapshotClassName = (vs: K8sObject | undefined): string | undefined => fields(vs).spec?.volumeSnapshotClassName || undefined;
/** status.readyToUse: the snapshot can be restored from. */
export const isSnapshotReady = (vs: K8sObject | undefined): boolean => fields(vs).status?.readyToUse === true;
/** status.restoreSize as written: the smallest claim it can be restored into. */
export const getSnapshotRestoreSize = (vs: K8sObject | undefined): string | undefined => {
  const v = fields(vs).status?.restoreSize;
  return v === undefined ? undefined : String(v);
};
/** status.boundVolumeSnapshotContentName: the cluster-scoped content holding the snapshot. */
export const getSnapshotContentName = (vs: K8sObject | undefined): string | undefined => fields(vs).status?.boundVolumeSnapshotContentName || undefined;
/** status.creationTime: when the storage took the snapshot (not when the object was made). */
export const getSnapshotCreationTime = (vs: K8sObject | undefined): string | undefined => fields(vs).status?.creationTime || undefined;
/** status.error.message: why taking the snapshot failed, when it did. */
export const getSnapshotError = (vs: K8sObject | undefined): string | undefined => fields(vs).status?.error?.message || undefined;
