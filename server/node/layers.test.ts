// The layer model's pure rules: which layers stay, who depends on a snapshot, what a volume owns,
// and which ids and sizes are accepted.
import { describe, expect, it } from 'vitest';
import { chainOf, emptyMeta, exclusiveLayers, indexMeta, normalizeSize, reachableLayers, snapshotDependents, validateId, withoutGarbage, type PoolMeta } from './layers';
import { PoolError } from './types';

const at = '2026-01-01T00:00:00Z';
const layer = (id: string, parent?: string) => ({ id, file: `${id}.qcow2`, format: 'qcow2' as const, createdAt: at, ...(parent ? { parent } : {}) });

/** base ← frozen ← top (volume "src"); frozen is snapshot "s"; restored volume "r" ← r-top on frozen; "old" unreachable. */
function sample(): PoolMeta {
  const meta = emptyMeta();
  for (const l of [layer('base'), layer('frozen', 'base'), layer('top', 'frozen'), layer('r-top', 'frozen'), layer('old'), layer('old-top', 'old')]) meta.layers[l.id] = l;
  meta.volumes.src = { id: 'src', sizeBytes: 512, format: 'qcow2', top: 'top', createdAt: at };
  meta.volumes.r = { id: 'r', sizeBytes: 512, format: 'qcow2', top: 'r-top', createdAt: at, source: { snapshotId: 's' } };
  meta.snapshots.s = { id: 's', sourceVolumeId: 'src', layer: 'frozen', restoreSizeBytes: 512, createdAt: at };
  return meta;
}

describe('layers', () => {
  it('walks a chain from the top down and stops at a loop', () => {
    expect(chainOf(sample(), 'top').map((l) => l.id)).toEqual(['top', 'frozen', 'base']);
    const looped = sample();
    looped.layers.base!.parent = 'top';
    expect(chainOf(looped, 'top').map((l) => l.id)).toEqual(['top', 'frozen', 'base']);
  });

  it('keeps every layer a volume or snapshot reads through, and only those', () => {
    expect([...reachableLayers(sample())].sort()).toEqual(['base', 'frozen', 'r-top', 'top']);
    const { state, removed } = withoutGarbage(sample());
    expect(removed.map((l) => l.id).sort()).toEqual(['old', 'old-top']);
    expect(Object.keys(state.layers).sort()).toEqual(['base', 'frozen', 'r-top', 'top']);
    const clean = withoutGarbage(state);
    expect(clean.state).toBe(state);
  });

  it.each([
    ['the source volume', (m: PoolMeta) => delete m.volumes.src, ['base', 'frozen', 'r-top']],
    ['the snapshot', (m: PoolMeta) => delete m.snapshots.s, ['base', 'frozen', 'r-top', 'top']],
    ['the restored volume', (m: PoolMeta) => delete m.volumes.r, ['base', 'frozen', 'top']],
    ['everything', (m: PoolMeta) => ((m.volumes = {}), (m.snapshots = {})), []],
  ])('after deleting %s keeps %j', (_name, del, kept) => {
    const meta = sample();
    del(meta);
    expect(Object.keys(withoutGarbage(meta).state.layers).sort()).toEqual(kept);
  });

  it('counts the volumes other than its source that depend on a snapshot', () => {
    const meta = sample();
    expect(snapshotDependents(indexMeta(meta), meta.snapshots.s!)).toBe(1);
    delete meta.volumes.r;
    expect(snapshotDependents(indexMeta(meta), meta.snapshots.s!)).toBe(0);
  });

  it("gives a volume the layers nothing else reads as its own", () => {
    const meta = sample();
    expect(exclusiveLayers(meta, indexMeta(meta), 'src').map((l) => l.id)).toEqual(['top']);
    delete meta.snapshots.s;
    delete meta.volumes.r;
    expect(exclusiveLayers(meta, indexMeta(meta), 'src').map((l) => l.id)).toEqual(['top', 'frozen', 'base']);
  });
});

describe('validation', () => {
  it.each(['pvc-0a1b2c3d-4e5f', 'a', 'A.b_c-d', 'x'.repeat(253)])('accepts id %j', (id) => expect(validateId(id, 'volume')).toBe(id));
  it.each(['', '.', '..', '../x', 'a/b', 'a\\b', '-a', '.a', 'a..b', 'a b', 'x'.repeat(254), 'é', 5, undefined])('refuses id %j', (id) => {
    expect(() => validateId(id, 'volume')).toThrow(PoolError);
  });
  it.each([
    [1, 512],
    [512, 512],
    [513, 1024],
    [10 * 2 ** 30, 10 * 2 ** 30],
  ])('rounds size %d up to %d', (size, rounded) => expect(normalizeSize(size)).toBe(rounded));
  it.each([0, -512, 1.5, Number.NaN, Infinity, '512', 2 ** 53])('refuses size %j', (size) => expect(() => normalizeSize(size)).toThrow(PoolError));
});
