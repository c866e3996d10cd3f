// A storage pool in one directory: volumes are qcow2 copy-on-write chains (Longhorn-style), snapshots
// and clones freeze a volume's top and share it; metadata commits are atomic (reconcile.ts reopens).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { accountPool, formatSize } from '@/lib/provisioning';
import { logger, type Logger } from '@/server/log';
import { backsOnto, fsyncDir, fsyncFile, isNoSpace, readQcow2Header, writeJsonAtomic } from './files';
import {
  allocatedBytes,
  chainOf,
  emptyMeta,
  exclusiveLayers,
  indexMeta,
  layerFileName,
  normalizeSize,
  snapshotDependents,
  validateId,
  withoutGarbage,
  type LayerRecord,
  type MetaIndex,
  type PoolMeta,
  type PoolState,
  type SnapshotRecord,
  type VolumeRecord,
} from './layers';
import { poolDirProblem, type DirIdentity } from './health';
import { QemuImg, QemuImgError } from './qemuImg';
import { LAYERS_DIR, META_FILE, openPoolDir } from './reconcile';
import {
  PoolError,
  type LiveSnapshotHook,
  type PoolStatus,
  type SnapshotInfo,
  type StoragePool,
  type VolumeFormat,
  type VolumeInfo,
  type VolumeSource,
} from './types';
import { LayerUsage } from './usage';

export interface FilePoolOptions {
  name: string;
  dir: string;
  /** The pool's configured size in bytes. */
  capacityBytes: number;
  /** The qemu-img binary (default: from PATH). */
  qemuImg?: string;
  /**
   * Volumes may promise up to capacityBytes × this ratio in all (default 1: no overcommit). The
   * controllers own the policy; the pool enforces the ratio it was given, with lib/provisioning's rule.
   */
  overprovisionRatio?: number;
  /** Limit for one qemu-img call (default 60 s). */
  qemuImgTimeoutMs?: number;
  /** How long status() may reuse the disk usage of volume tops, which VMs keep writing (default 2 s). */
  usageTtlMs?: number;
  log?: Logger;
}

const REOPEN_EVERY_MS = 5_000;

function stateOf(meta: PoolState): PoolState {
  return { volumes: meta.volumes, snapshots: meta.snapshots, layers: meta.layers };
}

