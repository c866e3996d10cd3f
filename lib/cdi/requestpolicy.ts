// Which URLs Kura's importer may fetch: protection against server-side
// request forgery, since a DataVolume lets any user with create rights make
// Kura's node open a URL of their choosing and keep the answer in a volume.
//
// Refused unless allowlisted (KURA_IMPORT_ALLOW):
// - schemes other than http and https, and credentials written into the URL;
// - loopback (127.0.0.0/8, ::1), unspecified (0.0.0.0/8, ::), link-local
//   (169.254.0.0/16, fe80::/10, which hold the cloud metadata services at
//   169.254.169.254), the other metadata addresses (fd00:ec2::254,
//   100.100.100.200), multicast and reserved ranges; IPv6 forms that carry
//   an IPv4 address (::ffff:127.0.0.1, 64:ff9b::…, 2002:…) are judged by it;
// - Kura's own listeners (the console, the API server), given as host:port.
//
// Private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) are
// allowed by default: clusters import from internal mirrors, Artifactory or
// an in-cluster MinIO all the time, and real CDI's importer pods reach them
// too. A policy can refuse them (allowPrivate: false). Even then what
// arrives must be a disk image (assessImage refuses HTML, JSON, XML and
// text), so an internal page cannot be read back through a volume.
//
// The fetcher must connect to the addresses checked here (pinning them, so a
// DNS answer that changes between the check and the connection, DNS
// rebinding, cannot slip through), must not follow redirects itself, and must
// call checkRedirect for every hop.
import { type Cidr, type IpAddress, cidrContains, embeddedIpv4, formatIp, parseCidr, parseIp, sameIp } from './cidr';

export type RequestRefusalReason =
  | 'InvalidURL'
  | 'Scheme'
  | 'Credentials'
  | 'Unresolved'
  | 'Loopback'
  | 'Unspecified'
  | 'LinkLocal'
  | 'Metadata'
  | 'Multicast'
  | 'Reserved'
  | 'Private'
  | 'Kura'
  | 'TooManyRedirects'
  | 'Downgrade';

export type RequestVerdict =
  | {
      allowed: true;
      /** The absolute URL to fetch. */
      url: string;
      /** Connect only to these (canonical spelling). */
      addresses: string[];
    }
  | { allowed: false; reason: RequestRefusalReason; message: string };

export type AllowEntry =
  | { kind: 'host'; host: string; port?: number }
  /** "*.example.com": any name below example.com (not example.com itself). */
  | { kind: 'suffix'; suffix: string; port?: number }
  | { kind: 'cidr'; cidr: Cidr; port?: number };

export interface AllowList {
  entries: AllowEntry[];
}

export interface ImportRequestPolicy {
  allow?: AllowList;
  /** Kura's own listeners as host:port ("127.0.0.1:6443", "0.0.0.0:3000", "[::]:3000", "kura.example.com:443"). */
  kuraEndpoints?: readonly string[];
  /** The host's own addresses, to recognise a Kura listener bound to 0.0.0.0 or :: when reached by another of them. */
  localAddresses?: readonly string[];
  /** Private ranges allowed (default true). */
  allowPrivate?: boolean;
}

/** Redirects followed before giving up (what curl and Go's http client allow by default). */
export const MAX_REDIRECTS = 10;

interface Range {
  cidr: Cidr;
  reason: RequestRefusalReason;
  what: string;
}

const range = (text: string, reason: RequestRefusalReason, what: string): Range => ({ cidr: parseCidr(text) as Cidr, reason, what });

// Most specific first: a metadata address wins over its enclosing range.
const REFUSED: readonly Range[] = [
  range('169.254.169.254/32', 'Metadata', 'the cloud metadata service'),
  range('169.254.170.2/32', 'Metadata', 'a container metadata service'),
  range('100.100.100.200/32', 'Metadata', 'a cloud metadata service'),
  range('fd00:ec2::254/128', 'Metadata', 'the cloud metadata service'),
  range('0.0.0.0/8', 'Unspecified', 'an unspecified address ("this host")'),
  range('::/128', 'Unspecified', 'the unspecified address'),
  range('127.0.0.0/8', 'Loopback', 'a loopback address (this machine)'),
  range('::1/128', 'Loopback', 'the loopback address (this machine)'),
  range('169.254.0.0/16', 'LinkLocal', 'a link-local address'),
  range('fe80::/10', 'LinkLocal', 'a link-local address'),
  range('224.0.0.0/4', 'Multicast', 'a multicast address'),
  range('ff00::/8', 'Multicast', 'a multicast address'),
  range('240.0.0.0/4', 'Reserved', 'a reserved address'),
];

const PRIVATE: readonly Range[] = [
  range('10.0.0.0/8', 'Private', 'a private address'),
  range('172.16.0.0/12', 'Private', 'a private address'),
  range('192.168.0.0/16', 'Private', 'a private address'),
  range('100.64.0.0/10', 'Private', 'a carrier-grade NAT address'),
  range('fc00::/7', 'Private', 'a unique local (private) address'),
];

