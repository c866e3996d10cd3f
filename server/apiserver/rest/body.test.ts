import { describe, expect, it } from 'vitest';
import type { ApiError } from '../errors';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { decodeObject, MAX_BODY_BYTES, MAX_NESTING, readBody } from './body';

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

describe('readBody', () => {
  const request = (headers: Record<string, string> = {}) => Object.assign(new PassThrough(), { headers }) as unknown as IncomingMessage & PassThrough;

  it('joins a body sent in many pieces', async () => {
    const req = request();
    const body = readBody(req);
    for (let i = 0; i < 100; i++) req.write(Buffer.from(`${i},`));
    req.end();
    expect((await body).toString()).toBe(Array.from({ length: 100 }, (_, i) => `${i},`).join(''));
  });

  it('refuses a body that grows past the limit without declaring its length', async () => {
    const req = request();
    const body = readBody(req);
    req.write(Buffer.alloc(MAX_BODY_BYTES));
    req.write(Buffer.alloc(1));
    await expect(body).rejects.toMatchObject({ code: 413 });
  });

  it('refuses a declared length over the limit before reading', async () => {
    await expect(readBody(request({ 'content-length': String(MAX_BODY_BYTES + 1) }))).rejects.toMatchObject({ code: 413 });
  });

  it('fails, rather than waiting for ever, when the client goes away mid-body', async () => {
    const req = request();
    const body = readBody(req);
    req.write('{"a":');
    req.destroy();
    await expect(body).rejects.toThrow(/aborted/);
  });
});
