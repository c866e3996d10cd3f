// Where a new claim's data comes from: a VolumeSnapshot (restore) or another
// claim (clone), resolved to the pool and the pool-side id to copy-on-write
// from, or the reason it cannot be used (yet).
import { formatSize, getClaimRequestBytes, parseBytes, SNAPSHOT_GROUP, type StorageClassView } from '@/lib/provisioning';
import type { StoragePool, VolumeSource } from '@/server/node/types';
import type { Claim, Volume, VolumeSnapshot, VolumeSnapshotContent } from './objects';
import { parseHandle } from './objects';
import type { PoolSet } from './pools';

export interface SourceLookups {
  snapshot(namespace: string, name: string): VolumeSnapshot | undefined;
  content(name: string): VolumeSnapshotContent | undefined;
  claim(namespace: string, name: string): Claim | undefined;
  volume(name: string): Volume | undefined;
}

export type SourceResolution =
  /** No data source: an empty volume. */
  | { kind: 'empty' }
  | { kind: 'copy'; source: VolumeSource; pool: StoragePool; text: string }
  /** Someone else fills it (a CDI populator): the provisioner leaves the claim alone. */
  | { kind: 'populator'; text: string }
  /** Not usable now; `final` when only a new claim can fix it (the source is of another driver, too big…). */
  | { kind: 'blocked'; type: 'Normal' | 'Warning'; reason: string; message: string; final: boolean };

const blocked = (type: 'Normal' | 'Warning', message: string, final: boolean, reason = 'ProvisioningFailed'): SourceResolution => ({ kind: 'blocked', type, reason, message, final });

function crossDriver(claimName: string, what: string, driver: string, sc: StorageClassView): SourceResolution {
  return blocked(
    'Warning',
    `${what} is a ${driver} volume, and ${claimName}'s class ${sc.name} uses ${sc.provisioner}: copies between drivers are not made here yet (a CDI DataVolume will do them); restore or clone it into a class of ${driver} instead.`,
    true,
  );
}

/** Resolves spec.dataSourceRef (or spec.dataSource) of a claim of a Kura class. */
export function resolveSource(claim: Claim, sc: StorageClassView, pools: PoolSet, look: SourceLookups): SourceResolution {
  const ref = claim.spec?.dataSourceRef ?? claim.spec?.dataSource;
  if (!ref?.kind || !ref.name) return { kind: 'empty' };
  const ns = claim.metadata.namespace ?? '';
  const name = claim.metadata.name;
  const group = ref.apiGroup ?? '';
  if (ref.namespace && ref.namespace !== ns) {
    return blocked('Warning', `${name} names a source in namespace ${ref.namespace}: copying across namespaces needs a ReferenceGrant, which Kura does not support yet; copy from a source in ${ns}.`, true);
  }
  const request = getClaimRequestBytes(claim) ?? 0;

  if (group === '' && ref.kind === 'PersistentVolumeClaim') {
    const src = look.claim(ns, ref.name);
    if (!src) return blocked('Warning', `Cannot clone PersistentVolumeClaim ${ref.name}: it does not exist in ${ns}.`, false);
    const pv = src.spec?.volumeName ? look.volume(src.spec.volumeName) : undefined;
    if (src.status?.phase !== 'Bound' || !pv) return blocked('Normal', `Waiting for PersistentVolumeClaim ${ref.name}, the clone source, to be bound.`, false, 'Provisioning');
    const driver = pv.spec?.csi?.driver ?? '';
    if (driver !== sc.provisioner) return crossDriver(name, `PersistentVolumeClaim ${ref.name}`, driver || 'non-CSI', sc);
    const handle = parseHandle(pv.spec?.csi?.volumeHandle);
    const pool = handle && pools.byName(handle.pool);
    if (!handle || !pool) return blocked('Warning', `Cannot clone ${ref.name}: its volume ${pv.metadata.name} is in no pool of this cluster.`, true);
    const size = parseBytes(pv.spec?.capacity?.storage).bytes ?? 0;
    if (request < size) {
      return blocked('Warning', `${name} asks for ${formatSize(request)}, less than the ${formatSize(size)} of its clone source ${ref.name}; a clone must be at least as large as its source.`, true);
    }
    return { kind: 'copy', source: { volumeId: handle.id }, pool, text: `a clone of ${ref.name}` };
  }

  if (group === SNAPSHOT_GROUP && ref.kind === 'VolumeSnapshot') {
    const vs = look.snapshot(ns, ref.name);
    if (!vs) return blocked('Warning', `Cannot restore VolumeSnapshot ${ref.name}: it does not exist in ${ns}.`, false);
    const content = vs.status?.boundVolumeSnapshotContentName ? look.content(vs.status.boundVolumeSnapshotContentName) : undefined;
    if (vs.status?.readyToUse !== true || !content?.status?.snapshotHandle) {
      return blocked('Normal', `Waiting for VolumeSnapshot ${ref.name} to be ready to use.`, false, 'Provisioning');
    }
    const driver = content.spec?.driver ?? '';
    if (driver !== sc.provisioner) return crossDriver(name, `VolumeSnapshot ${ref.name}`, driver, sc);
    const handle = parseHandle(content.status.snapshotHandle);
    const pool = handle && pools.byName(handle.pool);
    if (!handle || !pool) return blocked('Warning', `Cannot restore ${ref.name}: its snapshot ${content.status.snapshotHandle} is in no pool of this cluster.`, true);
    const size = content.status.restoreSize ?? 0;
    if (request < size) {
      return blocked('Warning', `${name} asks for ${formatSize(request)}, less than the ${formatSize(size)} VolumeSnapshot ${ref.name} needs to be restored.`, true);
    }
    return { kind: 'copy', source: { snapshotId: handle.id }, pool, text: `restored from VolumeSnapshot ${ref.name}` };
  }

  return { kind: 'populator', text: `${ref.kind}${group ? `.${group}` : ''} ${ref.name}` };
}
