// Everything the user sees: progress lines, outputs, and the verdict.
import * as core from '@actions/core'
import { ActionError } from './errors.js'
import type { ConnectionOperation } from './graph.js'
import type { WaitResult } from './wait.js'

export interface ReportContext {
  connectionId: string
  operationId: string
  timeoutMs: number
  failOnFailure: boolean
  elapsedMs: number
}

const HEARTBEAT_MS = 60_000

/** Logs a line when the status changes, and at most once a minute while it does not. */
export function pollLogger(now: () => number, startedAt: number) {
  let lastStatus: string | undefined
  let lastLineAt = -Infinity
  return (operation: ConnectionOperation, polls: number): void => {
    const at = now()
    const elapsed = seconds(at - startedAt)
    core.debug(`Poll ${polls} at ${elapsed}: ${JSON.stringify(operation)}`)
    if (operation.status !== lastStatus) {
      core.info(`Status: ${operation.status} (poll ${polls}, ${elapsed})`)
    } else if (at - lastLineAt >= HEARTBEAT_MS) {
      core.info(`Still ${operation.status} after ${elapsed} (poll ${polls})`)
    } else {
      return
    }
    lastStatus = operation.status
    lastLineAt = at
  }
}

/** One line per retry: what went wrong and how long the wait is. */
export function logRetry(error: Error, delayMs: number, retry: number): void {
  core.info(`${error.message.replace(/\.$/, '')}; retry ${retry} in ${seconds(delayMs)}`)
}

export function warnUnknownStatus(status: string): void {
  core.warning(
    `Graph reported the status '${status}', which this action does not know; ` +
      'it keeps waiting for completed or failed.'
  )
}

/** Sets all outputs, then passes, warns or fails the step. */
export function reportResult(result: WaitResult, context: ReportContext): void {
  setOutputs(result.operation, context.elapsedMs)
  const what = `Operation '${context.operationId}' of connection '${context.connectionId}'`
  switch (result.outcome) {
    case 'completed':
      core.info(`${what} completed after ${seconds(context.elapsedMs)} (${result.polls} polls).`)
      return
    case 'failed': {
      const message = `${what} failed: ${operationErrorText(result.operation)}`
      if (context.failOnFailure) {
        core.setFailed(message)
      } else {
        core.warning(`${message} Continuing because fail-on-failure is false.`)
      }
      return
    }
    case 'timedOut': {
      const status = result.operation?.status ?? 'none (not read yet)'
      const advice = result.cause
        ? ` Last error: ${result.cause.message.replace(/\.$/, '')}.`
        : ' Raise timeout-seconds if the operation needs longer.'
      core.setFailed(
        `Timed out after ${seconds(context.timeoutMs)} waiting for ${what.toLowerCase()}; ` +
          `last status: ${status}.${advice}`
      )
      return
    }
    case 'cancelled':
      core.setFailed(
        `Cancelled after ${seconds(context.elapsedMs)} while waiting for ${what.toLowerCase()}; ` +
          `last status: ${result.operation?.status ?? 'none'}.`
      )
      return
    case 'error':
      failWithError(result.error)
  }
}

/** Sets every output from what is known; unknown values are empty strings. */
export function setOutputs(operation: ConnectionOperation | undefined, elapsedMs: number): void {
  core.setOutput('status', operation?.status ?? '')
  core.setOutput('error-code', operation?.error?.code ?? '')
  core.setOutput('error-message', operation?.error?.message ?? '')
  core.setOutput('operation', operation ? JSON.stringify(operation) : '')
  core.setOutput('elapsed-seconds', (elapsedMs / 1000).toFixed(1))
}

/** One annotation with the error's own message; the stack only in debug logs. */
export function failWithError(error: unknown): void {
  if (error instanceof ActionError) {
    core.setFailed(error.message)
  } else if (error instanceof Error) {
    core.setFailed(`Unexpected error: ${error.message}`)
    if (error.stack) core.debug(error.stack)
  } else {
    core.setFailed(`Unexpected error: ${String(error)}`)
  }
}

function operationErrorText(operation: ConnectionOperation): string {
  const { code, message } = operation.error ?? {}
  if (!message) return `Graph gave no error message${code ? ` (code ${code})` : ''}.`
  return `${message}${code ? ` (code ${code})` : ''}`
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
}
