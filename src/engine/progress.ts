// The lines the engine writes while it works, the same from every front door:
// how it polls, each status change, a heartbeat, each retry, unknown statuses;
// and the same progress as events, for a front door that shows it live.
// The events carry the facts: a front door never reads them back from the lines.
import type { Budget } from './budget.js'
import type { JsonObject } from './json.js'
import type { Log } from './log.js'
import { ACTION_VOICE } from './model.js'
import type { Voice } from './model.js'
import { formatSeconds, inert } from './text.js'
import { AUTO_MAX_MS, AUTO_MIN_MS } from './wait.js'

/** What happens while the engine works, as facts, for a front door to render. */
export type ProgressEvent =
  /** A phase (the submission, the wait) starts or ends; its title is its log group's. */
  | { kind: 'phase'; state: 'start' | 'end'; title: string }
  /** Every poll: the status read ('' when Graph sent none) and how many polls so far. */
  | { kind: 'poll'; status: string; polls: number; elapsedMs: number }
  /** The status differs from the last poll's. */
  | { kind: 'status'; status: string; previous?: string; polls: number; elapsedMs: number }
  /** A request failed in a way worth retrying: the retry's number and the wait before it. */
  | { kind: 'retry'; retry: number; delayMs: number; reason: string }

export type OnProgress = (event: ProgressEvent) => void

const HEARTBEAT_MS = 60_000
/** How much of each polled resource a debug line shows. */
const DEBUG_JSON_MAX = 4_000

/** "Polling every 2 s at first, slowing to 30 s as the wait grows; timeout 1800 s" */
export function pollingPlan(pollIntervalMs: number | 'auto', timeoutMs: number): string {
  const every =
    pollIntervalMs === 'auto'
      ? `every ${AUTO_MIN_MS / 1000} s at first, slowing to ${AUTO_MAX_MS / 1000} s as the wait grows`
      : `every ${pollIntervalMs / 1000} s`
  return `Polling ${every}; timeout ${timeoutMs / 1000} s`
}

/**
 * Logs a line when the status changes, and at most once a minute while it
 * does not; hands each poll and each change on as an event.
 */
export function pollLogger(
  log: Pick<Log, 'info' | 'debug'>,
  budget: Pick<Budget, 'now' | 'startedAt'>,
  onProgress: OnProgress = () => {}
) {
  let lastStatus: string | undefined
  let lastLineAt = 0 // set with the first line, which the first poll always writes
  return (status: string, resource: JsonObject, polls: number): void => {
    const at = budget.now()
    const elapsedMs = at - budget.startedAt
    const elapsed = formatSeconds(elapsedMs)
    log.debug(`Poll ${polls} at ${elapsed}: ${inert(JSON.stringify(resource), DEBUG_JSON_MAX)}`)
    onProgress({ kind: 'poll', status, polls, elapsedMs })
    if (status !== lastStatus) {
      onProgress({
        kind: 'status',
        status,
        ...(lastStatus !== undefined && { previous: lastStatus }),
        polls,
        elapsedMs
      })
      log.info(`Status: ${statusText(status)} (poll ${polls}, ${elapsed})`)
    } else if (at - lastLineAt >= HEARTBEAT_MS) {
      log.info(`Still ${statusText(status)} after ${elapsed} (poll ${polls})`)
    } else {
      return
    }
    lastStatus = status
    lastLineAt = at
  }
}

/** A status as written in a line: made inert, or "none" when Graph sent none. */
export function statusText(status: string): string {
  return status ? inert(status, 100) : 'none'
}

export function unknownStatusWarning(status: string, voice: Voice = ACTION_VOICE): string {
  if (!status) {
    return (
      `Graph's answer has no status yet (it is null or missing); ${voice.self} keeps waiting. ` +
      `If it stays so, check ${voice.name('graph-url')}.`
    )
  }
  return (
    `Graph reported the status '${statusText(status)}', which ${voice.self} does not know; ` +
    'it keeps waiting until the wait ends one way or the other.'
  )
}

/** Warnings for statuses the action does not know, one each, but never more than this. */
export const MAX_UNKNOWN_STATUS_WARNINGS = 3

/**
 * Warns once for each of the first unknown statuses, logs the rest as plain
 * lines, and sums them up in one warning at the end, so a status that changes
 * on every poll cannot flood the run with annotations.
 */
export function unknownStatusWarnings(
  log: Pick<Log, 'info' | 'warning'>,
  voice: Voice = ACTION_VOICE
) {
  const more: string[] = []
  let warned = 0
  return {
    onUnknownStatus(status: string): void {
      if (warned < MAX_UNKNOWN_STATUS_WARNINGS) {
        warned++
        log.warning(unknownStatusWarning(status, voice))
      } else {
        more.push(statusText(status))
        log.info(`Graph reported another status ${voice.self} does not know: ${statusText(status)}`)
      }
    },
    /** The one warning for the statuses past the limit, if there were any. */
    finish(): void {
      if (more.length === 0) return
      const named = more.slice(0, 10).join(', ') + (more.length > 10 ? ', …' : '')
      log.warning(`… and ${more.length} more statuses ${voice.self} does not know: ${named}.`)
    }
  }
}

/** One line per retry: what went wrong and how long the wait is. */
export function retryLine(error: Error, delayMs: number, retry: number): string {
  return `${error.message.replace(/\.$/, '')}; retry ${retry} in ${formatSeconds(delayMs)}`
}
