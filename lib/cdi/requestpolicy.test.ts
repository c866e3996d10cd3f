import { describe, expect, it } from 'vitest';
import { type ImportRequestPolicy, MAX_REDIRECTS, checkImportRequest, checkRedirect, parseImportAllowList, redirectTarget } from './requestpolicy';

const kura: ImportRequestPolicy = {
  kuraEndpoints: ['127.0.0.1:6443', '0.0.0.0:3000', 'kura.example.com:443'],
  localAddresses: ['192.168.1.20', 'fd12:3456::20'],
};
const allow = (text: string, over: ImportRequestPolicy = {}): ImportRequestPolicy => ({ ...kura, allow: parseImportAllowList(text).allow, ...over });

describe('checkImportRequest allows', () => {
  it.each<[string, string, string[], ImportRequestPolicy, string[]]>([
    ['a public server', 'https://cloud.example.org/fedora.qcow2', ['203.0.113.10'], kura, ['203.0.113.10']],
    ['a public server on IPv6', 'https://cloud.example.org/x', ['2001:db8::10'], kura, ['2001:db8::10']],
    ['an internal mirror (private ranges are allowed by default)', 'http://mirror.internal/x.img', ['10.20.30.40'], kura, ['10.20.30.40']],
    ['172.16/12 and 192.168/16', 'http://nas.lan:8080/x', ['172.20.0.5', '192.168.1.9'], kura, ['172.20.0.5', '192.168.1.9']],
    ['a ULA IPv6 mirror', 'http://[fd00::5]/x', [], kura, ['fd00::5']],
    ['carrier-grade NAT space', 'http://x.internal/x', ['100.64.1.1'], kura, ['100.64.1.1']],
    ['loopback when allowlisted by address', 'http://127.0.0.1:8080/disk.qcow2', [], allow('127.0.0.1'), ['127.0.0.1']],
    ['loopback when allowlisted by CIDR', 'http://localhost:8080/x', ['127.0.0.1', '::1'], allow('127.0.0.0/8 ::1'), ['127.0.0.1', '::1']],
    ['loopback when allowlisted by name', 'http://localhost:8080/x', ['127.0.0.1'], allow('localhost'), ['127.0.0.1']],
    ['loopback when allowlisted with its port', 'http://127.0.0.1:8080/x', [], allow('127.0.0.1:8080'), ['127.0.0.1']],
    ['a wildcard name', 'http://a.b.corp.example/x', ['127.0.0.5'], allow('*.corp.example'), ['127.0.0.5']],
    ["Kura's own port when allowlisted with that port", 'https://127.0.0.1:6443/x', [], allow('127.0.0.1:6443'), ['127.0.0.1']],
    ['another port on the host Kura listens on', 'http://192.168.1.20:8080/x', [], kura, ['192.168.1.20']],
    ['an unspecified Kura listener on another port', 'http://10.0.0.1:3001/x', [], kura, ['10.0.0.1']],
    ['the host name resolving to many addresses', 'https://cdn.example.net/x', ['203.0.113.1', '2001:db8::1'], kura, ['203.0.113.1', '2001:db8::1']],
  ])('%s', (_, url, resolved, policy, addresses) => {
    const v = checkImportRequest(url, resolved, policy);
    expect(v).toMatchObject({ allowed: true, addresses });
  });
});

