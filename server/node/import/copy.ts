// copyVolume: a full copy of one Kura volume into another's file, for clones
// the drivers cannot make copy-on-write (across drivers or namespaces). The
// source is a volume of this cluster (its backing chain is trusted and read
// whole); it must not be written meanwhile, which the caller checks.
import fsp from 'node:fs/promises';
import { MiB } from '@/lib/provisioning';
import { AbortedError, ImportError, asFailure, reasonOf } from './errors';
import { QemuRunner } from './qemu';
import type { ImportTarget, TargetFormat } from './types';

export interface CopySource {
  /** The top file of the source volume's chain. */
  path: string;
  format: TargetFormat;
}

export async function copyVolume(
  source: CopySource,
  target: ImportTarget,
  opts: { signal?: AbortSignal; onProgress?: (doneBytes: number, totalBytes: number) => void; qemuImg?: string } = {},
): Promise<{ virtualSize: number }> {
  const qemu = new QemuRunner(opts.qemuImg ?? 'qemu-img', opts.signal);
  try {
    await fsp.access(source.path);
    const info = await qemu.sourceInfo({ file: source.path }, source.format);
    const size = await qemu.resetTarget(target);
    if (size < info.virtualSize) {
      throw new ImportError('TooLarge', `Clone failed: the source volume holds ${info.virtualSize} bytes and the new volume only ${size}; ask for at least as much as the source`, false);
    }
    await qemu.convert({ loc: { file: source.path }, format: source.format }, target, {
      virtualSize: info.virtualSize,
      from: 0,
      sliceBytes: 1024 * MiB,
      onSlice: async () => undefined,
      onProgress: (done) => opts.onProgress?.(done, info.virtualSize),
    });
    await qemu.checkTarget(target);
    return { virtualSize: info.virtualSize };
  } catch (err) {
    if (err instanceof ImportError) throw err;
    if (opts.signal?.aborted || err instanceof AbortedError) throw new ImportError('Aborted', 'Clone failed: the clone was cancelled', true);
    const f = asFailure(err);
    // Half a copy must not read as a copy: the target goes back to empty.
    await qemu.resetTarget(target).catch(() => undefined);
    throw new ImportError(reasonOf(f), `Clone failed: ${f.message}`, f.failure.kind === 'no-space' ? false : true, { cause: err });
  }
}
