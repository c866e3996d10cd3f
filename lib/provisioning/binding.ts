// Static binding, as kube-controller-manager's PV controller does it: the best
// existing PersistentVolume for a claim, or why each candidate was refused.
import { describeLabelSelector, getName, getNamespace, getUid, isTerminating, matchesSelectorObject, SelectorError } from '../k8s';
import { formatSize, parseBytes } from './bytes';
import { getClaimAccessModes, getClaimRequestBytes, getClaimVolumeMode } from './claims';
import { getClaimClassName, getVolumeClassName } from './claimclass';
import { volumeReachableFrom } from './nodeaffinity';
import type { NodeInfo, PersistentVolume, PersistentVolumeClaim } from './types';

export type VolumeMismatch =
  | 'deleting'
  | 'claimed'
  | 'volumeName'
  | 'class'
  | 'volumeMode'
  | 'accessModes'
  | 'capacity'
  | 'phase'
  | 'selector'
  | 'nodeAffinity';

export interface VolumeRejection {
  volume: string;
  capacityBytes: number | undefined;
  reasons: { code: VolumeMismatch; message: string }[];
}

export interface VolumeMatch {
  /** The volume to bind, or undefined when none fits. */
  volume: PersistentVolume | undefined;
  /** The chosen volume was pre-bound to this claim (its claimRef names it). */
  preBound: boolean;
  /** Every other volume and why it does not fit, by name. */
  rejections: VolumeRejection[];
}

export interface MatchOptions {
  /** The node a consumer was scheduled to: volumes it cannot reach do not fit. */
  node?: NodeInfo;
}

/** Whether a PV's claimRef names this claim (uid too, when the claimRef has one). */
export function isVolumeBoundToClaim(pv: PersistentVolume, pvc: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== getName(pvc) || (ref.namespace ?? '') !== (getNamespace(pvc) ?? '')) return false;
  return !ref.uid || ref.uid === getUid(pvc);
}

const modeCount = (pv: PersistentVolume): number => new Set(pv.spec?.accessModes ?? []).size;
const describeClass = (name: string): string => (name === '' ? 'no class' : `class ${name}`);

/** Problems of one volume for one claim; empty when it fits. */
function mismatches(pv: PersistentVolume, pvc: PersistentVolumeClaim, requestBytes: number, options: MatchOptions): VolumeRejection['reasons'] {
  const out: VolumeRejection['reasons'] = [];
  const add = (code: VolumeMismatch, message: string): void => void out.push({ code, message });
  const wanted = pvc.spec?.volumeName;
  if (wanted && wanted !== getName(pv)) {
    add('volumeName', `the claim asks for volume ${wanted}`);
    return out;
  }
  const ref = pv.spec?.claimRef;
  const preBound = isVolumeBoundToClaim(pv, pvc);
  if (ref && !preBound) add('claimed', `reserved for claim ${ref.namespace ?? ''}/${ref.name ?? ''}`);
  if (isTerminating(pv)) add('deleting', 'being deleted');

  const capacity = parseBytes(pv.spec?.capacity?.storage).bytes ?? 0;
  if (capacity < requestBytes) add('capacity', `${formatSize(capacity)}, the claim needs ${formatSize(requestBytes)}`);
  const pvMode = pv.spec?.volumeMode || 'Filesystem';
  const claimMode = getClaimVolumeMode(pvc);
  if (pvMode !== claimMode) add('volumeMode', `a ${pvMode} volume, the claim wants ${claimMode}`);
  const offered = pv.spec?.accessModes ?? [];
  const missing = getClaimAccessModes(pvc).filter((m) => !offered.includes(m));
  if (missing.length > 0) add('accessModes', `offers ${offered.join(', ') || 'no access mode'}, the claim needs ${missing.join(', ')}`);
  if (options.node && !volumeReachableFrom(pv, options.node)) add('nodeAffinity', `not reachable from ${options.node.name}`);

  // A volume pre-bound to the claim, or named by it, skips the rules below:
  // whoever tied them together chose on purpose (as the PV controller does).
  if (preBound || wanted) return out;
  const claimClass = getClaimClassName(pvc) ?? '';
  const pvClass = getVolumeClassName(pv);
  if (pvClass !== claimClass) add('class', `has ${describeClass(pvClass)}, the claim wants ${describeClass(claimClass)}`);
  const phase = pv.status?.phase ?? 'Pending';
  if (!ref && phase !== 'Available') add('phase', `${phase}, not Available`);
  const selector = pvc.spec?.selector;
  if (selector) {
    let matches: boolean;
    try {
      matches = matchesSelectorObject(selector, pv.metadata?.labels);
    } catch (e) {
      if (!(e instanceof SelectorError)) throw e;
      matches = false;
    }
    if (!matches) add('selector', `labels do not match the claim's selector ${describeLabelSelector(selector)}`);
  }
  return out;
}

/**
 * The best volume for a claim. A volume pre-bound to the claim (claimRef) or
 * named by it (spec.volumeName) wins if it fits at all; otherwise, among
 * Available volumes of the claim's class, volumeMode and a superset of its
 * access modes, large enough, matching its selector and reachable from the
 * node: the one with the fewest access modes, then the smallest, then by name.
 */
export function findMatchingVolume(
  pvc: PersistentVolumeClaim,
  volumes: readonly PersistentVolume[],
  options: MatchOptions = {},
): VolumeMatch {
  const requestBytes = getClaimRequestBytes(pvc) ?? 0;
  const rejections: VolumeRejection[] = [];
  const fitting: { pv: PersistentVolume; capacity: number }[] = [];
  for (const pv of volumes) {
    const reasons = mismatches(pv, pvc, requestBytes, options);
    const capacity = parseBytes(pv.spec?.capacity?.storage).bytes;
    if (reasons.length > 0) rejections.push({ volume: getName(pv), capacityBytes: capacity, reasons });
    else fitting.push({ pv, capacity: capacity ?? 0 });
  }
  rejections.sort((a, b) => (a.volume < b.volume ? -1 : a.volume > b.volume ? 1 : 0));
  const preBound = fitting.find((f) => isVolumeBoundToClaim(f.pv, pvc) || pvc.spec?.volumeName === getName(f.pv));
  if (preBound) return { volume: preBound.pv, preBound: isVolumeBoundToClaim(preBound.pv, pvc), rejections };
  fitting.sort((a, b) => modeCount(a.pv) - modeCount(b.pv) || a.capacity - b.capacity || (getName(a.pv) < getName(b.pv) ? -1 : 1));
  return { volume: fitting[0]?.pv, preBound: false, rejections };
}

/**
 * The rejected volume that came closest, for "no volume matches: nearest is
 * pv-3 (…)": fewest problems, ignoring volumes that belong to other claims.
 */
export function nearestMiss(rejections: readonly VolumeRejection[]): VolumeRejection | undefined {
  let best: VolumeRejection | undefined;
  for (const r of rejections) {
    if (r.reasons.some((x) => x.code === 'claimed' || x.code === 'deleting' || x.code === 'volumeName')) continue;
    if (!best || r.reasons.length < best.reasons.length) best = r;
  }
  return best;
}

/** "pv-3: 5 GiB, the claim needs 10 GiB; has class slow, …" */
export function describeRejection(r: VolumeRejection): string {
  return `${r.volume}: ${r.reasons.map((x) => x.message).join('; ')}`;
}
