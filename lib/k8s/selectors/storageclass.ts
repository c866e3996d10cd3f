// Selectors over StorageClass and VolumeSnapshotClass fields the console shows
// that lib/provisioning's StorageClassView does not carry.
import type { K8sObject } from '../types';
import { getAnnotations } from './metadata';

/** Annotation a VolumeSnapshotClass carries when snapshots of its driver use it unless they name another. */
export const DEFAULT_SNAPSHOT_CLASS_ANNOTATION = 'snapshot.storage.kubernetes.io/is-default-class';

/** A free-text description written on a class (a "description", "kubernetes.io/description" or "kura.dev/description" annotation). */
export const getClassDescription = (o: K8sObject | undefined): string | undefined => {
  const a = getAnnotations(o);
  return a['description'] || a['kubernetes.io/description'] || a['kura.dev/description'] || a['storageclass.kubernetes.io/description'] || undefined;
};
/** driver of a VolumeSnapshotClass (the CSI driver that takes its snapshots). */
export const getSnapshotClassDriver = (vsc: K8sObject | undefined): string => (typeof vsc?.driver === 'string' ? vsc.driver : '');
/** deletionPolicy of a VolumeSnapshotClass: Delete or Retain. */
export const getSnapshotClassDeletionPolicy = (vsc: K8sObject | undefined): string => (typeof vsc?.deletionPolicy === 'string' ? vsc.deletionPolicy : '');
/** Whether a VolumeSnapshotClass is its driver's default (annotation value exactly "true"). */
export const isDefaultSnapshotClass = (vsc: K8sObject | undefined): boolean => getAnnotations(vsc)[DEFAULT_SNAPSHOT_CLASS_ANNOTATION] === 'true';
/** parameters of a StorageClass or VolumeSnapshotClass, string values only. */
export const getClassParameters = (o: K8sObject | undefined): Record<string, string> => {
  const p = o?.parameters;
  if (!p || typeof p !== 'object') return {};
  return Object.fromEntries(Object.entries(p).filter((e): e is [string, string] => typeof e[1] === 'string'));
};
