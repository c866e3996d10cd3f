// "Why is this claim pending?" in one sentence, for the console: the first
// thing in the way, in the order the binder and provisioner meet them.
import { getAnnotations, getName, isTerminating } from '../k8s';
import {
  type ClassPool,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClassView,
  type VolumeRejection,
  checkFit,
  chooseClaimClass,
  findMatchingVolume,
  fitsInPool,
  formatSize,
  getClaimRequestBytes,
  nearestMiss,
  validateClaim,
} from '../provisioning';

/** Set by the scheduler on a WaitForFirstConsumer claim once its consumer has a node. */
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';

export type PendingReason =
  | 'Bound'
  | 'Lost'
  | 'Terminating'
  | 'InvalidClaim'
  | 'VolumeNotFound'
  | 'VolumeTaken'
  | 'VolumeMismatch'
  | 'MatchingVolume'
  | 'WaitingForFirstConsumer'
  | 'WaitingForScheduling'
  | 'NoMatchingVolume'
  | 'NoDefaultClass'
  | 'ClassNotFound'
  | 'NoRoomOnSelectedNode'
  | 'NoRoom'
  | 'Provisioning'
  | 'ExternalProvisioner';

export interface PendingExplanation {
  reason: PendingReason;
  message: string;
}

export interface PendingClaimInput {
  claim: PersistentVolumeClaim;
  classes: readonly StorageClassView[];
  volumes: readonly PersistentVolume[];
  /** Pools of each class by class name (lib/provisioning ClassPool); leave a class out when its capacity is unknown. */
  pools?: Readonly<Record<string, readonly ClassPool[]>>;
  /** A VM (or pod) that uses the claim exists. */
  hasConsumer?: boolean;
}

const explain = (reason: PendingReason, message: string): PendingExplanation => ({ reason, message });

function missText(rejections: readonly VolumeRejection[]): string {
  const miss = nearestMiss(rejections);
  if (!miss) return 'there is none';
  return `none fits (the nearest, ${miss.volume}: ${miss.reasons.map((r) => r.message).join('; ')})`;
}

function capacityProblem(name: string, sc: StorageClassView, pools: readonly ClassPool[], size: number, selected: string | undefined): PendingExplanation | undefined {
  const need = formatSize(size);
  const nodeLocal = sc.driver.known && sc.driver.locality === 'node-local';
  if (selected && nodeLocal) {
    const pool = pools.find((p) => p.node === selected);
    if (!pool) return explain('NoRoomOnSelectedNode', `${selected} was chosen for the VM using ${name}, but it has no ${sc.name} pool.`);
    if (!fitsInPool(pool.usage, size)) {
      return explain('NoRoomOnSelectedNode', `${selected} was chosen for the VM using ${name}, but it has ${formatSize(pool.usage.freeBytes)} free in ${sc.name}, and ${name} needs ${need}.`);
    }
    return undefined;
  }
  const fit = checkFit(sc.name, pools, size);
  if (fit.fits) return undefined;
  const largest = fit.summary.largestFree;
  if (!largest) return explain('NoRoom', `No node has a ${sc.name} pool, so ${name} (${need}) has nowhere to go.`);
  if (fit.summary.shared) return explain('NoRoom', `The ${sc.name} pool has ${formatSize(largest.bytes)} free, and ${name} needs ${need}.`);
  return explain('NoRoom', `No node has room for ${name}: it needs ${need}, and the most free in ${sc.name} is ${formatSize(largest.bytes)} (on ${largest.node ?? ''}).`);
}

/** Why a claim is not bound, in one sentence (or that it is bound). */
export function explainPendingClaim({ claim, classes, volumes, pools, hasConsumer = false }: PendingClaimInput): PendingExplanation {
  const name = getName(claim);
  const volumeName = claim.spec?.volumeName;
  const phase = claim.status?.phase;
  if (phase === 'Bound') return explain('Bound', `${name} is bound to volume ${volumeName ?? ''}.`);
  if (phase === 'Lost') return explain('Lost', `${name} lost its volume ${volumeName ?? ''}: the volume no longer exists, and its data cannot be reached.`);
  if (isTerminating(claim)) return explain('Terminating', `${name} is being deleted; it goes once no VM uses it.`);

  const choice = chooseClaimClass(claim, classes);
  const sc = choice.kind === 'named' || choice.kind === 'default' ? choice.storageClass : undefined;
  const error = validateClaim(claim, sc, { classes })[0];
  if (error) return explain('InvalidClaim', `${name} cannot be satisfied: ${error.detail} (${error.field}).`);

  if (volumeName) {
    const pv = volumes.find((v) => getName(v) === volumeName);
    if (!pv) return explain('VolumeNotFound', `${name} asks for volume ${volumeName}, which does not exist.`);
    const match = findMatchingVolume(claim, [pv]);
    if (match.volume) return explain('MatchingVolume', `Volume ${volumeName} fits ${name}; the binder has not bound them yet.`);
    const reasons = match.rejections[0]?.reasons ?? [];
    const taken = reasons.find((r) => r.code === 'claimed');
    if (taken) return explain('VolumeTaken', `${name} asks for volume ${volumeName}, but it is ${taken.message}.`);
    return explain('VolumeMismatch', `${name} asks for volume ${volumeName}, which does not fit: ${reasons.map((r) => r.message).join('; ')}.`);
  }

  const selected = getAnnotations(claim)[SELECTED_NODE_ANNOTATION];
  if (sc?.volumeBindingMode === 'WaitForFirstConsumer' && !selected) {
    if (!hasConsumer) {
      return explain('WaitingForFirstConsumer', `${sc.name} waits for the first consumer: the volume is made when a VM that uses ${name} is scheduled, and none exists yet.`);
    }
    return explain('WaitingForScheduling', `${sc.name} waits for the first consumer: a VM uses ${name} but has no node yet; its own status says why.`);
  }

  const match = findMatchingVolume(claim, volumes);
  if (match.volume) return explain('MatchingVolume', `Volume ${getName(match.volume)} fits ${name}; the binder has not bound them yet.`);
  if (choice.kind === 'static') {
    return explain('NoMatchingVolume', `${name} asks for no storage class, so only an existing PersistentVolume without a class can satisfy it, and ${missText(match.rejections)}.`);
  }
  if (choice.kind === 'none') {
    return explain('NoDefaultClass', `${name} names no storage class and the cluster has no default one; name a class, or mark one as the default.`);
  }
  if (!sc) return explain('ClassNotFound', `No StorageClass named ${choice.name} exists, and no existing PersistentVolume of that class fits ${name}.`);
  if (!sc.driver.known && !sc.driver.provisions) {
    return explain('NoMatchingVolume', `${sc.name} makes no volumes (${sc.provisioner}): an admin must create a PersistentVolume for ${name}, and ${missText(match.rejections)}.`);
  }

  const size = getClaimRequestBytes(claim) ?? 0;
  const classPools = pools && Object.hasOwn(pools, sc.name) ? pools[sc.name] : undefined;
  if (classPools) {
    const problem = capacityProblem(name, sc, classPools, size, selected);
    if (problem) return problem;
  }
  if (sc.driver.known) return explain('Provisioning', `${sc.provisioner} is making the volume for ${name}${selected ? ` on ${selected}` : ''}.`);
  return explain('ExternalProvisioner', `Waiting for ${sc.provisioner} to make the volume for ${name}; if it fails, the claim's events say why.`);
}
