// Table-driven protobuf decoding in two passes: the wire into field values (merging repeated
// occurrences as protobuf requires), then those values into the JSON shape the Go types marshal to.
import { ProtobufDecodeError } from './errors';
import type { FieldDesc, MessageDesc, Scalar } from './schema';
import { checkDepth, Reader, WireType } from './wire';

/** One decoded message before JSON conversion: field number → value (an array when repeated, a Map when a map). */
export type RawFields = Map<number, unknown>;

/** Same bound as rest/body.ts puts on JSON bodies; FieldsV1 carries JSON text inside the protobuf. */
const MAX_JSON_NESTING = 256;

const utf8 = new TextDecoder();

const WIRE_NAMES = ['varint', '64-bit', 'length-delimited', 'group start', 'group end', '32-bit'];
const wireName = (t: number) => WIRE_NAMES[t] ?? `unknown (${t})`;

function expectWire(got: number, want: number, f: FieldDesc, owner: MessageDesc): void {
  if (got !== want) {
    throw new ProtobufDecodeError(`field ${f.number} (${f.name}) of ${owner.name} arrived as ${wireName(got)}, but it is ${wireName(want)}`);
  }
}

/** A signed 64-bit integer as a number; exact up to 2^53, which covers every int64 in our tables. */
function int64(lo: number, hi: number): number {
  if (hi === 0) return lo;
  if (hi < 0x80000000) return hi * 2 ** 32 + lo;
  return Number(BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)));
}

const isVarintScalar = (t: Scalar) => t === 'bool' || t === 'int32' || t === 'int64';

function readScalar(r: Reader, type: Scalar, wireType: number, f: FieldDesc, owner: MessageDesc): unknown {
  if (!isVarintScalar(type)) {
    expectWire(wireType, WireType.Bytes, f, owner);
    const bytes = r.bytes();
    return type === 'string' ? utf8.decode(bytes) : bytes;
  }
  expectWire(wireType, WireType.Varint, f, owner);
  r.varint();
  if (type === 'bool') return r.lo !== 0 || r.hi !== 0;
  if (type === 'int32') return r.lo | 0; // negative int32s are sign-extended to 10 bytes; the low half holds the value
  return int64(r.lo, r.hi);
}

function readValue(r: Reader, f: FieldDesc, wireType: number, owner: MessageDesc, depth: number, mergeInto?: RawFields): unknown {
  if (typeof f.type === 'string') return readScalar(r, f.type, wireType, f, owner);
  expectWire(wireType, WireType.Bytes, f, owner);
  return decodeFields(r.bytes(), f.type, depth + 1, mergeInto);
}

function zeroValue(type: FieldDesc['type']): unknown {
  if (typeof type !== 'string') return new Map();
  if (type === 'string') return '';
  if (type === 'bool') return false;
  return isVarintScalar(type) ? 0 : new Uint8Array();
}

/** A map entry is a small message: key = 1 (string), value = 2. Missing parts take their zero value. */
function readMapEntry(r: Reader, f: FieldDesc, wireType: number, owner: MessageDesc, depth: number, into: Map<string, unknown>): void {
  expectWire(wireType, WireType.Bytes, f, owner);
  checkDepth(depth + 1);
  const entry = new Reader(r.bytes());
  let key = '';
  let value: unknown;
  while (!entry.done) {
    const t = entry.tag();
    if (t.field === 1) {
      if (t.wireType !== WireType.Bytes) throw new ProtobufDecodeError(`a key of map ${f.name} in ${owner.name} arrived as ${wireName(t.wireType)}, but it is a string`);
      key = utf8.decode(entry.bytes());
    } else if (t.field === 2) {
      value = readValue(entry, f, t.wireType, owner, depth + 1, value instanceof Map ? (value as RawFields) : undefined);
    } else entry.skip(t.field, t.wireType, depth + 1);
  }
  into.set(key, value === undefined ? zeroValue(f.type) : value);
}

/** Decode one message's fields from the wire; `into` lets a message that arrives in several pieces merge. */
export function decodeFields(buf: Uint8Array, desc: MessageDesc, depth: number, into: RawFields = new Map()): RawFields {
  checkDepth(depth);
  const r = new Reader(buf);
  while (!r.done) {
    const { field, wireType } = r.tag();
    const f = desc.fields.get(field);
    if (!f) {
      r.skip(field, wireType, depth);
      continue;
    }
    if (f.map) {
      const entries = (into.get(field) as Map<string, unknown> | undefined) ?? new Map<string, unknown>();
      into.set(field, entries);
      readMapEntry(r, f, wireType, desc, depth, entries);
    } else if (f.repeated) {
      const list = (into.get(field) as unknown[] | undefined) ?? [];
      into.set(field, list);
      if (typeof f.type === 'string' && isVarintScalar(f.type) && wireType === WireType.Bytes) {
        // Packed: a run of varints in one length-delimited field. Senders may use either form.
        const packed = new Reader(r.bytes());
        while (!packed.done) list.push(readScalar(packed, f.type, WireType.Varint, f, desc));
      } else list.push(readValue(r, f, wireType, desc, depth));
    } else {
      // A singular field seen again: scalars take the last value, messages merge.
      const previous = into.get(field);
      into.set(field, readValue(r, f, wireType, desc, depth, previous instanceof Map ? (previous as RawFields) : undefined));
    }
  }
  return into;
}

/** Refuse JSON nested deeper than MAX_JSON_NESTING before parsing it (brackets inside strings do not count). */
function parseJson(bytes: Uint8Array, where: string): unknown {
  if (bytes.length === 0) return null;
  const text = utf8.decode(bytes);
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (++depth > MAX_JSON_NESTING) throw new ProtobufDecodeError(`${where} nests JSON deeper than ${MAX_JSON_NESTING} levels`);
    } else if (c === '}' || c === ']') depth--;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ProtobufDecodeError(`${where} is not valid JSON: ${(e as Error).message}`);
  }
}

function valueToJson(value: unknown, f: FieldDesc, owner: MessageDesc): unknown {
  if (typeof f.type !== 'string') return fieldsToJson(value as RawFields, f.type);
  if (f.type === 'bytes') {
    const b = value as Uint8Array;
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
  }
  if (f.type === 'json') return parseJson(value as Uint8Array, `field ${f.name} of ${owner.name}`);
  return value;
}

/** The JSON the Go type would marshal to: names from the table, zero values dropped where Go's omitempty drops them. */
export function fieldsToJson(raw: RawFields, desc: MessageDesc): unknown {
  const out: Record<string, unknown> = {};
  for (const [number, value] of raw) {
    const f = desc.fields.get(number)!;
    if (f.map) {
      // fromEntries defines own properties, so a key such as "__proto__" stays an ordinary key.
      out[f.name] = Object.fromEntries([...(value as Map<string, unknown>)].map(([k, v]) => [k, valueToJson(v, f, desc)]));
    } else if (f.repeated) {
      out[f.name] = (value as unknown[]).map((v) => valueToJson(v, f, desc));
    } else {
      const v = valueToJson(value, f, desc);
      if (f.omitEmpty && (v === '' || v === 0 || v === false)) continue;
      out[f.name] = v;
    }
  }
  return desc.toJson ? desc.toJson(out) : out;
}
