// Volume expansion (external-resizer and the CSI driver): a bound claim asking
// for more than its volume has grows, if its class allows it and its pool has
// room (lib/provisioning's checkExpansion); refusals are events and conditions.
import { PersistentVolumeClaimModel, PersistentVolumeModel, StorageClassModel } from '@/lib/k8s/models';
import { checkExpansion, formatSize, getClaimRequestBytes, isKuraDriver, parseBytes } from '@/lib/provisioning';
import { PoolError } from '@/server/node/types';
import { objectKey } from '../runtime/informer';
import type { Controller } from '../runtime/manager';
import { ClassViews } from './classes';
import { Reporter, type StorageOptions, synced } from './context';
import { type Claim, type Class, type Condition, errorText, parseHandle, quantity, rfc3339, setCondition, splitKey, type Volume } from './objects';

const RESIZE_ERROR = 'ControllerResizeError';
const RESIZING = 'Resizing';

const without = (conditions: readonly Condition[] | undefined, ...types: string[]): Condition[] => (conditions ?? []).filter((c) => !types.includes(c.type));

export function expansionController(opts: StorageOptions): Controller {
  const now = opts.now ?? Date.now;
  return {
    name: 'volume-expansion',
    setup(ctx, queue) {
      const { client } = ctx;
      const pools = opts.pools;
      const claims = ctx.informer<Claim>(PersistentVolumeClaimModel);
      const volumes = ctx.informer<Volume>(PersistentVolumeModel);
      const classInformer = ctx.informer<Class>(StorageClassModel);
      const classes = new ClassViews(classInformer);
      const reporter = new Reporter(ctx.events('external-resizer'), undefined, opts.now);
      const waitingForRoom = new Set<string>();
      const retry = () => waitingForRoom.forEach((k) => queue.add(k));
      claims.on({ add: (c) => queue.add(objectKey(c)), update: (c) => queue.add(objectKey(c)) });
      classInformer.on({ update: retry });
      pools.onChange((c) => c.freed && retry());

      const writeStatus = (claim: Claim, status: Record<string, unknown>) =>
        client.patch(PersistentVolumeClaimModel, claim.metadata.namespace, claim.metadata.name, { status }, 'merge', 'status');

      async function refuse(claim: Claim, reason: string, message: string): Promise<void> {
        const conditions = setCondition(without(claim.status?.conditions, RESIZING), { type: RESIZE_ERROR, status: 'True', reason, message }, rfc3339(now()));
        if (JSON.stringify(conditions) !== JSON.stringify(claim.status?.conditions ?? [])) {
          await writeStatus(claim, { conditions, allocatedResourceStatuses: { storage: 'ControllerResizeInfeasible' } });
        }
        await reporter.warning(claim, 'VolumeResizeFailed', message);
      }

      return async (key) => {
        await synced(claims, volumes, classInformer);
        const { namespace, name } = splitKey(key);
        const claim = claims.get(namespace, name);
        waitingForRoom.delete(key);
        if (!claim || claim.status?.phase !== 'Bound' || !claim.spec?.volumeName) return;
        const pv = volumes.get(undefined, claim.spec.volumeName);
        // Other drivers' volumes are their resizers' business.
        if (!pv || !isKuraDriver(pv.spec?.csi?.driver ?? '')) return;
        const have = parseBytes(pv.spec?.capacity?.storage).bytes ?? 0;
        const want = getClaimRequestBytes(claim) ?? 0;
        if (want <= have) {
          // Grown (or the request lowered back): the claim shows what the volume has, and no stale error.
          const shown = parseBytes(claim.status.capacity?.storage).bytes;
          const stale = (claim.status.conditions ?? []).some((c) => c.type === RESIZE_ERROR || c.type === RESIZING);
          if (shown !== have || stale) {
            await writeStatus(claim, { capacity: { storage: quantity(have) }, conditions: without(claim.status.conditions, RESIZE_ERROR, RESIZING), allocatedResourceStatuses: null });
          }
          return;
        }
        const sc = classes.get(pv.spec?.storageClassName ?? undefined);
        const handle = parseHandle(pv.spec?.csi?.volumeHandle);
        const pool = handle && pools.byName(handle.pool);
        if (!handle || !pool) return refuse(claim, 'VolumeNotFound', `${name}'s volume ${pv.metadata.name} is in no pool of this cluster, so it cannot grow.`);
        // The rules judge the claim as it was before the new request: its size is the volume's.
        const before: Claim = { ...claim, spec: { ...claim.spec, resources: { ...claim.spec.resources, requests: { storage: have } } }, status: { ...claim.status, capacity: { storage: have } } };
        let note: { reason: string; message: string } | undefined;
        const grown = await pools.withLock(pool, async () => {
          const decision = checkExpansion({ claim: before, newSize: want, storageClass: sc, pool: sc ? { node: pools.nodeOf(pool) ?? null, usage: pools.usage(pool, sc) } : undefined });
          if (!decision.allowed) {
            note = { reason: decision.reason, message: decision.message };
            return undefined;
          }
          await reporter.normal(claim, 'Resizing', `Growing volume ${pv.metadata.name} of ${name} from ${formatSize(have)} to ${formatSize(want)}.`);
          try {
            return await pool.expandVolume(handle.id, want);
          } catch (e) {
            if (!(e instanceof PoolError)) throw e;
            note = { reason: e.code, message: `Growing ${name} to ${formatSize(want)} failed in ${pool.name}: ${errorText(e)}` };
            return undefined;
          }
        });
        if (!grown) {
          if (note?.reason === 'NoRoom') waitingForRoom.add(key);
          return refuse(claim, note?.reason ?? 'Failed', note?.message ?? `${name} could not grow.`);
        }
        pools.poke();
        const size = quantity(grown.sizeBytes);
        await client.patch(PersistentVolumeModel, undefined, pv.metadata.name, { spec: { capacity: { storage: size } } });
        await writeStatus(claim, { capacity: { storage: size }, conditions: without(claim.status.conditions, RESIZE_ERROR, RESIZING), allocatedResourceStatuses: null });
        await reporter.normal(claim, 'VolumeResizeSuccessful', `${name} grew from ${formatSize(have)} to ${formatSize(grown.sizeBytes)}.`);
      };
    },
  };
}
