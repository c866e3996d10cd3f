#!/usr/bin/env node
// The README's commands, with the set-up they need: `npm start` and `npm test`
// install npm packages and Debian packages (as root; otherwise they name what
// to install), build the console when its sources changed, then run.
// Plain Node, no dependencies: it runs before node_modules exists.
import { spawnSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SERVER_NODE_FLAGS } from './server-flags.mjs';

const root = path.resolve(import.meta.dirname, '..');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

// What each command needs from Debian, by the program Kura runs.
const debianNeeds = {
  start: [
    { command: 'openssl', pkg: 'openssl', why: 'creates the embedded API server\'s certificates' },
    { command: 'qemu-img', pkg: 'qemu-utils', why: 'makes the embedded cluster\'s volume files' },
    { command: 'qemu-system-x86_64', pkg: 'qemu-system-x86', why: 'runs the embedded cluster\'s VMs' },
  ],
  test: [
    { command: 'chromium', pkg: 'chromium', why: 'runs the end-to-end tests' },
    { command: 'kubectl', pkg: 'kubectl', why: 'drives the embedded API server in the integration tests' },
    { command: 'docker-registry', pkg: 'docker-registry', why: 'serves containerDisk images to the import tests' },
    { command: 'zstd', pkg: 'zstd', why: 'compresses test images for the import tests' },
    { command: 'xz', pkg: 'xz-utils', why: 'compresses test images for the import tests' },
  ],
};

function say(msg) {
  process.stdout.write(`kura: ${msg}\n`);
}

function fail(msg) {
  process.stderr.write(`kura: ${msg}\n`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env, ...opts });
  if (r.error) fail(`cannot run ${cmd}: ${r.error.message}`);
  return r.status ?? 1;
}

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) fail(`Node ${process.versions.node} is too old; Kura needs Node 20.19 or newer`);
}

function ensureDebianPackages(needs) {
  const missing = needs.filter((n) => !hasCommand(n.command));
  if (!missing.length) return;
  const pkgs = [...new Set(missing.map((m) => m.pkg))];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !hasCommand('apt-get')) {
    fail(`missing Debian packages: ${pkgs.join(' ')} (${missing.map((m) => `${m.command} ${m.why}`).join('; ')}); install them with: sudo apt-get install -y ${pkgs.join(' ')}`);
  }
  say(`installing Debian packages: ${pkgs.join(' ')}`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], { env: aptEnv });
  if (install() !== 0) {
    if (run('apt-get', ['update', '-q'], { env: aptEnv }) !== 0 || install() !== 0) fail(`apt-get could not install ${pkgs.join(' ')}`);
  }
}

function fileHash(files) {
  const h = crypto.createHash('sha256');
  for (const f of files) {
    h.update(f);
    h.update(fs.readFileSync(path.join(root, f)));
  }
  return h.digest('hex');
}

function listFiles(dir, out = []) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return out;
  for (const entry of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) listFiles(rel, out);
    else if (!/\.test\.tsx?$/.test(entry.name)) out.push(rel);
  }
  return out;
}

function ensureNpmPackages() {
  const stamp = path.join(root, 'node_modules', '.kura-installed');
  const want = fileHash(['package.json', 'package-lock.json'].filter((f) => fs.existsSync(path.join(root, f))));
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === want) return;
  say('installing npm packages');
  // `npm install` rather than `npm ci`: it honours the lockfile too, and does not refuse it over
  // optional packages for other platforms that a registry mirror may not carry.
  if (run('npm', ['install', '--no-audit', '--no-fund']) !== 0) fail('npm could not install the packages (see above)');
  fs.writeFileSync(stamp, want);
}

/** Build the console pages when anything they are made of changed since the last build. */
function ensureBuild() {
  const inputs = ['app', 'components', 'lib', 'public'].flatMap((d) => listFiles(d));
  inputs.push(...['next.config.ts', 'tsconfig.json', 'package-lock.json'].filter((f) => fs.existsSync(path.join(root, f))));
  const want = fileHash(inputs);
  const stamp = path.join(root, '.next', 'kura-build-stamp');
  if (fs.existsSync(path.join(root, '.next', 'BUILD_ID')) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === want) return;
  say('building the console (first start, or its sources changed)');
  if (run('npx', ['next', 'build']) !== 0) fail('the console build failed (see above)');
  fs.writeFileSync(stamp, want);
}

/** Run Kura's server in the foreground, passing signals through. */
function startServer(args, extraEnv = {}) {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/main.ts', ...args], { stdio: 'inherit', cwd: root, env: { ...env, ...extraEnv } });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function step(name, cmd, args) {
  const t = Date.now();
  say(`${name} …`);
  const code = run(cmd, args);
  const secs = ((Date.now() - t) / 1000).toFixed(1);
  if (code !== 0) fail(`${name} failed after ${secs}s`);
  say(`${name} passed in ${secs}s`);
}

const [command = 'start', ...rest] = process.argv.slice(2);
checkNode();
switch (command) {
  case 'start':
    ensureNpmPackages();
    ensureDebianPackages(debianNeeds.start);
    ensureBuild();
    startServer(rest, { NODE_ENV: 'production' });
    break;
  case 'dev':
    ensureNpmPackages();
    ensureDebianPackages(debianNeeds.start);
    startServer(['--dev', ...rest], { NODE_ENV: 'development' });
    break;
  case 'test': {
    ensureNpmPackages();
    ensureDebianPackages([...debianNeeds.start, ...debianNeeds.test]);
    const only = rest[0];
    if (!only || only === 'typecheck') step('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']);
    if (!only || only === 'lint') step('lint', 'npx', ['eslint', '--max-warnings=0', '.']);
    if (!only || only === 'unit') step('unit tests', 'npx', ['vitest', 'run']);
    if (!only || only === 'e2e') {
      ensureBuild();
      step('end-to-end tests', 'npx', ['playwright', 'test', ...rest.slice(1)]);
    }
    say('all tests passed');
    break;
  }
  case 'cli':
    ensureNpmPackages();
    process.exit(run(process.execPath, ['--import', 'tsx', 'server/cli.ts', ...rest]));
    break;
  default:
    fail(`unknown command "${command}"; use start, dev, test or cli`);
}
