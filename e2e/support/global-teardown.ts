import fs from 'node:fs';
import { readState, stopKura } from './kura';

export default async function globalTeardown(): Promise<void> {
  const state = readState();
  stopKura(state.pid);
  await new Promise((r) => setTimeout(r, 1000));
  fs.rmSync(state.dataDir, { recursive: true, force: true });
}
