// The job summary as data: what every front door shows at the end of a step. The headline says
// the outcome, the connection and what was done; the rows say what was sent; a failure carries
// Graph's message, its error.details and what to do; the secondary facts (IDs, polls, timings)
// are details a front door may fold. Pure: the action renders it as HTML, the command line as
// lines. Text in it is plain text (a front door escapes it); a place in a file is a FileLine,
// which only a front door that knows the repository turns into a link.
import { asObject, stringField } from './json.js'
import { inert, truncate } from './text.js'

/** A fact: "Schema file: connector/schema.json". */
export interface SummaryRow {
  label: string
  value: string
  /** Shown as code: an ID, a file, or a value from Graph. */
  code?: boolean
}

/** A line of a file in the workspace, as the step read it (the path as the input gave it). */
export interface FileLine {
  path: string
  line: number
}

/** A table cell: text, shown as code or not, that may point at a line of a file. */
export interface SummaryCell {
  text: string
  code?: boolean
  at?: FileLine
}
export type Cell = string | SummaryCell

/** A table of its own in the summary: the findings, the changes, the readiness list. */
export interface SummaryTable {
  caption: string
  /** One line under the caption: "2 added, 1 changed, 1 removed". */
  counts?: string
  head: string[]
  rows: Cell[][]
}

/** One item of Graph's error.details. */
export interface ErrorDetail {
  target: string
  code: string
  message: string
  /** The target's line in the file sent, when it names a property of it. */
  at?: FileLine
}

/** Why the step failed, as Graph said it. */
export interface SummaryFailure {
  /** Graph's message (or the step's own), a paragraph. */
  message: string
  /** error.details, one row each. */
  details: ErrorDetail[]
  /** The IDs of Graph's answer (request, client request, correlation) and its date. */
  ids: SummaryRow[]
  /** Graph's error object as it answered, as indented JSON; bounded. */
  raw?: string
}

export interface Summary {
  /** One line: the outcome, the connection and what was done. Starts with ✅, ⚠️, 📝 or ❌. */
  headline: string
  /** What was done: the file, what was sent, how to resume. Always shown. */
  rows: SummaryRow[]
  failure?: SummaryFailure
  /** What to do next, for the causes the step knows. */
  todo?: string
  /** A sentence the headline has no room for. */
  note?: string
  tables?: SummaryTable[]
  /** Secondary facts (IDs, status, polls, timings): folded on success, open on failure. */
  details?: SummaryRow[]
}

/** error.details shown; the rest are counted in one more row. */
export const MAX_DETAILS = 20
/** The raw answer shown in the details. */
export const RAW_MAX = 4_000

/** Graph's error object (or a string) as a failure; the step's message when Graph said nothing. */
export function failureOf(error: unknown, fallback = ''): SummaryFailure {
  const object = asObject(error)
  const said =
    typeof error === 'string' ? error.trim() : stringField(object, 'message').trim() || fallback
  const items = Array.isArray(object?.details) ? object.details : []
  const details: ErrorDetail[] = items.slice(0, MAX_DETAILS).map(item => {
    const detail = asObject(item)
    const target = inert(stringField(detail, 'target'), 200)
    return {
      target,
      code: inert(stringField(detail, 'code'), 200),
      message: withoutTarget(inert(stringField(detail, 'message'), 2_000), target)
    }
  })
  if (items.length > details.length) {
    details.push({ target: '', code: '', message: `… and ${items.length - MAX_DETAILS} more` })
  }
  const inner = asObject(object?.innerError) ?? asObject(object?.innererror)
  const ids: SummaryRow[] = [
    ['Request ID', stringField(inner, 'request-id')],
    ['Client request ID', stringField(inner, 'client-request-id')],
    ['Correlation ID', correlationOf(said)],
    ['Date', stringField(inner, 'date')]
  ]
    .filter(([, value]) => value)
    .map(([label, value]) => ({ label, value: inert(value, 200), code: true }))
  return {
    // Line breaks kept: the front doors escape it (HTML) or make it inert (lines).
    message: truncate(said, 8_000),
    details,
    ids,
    ...(object && { raw: truncate(JSON.stringify(object, null, 2), RAW_MAX) })
  }
}

// "lastModified: Property lastModified: ..." reads the name twice: the Target column names it.
function withoutTarget(message: string, target: string): string {
  if (!target) return message
  const escaped = target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return message.replace(new RegExp(`^(property\\s+)?['"\`]?${escaped}['"\`]?\\s*:\\s*`, 'i'), '')
}

// Graph puts "CorrelationId: <guid>" in some messages (the schema operation's).
function correlationOf(message: string): string {
  return /correlation\s*id\s*[:=]\s*([0-9a-f-]{36})/i.exec(message)?.[1] ?? ''
}

/** Links each detail whose target is a property with a known line. */
export function withLines(
  failure: SummaryFailure,
  path: string,
  lines: ReadonlyMap<string, number> | undefined
): SummaryFailure {
  if (!lines) return failure
  const details = failure.details.map(detail => {
    const line = lines.get(detail.target.toLowerCase())
    return line === undefined ? detail : { ...detail, at: { path, line } }
  })
  return { ...failure, details }
}

/** "1 warning", "2 warnings" */
export function plural(count: number, word: string, words = `${word}s`): string {
  return `${count} ${count === 1 ? word : words}`
}

/** The headline's tail for warnings: " with 2 warnings", or nothing. */
export function withWarnings(warnings: number): string {
  return warnings > 0 ? ` with ${plural(warnings, 'warning')}` : ''
}

/**
 * The summary as plain lines, for a terminal or a log: the headline without its icon (the
 * front door's own prefix says the level), the rows, the failure's details as a list, what to
 * do, and the tables' captions and counts. Every line inert and bounded.
 */
export function summaryLines(summary: Summary): string[] {
  const lines = [summary.headline.replace(/^\S+\s/u, '')]
  for (const row of summary.rows) lines.push(`  ${row.label}: ${row.value}`)
  const { failure } = summary
  if (failure) {
    if (failure.message) lines.push(`  Graph said: ${failure.message}`)
    for (const detail of failure.details) {
      const code = detail.code ? ` (${detail.code})` : ''
      lines.push(`  - ${detail.target ? `${detail.target}: ` : ''}${detail.message}${code}`)
    }
    for (const id of failure.ids) lines.push(`  ${id.label}: ${id.value}`)
  }
  if (summary.todo) lines.push(`  What to do: ${summary.todo}`)
  for (const table of summary.tables ?? []) {
    if (table.counts) lines.push(`  ${table.caption}: ${table.counts}`)
  }
  return lines.map(line => inert(line, 4_000))
}

/** The summary's facts for --json: the same as the lines, as values. */
export function summaryJson(summary: Summary): Record<string, unknown> {
  return {
    headline: summary.headline,
    done: Object.fromEntries(summary.rows.map(row => [row.label, row.value])),
    ...(summary.failure && {
      failure: {
        message: summary.failure.message,
        details: summary.failure.details.map(({ target, code, message }) => ({
          target,
          code,
          message
        }))
      }
    }),
    ...(summary.todo && { todo: summary.todo }),
    details: Object.fromEntries(
      [...(summary.details ?? []), ...(summary.failure?.ids ?? [])].map(row => [
        row.label,
        row.value
      ])
    )
  }
}
