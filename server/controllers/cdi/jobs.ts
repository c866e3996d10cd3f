// What each DataVolume transfer does on the node: an import (http, s3,
// registry) into the claim's volume file, the conversion of a finished
// upload, or a full copy of another volume (across drivers or namespaces).
// Progress goes to the transfer's report; failures are ImportErrors whose
// messages end up in the DataVolume's status.
import fs from 'node:fs';
import path from 'node:path';
import type { DataVolume, ImportRequestPolicy } from '@/lib/cdi';
import type { K8sResource } from '@/lib/k8s';
import type { Logger } from '@/server/log';
import { ImportError, type ImportTarget, copyVolume, importImage } from '@/server/node/import';
import { QemuImg } from '@/server/node/qemuImg';
import type { KubeClient } from '../runtime/client';
import type { PoolSet } from '../storage/pools';
import { parseHandle } from '../storage/objects';
import { type CloneFrom, SourceProblem, importSource } from './sources';
import type { TransferJob, TransferReport } from './transfers';

type DV = DataVolume & K8sResource;

export interface JobContext {
  client: KubeClient;
  pools: PoolSet;
  policy: ImportRequestPolicy;
  insecureRegistries: readonly string[];
  scratchOf(dv: DV): string;
  log: Logger;
}

const qemu = new QemuImg();

/** Reports progress of a stage that is `share` of the job, starting at `base`. */
const staged = (report: TransferReport, base: number, share: number) => (done: number, total?: number) =>
  report.progress(base + (total ? (done / total) * share : 0), { done, ...(total !== undefined ? { total } : {}) });

export function importJob(ctx: JobContext, dv: DV, target: ImportTarget): TransferJob {
  return async (signal, report) => {
    let source;
    try {
      source = await importSource(ctx.client, dv, ctx.insecureRegistries);
    } catch (e) {
      if (e instanceof SourceProblem) throw new ImportError('InvalidSource', `Disk import failed: ${e.message}`, false);
      throw e;
    }
    const download = staged(report, 0, 0.9);
    const convert = staged(report, 0.9, 0.1);
    await importImage(source, target, {
      scratchDir: ctx.scratchOf(dv),
      policy: ctx.policy,
      signal,
      onProgress: (p) => (p.phase === 'downloading' ? download(p.doneBytes, p.totalBytes) : p.phase === 'converting' ? convert(p.doneBytes, p.totalBytes) : undefined),
      onRetry: (n) => report.retrying('Retrying', n.reason),
      log: ctx.log,
    });
  };
}

export function uploadJob(ctx: JobContext, dv: DV, target: ImportTarget, file: string): TransferJob {
  return async (signal, report) => {
    const convert = staged(report, 0, 1);
    await importImage({ file: { path: file } }, target, {
      scratchDir: path.join(ctx.scratchOf(dv), 'convert'),
      policy: ctx.policy,
      signal,
      onProgress: (p) => convert(p.doneBytes, p.totalBytes),
      log: ctx.log,
    });
    fs.rmSync(ctx.scratchOf(dv), { recursive: true, force: true });
  };
}

export function copyJob(ctx: JobContext, dv: DV, target: ImportTarget, from: CloneFrom): TransferJob {
  return async (signal, report) => {
    const progress = staged(report, 0, 1);
    if (from.kind === 'pvc') {
      const handle = parseHandle(from.volume.spec?.csi?.volumeHandle);
      const pool = handle && ctx.pools.byName(handle.pool);
      const vol = handle && pool?.getVolume(handle.id);
      if (!vol) throw new ImportError('NotFound', `Clone failed: the source volume of PVC ${from.namespace}/${from.name} is in no pool of this cluster`, false);
      if (await qemu.inUse(vol.path, vol.format)) {
        throw new ImportError('Internal', `Clone waits: PVC ${from.namespace}/${from.name} is in use by a running VM; it is copied once the VM stops`, true);
      }
      await copyVolume({ path: vol.path, format: vol.format }, target, { signal, onProgress: progress });
      return;
    }
    // A snapshot of another driver: a temporary copy-on-write volume from it in its pool is the source.
    const handle = parseHandle(from.content.status?.snapshotHandle);
    const pool = handle && ctx.pools.byName(handle.pool);
    const snap = handle && pool?.getSnapshot(handle.id);
    if (!handle || !pool || !snap) throw new ImportError('NotFound', `Clone failed: the data of VolumeSnapshot ${from.namespace}/${from.name} is in no pool of this cluster`, false);
    const tmpId = `clone-src-${dv.metadata.uid}`;
    const tmp = await ctx.pools.withLock(pool, () => pool.createVolume(tmpId, snap.restoreSizeBytes, { format: 'qcow2', source: { snapshotId: handle.id } }));
    try {
      await copyVolume({ path: tmp.path, format: tmp.format }, target, { signal, onProgress: progress });
    } finally {
      await pool.deleteVolume(tmpId).catch(() => undefined);
    }
  };
}
