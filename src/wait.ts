// The polling loop. Pure: the clock, the sleep and the Graph call are injected,
// so tests drive it with a fake clock and no network.
import { CancelledError, DeadlineExceededError } from './errors.js'
import type { ConnectionOperation } from './graph.js'

export interface WaitOptions {
  getOperation: () => Promise<ConnectionOperation>
  now: () => number
  sleep: (ms: number) => Promise<void>
  pollIntervalMs: number
  /** Absolute time on the `now` clock when the whole wait gives up. */
  deadline: number
  onPoll?: (operation: ConnectionOperation, polls: number) => void
  /** Called once per status value this action does not know. */
  onUnknownStatus?: (status: string) => void
}

export type WaitResult =
  | { outcome: 'completed' | 'failed'; operation: ConnectionOperation; polls: number }
  | { outcome: 'timedOut'; operation?: ConnectionOperation; polls: number; cause?: Error }
  | { outcome: 'cancelled'; operation?: ConnectionOperation; polls: number }
  | { outcome: 'error'; error: unknown; operation?: ConnectionOperation; polls: number }

// Graph's connectionOperation statuses that mean "not finished yet".
const PENDING = new Set(['unspecified', 'inprogress'])

export async function waitForOperation(options: WaitOptions): Promise<WaitResult> {
  const { now, deadline } = options
  const unknownSeen = new Set<string>()
  let operation: ConnectionOperation | undefined
  let polls = 0

  for (;;) {
    try {
      operation = await options.getOperation()
      polls++
      options.onPoll?.(operation, polls)

      const status = operation.status.toLowerCase()
      if (status === 'completed' || status === 'failed') {
        return { outcome: status, operation, polls }
      }
      if (!PENDING.has(status) && !unknownSeen.has(status)) {
        unknownSeen.add(status)
        options.onUnknownStatus?.(operation.status)
      }

      // Never sleep past the deadline. When the deadline comes before the next
      // poll would, sleep until it and stop: decided here, not by re-reading the
      // clock, because a timer can fire a millisecond early.
      const remaining = deadline - now()
      if (remaining <= options.pollIntervalMs) {
        if (remaining > 0) await options.sleep(remaining)
        return { outcome: 'timedOut', operation, polls }
      }
      await options.sleep(options.pollIntervalMs)
    } catch (error) {
      if (error instanceof DeadlineExceededError) {
        return { outcome: 'timedOut', operation, polls, cause: error }
      }
      if (error instanceof CancelledError) return { outcome: 'cancelled', operation, polls }
      return { outcome: 'error', error, operation, polls }
    }
  }
}
