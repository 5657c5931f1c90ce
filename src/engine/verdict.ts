// What the end of a wait means, in words and values: the outputs, the one-line
// message, and the summary. Pure, and the same for every front door; each
// front door only renders it (annotations and a job summary, or a terminal).
import { ActionError, messageOf } from './errors.js'
import type { JsonObject } from './json.js'
import { ACTION_VOICE } from './model.js'
import type { Voice, WaitTarget } from './model.js'
import { GraphError } from './graph.js'
import { statusText } from './progress.js'
import type { Failure, Watch } from './targets.js'
import { failureOf, withLines, withWarnings } from './summary.js'
import type { Summary, SummaryFailure, SummaryRow } from './summary.js'
import { capitalize, formatDuration, formatSeconds, truncate } from './text.js'
import type { WaitResult } from './wait.js'

// Bounds on what a run writes, well under what GitHub keeps (1 MiB a job
// summary, 1 MiB of outputs a job): text from Graph can be of any size.
/** One message: an annotation, a log line. */
export const MESSAGE_MAX = 4_000
/** A text output (error-message) or a summary cell. */
export const TEXT_MAX = 8_000
/** A JSON output (operation, connection). */
export const JSON_MAX = 64_000
/** A status or a code: a word, when Graph is well. */
const WORD_MAX = 1_000

export const OUTPUT_NAMES = [
  'status',
  'error-code',
  'error-message',
  'operation',
  'connection',
  'elapsed-seconds',
  'operation-url',
  'changes'
] as const
export type Outputs = Record<(typeof OUTPUT_NAMES)[number], string>

export interface Verdict {
  /** pass: the step succeeds; warn: it succeeds with a warning; fail: it fails. */
  level: 'pass' | 'warn' | 'fail'
  /** One line: what happened, and what to do when it went wrong. */
  message: string
  /** What the message is about, e.g. for an annotation's title. */
  title: string
  outputs: Outputs
  summary: Summary
}

export interface VerdictContext {
  target: WaitTarget
  /** The operation's URL, when there is an operation. */
  operationUrl?: string
  watch: Pick<Watch, 'label' | 'failureOf'>
  timeoutMs: number
  failOnFailure: boolean
  elapsedMs: number
  /** How the message names the settings (the action's inputs when not given). */
  voice?: Voice
  /** What the step did before the wait (a deployment), for the headline and the rows. */
  deployed?: Deployed
}

/** A deployment, as the summary of the wait that follows it tells it. */
export interface Deployed {
  /** The headline's words on success: "schema deployed", "2 changes deployed". */
  done: string
  /** And on failure: "schema deployment", "deployment". */
  doing: string
  /** The file, what was sent. */
  rows: SummaryRow[]
  /** The warnings so far (findings, changes Graph may refuse): the headline counts them. */
  warnings: number
  /** The file sent and its properties' lines, to link error.details to them. */
  lines?: { path: string; byProperty: ReadonlyMap<string, number> }
}

/** What is known at the end of a step, for outputsOf. */
export interface OutputValues {
  target?: WaitTarget
  operationUrl?: string
  resource?: JsonObject
  status?: string
  failure?: Pick<Failure, 'code' | 'message'>
  elapsedMs: number
  /** With a connector file: the fields and schema properties that differ(ed). */
  changes?: number
}

/** Every output from what is known; what is not known is an empty string. */
export function outputsOf(values: OutputValues): Outputs {
  const { target, resource, failure } = values
  const json = resource ? boundedJson(resource) : ''
  return {
    status: truncate(values.status ?? '', WORD_MAX),
    'error-code': truncate(failure?.code ?? '', WORD_MAX),
    'error-message': truncate(failure?.message ?? '', TEXT_MAX),
    operation: target?.kind === 'operation' ? json : '',
    connection: target?.kind === 'connection' ? json : '',
    'elapsed-seconds': (values.elapsedMs / 1000).toFixed(1),
    'operation-url': values.operationUrl ?? '',
    changes: values.changes === undefined ? '' : String(values.changes)
  }
}

/**
 * What an error that ended a step means for the error-code and error-message
 * outputs: its stable code, and the message the step ends with (by default the
 * error's own; a front door may word it for itself).
 */
export function errorFailure(
  error: unknown,
  message = messageOf(error)
): Pick<Failure, 'code' | 'message'> {
  return { code: error instanceof ActionError ? error.code : 'UnexpectedError', message }
}

