'use client';
// Everything the PersistentVolumeClaims table shows, from three watches
// (claims, their events, volumes) and polled secondary data (classes,
// capacity, VMs and their instances): one row per claim.
import { useMemo } from 'react';
import { EventModel, PersistentVolumeClaimModel, VirtualMachineInstanceModel, VirtualMachineModel } from '@/lib/k8s/models';
import { getName, getNamespace, getPvcOwningDataVolume, getPvcSelectedNode, getPvcVolumeName } from '@/lib/k8s/selectors';
import type { K8sResource } from '@/lib/k8s/types';
import {
  chooseClaimClass,
  getClaimClassName,
  getClaimCurrentBytes,
  getClaimRequestBytes,
  type PersistentVolume,
  type PersistentVolumeClaim,
  pinnedNodeOf,
  type StorageClassView,
} from '@/lib/provisioning';
import { explainPendingClaim, type PendingExplanation, type PendingReason } from '@/lib/scheduling';
import { type ClaimConsumer, type ClaimEvent, claimKey, claimStatus, type ClaimStatus, consumersByClaim, type PoolFacts } from '@/lib/storage-ui';
import { useCapacity } from '../capacity/useCapacity';
import { useK8sList } from '../hooks/useK8sList';

export type Claim = PersistentVolumeClaim & K8sResource;
type ClaimEventObject = ClaimEvent & K8sResource & { involvedObject?: { name?: string; uid?: string } };

export interface PvcRow {
  obj: Claim;
  name: string;
  namespace: string;
  status: ClaimStatus;
  requestedBytes?: number;
  currentBytes?: number;
  /** The class the claim gets (named, or the default), and its view when it exists. */
  className?: string;
  classView?: StorageClassView;
  volume?: string;
  volumeObj?: PersistentVolume;
  /** Where the data is: the PV's node, or the node the scheduler chose; 'shared' when every node reaches it. */
  node?: string;
  nodeSource?: 'volume' | 'selected-node' | 'shared';
  consumers: ClaimConsumer[];
  dataVolume?: string;
}

/** Explanations that need the PersistentVolumes: without them (a user who may not list them) they would mislead. */
const NEEDS_VOLUMES: readonly PendingReason[] = ['VolumeNotFound', 'VolumeTaken', 'VolumeMismatch', 'MatchingVolume', 'NoMatchingVolume'];

export function usePvcRows(namespace: string | undefined) {
  const claims = useK8sList<Claim>(PersistentVolumeClaimModel, { namespace });
  const events = useK8sList<ClaimEventObject>(EventModel, { namespace, fieldSelector: 'involvedObject.kind=PersistentVolumeClaim' });
  const capacity = useCapacity({ nodes: false, volumes: 'watch' });
  const vms = useK8sList(VirtualMachineModel, { namespace, watch: false });
  const vmis = useK8sList(VirtualMachineInstanceModel, { namespace, watch: false });

  const volumesKnown = !capacity.volumes.error && capacity.volumes.items !== undefined;
  const rows = useMemo(() => {
    const consumers = consumersByClaim(vms.items ?? [], vmis.items ?? []);
    const volumes = (capacity.volumes.items ?? []) as PersistentVolume[];
    const byVolume = new Map(volumes.map((v) => [getName(v), v]));
    const eventsByClaim = new Map<string, ClaimEvent[]>();
    for (const e of events.items ?? []) {
      const key = e.involvedObject?.uid ?? '';
      eventsByClaim.set(key, [...(eventsByClaim.get(key) ?? []), e]);
    }
    return (claims.items ?? []).map((obj): PvcRow => {
      const name = getName(obj);
      const ns = getNamespace(obj) ?? '';
      const used = consumers.get(claimKey(ns, name)) ?? [];
      let explanation: PendingExplanation | undefined = explainPendingClaim({
        claim: obj,
        classes: capacity.classes,
        volumes,
        pools: capacity.fitPools,
        // A stopped VM is no consumer yet: only a running instance makes the scheduler pick a node.
        hasConsumer: used.some((c) => c.running),
      });
      if (!volumesKnown && NEEDS_VOLUMES.includes(explanation.reason)) explanation = undefined;
      if (capacity.isLoading) explanation = undefined;
      const choice = chooseClaimClass(obj, capacity.classes);
      const className = choice.kind === 'named' || choice.kind === 'default' ? choice.name : (getClaimClassName(obj) ?? undefined);
      const classView = choice.kind === 'named' || choice.kind === 'default' ? choice.storageClass : undefined;
      const volume = getPvcVolumeName(obj);
      const volumeObj = volume ? byVolume.get(volume) : undefined;
      const pinned = volumeObj ? pinnedNodeOf(volumeObj) : undefined;
      const selected = getPvcSelectedNode(obj);
      let node: string | undefined;
      let nodeSource: PvcRow['nodeSource'];
      if (pinned) [node, nodeSource] = [pinned, 'volume'];
      else if (selected) [node, nodeSource] = [selected, 'selected-node'];
      else if (volumeObj) nodeSource = 'shared';
      return {
        obj,
        name,
        namespace: ns,
        status: claimStatus(
          obj,
          explanation,
          eventsByClaim.get(obj.metadata.uid ?? '') ?? [],
          used.filter((c) => c.vm && !c.running).map((c) => c.name),
        ),
        requestedBytes: getClaimRequestBytes(obj),
        currentBytes: obj.status?.capacity?.storage !== undefined ? getClaimCurrentBytes(obj) : undefined,
        className,
        classView,
        volume,
        volumeObj,
        node,
        nodeSource,
        consumers: used,
        dataVolume: getPvcOwningDataVolume(obj),
      };
    });
  }, [claims.items, events.items, capacity.classes, capacity.fitPools, capacity.volumes.items, capacity.isLoading, volumesKnown, vms.items, vmis.items]);

  return { claims, rows, capacity, pools: capacity.pools as readonly PoolFacts[] };
}
