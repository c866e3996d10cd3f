// The upload service for bench/import, in a process of its own started as Kura starts its server
// (scripts/server-flags.mjs), serving every round as a long-running server would. In the bench's
// own process the import rounds before it leave the heap in a state no server has: V8 ran about
// 35 mark-compacts per uploaded GiB there, against one or two here.
// Says (on lines starting with @, among the service's log lines) its port once listening, then
// `received` each time every byte of an upload is stored. A line `cpu` on stdin asks for its CPU
// seconds since the last time it was asked.
// Usage: node <server flags> --import tsx upload-server.ts <staging dir> <token key, hex>
import http from 'node:http';
import readline from 'node:readline';
import { UploadService, type UploadTarget } from '@/server/upload/service';

const [dir, keyHex] = process.argv.slice(2) as [string, string];
const target: UploadTarget = { uid: 'bench', dir, usableBytes: 2 ** 50, complete: async () => void process.stdout.write('@received\n') };
const server = http.createServer(new UploadService(Buffer.from(keyHex, 'hex'), { lookup: () => target }).handle);
server.listen(0, '127.0.0.1', () => process.stdout.write(`@${(server.address() as { port: number }).port}\n`));
let cpu = process.cpuUsage();
readline.createInterface({ input: process.stdin }).on('line', (l) => {
  if (l !== 'cpu') return;
  const c = process.cpuUsage(cpu);
  cpu = process.cpuUsage();
  process.stdout.write(`@cpu ${(c.user + c.system) / 1e6}\n`);
});
process.stdin.on('end', () => process.exit(0));