const LOOPBACK_V4 = parseCidr('127.0.0.0/8') as Cidr;
const LOOPBACK_V6 = parseIp('::1') as IpAddress;

function isLoopback(ip: IpAddress): boolean {
  return cidrContains(LOOPBACK_V4, ip) || sameIp(ip, LOOPBACK_V6);
}

function isUnspecified(ip: IpAddress): boolean {
  return ip.bytes.every((b) => b === 0);
}

// --- allowlist -------------------------------------------------------------------

/** Splits "host:port", "[v6]:port", "v4:port"; a bare IPv6 address has no port. */
function splitHostPort(text: string): { host: string; port?: number } | undefined {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracket) return { host: bracket[1] as string, ...(bracket[2] ? { port: Number(bracket[2]) } : {}) };
  if ((text.match(/:/g) ?? []).length > 1) return { host: text };
  const m = /^([^:]*)(?::(\d+))?$/.exec(text);
  if (!m) return undefined;
  return { host: m[1] as string, ...(m[2] ? { port: Number(m[2]) } : {}) };
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Parses KURA_IMPORT_ALLOW: entries separated by commas or white space, each
 * a host name ("mirror.internal"), a wildcard ("*.corp.example"), an address
 * or CIDR block ("10.1.0.0/16", "fd00::/8"), optionally with a port
 * ("127.0.0.1:8080", "[::1]:8080", "mirror.internal:8443"). An entry with a
 * port allows exactly that port, even one of Kura's own; without, any port
 * but Kura's.
 */
export function parseImportAllowList(text: string | undefined | null): { allow: AllowList; errors: string[] } {
  const entries: AllowEntry[] = [];
  const errors: string[] = [];
  for (const raw of (text ?? '').split(/[\s,]+/).filter(Boolean)) {
    const isCidr = raw.includes('/');
    const split = isCidr ? { host: raw } : splitHostPort(raw);
    const port = split?.port;
    if (!split || (port !== undefined && (port < 1 || port > 65535))) {
      errors.push(`"${raw}" is not a host, address or CIDR block (with an optional :port)`);
      continue;
    }
    const host = split.host.toLowerCase();
    const block = parseCidr(host);
    const portPart = port !== undefined ? { port } : {};
    if (block) entries.push({ kind: 'cidr', cidr: block, ...portPart });
    else if (host.startsWith('*.') && HOSTNAME.test(host.slice(2))) entries.push({ kind: 'suffix', suffix: host.slice(1), ...portPart });
    else if (!isCidr && HOSTNAME.test(host) && !/^[\d.]+$/.test(host)) entries.push({ kind: 'host', host, ...portPart });
    else errors.push(`"${raw}" is not a host, address or CIDR block (with an optional :port)`);
  }
  return { allow: { entries }, errors };
}

function entryMatchesName(e: AllowEntry, host: string): boolean {
  if (e.kind === 'host') return e.host === host;
  if (e.kind === 'suffix') return host.endsWith(e.suffix) && host.length > e.suffix.length;
  return false;
}

function portMatches(e: AllowEntry, port: number): boolean {
  return e.port === undefined || e.port === port;
}

// --- the check ---------------------------------------------------------------------

function defaultPort(protocol: string): number {
  return protocol === 'https:' ? 443 : 80;
}

interface Endpoint {
  host: string;
  ip?: IpAddress;
  port: number;
}

function parseEndpoints(list: readonly string[] | undefined): Endpoint[] {
  const out: Endpoint[] = [];
  for (const raw of list ?? []) {
    const split = splitHostPort(raw.trim());
    if (!split || split.port === undefined) continue;
    const host = split.host.toLowerCase();
    const ip = host === '' ? (parseIp('0.0.0.0') as IpAddress) : parseIp(host);
    out.push({ host, ...(ip ? { ip } : {}), port: split.port });
  }
  return out;
}

function isKuraEndpoint(hostname: string, ip: IpAddress, port: number, endpoints: Endpoint[], local: IpAddress[]): boolean {
  return endpoints.some((e) => {
    if (e.port !== port) return false;
    if (!e.ip) return e.host === hostname || (e.host === 'localhost' && isLoopback(ip));
    if (isUnspecified(e.ip)) return isLoopback(ip) || isUnspecified(ip) || local.some((l) => sameIp(l, ip));
    // A listener on a loopback address is reached by the whole loopback range only if bound to it; compare exactly.
    return sameIp(e.ip, ip) || (isUnspecified(ip) && isLoopback(e.ip));
  });
}

function classify(ip: IpAddress, allowPrivate: boolean): Range | undefined {
  const v4 = embeddedIpv4(ip);
  const subject = v4 ?? ip;
  const refused = REFUSED.find((r) => cidrContains(r.cidr, subject));
  if (refused) return refused;
  if (!allowPrivate) return PRIVATE.find((r) => cidrContains(r.cidr, subject));
  return undefined;
}

