// The CSI half of snapshots (csi-snapshotter and Kura's drivers): a content of a
// volume gets its snapshot taken in the volume's pool; a pre-provisioned one is
// checked; deletion removes the pool snapshot when the policy is Delete.
import { VolumeSnapshotContentModel, VolumeSnapshotModel } from '@/lib/k8s/models';
import { formatSize, isKuraDriver } from '@/lib/provisioning';
import { PoolError } from '@/server/node/types';
import { isNotFound } from '../runtime/client';
import type { Controller } from '../runtime/manager';
import { CREATION_TIME_ANNOTATION, VSC_BOUND_FINALIZER } from './constants';
import { Backoff, Reporter, type StorageOptions, synced } from './context';
import { errorText, finalizersPatch, hasFinalizer, makeHandle, parseHandle, rfc3339, type VolumeSnapshot, type VolumeSnapshotContent } from './objects';

export function snapshotContentController(opts: StorageOptions): Controller {
  const now = opts.now ?? Date.now;
  return {
    name: 'csi-snapshotter',
    setup(ctx, queue) {
      const { client } = ctx;
      const pools = opts.pools;
      const contents = ctx.informer<VolumeSnapshotContent>(VolumeSnapshotContentModel);
      const snapshots = ctx.informer<VolumeSnapshot>(VolumeSnapshotModel);
      const reporter = new Reporter(ctx.events('csi-snapshotter'), undefined, opts.now);
      const backoff = new Backoff(1000, opts.maxRetryMs ?? 120_000);
      contents.on({ add: (c) => queue.add(c.metadata.name), update: (c) => queue.add(c.metadata.name) });
      const onSnapshot = (s: VolumeSnapshot) => s.status?.boundVolumeSnapshotContentName && queue.add(s.status.boundVolumeSnapshotContentName);
      snapshots.on({ update: onSnapshot, delete: onSnapshot });

      const writeStatus = (c: VolumeSnapshotContent, status: Record<string, unknown>) =>
        client.patch(VolumeSnapshotContentModel, undefined, c.metadata.name, { status }, 'merge', 'status');

      async function failed(c: VolumeSnapshotContent, vs: VolumeSnapshot | undefined, message: string): Promise<{ requeueAfterMs: number }> {
        if (c.status?.error?.message !== message) await writeStatus(c, { readyToUse: false, error: { message, time: rfc3339(now()) } });
        await reporter.warning(vs ?? c, 'SnapshotCreationFailed', message);
        return { requeueAfterMs: backoff.next(c.metadata.name) };
      }

      return async (name) => {
        await synced(contents, snapshots);
        const c = contents.get(undefined, name);
        if (!c || !isKuraDriver(c.spec?.driver ?? '')) return;
        const ref = c.spec?.volumeSnapshotRef;
        const vs = ref?.name ? snapshots.get(ref.namespace, ref.name) : undefined;
        const owner = vs && (!ref?.uid || vs.metadata.uid === ref.uid) ? vs : undefined;

        if (c.metadata.deletionTimestamp) {
          if (!hasFinalizer(c, VSC_BOUND_FINALIZER)) return;
          // Still bound to a snapshot that is not going away: the content stays with it.
          if (owner && !owner.metadata.deletionTimestamp) return;
          const handle = parseHandle(c.status?.snapshotHandle ?? c.spec?.source?.snapshotHandle);
          const pool = handle && pools.byName(handle.pool);
          // The pool keeps the data while restored volumes still need it.
          if (c.spec?.deletionPolicy === 'Delete' && handle && pool) await pool.deleteSnapshot(handle.id);
          try {
            await client.patch(VolumeSnapshotContentModel, undefined, name, finalizersPatch(c, (c.metadata.finalizers ?? []).filter((f) => f !== VSC_BOUND_FINALIZER)));
          } catch (e) {
            if (!isNotFound(e)) throw e;
          }
          return;
        }
        if (ref?.uid && !owner) {
          // Its snapshot is gone: Delete takes the content with it, Retain keeps it for an admin.
          if (c.spec?.deletionPolicy === 'Delete') await client.delete(VolumeSnapshotContentModel, undefined, name, { preconditions: { uid: c.metadata.uid } });
          return;
        }
        if (c.status?.readyToUse) return;

        const source = c.spec?.source ?? {};
        if (source.volumeHandle) {
          const handle = parseHandle(source.volumeHandle);
          const pool = handle && pools.byName(handle.pool);
          if (!handle || !pool) return failed(c, owner, `Volume ${source.volumeHandle} is in no pool of this cluster.`);
          let info;
          try {
            info = await pool.snapshot(handle.id, name);
          } catch (e) {
            if (!(e instanceof PoolError)) throw e;
            return failed(c, owner, `Taking the snapshot of ${handle.id} in ${pool.name} failed: ${errorText(e)}`);
          }
          backoff.reset(name);
          const cut = rfc3339(Date.parse(info.createdAt) || now());
          if (c.metadata.annotations?.[CREATION_TIME_ANNOTATION] !== cut) {
            await client.patch(VolumeSnapshotContentModel, undefined, name, { metadata: { annotations: { [CREATION_TIME_ANNOTATION]: cut } } });
          }
          await writeStatus(c, { snapshotHandle: makeHandle(pool.name, info.id), readyToUse: true, restoreSize: info.restoreSizeBytes, error: null });
          await reporter.normal(owner ?? c, 'SnapshotCreated', `Snapshot ${info.id} of ${handle.id} taken in ${pool.name} (restores into ${formatSize(info.restoreSizeBytes)} or more).`);
          return;
        }
        if (source.snapshotHandle) {
          const handle = parseHandle(source.snapshotHandle);
          const pool = handle && pools.byName(handle.pool);
          const snap = handle && pool?.getSnapshot(handle.id);
          if (!handle || !pool || !snap) return failed(c, owner, `Snapshot ${source.snapshotHandle} does not exist in any pool of this cluster.`);
          backoff.reset(name);
          const cut = rfc3339(Date.parse(snap.createdAt) || now());
          if (c.metadata.annotations?.[CREATION_TIME_ANNOTATION] !== cut) {
            await client.patch(VolumeSnapshotContentModel, undefined, name, { metadata: { annotations: { [CREATION_TIME_ANNOTATION]: cut } } });
          }
          await writeStatus(c, { snapshotHandle: source.snapshotHandle, readyToUse: true, restoreSize: snap.restoreSizeBytes, error: null });
        }
      };
    },
  };
}
