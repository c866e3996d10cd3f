// Kubernetes protobuf request bodies (what kubectl's typed clients send) turned into the JSON object a JSON client would have sent.
import { decodeFields, fieldsToJson } from './decode';
import { ProtobufDecodeError, ProtobufUnsupportedError } from './errors';
import { messageForKind, messages } from './messages';

export { ProtobufDecodeError, ProtobufUnsupportedError } from './errors';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** Every Kubernetes protobuf body starts with these four bytes, "k8s\0", before the runtime.Unknown envelope. */
const MAGIC = [0x6b, 0x38, 0x73, 0x00] as const;

/** runtime.Unknown's `raw` field: the object's own protobuf bytes, which must stay bytes rather than become base64. */
const UNKNOWN_RAW = 2;

interface Envelope {
  typeMeta?: { apiVersion?: string; kind?: string };
  contentEncoding?: string;
  contentType?: string;
}

/**
 * Decode a `application/vnd.kubernetes.protobuf` body into a plain JSON object with `apiVersion` and `kind`.
 * Throws ProtobufDecodeError when the body is not well-formed (answer 400) and ProtobufUnsupportedError when it
 * carries a kind Kura has no table for (answer 415); nothing else.
 */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  try {
    return decode(body);
  } catch (e) {
    if (e instanceof ProtobufDecodeError || e instanceof ProtobufUnsupportedError) throw e;
    // Anything else (a RangeError from an exhausted stack, say) still means this body cannot be read.
    throw new ProtobufDecodeError(`the protobuf body could not be decoded: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function decode(body: Buffer): Record<string, unknown> {
  if (body.length < MAGIC.length || MAGIC.some((b, i) => body[i] !== b)) {
    throw new ProtobufDecodeError('the body is not Kubernetes protobuf: it does not start with the bytes "k8s\\x00"');
  }
  const fields = decodeFields(body.subarray(MAGIC.length), messages.Unknown, 0);
  const raw = (fields.get(UNKNOWN_RAW) as Uint8Array | undefined) ?? new Uint8Array();
  fields.delete(UNKNOWN_RAW);
  const envelope = fieldsToJson(fields, messages.Unknown) as Envelope;
  if (envelope.contentEncoding) throw new ProtobufDecodeError(`the protobuf body is encoded as "${envelope.contentEncoding}", which Kura does not read`);
  if (envelope.contentType && envelope.contentType !== PROTOBUF_CONTENT_TYPE) {
    throw new ProtobufDecodeError(`the protobuf envelope says its content is "${envelope.contentType}", not ${PROTOBUF_CONTENT_TYPE}`);
  }
  const apiVersion = envelope.typeMeta?.apiVersion ?? '';
  const kind = envelope.typeMeta?.kind ?? '';
  if (!apiVersion || !kind) throw new ProtobufDecodeError(`the protobuf body does not say its ${!apiVersion ? 'apiVersion' : 'kind'}`);
  const desc = messageForKind(apiVersion, kind);
  if (!desc) throw new ProtobufUnsupportedError(apiVersion, kind);
  const object = fieldsToJson(decodeFields(raw, desc, 1), desc) as Record<string, unknown>;
  return { apiVersion, kind, ...object };
}
