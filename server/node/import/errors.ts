// Why an import stopped: Failure is what the parts throw (a lib/cdi TransferFailure, so retryDecision
// decides), ImportError what importImage rejects with, worded for the DataVolume's status.
import { type ImageRefusalReason, type TransferFailure } from '@/lib/cdi';

export type ImportFailureReason =
  | 'NotFound'
  | 'Unauthorized'
  | 'Forbidden'
  | 'ServerError'
  | 'HttpError'
  | 'NetworkError'
  | 'Timeout'
  | 'Truncated'
  | 'ContentLengthMismatch'
  | 'SourceChanged'
  | 'NotADiskImage'
  | 'UnsupportedCompression'
  | 'TooLarge'
  | 'BackingFile'
  | 'DataFile'
  | 'Encrypted'
  | 'ImageBomb'
  | 'Corrupt'
  | 'DigestMismatch'
  | 'NoSpace'
  | 'RequestRefused'
  | 'InvalidSource'
  | 'InvalidTarget'
  | 'Internal'
  | 'Aborted';

/** What importImage rejects with. `message` is one plain sentence for status.conditions. */
export class ImportError extends Error {
  constructor(
    readonly reason: ImportFailureReason,
    message: string,
    /** True when the same import may work later (the server or network may heal); false when it will not. */
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ImportError';
  }
}

/** A failure inside one attempt; `reason` overrides the one derived from `failure`. */
export class Failure extends Error {
  constructor(
    readonly failure: TransferFailure,
    readonly reason?: ImportFailureReason,
  ) {
    super(failureText(failure));
    this.name = 'Failure';
  }
}

export class AbortedError extends Error {
  constructor() {
    super('the import was cancelled');
    this.name = 'AbortedError';
  }
}

function failureText(f: TransferFailure): string {
  switch (f.kind) {
    case 'http':
      return `the server answered ${f.status}${f.url ? ` for ${f.url}` : ''}`;
    case 'image':
    case 'policy':
      return f.message;
    default:
      return f.message ?? f.kind;
  }
}

const IMAGE_REASONS: Record<ImageRefusalReason, ImportFailureReason> = {
  Truncated: 'Truncated',
  LengthMismatch: 'ContentLengthMismatch',
  Empty: 'NotADiskImage',
  NotADiskImage: 'NotADiskImage',
  UnsupportedCompression: 'UnsupportedCompression',
  BackingFile: 'BackingFile',
  ExternalDataFile: 'DataFile',
  Encrypted: 'Encrypted',
  Corrupt: 'Corrupt',
  ImageBomb: 'ImageBomb',
  TooLarge: 'TooLarge',
};

/** The reason a failure reports when nothing more specific was given. */
export function reasonOf(f: Failure): ImportFailureReason {
  if (f.reason) return f.reason;
  const t = f.failure;
  switch (t.kind) {
    case 'http':
      if (t.status === 404 || t.status === 410) return 'NotFound';
      if (t.status === 401) return 'Unauthorized';
      if (t.status === 403) return 'Forbidden';
      if (t.status >= 500 || t.status === 429 || t.status === 408) return 'ServerError';
      return 'HttpError';
    case 'network':
      return 'NetworkError';
    case 'timeout':
      return 'Timeout';
    case 'image':
      return IMAGE_REASONS[t.reason];
    case 'policy':
      return 'RequestRefused';
    case 'checksum':
      return 'DigestMismatch';
    case 'no-space':
      return 'NoSpace';
    case 'internal':
      return 'Internal';
  }
}

export const imageFailure = (reason: ImageRefusalReason, message: string): Failure => new Failure({ kind: 'image', reason, message });
export const internalFailure = (message: string, reason?: ImportFailureReason): Failure => new Failure({ kind: 'internal', message }, reason);
export const networkFailure = (code: string | undefined, message: string): Failure => new Failure({ kind: 'network', ...(code ? { code } : {}), message });
export const invalidSource = (message: string): Failure => new Failure({ kind: 'policy', message }, 'InvalidSource');

/** Node's errno-style code of an error, if any. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Turns anything thrown into a Failure: network errors by their code, the rest as internal. */
export function asFailure(err: unknown): Failure {
  if (err instanceof Failure) return err;
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ENOSPC' || code === 'EDQUOT') return new Failure({ kind: 'no-space', message: 'the disk holding the volume or the scratch space is full' });
  if (code && /^(E[A-Z]+|UND_ERR_\w+|ERR_STREAM_PREMATURE_CLOSE|HPE_\w+)$/.test(code) && code !== 'ENOENT' && code !== 'EACCES') return networkFailure(code, message);
  return internalFailure(message);
}

/** A URL fit for messages and logs: no query string, which may carry a signature or a token. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return url;
  }
}
