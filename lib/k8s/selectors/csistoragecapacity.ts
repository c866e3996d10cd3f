// Selectors over CSIStorageCapacity (storage.k8s.io/v1): how much a driver can
// still provision for one class in one topology segment (usually a node).
import type { LabelSelector } from '../labels';
import type { K8sObject } from '../types';

/** storageClassName: the class the capacity was reported for. */
export const getCapacityClassName = (c: K8sObject | undefined): string => (typeof c?.storageClassName === 'string' ? c.storageClassName : '');
/** capacity as written: what new volumes may still take (undefined: unknown). */
export const getCapacityQuantity = (c: K8sObject | undefined): string | undefined =>
  typeof c?.capacity === 'string' || typeof c?.capacity === 'number' ? String(c.capacity) : undefined;
/** maximumVolumeSize as written: the largest single volume (undefined: no limit beyond capacity). */
export const getCapacityMaximumVolumeSize = (c: K8sObject | undefined): string | undefined =>
  typeof c?.maximumVolumeSize === 'string' || typeof c?.maximumVolumeSize === 'number' ? String(c.maximumVolumeSize) : undefined;
/** nodeTopology: which nodes reach this storage (null: none; an empty selector: all). */
export const getCapacityNodeTopology = (c: K8sObject | undefined): LabelSelector | null =>
  c?.nodeTopology && typeof c.nodeTopology === 'object' ? (c.nodeTopology as LabelSelector) : null;
