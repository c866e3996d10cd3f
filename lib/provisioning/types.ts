// Plain-data shapes of the storage objects these rules read. Only the fields
// the rules use, all optional and loosely typed: objects arrive straight from JSON.
import type { K8sObject, LabelSelector, StatusCause } from '../k8s';

export type AccessMode = 'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod';
export const ACCESS_MODES: readonly AccessMode[] = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
export type VolumeMode = 'Filesystem' | 'Block';
export const VOLUME_MODES: readonly VolumeMode[] = ['Filesystem', 'Block'];
export type ReclaimPolicy = 'Delete' | 'Retain' | 'Recycle';
export type VolumeBindingMode = 'Immediate' | 'WaitForFirstConsumer';

/** Quantities as the wire carries them ("10Gi", or a bare number). */
export type ResourceList = Record<string, string | number | undefined>;

export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
}

/** spec.dataSource / spec.dataSourceRef of a claim. */
export interface TypedObjectReference {
  apiGroup?: string | null;
  kind?: string;
  name?: string;
  namespace?: string | null;
}

export interface NodeSelectorRequirement {
  key: string;
  /** In, NotIn, Exists, DoesNotExist, Gt, Lt. */
  operator: string;
  values?: string[] | null;
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[] | null;
  matchFields?: NodeSelectorRequirement[] | null;
}

export interface VolumeNodeAffinity {
  required?: { nodeSelectorTerms?: NodeSelectorTerm[] | null } | null;
}

export interface PersistentVolumeClaim extends K8sObject {
  spec?: {
    accessModes?: string[] | null;
    selector?: LabelSelector | null;
    resources?: { requests?: ResourceList | null; limits?: ResourceList | null } | null;
    volumeName?: string;
    storageClassName?: string | null;
    volumeMode?: string | null;
    dataSource?: TypedObjectReference | null;
    dataSourceRef?: TypedObjectReference | null;
  };
  status?: { phase?: string; capacity?: ResourceList | null; accessModes?: string[] | null };
}

export interface PersistentVolume extends K8sObject {
  spec?: {
    capacity?: ResourceList | null;
    accessModes?: string[] | null;
    claimRef?: ObjectReference | null;
    persistentVolumeReclaimPolicy?: string;
    storageClassName?: string | null;
    volumeMode?: string | null;
    nodeAffinity?: VolumeNodeAffinity | null;
    csi?: { driver?: string; volumeHandle?: string } | null;
  };
  status?: { phase?: string; message?: string };
}

export interface StorageClass extends K8sObject {
  provisioner?: string;
  parameters?: Record<string, unknown> | null;
  reclaimPolicy?: string | null;
  volumeBindingMode?: string | null;
  allowVolumeExpansion?: boolean | null;
  mountOptions?: string[] | null;
}

/** A node as the placement rules see it: a name and its labels. */
export interface NodeInfo {
  name: string;
  labels?: Readonly<Record<string, string>> | null;
}

export type FieldErrorReason = 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueForbidden';

/**
 * A field error the API server can return as a Status cause unchanged
 * (message worded like kube-apiserver's), plus the same problem as one plain
 * sentence for a form (`detail`).
 */
export interface FieldError extends StatusCause {
  reason: FieldErrorReason;
  field: string;
  message: string;
  detail: string;
}

const TITLES: Record<FieldErrorReason, string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
};

/** Builds a FieldError the way field.Error prints: "Invalid value: \"x\": detail" (no value for Required/Forbidden). */
export function fieldError(reason: FieldErrorReason, field: string, value: unknown, detail: string): FieldError {
  const showValue = reason === 'FieldValueInvalid' || reason === 'FieldValueNotSupported';
  const printed = typeof value === 'string' ? JSON.stringify(value) : value === undefined ? 'null' : JSON.stringify(value);
  const message = `${TITLES[reason]}${showValue ? `: ${printed}` : ''}${detail ? `: ${detail}` : ''}`;
  return { reason, field, message, detail };
}
