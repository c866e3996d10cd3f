// IP addresses and CIDR blocks, IPv4 and IPv6, as plain bytes: parsing,
// formatting and containment, for the import request policy.

export interface IpAddress {
  family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  bytes: Uint8Array;
}

export interface Cidr {
  family: 4 | 6;
  /** The network address (host bits cleared). */
  bytes: Uint8Array;
  prefix: number;
}

const V4_PART = /^(0|[1-9]\d{0,2})$/;

/** Strict dotted quad: four decimal parts 0–255, no leading zeros (which some parsers read as octal). */
function parseIpv4(s: string): Uint8Array | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] as string;
    if (!V4_PART.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseGroups(s: string): number[] | undefined {
  if (s === '') return [];
  const groups: number[] = [];
  const parts = s.split(':');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    if (i === parts.length - 1 && p.includes('.')) {
      const v4 = parseIpv4(p);
      if (!v4) return undefined;
      groups.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
    } else {
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
      groups.push(parseInt(p, 16));
    }
  }
  return groups;
}

function parseIpv6(input: string): Uint8Array | undefined {
  // A zone ("fe80::1%eth0") names an interface, not part of the address.
  const s = input.replace(/%[^%]+$/, '');
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] as string);
  const tail = halves.length === 2 ? parseGroups(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  const total = head.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const groups = [...head, ...new Array<number>(8 - total).fill(0), ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/** Parses "192.0.2.1", "2001:db8::1", "[::1]", "fe80::1%eth0"; undefined for anything else. */
export function parseIp(text: string): IpAddress | undefined {
  const s = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (s.includes(':')) {
    const bytes = parseIpv6(s);
    return bytes ? { family: 6, bytes } : undefined;
  }
  const bytes = parseIpv4(s);
  return bytes ? { family: 4, bytes } : undefined;
}

/** The canonical spelling: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run as "::"). */
export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return [...ip.bytes].join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip.bytes[i] as number) << 8) | (ip.bytes[i + 1] as number));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function maskBytes(bytes: Uint8Array, prefix: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    out[i] = (bytes[i] as number) & ((0xff << (8 - bits)) & 0xff);
  }
  return out;
}

/** Parses "10.0.0.0/8", "fd00::/8", or a bare address (a /32 or /128). Host bits are cleared. */
export function parseCidr(text: string): Cidr | undefined {
  const s = text.trim();
  const slash = s.lastIndexOf('/');
  const ip = parseIp(slash >= 0 ? s.slice(0, slash) : s);
  if (!ip) return undefined;
  const max = ip.family === 4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > max) return undefined;
    prefix = Number(p);
  }
  return { family: ip.family, bytes: maskBytes(ip.bytes, prefix), prefix };
}

export function formatCidr(c: Cidr): string {
  return `${formatIp({ family: c.family, bytes: c.bytes })}/${c.prefix}`;
}

/** True when `ip` lies in `cidr` (same family only: use unmapIpv4 first for ::ffff:a.b.c.d). */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.family !== ip.family) return false;
  const masked = maskBytes(ip.bytes, cidr.prefix);
  return masked.every((b, i) => b === cidr.bytes[i]);
}

export function sameIp(a: IpAddress, b: IpAddress): boolean {
  return a.family === b.family && a.bytes.every((x, i) => x === b.bytes[i]);
}

const cidr = (s: string): Cidr => parseCidr(s) as Cidr;
const MAPPED = cidr('::ffff:0:0/96');
const COMPATIBLE = cidr('::/96');
const NAT64 = cidr('64:ff9b::/96');
const SIX_TO_FOUR = cidr('2002::/16');

/**
 * The IPv4 address an IPv6 address carries, when it is one of the forms that
 * reach an IPv4 host: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d),
 * NAT64 (64:ff9b::a.b.c.d) or 6to4 (2002:AABB:CCDD::). undefined otherwise.
 */
export function embeddedIpv4(ip: IpAddress): IpAddress | undefined {
  if (ip.family !== 6) return undefined;
  if (cidrContains(MAPPED, ip) || cidrContains(NAT64, ip)) return { family: 4, bytes: ip.bytes.slice(12, 16) };
  // ::/96 holds :: and ::1 too; those are IPv6's own, not IPv4 addresses.
  if (cidrContains(COMPATIBLE, ip) && ip.bytes.slice(12, 16).some((b, i) => (i < 3 ? b !== 0 : b > 1))) return { family: 4, bytes: ip.bytes.slice(12, 16) };
  if (cidrContains(SIX_TO_FOUR, ip)) return { family: 4, bytes: ip.bytes.slice(2, 6) };
  return undefined;
}
