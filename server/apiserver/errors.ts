// Typed API errors, one per meaning, each mapping to one HTTP status and
// Kubernetes reason, and rendered as a metav1.Status the way kube-apiserver does.
import type { Status, StatusCause } from '@/lib/k8s/types';

export interface QualifiedKind {
  group: string;
  kind: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Status['details'],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toStatus(): Status {
    return { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, details: this.details, code: this.code };
  }
}

/** "persistentvolumeclaims" or "virtualmachines.kubevirt.io", as kube-apiserver names resources in errors. */
export function qualifiedResource(plural: string, group: string): string {
  return group ? `${plural}.${group}` : plural;
}

export const errors = {
  badRequest: (message: string) => new ApiError(400, 'BadRequest', message),
  unauthorized: (message = 'Unauthorized') => new ApiError(401, 'Unauthorized', message),
  forbidden: (message: string, details?: Status['details']) => new ApiError(403, 'Forbidden', message, details),
  notFound: (plural: string, group: string, name: string) =>
    new ApiError(404, 'NotFound', `${qualifiedResource(plural, group)} "${name}" not found`, { name, group, kind: plural }),
  notFoundPath: () => new ApiError(404, 'NotFound', 'the server could not find the requested resource'),
  methodNotAllowed: (verb: string, what: string) => new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource: ${verb} ${what}`),
  notAcceptable: (accept: string) =>
    new ApiError(406, 'NotAcceptable', `only the following media types are accepted: application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io (the request asked for ${accept})`),
  alreadyExists: (plural: string, group: string, name: string) =>
    new ApiError(409, 'AlreadyExists', `${qualifiedResource(plural, group)} "${name}" already exists`, { name, group, kind: plural }),
  conflict: (plural: string, group: string, name: string, why: string) =>
    new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(plural, group)} "${name}": ${why}`, { name, group, kind: plural }),
  gone: (message: string) => new ApiError(410, 'Expired', message),
  tooLarge: (message = 'Request entity too large: limit is 3145728') => new ApiError(413, 'RequestEntityTooLarge', message),
  unsupportedMediaType: (contentType: string, allowed: string[], why?: string) =>
    new ApiError(415, 'UnsupportedMediaType', why ?? `the body of the request was in an unknown format - accepted media types include: ${allowed.join(', ')}`, {
      causes: [{ reason: 'UnexpectedServerResponse', message: `unsupported content type "${contentType}"` }],
    }),
  invalid: (kind: QualifiedKind, name: string, causes: StatusCause[]) =>
    new ApiError(
      422,
      'Invalid',
      `${kind.group ? `${kind.kind}.${kind.group}` : kind.kind} "${name}" is invalid: ${causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join(', ')}`,
      { name, group: kind.group, kind: kind.kind, causes },
    ),
  tooManyRequests: (message: string) => new ApiError(429, 'TooManyRequests', message, { retryAfterSeconds: 1 }),
  internal: (message: string) => new ApiError(500, 'InternalError', `Internal error occurred: ${message}`),
  timeout: (message: string) => new ApiError(504, 'Timeout', message),
  unavailable: (message: string) => new ApiError(503, 'ServiceUnavailable', message),
  insufficientStorage: (message: string) => new ApiError(507, 'InternalError', message),
};

/** A field error cause, in the words validation uses (`spec.x: Required value`). */
export function cause(reason: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueForbidden' | 'FieldValueDuplicate' | 'FieldValueTooLong', field: string, message: string): StatusCause {
  return { reason, field, message };
}
