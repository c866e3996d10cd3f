// The snapshot controller (external-snapshotter's common half): a VolumeSnapshot
// of a claim gets a VolumeSnapshotContent of its class's driver; a snapshot of a
// pre-provisioned content binds to it; status follows the content; deletion in order.
import { PersistentVolumeClaimModel, PersistentVolumeModel, VolumeSnapshotClassModel, VolumeSnapshotContentModel, VolumeSnapshotModel } from '@/lib/k8s/models';
import { isKuraDriver } from '@/lib/provisioning';
import { isAlreadyExists, isNotFound } from '../runtime/client';
import { objectKey } from '../runtime/informer';
import type { Controller } from '../runtime/manager';
import { contentNameFor, CREATION_TIME_ANNOTATION, DEFAULT_SNAPSHOT_CLASS_ANNOTATION, VS_BOUND_FINALIZER, VSC_BOUND_FINALIZER } from './constants';
import { Reporter, type StorageOptions, synced } from './context';
import { type Claim, finalizersPatch, hasFinalizer, quantity, rfc3339, type SnapshotClass, splitKey, type Volume, type VolumeSnapshot, type VolumeSnapshotContent } from './objects';

/** The class a snapshot uses: the one it names, else the driver's default (exactly one marked default). */
export function chooseSnapshotClass(vs: VolumeSnapshot, driver: string, classes: readonly SnapshotClass[]): { cls?: SnapshotClass; problem?: string } {
  const named = vs.spec?.volumeSnapshotClassName;
  if (named) {
    const cls = classes.find((c) => c.metadata.name === named);
    if (!cls) return { problem: `VolumeSnapshotClass ${named} does not exist.` };
    if (cls.driver !== driver) return { problem: `VolumeSnapshotClass ${named} is for ${cls.driver ?? 'no driver'}, but the volume is a ${driver} volume.` };
    return { cls };
  }
  const defaults = classes.filter((c) => c.driver === driver && c.metadata.annotations?.[DEFAULT_SNAPSHOT_CLASS_ANNOTATION] === 'true');
  if (defaults.length === 1) return { cls: defaults[0] };
  if (defaults.length === 0) return { problem: `No default VolumeSnapshotClass exists for ${driver}; name one in spec.volumeSnapshotClassName.` };
  return { problem: `${defaults.length} VolumeSnapshotClasses are marked default for ${driver}; name one in spec.volumeSnapshotClassName.` };
}

/** The VolumeSnapshot's status as its content shows it. */
export function statusFromContent(content: VolumeSnapshotContent): NonNullable<VolumeSnapshot['status']> {
  const s = content.status ?? {};
  return {
    boundVolumeSnapshotContentName: content.metadata.name,
    readyToUse: s.readyToUse === true,
    ...(s.restoreSize !== undefined ? { restoreSize: quantity(s.restoreSize) } : {}),
    ...(s.readyToUse ? { creationTime: content.metadata.annotations?.[CREATION_TIME_ANNOTATION] ?? content.metadata.creationTimestamp } : {}),
    ...(s.error ? { error: s.error } : {}),
  };
}

