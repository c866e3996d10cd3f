// The contract between the embedded storage controllers and the node agent:
// what a storage pool can do with volume files. One pool per node (node-local
// class) plus one shared by all nodes. Sizes are numbers of bytes.

export type VolumeFormat = 'qcow2' | 'raw';

export interface PoolStatus {
  /** Name of the pool ("node-1", or "shared"). */
  name: string;
  /** The configured size of the pool (what may be promised, before overprovisioning). */
  capacityBytes: number;
  /** Sum of the virtual sizes of every volume in the pool (what has been promised). */
  allocatedBytes: number;
  /** Bytes actually taken on disk by volumes and snapshots (thin files count what they hold). */
  usedBytes: number;
  /** False when the pool cannot be used (its directory is gone, not writable...). */
  healthy: boolean;
  /** Why it is not healthy, in words. */
  problem?: string;
  volumes: number;
  snapshots: number;
}

export interface VolumeInfo {
  id: string;
  sizeBytes: number;
  /** Bytes this volume's own data takes on disk (not counting shared snapshot layers). */
  usedBytes: number;
  format: VolumeFormat;
  /** The file QEMU or an importer opens (the top of its copy-on-write chain). */
  path: string;
  createdAt: string;
}

export interface SnapshotInfo {
  id: string;
  /** The volume it was taken from (may since have been deleted). */
  sourceVolumeId: string;
  /** Virtual size of the volume at the time: the smallest volume it can be restored into. */
  restoreSizeBytes: number;
  createdAt: string;
  /** Volumes created from this snapshot that still depend on its data. */
  dependents: number;
}

export type VolumeSource = { snapshotId: string } | { volumeId: string };

export class PoolError extends Error {
  constructor(
    readonly code: 'NotFound' | 'AlreadyExists' | 'NoSpace' | 'Invalid' | 'Unavailable' | 'Busy' | 'Failed',
    message: string,
  ) {
    super(message);
    this.name = 'PoolError';
  }
}

/**
 * A running VM keeps its volume's top file open; a snapshot must then be taken
 * by the VM's QEMU (blockdev-snapshot-sync), which freezes the current top and
 * continues writing to a new overlay. The VM layer registers this hook; while
 * none is registered (or the volume is not in use) the pool snapshots offline.
 */
export type LiveSnapshotHook = (volumeId: string, currentTop: string, newOverlay: string) => Promise<'done' | 'not-running'>;

/** Everything the controllers ask of a pool; every operation is idempotent by id. */
export interface StoragePool {
  readonly name: string;
  status(): PoolStatus;
  /** Create a volume (empty, or as a copy-on-write child of a snapshot or another volume). Exists with the same size → returns it. */
  createVolume(id: string, sizeBytes: number, opts?: { format?: VolumeFormat; source?: VolumeSource }): Promise<VolumeInfo>;
  getVolume(id: string): VolumeInfo | undefined;
  listVolumes(): VolumeInfo[];
  /** Grow a volume (never shrink). */
  expandVolume(id: string, newSizeBytes: number): Promise<VolumeInfo>;
  /** Delete a volume; data shared with snapshots or clones stays until nothing needs it. Missing → no error. */
  deleteVolume(id: string): Promise<void>;
  /** Take a snapshot; its cost does not depend on the volume's size. Exists → returns it. */
  snapshot(volumeId: string, snapshotId: string): Promise<SnapshotInfo>;
  getSnapshot(id: string): SnapshotInfo | undefined;
  listSnapshots(): SnapshotInfo[];
  /** Delete a snapshot; its data stays while volumes restored from it need it. Missing → no error. */
  deleteSnapshot(id: string): Promise<void>;
  /** See LiveSnapshotHook. */
  setLiveSnapshotHook(hook: LiveSnapshotHook | undefined): void;
}