export function verdictOf(result: WaitResult, context: VerdictContext): Verdict {
  const { target, watch, elapsedMs, voice = ACTION_VOICE } = context
  const what = watch.label
  // A failed verdict always comes from a resource read.
  const failure = result.outcome === 'failed' ? watch.failureOf(result.resource ?? {}) : undefined
  const warnOnly = result.outcome === 'failed' && !context.failOnFailure

  let message: string
  switch (result.outcome) {
    case 'done':
      message = `${capitalize(what)}: ${statusText(result.status)} after ${formatSeconds(elapsedMs)} (${result.polls} ${result.polls === 1 ? 'poll' : 'polls'}).`
      break
    case 'failed':
      message = (failure as Failure).text
      if (warnOnly) message += ` Continuing because ${voice.name('fail-on-failure')} is false.`
      break
    case 'timedOut': {
      const advice = result.cause
        ? ` Last error: ${result.cause.message.replace(/\.$/, '')}.`
        : ` Raise ${voice.name('timeout-seconds')} if it needs longer.`
      message =
        `Timed out after ${formatSeconds(context.timeoutMs)} waiting for ${what}; ` +
        `last status: ${result.status === undefined ? 'none (not read yet)' : statusText(result.status)}.${advice}`
      break
    }
    case 'cancelled':
      message = `Cancelled after ${formatSeconds(elapsedMs)} while waiting for ${what}; last status: ${statusText(result.status ?? '')}.`
      break
    case 'error':
      message = messageOf(result.error)
  }

  const summary = summaryOf(result, context, failure, message, warnOnly)

  // Every failure says why in the outputs too, not only the operation's own.
  const outputFailure = ((): Pick<Failure, 'code' | 'message'> | undefined => {
    switch (result.outcome) {
      case 'done':
        return undefined
      case 'failed': {
        const { code, message: said, text } = failure as Failure
        return { code: code || 'OperationFailed', message: said || text }
      }
      case 'timedOut':
        return { code: 'Timeout', message }
      case 'cancelled':
        return { code: 'Cancelled', message }
      case 'error':
        return errorFailure(result.error, message)
    }
  })()
  message = truncate(message, MESSAGE_MAX)
  return {
    level: result.outcome === 'done' ? 'pass' : warnOnly ? 'warn' : 'fail',
    message,
    title: `Graph connector '${target.connectionId}'`,
    outputs: outputsOf({
      target,
      operationUrl: context.operationUrl,
      resource: result.resource,
      status: result.status,
      failure: outputFailure,
      elapsedMs
    }),
    summary
  }
}

/**
 * The resource as JSON for an output. One too large to be an output (a runaway
 * error message, say) keeps only what says what happened, each value cut short,
 * so the output is always valid JSON.
 */
function boundedJson(resource: JsonObject): string {
  const json = JSON.stringify(resource)
  if (json.length <= JSON_MAX) return json
  const short = (value: unknown): unknown =>
    typeof value === 'string' ? truncate(value, WORD_MAX) : undefined
  return JSON.stringify({
    id: short(resource.id),
    status: short(resource.status),
    state: short(resource.state),
    truncated: `The resource was ${json.length} characters of JSON, more than the ${JSON_MAX} an output holds.`
  })
}

/** The end of a validate-only step without a schema file: the inputs are valid. */
export function inputsCheckVerdict(
  connectionId: string,
  elapsedMs: number,
  voice: Voice = ACTION_VOICE
): Verdict {
  return {
    level: 'pass',
    message: `The inputs are valid; ${voice.name('validate-only')}: nothing was sent to Graph.`,
    title: `Graph connector '${connectionId}'`,
    outputs: outputsOf({ status: 'valid', elapsedMs }),
    summary: {
      headline: `✅ ${connectionId}: the inputs are valid (${voice.name('validate-only')}, nothing sent)`,
      rows: [{ label: 'Sent to Graph', value: `nothing: ${voice.name('validate-only')}` }],
      details: [{ label: 'Connection', value: connectionId, code: true }]
    }
  }
}

