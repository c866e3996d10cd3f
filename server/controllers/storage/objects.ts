// The shapes the storage controllers read and write (only the fields they use)
// and small selectors over them: volume handles, conditions, snapshot refs.
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '@/lib/provisioning';
import { formatQuantity, type K8sResource, newQuantity } from '@/lib/k8s';

export type Claim = PersistentVolumeClaim & K8sResource & {
  spec?: NonNullable<PersistentVolumeClaim['spec']>;
  status?: NonNullable<PersistentVolumeClaim['status']> & { conditions?: Condition[]; allocatedResourceStatuses?: Record<string, string> };
};

export type Volume = PersistentVolume &
  K8sResource & {
    spec?: NonNullable<PersistentVolume['spec']> & { csi?: { driver?: string; volumeHandle?: string; fsType?: string } | null };
    status?: { phase?: string; message?: string; reason?: string };
  };

export type Class = StorageClass & K8sResource;

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
  lastProbeTime?: string | null;
}

export interface NodeObject extends K8sResource {
  spec?: { unschedulable?: boolean };
  status?: { conditions?: Condition[]; capacity?: Record<string, string>; allocatable?: Record<string, string> };
}

export interface SnapshotClass extends K8sResource {
  driver?: string;
  deletionPolicy?: 'Delete' | 'Retain' | string;
  parameters?: Record<string, string>;
}

export interface SnapshotError {
  message?: string;
  time?: string;
}

export interface VolumeSnapshot extends K8sResource {
  spec?: { source?: { persistentVolumeClaimName?: string; volumeSnapshotContentName?: string }; volumeSnapshotClassName?: string };
  status?: { boundVolumeSnapshotContentName?: string; readyToUse?: boolean; restoreSize?: string; creationTime?: string; error?: SnapshotError };
}

export interface SnapshotRef {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
}

export interface VolumeSnapshotContent extends K8sResource {
  spec?: {
    deletionPolicy?: string;
    driver?: string;
    source?: { volumeHandle?: string; snapshotHandle?: string };
    sourceVolumeMode?: string;
    volumeSnapshotClassName?: string;
    volumeSnapshotRef?: SnapshotRef;
  };
  status?: { snapshotHandle?: string; readyToUse?: boolean; restoreSize?: number; creationTime?: number; error?: SnapshotError };
}

export interface VirtualMachineInstance extends K8sResource {
  spec?: { volumes?: { name?: string; persistentVolumeClaim?: { claimName?: string }; dataVolume?: { name?: string } }[] };
  status?: { phase?: string; nodeName?: string };
}

/** "<pool>/<id>": a volume or snapshot handle of Kura's drivers. */
export function parseHandle(handle: string | undefined): { pool: string; id: string } | undefined {
  if (!handle) return undefined;
  const i = handle.indexOf('/');
  if (i <= 0 || i === handle.length - 1) return undefined;
  return { pool: handle.slice(0, i), id: handle.slice(i + 1) };
}

/** Bytes as the quantity Kubernetes writes back ("10Gi", or plain bytes when not a whole binary unit). */
export const quantity = (bytes: number): string => formatQuantity(newQuantity(bytes, 'BinarySI'));

export const makeHandle = (pool: string, id: string): string => `${pool}/${id}`;

/** "namespace/name" or "name": the work queue key of an object. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export function findCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * Conditions with one set to a new state; lastTransitionTime moves only when
 * its status changes (as every Kubernetes controller keeps it).
 */
export function setCondition(conditions: readonly Condition[] | undefined, next: Condition, now: string): Condition[] {
  const out = (conditions ?? []).filter((c) => c.type !== next.type);
  const prior = findCondition(conditions, next.type);
  const lastTransitionTime = prior && prior.status === next.status && prior.lastTransitionTime ? prior.lastTransitionTime : now;
  out.push({ ...next, lastTransitionTime });
  return out;
}

/** RFC 3339 with second precision, as Kubernetes writes timestamps. */
export const rfc3339 = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export const hasFinalizer = (o: K8sResource, f: string): boolean => (o.metadata.finalizers ?? []).includes(f);

/** A merge patch that sets the finalizers, conditional on the version read (409 if it moved on). */
export function finalizersPatch(o: K8sResource, finalizers: string[]): { metadata: { resourceVersion?: string; finalizers: string[] } } {
  return { metadata: { resourceVersion: o.metadata.resourceVersion, finalizers } };
}

/** A short sentence from any error (PoolError, KubeError, Error). */
export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
