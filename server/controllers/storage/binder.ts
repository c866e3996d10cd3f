// The volume binder and provisioner (kube-controller-manager's PV controller,
// external-provisioner and the CSI driver in one): for each claim, bind it to a
// fitting volume or make one in a pool (data first, then the PV), or say why not.
import { NodeModel, PersistentVolumeClaimModel, PersistentVolumeModel, StorageClassModel, VolumeSnapshotContentModel, VolumeSnapshotModel } from '@/lib/k8s/models';
import { fitsInPool, formatSize, nodeAffinityFor, type StorageClassView } from '@/lib/provisioning';
import { PoolError } from '@/server/node/types';
import { logger } from '../../log';
import { isAlreadyExists, isNotFound } from '../runtime/client';
import { objectKey } from '../runtime/informer';
import type { Controller } from '../runtime/manager';
import type { ReconcileResult } from '../runtime/workqueue';
import { ClassViews } from './classes';
import {
  BETA_STORAGE_PROVISIONER_ANNOTATION,
  BIND_COMPLETED_ANNOTATION,
  BOUND_BY_CONTROLLER_ANNOTATION,
  PROVISIONED_BY_ANNOTATION,
  STORAGE_PROVISIONER_ANNOTATION,
  volumeNameFor,
} from './constants';
import { Backoff, Reporter, type StorageOptions, synced } from './context';
import { type Claim, type Class, findCondition, makeHandle, type NodeObject, quantity, splitKey, type Volume, type VolumeSnapshot, type VolumeSnapshotContent } from './objects';
import { type ClaimDecision, type ClaimWorld, decideClaim, type ProvisionPlan, shortfallMessage } from './provision';

const log = logger('pv-binder');
const GONE = 'gone:';

/** The PersistentVolume for a volume just made in a pool, as external-provisioner writes it. */
export function volumeFor(claim: Claim, plan: ProvisionPlan, sizeBytes: number): Volume {
  const sc = plan.storageClass;
  const mode = claim.spec?.volumeMode || 'Filesystem';
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: plan.volumeName, annotations: { [PROVISIONED_BY_ANNOTATION]: sc.provisioner } },
    spec: {
      accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
      capacity: { storage: quantity(sizeBytes) },
      claimRef: claimRef(claim),
      csi: { driver: sc.provisioner, volumeHandle: makeHandle(plan.pool.name, plan.volumeName), ...(mode === 'Filesystem' ? { fsType: 'ext4' } : {}) },
      persistentVolumeReclaimPolicy: sc.reclaimPolicy,
      storageClassName: sc.name,
      volumeMode: mode,
      ...(plan.node ? { nodeAffinity: nodeAffinityFor(plan.node) } : {}),
      ...(sc.mountOptions.length ? { mountOptions: sc.mountOptions } : {}),
    },
  };
}

const claimRef = (claim: Claim) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  namespace: claim.metadata.namespace,
  name: claim.metadata.name,
  uid: claim.metadata.uid,
  resourceVersion: claim.metadata.resourceVersion,
});

