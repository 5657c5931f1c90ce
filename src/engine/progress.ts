// The lines the engine writes while it works, the same from every front door:
// how it polls, each status change, a heartbeat, each retry, unknown statuses.
import type { Budget } from './budget.js'
import type { JsonObject } from './json.js'
import type { Log } from './log.js'
import { formatSeconds } from './text.js'
import { AUTO_MAX_MS, AUTO_MIN_MS } from './wait.js'

const HEARTBEAT_MS = 60_000

/** "Polling every 2 s at first, slowing to 30 s as the wait grows; timeout 1800 s" */
export function pollingPlan(pollIntervalMs: number | 'auto', timeoutMs: number): string {
  const every =
    pollIntervalMs === 'auto'
      ? `every ${AUTO_MIN_MS / 1000} s at first, slowing to ${AUTO_MAX_MS / 1000} s as the wait grows`
      : `every ${pollIntervalMs / 1000} s`
  return `Polling ${every}; timeout ${timeoutMs / 1000} s`
}

/** Logs a line when the status changes, and at most once a minute while it does not. */
export function pollLogger(
  log: Pick<Log, 'info' | 'debug'>,
  budget: Pick<Budget, 'now' | 'startedAt'>
) {
  let lastStatus: string | undefined
  let lastLineAt = 0 // set with the first line, which the first poll always writes
  return (status: string, resource: JsonObject, polls: number): void => {
    const at = budget.now()
    const elapsed = formatSeconds(at - budget.startedAt)
    log.debug(`Poll ${polls} at ${elapsed}: ${JSON.stringify(resource)}`)
    if (status !== lastStatus) {
      log.info(`Status: ${status} (poll ${polls}, ${elapsed})`)
    } else if (at - lastLineAt >= HEARTBEAT_MS) {
      log.info(`Still ${status} after ${elapsed} (poll ${polls})`)
    } else {
      return
    }
    lastStatus = status
    lastLineAt = at
  }
}

export function unknownStatusWarning(status: string): string {
  return (
    `Graph reported the status '${status}', which this action does not know; ` +
    'it keeps waiting until the wait ends one way or the other.'
  )
}

/** One line per retry: what went wrong and how long the wait is. */
export function retryLine(error: Error, delayMs: number, retry: number): string {
  return `${error.message.replace(/\.$/, '')}; retry ${retry} in ${formatSeconds(delayMs)}`
}
