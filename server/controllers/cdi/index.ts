// Public face of the embedded CDI: the DataVolume, DataSource and
// StorageProfile controllers, the claims open for upload, and a starter.
import { ControllerManager } from '../runtime/manager';
import type { Controller } from '../runtime/manager';
import { conflictsRequeue } from '../runtime/conflicts';
import { dataSourceController } from './datasources';
import { type CdiOptions, dataVolumeController } from './datavolumes';
import { profilesController } from './profiles';

export { UploadTargetsRegistry } from './uploads';
export { PROGRESS_BYTES_ANNOTATION, POD_PHASE_ANNOTATION, type CdiOptions } from './datavolumes';
export { profileStatusFor } from './profiles';


export function cdiControllers(opts: CdiOptions): Controller[] {
  return [profilesController(), dataSourceController(opts.now), dataVolumeController(opts)].map(conflictsRequeue);
}

export interface RunningCdi {
  manager: ControllerManager;
  /** Cancels the transfers and waits for them and the reconciles under way to stop. */
  stop(): Promise<void>;
}

export async function startCdiControllers(api: { server: string; ca?: string; token: string }, opts: CdiOptions): Promise<RunningCdi> {
  const manager = new ControllerManager({ ...api, userAgent: 'kura-cdi-controller' });
  await manager.start(cdiControllers(opts));
  return {
    manager,
    async stop() {
      await opts.uploads.stop();
      await manager.stop();
    },
  };
}
