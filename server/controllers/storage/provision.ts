// What the volume binder and provisioner should do for one claim, decided from
// the informers' view with the lib/ cores: bind to an existing volume, make one
// (in which pool, on which node, from which source) or wait, and why.
import {
  type NodeInfo,
  type StorageClassView,
  chooseClaimClass,
  findMatchingVolume,
  getClaimRequestBytes,
  isVolumeBoundToClaim,
  NODE_TOPOLOGY_KEY,
  validateClaim,
} from '@/lib/provisioning';
import { type SchedulingNode, explainPendingClaim, rankNodes, schedulingClasses } from '@/lib/scheduling';
import type { StoragePool, VolumeSource } from '@/server/node/types';
import { ANN_IMMEDIATE_BINDING } from '@/lib/cdi';
import { SELECTED_NODE_ANNOTATION, volumeNameFor } from './constants';
import type { Claim, NodeObject, Volume } from './objects';
import { findCondition } from './objects';
import type { PoolSet } from './pools';
import { resolveSource, type SourceLookups } from './sources';

export interface ClaimWorld extends SourceLookups {
  classes: readonly StorageClassView[];
  /** Every PersistentVolume. */
  volumes(): readonly Volume[];
  node(name: string): NodeObject | undefined;
  pools: PoolSet;
}

export interface ProvisionPlan {
  storageClass: StorageClassView;
  pool: StoragePool;
  /** The node of a node-local volume. */
  node: string | undefined;
  /** The PV name and the pool's volume id. */
  volumeName: string;
  sizeBytes: number;
  source?: VolumeSource;
  /** "restored from VolumeSnapshot x", for the success event. */
  sourceText?: string;
  /** The node was chosen here by capacity (not named by a user, the scheduler or a source): a lost race is retried, not reported. */
  chosen: boolean;
}

/** How a waiting claim is retried: with growing delays (and when capacity frees), only when something it names changes, or not at all. */
export type Retry = 'backoff' | 'on-change';

export type ClaimDecision =
  | { action: 'none' }
  | { action: 'lost'; volumeName: string }
  | { action: 'bind'; volume: Volume }
  | { action: 'provision'; plan: ProvisionPlan }
  | { action: 'external'; provisioner: string }
  | { action: 'wait'; type: 'Normal' | 'Warning'; reason: string; message: string; retry: Retry; quiet?: boolean };

const SECTOR = 512;

const wait = (type: 'Normal' | 'Warning', reason: string, message: string, retry: Retry = 'on-change'): ClaimDecision => ({ action: 'wait', type, reason, message, retry });

/** A node as the binding and placement rules see it (a node without an object yet still carries its topology label). */
export function nodeInfo(name: string, obj: NodeObject | undefined): NodeInfo {
  return { name, labels: obj?.metadata.labels ?? { [NODE_TOPOLOGY_KEY]: name, 'kubernetes.io/hostname': name } };
}

/** The embedded nodes with their free space in one node-local class, for lib/scheduling. */
export function schedulingNodes(world: ClaimWorld, sc: StorageClassView): SchedulingNode[] {
  return world.pools.nodeNames().map((name) => {
    const obj = world.node(name);
    const pool = world.pools.nodePool(name);
    const healthy = pool ? world.pools.safeStatus(pool).healthy : false;
    return {
      name,
      ready: findCondition(obj?.status?.conditions, 'Ready')?.status === 'True',
      schedulable: obj?.spec?.unschedulable !== true,
      labels: nodeInfo(name, obj).labels ?? {},
      // A volume asks for no CPU or memory: only readiness and storage decide.
      cpu: { allocatableMillis: 1, requestedMillis: 0 },
      memory: { allocatableBytes: 1, requestedBytes: 0 },
      storage: pool && healthy ? { [sc.name]: { freeBytes: world.pools.usage(pool, sc).freeBytes } } : {},
    };
  });
}

/** Why a claim does not fit where it must go, in lib/scheduling's words ("node-2 … has 3 GiB free in kura-local, and data needs 20 GiB."). */
export function shortfallMessage(claim: Claim, world: ClaimWorld, sc: StorageClassView): string {
  const explained = explainPendingClaim({ claim, classes: world.classes, volumes: [], pools: { [sc.name]: world.pools.classPools(sc) } });
  return explained.message;
}

/** Where an existing pool volume of this claim lives (an earlier attempt made it): reuse it rather than make a second one. */
function existingVolumePool(world: ClaimWorld, sc: StorageClassView, id: string): StoragePool | undefined {
  const candidates = sc.driver.known && sc.driver.locality === 'shared' ? [world.pools.shared()] : world.pools.nodeNames().map((n) => world.pools.nodePool(n));
  return candidates.find((p) => p?.getVolume(id));
}

function placeLocal(claim: Claim, world: ClaimWorld, sc: StorageClassView, size: number): { node: string } | ClaimDecision {
  const request = { cpuMillis: 0, memoryBytes: 0, volumes: [{ name: claim.metadata.name, storageClassName: sc.name, sizeBytes: size }] };
  const result = rankNodes(schedulingNodes(world, sc), request, schedulingClasses([sc]), { limit: 1, explain: 5 });
  if (result.node) return { node: result.node };
  const detail = result.rejections.map((r) => r.message).join('; ');
  const more = result.nodeCount - result.feasibleCount - result.rejections.length;
  return wait('Warning', 'ProvisioningFailed', `${result.reason}${detail ? ` ${detail}${more > 0 ? `; and ${more} more` : ''}.` : ''}`, 'backoff');
}

