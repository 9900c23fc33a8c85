import { isThrottling, isTransientNetworkError } from '../aws/aws-errors.ts';
import type { Clock } from '../runtime/clock.ts';

/**
 * Reads made once an operation is known to have ended (its final status, its outputs, its failure
 * reasons) must not turn a success into a failure because AWS throttled them or a connection dropped:
 * they change nothing, so they are retried with backoff until they answer (or the run is stopped).
 * Each wait is told through `onRetry`, so the operator sees why nothing moves.
 */
export interface RetryReadOptions {
  clock: Clock;
  signal?: AbortSignal;
  /** The API call, as the operator will read it: "DescribeStacks". */
  action: string;
  onRetry?: (notice: RetryNotice) => void;
  /** Attempts before giving up; the waits grow to 30 s, so 20 attempts cover about 8 minutes. */
  maxAttempts?: number;
}

export interface RetryNotice {
  action: string;
  reason: 'throttled' | 'unreachable';
  attempt: number;
  waitMs: number;
}

const MAX_WAIT_MS = 30_000;

export async function retryRead<T>(read: () => Promise<T>, options: RetryReadOptions): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 20;
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const throttled = isThrottling(error);
      if ((!throttled && !isTransientNetworkError(error)) || attempt >= maxAttempts) throw error;
      const base = Math.min(MAX_WAIT_MS, 1_000 * 2 ** (attempt - 1));
      const waitMs = Math.round(base / 2 + (options.clock.random() * base) / 2);
      options.onRetry?.({
        action: options.action,
        reason: throttled ? 'throttled' : 'unreachable',
        attempt,
        waitMs,
      });
      await options.clock.sleep(waitMs, options.signal);
    }
  }
}

/** The line the operator reads while a call is being retried. */
export function retryMessage(notice: RetryNotice): string {
  const seconds = Math.max(1, Math.round(notice.waitMs / 1000));
  return notice.reason === 'throttled'
    ? `AWS is throttling ${notice.action}; checking again in ${seconds} s`
    : `AWS did not answer ${notice.action} (connection lost); checking again in ${seconds} s`;
}