function refusal(reason: RequestRefusalReason, message: string): RequestVerdict {
  return { allowed: false, reason, message };
}

/**
 * Whether the importer may fetch `url`, whose host resolved to `resolved`
 * (ignored when the host is an address literal). Every address must pass:
 * the fetcher then connects only to `addresses`.
 */
export function checkImportRequest(url: string, resolved: readonly string[], policy: ImportRequestPolicy = {}): RequestVerdict {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return refusal('InvalidURL', `"${url}" is not a valid URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return refusal('Scheme', `${u.protocol.slice(0, -1)} URLs cannot be imported: only http:// and https://`);
  if (u.username || u.password) return refusal('Credentials', 'the URL carries a user name or password: put them in a Secret named in secretRef instead');

  const hostname = u.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const port = u.port ? Number(u.port) : defaultPort(u.protocol);
  const literal = parseIp(hostname);
  const addresses = literal ? [literal] : resolved.map((r) => parseIp(r));
  if (addresses.length === 0) return refusal('Unresolved', `${hostname} did not resolve to any address`);
  const bad = resolved.find((_, i) => !addresses[i]);
  if (!literal && bad !== undefined) return refusal('Unresolved', `${hostname} resolved to "${bad}", which is not an address`);
  const ips = addresses as IpAddress[];

  const entries = policy.allow?.entries ?? [];
  const endpoints = parseEndpoints(policy.kuraEndpoints);
  const local = (policy.localAddresses ?? []).map((a) => parseIp(a)).filter((a): a is IpAddress => a !== undefined);
  const allowPrivate = policy.allowPrivate ?? true;
  const nameEntries = literal ? [] : entries.filter((e) => entryMatchesName(e, hostname) && portMatches(e, port));
  const where = `${hostname}${u.port ? `:${u.port}` : ''}`;

  for (const ip of ips) {
    const matching = [...nameEntries, ...entries.filter((e) => e.kind === 'cidr' && cidrContains(e.cidr, embeddedIpv4(ip) ?? ip) && portMatches(e, port))];
    const exactPort = matching.some((e) => e.port === port);
    const shown = formatIp(ip);
    const via = shown === hostname ? where : `${where} (${shown})`;
    if (!exactPort && isKuraEndpoint(hostname, embeddedIpv4(ip) ?? ip, port, endpoints, local)) {
      return refusal('Kura', `${via} is Kura's own service; importing from it is refused (allow it explicitly with its port in KURA_IMPORT_ALLOW if you mean it)`);
    }
    if (matching.length > 0) continue;
    const r = classify(ip, allowPrivate);
    if (r) return refusal(r.reason, `${via} is ${r.what}; importing from it is refused unless KURA_IMPORT_ALLOW lists it`);
  }
  return { allowed: true, url: u.href, addresses: ips.map(formatIp) };
}

/** The absolute URL a Location header points to from `from`, undefined when it is not a URL. */
export function redirectTarget(from: string, location: string): string | undefined {
  try {
    return new URL(location, from).href;
  } catch {
    return undefined;
  }
}

export interface RedirectHop {
  /** The URL that answered with a redirect. */
  from: string;
  /** Its Location header. */
  location: string;
  /** 1 for the first redirect. */
  hop: number;
  /** What the new URL's host resolved to (resolve redirectTarget(from, location)'s host first). */
  resolved: readonly string[];
  /** The request carries credentials (secretRef, secretExtraHeaders). */
  credentials?: boolean;
}

export type RedirectVerdict =
  | (Extract<RequestVerdict, { allowed: true }> & {
      /** The redirect leaves the original host: send no credentials there. */
      dropCredentials: boolean;
    })
  | Extract<RequestVerdict, { allowed: false }>;

/**
 * One redirect hop, checked like the first request, plus: at most
 * MAX_REDIRECTS hops, and no https → http downgrade while credentials are
 * attached (they would cross the network in clear). Credentials are for the
 * host they were given for: a hop to another host drops them.
 */
export function checkRedirect(hop: RedirectHop, policy: ImportRequestPolicy = {}): RedirectVerdict {
  if (hop.hop > MAX_REDIRECTS) return { allowed: false, reason: 'TooManyRedirects', message: `more than ${MAX_REDIRECTS} redirects, starting from ${hop.from}` };
  const target = redirectTarget(hop.from, hop.location);
  if (!target) return { allowed: false, reason: 'InvalidURL', message: `${hop.from} redirected to "${hop.location}", which is not a URL` };
  const from = new URL(hop.from);
  const to = new URL(target);
  if (hop.credentials && from.protocol === 'https:' && to.protocol === 'http:') {
    return { allowed: false, reason: 'Downgrade', message: `${hop.from} redirected to plain http (${target}); the credentials would cross the network unencrypted` };
  }
  const verdict = checkImportRequest(target, hop.resolved, policy);
  if (!verdict.allowed) return { ...verdict, message: `redirect to ${target}: ${verdict.message}` };
  return { ...verdict, dropCredentials: from.host !== to.host || from.protocol !== to.protocol };
}
