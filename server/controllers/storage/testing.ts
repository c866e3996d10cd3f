// An in-memory StoragePool for the storage controllers' tests and benchmarks:
// the contract of server/node/types.ts without files, plus knobs to make it fail.
import { type LiveSnapshotHook, PoolError, type PoolStatus, type SnapshotInfo, type StoragePool, type VolumeFormat, type VolumeInfo, type VolumeSource } from '@/server/node/types';

interface MemVolume extends VolumeInfo {
  /** Where its data came from: a snapshot or volume id (copy-on-write), for tests to inspect. */
  source?: VolumeSource;
}

export class MemoryPool implements StoragePool {
  readonly volumes = new Map<string, MemVolume>();
  readonly snapshots = new Map<string, SnapshotInfo>();
  healthy = true;
  /** Refuse the next N mutating calls with this error (to test failure paths). */
  failures: PoolError[] = [];
  /** Simulated latency of each operation, in ms. */
  delayMs = 0;
  hook: LiveSnapshotHook | undefined;
  /** Every mutating call, in order ("create pvc-1", "expand pvc-1 20", …). */
  readonly calls: string[] = [];

  constructor(
    readonly name: string,
    public capacityBytes: number,
  ) {}

  private async step(call: string): Promise<void> {
    this.calls.push(call);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const f = this.failures.shift();
    if (f) throw f;
    if (!this.healthy) throw new PoolError('Unavailable', `pool ${this.name} is unavailable`);
  }

  status(): PoolStatus {
    let allocatedBytes = 0;
    let usedBytes = 0;
    for (const v of this.volumes.values()) {
      allocatedBytes += v.sizeBytes;
      usedBytes += v.usedBytes;
    }
    return { name: this.name, capacityBytes: this.capacityBytes, allocatedBytes, usedBytes, healthy: this.healthy, problem: this.healthy ? undefined : 'gone', volumes: this.volumes.size, snapshots: this.snapshots.size };
  }

  async createVolume(id: string, sizeBytes: number, opts: { format?: VolumeFormat; source?: VolumeSource } = {}): Promise<VolumeInfo> {
    await this.step(`create ${id} ${sizeBytes}`);
    const existing = this.volumes.get(id);
    if (existing) {
      if (existing.sizeBytes !== sizeBytes) throw new PoolError('AlreadyExists', `volume ${id} exists with another size`);
      return { ...existing };
    }
    const src = opts.source;
    if (src && 'snapshotId' in src) {
      const snap = this.snapshots.get(src.snapshotId);
      if (!snap) throw new PoolError('NotFound', `snapshot ${src.snapshotId} not found in ${this.name}`);
      if (sizeBytes < snap.restoreSizeBytes) throw new PoolError('Invalid', `${id} is smaller than snapshot ${src.snapshotId}`);
      snap.dependents++;
    } else if (src && !this.volumes.has(src.volumeId)) {
      throw new PoolError('NotFound', `volume ${src.volumeId} not found in ${this.name}`);
    }
    const v: MemVolume = { id, sizeBytes, usedBytes: 0, format: opts.format ?? 'raw', path: `/mem/${this.name}/${id}`, createdAt: new Date().toISOString(), source: src };
    this.volumes.set(id, v);
    return { ...v };
  }

  getVolume(id: string): VolumeInfo | undefined {
    const v = this.volumes.get(id);
    return v ? { ...v } : undefined;
  }

  listVolumes(): VolumeInfo[] {
    return [...this.volumes.values()].map((v) => ({ ...v }));
  }

  async expandVolume(id: string, newSizeBytes: number): Promise<VolumeInfo> {
    await this.step(`expand ${id} ${newSizeBytes}`);
    const v = this.volumes.get(id);
    if (!v) throw new PoolError('NotFound', `volume ${id} not found in ${this.name}`);
    if (newSizeBytes < v.sizeBytes) throw new PoolError('Invalid', 'volumes only grow');
    v.sizeBytes = newSizeBytes;
    return { ...v };
  }

  async deleteVolume(id: string): Promise<void> {
    await this.step(`delete ${id}`);
    const v = this.volumes.get(id);
    if (v?.source && 'snapshotId' in v.source) {
      const snap = this.snapshots.get(v.source.snapshotId);
      if (snap) snap.dependents--;
    }
    this.volumes.delete(id);
  }

  async snapshot(volumeId: string, snapshotId: string): Promise<SnapshotInfo> {
    await this.step(`snapshot ${volumeId} ${snapshotId}`);
    const existing = this.snapshots.get(snapshotId);
    if (existing) return { ...existing };
    const v = this.volumes.get(volumeId);
    if (!v) throw new PoolError('NotFound', `volume ${volumeId} not found in ${this.name}`);
    const s: SnapshotInfo = { id: snapshotId, sourceVolumeId: volumeId, restoreSizeBytes: v.sizeBytes, createdAt: new Date().toISOString(), dependents: 0 };
    this.snapshots.set(snapshotId, s);
    return { ...s };
  }

  getSnapshot(id: string): SnapshotInfo | undefined {
    const s = this.snapshots.get(id);
    return s ? { ...s } : undefined;
  }

  listSnapshots(): SnapshotInfo[] {
    return [...this.snapshots.values()].map((s) => ({ ...s }));
  }

  async deleteSnapshot(id: string): Promise<void> {
    await this.step(`delete-snapshot ${id}`);
    this.snapshots.delete(id);
  }

  setLiveSnapshotHook(hook: LiveSnapshotHook | undefined): void {
    this.hook = hook;
  }

  /** Pretend a VM wrote `bytes` into a volume (thin files take what is written). */
  write(id: string, bytes: number): void {
    const v = this.volumes.get(id);
    if (v) v.usedBytes = Math.min(v.sizeBytes, v.usedBytes + bytes);
  }
}
