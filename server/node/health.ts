// Whether a pool's directory can still be used, in words: a few syscalls, since status() asks every time.
import fs from 'node:fs';

export interface DirIdentity {
  dev: number;
  ino: number;
}

/** Why the pool in `dir` cannot be used now, or undefined. `id` is the directory the pool opened. */
export function poolDirProblem(dir: string, id: DirIdentity | undefined, mustWrite: string[]): string | undefined {
  try {
    const st = fs.statSync(dir);
    // The pool holds its directory open, so a new one at the same path cannot reuse its inode.
    if (st.dev !== id?.dev || st.ino !== id.ino) return `the pool directory ${dir} was removed and made again; its volumes are not in it`;
    for (const p of mustWrite) fs.accessSync(p, fs.constants.W_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return `the pool directory ${dir} (or its metadata or layers) is gone`;
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return `the pool directory ${dir} is not writable (${code})`;
    return `the pool directory ${dir} cannot be used: ${err instanceof Error ? err.message : String(err)}`;
  }
}
