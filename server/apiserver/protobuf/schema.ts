// The little language the message tables are written in, and its parser: one string per field,
// `'<jsonName> <type>[ omitempty]'`, keyed by field number.
//
// Types: string, bytes, bool, int32, int64, json (bytes that hold JSON text), or a message name;
// `[]T` is repeated, `map<T>` is map<string, T>. `omitempty` marks a plain (non-pointer) Go scalar whose
// JSON tag says omitempty: Go's typed encoders write such fields even when empty, and Go's JSON encoder
// then drops the empty value, so we drop it too to end up with the JSON a JSON client would have sent.

export type Scalar = 'string' | 'bytes' | 'bool' | 'int32' | 'int64' | 'json';

export interface FieldDesc {
  number: number;
  name: string;
  /** A scalar type, or the message it holds (for maps: the value type). */
  type: Scalar | MessageDesc;
  repeated: boolean;
  map: boolean;
  omitEmpty: boolean;
}

export interface MessageDesc {
  name: string;
  fields: Map<number, FieldDesc>;
  /** For types whose JSON is not an object (Time is a string, ExtraValue an array…): turn the decoded fields into that JSON. */
  toJson?: (fields: Record<string, unknown>) => unknown;
}

export type MessageSource = Record<number, string>;

const SCALARS: ReadonlySet<string> = new Set<Scalar>(['string', 'bytes', 'bool', 'int32', 'int64', 'json']);
const LINE = /^(\w+) (\[\]|map<)?(\w+)(>)?( omitempty)?$/;

/**
 * Build message descriptions from their one-line-per-field sources. References between messages are
 * resolved here, so a misspelt type name fails when the module loads rather than on some request.
 */
export function defineMessages<N extends string>(
  sources: Record<N, MessageSource>,
  toJson: Partial<Record<N, MessageDesc['toJson']>> = {},
): Record<N, MessageDesc> {
  const out = {} as Record<N, MessageDesc>;
  for (const name of Object.keys(sources) as N[]) out[name] = { name, fields: new Map(), toJson: toJson[name] };
  for (const name of Object.keys(sources) as N[]) {
    for (const [num, line] of Object.entries<string>(sources[name])) {
      const m = LINE.exec(line);
      const number = Number(num);
      if (!m || !Number.isInteger(number) || number < 1 || (m[2] === 'map<') !== (m[4] === '>')) {
        throw new Error(`protobuf table ${name}: cannot read field ${num} '${line}'`);
      }
      const [, jsonName, shape, typeName, , omit] = m as unknown as [string, string, string | undefined, string, string | undefined, string | undefined];
      const type = SCALARS.has(typeName) ? (typeName as Scalar) : out[typeName as N];
      if (!type) throw new Error(`protobuf table ${name}: field ${num} refers to unknown message ${typeName}`);
      if (omit && (shape || typeof type !== 'string')) throw new Error(`protobuf table ${name}: omitempty is for single scalars only (field ${num})`);
      out[name].fields.set(number, { number, name: jsonName, type, repeated: shape === '[]', map: shape === 'map<', omitEmpty: !!omit });
    }
  }
  return out;
}
