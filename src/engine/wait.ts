// The polling loop. Pure: the clock and the sleep come from the budget and the
// read is injected, so tests drive it with a fake clock and no network.
import type { Budget } from './budget.js'
import { CancelledError, DeadlineExceededError } from './errors.js'
import type { JsonObject } from './json.js'

/** done and failed end the wait; pending, or a status not known, keeps it going. */
export type StatusMeaning = 'done' | 'failed' | 'pending'

/** What the loop watches: an operation, or a connection's state. */
export interface Watched {
  read: () => Promise<JsonObject>
  statusOf: (resource: JsonObject) => string
  /** undefined for a value this action does not know, such as one Graph adds later. */
  meaningOf: (status: string) => StatusMeaning | undefined
}

export interface WaitOptions {
  budget: Pick<Budget, 'now' | 'sleep' | 'startedAt' | 'deadline'>
  /** A fixed interval, or 'auto' (see pollIntervalAt). */
  pollIntervalMs: number | 'auto'
  onPoll?: (status: string, resource: JsonObject, polls: number) => void
  /** Called once per status value this action does not know. */
  onUnknownStatus?: (status: string) => void
}

export interface Last {
  /** The last resource read, if any. */
  resource?: JsonObject
  status?: string
  polls: number
}

export type WaitResult = Last &
  (
    | { outcome: 'done' | 'failed'; resource: JsonObject; status: string }
    | { outcome: 'timedOut'; cause?: Error }
    | { outcome: 'cancelled' }
    | { outcome: 'error'; error: unknown }
  )

// 'auto': poll every tenth of the time waited so far, within 2 s and 30 s. A
// result then waits at most max(2 s, 10% of the time already waited) to be
// seen, and a long wait costs few requests (about 50 over 10 minutes).
export const AUTO_MIN_MS = 2_000
export const AUTO_MAX_MS = 30_000

export function pollIntervalAt(setting: number | 'auto', elapsedMs: number): number {
  if (setting !== 'auto') return setting
  return Math.min(AUTO_MAX_MS, Math.max(AUTO_MIN_MS, elapsedMs / 10))
}

export async function waitFor(watched: Watched, options: WaitOptions): Promise<WaitResult> {
  const { now, sleep, startedAt, deadline } = options.budget
  const unknownSeen = new Set<string>()
  const last: Last = { polls: 0 }

  for (;;) {
    try {
      const polledAt = now()
      const resource = await watched.read()
      const status = watched.statusOf(resource)
      Object.assign(last, { resource, status, polls: last.polls + 1 })
      options.onPoll?.(status, resource, last.polls)

      const meaning = watched.meaningOf(status)
      if (meaning === 'done' || meaning === 'failed') {
        return { resource, status, polls: last.polls, outcome: meaning }
      }
      if (meaning === undefined && !unknownSeen.has(status)) {
        unknownSeen.add(status)
        options.onUnknownStatus?.(status)
      }

      // The interval runs from the start of one poll to the start of the next,
      // so the time a request takes does not add to how late a result is seen.
      const nextPollAt = polledAt + pollIntervalAt(options.pollIntervalMs, polledAt - startedAt)
      // Never sleep past the deadline. When the deadline comes before the next
      // poll would, sleep until it and stop: decided here, not by re-reading the
      // clock, because a timer can fire a millisecond early.
      const remaining = deadline - now()
      if (remaining <= nextPollAt - now()) {
        if (remaining > 0) await sleep(remaining)
        return { ...last, outcome: 'timedOut' }
      }
      // A timer can fire a millisecond early: never poll before the interval is up.
      while (now() < nextPollAt) await sleep(Math.ceil(nextPollAt - now()))
    } catch (error) {
      return endedBy(error, last)
    }
  }
}

/** The end of a wait, or of a step before it, that an error brought about. */
export function endedBy(error: unknown, last: Last = { polls: 0 }): WaitResult {
  if (error instanceof DeadlineExceededError) return { ...last, outcome: 'timedOut', cause: error }
  if (error instanceof CancelledError) return { ...last, outcome: 'cancelled' }
  return { ...last, outcome: 'error', error }
}
