// DataSources: a named pointer to a boot volume (a PVC or a VolumeSnapshot).
// Ready when what it points at exists and holds its data, as CDI reports it.
import type { DataSource, DataVolume } from '@/lib/cdi';
import type { K8sResource } from '@/lib/k8s';
import { DataSourceModel, DataVolumeModel, PersistentVolumeClaimModel, VolumeSnapshotModel } from '@/lib/k8s/models';
import { objectKey } from '../runtime/informer';
import type { Controller } from '../runtime/manager';
import { synced } from '../storage/context';
import { type Claim, rfc3339, splitKey, type VolumeSnapshot } from '../storage/objects';

type DS = DataSource & K8sResource & { status?: { conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string; lastHeartbeatTime?: string }[]; source?: unknown } };

export function dataSourceController(now: () => number = Date.now): Controller {
  return {
    name: 'datasource-controller',
    setup(ctx, queue) {
      const sources = ctx.informer<DS>(DataSourceModel);
      const claims = ctx.informer<Claim>(PersistentVolumeClaimModel);
      const dvs = ctx.informer<DataVolume & K8sResource>(DataVolumeModel);
      const snapshots = ctx.informer<VolumeSnapshot>(VolumeSnapshotModel);
      sources.on({ add: (s) => queue.add(objectKey(s)), update: (s) => queue.add(objectKey(s)) });
      const pointing = (o: K8sResource) => sources.list((s) => {
        const ref = s.spec?.source?.pvc ?? s.spec?.source?.snapshot;
        return (ref?.namespace || s.metadata.namespace) === o.metadata.namespace && ref?.name === o.metadata.name;
      }).forEach((s) => queue.add(objectKey(s)));
      for (const inf of [claims, dvs, snapshots] as const) (inf as typeof claims).on({ add: pointing, update: pointing, delete: pointing });

      return async (key) => {
        await synced(sources, claims, dvs, snapshots);
        const { namespace, name } = splitKey(key);
        const ds = sources.get(namespace, name);
        if (!ds) return;
        const src = ds.spec?.source;
        let ready: { status: 'True' | 'False'; reason: string; message: string };
        if (src?.pvc?.name) {
          const ns = src.pvc.namespace || namespace!;
          const claim = claims.get(ns, src.pvc.name);
          const dv = dvs.get(ns, src.pvc.name);
          if (dv && dv.status?.phase !== 'Succeeded') ready = { status: 'False', reason: dv.status?.phase || 'Pending', message: `DataVolume ${ns}/${src.pvc.name} is ${dv.status?.phase || 'Pending'}` };
          else if (!claim) ready = { status: 'False', reason: 'NotFound', message: `PVC ${ns}/${src.pvc.name} does not exist` };
          else if (claim.status?.phase !== 'Bound') ready = { status: 'False', reason: 'Pending', message: `PVC ${ns}/${src.pvc.name} is not bound` };
          else ready = { status: 'True', reason: 'Ready', message: `PVC ${ns}/${src.pvc.name} is ready` };
        } else if (src?.snapshot?.name) {
          const ns = src.snapshot.namespace || namespace!;
          const snap = snapshots.get(ns, src.snapshot.name);
          if (!snap) ready = { status: 'False', reason: 'NotFound', message: `VolumeSnapshot ${ns}/${src.snapshot.name} does not exist` };
          else if (!snap.status?.readyToUse) ready = { status: 'False', reason: 'SnapshotNotReady', message: `VolumeSnapshot ${ns}/${src.snapshot.name} is not ready to use` };
          else ready = { status: 'True', reason: 'Ready', message: `VolumeSnapshot ${ns}/${src.snapshot.name} is ready` };
        } else {
          ready = { status: 'False', reason: 'NoSource', message: 'spec.source names neither a pvc nor a snapshot' };
        }
        const old = ds.status?.conditions?.find((c) => c.type === 'Ready');
        if (old && old.status === ready.status && old.reason === ready.reason && old.message === ready.message && JSON.stringify(ds.status?.source) === JSON.stringify(src ?? {})) return;
        const t = rfc3339(now());
        const cond = { type: 'Ready', ...ready, lastHeartbeatTime: t, lastTransitionTime: old && old.status === ready.status ? old.lastTransitionTime : t };
        const others = (ds.status?.conditions ?? []).filter((c) => c.type !== 'Ready');
        await ctx.client.patch(DataSourceModel, namespace, name, { status: { source: src ?? {}, conditions: [...others, cond] } }, 'merge', 'status');
      };
    },
  };
}
