// A download kept in the scratch directory while it streams on: after a restart the bytes already
// kept are replayed from disk and only the rest is asked for (Range from the first missing byte).
// Used where the stream must be read from its start anyway (compressed files, registry layers).
import fsp from 'node:fs/promises';
import { MiB } from '@/lib/provisioning';
import { writeAt } from '../writer';
import { fileChunks } from './bytes';
import type { RemoteFile } from './remote';

/** Bytes between records of the kept length in the resume state. */
const RECORD_EVERY = 8 * MiB;

/**
 * The whole file: bytes [0, keptBytes) from `partFile`, the rest from the server appended to it.
 * `onKept` hears the length written so far, every 8 MiB and at the end (for the resume state).
 */
export async function* keptDownload(remote: RemoteFile, partFile: string, keptBytes: number, onKept: (bytes: number) => Promise<void>): AsyncGenerator<Buffer> {
  // Anything past the recorded length was never recorded: cut it off.
  const fh = await fsp.open(partFile, 'a+', 0o600);
  let have = keptBytes;
  try {
    const st = await fh.stat();
    if (st.size < have) have = 0;
    await fh.truncate(have);
    if (have !== keptBytes) await onKept(have);
    yield* fileChunks(partFile, 0, have);
    let unrecorded = 0;
    for await (const c of remote.stream(have)) {
      await writeAt(fh.fd, c, 0, c.length, null);
      have += c.length;
      unrecorded += c.length;
      if (unrecorded >= RECORD_EVERY) {
        unrecorded = 0;
        await onKept(have);
      }
      yield c;
    }
  } finally {
    // Also when stopped by an abort or a failure: what was written is the file's own bytes, worth keeping.
    try {
      await onKept(have);
    } finally {
      await fh.close();
    }
  }
}
