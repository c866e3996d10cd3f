// Child process of crash.test.ts: the embedded API server on a fixed port until it is killed.
// Usage: node --import tsx server/apiserver/testing/crash-server.ts <dataDir> <port> [--when-told]
import { startApiServer } from '..';

const [dataDir, port, mode] = process.argv.slice(2);
if (!dataDir || !port) throw new Error('usage: crash-server.ts <dataDir> <port> [--when-told]');

if (mode === '--when-told') {
  // Loading the code takes seconds here; the test loads all its servers up front and starts each (a
  // line on stdin) right after the kill of the one before. The data dir is not touched before that.
  process.stdout.write('loaded\n');
  const told = await new Promise<boolean>((resolve) => {
    process.stdin.once('data', () => resolve(true));
    process.stdin.once('end', () => resolve(false));
  });
  if (!told) process.exit(0);
}

const api = await startApiServer({ dataDir, addr: `127.0.0.1:${port}` });
// The parent waits for this line: from here on the server answers.
process.stdout.write(`ready ${api.url}\n`);

// A polite stop (a cleanup, not the test's point) closes the store.
process.once('SIGTERM', () => {
  void api.stop().finally(() => process.exit(0));
});
