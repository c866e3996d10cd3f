// Durable file primitives for the pool: atomic replace of a JSON file (temp + fsync + rename + fsync
// of the directory), fsync helpers, and a reader for the few qcow2 header fields reopening needs.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

/** The temp name a replace of `file` writes first; reopening removes a leftover one. */
export function tempOf(file: string): string {
  return `${file}.tmp`;
}

/**
 * Replaces `file` with `data` so that a crash at any moment leaves either the old or the new
 * content. Once the rename happened the write counts as done even if the directory fsync then
 * fails: every later reader already sees the new file, and undoing it would be worse.
 */
export async function writeJsonAtomic(file: string, data: unknown, mode = 0o644): Promise<void> {
  return writeFileAtomic(file, JSON.stringify(data), mode);
}

/** writeJsonAtomic for text already made. */
export async function writeFileAtomic(file: string, body: string, mode = 0o644): Promise<void> {
  const tmp = tempOf(file);
  try {
    const fh = await fsp.open(tmp, 'w', mode);
    try {
      await fh.writeFile(body);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await fsyncDir(path.dirname(file)).catch(() => undefined);
}

/** Same as writeJsonAtomic, for the synchronous reopen path. */
export function writeJsonAtomicSync(file: string, data: unknown): void {
  const tmp = tempOf(file);
  try {
    const fd = fs.openSync(tmp, 'w', 0o644);
    try {
      fs.writeFileSync(fd, JSON.stringify(data));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  try {
    const fd = fs.openSync(path.dirname(file), 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // see writeJsonAtomic
  }
}

export async function fsyncFile(file: string): Promise<void> {
  const fh = await fsp.open(file, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes creations, renames and removals in a directory durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export interface Qcow2Header {
  virtualSize: number;
  /** The backing file name as written in the image (relative to the image's directory, or absolute). */
  backingFile?: string;
}

const QCOW2_MAGIC = 0x514649fb;

/** The virtual size and backing file of a qcow2 image; undefined when the file is missing or not (yet) a qcow2 image. */
export function readQcow2Header(file: string): Qcow2Header | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const head = Buffer.alloc(32);
    if (fs.readSync(fd, head, 0, 32, 0) < 32 || head.readUInt32BE(0) !== QCOW2_MAGIC) return undefined;
    const virtualSize = Number(head.readBigUInt64BE(24));
    const backingOffset = Number(head.readBigUInt64BE(8));
    const backingLength = head.readUInt32BE(16);
    if (backingOffset === 0 || backingLength === 0) return { virtualSize };
    // QEMU caps backing file names at 1023 bytes.
    if (backingLength > 1023) return undefined;
    const name = Buffer.alloc(backingLength);
    if (fs.readSync(fd, name, 0, backingLength, backingOffset) < backingLength) return undefined;
    return { virtualSize, backingFile: name.toString('utf8') };
  } finally {
    fs.closeSync(fd);
  }
}

/** The file a `json:{...}` backing name (QEMU writes one when the backing node had options) points at. */
function jsonFilename(backingFile: string): string | undefined {
  try {
    const spec = JSON.parse(backingFile.slice('json:'.length)) as Record<string, unknown>;
    const file = spec.file as Record<string, unknown> | undefined;
    const name = spec['file.filename'] ?? file?.filename ?? spec.filename;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `backingFile`, as written in the image at `imagePath`, names `target` (QEMU resolves relative names against the image's directory). */
export function backsOnto(imagePath: string, backingFile: string, target: string): boolean {
  const name = backingFile.startsWith('json:') ? jsonFilename(backingFile) : backingFile;
  if (name === undefined) return false;
  const resolved = path.resolve(path.dirname(imagePath), name);
  if (resolved === path.resolve(target)) return true;
  try {
    return fs.realpathSync(resolved) === fs.realpathSync(target);
  } catch {
    return false;
  }
}

/** Whether an error from the file system means it is full. */
export function isNoSpace(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** This boot's identity (Linux), '' when unknown. */
export function currentBootId(): string {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}
