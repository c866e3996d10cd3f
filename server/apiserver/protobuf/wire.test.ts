// Wire-level reading: varints at their edges, tags, lengths, and skipping of unknown fields.
import { describe, expect, it } from 'vitest';
import { ProtobufDecodeError } from './errors';
import { bytes, int, msg, tag, varint } from './testing';
import { MAX_DEPTH, Reader } from './wire';

const reader = (b: number[]) => new Reader(Uint8Array.from(b));

describe('Reader.varint', () => {
  it.each<[string, number | bigint, number, number]>([
    ['zero', 0, 0, 0],
    ['one byte', 127, 127, 0],
    ['two bytes', 300, 300, 0],
    ['largest uint32', 0xffffffff, 0xffffffff, 0],
    ['2^32', 2 ** 32, 0, 1],
    ['2^53 - 1', Number.MAX_SAFE_INTEGER, 0xffffffff, 0x1fffff],
    ['-1 (ten bytes)', -1, 0xffffffff, 0xffffffff],
    ['-2^63', -(2n ** 63n), 0, 0x80000000],
  ])('%s', (_name, n, lo, hi) => {
    const r = reader(varint(n));
    r.varint();
    expect([r.lo, r.hi]).toEqual([lo, hi]);
    expect(r.done).toBe(true);
  });

  it.each<[string, number[]]>([
    ['ends mid-varint', [0x80]],
    ['ends before any byte', []],
    ['longer than ten bytes', [...Array(10).fill(0xff), 0x01]],
  ])('refuses a varint that %s', (_name, b) => {
    expect(() => reader(b).varint()).toThrow(ProtobufDecodeError);
  });
});

describe('Reader.tag and bytes', () => {
  it('reads field number and wire type', () => {
    expect(reader(tag(17, 2)).tag()).toEqual({ field: 17, wireType: 2 });
  });

  it('refuses field number 0', () => {
    expect(() => reader([0x02]).tag()).toThrow(/invalid field tag/);
  });

  it('returns a length-delimited payload', () => {
    const r = reader([...bytes(1, [1, 2, 3]), 9]);
    r.tag();
    expect([...r.bytes()]).toEqual([1, 2, 3]);
    expect(r.pos).toBe(5);
  });

  it.each<[string, number[]]>([
    ['one byte past the end', [...tag(1, 2), 3, 1, 2]],
    ['a length over 4 GiB', [...tag(1, 2), ...varint(2 ** 40)]],
    ['a 64-bit length of -1', [...tag(1, 2), ...varint(-1)]],
  ])('refuses %s', (_name, b) => {
    const r = reader(b);
    r.tag();
    expect(() => r.bytes()).toThrow(/declares a length/);
  });
});

describe('Reader.skip', () => {
  const skipAll = (b: number[]) => {
    const r = reader(b);
    while (!r.done) {
      const t = r.tag();
      r.skip(t.field, t.wireType, 1);
    }
    return r.pos;
  };

  it('steps over every wire type, including nested groups', () => {
    const fields = [
      ...int(1, -5),
      ...tag(2, 1), ...Array(8).fill(7),
      ...msg(3, int(1, 1)),
      ...tag(4, 5), 1, 2, 3, 4,
      ...tag(5, 3), ...int(1, 1), ...tag(6, 3), ...tag(6, 4), ...tag(5, 4),
    ];
    expect(skipAll(fields)).toBe(fields.length);
  });

  it.each<[string, number[], RegExp]>([
    ['a truncated 64-bit field', [...tag(2, 1), 1, 2, 3], /fixed-width/],
    ['a truncated 32-bit field', [...tag(2, 5), 1], /fixed-width/],
    ['wire type 6', [...tag(2, 6), 0], /wire type 6/],
    ['wire type 7', [...tag(2, 7), 0], /wire type 7/],
    ['an end group with no start', tag(2, 4), /never opened/],
    ['a group closed by another number', [...tag(2, 3), ...tag(3, 4)], /closes group 3/],
    ['a group that never closes', [...tag(2, 3), ...int(1, 1)], /ends inside group/],
    ['groups nested past the depth limit', [...Array.from({ length: MAX_DEPTH + 1 }, () => tag(2, 3)).flat()], /deeper than 64/],
  ])('refuses %s', (_name, b, message) => {
    expect(() => skipAll(b)).toThrow(message);
  });
});
