// Plain-data shapes of CDI's cdi.kubevirt.io/v1beta1 objects as the rules in
// lib/cdi read them: only the fields used, all optional and loosely typed,
// because objects arrive straight from JSON (a form, the API server, a real
// cluster). Field names are the API's own.
import type { K8sObject, StatusCause } from '../k8s';
import type { FieldErrorReason, ResourceList, TypedObjectReference } from '../provisioning';

export const CDI_GROUP = 'cdi.kubevirt.io';
export const CDI_VERSION = 'v1beta1';

/** Present (any value, even "") on a DataVolume: do not wait for a consumer on a WaitForFirstConsumer class. */
export const ANN_IMMEDIATE_BINDING = 'cdi.kubevirt.io/storage.bind.immediate.requested';
/**
 * Opt-out/opt-in of garbage collection of succeeded DataVolumes. CDI removed
 * that garbage collection in v1.62 (dataVolumeTTLSeconds is gone), and Kura
 * does not model it: a succeeded DataVolume stays until someone deletes it.
 * The name is kept so the console can say the annotation has no effect.
 */
export const ANN_DELETE_AFTER_COMPLETION = 'cdi.kubevirt.io/storage.deleteAfterCompletion';
/** On a StorageProfile: the smallest claim its provisioner makes; smaller requests are raised to it. */
export const ANN_MINIMUM_SUPPORTED_PVC_SIZE = 'cdi.kubevirt.io/minimumSupportedPvcSize';
/** On a PersistentVolumeClaim: the node the scheduler picked for its first consumer. */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';

export interface DataVolumeSourceHTTP {
  url?: string;
  secretRef?: string;
  certConfigMap?: string;
  extraHeaders?: string[] | null;
  secretExtraHeaders?: string[] | null;
}

export interface DataVolumeSourceS3 {
  url?: string;
  secretRef?: string;
  certConfigMap?: string;
}

export interface DataVolumeSourceRegistry {
  url?: string;
  imageStream?: string;
  secretRef?: string;
  certConfigMap?: string;
  pullMethod?: string;
}

export interface DataVolumeSourceObjectRef {
  namespace?: string;
  name?: string;
}

/** spec.source: exactly one member is set. */
export interface DataVolumeSource {
  http?: DataVolumeSourceHTTP | null;
  s3?: DataVolumeSourceS3 | null;
  registry?: DataVolumeSourceRegistry | null;
  upload?: object | null;
  pvc?: DataVolumeSourceObjectRef | null;
  snapshot?: DataVolumeSourceObjectRef | null;
  blank?: object | null;
  /** Real CDI also imports from these; Kura's embedded CDI does not. */
  gcs?: { url?: string; secretRef?: string } | null;
  imageio?: object | null;
  vddk?: object | null;
}

/** spec.sourceRef: a DataSource (the only kind CDI supports). */
export interface DataVolumeSourceRef {
  kind?: string;
  name?: string;
  namespace?: string;
}

/** The claim fields spec.pvc and spec.storage share. */
export interface ClaimSpecFields {
  accessModes?: string[] | null;
  volumeMode?: string | null;
  storageClassName?: string | null;
  resources?: { requests?: ResourceList | null; limits?: ResourceList | null } | null;
  selector?: unknown;
  volumeName?: string;
  dataSource?: TypedObjectReference | null;
  dataSourceRef?: TypedObjectReference | null;
}

/** spec.storage: CDI's preferred API; size, access modes, volume mode and class may be left to CDI. */
export type StorageSpec = ClaimSpecFields;
/** spec.pvc: a PersistentVolumeClaim spec used exactly as written. */
export type PvcSpec = ClaimSpecFields;

export type DataVolumeContentType = 'kubevirt' | 'archive';

export interface DataVolumeSpec {
  source?: DataVolumeSource | null;
  sourceRef?: DataVolumeSourceRef | null;
  storage?: StorageSpec | null;
  pvc?: PvcSpec | null;
  contentType?: string;
  preallocation?: boolean;
  priorityClassName?: string;
}

/** CDI's DataVolume phases (status.phase). */
export type DataVolumePhase =
  | ''
  | 'Pending'
  | 'PVCBound'
  | 'ImportScheduled'
  | 'ImportInProgress'
  | 'UploadScheduled'
  | 'UploadReady'
  | 'CloneScheduled'
  | 'CloneInProgress'
  | 'SnapshotForSmartCloneInProgress'
  | 'CSICloneInProgress'
  | 'WaitForFirstConsumer'
  | 'PendingPopulation'
  | 'Paused'
  | 'Succeeded'
  | 'Failed'
  | 'Unknown';

export type DataVolumeConditionType = 'Bound' | 'Ready' | 'Running';
export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface DataVolumeCondition {
  type: DataVolumeConditionType | string;
  status: ConditionStatus | string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
}

export interface DataVolumeStatus {
  phase?: DataVolumePhase | string;
  /** "47.13%", "100.0%" when done, "N/A" when unknown. */
  progress?: string;
  restartCount?: number;
  claimName?: string;
  conditions?: DataVolumeCondition[];
}

export interface DataVolume extends K8sObject {
  spec?: DataVolumeSpec;
  status?: DataVolumeStatus;
}

/** One combination of access modes and volume mode that works with a class, best first. */
export interface ClaimPropertySet {
  accessModes?: string[] | null;
  volumeMode?: string | null;
}

export type CloneStrategy = 'copy' | 'snapshot' | 'csi-clone';

export interface StorageProfileFields {
  claimPropertySets?: ClaimPropertySet[] | null;
  cloneStrategy?: string | null;
  snapshotClass?: string | null;
}

export interface StorageProfile extends K8sObject {
  spec?: StorageProfileFields;
  status?: StorageProfileFields & { storageClass?: string; provisioner?: string };
}

export interface DataSource extends K8sObject {
  spec?: { source?: { pvc?: DataVolumeSourceObjectRef | null; snapshot?: DataVolumeSourceObjectRef | null } };
}

/** The filesystemOverhead block of CDI's config (CDIConfig status/spec): decimal fractions as strings. */
export interface FilesystemOverheadConfig {
  global?: string;
  storageClass?: Record<string, string> | null;
}

/**
 * A field error for a 422 cause (message worded the way Kubernetes and CDI
 * word them) plus the same problem as one plain sentence for a form
 * (`detail`). Shaped like lib/provisioning's FieldError, so one form
 * component shows both.
 */
export interface CdiFieldError extends StatusCause {
  reason: FieldErrorReason;
  field: string;
  message: string;
  detail: string;
}