describe('checkImportRequest refuses', () => {
  it.each<[string, string, string[], ImportRequestPolicy, string, string?]>([
    ['not a URL', 'not a url', [], kura, 'InvalidURL'],
    ['ftp', 'ftp://files.example.org/x', ['203.0.113.1'], kura, 'Scheme', 'ftp URLs cannot be imported: only http:// and https://'],
    ['file', 'file:///etc/passwd', [], kura, 'Scheme'],
    ['gopher', 'gopher://127.0.0.1:6379/_FLUSHALL', [], allow('127.0.0.1'), 'Scheme'],
    ['credentials in the URL', 'https://user:pw@example.org/x', ['203.0.113.1'], kura, 'Credentials'],
    ['nothing resolved', 'https://example.org/x', [], kura, 'Unresolved', 'example.org did not resolve to any address'],
    ['a resolver answer that is not an address', 'https://example.org/x', ['not-an-ip'], kura, 'Unresolved'],
    ['loopback', 'http://127.0.0.1/x', [], kura, 'Loopback', '127.0.0.1 is a loopback address (this machine); importing from it is refused unless KURA_IMPORT_ALLOW lists it'],
    ['loopback elsewhere in 127/8', 'http://127.1.2.3:9000/x', [], kura, 'Loopback'],
    ['loopback written in hex (URL parsers normalise it)', 'http://0x7f.1/x', [], kura, 'Loopback'],
    ['loopback written as a number', 'http://2130706433/x', [], kura, 'Loopback'],
    ['a name resolving to loopback', 'http://evil.example/x', ['127.0.0.1'], kura, 'Loopback', 'evil.example (127.0.0.1) is a loopback address (this machine); importing from it is refused unless KURA_IMPORT_ALLOW lists it'],
    ['one bad address among good ones', 'http://evil.example/x', ['203.0.113.1', '127.0.0.1'], kura, 'Loopback'],
    ['IPv6 loopback', 'http://[::1]:8080/x', [], kura, 'Loopback'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/x', [], kura, 'Loopback'],
    ['a name resolving to IPv4-mapped loopback', 'http://evil.example/x', ['::ffff:7f00:1'], kura, 'Loopback'],
    ['NAT64 of the metadata service', 'http://[64:ff9b::a9fe:a9fe]/x', [], kura, 'Metadata'],
    ['6to4 of loopback', 'http://[2002:7f00:1::]/x', [], kura, 'Loopback'],
    ['the cloud metadata service', 'http://169.254.169.254/latest/meta-data/', [], kura, 'Metadata', '169.254.169.254 is the cloud metadata service; importing from it is refused unless KURA_IMPORT_ALLOW lists it'],
    ['a name for the metadata service', 'http://metadata.google.internal/computeMetadata/v1/', ['169.254.169.254'], kura, 'Metadata'],
    ["AWS's IPv6 metadata service (inside the allowed ULA range)", 'http://[fd00:ec2::254]/latest/', [], kura, 'Metadata'],
    ["Alibaba's metadata service (inside the allowed CGNAT range)", 'http://100.100.100.200/latest/', [], kura, 'Metadata'],
    ['link-local', 'http://169.254.10.1/x', [], kura, 'LinkLocal'],
    ['IPv6 link-local', 'http://[fe80::1]/x', [], kura, 'LinkLocal'],
    ['an IPv6 zone (URLs have none)', 'http://[fe80::1%25eth0]/x', [], kura, 'InvalidURL'],
    ['a name resolving to a zoned link-local address', 'http://evil.example/x', ['fe80::1%eth0'], kura, 'LinkLocal'],
    ['unspecified', 'http://0.0.0.0:8080/x', [], kura, 'Unspecified'],
    ['"this network"', 'http://0.1.2.3/x', [], kura, 'Unspecified'],
    ['IPv6 unspecified', 'http://[::]/x', [], kura, 'Unspecified'],
    ['multicast', 'http://224.0.0.1/x', [], kura, 'Multicast'],
    ['IPv6 multicast', 'http://[ff02::1]/x', [], kura, 'Multicast'],
    ['broadcast', 'http://255.255.255.255/x', [], kura, 'Reserved'],
    ['private ranges when the policy refuses them', 'http://mirror.internal/x', ['10.1.1.1'], { ...kura, allowPrivate: false }, 'Private',
      'mirror.internal (10.1.1.1) is a private address; importing from it is refused unless KURA_IMPORT_ALLOW lists it'],
    ['ULA when the policy refuses private ranges', 'http://[fd00::1]/x', [], { ...kura, allowPrivate: false }, 'Private'],
    ["Kura's API server", 'https://127.0.0.1:6443/api/v1/secrets', [], allow('127.0.0.0/8'), 'Kura',
      "127.0.0.1:6443 is Kura's own service; importing from it is refused (allow it explicitly with its port in KURA_IMPORT_ALLOW if you mean it)"],
    ["Kura's console on 0.0.0.0 reached through loopback", 'http://localhost:3000/', ['127.0.0.1'], allow('localhost'), 'Kura'],
    ["Kura's console on 0.0.0.0 reached through a host address", 'http://192.168.1.20:3000/', [], kura, 'Kura'],
    ["Kura's console on 0.0.0.0 reached through a host IPv6 address", 'http://[fd12:3456::20]:3000/', [], kura, 'Kura'],
    ["Kura's public name", 'https://kura.example.com/api', ['203.0.113.50'], kura, 'Kura'],
    ["an allowlisted port does not open Kura's other ports", 'https://127.0.0.1:6443/x', [], allow('127.0.0.1:8080'), 'Kura'],
    ['an allowlisted port does not open other ports', 'http://127.0.0.1:9090/x', [], allow('127.0.0.1:8080'), 'Loopback'],
    ['a wildcard does not cover the bare domain', 'http://corp.example/x', ['127.0.0.1'], allow('*.corp.example'), 'Loopback'],
    ['a CIDR allows only its addresses', 'http://evil.example/x', ['127.0.0.1', '169.254.169.254'], allow('127.0.0.0/8'), 'Metadata'],
  ])('%s', (_, url, resolved, policy, reason, message) => {
    const v = checkImportRequest(url, resolved, policy);
    expect(v).toMatchObject({ allowed: false, reason });
    if (message) expect(v).toMatchObject({ message });
  });
});

describe('parseImportAllowList', () => {
  it('reads hosts, wildcards, addresses, CIDRs and ports', () => {
    const { allow: list, errors } = parseImportAllowList(' mirror.internal, *.corp.example  10.0.0.0/8,127.0.0.1:8080 [::1]:9000 ::1 fd00::/8 Mirror.Example:8443 ');
    expect(errors).toEqual([]);
    expect(list.entries.map((e) => e.kind)).toEqual(['host', 'suffix', 'cidr', 'cidr', 'cidr', 'cidr', 'cidr', 'host']);
    expect(list.entries[3]).toMatchObject({ port: 8080 });
    expect(list.entries[4]).toMatchObject({ port: 9000 });
    expect(list.entries[7]).toEqual({ kind: 'host', host: 'mirror.example', port: 8443 });
  });

  it.each([['bad_host'], ['10.0.0.0/33'], ['1.2.3'], ['host:99999'], ['*.'], ['http://x'], ['10.0.0.0/8:80']])('refuses %s', (entry) => {
    const { allow: list, errors } = parseImportAllowList(`ok.example ${entry}`);
    expect(list.entries).toHaveLength(1);
    expect(errors).toEqual([`"${entry}" is not a host, address or CIDR block (with an optional :port)`]);
  });

  it('reads nothing from nothing', () => {
    expect(parseImportAllowList(undefined)).toEqual({ allow: { entries: [] }, errors: [] });
    expect(parseImportAllowList('  ')).toEqual({ allow: { entries: [] }, errors: [] });
  });
});

describe('checkRedirect', () => {
  it('follows a redirect to a public host and drops credentials there', () => {
    const v = checkRedirect({ from: 'https://mirror.example/x', location: 'https://cdn.example.net/x?sig=1', hop: 1, resolved: ['203.0.113.7'], credentials: true }, kura);
    expect(v).toEqual({ allowed: true, url: 'https://cdn.example.net/x?sig=1', addresses: ['203.0.113.7'], dropCredentials: true });
  });

  it('keeps credentials on the same host and resolves relative locations', () => {
    const v = checkRedirect({ from: 'https://mirror.example/a/b', location: '../c', hop: 2, resolved: ['203.0.113.7'], credentials: true }, kura);
    expect(v).toEqual({ allowed: true, url: 'https://mirror.example/c', addresses: ['203.0.113.7'], dropCredentials: false });
  });

  it.each<[string, Parameters<typeof checkRedirect>[0], string, string?]>([
    ['a redirect to the metadata service', { from: 'https://evil.example/x', location: 'http://169.254.169.254/latest/', hop: 1, resolved: [] }, 'Metadata',
      'redirect to http://169.254.169.254/latest/: 169.254.169.254 is the cloud metadata service; importing from it is refused unless KURA_IMPORT_ALLOW lists it'],
    ['a redirect to a name resolving to loopback', { from: 'https://evil.example/x', location: 'http://rebind.example/', hop: 1, resolved: ['127.0.0.1'] }, 'Loopback'],
    ['a redirect to another scheme', { from: 'https://evil.example/x', location: 'file:///etc/passwd', hop: 1, resolved: [] }, 'Scheme'],
    ['a downgrade with credentials', { from: 'https://mirror.example/x', location: 'http://mirror.example/x', hop: 1, resolved: ['203.0.113.7'], credentials: true }, 'Downgrade',
      'https://mirror.example/x redirected to plain http (http://mirror.example/x); the credentials would cross the network unencrypted'],
    ['too many hops', { from: 'https://a.example/x', location: '/y', hop: MAX_REDIRECTS + 1, resolved: ['203.0.113.7'] }, 'TooManyRedirects', 'more than 10 redirects, starting from https://a.example/x'],
    ['a Location that is not a URL', { from: 'https://a.example/x', location: 'http://[bad', hop: 1, resolved: [] }, 'InvalidURL'],
  ])('refuses %s', (_, hop, reason, message) => {
    const v = checkRedirect(hop, kura);
    expect(v).toMatchObject({ allowed: false, reason });
    if (message) expect(v).toMatchObject({ message });
  });

  it('allows a downgrade without credentials, dropping nothing it does not have', () => {
    expect(checkRedirect({ from: 'https://a.example/x', location: 'http://a.example/x', hop: 1, resolved: ['203.0.113.7'] }, kura)).toMatchObject({ allowed: true, dropCredentials: true });
  });

  it('resolves a Location against the URL that sent it', () => {
    expect(redirectTarget('https://a.example/dir/file', '/other')).toBe('https://a.example/other');
    expect(redirectTarget('https://a.example/dir/file', '//b.example/x')).toBe('https://b.example/x');
    expect(redirectTarget('https://a.example/', 'http://[bad')).toBeUndefined();
  });
});
