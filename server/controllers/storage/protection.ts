// Storage object protection, as Kubernetes has it: a claim being deleted stays
// until no consumer uses it (pvc-protection), a volume until it is no longer
// bound and, for Kura's Delete volumes, its data is gone (pv-protection).
import { PersistentVolumeClaimModel, PersistentVolumeModel, VirtualMachineInstanceModel } from '@/lib/k8s/models';
import { isKuraDriver, PROVISIONED_BY_ANNOTATION } from '@/lib/provisioning';
import { isNotFound } from '../runtime/client';
import type { Informer } from '../runtime/informer';
import { objectKey } from '../runtime/informer';
import type { Controller } from '../runtime/manager';
import { PV_PROTECTION_FINALIZER, PVC_PROTECTION_FINALIZER } from './constants';
import { type ClaimUsageCheck, Reporter, type StorageOptions, synced } from './context';
import { type Claim, finalizersPatch, hasFinalizer, splitKey, type VirtualMachineInstance, type Volume } from './objects';
import { deleteVolumeData } from './reclaim';

/** The claims a VirtualMachineInstance uses: its persistentVolumeClaim and dataVolume volumes (a DataVolume's claim has its name). */
export function claimsOfVmi(vmi: VirtualMachineInstance): string[] {
  const out: string[] = [];
  for (const v of vmi.spec?.volumes ?? []) {
    const name = v.persistentVolumeClaim?.claimName ?? v.dataVolume?.name;
    if (name) out.push(name);
  }
  return out;
}

const FINISHED = ['Succeeded', 'Failed'];

/** "VirtualMachineInstance x" when a VMI in the namespace that has not finished lists the claim (finished pods free theirs too). */
export function vmiUsage(vmis: Informer<VirtualMachineInstance>): ClaimUsageCheck {
  return (namespace, name) => {
    const user = vmis.list((v) => v.metadata.namespace === namespace && !FINISHED.includes(v.status?.phase ?? '') && claimsOfVmi(v).includes(name))[0];
    return user ? `VirtualMachineInstance ${user.metadata.name}` : undefined;
  };
}

/** The first consumer of a claim among the checks, or undefined when nothing uses it. */
export function isClaimInUse(checks: readonly ClaimUsageCheck[], namespace: string, name: string): string | undefined {
  for (const check of checks) {
    const user = check(namespace, name);
    if (user) return user;
  }
  return undefined;
}

async function removeFinalizer(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

export function pvcProtectionController(opts: StorageOptions): Controller {
  return {
    name: 'pvc-protection',
    setup(ctx, queue) {
      const claims = ctx.informer<Claim>(PersistentVolumeClaimModel);
      const vmis = ctx.informer<VirtualMachineInstance>(VirtualMachineInstanceModel);
      const reporter = new Reporter(ctx.events('pvc-protection-controller'), undefined, opts.now);
      const checks = [vmiUsage(vmis), ...(opts.claimUsers ?? [])];
      const onClaim = (c: Claim) => c.metadata.deletionTimestamp && queue.add(objectKey(c));
      claims.on({ add: onClaim, update: onClaim });
      const onVmi = (v: VirtualMachineInstance) => claimsOfVmi(v).forEach((n) => queue.add(`${v.metadata.namespace ?? ''}/${n}`));
      vmis.on({ update: (v, old) => [v, old].forEach(onVmi), delete: onVmi });

      return async (key) => {
        await synced(claims, vmis);
        const { namespace, name } = splitKey(key);
        const claim = claims.get(namespace, name);
        if (!claim?.metadata.deletionTimestamp || !hasFinalizer(claim, PVC_PROTECTION_FINALIZER)) return;
        const user = isClaimInUse(checks, namespace ?? '', name);
        if (user) {
          await reporter.normal(claim, 'ClaimInUse', `${name} is being deleted, and stays until ${user} no longer uses it.`);
          return;
        }
        const rest = (claim.metadata.finalizers ?? []).filter((f) => f !== PVC_PROTECTION_FINALIZER);
        await removeFinalizer(() => ctx.client.patch(PersistentVolumeClaimModel, namespace, name, finalizersPatch(claim, rest)));
      };
    },
  };
}

export function pvProtectionController(opts: StorageOptions): Controller {
  return {
    name: 'pv-protection',
    setup(ctx, queue) {
      const volumes = ctx.informer<Volume>(PersistentVolumeModel);
      const reporter = new Reporter(ctx.events('pv-protection-controller'), undefined, opts.now);
      const onVolume = (pv: Volume) => pv.metadata.deletionTimestamp && queue.add(pv.metadata.name);
      volumes.on({ add: onVolume, update: onVolume });

      return async (name) => {
        await synced(volumes);
        const pv = volumes.get(undefined, name);
        if (!pv?.metadata.deletionTimestamp || !hasFinalizer(pv, PV_PROTECTION_FINALIZER)) return;
        // A bound volume stays while its claim does (the claim's deletion releases it).
        if (pv.status?.phase === 'Bound') return;
        const ours = isKuraDriver(pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION] ?? '') && isKuraDriver(pv.spec?.csi?.driver ?? '');
        if (ours && pv.spec?.persistentVolumeReclaimPolicy === 'Delete') {
          try {
            await deleteVolumeData(opts.pools, pv);
          } catch (e) {
            await reporter.warning(pv, 'VolumeFailedDelete', `${name} is being deleted, but deleting its data failed: ${(e as Error).message}`);
            throw e;
          }
        }
        const rest = (pv.metadata.finalizers ?? []).filter((f) => f !== PV_PROTECTION_FINALIZER);
        await removeFinalizer(() => ctx.client.patch(PersistentVolumeModel, undefined, name, finalizersPatch(pv, rest)));
      };
    },
  };
}