export function snapshotController(opts: StorageOptions): Controller {
  const now = opts.now ?? Date.now;
  return {
    name: 'snapshot-controller',
    setup(ctx, queue) {
      const { client } = ctx;
      const snapshots = ctx.informer<VolumeSnapshot>(VolumeSnapshotModel);
      const contents = ctx.informer<VolumeSnapshotContent>(VolumeSnapshotContentModel);
      const classes = ctx.informer<SnapshotClass>(VolumeSnapshotClassModel);
      const claims = ctx.informer<Claim>(PersistentVolumeClaimModel);
      const volumes = ctx.informer<Volume>(PersistentVolumeModel);
      const reporter = new Reporter(ctx.events('snapshot-controller'), undefined, opts.now);
      snapshots.on({ add: (s) => queue.add(objectKey(s)), update: (s) => queue.add(objectKey(s)) });
      const onContent = (c: VolumeSnapshotContent) => {
        const ref = c.spec?.volumeSnapshotRef;
        if (ref?.name) queue.add(`${ref.namespace ?? ''}/${ref.name}`);
      };
      contents.on({ add: onContent, update: onContent, delete: onContent });
      const onClaim = (c: Claim) => {
        for (const s of snapshots.list((v) => v.metadata.namespace === c.metadata.namespace && v.spec?.source?.persistentVolumeClaimName === c.metadata.name)) queue.add(objectKey(s));
      };
      claims.on({ add: onClaim, update: onClaim });

      /** Merge-patches status (null removes a field), only when that changes something. */
      const writeStatus = async (vs: VolumeSnapshot, status: Record<string, unknown>) => {
        const current: Record<string, unknown> = { ...vs.status };
        const changed = Object.entries(status).some(([k, v]) => (v === null ? k in current : JSON.stringify(current[k]) !== JSON.stringify(v)));
        if (!changed) return;
        await client.patch(VolumeSnapshotModel, vs.metadata.namespace, vs.metadata.name, { status }, 'merge', 'status');
      };
      const fail = async (vs: VolumeSnapshot, reason: string, message: string) => {
        if (vs.status?.error?.message !== message) await writeStatus(vs, { readyToUse: false, error: { message, time: rfc3339(now()) } });
        await reporter.warning(vs, reason, message);
      };
      const setFinalizers = async (o: VolumeSnapshot | VolumeSnapshotContent, model: typeof VolumeSnapshotModel, finalizers: string[]) => {
        try {
          await client.patch(model, o.metadata.namespace, o.metadata.name, finalizersPatch(o, finalizers));
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      };

      async function deleting(vs: VolumeSnapshot): Promise<void> {
        if (!hasFinalizer(vs, VS_BOUND_FINALIZER)) return;
        const content = vs.status?.boundVolumeSnapshotContentName ? contents.get(undefined, vs.status.boundVolumeSnapshotContentName) : undefined;
        if (content && content.spec?.volumeSnapshotRef?.uid === vs.metadata.uid) {
          if (content.spec?.deletionPolicy === 'Delete') {
            // The content goes first (it deletes the data); this snapshot follows once it is gone.
            if (!content.metadata.deletionTimestamp) await client.delete(VolumeSnapshotContentModel, undefined, content.metadata.name);
            return;
          }
          // Retain: the content stays, free to be deleted by an admin later.
          if (hasFinalizer(content, VSC_BOUND_FINALIZER)) {
            await setFinalizers(content, VolumeSnapshotContentModel, (content.metadata.finalizers ?? []).filter((f) => f !== VSC_BOUND_FINALIZER));
          }
        }
        await setFinalizers(vs, VolumeSnapshotModel, (vs.metadata.finalizers ?? []).filter((f) => f !== VS_BOUND_FINALIZER));
      }

      /** A dynamic snapshot: find the claim's volume and class, and make its content. */
      async function ensureContent(vs: VolumeSnapshot, claimName: string): Promise<VolumeSnapshotContent | undefined> {
        const ns = vs.metadata.namespace ?? '';
        const claim = claims.get(ns, claimName);
        if (!claim) return void (await fail(vs, 'SnapshotCreationFailed', `Cannot take the snapshot: PersistentVolumeClaim ${claimName} does not exist in ${ns}.`));
        const pv = claim.spec?.volumeName ? volumes.get(undefined, claim.spec.volumeName) : undefined;
        if (claim.status?.phase !== 'Bound' || !pv) return void (await fail(vs, 'SnapshotPending', `Waiting for PersistentVolumeClaim ${claimName} to be bound before taking the snapshot.`));
        const driver = pv.spec?.csi?.driver ?? '';
        // Snapshots of other drivers' volumes are their snapshotters' business.
        if (!isKuraDriver(driver)) return undefined;
        const choice = chooseSnapshotClass(vs, driver, classes.list());
        if (!choice.cls) return void (await fail(vs, 'SnapshotCreationFailed', choice.problem ?? 'no VolumeSnapshotClass'));
        // As the snapshot controller does: the default class chosen is written down, so later reads agree.
        if (!vs.spec?.volumeSnapshotClassName) {
          await client.patch(VolumeSnapshotModel, ns, vs.metadata.name, { spec: { volumeSnapshotClassName: choice.cls.metadata.name } });
        }
        const name = contentNameFor(vs.metadata.uid ?? '');
        const existing = contents.get(undefined, name);
        if (existing) return existing;
        const content: VolumeSnapshotContent = {
          apiVersion: 'snapshot.storage.k8s.io/v1',
          kind: 'VolumeSnapshotContent',
          metadata: { name, finalizers: [VSC_BOUND_FINALIZER] },
          spec: {
            deletionPolicy: choice.cls.deletionPolicy ?? 'Delete',
            driver,
            source: { volumeHandle: pv.spec?.csi?.volumeHandle },
            sourceVolumeMode: pv.spec?.volumeMode ?? 'Filesystem',
            volumeSnapshotClassName: choice.cls.metadata.name,
            volumeSnapshotRef: { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot', name: vs.metadata.name, namespace: ns, uid: vs.metadata.uid },
          },
        };
        try {
          const made = await client.create(VolumeSnapshotContentModel, content);
          await reporter.normal(vs, 'CreatingSnapshot', `Taking a snapshot of ${claimName} (VolumeSnapshotContent ${name}).`);
          return made;
        } catch (e) {
          if (!isAlreadyExists(e)) throw e;
          return client.get<VolumeSnapshotContent>(VolumeSnapshotContentModel, undefined, name);
        }
      }

      /** A pre-provisioned snapshot: the content must name this snapshot; binding fills in its uid. */
      async function bindContent(vs: VolumeSnapshot, contentName: string): Promise<VolumeSnapshotContent | undefined> {
        const content = contents.get(undefined, contentName);
        if (!content) return void (await fail(vs, 'SnapshotContentMissing', `VolumeSnapshotContent ${contentName} does not exist.`));
        const ref = content.spec?.volumeSnapshotRef;
        if (ref?.name !== vs.metadata.name || ref.namespace !== vs.metadata.namespace || (ref.uid && ref.uid !== vs.metadata.uid)) {
          return void (await fail(vs, 'SnapshotBindFailed', `VolumeSnapshotContent ${contentName} belongs to VolumeSnapshot ${ref?.namespace ?? ''}/${ref?.name ?? ''}, not to this one.`));
        }
        if (!ref.uid || !hasFinalizer(content, VSC_BOUND_FINALIZER)) {
          return client.patch<VolumeSnapshotContent>(VolumeSnapshotContentModel, undefined, contentName, {
            metadata: { resourceVersion: content.metadata.resourceVersion, finalizers: [...new Set([...(content.metadata.finalizers ?? []), VSC_BOUND_FINALIZER])] },
            spec: { volumeSnapshotRef: { ...ref, uid: vs.metadata.uid } },
          });
        }
        return content;
      }

      return async (key) => {
        await synced(snapshots, contents, classes, claims, volumes);
        const { namespace, name } = splitKey(key);
        const vs = snapshots.get(namespace, name);
        if (!vs) return;
        if (vs.metadata.deletionTimestamp) return deleting(vs);
        const source = vs.spec?.source ?? {};
        const content = source.volumeSnapshotContentName
          ? await bindContent(vs, source.volumeSnapshotContentName)
          : source.persistentVolumeClaimName
            ? await ensureContent(vs, source.persistentVolumeClaimName)
            : undefined;
        if (!content) return;
        if (!hasFinalizer(vs, VS_BOUND_FINALIZER)) await setFinalizers(vs, VolumeSnapshotModel, [...(vs.metadata.finalizers ?? []), VS_BOUND_FINALIZER]);
        const wasReady = vs.status?.readyToUse === true;
        const status = statusFromContent(content);
        await writeStatus(vs, { ...status, error: status.error ?? null });
        if (status.readyToUse && !wasReady) await reporter.normal(vs, 'SnapshotReady', `Snapshot ${namespace ?? ''}/${name} is ready to use.`);
      };
    },
  };
}
