// CSIStorageCapacity objects (external-provisioner's capacity tracking): what
// each Kura class can still promise per node (node-local) or in the shared pool,
// rewritten only when a figure changes.
import { CSIStorageCapacityModel, StorageClassModel } from '@/lib/k8s/models';
import type { K8sResource } from '@/lib/k8s';
import type { StorageClassView } from '@/lib/provisioning';
import { isAlreadyExists } from '../runtime/client';
import type { Controller } from '../runtime/manager';
import { ClassViews } from './classes';
import { CAPACITY_DRIVER_LABEL, CAPACITY_MANAGED_BY_LABEL, CAPACITY_NAMESPACE, CONTROLLER_MANAGER, NODE_TOPOLOGY_KEY } from './constants';
import { type StorageOptions, synced } from './context';
import { type Class, quantity } from './objects';
import type { PoolSet } from './pools';

export interface CapacityObject extends K8sResource {
  storageClassName: string;
  nodeTopology?: { matchLabels?: Record<string, string> };
  capacity?: string;
  maximumVolumeSize?: string;
}

const KEY = 'all';

/** The CSIStorageCapacity objects Kura's classes should have now, by name. */
export function desiredCapacities(classes: readonly StorageClassView[], pools: PoolSet): Map<string, CapacityObject> {
  const out = new Map<string, CapacityObject>();
  const add = (name: string, sc: StorageClassView, freeBytes: number, node: string | undefined) => {
    out.set(name, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'CSIStorageCapacity',
      metadata: { name, namespace: CAPACITY_NAMESPACE, labels: { [CAPACITY_DRIVER_LABEL]: sc.provisioner, [CAPACITY_MANAGED_BY_LABEL]: CONTROLLER_MANAGER } },
      storageClassName: sc.name,
      // An empty selector means every node reaches the storage (an absent one would mean none).
      nodeTopology: node ? { matchLabels: { [NODE_TOPOLOGY_KEY]: node } } : {},
      capacity: quantity(freeBytes),
      // Thin volumes: one volume may take all that can still be promised.
      maximumVolumeSize: quantity(freeBytes),
    });
  };
  for (const sc of classes) {
    if (!sc.driver.known) continue;
    if (sc.driver.locality === 'shared') {
      const pool = pools.shared();
      if (pool) add(`kura-${sc.name}`, sc, pools.usage(pool, sc).freeBytes, undefined);
      continue;
    }
    for (const node of pools.nodeNames()) add(`kura-${sc.name}-${node}`, sc, pools.usage(pools.nodePool(node)!, sc).freeBytes, node);
  }
  return out;
}

const figures = (o: CapacityObject) => JSON.stringify([o.storageClassName, o.nodeTopology ?? null, o.capacity, o.maximumVolumeSize]);

export function capacityController(opts: StorageOptions): Controller {
  return {
    name: 'storage-capacity',
    concurrency: 1,
    setup(ctx, queue) {
      const { client } = ctx;
      const classInformer = ctx.informer<Class>(StorageClassModel);
      const capacities = ctx.informer<CapacityObject>(CSIStorageCapacityModel, { namespace: CAPACITY_NAMESPACE });
      const classes = new ClassViews(classInformer);
      const again = () => queue.add(KEY);
      classInformer.on({ add: again, update: again, delete: again });
      capacities.on({ update: again, delete: again });
      opts.pools.onChange(again);
      again();

      return async () => {
        await synced(classInformer, capacities);
        const desired = desiredCapacities(classes.all(), opts.pools);
        for (const [name, want] of desired) {
          const have = capacities.get(CAPACITY_NAMESPACE, name);
          if (have && figures(have) === figures(want)) continue;
          if (have) {
            await client.patch(CSIStorageCapacityModel, CAPACITY_NAMESPACE, name, { metadata: { labels: want.metadata.labels }, nodeTopology: want.nodeTopology, capacity: want.capacity, maximumVolumeSize: want.maximumVolumeSize });
            continue;
          }
          try {
            await client.create(CSIStorageCapacityModel, want);
          } catch (e) {
            if (!isAlreadyExists(e)) throw e;
            await client.patch(CSIStorageCapacityModel, CAPACITY_NAMESPACE, name, { capacity: want.capacity, maximumVolumeSize: want.maximumVolumeSize });
          }
        }
        // Objects of classes (or nodes) that are gone.
        for (const o of capacities.list((c) => c.metadata.labels?.[CAPACITY_MANAGED_BY_LABEL] === CONTROLLER_MANAGER && !desired.has(c.metadata.name))) {
          await client.delete(CSIStorageCapacityModel, CAPACITY_NAMESPACE, o.metadata.name);
        }
      };
    },
  };
}
