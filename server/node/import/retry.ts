// Waiting between attempts the way lib/cdi retryDecision says, cut short by the caller's abort signal.
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDecision } from '@/lib/cdi';
import { AbortedError, type Failure } from './errors';
import type { RetryNotice } from './types';

/** Resolves after `ms`, or rejects with AbortedError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError();
}

export class Retrier {
  readonly policy: RetryPolicy;

  constructor(
    policy: RetryPolicy | undefined,
    private readonly signal: AbortSignal | undefined,
    private readonly onRetry?: (n: RetryNotice) => void,
  ) {
    this.policy = policy ?? DEFAULT_RETRY_POLICY;
  }

  /** Waits before trying a failed step again (`attempt` failures so far), or throws `failure` when it is final. */
  async backoff(failure: Failure, attempt: number): Promise<void> {
    const decision = retryDecision(failure.failure, attempt, this.policy, Math.random());
    if (!decision.retry) throw failure;
    this.onRetry?.({ attempt, delayMs: decision.delayMs, reason: decision.reason });
    await sleep(decision.delayMs, this.signal);
  }
}
