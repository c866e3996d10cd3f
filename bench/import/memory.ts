// Every timed run in bench/import starts from the same memory state. This VM's balloon reports
// free memory back to the host (free page reporting), and a page it gave back costs a fault on the
// host when the guest uses it again: writing 1 GiB into the page cache then takes 2–8× the system
// time. Which run got such pages depended on what ran before it, so one side of a comparison could
// be slow in every round. Writing and deleting a file just before each timed run hands every run
// freshly freed, still-backed pages.
import fs from 'node:fs';
import path from 'node:path';

const PIECE = 16 << 20;

/** Writes `bytes` into a file in `dir` (not synced: unlinked before writeback) and deletes it. */
export function primeMemory(dir: string, bytes = 2.5 * 2 ** 30): void {
  const file = path.join(dir, 'prime.bin');
  const buf = Buffer.alloc(PIECE, 0x5a);
  const fd = fs.openSync(file, 'w');
  try {
    for (let done = 0; done < bytes; done += PIECE) fs.writeSync(fd, buf);
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
}
