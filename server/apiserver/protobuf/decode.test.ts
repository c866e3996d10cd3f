// Table-driven decoding rules, tried on made-up messages: presence, omitempty, packing, maps, merging, depth.
import { describe, expect, it } from 'vitest';
import { decodeFields, fieldsToJson } from './decode';
import { ProtobufDecodeError } from './errors';
import { defineMessages } from './schema';
import { bool, bytes, entry, int, msg, str, tag, varint, type Bytes } from './testing';
import { MAX_DEPTH } from './wire';

// Messages made up for these tests, so each wire rule can be tried on its own.
const t = defineMessages(
  {
    Sample: {
      1: 'name string',
      2: 'note string omitempty',
      3: 'count int64',
      4: 'small int32',
      5: 'flag bool',
      6: 'blob bytes',
      7: 'numbers []int64',
      8: 'flags []bool',
      9: 'words []string',
      10: 'labels map<string>',
      11: 'files map<bytes>',
      12: 'child Child',
      13: 'children []Child',
      14: 'byName map<Child>',
      15: 'doc json',
      16: 'hidden bool omitempty',
      17: 'size int64 omitempty',
      18: 'counts map<int64>',
    },
    Child: { 1: 'a string', 2: 'b string' },
    Tree: { 1: 'value string', 2: 'next Tree' },
    Holder: { 1: 'pair Pair', 2: 'pairs []Pair' },
    Pair: { 1: 'first string', 2: 'second string' },
  },
  { Pair: (p) => `${String(p.first ?? '')}/${String(p.second ?? '')}` },
);

const decode = (parts: Bytes[], desc = t.Sample) => fieldsToJson(decodeFields(Uint8Array.from(parts.flat()), desc, 1), desc);

