// The embedded API server's TLS: a CA created on first start, and a serving
// certificate for the addresses clients use, made with the openssl CLI.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';

export interface Pki {
  caCert: string;
  serverCert: string;
  serverKey: string;
  caFile: string;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim();
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('openssl is not installed; install the Debian package openssl', { cause: e });
    throw new Error(`openssl ${args[0]} failed: ${stderr || (e as Error).message}`, { cause: e });
  }
}

/** Subject alternative names the serving certificate must cover for `host`. */
export function wantedSans(host: string): string[] {
  const sans = new Set(['DNS:localhost', 'IP:127.0.0.1', 'IP:0:0:0:0:0:0:0:1', `DNS:${os.hostname()}`]);
  if (net.isIP(host)) {
    if (host !== '0.0.0.0' && host !== '::') sans.add(`IP:${net.isIPv6(host) ? expandV6(host) : host}`);
  } else if (host) sans.add(`DNS:${host}`);
  return [...sans];
}

function expandV6(ip: string): string {
  // openssl prints IPv6 SANs fully expanded without leading zeros.
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const fill = ip.includes('::') ? Array(8 - h.length - t.length).fill('0') : [];
  return [...h, ...fill, ...t].map((p) => parseInt(p || '0', 16).toString(16).toUpperCase()).join(':');
}

function certSans(certPem: string): string[] {
  const x = new crypto.X509Certificate(certPem);
  return (x.subjectAltName ?? '').split(',').map((s) => s.trim().replace('IP Address:', 'IP:').replace(/^DNS:/, 'DNS:'));
}

/** Create (first start) or load the CA and a serving certificate valid for `host`. */
export function ensurePki(dataDir: string, host: string): Pki {
  const dir = path.join(dataDir, 'pki');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caKey = path.join(dir, 'ca.key');
  const caCrt = path.join(dir, 'ca.crt');
  const key = path.join(dir, 'apiserver.key');
  const crt = path.join(dir, 'apiserver.crt');
  if (!fs.existsSync(caKey) || !fs.existsSync(caCrt)) {
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key.tmp'], dir);
    fs.chmodSync(path.join(dir, 'ca.key.tmp'), 0o600);
    openssl(['req', '-x509', '-new', '-key', 'ca.key.tmp', '-sha256', '-days', '3650', '-subj', '/CN=kura-ca', '-out', 'ca.crt.tmp'], dir);
    fs.renameSync(path.join(dir, 'ca.crt.tmp'), caCrt);
    fs.renameSync(path.join(dir, 'ca.key.tmp'), caKey);
    fs.rmSync(crt, { force: true });
  }
  const sans = wantedSans(host);
  let valid = false;
  if (fs.existsSync(crt) && fs.existsSync(key)) {
    try {
      const pem = fs.readFileSync(crt, 'utf8');
      const have = certSans(pem);
      const x = new crypto.X509Certificate(pem);
      const ca = new crypto.X509Certificate(fs.readFileSync(caCrt));
      valid = sans.every((s) => have.includes(s)) && x.checkIssued(ca) && Date.parse(x.validTo) > Date.now() + 30 * 86400_000;
    } catch {
      valid = false;
    }
  }
  if (!valid) {
    const ext = path.join(dir, 'apiserver.ext');
    fs.writeFileSync(ext, `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${sans.join(',')}\n`);
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'apiserver.key.tmp'], dir);
    fs.chmodSync(path.join(dir, 'apiserver.key.tmp'), 0o600);
    openssl(['req', '-new', '-key', 'apiserver.key.tmp', '-subj', '/CN=kura-apiserver', '-out', 'apiserver.csr'], dir);
    openssl(['x509', '-req', '-in', 'apiserver.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '825', '-sha256', '-extfile', 'apiserver.ext', '-out', 'apiserver.crt.tmp'], dir);
    fs.renameSync(path.join(dir, 'apiserver.crt.tmp'), crt);
    fs.renameSync(path.join(dir, 'apiserver.key.tmp'), key);
    fs.rmSync(path.join(dir, 'apiserver.csr'), { force: true });
    fs.rmSync(ext, { force: true });
  }
  return { caCert: fs.readFileSync(caCrt, 'utf8'), serverCert: fs.readFileSync(crt, 'utf8'), serverKey: fs.readFileSync(key, 'utf8'), caFile: caCrt };
}

/** Write the admin kubeconfig (mode 0600) that kubectl and the console use. */
export function writeKubeconfig(file: string, server: string, caCert: string, token: string): void {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kura', cluster: { server, 'certificate-authority-data': Buffer.from(caCert).toString('base64') } }],
    users: [{ name: 'kura-admin', user: { token } }],
    contexts: [{ name: 'kura', context: { cluster: 'kura', user: 'kura-admin', namespace: 'default' } }],
    'current-context': 'kura',
    preferences: {},
  };
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, stringifyYaml(doc), { mode: 0o600 });
  fs.renameSync(tmp, file);
  fs.chmodSync(file, 0o600);
}
