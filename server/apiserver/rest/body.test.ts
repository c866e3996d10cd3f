import { describe, expect, it } from 'vitest';
import type { ApiError } from '../errors';
import { decodeObject, MAX_NESTING } from './body';

const code = (fn: () => unknown) => {
  try {
    fn();
    return 0;
  } catch (e) {
    return (e as ApiError).code;
  }
};

describe('decodeObject', () => {
  it.each<[string, string, string | undefined, number]>([
    ['JSON object', '{"a":1}', 'application/json', 0],
    ['YAML object', 'a: 1\nb: [x]\n', 'application/yaml', 0],
    ['JSON with charset', '{"a":1}', 'application/json; charset=utf-8', 0],
    ['broken JSON', '{"a":', 'application/json', 400],
    ['JSON array', '[1]', 'application/json', 400],
    ['JSON null', 'null', 'application/json', 400],
    ['empty', '', 'application/json', 400],
    ['two YAML documents', 'a: 1\n---\nb: 2\n', 'application/yaml', 400],
    ['broken YAML', 'a: [1', 'application/yaml', 400],
    ['XML', '<a/>', 'application/xml', 415],
    ['too deep JSON', '['.repeat(MAX_NESTING + 1) + ']'.repeat(MAX_NESTING + 1), 'application/json', 400],
    ['nested exactly as deep as allowed', '{"a":'.repeat(MAX_NESTING - 1) + '{}' + '}'.repeat(MAX_NESTING - 1), 'application/json', 0],
    ['too deep JSON object, however long', `{"x":"${'y'.repeat(100_000)}",` + '"a":['.repeat(MAX_NESTING) + ']'.repeat(MAX_NESTING) + '}', 'application/json', 400],
    ['far too deep JSON', '['.repeat(1_000_000) + ']'.repeat(1_000_000), 'application/json', 400],
    ['deep inside a string is fine', `{"a":"${'['.repeat(1000)}"}`, 'application/json', 0],
    ['too deep YAML', 'a: ' + '['.repeat(MAX_NESTING + 1) + ']'.repeat(MAX_NESTING + 1), 'application/yaml', 400],
  ])('%s', (_n, body, type, want) => {
    expect(code(() => decodeObject(Buffer.from(body), type))).toBe(want);
  });

  it('refuses a YAML alias bomb', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
    expect(code(() => decodeObject(Buffer.from(bomb.join('\n')), 'application/yaml'))).toBe(400);
  });
});
