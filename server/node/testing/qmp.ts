// Test helper: a running QEMU holding one volume open, driven over QMP (the way the VM layer will).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface RunningDisk {
  /** Executes a QMP command; rejects with QEMU's error description. */
  execute(command: string, args?: Record<string, unknown>): Promise<unknown>;
  /** Runs qemu-io inside QEMU against the drive: a guest write, without a guest. */
  io(command: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts QEMU with no machine, only `file` as drive "drive0", and a QMP socket in `runDir`. */
export async function runDisk(file: string, runDir: string): Promise<RunningDisk> {
  const sock = path.join(runDir, 'qmp.sock');
  const child: ChildProcess = spawn(
    'qemu-system-x86_64',
    ['-machine', 'none', '-nodefaults', '-display', 'none', '-qmp', `unix:${sock},server=on,wait=off`, '-drive', `if=none,id=drive0,file=${file},format=qcow2`],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; i < 400 && !fs.existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50));
  const conn = net.createConnection(sock);
  const waiting: ((msg: Record<string, unknown>) => void)[] = [];
  let buf = '';
  conn.setEncoding('utf8');
  conn.on('data', (chunk: string) => {
    buf += chunk;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const msg = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
      buf = buf.slice(nl + 1);
      if (!('event' in msg)) waiting.shift()?.(msg);
    }
  });
  const next = () => new Promise<Record<string, unknown>>((resolve) => waiting.push(resolve));
  await next(); // greeting
  const execute = async (command: string, args?: Record<string, unknown>) => {
    const reply = next();
    conn.write(JSON.stringify(args ? { execute: command, arguments: args } : { execute: command }) + '\n');
    const msg = await reply;
    if ('error' in msg) throw new Error((msg.error as { desc?: string }).desc ?? 'QMP error');
    return msg.return;
  };
  await execute('qmp_capabilities');
  return {
    execute,
    io: async (command) => String(await execute('human-monitor-command', { 'command-line': `qemu-io drive0 "${command}"` })),
    stop: async () => {
      await execute('quit').catch(() => undefined);
      conn.destroy();
      await exited;
    },
  };
}

export function haveQemuSystem(): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => fs.existsSync(path.join(d, 'qemu-system-x86_64')));
}
