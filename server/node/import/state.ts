// The resume state an import keeps in its scratch directory, so a call after a restart (or after an
// abort) takes up where the last one stopped instead of starting over.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { currentBootId, writeFileAtomic } from '../files';
import type { Validators } from './remote';

export const STATE_FILE = 'import-state.json';
export const PART_FILE = 'download.part';
export const IMAGE_FILE = 'image';

export interface ImportState {
  v: 1;
  /** Which source and target this state belongs to (no credentials in it). */
  key: string;
  validators?: Validators;
  /** Direct mode: the image's virtual bytes converted and made durable in the target. */
  convertedTo?: number;
  /** The target file (inode) convertedTo speaks of: a volume file made anew starts from zero. */
  targetIno?: number;
  /** Staged mode: bytes of the source written to download.part (not fsynced: see bootId). */
  partBytes?: number;
  /**
   * The boot download.part was written in. Its bytes are trusted after a restart of Kura (the page
   * cache survives that) but not after a reboot, which may have lost what was not yet on disk:
   * fsyncing a scratch file that is deleted minutes later would only cost disk bandwidth.
   */
  bootId?: string;
  /** Registry: the layer download.part belongs to, and the layers already known to hold no disk. */
  layer?: string;
  emptyLayers?: string[];
}

export function stateKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

export class StateStore {
  constructor(readonly dir: string) {}

  file(name: string): string {
    return path.join(this.dir, name);
  }

  load(key: string): ImportState | undefined {
    try {
      const s = JSON.parse(fs.readFileSync(this.file(STATE_FILE), 'utf8')) as ImportState;
      if (s.v !== 1 || s.key !== key) return undefined;
      const boot = currentBootId();
      if (!boot || s.bootId !== boot) delete s.partBytes;
      return s;
    } catch {
      return undefined;
    }
  }

  private saving: Promise<void> = Promise.resolve();
  private cleared = false;

  /**
   * Written to a temporary name, made durable and renamed: a crash leaves the old state or the new.
   * Saves run one at a time; once the import is over (clear) a late save writes nothing, so no
   * stale state can make a later import of the same target "resume" into a fresh volume.
   */
  save(state: ImportState): Promise<void> {
    if (this.cleared) return Promise.resolve();
    const snapshot = JSON.stringify(state);
    const next = this.saving.catch(() => undefined).then(() => this.write(snapshot));
    this.saving = next;
    return next;
  }

  private async write(body: string): Promise<void> {
    if (this.cleared) return;
    await writeFileAtomic(this.file(STATE_FILE), body, 0o600);
  }

  /** Removes everything the importer put in the directory, and the directory when that leaves it empty. */
  async clear(): Promise<void> {
    this.cleared = true;
    await this.saving.catch(() => undefined);
    const names = await fsp.readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((n) => n === STATE_FILE || n === `${STATE_FILE}.tmp` || n === PART_FILE || n.startsWith(IMAGE_FILE + '.'))
        .map((n) => fsp.rm(path.join(this.dir, n), { force: true })),
    );
    await fsp.rmdir(this.dir).catch(() => undefined);
  }
}
