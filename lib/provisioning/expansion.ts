// Volume expansion: whether a bound claim may grow to a new size, and if not,
// a sentence saying why.
import { getName } from '../k8s';
import { formatSize, parseBytes } from './bytes';
import { getClaimCurrentBytes, getClaimRequestBytes } from './claims';
import type { ClassPool } from './capacity';
import type { StorageClassView } from './storageclass';
import type { PersistentVolumeClaim } from './types';

export type ExpansionRefusal = 'InvalidSize' | 'NotGrowth' | 'NoChange' | 'NoClass' | 'ExpansionNotAllowed' | 'NotBound' | 'NoRoom';

export type ExpansionDecision =
  | { allowed: true; fromBytes: number; toBytes: number; /** What the pool must promise in addition. */ growBytes: number; message: string }
  | { allowed: false; reason: ExpansionRefusal; message: string };

export interface ExpansionInput {
  claim: PersistentVolumeClaim;
  /** The size asked for, as a quantity ("40Gi"). */
  newSize: string | number;
  /** The claim's class; undefined when it has none or it no longer exists. */
  storageClass: StorageClassView | undefined;
  /** The pool the volume lives in (its node's pool for node-local classes), when known. */
  pool?: ClassPool;
}

const refuse = (reason: ExpansionRefusal, message: string): ExpansionDecision => ({ allowed: false, reason, message });

/**
 * Growth only; the class must allow expansion; the claim must be bound; the
 * growth (new size − current size) must fit in the volume's pool, when the
 * pool is known (unknown drivers: the driver decides).
 */
export function checkExpansion({ claim, newSize, storageClass, pool }: ExpansionInput): ExpansionDecision {
  const name = getName(claim);
  const parsed = parseBytes(newSize);
  if (parsed.error !== undefined) return refuse('InvalidSize', `${JSON.stringify(String(newSize))} is not a size: ${parsed.error}`);
  const toBytes = parsed.bytes;
  const requested = getClaimRequestBytes(claim) ?? 0;
  const fromBytes = Math.max(getClaimCurrentBytes(claim) ?? 0, requested);
  if (toBytes < requested) {
    return refuse('NotGrowth', `Volumes can only grow: ${formatSize(toBytes)} is less than the ${formatSize(requested)} ${name} already has.`);
  }
  if (toBytes === requested) return refuse('NoChange', `${name} already asks for ${formatSize(toBytes)}.`);
  if (!storageClass) return refuse('NoClass', `${name} has no storage class, and only a class can allow expansion.`);
  if (!storageClass.allowVolumeExpansion) {
    return refuse(
      'ExpansionNotAllowed',
      `StorageClass ${storageClass.name} does not allow expansion (allowVolumeExpansion is not true); an admin can allow it, or copy the data to a larger volume.`,
    );
  }
  if (claim.status?.phase !== 'Bound' || !claim.spec?.volumeName) {
    return refuse('NotBound', `${name} is not bound to a volume yet; resize it once it is.`);
  }
  const growBytes = Math.max(0, toBytes - fromBytes);
  if (pool && growBytes > pool.usage.freeBytes) {
    const where = pool.node ? `${pool.node} has` : 'the shared pool has';
    return refuse(
      'NoRoom',
      `${where} ${formatSize(pool.usage.freeBytes)} free in ${storageClass.name}; growing ${name} from ${formatSize(fromBytes)} to ${formatSize(toBytes)} needs ${formatSize(growBytes)} more.`,
    );
  }
  return { allowed: true, fromBytes, toBytes, growBytes, message: `${name} can grow from ${formatSize(fromBytes)} to ${formatSize(toBytes)}.` };
}
