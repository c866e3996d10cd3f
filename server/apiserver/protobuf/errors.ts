// The two ways a protobuf body can fail: not decodable at all (400), or decodable but of a kind Kura has no table for (415).

/** The body is not a well-formed Kubernetes protobuf object; the caller answers 400 Bad Request with this message. */
export class ProtobufDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufDecodeError';
  }
}

/** The envelope is well formed but names a kind Kura cannot decode from protobuf; the caller answers 415 naming the kind. */
export class ProtobufUnsupportedError extends Error {
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
  ) {
    super(`Kura cannot read ${kind} (${apiVersion}) objects sent as protobuf; send them as JSON instead`);
    this.name = 'ProtobufUnsupportedError';
  }
}
