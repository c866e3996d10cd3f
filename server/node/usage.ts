// Disk usage of a pool's layer files (stat.blocks × 512), cached because status() is called often:
// a frozen layer never changes, so only tops (which VMs write) are looked at again, after a TTL.
import fs from 'node:fs';
import type { LayerRecord, PoolState } from './layers';

export class LayerUsage {
  private bytes = new Map<string, { bytes: number; frozen: boolean }>();
  private statedAt = 0;
  /** The metadata the map was built for: when neither it nor the clock moved, there is nothing to do. */
  private builtFor: PoolState | undefined;

  constructor(
    private readonly ttlMs: number,
    private readonly pathOf: (layer: LayerRecord) => string,
  ) {}

  /** Stats new layers always, and tops when their figure is older than the TTL. */
  refresh(state: PoolState, tops: ReadonlySet<string>): void {
    const now = Date.now();
    const stale = now - this.statedAt >= this.ttlMs;
    if (!stale && this.builtFor === state) return;
    if (stale) this.statedAt = now;
    this.builtFor = state;
    const next = new Map<string, { bytes: number; frozen: boolean }>();
    for (const layer of Object.values(state.layers)) {
      const frozen = !tops.has(layer.id);
      const cached = this.bytes.get(layer.id);
      if (cached && (cached.frozen || !stale)) {
        next.set(layer.id, cached);
        continue;
      }
      const st = fs.statSync(this.pathOf(layer), { throwIfNoEntry: false });
      // A layer stated while it was a top is stated once more after it froze (its last writes), then never again.
      next.set(layer.id, { bytes: st ? st.blocks * 512 : 0, frozen: frozen && st !== undefined });
    }
    this.bytes = next;
  }

  of(layerId: string): number {
    return this.bytes.get(layerId)?.bytes ?? 0;
  }

  total(): number {
    let sum = 0;
    for (const u of this.bytes.values()) sum += u.bytes;
    return sum;
  }
}
