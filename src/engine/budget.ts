// The step's time budget: one clock, one deadline and one cancellation signal.
// The transport, the retry policy and the wait all read them from here.
import { setTimeout as delay } from 'node:timers/promises'
import { CancelledError } from './errors.js'

/** The longest a Node timer can wait (2^31 - 1 ms, about 24.8 days); longer ones fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1

export interface Budget {
  /** Milliseconds on a monotonic clock. */
  now(): number
  /** When the step started, on the `now` clock. */
  readonly startedAt: number
  /** When the step gives up, on the `now` clock. */
  readonly deadline: number
  /** Aborted when the step is cancelled. */
  readonly signal: AbortSignal
  /**
   * Waits `ms` (at most MAX_TIMER_MS; settings keep every wait below it);
   * rejects with a CancelledError as soon as the step is cancelled.
   */
  sleep(ms: number): Promise<void>
}

export function createBudget(options: {
  timeoutMs: number
  signal: AbortSignal
  now?: () => number
  /** Default: now. */
  startedAt?: number
}): Budget {
  const now = options.now ?? (() => performance.now())
  const startedAt = options.startedAt ?? now()
  const { signal } = options
  return {
    now,
    startedAt,
    deadline: startedAt + options.timeoutMs,
    signal,
    async sleep(ms: number): Promise<void> {
      try {
        await delay(Math.min(ms, MAX_TIMER_MS), undefined, { signal })
      } catch (error) {
        throw signal.aborted ? new CancelledError() : error
      }
    }
  }
}
