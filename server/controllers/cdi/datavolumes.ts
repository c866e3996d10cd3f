// The embedded CDI DataVolume controller: renders the target claim (sizes and
// modes from the StorageProfile), creates it, and once it is bound fills it:
// an import, an upload, a copy of another volume, or nothing (blank, or a
// clone the driver makes copy-on-write). Status follows lib/cdi's phase machine.
import fs from 'node:fs';
import path from 'node:path';
import {
  ANN_IMMEDIATE_BINDING,
  DEFAULT_FILESYSTEM_OVERHEAD,
  EMBEDDED_SOURCE_KINDS,
  type DataSource,
  type DataVolume,
  type DataVolumeObservation,
  type ImportRequestPolicy,
  type StorageProfile,
  type WorkerObservation,
  dataVolumeEvents,
  dataVolumeOperation,
  getDataVolumeSourceKind,
  nextDataVolumeStatus,
  overheadForVolumeMode,
  renderTargetClaim,
  usableSize,
  validateDataVolumeSpec,
} from '@/lib/cdi';
import type { K8sResource } from '@/lib/k8s';
import {
  DataSourceModel,
  DataVolumeModel,
  PersistentVolumeClaimModel,
  PersistentVolumeModel,
  StorageClassModel,
  StorageProfileModel,
  VolumeSnapshotContentModel,
  VolumeSnapshotModel,
} from '@/lib/k8s/models';
import { isDefaultStorageClass, isKuraDriver, parseBytes } from '@/lib/provisioning';
import { logger } from '@/server/log';
import type { ImportTarget } from '@/server/node/import';
import { stagedUpload } from '@/server/upload/service';
import { isAlreadyExists } from '../runtime/client';
import { objectKey } from '../runtime/informer';
import type { Controller } from '../runtime/manager';
import { Reporter, synced } from '../storage/context';
import type { PoolSet } from '../storage/pools';
import { type Claim, type Class, parseHandle, splitKey, type Volume, type VolumeSnapshot, type VolumeSnapshotContent } from '../storage/objects';
import { type JobContext, copyJob, importJob, uploadJob } from './jobs';
import { type Blocked, type CloneFrom, type CloneWorld, cloneRef, resolveClone, sourceDriver } from './sources';
import { Transfers } from './transfers';
import { type UploadTargetsRegistry } from './uploads';

const log = logger('cdi');

type DV = DataVolume & K8sResource;
type Profile = StorageProfile & K8sResource;

/** Bytes done and total of the running stage, on the DataVolume, so pages can show speed: "<done>/<total>". */
export const PROGRESS_BYTES_ANNOTATION = 'progress.kura.dev/bytes';
/** On the claim: the DataVolume filled it (CDI's own record of a finished import). */
export const POD_PHASE_ANNOTATION = 'cdi.kubevirt.io/storage.pod.phase';
const CREATED_FOR_ANNOTATION = 'cdi.kubevirt.io/createdForDataVolume';
const CDI_CONTROLLER = 'cdi-controller';

export interface CdiOptions {
  pools: PoolSet;
  /** Where imports keep resume state and staged bytes: <dir>/<DataVolume uid>/. */
  scratchDir: string;
  policy: ImportRequestPolicy;
  /** Registry hosts (host:port) spoken to over plain http, as CDIConfig's insecureRegistries. */
  insecureRegistries?: readonly string[];
  uploads: UploadTargetsRegistry;
  /** Transfers at once (default 3). */
  maxTransfers?: number;
  now?: () => number;
}

const hasOwner = (claim: Claim, dv: DV) => (claim.metadata.ownerReferences ?? []).some((o) => o.uid === dv.metadata.uid);

/** The Failed outcome recorded in status, as a worker observation (after a restart no transfer remembers it). */
function recordedWorker(dv: DV): WorkerObservation | undefined {
  const phase = dv.status?.phase;
  if (phase === 'Succeeded') return { state: 'succeeded' };
  if (phase === 'Failed') {
    const running = dv.status?.conditions?.find((c) => c.type === 'Running');
    return { state: 'failed', reason: running?.reason || 'Error', message: running?.message || 'the transfer failed', final: true };
  }
  return undefined;
}

