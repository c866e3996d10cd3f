// Which StorageClass a PersistentVolumeClaim (or a PersistentVolume) belongs
// to, read the way Kubernetes reads it, and which class an unnamed claim gets.
import { getAnnotations } from '../k8s';
import type { StorageClassView } from './storageclass';
import type { PersistentVolume, PersistentVolumeClaim } from './types';

/** The deprecated annotation that still wins over spec.storageClassName when present. */
export const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/**
 * The class a claim names: the beta annotation, then spec.storageClassName.
 * undefined when it names none (not the same as "", which means "no class").
 */
export function getClaimClassName(pvc: PersistentVolumeClaim): string | undefined {
  const annotated = getAnnotations(pvc)[BETA_STORAGE_CLASS_ANNOTATION];
  if (annotated !== undefined) return annotated;
  const name = pvc.spec?.storageClassName;
  return typeof name === 'string' ? name : undefined;
}

/** The class a PersistentVolume belongs to ('' for none), annotation first, as GetPersistentVolumeClass reads it. */
export function getVolumeClassName(pv: PersistentVolume): string {
  const annotated = getAnnotations(pv)[BETA_STORAGE_CLASS_ANNOTATION];
  if (annotated !== undefined) return annotated;
  return pv.spec?.storageClassName ?? '';
}

export type ClaimClassChoice =
  /** The claim names a class; storageClass is undefined when no class of that name exists. */
  | { kind: 'named'; name: string; storageClass: StorageClassView | undefined }
  /** storageClassName "": no class, only static PersistentVolumes without a class can bind. */
  | { kind: 'static' }
  /** No class named: the cluster's default class applies (candidates > 1 when several are marked). */
  | { kind: 'default'; name: string; storageClass: StorageClassView; candidates: number }
  /** No class named and no default class exists. */
  | { kind: 'none' };

function timestampOf(sc: StorageClassView): number {
  const t = sc.creationTimestamp ? Date.parse(sc.creationTimestamp) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
}

/**
 * The default class: among classes marked default, the newest, then the
 * first by name (Kubernetes since 1.26 tolerates several defaults this way).
 */
export function defaultStorageClass(classes: readonly StorageClassView[]): StorageClassView | undefined {
  let best: StorageClassView | undefined;
  for (const sc of classes) {
    if (!sc.isDefault) continue;
    if (!best) {
      best = sc;
      continue;
    }
    const [a, b] = [timestampOf(sc), timestampOf(best)];
    if (a > b || (a === b && sc.name < best.name)) best = sc;
  }
  return best;
}

/** The class a claim gets: the one it names, none for "", or the default when it names none. */
export function chooseClaimClass(pvc: PersistentVolumeClaim, classes: readonly StorageClassView[]): ClaimClassChoice {
  const name = getClaimClassName(pvc);
  if (name === '') return { kind: 'static' };
  if (name !== undefined) return { kind: 'named', name, storageClass: classes.find((c) => c.name === name) };
  const storageClass = defaultStorageClass(classes);
  if (!storageClass) return { kind: 'none' };
  return { kind: 'default', name: storageClass.name, storageClass, candidates: classes.filter((c) => c.isDefault).length };
}
