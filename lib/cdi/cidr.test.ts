import { describe, expect, it } from 'vitest';
import { type Cidr, type IpAddress, cidrContains, embeddedIpv4, formatCidr, formatIp, parseCidr, parseIp } from './cidr';

describe('parseIp and formatIp', () => {
  it.each<[string, string]>([
    ['192.0.2.1', '192.0.2.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['::', '::'],
    ['::1', '::1'],
    ['[::1]', '::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::ffff:127.0.0.1', '::ffff:7f00:1'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1::', '1::'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['1:0:2:3:4:5:6:7', '1:0:2:3:4:5:6:7'],
  ])('%s → %s', (text, canonical) => {
    const ip = parseIp(text);
    expect(ip).toBeDefined();
    expect(formatIp(ip as IpAddress)).toBe(canonical);
  });

  it.each([['256.0.0.1'], ['1.2.3'], ['1.2.3.4.5'], ['01.2.3.4'], ['0x7f.0.0.1'], ['1.2.3.-4'], [''], ['localhost'], ['1:2:3:4:5:6:7:8:9'], ['1::2::3'], ['12345::'], ['::g'], ['1:2:3:4:5:6:7::8'], [':1:2:3:4:5:6:7'], ['::1.2.3']])(
    'refuses %s',
    (text) => {
      expect(parseIp(text)).toBeUndefined();
    },
  );
});

describe('CIDR blocks', () => {
  it.each<[string, string]>([
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['192.168.1.7', '192.168.1.7/32'],
    ['172.16.0.0/12', '172.16.0.0/12'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['fd00::/8', 'fd00::/8'],
    ['fe80::1234/10', 'fe80::/10'],
    ['::1', '::1/128'],
    ['2001:db8::/33', '2001:db8::/33'],
  ])('%s reads as %s', (text, canonical) => {
    expect(formatCidr(parseCidr(text) as Cidr)).toBe(canonical);
  });

  it.each([['10.0.0.0/33'], ['fd00::/129'], ['10.0.0.0/'], ['10.0.0.0/-1'], ['10.0.0.0/8/8'], ['x/8']])('refuses %s', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it.each<[string, string, boolean]>([
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['172.16.0.0/12', '172.31.255.1', true],
    ['172.16.0.0/12', '172.32.0.1', false],
    ['192.168.1.0/25', '192.168.1.127', true],
    ['192.168.1.0/25', '192.168.1.128', false],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['169.254.169.254/32', '169.254.169.254', true],
    ['169.254.169.254/32', '169.254.169.253', false],
    ['fe80::/10', 'febf::1', true],
    ['fe80::/10', 'fec0::1', false],
    ['2001:db8::/33', '2001:db8:7fff::1', true],
    ['2001:db8::/33', '2001:db8:8000::1', false],
    ['::/0', '2001:db8::1', true],
    ['10.0.0.0/8', '::ffff:10.0.0.1', false],
    ['::ffff:0:0/96', '::ffff:10.0.0.1', true],
  ])('%s contains %s: %s', (block, ip, inside) => {
    expect(cidrContains(parseCidr(block) as Cidr, parseIp(ip) as IpAddress)).toBe(inside);
  });
});

describe('embeddedIpv4', () => {
  it.each<[string, string | undefined]>([
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::ffff:7f00:1', '127.0.0.1'],
    ['64:ff9b::a9fe:a9fe', '169.254.169.254'],
    ['2002:7f00:1::', '127.0.0.1'],
    ['::10.0.0.1', '10.0.0.1'],
    ['::1', undefined],
    ['::', undefined],
    ['2001:db8::1', undefined],
    ['127.0.0.1', undefined],
  ])('%s carries %s', (text, v4) => {
    const e = embeddedIpv4(parseIp(text) as IpAddress);
    expect(e ? formatIp(e) : undefined).toBe(v4);
  });
});
