// The step's time budget: one clock, one deadline and one cancellation signal.
// The transport, the retry policy and the wait all read them from here.
import { setTimeout as delay } from 'node:timers/promises'
import { CancelledError } from './errors.js'

export interface Budget {
  /** Milliseconds on a monotonic clock. */
  now(): number
  /** When the step started, on the `now` clock. */
  readonly startedAt: number
  /** When the step gives up, on the `now` clock. */
  readonly deadline: number
  /** Aborted when the step is cancelled. */
  readonly signal: AbortSignal
  /** Waits `ms`; rejects with a CancelledError as soon as the step is cancelled. */
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
        await delay(ms, undefined, { signal })
      } catch (error) {
        throw signal.aborted ? new CancelledError() : error
      }
    }
  }
}