describe('decoding by table', () => {
  it('reads every scalar type', () => {
    expect(
      decode([str(1, 'héllo ✓'), int(3, -1), int(4, -7), bool(5, true), bytes(6, [0, 255, 16]), int(17, 2 ** 40)]),
    ).toEqual({ name: 'héllo ✓', count: -1, small: -7, flag: true, blob: 'AP8Q', size: 2 ** 40 });
  });

  it('leaves absent fields out and keeps present zero values, except where Go omits them', () => {
    expect(decode([])).toEqual({});
    expect(decode([str(1, ''), int(3, 0), bool(5, false), bytes(6, [])])).toEqual({ name: '', count: 0, flag: false, blob: '' });
    expect(decode([str(2, ''), bool(16, false), int(17, 0)])).toEqual({});
    expect(decode([str(2, 'kept'), bool(16, true), int(17, 3)])).toEqual({ note: 'kept', hidden: true, size: 3 });
  });

  it('accepts repeated numbers packed, unpacked, and both mixed', () => {
    const packed = bytes(7, [...varint(1), ...varint(-2), ...varint(300)]);
    expect(decode([packed])).toEqual({ numbers: [1, -2, 300] });
    expect(decode([int(7, 1), int(7, -2), int(7, 300)])).toEqual({ numbers: [1, -2, 300] });
    expect(decode([int(7, 1), packed, int(7, 4)])).toEqual({ numbers: [1, 1, -2, 300, 4] });
    expect(decode([bytes(8, [1, 0, 1])])).toEqual({ flags: [true, false, true] });
  });

  it('keeps empty strings inside repeated fields (the core API group is "")', () => {
    expect(decode([str(9, ''), str(9, 'apps')])).toEqual({ words: ['', 'apps'] });
  });

  it('skips fields it has no description for, of every wire type', () => {
    const unknown = [int(90, 5), [...tag(91, 1), 1, 2, 3, 4, 5, 6, 7, 8], msg(92, str(1, 'x')), [...tag(93, 5), 1, 2, 3, 4], [...tag(94, 3), ...int(1, 1), ...tag(94, 4)]];
    expect(decode([...unknown, str(1, 'n'), ...unknown])).toEqual({ name: 'n' });
  });

  it('takes the last value of a repeated singular scalar and merges a repeated singular message', () => {
    expect(decode([str(1, 'first'), str(1, 'second')])).toEqual({ name: 'second' });
    expect(decode([msg(12, str(1, 'a1')), msg(12, str(2, 'b'))])).toEqual({ child: { a: 'a1', b: 'b' } });
  });

  it('decodes maps: strings, bytes as base64, messages, last key wins, missing parts are zero', () => {
    expect(
      decode([
        entry(10, 'k', str(2, 'v1')),
        entry(10, 'k', str(2, 'v2')),
        msg(10, str(2, 'no key')),
        entry(10, 'empty', []),
        entry(11, 'bin', bytes(2, [0xff])),
        entry(14, 'c', msg(2, str(1, 'x'))),
        entry(14, 'd', []),
        entry(18, 'n', int(2, 7)),
        entry(18, 'zero', []),
      ]),
    ).toEqual({
      labels: { k: 'v2', '': 'no key', empty: '' },
      files: { bin: '/w==' },
      byName: { c: { a: 'x' }, d: {} },
      counts: { n: 7, zero: 0 },
    });
  });

  it('keeps a "__proto__" map key as data, not as a prototype', () => {
    const out = decode([entry(10, '__proto__', str(2, 'x'))]) as { labels: Record<string, string> };
    expect(Object.getPrototypeOf(out.labels)).toBe(Object.prototype);
    expect(Object.keys(out.labels)).toEqual(['__proto__']);
  });

  it('decodes repeated messages and custom JSON shapes', () => {
    expect(decode([msg(13, str(1, 'one')), msg(13)])).toEqual({ children: [{ a: 'one' }, {}] });
    expect(decode([msg(1, str(1, 'a'), str(2, 'b')), msg(2, str(2, 'z'))], t.Holder)).toEqual({ pair: 'a/b', pairs: ['/z'] });
  });

  it('parses json fields, and refuses broken or too deeply nested JSON', () => {
    expect(decode([str(15, '{"f:a":{}}')])).toEqual({ doc: { 'f:a': {} } });
    expect(decode([bytes(15, [])])).toEqual({ doc: null });
    expect(() => decode([str(15, '{"a":')])).toThrow(/doc of Sample is not valid JSON/);
    expect(() => decode([str(15, '['.repeat(300) + ']'.repeat(300))])).toThrow(/deeper than 256/);
    expect(decode([str(15, `"${'['.repeat(300)}"`)])).toEqual({ doc: '['.repeat(300) });
  });

  it.each<[string, Bytes[], RegExp]>([
    ['a string sent as a varint', [int(1, 1)], /field 1 \(name\) of Sample arrived as varint, but it is length-delimited/],
    ['a number sent as bytes', [str(3, 'x')], /field 3 \(count\) of Sample arrived as length-delimited, but it is varint/],
    ['a message sent as a varint', [int(12, 1)], /field 12 \(child\)/],
    ['a map entry sent as a varint', [int(10, 1)], /field 10 \(labels\)/],
    ['a map key sent as a varint', [msg(10, int(1, 1))], /a key of map labels/],
    ['a repeated string sent as 32-bit', [[...tag(9, 5), 1, 2, 3, 4]], /field 9 \(words\)/],
    ['a packed run cut short', [bytes(7, [0x80])], /middle of a varint/],
    ['a nested message whose length runs past its parent', [[...tag(12, 2), 10, ...str(1, 'abc')]], /declares a length of 10/],
  ])('refuses %s', (_name, parts, message) => {
    expect(() => decode(parts)).toThrow(ProtobufDecodeError);
    expect(() => decode(parts)).toThrow(message);
  });

  it(`accepts messages nested ${MAX_DEPTH} deep and refuses one more`, () => {
    const nest = (levels: number): Bytes => (levels === 1 ? str(1, 'leaf') : [...str(1, 'node'), ...msg(2, nest(levels - 1))]);
    expect(() => decode([nest(MAX_DEPTH)], t.Tree)).not.toThrow();
    expect(() => decode([nest(MAX_DEPTH + 1)], t.Tree)).toThrow(/deeper than 64/);
  });
});

describe('defineMessages', () => {
  it.each<[string, Record<number, string>, RegExp]>([
    ['an unknown message type', { 1: 'x Missing' }, /unknown message Missing/],
    ['a line it cannot read', { 1: 'x' }, /cannot read field 1/],
    ['an unclosed map', { 1: 'x map<string' }, /cannot read field 1/],
    ['field number 0', { 0: 'x string' }, /cannot read field 0/],
    ['omitempty on a repeated field', { 1: 'x []string omitempty' }, /omitempty is for single scalars/],
  ])('refuses %s', (_name, fields, message) => {
    expect(() => defineMessages({ Bad: fields })).toThrow(message);
  });
});
