// Opening a pool directory: read its metadata and make it agree with the files, finishing or undoing
// whatever a killed Kura left half-done. Synchronous and qemu-img free, so a pool opens in its constructor.
//
// Why this is enough: every operation creates (and fsyncs) its new layer files before the metadata
// commit that refers to them, and removes files only after the commit that dropped them. So a file
// the metadata does not name is debris of an unfinished operation, and a layer it names exists.
// The exceptions are spelt out below: a live snapshot (QEMU outlives Kura) and an expansion
// (qemu-img resize changes the top in place before the commit).
import fs from 'node:fs';
import path from 'node:path';
import { backsOnto, readQcow2Header, tempOf, writeJsonAtomicSync } from './files';
import { emptyMeta, poolMetaSchema, withoutGarbage, type PoolMeta } from './layers';

export const META_FILE = 'pool.json';
export const LAYERS_DIR = 'layers';

export interface OpenedPool {
  meta: PoolMeta;
  /** What reopening repaired or found wrong, in words, for the log. */
  notes: string[];
  /** Layers the metadata names whose file is missing (data lost outside Kura's control). */
  missing: string[];
}

/** Opens (creating when new) the pool in `dir`. Throws an Error with a plain message when it must not be touched. */
export function openPoolDir(dir: string): OpenedPool {
  const layersDir = path.join(dir, LAYERS_DIR);
  const metaFile = path.join(dir, META_FILE);
  fs.mkdirSync(layersDir, { recursive: true });
  const notes: string[] = [];
  let changed = false;

  let meta: PoolMeta;
  if (fs.existsSync(metaFile)) {
    const text = fs.readFileSync(metaFile, 'utf8');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new Error(`the pool's metadata ${metaFile} is not valid JSON (${(err as Error).message}); not touching the pool`, { cause: err });
    }
    const parsed = poolMetaSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`the pool's metadata ${metaFile} is not in the expected form (${parsed.error.issues[0]?.message ?? 'invalid'}); not touching the pool`);
    meta = parsed.data;
  } else {
    // Without metadata every layer file would look like debris: refuse rather than delete data.
    const present = fs.readdirSync(layersDir);
    if (present.length > 0) throw new Error(`the pool's metadata ${metaFile} is missing but ${present.length} layer files are in ${layersDir}; not touching them`);
    meta = emptyMeta();
    changed = true;
  }

  // A live snapshot in flight: QEMU may have switched the VM onto the overlay. If the overlay exists
  // and backs onto the old top, finish (rolling back would drop what the VM wrote since); otherwise forget it.
  if (meta.pending) {
    const p = meta.pending;
    const overlay = path.join(layersDir, p.overlay);
    const header = readQcow2Header(overlay);
    if (header?.backingFile !== undefined && backsOnto(overlay, header.backingFile, path.join(layersDir, p.backing))) {
      meta = { version: 1, ...p.after };
      notes.push(`finished the live snapshot of volume ${p.volumeId} that was in flight`);
    } else {
      meta = { version: 1, volumes: meta.volumes, snapshots: meta.snapshots, layers: meta.layers };
      notes.push(`undid the live snapshot of volume ${p.volumeId} that had not started`);
    }
    changed = true;
  }

  // An expansion resizes the top before its commit: a top larger than recorded was being grown, so
  // keep the larger size (the growth was checked against capacity before it started).
  for (const vol of Object.values(meta.volumes)) {
    const top = meta.layers[vol.top];
    if (!top) continue;
    const file = path.join(layersDir, top.file);
    let actual: number | undefined;
    if (top.format === 'qcow2') actual = readQcow2Header(file)?.virtualSize;
    else actual = fs.statSync(file, { throwIfNoEntry: false })?.size;
    if (actual !== undefined && actual > vol.sizeBytes) {
      notes.push(`volume ${vol.id} had been grown from ${vol.sizeBytes} to ${actual} bytes when Kura stopped; kept the new size`);
      meta = { ...meta, volumes: { ...meta.volumes, [vol.id]: { ...vol, sizeBytes: actual } } };
      changed = true;
    }
  }

  const collected = withoutGarbage(meta);
  if (collected.removed.length > 0) {
    meta = collected.state;
    changed = true;
  }

  if (changed) writeJsonAtomicSync(metaFile, meta);

  // Debris: files of operations that never committed, or of deletions that committed but were cut
  // short. Only now, after the metadata above is durable, may they go.
  const known = new Set(Object.values(meta.layers).map((l) => l.file));
  for (const name of fs.readdirSync(layersDir)) {
    if (known.has(name)) continue;
    fs.rmSync(path.join(layersDir, name), { force: true, recursive: true });
    notes.push(`removed ${name}, left by an unfinished operation`);
  }
  fs.rmSync(tempOf(metaFile), { force: true });

  const missing = Object.values(meta.layers)
    .filter((l) => !fs.existsSync(path.join(layersDir, l.file)))
    .map((l) => l.id);
  for (const id of missing) notes.push(`layer ${id} is named in the metadata but its file is missing`);
  return { meta, notes, missing };
}
