// The retry policy for every request, token and Graph alike. Pure: the clock
// and the sleep come from the budget, and randomness can be injected, so tests
// run on a fake clock.
import type { Budget } from './budget.js'
import { DeadlineExceededError, TransientError } from './errors.js'

export interface RetryOptions {
  budget: Pick<Budget, 'now' | 'sleep' | 'deadline'>
  random?: () => number
  onRetry?: (error: TransientError, delayMs: number, retry: number) => void
}

/** Runs an attempt under the retry policy, with the options bound. */
export type Retry = <T>(attempt: () => Promise<T>) => Promise<T>

export const BACKOFF_BASE_MS = 500
export const BACKOFF_CAP_MS = 30_000

/** Runs `attempt` until it succeeds, throws a non-transient error, or the deadline comes. */
export async function withRetries<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { budget, random = Math.random } = options
  let lastError: TransientError | undefined
  for (let retry = 1; ; retry++) {
    try {
      return await attempt()
    } catch (error) {
      // A retry cut off by the deadline: what made it late is the error before it.
      if (error instanceof DeadlineExceededError && lastError) {
        throw new DeadlineExceededError(lastError.message)
      }
      if (!(error instanceof TransientError)) throw error
      lastError = error
      const delayMs = delayBefore(retry, error, random)
      const remaining = budget.deadline - budget.now()
      if (delayMs >= remaining) {
        // The next try would start at or past the deadline: wait out the
        // deadline (never past it), then fail with what went wrong.
        if (remaining > 0) await budget.sleep(remaining)
        throw new DeadlineExceededError(error.message)
      }
      options.onRetry?.(error, delayMs, retry)
      await budget.sleep(delayMs)
    }
  }
}

/**
 * How long to wait before the n-th retry: never less than the backoff step
 * (a Retry-After of 0, or a date in the past, must not become a tight loop),
 * longer when the service asks for longer, and shorter only to keep a try
 * inside a grace period the client is counting down.
 */
export function delayBefore(
  retry: number,
  error: Pick<TransientError, 'retryAfterMs' | 'retryWithinMs'>,
  random: () => number = Math.random
): number {
  const delayMs = Math.max(error.retryAfterMs ?? 0, backoffMs(retry, random))
  return error.retryWithinMs === undefined
    ? delayMs
    : Math.max(0, Math.min(delayMs, error.retryWithinMs))
}

/**
 * Exponential backoff with jitter: the n-th retry waits between half and all
 * of min(30 s, 0.5 s * 2^(n-1)), so clients that failed together spread out.
 */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retry - 1))
  return ceiling * (0.5 + random() / 2)
}
