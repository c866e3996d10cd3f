// Which transfer failures are worth another attempt, and when.
//
// Retried: what may heal by itself: network errors (reset, refused, DNS not
// answering), timeouts, 408, 425, 429 and 5xx (except 501). Final: what will
// not change by waiting: 404/410 (nothing there), 401 (the credentials in the
// Secret are wrong), 403, other 4xx, a refused image, a URL the request policy
// refuses, a checksum mismatch, a full volume. Kura never retries 401/403.
//
// Backoff: 10 s, doubling, capped at 5 min: the pace at which the kubelet
// restarts a failing importer pod in CDI (CrashLoopBackOff), so an import
// retries in Kura as often as it would on a real cluster. There is no limit
// on attempts by default (neither has CDI: restartCount just grows); a
// policy may set one.
import type { ImageRefusalReason } from './image';

export type TransferFailure =
  /** A socket-level error; `code` as Node reports it (ECONNRESET, ECONNREFUSED, ENOTFOUND, EAI_AGAIN…). */
  | { kind: 'network'; code?: string; message?: string }
  /** No byte arrived for too long, or the whole transfer took too long. */
  | { kind: 'timeout'; message?: string }
  /** The server answered with this status; `retryAfterMs` from its Retry-After header. */
  | { kind: 'http'; status: number; retryAfterMs?: number; url?: string }
  /** assessImage refused what arrived. */
  | { kind: 'image'; reason: ImageRefusalReason; message: string }
  /** The request policy refused the URL (or a redirect). */
  | { kind: 'policy'; message: string }
  | { kind: 'checksum'; message?: string }
  /** The target volume or the scratch space is full. */
  | { kind: 'no-space'; message?: string }
  /** Anything else (a bug, qemu-img crashing): retried, since a restart may help. */
  | { kind: 'internal'; message?: string };

export interface RetryPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Give up after this many failed attempts; undefined: never (as CDI). */
  maxAttempts?: number;
  /** Longest Retry-After honoured; a server asking for longer waits this long. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  initialDelayMs: 10_000,
  maxDelayMs: 300_000,
  maxRetryAfterMs: 600_000,
});

export interface RetryDecision {
  retry: boolean;
  /** How long to wait before the next attempt (0 when not retrying). */
  delayMs: number;
  /** Why, in a sentence a person can act on; also the Running condition's message. */
  reason: string;
}

/** Status codes worth another try: the server may be fine again soon. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || (status >= 500 && status <= 599 && status !== 501);
}

function httpReason(status: number, url: string | undefined): string {
  const from = url ? ` for ${url}` : '';
  switch (status) {
    case 401:
      return `the server answered 401 (unauthorized)${from}: check the user name and password in the Secret named in secretRef`;
    case 403:
      return `the server answered 403 (forbidden)${from}: the credentials are not allowed to read it`;
    case 404:
      return `the server answered 404 (not found)${from}: check the URL`;
    case 410:
      return `the server answered 410 (gone)${from}: the image was removed`;
    case 429:
      return `the server answered 429 (too many requests)${from}`;
    default:
      return `the server answered ${status}${from}`;
  }
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'the server refused the connection',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the server name does not resolve',
  EAI_AGAIN: 'name resolution failed for now',
  EHOSTUNREACH: 'the server cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  EPIPE: 'the connection broke',
  ETIMEDOUT: 'the connection timed out',
};

/** The delay before attempt `attempt + 1`: initial × 2^(attempt−1), capped; `jitter` in [0, 1) takes up to 10% off so retries spread. */
export function backoffDelay(attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY, jitter = 0): number {
  const n = Math.max(1, Math.floor(attempt));
  // 2^30 × 10 s is already far past any cap; stop doubling before floats get silly.
  const raw = policy.initialDelayMs * 2 ** Math.min(n - 1, 30);
  const capped = Math.min(raw, policy.maxDelayMs);
  return Math.round(capped * (1 - 0.1 * Math.min(Math.max(jitter, 0), 0.999)));
}

function finalDecision(reason: string): RetryDecision {
  return { retry: false, delayMs: 0, reason };
}

/**
 * Whether to try again after `failure`, the `attempt`-th failed attempt
 * (1 for the first), and how long to wait first.
 */
export function retryDecision(failure: TransferFailure, attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY, jitter = 0): RetryDecision {
  let reason: string;
  let delayMs = backoffDelay(attempt, policy, jitter);
  switch (failure.kind) {
    case 'http': {
      reason = httpReason(failure.status, failure.url);
      if (!retryableStatus(failure.status)) return finalDecision(reason);
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs >= 0) delayMs = Math.min(Math.max(failure.retryAfterMs, delayMs), policy.maxRetryAfterMs);
      break;
    }
    case 'network':
      reason = (failure.code && NETWORK_WORDS[failure.code]) || failure.message || 'the network failed';
      break;
    case 'timeout':
      reason = failure.message || 'the transfer timed out';
      break;
    case 'internal':
      reason = failure.message || 'an internal error stopped the transfer';
      break;
    case 'image':
      // A download cut short is the network's fault, not the image's.
      if (failure.reason !== 'Truncated') return finalDecision(failure.message);
      reason = failure.message;
      break;
    case 'policy':
      return finalDecision(failure.message);
    case 'checksum':
      return finalDecision(failure.message || 'the image does not match its checksum');
    case 'no-space':
      return finalDecision(failure.message || 'the volume is full: ask for a bigger one');
  }
  if (policy.maxAttempts !== undefined && attempt >= policy.maxAttempts) {
    return finalDecision(`${reason}; gave up after ${attempt} attempts`);
  }
  return { retry: true, delayMs, reason };
}

/** Parses a Retry-After header (seconds, or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}
