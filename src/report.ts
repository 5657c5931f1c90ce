// Everything the user sees: progress lines, outputs, annotations and the job summary.
import * as core from '@actions/core'
import { ActionError } from './errors.js'
import type { JsonObject } from './http.js'
import type { Target } from './settings.js'
import type { Watch } from './targets.js'
import type { WaitResult } from './wait.js'

export interface ReportContext {
  target: Target
  watch: Pick<Watch, 'describe' | 'failureOf'>
  timeoutMs: number
  failOnFailure: boolean
  elapsedMs: number
}

const HEARTBEAT_MS = 60_000

/** Logs a line when the status changes, and at most once a minute while it does not. */
export function pollLogger(now: () => number, startedAt: number) {
  let lastStatus: string | undefined
  let lastLineAt = -Infinity
  return (status: string, resource: JsonObject, polls: number): void => {
    const at = now()
    const elapsed = seconds(at - startedAt)
    core.debug(`Poll ${polls} at ${elapsed}: ${JSON.stringify(resource)}`)
    if (status !== lastStatus) {
      core.info(`Status: ${status} (poll ${polls}, ${elapsed})`)
    } else if (at - lastLineAt >= HEARTBEAT_MS) {
      core.info(`Still ${status} after ${elapsed} (poll ${polls})`)
    } else {
      return
    }
    lastStatus = status
    lastLineAt = at
  }
}

export function warnUnknownStatus(status: string): void {
  core.warning(
    `Graph reported the status '${status}', which this action does not know; ` +
      'it keeps waiting until the wait ends one way or the other.'
  )
}

/** One line per retry: what went wrong and how long the wait is. */
export function logRetry(error: Error, delayMs: number, retry: number): void {
  core.info(`${error.message.replace(/\.$/, '')}; retry ${retry} in ${seconds(delayMs)}`)
}

/** Sets all outputs, writes the job summary, then passes, warns or fails the step. */
export async function reportResult(result: WaitResult, context: ReportContext): Promise<void> {
  const { target, watch, elapsedMs } = context
  const what = watch.describe
  const failure =
    result.outcome === 'failed' && result.resource ? watch.failureOf(result.resource) : undefined
  setOutputs({ target, resource: result.resource, status: result.status, failure, elapsedMs })

  let problem: string | undefined
  switch (result.outcome) {
    case 'done':
      core.info(
        `${capitalize(what)}: ${result.status} after ${seconds(elapsedMs)} (${result.polls} polls).`
      )
      break
    case 'failed':
      problem = failure?.text
      break
    case 'timedOut': {
      const advice = result.cause
        ? ` Last error: ${result.cause.message.replace(/\.$/, '')}.`
        : ' Raise timeout-seconds if it needs longer.'
      problem =
        `Timed out after ${seconds(context.timeoutMs)} waiting for ${what}; ` +
        `last status: ${result.status ?? 'none (not read yet)'}.${advice}`
      break
    }
    case 'cancelled':
      problem = `Cancelled after ${seconds(elapsedMs)} while waiting for ${what}; last status: ${result.status ?? 'none'}.`
      break
    case 'error':
      problem = messageOf(result.error)
  }

  const warnOnly = result.outcome === 'failed' && !context.failOnFailure
  await writeSummary({ result, context, problem, failure, warnOnly })
  if (!problem) return
  const title = `Graph connector '${target.connectionId}'`
  if (warnOnly) {
    core.warning(`${problem} Continuing because fail-on-failure is false.`, { title })
  } else {
    fail(problem, title)
  }
}

interface OutputValues {
  target?: Target
  resource?: JsonObject
  status?: string
  failure?: { code: string; message: string }
  elapsedMs: number
}

/** Sets every output from what is known; unknown values are empty strings. */
export function setOutputs({ target, resource, status, failure, elapsedMs }: OutputValues): void {
  const json = resource ? JSON.stringify(resource) : ''
  core.setOutput('status', status ?? '')
  core.setOutput('error-code', failure?.code ?? '')
  core.setOutput('error-message', failure?.message ?? '')
  core.setOutput('operation', target?.kind === 'operation' ? json : '')
  core.setOutput('connection', target?.kind === 'connection' ? json : '')
  core.setOutput('elapsed-seconds', (elapsedMs / 1000).toFixed(1))
}

/** One error annotation with the error's own message; a stack only in debug logs. */
export function failWithError(error: unknown): void {
  fail(messageOf(error))
}

function fail(message: string, title?: string): void {
  core.error(message, title ? { title } : {})
  process.exitCode = core.ExitCode.Failure
}

function messageOf(error: unknown): string {
  if (error instanceof ActionError) return error.message
  if (error instanceof Error) {
    if (error.stack) core.debug(error.stack)
    return `Unexpected error: ${error.message}`
  }
  return `Unexpected error: ${String(error)}`
}

function headline(result: WaitResult, what: string, warnOnly: boolean): string {
  switch (result.outcome) {
    case 'done':
      return `✅ ${capitalize(what)}: ${result.status}`
    case 'failed':
      return `${warnOnly ? '⚠️' : '❌'} ${capitalize(what)}: ${result.status}`
    case 'timedOut':
      return `⏱️ Timed out waiting for ${what}`
    case 'cancelled':
      return `🚫 Cancelled while waiting for ${what}`
    case 'error':
      return `❌ Could not read ${what}`
  }
}

/** A short Markdown job summary: what was waited for, the verdict, and why it failed. */
async function writeSummary(report: {
  result: WaitResult
  context: ReportContext
  problem?: string
  failure?: { code: string; message: string }
  warnOnly: boolean
}): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const { result, context, problem, failure, warnOnly } = report
  const { target } = context
  const rows: [string, string][] = [
    ['Connection', code(target.connectionId)],
    [
      'Operation',
      target.kind === 'operation'
        ? code(target.operationId)
        : 'none: waited for the connection to be ready'
    ],
    ['Status', result.status ? code(result.status) : 'none'],
    ['Elapsed', seconds(context.elapsedMs)],
    ['Polls', String(result.polls)]
  ]
  if (failure?.code) rows.push(['Error code', code(failure.code)])
  if (failure?.message) rows.push(['Error message', escapeHtml(failure.message)])
  const summary = core.summary
    .addHeading(escapeHtml(headline(result, context.watch.describe, warnOnly)), 3)
    .addTable([
      [
        { data: 'Field', header: true },
        { data: 'Value', header: true }
      ],
      ...rows
    ])
  if (warnOnly) summary.addRaw('The step passed because fail-on-failure is false.', true)
  else if (problem && !failure?.message) summary.addRaw(escapeHtml(problem), true)
  try {
    await summary.write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${messageOf(error)}`)
  }
}

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`
}

// core.summary writes table cells as raw HTML: Graph's text must not become markup.
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
}
