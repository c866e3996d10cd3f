// Reclaim: what becomes of a PersistentVolume once its claim is gone, as a
// plain decision the volume controller carries out.
import { getAnnotations } from '../k8s';
import { isVolumeBoundToClaim } from './binding';
import { driverCapabilities } from './drivers';
import type { PersistentVolume, PersistentVolumeClaim } from './types';

/** external-provisioner's mark on the volumes it made: who must delete them. */
export const PROVISIONED_BY_ANNOTATION = 'pv.kubernetes.io/provisioned-by';

export type ReclaimDecision =
  /** Nothing to do: no claim ever bound it, or its claim is still there. */
  | { action: 'none'; phase: 'Available' | 'Bound'; message: string }
  /** Delete the data, then the PersistentVolume (by Kura's driver, or by an external provisioner). */
  | { action: 'delete'; phase: 'Released'; driver: string; external: boolean; message: string }
  /** Retain: keep the data; the volume stays Released until an admin deletes or reuses it. */
  | { action: 'retain'; phase: 'Released'; message: string }
  /** Nothing can reclaim it: the volume is marked Failed with the reason. */
  | { action: 'fail'; phase: 'Failed'; message: string };

/**
 * The decision for a volume given its claim as it is now (undefined when no
 * claim of that name exists). A claim of the same name but another uid is a
 * new claim: the old one is gone.
 */
export function decideReclaim(pv: PersistentVolume, claim: PersistentVolumeClaim | undefined): ReclaimDecision {
  const ref = pv.spec?.claimRef;
  if (!ref) return { action: 'none', phase: 'Available', message: 'No claim has bound this volume.' };
  if (claim && isVolumeBoundToClaim(pv, claim)) {
    return { action: 'none', phase: 'Bound', message: `Bound to ${ref.namespace ?? ''}/${ref.name ?? ''}.` };
  }
  const policy = pv.spec?.persistentVolumeReclaimPolicy || 'Retain';
  if (policy === 'Retain') {
    return {
      action: 'retain',
      phase: 'Released',
      message: 'Its claim is gone and the policy is Retain: the data is kept until an admin deletes the volume, or clears its claimRef to reuse it.',
    };
  }
  if (policy === 'Recycle') {
    return { action: 'fail', phase: 'Failed', message: 'The Recycle policy is not supported (Kubernetes deprecated it); use Delete or Retain.' };
  }
  if (policy !== 'Delete') return { action: 'fail', phase: 'Failed', message: `Unknown reclaim policy ${JSON.stringify(policy)}.` };
  const driver = getAnnotations(pv)[PROVISIONED_BY_ANNOTATION] || pv.spec?.csi?.driver || '';
  const caps = driverCapabilities(driver);
  if (!driver || (!caps.known && !caps.provisions)) {
    return { action: 'fail', phase: 'Failed', message: 'The policy is Delete but no provisioner made this volume, so nothing can delete its data; delete it by hand.' };
  }
  return {
    action: 'delete',
    phase: 'Released',
    driver,
    external: !caps.known,
    message: caps.known
      ? `Its claim is gone and the policy is Delete: ${driver} deletes the data, then the volume.`
      : `Its claim is gone and the policy is Delete: waiting for ${driver} to delete the data.`,
  };
}
