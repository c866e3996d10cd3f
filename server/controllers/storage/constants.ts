// Names the storage controllers share with Kubernetes (annotations, finalizers,
// labels, event reasons) and Kura's own (capacity annotations, bootstrap record).
export { LOCAL_DRIVER, SHARED_DRIVER, NODE_TOPOLOGY_KEY, PROVISIONED_BY_ANNOTATION, DEFAULT_CLASS_ANNOTATION } from '@/lib/provisioning';
export { SELECTED_NODE_ANNOTATION } from '@/lib/scheduling';

/** The user agent (and field manager) of every write the storage controllers make. */
export const CONTROLLER_MANAGER = 'kura-controller-manager';

export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';
export const VS_BOUND_FINALIZER = 'snapshot.storage.kubernetes.io/volumesnapshot-bound-protection';
export const VSC_BOUND_FINALIZER = 'snapshot.storage.kubernetes.io/volumesnapshotcontent-bound-protection';

export const BIND_COMPLETED_ANNOTATION = 'pv.kubernetes.io/bind-completed';
export const BOUND_BY_CONTROLLER_ANNOTATION = 'pv.kubernetes.io/bound-by-controller';
export const STORAGE_PROVISIONER_ANNOTATION = 'volume.kubernetes.io/storage-provisioner';
export const BETA_STORAGE_PROVISIONER_ANNOTATION = 'volume.beta.kubernetes.io/storage-provisioner';
export const DEFAULT_SNAPSHOT_CLASS_ANNOTATION = 'snapshot.storage.kubernetes.io/is-default-class';

/**
 * When a snapshot was cut, RFC 3339, on its VolumeSnapshotContent: status.creationTime there is
 * int64 nanoseconds, which the embedded API server cannot hold exactly (JSON numbers are doubles).
 */
export const CREATION_TIME_ANNOTATION = 'snapshot.kura.dev/creation-time';

/** Free bytes a node can still promise in a node-local class, as TopoLVM's capacity.topolvm.io/<class>. */
export const CAPACITY_ANNOTATION_PREFIX = 'capacity.kura.dev/';
/** Marks the Node objects Kura's embedded nodes publish. */
export const EMBEDDED_NODE_LABEL = 'node.kura.dev/embedded';

/** The namespace CSIStorageCapacity objects live in (external-provisioner uses its own; Kura has none). */
export const CAPACITY_NAMESPACE = 'kube-system';
export const CAPACITY_DRIVER_LABEL = 'csi.storage.k8s.io/drivername';
export const CAPACITY_MANAGED_BY_LABEL = 'csi.storage.k8s.io/managed-by';

/** The record that the default classes were created once (so a deleted one stays deleted). */
export const BOOTSTRAP_CONFIGMAP = { namespace: 'kube-system', name: 'kura-storage-bootstrap' } as const;

/** The name of a dynamically provisioned volume (PV and pool volume id), as external-provisioner names it. */
export const volumeNameFor = (claimUid: string): string => `pvc-${claimUid}`;
/** The name of the content a dynamic VolumeSnapshot gets, as the snapshot controller names it. */
export const contentNameFor = (snapshotUid: string): string => `snapcontent-${snapshotUid}`;