function sameSource(a: VolumeSource | undefined, b: VolumeSource | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class FilePool implements StoragePool {
  readonly name: string;
  readonly dir: string;
  private readonly layersDir: string;
  private readonly metaFile: string;
  private readonly capacityBytes: number;
  private readonly ratio: number;
  private readonly qemu: QemuImg;
  private readonly log: Logger;
  private meta: PoolMeta = emptyMeta();
  private index: MetaIndex = indexMeta(this.meta);
  private opened = false;
  private openProblem: string | undefined;
  private openTriedAt = 0;
  private dirId: DirIdentity | undefined;
  /** Held open so the directory's inode cannot be reused by one made again at the same path. */
  private dirFd: number | undefined;
  private hook: LiveSnapshotHook | undefined;
  /** Operations run one at a time: each reads the metadata, changes files, commits the whole of it. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly usage: LayerUsage;

  constructor(opts: FilePoolOptions) {
    if (!Number.isSafeInteger(opts.capacityBytes) || opts.capacityBytes < 0) throw new PoolError('Invalid', `pool ${opts.name}: capacityBytes must be a whole number of bytes`);
    const ratio = opts.overprovisionRatio ?? 1;
    if (!Number.isFinite(ratio) || ratio < 1) throw new PoolError('Invalid', `pool ${opts.name}: overprovisionRatio must be at least 1`);
    this.name = opts.name;
    this.dir = path.resolve(opts.dir);
    this.layersDir = path.join(this.dir, LAYERS_DIR);
    this.metaFile = path.join(this.dir, META_FILE);
    this.capacityBytes = opts.capacityBytes;
    this.ratio = ratio;
    this.qemu = new QemuImg({ bin: opts.qemuImg, timeoutMs: opts.qemuImgTimeoutMs });
    this.usage = new LayerUsage(opts.usageTtlMs ?? 2_000, (layer) => this.pathOf(layer));
    this.log = opts.log ?? logger('node/pool');
    this.tryOpen();
  }

  status(): PoolStatus {
    const counts = { volumes: Object.keys(this.meta.volumes).length, snapshots: Object.keys(this.meta.snapshots).length };
    const allocated = allocatedBytes(this.meta);
    const problem = this.problem();
    if (problem) return { name: this.name, capacityBytes: 0, allocatedBytes: allocated, usedBytes: this.usedBytes(false), healthy: false, problem, ...counts };
    return { name: this.name, capacityBytes: this.capacityBytes, allocatedBytes: allocated, usedBytes: this.usedBytes(true), healthy: true, ...counts };
  }

  async createVolume(id: string, sizeBytes: number, opts: { format?: VolumeFormat; source?: VolumeSource } = {}): Promise<VolumeInfo> {
    validateId(id, 'volume');
    const size = normalizeSize(sizeBytes);
    const format = opts.format ?? 'qcow2';
    if (format !== 'qcow2' && format !== 'raw') throw new PoolError('Invalid', `format must be qcow2 or raw, got ${String(format)}`);
    // Only the one field kept, so that the same request compares equal after a reopen too.
    let source: VolumeSource | undefined;
    if (opts.source) {
      if ('snapshotId' in opts.source) source = { snapshotId: validateId(opts.source.snapshotId, 'snapshot') };
      else if ('volumeId' in opts.source) source = { volumeId: validateId(opts.source.volumeId, 'volume') };
      else throw new PoolError('Invalid', 'source must name a snapshotId or a volumeId');
      if (format === 'raw') throw new PoolError('Invalid', `volume ${id}: a volume made from a snapshot or another volume is a qcow2 overlay of it, so it cannot be raw`);
    }
    return this.run(`create volume ${id}`, async () => {
      const existing = this.meta.volumes[id];
      if (existing) {
        // As CSI's CreateVolume: the same request again (or one the volume still satisfies) is answered with it.
        if (existing.sizeBytes >= size && existing.format === format && sameSource(existing.source, source)) return this.volumeInfo(existing);
        throw new PoolError('AlreadyExists', `volume ${id} already exists (${formatSize(existing.sizeBytes)}, ${existing.format}${existing.source ? `, from ${JSON.stringify(existing.source)}` : ''})`);
      }
      this.checkCapacity(size, `create volume ${id} of ${formatSize(size)}`);
      const createdAt = new Date().toISOString();
      let base: LayerRecord | undefined;
      if (source && 'snapshotId' in source) {
        const snap = this.meta.snapshots[source.snapshotId];
        if (!snap) throw new PoolError('NotFound', `snapshot ${source.snapshotId} not found in pool ${this.name}`);
        if (size < snap.restoreSizeBytes) throw new PoolError('Invalid', `volume ${id} must be at least ${formatSize(snap.restoreSizeBytes)}, the size of snapshot ${snap.id}`);
        base = this.layer(snap.layer);
      } else if (source) {
        const src = this.meta.volumes[source.volumeId];
        if (!src) throw new PoolError('NotFound', `volume ${source.volumeId} not found in pool ${this.name}`);
        if (src.format === 'raw') throw new PoolError('Invalid', `volume ${src.id} is raw and cannot be cloned copy-on-write`);
        if (size < src.sizeBytes) throw new PoolError('Invalid', `volume ${id} must be at least ${formatSize(src.sizeBytes)}, the size of volume ${src.id}`);
        // An internal snapshot: the source's current data is frozen and both volumes go on from it, in one commit.
        await this.freeze(src, (draft, frozen) => {
          const top = this.newLayer('qcow2', frozen.id);
          draft.layers[top.id] = top;
          draft.volumes[id] = { id, sizeBytes: size, format, top: top.id, createdAt, source };
          return [{ layer: top, sizeBytes: size }];
        });
        return this.volumeInfo(this.meta.volumes[id]!);
      }
      const top = this.newLayer(format, base?.id);
      const created: string[] = [];
      try {
        await this.createLayerFile(top, size, base, created);
        await this.makeDurable(created);
        const next = structuredClone(this.meta);
        next.layers[top.id] = top;
        next.volumes[id] = { id, sizeBytes: size, format, top: top.id, createdAt, ...(source ? { source } : {}) };
        await this.commit(next);
      } catch (err) {
        await this.discard(created);
        throw err;
      }
      return this.volumeInfo(this.meta.volumes[id]!);
    });
  }

  getVolume(id: string): VolumeInfo | undefined {
    const vol = this.meta.volumes[id];
    return vol && this.volumeInfo(vol);
  }

  listVolumes(): VolumeInfo[] {
    return Object.values(this.meta.volumes).map((v) => this.volumeInfo(v));
  }

  async expandVolume(id: string, newSizeBytes: number): Promise<VolumeInfo> {
    validateId(id, 'volume');
    const size = normalizeSize(newSizeBytes);
    return this.run(`expand volume ${id}`, async () => {
      const vol = this.meta.volumes[id];
      if (!vol) throw new PoolError('NotFound', `volume ${id} not found in pool ${this.name}`);
      if (size === vol.sizeBytes) return this.volumeInfo(vol);
      if (size < vol.sizeBytes) throw new PoolError('Invalid', `volume ${id} is ${formatSize(vol.sizeBytes)} and volumes only grow (asked for ${formatSize(size)})`);
      this.checkCapacity(size - vol.sizeBytes, `expand volume ${id} to ${formatSize(size)}`);
      const top = this.layer(vol.top);
      try {
        // Only the top: the chain's virtual size is the top's, and lower layers are shared and frozen.
        await this.qemu.resize(this.pathOf(top), { format: top.format, sizeBytes: size });
      } catch (err) {
        if (err instanceof QemuImgError && err.code === 'Locked') throw new PoolError('Busy', `volume ${id} is in use by a running VM; grow it through the VM`);
        throw err;
      }
      await fsyncFile(this.pathOf(top));
      const next = structuredClone(this.meta);
      next.volumes[id]!.sizeBytes = size;
      await this.commit(next);
      return this.volumeInfo(this.meta.volumes[id]!);
    });
  }

  async deleteVolume(id: string): Promise<void> {
    validateId(id, 'volume');
    return this.run(`delete volume ${id}`, async () => {
      const vol = this.meta.volumes[id];
      if (!vol) return;
      const top = this.layer(vol.top);
      if (fs.existsSync(this.pathOf(top)) && (await this.qemu.inUse(this.pathOf(top), top.format))) {
        throw new PoolError('Busy', `volume ${id} is in use by another process (a running VM?)`);
      }
      const next = structuredClone(this.meta);
      delete next.volumes[id];
      await this.removeFiles(await this.commit(next));
    });
  }

  async snapshot(volumeId: string, snapshotId: string): Promise<SnapshotInfo> {
    validateId(volumeId, 'volume');
    validateId(snapshotId, 'snapshot');
    return this.run(`snapshot volume ${volumeId}`, async () => {
      const existing = this.meta.snapshots[snapshotId];
      if (existing) {
        if (existing.sourceVolumeId === volumeId) return this.snapshotInfo(existing);
        throw new PoolError('AlreadyExists', `snapshot ${snapshotId} already exists, taken from volume ${existing.sourceVolumeId}`);
      }
      const vol = this.meta.volumes[volumeId];
      if (!vol) throw new PoolError('NotFound', `volume ${volumeId} not found in pool ${this.name}`);
      if (vol.format === 'raw') throw new PoolError('Invalid', `volume ${volumeId} is raw; only qcow2 volumes can be snapshotted`);
      const createdAt = new Date().toISOString();
      await this.freeze(vol, (draft, frozen) => {
        draft.snapshots[snapshotId] = { id: snapshotId, sourceVolumeId: volumeId, layer: frozen.id, restoreSizeBytes: vol.sizeBytes, createdAt };
        return [];
      });
      return this.snapshotInfo(this.meta.snapshots[snapshotId]!);
    });
  }

  getSnapshot(id: string): SnapshotInfo | undefined {
    const snap = this.meta.snapshots[id];
    return snap && this.snapshotInfo(snap);
  }

  listSnapshots(): SnapshotInfo[] {
    return Object.values(this.meta.snapshots).map((s) => this.snapshotInfo(s));
  }

  async deleteSnapshot(id: string): Promise<void> {
    validateId(id, 'snapshot');
    return this.run(`delete snapshot ${id}`, async () => {
      if (!this.meta.snapshots[id]) return;
      const next = structuredClone(this.meta);
      delete next.snapshots[id];
      await this.removeFiles(await this.commit(next));
    });
  }

  setLiveSnapshotHook(hook: LiveSnapshotHook | undefined): void {
    this.hook = hook;
  }

  /** The files of a volume's chain, top (the one written) first: what QEMU opens through the top. */
  chain(volumeId: string): string[] | undefined {
    const vol = this.meta.volumes[volumeId];
    return vol && chainOf(this.meta, vol.top).map((l) => this.pathOf(l));
  }

  /** The files of a snapshot's chain, its frozen layer first. */
  snapshotChain(snapshotId: string): string[] | undefined {
    const snap = this.meta.snapshots[snapshotId];
    return snap && chainOf(this.meta, snap.layer).map((l) => this.pathOf(l));
  }

  /** The frozen qcow2 file holding a snapshot's data (read-only; it backs onto older layers). */
  snapshotPath(snapshotId: string): string | undefined {
    const snap = this.meta.snapshots[snapshotId];
    return snap && this.pathOf(this.layer(snap.layer));
  }

  /** Resolves once every operation started so far has finished. */
  async idle(): Promise<void> {
    await this.queue;
  }

  /** Lets the directory go; the pool is not used afterwards. */
  async close(): Promise<void> {
    await this.queue;
    if (this.dirFd !== undefined) fs.closeSync(this.dirFd);
    this.dirFd = undefined;
  }

  // ---- internals ----

  /**
   * Freezes the volume's top and gives the volume a new empty top backed by it, through the VM's QEMU
   * when a hook says the volume is in use, offline otherwise. `addTo` puts what refers to the frozen
   * layer (a snapshot, a clone) into the same commit and names the clone layers to create on it.
   */
  private async freeze(vol: VolumeRecord, addTo: (draft: PoolState, frozen: LayerRecord) => { layer: LayerRecord; sizeBytes: number }[]): Promise<void> {
    const frozen = this.layer(vol.top);
    const top = this.newLayer('qcow2', frozen.id);
    const after = structuredClone(stateOf(this.meta));
    after.layers[top.id] = top;
    after.volumes[vol.id]!.top = top.id;
    const extra = addTo(after, frozen);
    const [frozenPath, topPath] = [this.pathOf(frozen), this.pathOf(top)];
    const created: string[] = [];
    let live = false;
    try {
      // Before the intent below, so that finishing it on reopen never lacks a file. Making an overlay
      // does not open its backing file, so this is safe while a VM still writes the old top.
      for (const e of extra) await this.createLayerFile(e.layer, e.sizeBytes, frozen, created);
      if (this.hook) {
        // The intent goes first: once QEMU switches, the VM writes into the overlay whatever happens to Kura.
        await this.commit({ ...this.meta, pending: { volumeId: vol.id, overlay: top.file, backing: frozen.file, after } });
        created.push(topPath);
        let answer: 'done' | 'not-running';
        try {
          answer = await this.hook(vol.id, frozenPath, topPath);
        } catch (err) {
          throw new PoolError('Failed', `the live snapshot of volume ${vol.id} failed: ${message(err)}`);
        }
        if (answer === 'done') {
          const header = readQcow2Header(topPath);
          if (header?.backingFile === undefined || !backsOnto(topPath, header.backingFile, frozenPath)) {
            throw new PoolError('Failed', `the VM reported a live snapshot of volume ${vol.id} but ${topPath} is not an overlay of ${frozenPath}`);
          }
          live = true;
        }
      }
      if (!live) {
        if (await this.qemu.inUse(frozenPath, frozen.format)) {
          throw new PoolError('Busy', `volume ${vol.id} is in use by another process (a running VM?) and no live snapshot hook took the snapshot`);
        }
        await this.createLayerFile(top, vol.sizeBytes, frozen, created);
      }
      await this.makeDurable(created);
      await this.commit({ version: 1, ...after });
    } catch (err) {
      if (live) {
        // The VM writes into the overlay now, and the intent on disk finishes this on reopen: keep it.
        this.log.warn('live snapshot done but not committed; reopening finishes it', { pool: this.name, volume: vol.id, error: message(err) });
        this.setMeta({ version: 1, ...after });
        return;
      }
      await this.discard(created);
      if (this.meta.pending) {
        const undone: PoolMeta = { version: 1, ...stateOf(this.meta) };
        await this.commit(undone).catch(() => this.setMeta(undone));
      }
      throw err;
    }
  }

  private async createLayerFile(layer: LayerRecord, sizeBytes: number, backing: LayerRecord | undefined, created: string[]): Promise<void> {
    const file = this.pathOf(layer);
    // Listed before qemu-img runs: a failed create can leave a partial file behind.
    created.push(file);
    // The backing file is named relative to the layer (both live in layers/), so the pool directory may move.
    await this.qemu.create(file, { format: layer.format, sizeBytes, backing: backing && { file: backing.file, format: backing.format } });
  }

  /** New layer files and their directory entries on disk before the commit that names them (concurrently: one journal flush). */
  private async makeDurable(files: string[]): Promise<void> {
    await Promise.all([...new Set(files)].map((f) => fsyncFile(f)).concat(fsyncDir(this.layersDir)));
  }

  /** Writes the metadata (minus layers nothing reaches any more) and returns the layers whose files may now go. */
  private async commit(next: PoolMeta): Promise<LayerRecord[]> {
    const { state, removed } = withoutGarbage(next);
    await writeJsonAtomic(this.metaFile, state);
    this.setMeta(state);
    return removed;
  }

  private setMeta(meta: PoolMeta): void {
    this.meta = meta;
    this.index = indexMeta(meta);
  }

  private async removeFiles(layers: LayerRecord[]): Promise<void> {
    if (layers.length === 0) return;
    // After the commit: a crash before these removals leaves debris that reopening removes.
    await this.discard(layers.map((l) => this.pathOf(l)));
    await fsyncDir(this.layersDir).catch(() => undefined);
  }

  private async discard(files: string[]): Promise<void> {
    for (const file of files) {
      await fsp.rm(file, { force: true }).catch((err: unknown) => this.log.warn('could not remove a file; reopening the pool will', { file, error: message(err) }));
    }
  }

  private newLayer(format: VolumeFormat, parent: string | undefined): LayerRecord {
    const id = randomBytes(8).toString('hex');
    return { id, file: layerFileName(id, format), format, ...(parent ? { parent } : {}), createdAt: new Date().toISOString() };
  }

  private layer(id: string): LayerRecord {
    const layer = this.meta.layers[id];
    if (!layer) throw new PoolError('Failed', `pool ${this.name}: layer ${id} is missing from the metadata`);
    return layer;
  }

  private pathOf(layer: LayerRecord): string {
    return path.join(this.layersDir, layer.file);
  }

  private checkCapacity(moreBytes: number, what: string): void {
    const usage = accountPool({ capacityBytes: this.capacityBytes, usedBytes: this.usedBytes(true) }, [allocatedBytes(this.meta)], this.ratio);
    if (usage.full) throw new PoolError('NoSpace', `cannot ${what}: pool ${this.name} is full (${formatSize(usage.usedBytes)} written of ${formatSize(usage.capacityBytes)})`);
    if (moreBytes > usage.freeBytes) {
      throw new PoolError('NoSpace', `cannot ${what}: pool ${this.name} has ${formatSize(usage.freeBytes)} left to allocate (${formatSize(usage.allocatedBytes)} of ${formatSize(usage.promisableBytes)} allocated)`);
    }
  }

  private volumeInfo(vol: VolumeRecord): VolumeInfo {
    this.usage.refresh(this.meta, this.index.tops);
    let used = 0;
    for (const l of exclusiveLayers(this.meta, this.index, vol.id)) used += this.usage.of(l.id);
    return { id: vol.id, sizeBytes: vol.sizeBytes, usedBytes: used, format: vol.format, path: this.pathOf(this.layer(vol.top)), createdAt: vol.createdAt };
  }

  private snapshotInfo(snap: SnapshotRecord): SnapshotInfo {
    return { id: snap.id, sourceVolumeId: snap.sourceVolumeId, restoreSizeBytes: snap.restoreSizeBytes, createdAt: snap.createdAt, dependents: snapshotDependents(this.index, snap) };
  }

  private usedBytes(refresh: boolean): number {
    if (refresh) this.usage.refresh(this.meta, this.index.tops);
    return this.usage.total();
  }

  private run<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const task = async (): Promise<T> => {
      const problem = this.problem();
      if (problem) throw new PoolError('Unavailable', `cannot ${what}: pool ${this.name} is unavailable: ${problem}`);
      try {
        return await fn();
      } catch (err) {
        throw this.translate(err, what);
      }
    };
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private translate(err: unknown, what: string): PoolError {
    if (err instanceof PoolError) return err;
    if (isNoSpace(err) || (err instanceof QemuImgError && err.code === 'NoSpace')) {
      return new PoolError('NoSpace', `cannot ${what}: the file system of pool ${this.name} (${this.dir}) is full: ${message(err)}`);
    }
    if (err instanceof QemuImgError && err.code === 'Locked') return new PoolError('Busy', `cannot ${what}: a file of it is in use by another process (${message(err)})`);
    const problem = this.problem();
    if (problem) return new PoolError('Unavailable', `cannot ${what}: pool ${this.name} is unavailable: ${problem}`);
    return new PoolError('Failed', `cannot ${what} in pool ${this.name}: ${message(err)}`);
  }

  private tryOpen(): void {
    this.openTriedAt = Date.now();
    try {
      const { meta, notes, missing } = openPoolDir(this.dir);
      if (this.dirFd !== undefined) fs.closeSync(this.dirFd);
      this.dirFd = fs.openSync(this.dir, 'r');
      const st = fs.fstatSync(this.dirFd);
      this.dirId = { dev: st.dev, ino: st.ino };
      this.setMeta(meta);
      this.opened = true;
      this.openProblem = undefined;
      for (const note of notes) this.log.info(note, { pool: this.name });
      if (missing.length > 0) this.log.error('layer files are missing; volumes reading through them lost data', { pool: this.name, layers: missing.join(',') });
    } catch (err) {
      const problem = `cannot open the pool directory ${this.dir}: ${message(err)}`;
      if (problem !== this.openProblem) this.log.error(problem, { pool: this.name });
      this.openProblem = problem;
    }
  }

  /** Why the pool cannot be used now, or undefined. */
  private problem(): string | undefined {
    if (!this.opened) {
      if (Date.now() - this.openTriedAt >= REOPEN_EVERY_MS) this.tryOpen();
      if (!this.opened) return this.openProblem;
    }
    return poolDirProblem(this.dir, this.dirId, [this.layersDir, this.metaFile]);
  }
}
