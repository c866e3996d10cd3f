// The pool's metadata model: volumes and snapshots are references into a forest of qcow2 layers
// (each backs onto its parent). Pure functions over plain data: chains, reachability, garbage.
import { z } from 'zod';
import { PoolError, type VolumeFormat } from './types';

const format = z.enum(['qcow2', 'raw']);

const layerSchema = z.object({
  id: z.string(),
  /** File name inside the pool's layers/ directory; children name it relative, so the pool can move. */
  file: z.string(),
  format,
  parent: z.string().optional(),
  createdAt: z.string(),
});

const sourceSchema = z.union([z.object({ snapshotId: z.string() }), z.object({ volumeId: z.string() })]);

const volumeSchema = z.object({
  id: z.string(),
  sizeBytes: z.number().int().positive(),
  format,
  /** The layer QEMU writes. */
  top: z.string(),
  createdAt: z.string(),
  source: sourceSchema.optional(),
});

const snapshotSchema = z.object({
  id: z.string(),
  sourceVolumeId: z.string(),
  /** The frozen layer holding the volume as it was. */
  layer: z.string(),
  restoreSizeBytes: z.number().int().positive(),
  createdAt: z.string(),
});

const stateSchema = z.object({
  volumes: z.record(z.string(), volumeSchema),
  snapshots: z.record(z.string(), snapshotSchema),
  layers: z.record(z.string(), layerSchema),
});

/**
 * A live snapshot in flight: the VM's QEMU creates `overlay` on top of `backing` and switches to it.
 * Kura may die meanwhile while QEMU lives on, so the intent is written first and reopening finishes
 * it (`after`) when the overlay exists and backs onto `backing`, or forgets it otherwise.
 */
const pendingSchema = z.object({ volumeId: z.string(), overlay: z.string(), backing: z.string(), after: stateSchema });

export const poolMetaSchema = stateSchema.extend({ version: z.literal(1), pending: pendingSchema.optional() });

export type LayerRecord = z.infer<typeof layerSchema>;
export type VolumeRecord = z.infer<typeof volumeSchema>;
export type SnapshotRecord = z.infer<typeof snapshotSchema>;
export type PoolState = z.infer<typeof stateSchema>;
export type PendingLive = z.infer<typeof pendingSchema>;
export type PoolMeta = z.infer<typeof poolMetaSchema>;

export function emptyMeta(): PoolMeta {
  return { version: 1, volumes: {}, snapshots: {}, layers: {} };
}

/** The layers from `top` down to the base; stops at a missing parent or a loop (never expected, never fatal). */
export function chainOf(state: PoolState, top: string): LayerRecord[] {
  const chain: LayerRecord[] = [];
  const seen = new Set<string>();
  for (let id: string | undefined = top; id !== undefined && !seen.has(id); ) {
    const layer: LayerRecord | undefined = state.layers[id];
    if (!layer) break;
    seen.add(id);
    chain.push(layer);
    id = layer.parent;
  }
  return chain;
}

/** Every layer some volume or snapshot still reads through. */
export function reachableLayers(state: PoolState): Set<string> {
  const live = new Set<string>();
  const roots = [...Object.values(state.volumes).map((v) => v.top), ...Object.values(state.snapshots).map((s) => s.layer)];
  for (const root of roots) for (const layer of chainOf(state, root)) live.add(layer.id);
  return live;
}

/** The state without layers nothing reaches, and those layers (whose files may go once it is committed). */
export function withoutGarbage<S extends PoolState>(state: S): { state: S; removed: LayerRecord[] } {
  const live = reachableLayers(state);
  const removed = Object.values(state.layers).filter((l) => !live.has(l.id));
  if (removed.length === 0) return { state, removed };
  const layers = Object.fromEntries(Object.entries(state.layers).filter(([id]) => live.has(id)));
  return { state: { ...state, layers }, removed };
}

/** Derived lookups, rebuilt after every commit so reads stay cheap. */
export interface MetaIndex {
  /** How many roots (volume tops and snapshots) read through each layer. */
  owners: Map<string, number>;
  /** The volumes whose chain passes through each layer. */
  volumesByLayer: Map<string, Set<string>>;
  /** Layers that are some volume's top (still written); all others are frozen. */
  tops: Set<string>;
}

export function indexMeta(state: PoolState): MetaIndex {
  const owners = new Map<string, number>();
  const volumesByLayer = new Map<string, Set<string>>();
  const tops = new Set<string>();
  for (const v of Object.values(state.volumes)) {
    tops.add(v.top);
    for (const l of chainOf(state, v.top)) {
      owners.set(l.id, (owners.get(l.id) ?? 0) + 1);
      let vols = volumesByLayer.get(l.id);
      if (!vols) volumesByLayer.set(l.id, (vols = new Set()));
      vols.add(v.id);
    }
  }
  for (const s of Object.values(state.snapshots)) for (const l of chainOf(state, s.layer)) owners.set(l.id, (owners.get(l.id) ?? 0) + 1);
  return { owners, volumesByLayer, tops };
}

/** Volumes other than the one it was taken from that read through the snapshot's layer (restores, clones). */
export function snapshotDependents(index: MetaIndex, snap: SnapshotRecord): number {
  const vols = index.volumesByLayer.get(snap.layer);
  if (!vols) return 0;
  return vols.size - (vols.has(snap.sourceVolumeId) ? 1 : 0);
}

/** The layers of a volume's chain that nothing else reads: its own data. */
export function exclusiveLayers(state: PoolState, index: MetaIndex, volumeId: string): LayerRecord[] {
  const vol = state.volumes[volumeId];
  if (!vol) return [];
  return chainOf(state, vol.top).filter((l) => index.owners.get(l.id) === 1);
}

export function allocatedBytes(state: PoolState): number {
  let sum = 0;
  for (const v of Object.values(state.volumes)) sum += v.sizeBytes;
  return sum;
}

// Kubernetes object names (DNS subdomains) fit; anything that could leave the directory or hide does not.
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

export function validateId(id: unknown, what: string): string {
  if (typeof id !== 'string' || !ID.test(id) || id.includes('..')) {
    throw new PoolError('Invalid', `${what} id ${JSON.stringify(id)} is not allowed: use 1-253 letters, digits, ".", "_" or "-", starting with a letter or digit, without ".."`);
  }
  return id;
}

export const SECTOR = 512;

/** A positive whole number of bytes, rounded up to a multiple of 512 (qcow2 and raw disks are in sectors). */
export function normalizeSize(bytes: unknown, what = 'size'): number {
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new PoolError('Invalid', `${what} must be a positive whole number of bytes, got ${String(bytes)}`);
  }
  const rounded = Math.ceil(bytes / SECTOR) * SECTOR;
  if (!Number.isSafeInteger(rounded)) throw new PoolError('Invalid', `${what} ${bytes} is too large`);
  return rounded;
}

export function layerFileName(id: string, fmt: VolumeFormat): string {
  return `${id}.${fmt}`;
}
