// Reclaim (the PV controller's other half): a new volume is Available; once its
// claim is gone it is Released, and with policy Delete Kura's driver deletes
// the data and then the PersistentVolume; with Retain it stays Released.
import { PersistentVolumeClaimModel, PersistentVolumeModel } from '@/lib/k8s/models';
import { decideReclaim } from '@/lib/provisioning';
import { logger } from '../../log';
import type { Controller } from '../runtime/manager';
import { Reporter, type StorageOptions, synced } from './context';
import { type Claim, errorText, parseHandle, type Volume } from './objects';
import type { PoolSet } from './pools';

const log = logger('pv-reclaim');

/** Deletes a Kura volume's data from its pool (missing data is no error: deletes are idempotent). */
export async function deleteVolumeData(pools: PoolSet, pv: Volume): Promise<void> {
  const handle = parseHandle(pv.spec?.csi?.volumeHandle);
  const pool = handle && pools.byName(handle.pool);
  if (!handle || !pool) throw new Error(`volume handle ${JSON.stringify(pv.spec?.csi?.volumeHandle ?? '')} names no pool of this cluster`);
  await pools.withLock(pool, () => pool.deleteVolume(handle.id));
  pools.poke();
}

export function reclaimController(opts: StorageOptions): Controller {
  return {
    name: 'pv-reclaim',
    concurrency: 4,
    setup(ctx, queue) {
      const { client } = ctx;
      const volumes = ctx.informer<Volume>(PersistentVolumeModel);
      const claims = ctx.informer<Claim>(PersistentVolumeClaimModel);
      const reporter = new Reporter(ctx.events('persistentvolume-controller'), undefined, opts.now);
      volumes.on({ add: (pv) => queue.add(pv.metadata.name), update: (pv) => queue.add(pv.metadata.name) });
      const byClaim = (c: Claim) => {
        for (const pv of volumes.list((v) => v.spec?.claimRef?.name === c.metadata.name && v.spec.claimRef.namespace === c.metadata.namespace)) queue.add(pv.metadata.name);
      };
      claims.on({ delete: byClaim, update: byClaim });

      const setPhase = async (pv: Volume, phase: string, message?: string) => {
        if (pv.status?.phase === phase && (pv.status.message ?? undefined) === message) return;
        await client.patch(PersistentVolumeModel, undefined, pv.metadata.name, { status: { phase, message: message ?? null } }, 'merge', 'status');
      };

      return async (name) => {
        await synced(volumes, claims);
        const pv = volumes.get(undefined, name);
        if (!pv) return;
        const ref = pv.spec?.claimRef;
        // No claim, or one named before it exists (pre-bound by an admin, no uid yet): waiting to be bound.
        if (!ref?.name || !ref.uid) {
          if (!pv.metadata.deletionTimestamp) await setPhase(pv, 'Available');
          return;
        }
        const cached = claims.get(ref.namespace, ref.name);
        if (cached?.metadata.uid === ref.uid) return; // still bound (the binder writes Bound)
        // Data is about to go: ask the API, not the cache, whether the claim is really gone.
        const live = await client.find<Claim>(PersistentVolumeClaimModel, ref.namespace, ref.name);
        const decision = decideReclaim(pv, live);
        switch (decision.action) {
          case 'none':
            return;
          case 'retain':
            await setPhase(pv, 'Released', decision.message);
            return;
          case 'fail':
            await setPhase(pv, 'Failed', decision.message);
            await reporter.warning(pv, 'VolumeFailedDelete', decision.message);
            return;
          case 'delete': {
            await setPhase(pv, 'Released', decision.message);
            if (decision.external) return;
            try {
              await deleteVolumeData(opts.pools, pv);
            } catch (e) {
              await reporter.warning(pv, 'VolumeFailedDelete', `Deleting the data of ${name} failed: ${errorText(e)}`);
              throw e;
            }
            await client.delete(PersistentVolumeModel, undefined, name, { preconditions: { uid: pv.metadata.uid } });
            log.info('deleted a released volume', { volume: name, claim: `${ref.namespace ?? ''}/${ref.name}` });
          }
        }
      };
    },
  };
}
