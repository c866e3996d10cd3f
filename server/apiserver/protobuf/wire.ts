// Protobuf wire-format reading: varints, tags, length-delimited slices and skipping of fields we do not know.
import { ProtobufDecodeError } from './errors';

export const WireType = { Varint: 0, Fixed64: 1, Bytes: 2, StartGroup: 3, EndGroup: 4, Fixed32: 5 } as const;

/** How deeply messages (and skipped groups) may nest before the body is refused. */
export const MAX_DEPTH = 64;

export function checkDepth(depth: number): void {
  if (depth > MAX_DEPTH) throw new ProtobufDecodeError(`the protobuf body nests messages deeper than ${MAX_DEPTH} levels`);
}

/** A cursor over one message's bytes. Varints land in `lo`/`hi` (two unsigned 32-bit halves) so 64-bit values stay exact. */
export class Reader {
  pos = 0;
  lo = 0;
  hi = 0;

  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): void {
    let lo = 0;
    let hi = 0;
    for (let i = 0; ; i++) {
      if (i === 10) throw new ProtobufDecodeError('the protobuf body has a varint longer than 10 bytes');
      if (this.pos >= this.buf.length) throw new ProtobufDecodeError('the protobuf body ends in the middle of a varint');
      const b = this.buf[this.pos++]!;
      const bits = b & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= bits << 28; // only the low 4 bits fit; the rest start `hi`
        hi = bits >>> 4;
      } else hi |= bits << (7 * i - 32); // past bit 63 the bits fall off, as in Go's decoder
      if (b < 0x80) break;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** The next field's number and wire type. */
  tag(): { field: number; wireType: number } {
    this.varint();
    const field = this.lo >>> 3;
    if (this.hi !== 0 || field === 0) throw new ProtobufDecodeError(`the protobuf body has an invalid field tag at byte ${this.pos}`);
    return { field, wireType: this.lo & 7 };
  }

  /** A length-delimited payload, as a view (no copy). */
  bytes(): Uint8Array {
    this.varint();
    const left = this.buf.length - this.pos;
    if (this.hi !== 0 || this.lo > left) {
      throw new ProtobufDecodeError(`the protobuf body declares a length of ${this.hi ? 'over 4 GiB' : this.lo} bytes at byte ${this.pos}, but only ${left} remain`);
    }
    const out = this.buf.subarray(this.pos, this.pos + this.lo);
    this.pos += this.lo;
    return out;
  }

  private advance(n: number): void {
    if (this.buf.length - this.pos < n) throw new ProtobufDecodeError('the protobuf body ends in the middle of a fixed-width field');
    this.pos += n;
  }

  /** Step over a field we have no description for; newer clients may send fields Kura does not know yet. */
  skip(field: number, wireType: number, depth: number): void {
    switch (wireType) {
      case WireType.Varint:
        return this.varint();
      case WireType.Fixed64:
        return this.advance(8);
      case WireType.Bytes:
        this.bytes();
        return;
      case WireType.Fixed32:
        return this.advance(4);
      case WireType.StartGroup: {
        // Kubernetes never uses groups, but a group is a legal unknown field and nests like a message.
        checkDepth(depth + 1);
        for (;;) {
          if (this.done) throw new ProtobufDecodeError(`the protobuf body ends inside group ${field}`);
          const t = this.tag();
          if (t.wireType === WireType.EndGroup) {
            if (t.field !== field) throw new ProtobufDecodeError(`the protobuf body closes group ${t.field} where group ${field} is open`);
            return;
          }
          this.skip(t.field, t.wireType, depth + 1);
        }
      }
      case WireType.EndGroup:
        throw new ProtobufDecodeError(`the protobuf body closes group ${field} that was never opened`);
      default:
        throw new ProtobufDecodeError(`the protobuf body uses wire type ${wireType}, which does not exist (field ${field})`);
    }
  }
}
