// Test-only: a tiny protobuf writer for building fixtures by hand (field by field, as the wire has them).

export type Bytes = number[];

/** Unsigned LEB128; negative numbers as 64-bit two's complement (10 bytes), as protobuf writes int32/int64. */
export function varint(n: number | bigint): Bytes {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: Bytes = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v ? b | 0x80 : b);
  } while (v);
  return out;
}

export const tag = (field: number, wireType: number): Bytes => varint(field * 8 + wireType);

/** A length-delimited field holding raw bytes. */
export function bytes(field: number, data: Uint8Array | Bytes): Bytes {
  return [...tag(field, 2), ...varint(data.length), ...data];
}

export const str = (field: number, s: string): Bytes => bytes(field, [...Buffer.from(s, 'utf8')]);
export const int = (field: number, n: number | bigint): Bytes => [...tag(field, 0), ...varint(n)];
export const bool = (field: number, b: boolean): Bytes => int(field, b ? 1 : 0);

/** A nested message: its parts concatenated and length-prefixed. */
export const msg = (field: number, ...parts: Bytes[]): Bytes => bytes(field, parts.flat());

/** One entry of a map<string, …> field. */
export const entry = (field: number, key: string, value: Bytes): Bytes => msg(field, str(1, key), value);

/** `k8s\0` + runtime.Unknown{typeMeta, raw, contentEncoding: "", contentType: ""}, the way client-go frames a body. */
export function k8s(apiVersion: string, kind: string, ...object: Bytes[]): Buffer {
  return Buffer.from([0x6b, 0x38, 0x73, 0x00, ...msg(1, str(1, apiVersion), str(2, kind)), ...msg(2, ...object), ...str(3, ''), ...str(4, '')]);
}

/** An ObjectMeta field (number 1 in every top-level kind) the way Go writes it: every plain string, present even when empty. */
export function goMeta(name: string, namespace = ''): Bytes {
  return msg(1, str(1, name), str(2, ''), str(3, namespace), str(4, ''), str(5, ''), str(6, ''), int(7, 0), msg(8));
}