/** The wait's summary: the outcome in one line, what was done, why it failed, what to do. */
function summaryOf(
  result: WaitResult,
  context: VerdictContext,
  failure: Failure | undefined,
  message: string,
  warnOnly: boolean
): Summary {
  const { target, elapsedMs, deployed, voice = ACTION_VOICE } = context
  const operation = target.kind === 'operation'
  const details: SummaryRow[] = [
    { label: 'Connection', value: target.connectionId, code: true },
    ...(operation ? [{ label: 'Operation', value: target.operationId, code: true }] : []),
    result.status
      ? { label: 'Status', value: truncate(result.status, WORD_MAX), code: true }
      : { label: 'Status', value: 'none (not read yet)' },
    { label: 'Elapsed', value: formatDuration(elapsedMs) },
    { label: 'Polls', value: String(result.polls) }
  ]
  const rows: SummaryRow[] = [...(deployed?.rows ?? [])]
  const conn = target.connectionId
  const took = formatDuration(elapsedMs)
  const thing = operation ? 'the operation' : 'the connection'
  let headline: string
  let todo: string | undefined
  let note: string | undefined
  let graphFailure: SummaryFailure | undefined
  switch (result.outcome) {
    case 'done': {
      const warnings = deployed?.warnings ?? 0
      const done = deployed?.done ?? (operation ? 'operation completed' : 'connection ready')
      headline = `${warnings ? '⚠️' : '✅'} ${conn}: ${done} in ${took}${withWarnings(warnings)}`
      break
    }
    case 'failed': {
      const { code, error } = failure as Failure
      const doing = deployed?.doing ?? (operation ? 'operation' : 'connection')
      headline = operation
        ? `❌ ${conn}: ${doing} failed after ${took}`
        : `❌ ${conn}: connection ${truncate(result.status ?? '', 100)}`
      graphFailure = failureOf(error, (failure as Failure).message || (failure as Failure).text)
      if (code) details.push({ label: 'Error code', value: truncate(code, WORD_MAX), code: true })
      if (warnOnly) note = `The step passed because ${voice.name('fail-on-failure')} is false.`
      if (operation && deployed) {
        todo =
          'Fix the schema file where Graph points, then run the step again. A change Graph ' +
          'refuses on a connection that exists (a removed property, a changed type) needs ' +
          'the connection deleted and created again.'
      }
      break
    }
    case 'timedOut':
    case 'cancelled': {
      const timedOut = result.outcome === 'timedOut'
      const after = timedOut ? formatDuration(context.timeoutMs) : took
      const verb = timedOut ? 'timed out' : 'cancelled'
      headline = operation
        ? `❌ ${conn}: ${verb} after ${after}; the operation goes on in Graph`
        : `❌ ${conn}: ${verb} after ${after} waiting for the connection to be ready`
      if (context.operationUrl) {
        rows.push({
          label: `Resume with ${voice.name('operation-url')}`,
          value: context.operationUrl,
          code: true
        })
      }
      rows.push({
        label: voice.name('timeout-seconds'),
        value: String(Math.round(context.timeoutMs / 1000)),
        code: true
      })
      // The todo says what the message advises; a last error is news.
      if (result.outcome === 'timedOut' && result.cause) note = message
      todo = operation
        ? `Graph goes on with the operation. To wait for it again, run the step with ` +
          `${voice.name('operation-url')} set to the URL above` +
          (timedOut ? `, and a longer ${voice.name('timeout-seconds')} if it needs longer.` : '.')
        : `Run the step again${timedOut ? ` with a longer ${voice.name('timeout-seconds')}` : ''}.`
      break
    }
    case 'error': {
      const error = result.error
      headline = deployed
        ? `❌ ${conn}: ${deployed.doing} failed`
        : `❌ ${conn}: could not read ${thing}`
      const answer = error instanceof GraphError ? error.answer : undefined
      graphFailure = answer ? failureOf(answer.error, message) : { message, details: [], ids: [] }
      if (answer && answer.error !== undefined) graphFailure.message = message
      todo = todoFor(answer?.status, voice)
      if (error instanceof ActionError && error.code) {
        details.push({ label: 'Error code', value: truncate(error.code, WORD_MAX), code: true })
      }
    }
  }
  if (graphFailure && deployed?.lines) {
    graphFailure = withLines(graphFailure, deployed.lines.path, deployed.lines.byProperty)
  }
  return {
    headline,
    rows,
    ...(graphFailure && { failure: graphFailure }),
    ...(todo && { todo }),
    ...(note && { note }),
    details
  }
}

/** What to do about a Graph answer the step knows the cause of. */
function todoFor(status: number | undefined, voice: Voice): string | undefined {
  if (status === 401) {
    return (
      `Check that ${voice.name('tenant-id')}, ${voice.name('graph-url')} and ${voice.name('cloud')} ` +
      'are the tenant and cloud the app signs in to.'
    )
  }
  if (status === 403) {
    return (
      'Grant the app the Microsoft Graph application permission ' +
      'ExternalConnection.ReadWrite.OwnedBy (or ExternalConnection.ReadWrite.All) with admin ' +
      'consent, then run the step again.'
    )
  }
  return undefined
}
