'use client';
// Capacity per node and class, from what the user may read: StorageClasses,
// CSIStorageCapacity (free), PersistentVolumes (allocated) and Nodes
// (names, labels, annotations). Lists the user may not read count as unknown.
import { useMemo } from 'react';
import { CSIStorageCapacityModel, NodeModel, PersistentVolumeModel, StorageClassModel } from '@/lib/k8s/models';
import type { K8sResource } from '@/lib/k8s/types';
import { type PersistentVolume, type StorageClass, storageClassView } from '@/lib/provisioning';
import { collectPools, fitPoolsByClass, nodeRefs } from '@/lib/storage-ui';
import { useK8sList } from '../hooks/useK8sList';

export interface CapacityOptions {
  /**
   * Watch CSIStorageCapacity and Nodes (a page about capacity) or poll them
   * (a page that glances at it). Browsers allow six connections per origin:
   * a page keeps its watches to about four.
   */
  watch?: boolean;
  /** Read Nodes (names, labels, annotations); without them nodes are named from the capacity topology. */
  nodes?: boolean;
  /** Read PersistentVolumes (what is allocated); 'watch' keeps them live. */
  volumes?: boolean | 'watch';
  /** Watch StorageClasses instead of polling them. */
  watchClasses?: boolean;
}

export function useCapacity({ watch = false, nodes: withNodes = true, volumes: withVolumes = true, watchClasses = false }: CapacityOptions = {}) {
  const classes = useK8sList<StorageClass & K8sResource>(StorageClassModel, { watch: watchClasses });
  const capacities = useK8sList(CSIStorageCapacityModel, { watch });
  const volumes = useK8sList<PersistentVolume & K8sResource>(PersistentVolumeModel, { watch: withVolumes === 'watch', enabled: Boolean(withVolumes) });
  const nodes = useK8sList(NodeModel, { watch, enabled: withNodes });
  const views = useMemo(() => (classes.items ?? []).map(storageClassView), [classes.items]);
  const pools = useMemo(
    () =>
      collectPools({
        classes: views,
        capacities: capacities.items ?? [],
        volumes: withVolumes ? volumes.items : undefined,
        nodes: withNodes && nodes.items ? nodeRefs(nodes.items) : undefined,
      }),
    [views, capacities.items, volumes.items, nodes.items, withVolumes, withNodes],
  );
  const fitPools = useMemo(() => fitPoolsByClass(pools), [pools]);
  return {
    pools,
    fitPools,
    classes: views,
    classObjects: classes.items,
    nodes,
    volumes,
    capacities,
    /** The user may read CSIStorageCapacity (else nothing can be said about free space). */
    capacityReadable: !capacities.error,
    isLoading: classes.isLoading || capacities.isLoading,
  };
}
