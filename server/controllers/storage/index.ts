// Public face of the embedded storage controllers: the list to hand a
// ControllerManager, the pools they work on, and a starter for embedded mode.
import { conflictsRequeue } from '../runtime/conflicts';
import { ControllerManager } from '../runtime/manager';
import type { Controller } from '../runtime/manager';
import { binderController } from './binder';
import { capacityController } from './capacity';
import { CONTROLLER_MANAGER } from './constants';
import type { StorageOptions } from './context';
import { defaultsController } from './defaults';
import { expansionController } from './expansion';
import { nodesController } from './nodes';
import { pvcProtectionController, pvProtectionController } from './protection';
import { reclaimController } from './reclaim';
import { snapshotContentController } from './snapshotcontents';
import { snapshotController } from './snapshots';

export { PoolSet, type PoolChange } from './pools';
export type { ClaimUsageCheck, StorageOptions } from './context';
export { isClaimInUse, vmiUsage, claimsOfVmi } from './protection';
export * from './constants';


/** Every storage controller, one reconciler per resource. */
export function storageControllers(opts: StorageOptions): Controller[] {
  const all = [
    defaultsController(),
    nodesController(opts),
    capacityController(opts),
    binderController(opts),
    expansionController(opts),
    reclaimController(opts),
    pvcProtectionController(opts),
    pvProtectionController(opts),
    snapshotController(opts),
    snapshotContentController(opts),
  ];
  return all.map(conflictsRequeue);
}

export interface RunningStorage {
  manager: ControllerManager;
  /** Waits for the reconciles under way to stop. */
  stop(): Promise<void>;
}

/** Starts the storage controllers against an API server (resolves once their caches have synced). */
export async function startStorageControllers(api: { server: string; ca?: string; token: string }, opts: StorageOptions & { pollMs?: number }): Promise<RunningStorage> {
  const manager = new ControllerManager({ ...api, userAgent: CONTROLLER_MANAGER });
  await manager.start(storageControllers(opts));
  opts.pools.startPolling(opts.pollMs);
  return {
    manager,
    async stop() {
      opts.pools.stopPolling();
      await manager.stop();
    },
  };
}