export function binderController(opts: StorageOptions): Controller {
  return {
    name: 'pv-binder',
    concurrency: 8,
    setup(ctx, queue) {
      const { client } = ctx;
      const pools = opts.pools;
      const claims = ctx.informer<Claim>(PersistentVolumeClaimModel);
      const volumes = ctx.informer<Volume>(PersistentVolumeModel);
      const classInformer = ctx.informer<Class>(StorageClassModel);
      const nodes = ctx.informer<NodeObject>(NodeModel);
      const snapshots = ctx.informer<VolumeSnapshot>(VolumeSnapshotModel);
      const contents = ctx.informer<VolumeSnapshotContent>(VolumeSnapshotContentModel);
      const classes = new ClassViews(classInformer);
      const reporter = new Reporter(ctx.events('persistentvolume-controller'), undefined, opts.now);
      const backoff = new Backoff(1000, opts.maxRetryMs ?? 120_000);
      const pending = new Set<string>();
      const retryPending = () => pending.forEach((k) => queue.add(k));
      const retryClonesOf = (source: Claim) => {
        for (const k of pending) {
          const { namespace, name } = splitKey(k);
          const ref = claims.get(namespace, name)?.spec;
          const from = ref?.dataSourceRef ?? ref?.dataSource;
          if (namespace === source.metadata.namespace && from?.kind === 'PersistentVolumeClaim' && from.name === source.metadata.name) queue.add(k);
        }
      };

      claims.on({
        add: (c) => queue.add(objectKey(c)),
        update: (c, old) => {
          queue.add(objectKey(c));
          // A clone waits for its source to be bound.
          if (c.status?.phase === 'Bound' && old.status?.phase !== 'Bound') retryClonesOf(c);
        },
        delete: (c) => {
          pending.delete(objectKey(c));
          reporter.forget(c.metadata.uid);
          queue.add(GONE + (c.metadata.uid ?? ''));
        },
      });
      const onVolume = (pv: Volume) => {
        const ref = pv.spec?.claimRef;
        if (ref?.name) queue.add(`${ref.namespace ?? ''}/${ref.name}`);
        else retryPending();
      };
      // A deleted volume may leave its claim Lost.
      volumes.on({ add: onVolume, update: onVolume, delete: onVolume });
      classInformer.on({ add: retryPending, update: retryPending });
      const readiness = (n: NodeObject) => findCondition(n.status?.conditions, 'Ready')?.status;
      // Heartbeats change nodes every 30 s; only a change of readiness can help a pending claim.
      nodes.on({ add: retryPending, update: (n, old) => readiness(n) !== readiness(old) && retryPending() });
      snapshots.on({ add: retryPending, update: retryPending });
      contents.on({ update: retryPending });
      pools.onChange((c) => c.freed && retryPending());

      const world = (): ClaimWorld => ({
        classes: classes.all(),
        volumes: () => volumes.list(),
        node: (n) => nodes.get(undefined, n),
        volume: (n) => volumes.get(undefined, n),
        claim: (ns, n) => claims.get(ns, n),
        snapshot: (ns, n) => snapshots.get(ns, n),
        content: (n) => contents.get(undefined, n),
        pools,
      });

      async function waitFor(key: string, claim: Claim, d: Extract<ClaimDecision, { action: 'wait' }>): Promise<ReconcileResult | void> {
        pending.add(key);
        if (!d.quiet) await reporter.report(claim, d.type, d.reason, d.message);
        if (d.retry === 'backoff') return { requeueAfterMs: backoff.next(key) };
      }

      async function bind(claim: Claim, pv: Volume, sc: StorageClassView | undefined): Promise<void> {
        const name = pv.metadata.name;
        let bound = pv;
        if (pv.spec?.claimRef?.uid !== claim.metadata.uid) {
          // Conditional on the version read: two claims racing for one volume cannot both take it.
          bound = await client.patch<Volume>(PersistentVolumeModel, undefined, name, {
            metadata: { resourceVersion: pv.metadata.resourceVersion, annotations: { [BOUND_BY_CONTROLLER_ANNOTATION]: 'yes' } },
            spec: { claimRef: claimRef(claim) },
          });
        }
        if (bound.status?.phase !== 'Bound') await client.patch(PersistentVolumeModel, undefined, name, { status: { phase: 'Bound', message: null, reason: null } }, 'merge', 'status');
        const a = claim.metadata.annotations ?? {};
        const provisioner = sc && (sc.driver.known || bound.metadata.annotations?.[PROVISIONED_BY_ANNOTATION]) ? sc.provisioner : undefined;
        const annotations: Record<string, string> = { [BIND_COMPLETED_ANNOTATION]: 'yes' };
        if (!claim.spec?.volumeName) annotations[BOUND_BY_CONTROLLER_ANNOTATION] = 'yes';
        if (provisioner) Object.assign(annotations, { [STORAGE_PROVISIONER_ANNOTATION]: provisioner, [BETA_STORAGE_PROVISIONER_ANNOTATION]: provisioner });
        if (claim.spec?.volumeName !== name || Object.entries(annotations).some(([k, v]) => a[k] !== v)) {
          await client.patch(PersistentVolumeClaimModel, claim.metadata.namespace, claim.metadata.name, { metadata: { annotations }, spec: { volumeName: name } });
        }
        await client.patch(
          PersistentVolumeClaimModel, claim.metadata.namespace, claim.metadata.name,
          { status: { phase: 'Bound', capacity: bound.spec?.capacity, accessModes: bound.spec?.accessModes } }, 'merge', 'status',
        );
      }

      /** Make the volume in its pool (checking room under the pool's lock), then the PV, then bind. */
      async function provision(key: string, claim: Claim, plan: ProvisionPlan): Promise<ReconcileResult | void> {
        const sc = plan.storageClass;
        const where = plan.node ? ` on ${plan.node}` : '';
        // Said only when it looks like it fits (the check under the lock decides).
        if (plan.pool.getVolume(plan.volumeName) || fitsInPool(pools.usage(plan.pool, sc), plan.sizeBytes)) {
          await reporter.normal(claim, 'Provisioning', `${sc.provisioner} is making a ${formatSize(plan.sizeBytes)} volume for ${claim.metadata.name}${where}${plan.sourceText ? `, ${plan.sourceText}` : ''}.`);
        }
        const outcome = await pools.withLock(plan.pool, async () => {
          const existing = plan.pool.getVolume(plan.volumeName);
          if (existing && existing.sizeBytes >= plan.sizeBytes) return { size: existing.sizeBytes };
          // Never bound: a leftover too small (the request grew meanwhile) is started over rather than patched up.
          if (existing) await plan.pool.deleteVolume(plan.volumeName);
          if (!fitsInPool(pools.usage(plan.pool, sc), plan.sizeBytes)) return { noRoom: true as const };
          // A copy is a qcow2 overlay of its source whatever the class's format.
          const format = plan.source ? 'qcow2' : sc.kura.imageFormat;
          const made = await plan.pool.createVolume(plan.volumeName, plan.sizeBytes, { format, source: plan.source });
          return { size: made.sizeBytes };
        }).catch((e: unknown) => ({ error: e }));
        if ('error' in outcome) {
          if (!(outcome.error instanceof PoolError)) throw outcome.error;
          return waitFor(key, claim, { action: 'wait', type: 'Warning', reason: 'ProvisioningFailed', message: `${plan.pool.name}: ${outcome.error.message}`, retry: 'backoff' });
        }
        if ('noRoom' in outcome) {
          // Another claim took the room between choosing the node and the lock: choose again now.
          if (plan.chosen) return { requeueAfterMs: 0 };
          return waitFor(key, claim, { action: 'wait', type: 'Warning', reason: 'ProvisioningFailed', message: shortfallMessage(claim, world(), sc), retry: 'backoff' });
        }
        pools.poke();
        let pv: Volume;
        try {
          pv = await client.create(PersistentVolumeModel, volumeFor(claim, plan, outcome.size));
        } catch (e) {
          if (!isAlreadyExists(e)) throw e;
          pv = await client.get<Volume>(PersistentVolumeModel, undefined, plan.volumeName);
        }
        await reporter.normal(claim, 'ProvisioningSucceeded', `Successfully provisioned volume ${plan.volumeName}${where} (${formatSize(outcome.size)} in ${sc.name}${plan.sourceText ? `, ${plan.sourceText}` : ''}).`);
        await bind(claim, pv, sc);
      }

      /** A claim deleted before its PV existed leaves a volume only the pool knows: remove it. */
      async function cleanupGone(uid: string): Promise<void> {
        const id = volumeNameFor(uid);
        if (!uid || volumes.get(undefined, id) || (await client.find(PersistentVolumeModel, undefined, id))) return;
        for (const pool of pools.all()) {
          if (!pool.getVolume(id)) continue;
          await pools.withLock(pool, () => pool.deleteVolume(id));
          log.info('deleted the volume of a claim deleted before it was bound', { pool: pool.name, volume: id });
          pools.poke();
        }
      }

      return async (key) => {
        try {
          return await reconcile(key);
        } catch (e) {
          // The claim went away mid-way: nothing left to do for it (its volume, if any, is reclaimed).
          if (isNotFound(e) && !claims.get(splitKey(key).namespace, splitKey(key).name)) return;
          throw e;
        }
      };

      async function reconcile(key: string): Promise<ReconcileResult | void> {
        await synced(claims, volumes, classInformer, nodes, snapshots, contents);
        if (key.startsWith(GONE)) return cleanupGone(key.slice(GONE.length));
        const { namespace, name } = splitKey(key);
        const claim = claims.get(namespace, name);
        if (!claim) {
          pending.delete(key);
          backoff.reset(key);
          return;
        }
        const w = world();
        const d = decideClaim(claim, w);
        if (d.action !== 'wait') {
          pending.delete(key);
          if (d.action !== 'provision') backoff.reset(key);
        }
        switch (d.action) {
          case 'none':
            return;
          case 'lost': {
            if (await client.find(PersistentVolumeModel, undefined, d.volumeName)) return; // the cache was behind
            await client.patch(PersistentVolumeClaimModel, namespace, name, { status: { phase: 'Lost' } }, 'merge', 'status');
            await reporter.warning(claim, 'ClaimLost', `Bound claim has lost its PersistentVolume ${d.volumeName}: the volume no longer exists, and its data cannot be reached.`);
            return;
          }
          case 'bind': {
            const sc = classes.get(d.volume.spec?.storageClassName ?? undefined);
            await bind(claim, d.volume, sc);
            return;
          }
          case 'external': {
            const a = claim.metadata.annotations ?? {};
            if (a[STORAGE_PROVISIONER_ANNOTATION] !== d.provisioner) {
              await client.patch(PersistentVolumeClaimModel, namespace, name, { metadata: { annotations: { [STORAGE_PROVISIONER_ANNOTATION]: d.provisioner, [BETA_STORAGE_PROVISIONER_ANNOTATION]: d.provisioner } } });
            }
            await reporter.normal(claim, 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${d.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
            return;
          }
          case 'provision': {
            const r = await provision(key, claim, d.plan);
            if (!r) backoff.reset(key);
            return r;
          }
          case 'wait':
            return waitFor(key, claim, d);
        }
      }
    },
  };
}