export function dataVolumeController(opts: CdiOptions): Controller {
  const now = opts.now ?? Date.now;
  return {
    name: 'datavolume-controller',
    concurrency: 4,
    setup(ctx, queue) {
      const { client } = ctx;
      const dvs = ctx.informer<DV>(DataVolumeModel);
      const claims = ctx.informer<Claim>(PersistentVolumeClaimModel);
      const volumes = ctx.informer<Volume>(PersistentVolumeModel);
      const classes = ctx.informer<Class>(StorageClassModel);
      const profiles = ctx.informer<Profile>(StorageProfileModel);
      const snapshots = ctx.informer<VolumeSnapshot>(VolumeSnapshotModel);
      const contents = ctx.informer<VolumeSnapshotContent>(VolumeSnapshotContentModel);
      const dataSources = ctx.informer<DataSource & K8sResource>(DataSourceModel);
      const world: CloneWorld = { claims, volumes, snapshots, contents, dataVolumes: dvs, dataSources };
      const reporter = new Reporter(ctx.events(CDI_CONTROLLER), undefined, opts.now);
      const transfers = new Transfers((key) => queue.add(key), opts.maxTransfers ?? 3);
      /** Bytes of each open upload received so far (the upload server reports them). */
      const uploadBytes = new Map<string, { done: number; total?: number; at: number }>();
      opts.uploads.onStop(() => transfers.stop());

      const enqueue = (o: K8sResource) => queue.add(objectKey(o));
      dvs.on({ add: enqueue, update: enqueue, delete: (dv) => {
        transfers.cancel(dv.metadata.uid ?? '');
        opts.uploads.close(dv.metadata.uid ?? '');
        fs.rmSync(path.join(opts.scratchDir, dv.metadata.uid ?? '-'), { recursive: true, force: true });
      } });
      // A claim, its volume, or a clone's source changing moves the DataVolumes that wait on them.
      const byClaim = (c: Claim) => {
        queue.add(objectKey(c));
        for (const dv of dvs.list((d) => d.metadata.namespace !== undefined && cloneSourceIs(d, c.metadata.namespace!, c.metadata.name, 'pvc'))) enqueue(dv);
      };
      claims.on({ add: byClaim, update: byClaim, delete: byClaim });
      const bySnapshot = (s: VolumeSnapshot) => {
        for (const dv of dvs.list((d) => cloneSourceIs(d, s.metadata.namespace!, s.metadata.name, 'snapshot'))) enqueue(dv);
      };
      snapshots.on({ add: bySnapshot, update: bySnapshot });
      const all = () => dvs.list((d) => !['Succeeded', 'Failed'].includes(d.status?.phase ?? '')).forEach(enqueue);
      profiles.on({ add: all, update: all });
      dataSources.on({ add: all, update: all });

      function cloneSourceIs(dv: DV, ns: string, name: string, kind: 'pvc' | 'snapshot'): boolean {
        const r = cloneRef(dv, world);
        return r !== undefined && !('blocked' in r) && r.kind === kind && (r.ref.namespace || dv.metadata.namespace) === ns && r.ref.name === name;
      }

      function defaultClassName(): string | undefined {
        return classes.list((c) => isDefaultStorageClass(c)).map((c) => c.metadata.name).sort()[0];
      }

      /** The target claim this DataVolume needs, or why it cannot be made yet. */
      function desiredClaim(dv: DV, clone: CloneFrom | undefined): { claim: Record<string, unknown> } | Blocked {
        const spec = dv.spec ?? {};
        const className = (spec.storage ?? spec.pvc)?.storageClassName || defaultClassName();
        const profile = className ? profiles.get(undefined, className) : undefined;
        if (spec.storage && className && !profile) return { blocked: { reason: 'StorageProfileNotReady', message: `The StorageProfile of class ${className} is not there yet` } };
        const cloneSource =
          clone?.kind === 'pvc'
            ? {
                requestBytes: parseBytes(clone.claim.spec?.resources?.requests?.storage).bytes,
                capacityBytes: parseBytes(clone.claim.status?.capacity?.storage).bytes,
                volumeMode: clone.claim.spec?.volumeMode ?? null,
                storageClassName: clone.claim.spec?.storageClassName ?? null,
              }
            : clone?.kind === 'snapshot'
              ? { restoreSizeBytes: parseBytes(clone.snapshot.status?.restoreSize).bytes }
              : undefined;
        const rendered = renderTargetClaim(spec, profile, { ...(className ? { defaultStorageClassName: className } : {}), ...(cloneSource ? { cloneSource } : {}) });
        if (!rendered.spec) return { blocked: { reason: 'ErrClaimNotValid', message: rendered.errors.join(' ') } };
        const claimSpec: Record<string, unknown> = { ...rendered.spec };
        const sc = classes.get(undefined, (rendered.spec.storageClassName as string | undefined) ?? '');
        // The driver copies on write when the source is its own and in the same namespace.
        if (clone && clone.namespace === dv.metadata.namespace && sc && sourceDriver(clone) === sc.provisioner && isKuraDriver(sc.provisioner ?? '')) {
          claimSpec.dataSource = clone.kind === 'pvc' ? { kind: 'PersistentVolumeClaim', name: clone.name } : { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: clone.name };
        }
        const annotations: Record<string, string> = { [CREATED_FOR_ANNOTATION]: dv.metadata.uid ?? '', 'cdi.kubevirt.io/storage.contentType': spec.contentType || 'kubevirt' };
        if (Object.hasOwn(dv.metadata.annotations ?? {}, ANN_IMMEDIATE_BINDING)) annotations[ANN_IMMEDIATE_BINDING] = 'true';
        const url = spec.source?.http?.url ?? spec.source?.s3?.url ?? spec.source?.registry?.url;
        if (url) annotations['cdi.kubevirt.io/storage.import.endpoint'] = url;
        return {
          claim: {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: {
              name: dv.metadata.name,
              namespace: dv.metadata.namespace,
              labels: { ...(dv.metadata.labels ?? {}), app: 'containerized-data-importer', 'app.kubernetes.io/managed-by': CDI_CONTROLLER },
              annotations,
              ownerReferences: [{ apiVersion: 'cdi.kubevirt.io/v1beta1', kind: 'DataVolume', name: dv.metadata.name, uid: dv.metadata.uid, controller: true, blockOwnerDeletion: true }],
            },
            spec: claimSpec,
          },
        };
      }

      /** The volume file behind a bound claim, and what the image may be at most. */
      function targetOf(claim: Claim): (ImportTarget & { poolName: string }) | undefined {
        const pv = claim.spec?.volumeName ? volumes.get(undefined, claim.spec.volumeName) : undefined;
        const handle = parseHandle(pv?.spec?.csi?.volumeHandle);
        const pool = handle && opts.pools.byName(handle.pool);
        const vol = handle && pool?.getVolume(handle.id);
        if (!vol || !pool) return undefined;
        const overhead = overheadForVolumeMode(claim.spec?.volumeMode, DEFAULT_FILESYSTEM_OVERHEAD);
        return { path: vol.path, format: vol.format, usableBytes: usableSize(vol.sizeBytes, overhead), overhead, poolName: pool.name };
      }

      const scratchOf = (dv: DV) => path.join(opts.scratchDir, dv.metadata.uid ?? 'unknown');

      const jobs: JobContext = { client, pools: opts.pools, policy: opts.policy, insecureRegistries: opts.insecureRegistries ?? [], scratchOf, log };
      const startImport = (dv: DV, key: string, claimUid: string, target: ImportTarget) => transfers.start(dv.metadata.uid!, key, 'import', claimUid, importJob(jobs, dv, target));
      const startUploadConversion = (dv: DV, key: string, claimUid: string, target: ImportTarget, file: string) =>
        transfers.start(dv.metadata.uid!, key, 'upload', claimUid, uploadJob(jobs, dv, target, file));
      const startCopy = (dv: DV, key: string, claimUid: string, target: ImportTarget, from: CloneFrom) => transfers.start(dv.metadata.uid!, key, 'clone', claimUid, copyJob(jobs, dv, target, from));

      async function writeStatus(dv: DV, observed: DataVolumeObservation, bytes: { done: number; total?: number } | undefined): Promise<void> {
        const next = nextDataVolumeStatus(dv, observed, now());
        const wantBytes = bytes && observed.worker?.state === 'running' ? `${bytes.done}/${bytes.total ?? ''}` : undefined;
        const haveBytes = dv.metadata.annotations?.[PROGRESS_BYTES_ANNOTATION];
        if (wantBytes !== haveBytes) {
          await client.patch(DataVolumeModel, dv.metadata.namespace, dv.metadata.name, { metadata: { annotations: { [PROGRESS_BYTES_ANNOTATION]: wantBytes ?? null } } }, 'merge');
        }
        if (next === dv.status) return;
        await client.patch(DataVolumeModel, dv.metadata.namespace, dv.metadata.name, { status: next }, 'merge', 'status');
        for (const e of dataVolumeEvents(dv, next, observed)) await reporter.report(dv, e.type, e.reason, e.message);
      }

      /** Once the caches are full: scratch directories of DataVolumes deleted while Kura was down go. */
      let swept: Promise<void> | undefined;
      const sweepScratch = async () => {
        const live = new Set(dvs.list().map((d) => d.metadata.uid));
        const names = await fs.promises.readdir(opts.scratchDir).catch(() => [] as string[]);
        for (const n of names) {
          if (live.has(n)) continue;
          log.info('removing the scratch space of a DataVolume that is gone', { uid: n });
          await fs.promises.rm(path.join(opts.scratchDir, n), { recursive: true, force: true });
        }
      };

      return async (key) => {
        await synced(dvs, claims, volumes, classes, profiles, snapshots, contents, dataSources);
        await (swept ??= sweepScratch().catch((e: unknown) => log.warn('could not sweep the import scratch space', { err: e })));
        const { namespace, name } = splitKey(key);
        const dv = dvs.get(namespace, name);
        if (!dv || dv.metadata.deletionTimestamp) return;
        const uid = dv.metadata.uid!;
        const observed: DataVolumeObservation = {};
        const recorded = recordedWorker(dv);
        if (recorded) {
          // Finished for good: nothing runs any more; the status keeps the story.
          transfers.forget(uid);
          opts.uploads.close(uid);
          const claim = claims.get(namespace, name);
          observed.claim = claim ? { name, phase: claim.status?.phase } : null;
          observed.worker = recorded;
          return writeStatus(dv, observed, undefined);
        }

        const kind = getDataVolumeSourceKind(dv.spec);
        const check = validateDataVolumeSpec(dv.spec, { namespace, name, supportedSources: EMBEDDED_SOURCE_KINDS });
        if (check.errors.length > 0) {
          observed.worker = { state: 'failed', reason: 'InvalidSpec', message: `The DataVolume cannot be used: ${check.errors.map((e) => e.detail).join(' ')}`, final: true };
          return writeStatus(dv, observed, undefined);
        }

        // Clones need their source before the claim can even be sized.
        const op = dataVolumeOperation(dv.spec);
        let clone: CloneFrom | undefined;
        if (op === 'clone') {
          const ref = cloneRef(dv, world);
          const resolved = ref && !('blocked' in ref) ? resolveClone(dv, ref, world) : ref;
          if (!resolved) return;
          if ('blocked' in resolved) {
            observed.claim = claims.get(namespace, name) ? { name, phase: claims.get(namespace, name)!.status?.phase } : null;
            if (!observed.claim) observed.claimBlocked = resolved.blocked;
            else observed.worker = { state: 'pending', reason: resolved.blocked.reason, message: resolved.blocked.message };
            await writeStatus(dv, observed, undefined);
            return;
          }
          clone = resolved;
        }

        let claim = claims.get(namespace, name);
        if (!claim) {
          const desired = desiredClaim(dv, clone);
          if ('blocked' in desired) {
            observed.claim = null;
            observed.claimBlocked = desired.blocked;
            await reporter.warning(dv, desired.blocked.reason, desired.blocked.message);
            return writeStatus(dv, observed, undefined);
          }
          try {
            claim = (await client.create(PersistentVolumeClaimModel, desired.claim as never)) as Claim;
          } catch (e) {
            if (!isAlreadyExists(e)) throw e;
            return { requeueAfterMs: 200 };
          }
        }
        if (!hasOwner(claim, dv)) {
          observed.claim = null;
          observed.claimBlocked = { reason: 'ErrResourceExists', message: `PVC ${namespace}/${name} already exists and is not owned by this DataVolume; delete it or choose another name` };
          return writeStatus(dv, observed, undefined);
        }
        const sc = classes.get(undefined, claim.spec?.storageClassName ?? '');
        observed.claim = { name, phase: claim.status?.phase, ...(claim.metadata.annotations?.['volume.kubernetes.io/selected-node'] ? { selectedNode: claim.metadata.annotations['volume.kubernetes.io/selected-node'] } : {}) };
        observed.waitForFirstConsumer = sc?.volumeBindingMode === 'WaitForFirstConsumer';
        if (claim.status?.phase !== 'Bound') {
          const running = transfers.get(uid);
          if (running) observed.worker = running.state;
          return writeStatus(dv, observed, undefined);
        }

        // Bound: fill it.
        const copyOnWrite = Boolean((claim.spec as { dataSource?: unknown } | undefined)?.dataSource);
        if (kind === 'blank' || (op === 'clone' && copyOnWrite)) {
          observed.worker = { state: 'succeeded' };
          if (op === 'clone') observed.cloneState = 'csi-cloning';
          await markFilled(claim);
          return writeStatus(dv, observed, undefined);
        }
        const target = targetOf(claim);
        if (!target) {
          observed.worker = { state: 'pending', reason: 'VolumeNotFound', message: `PVC ${name}'s volume is not in a pool of this cluster (a claim of another driver cannot be filled here)` };
          return writeStatus(dv, observed, undefined);
        }
        const claimUid = claim.metadata.uid ?? '';
        let t = transfers.get(uid);
        if (t && t.claimUid !== claimUid) {
          // The claim was deleted and made again: what ran filled a volume that is gone.
          transfers.cancel(uid);
          opts.uploads.close(uid);
          t = undefined;
        }
        if (!t) {
          if (op === 'import') startImport(dv, key, claimUid, target);
          else if (op === 'clone' && clone) startCopy(dv, key, claimUid, target, clone);
          else if (op === 'upload') {
            const staged = stagedUpload(scratchOf(dv));
            if (staged) startUploadConversion(dv, key, claimUid, target, staged);
            else {
              // The upload server is up for this claim: UploadReady until every byte is in.
              opts.uploads.open(namespace!, name, {
                uid,
                dir: scratchOf(dv),
                usableBytes: target.usableBytes,
                onBytes: (done, total) => {
                  const last = uploadBytes.get(uid);
                  uploadBytes.set(uid, { done, total, at: last && Date.now() - last.at < 1000 ? last.at : Date.now() });
                  if (!last || Date.now() - last.at >= 1000 || done === total) queue.add(key);
                },
                complete: (file) => {
                  uploadBytes.delete(uid);
                  startUploadConversion(dv, key, claimUid, target, file);
                  return opts.uploads.whenDone(uid);
                },
              });
              const got = uploadBytes.get(uid);
              observed.uploadReady = true;
              observed.worker = { state: 'running', ...(got?.total ? { doneBytes: got.done, totalBytes: got.total } : {}) };
              await writeStatus(dv, observed, got ? { done: got.done, ...(got.total ? { total: got.total } : {}) } : undefined);
              return undefined;
            }
          }
          t = transfers.get(uid);
        }
        if (t) {
          observed.worker = t.state;
          observed.attempts = t.attempts;
          if (op === 'upload') observed.uploadReady = true;
          if (t.state.state === 'succeeded') {
            await markFilled(claim);
            opts.uploads.finished(uid, undefined);
          } else if (t.state.state === 'failed' && t.state.final) {
            opts.uploads.finished(uid, new Error(t.state.message));
          }
        }
        await writeStatus(dv, observed, t?.bytes);
        if (t && (t.state.state === 'succeeded' || (t.state.state === 'failed' && t.state.final))) transfers.forget(uid);
        return undefined;
      };

      async function markFilled(claim: Claim): Promise<void> {
        if (claim.metadata.annotations?.[POD_PHASE_ANNOTATION] === 'Succeeded') return;
        await client.patch(PersistentVolumeClaimModel, claim.metadata.namespace, claim.metadata.name, { metadata: { annotations: { [POD_PHASE_ANNOTATION]: 'Succeeded' } } }, 'merge');
      }
    },
  };
}
