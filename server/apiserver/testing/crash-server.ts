// Child process of crash.test.ts: the embedded API server on a fixed port until it is killed.
// Usage: node --import tsx server/apiserver/testing/crash-server.ts <dataDir> <port>
import { startApiServer } from '..';

const [dataDir, port] = process.argv.slice(2);
if (!dataDir || !port) throw new Error('usage: crash-server.ts <dataDir> <port>');

const api = await startApiServer({ dataDir, addr: `127.0.0.1:${port}` });
// The parent waits for this line: from here on the server answers.
process.stdout.write(`ready ${api.url}\n`);

// A polite stop (the parent's cleanup) closes the store; the test's point is the SIGKILLs.
process.once('SIGTERM', () => {
  void api.stop().finally(() => process.exit(0));
});