/** Decides the next step for one claim. */
export function decideClaim(claim: Claim, world: ClaimWorld): ClaimDecision {
  const name = claim.metadata.name;
  const volumeName = claim.spec?.volumeName;
  if (claim.status?.phase === 'Bound') {
    if (volumeName && !world.volume(volumeName)) return { action: 'lost', volumeName };
    return { action: 'none' };
  }
  if (claim.status?.phase === 'Lost') return { action: 'none' };

  const own = world.volume(volumeNameFor(claim.metadata.uid ?? ''));
  if (own && isVolumeBoundToClaim(own, claim)) return { action: 'bind', volume: own };

  if (volumeName) {
    const pv = world.volume(volumeName);
    if (pv && (isVolumeBoundToClaim(pv, claim) || findMatchingVolume(claim, [pv]).volume)) return { action: 'bind', volume: pv };
    const why = explainPendingClaim({ claim, classes: world.classes, volumes: pv ? [pv] : [] });
    return wait('Warning', 'FailedBinding', why.message);
  }
  // A claim on its way out gets no new volume.
  if (claim.metadata.deletionTimestamp) return { action: 'none' };

  const choice = chooseClaimClass(claim, world.classes);
  const sc = choice.kind === 'named' || choice.kind === 'default' ? choice.storageClass : undefined;
  const selected = claim.metadata.annotations?.[SELECTED_NODE_ANNOTATION];
  // CDI's "bind immediately" annotation: its importer is the first consumer, so the claim need not wait for another.
  const immediate = Object.hasOwn(claim.metadata.annotations ?? {}, ANN_IMMEDIATE_BINDING);
  const delayed = sc?.volumeBindingMode === 'WaitForFirstConsumer' && !selected && !immediate;
  if (delayed) return wait('Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');

  // Static binding first, as the PV controller does: only volumes nobody else claimed can fit.
  const candidates = world.volumes().filter((pv) => !pv.spec?.claimRef || isVolumeBoundToClaim(pv, claim));
  const node = selected ? nodeInfo(selected, world.node(selected)) : undefined;
  const match = findMatchingVolume(claim, candidates, { node });
  if (match.volume) return { action: 'bind', volume: match.volume as Volume };

  if (choice.kind === 'static' || choice.kind === 'none' || (choice.kind === 'named' && !sc)) {
    const why = explainPendingClaim({ claim, classes: world.classes, volumes: candidates });
    const reason = choice.kind === 'named' ? 'ProvisioningFailed' : 'FailedBinding';
    return wait(choice.kind === 'named' ? 'Warning' : 'Normal', reason, why.message);
  }
  if (!sc) return { action: 'none' };
  if (!sc.driver.known) {
    if (!sc.driver.provisions) return wait('Normal', 'FailedBinding', explainPendingClaim({ claim, classes: world.classes, volumes: candidates }).message);
    return { action: 'external', provisioner: sc.provisioner };
  }

  const problems = validateClaim(claim, sc, { classes: world.classes });
  if (problems.length > 0) return wait('Warning', 'ProvisioningFailed', `${name} cannot be provisioned: ${problems.map((p) => `${p.detail} (${p.field})`).join('; ')}.`);

  // Pools hold whole 512-byte sectors: account what the pool will really allocate.
  const size = Math.ceil((getClaimRequestBytes(claim) ?? 0) / SECTOR) * SECTOR;
  const id = volumeNameFor(claim.metadata.uid ?? '');
  const source = resolveSource(claim, sc, world.pools, world);
  if (source.kind === 'blocked') return wait(source.type, source.reason, source.message, source.final ? 'on-change' : 'backoff');
  if (source.kind === 'populator') return { action: 'wait', type: 'Normal', reason: 'Provisioning', message: `Waiting for ${source.text} to fill ${name}.`, retry: 'on-change', quiet: true };
  const base = { storageClass: sc, volumeName: id, sizeBytes: size, ...(source.kind === 'copy' ? { source: source.source, sourceText: source.text } : {}) };

  if (sc.driver.locality === 'shared') {
    const pool = world.pools.shared();
    if (!pool) return wait('Warning', 'ProvisioningFailed', `No ${sc.name} pool exists, so ${name} has nowhere to go.`, 'backoff');
    return { action: 'provision', plan: { ...base, pool, node: undefined, chosen: false } };
  }

  if (source.kind === 'copy') {
    const at = world.pools.nodeOf(source.pool);
    if (selected && at !== selected) {
      return wait('Warning', 'ProvisioningFailed', `${name} is ${source.text}, which lives on ${at ?? 'another pool'}, but ${selected} was selected for it: node-local copies are made on the node that holds their source.`);
    }
    return { action: 'provision', plan: { ...base, pool: source.pool, node: at, chosen: false } };
  }
  const earlier = existingVolumePool(world, sc, id);
  if (earlier) return { action: 'provision', plan: { ...base, pool: earlier, node: world.pools.nodeOf(earlier), chosen: false } };
  if (selected) {
    const pool = world.pools.nodePool(selected);
    if (!pool) return wait('Warning', 'ProvisioningFailed', shortfallMessage(claim, world, sc), 'backoff');
    return { action: 'provision', plan: { ...base, pool, node: selected, chosen: false } };
  }
  const placed = placeLocal(claim, world, sc, size);
  if (!('node' in placed)) return placed;
  const pool = world.pools.nodePool(placed.node);
  if (!pool) return wait('Warning', 'ProvisioningFailed', `${placed.node} has no ${sc.name} pool.`, 'backoff');
  return { action: 'provision', plan: { ...base, pool, node: placed.node, chosen: true } };
}
