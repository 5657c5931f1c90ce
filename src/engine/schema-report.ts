// What a schema check and a schema submission mean for the verdict and the
// summary: the schema file's findings, the changes, and the verdicts of the
// steps that end without a wait. Pure, like verdict.ts.
import type { JsonObject } from './json.js'
import type { Finding } from './schema.js'
import type { SchemaDiff } from './schema-diff.js'
import { ACTION_VOICE } from './model.js'
import type { SchemaTarget, Voice } from './model.js'
import { inert, truncate } from './text.js'
import { MESSAGE_MAX, TEXT_MAX, outputsOf } from './verdict.js'
import type { SummaryTable, Verdict } from './verdict.js'

/** The error-code of a schema file with errors: bad input, found before any request. */
export const INVALID_SCHEMA_FILE = 'InvalidSchemaFile'
/** The error-code of a connector file (or a file it names) with errors. */
export const INVALID_CONNECTOR_FILE = 'InvalidConnectorFile'

/** What kind of file a check read: how verdicts name it, and the code of its errors. */
export interface CheckedFileKind {
  label: string
  code: string
}
export const SCHEMA_FILE: CheckedFileKind = { label: 'Schema file', code: INVALID_SCHEMA_FILE }
export const CONNECTOR_FILE: CheckedFileKind = {
  label: 'Connector file',
  code: INVALID_CONNECTOR_FILE
}

/** The schema file as the input names it, safe to print. */
export function schemaFileName(target: Pick<SchemaTarget, 'schemaFile'>): string {
  return inert(target.schemaFile.shown, 200)
}

/** A summary table holds at most this many findings; the rest are counted. */
export const MAX_ROWS = 200
/** A run annotates at most this many findings (errors first); one more line counts the rest. */
export const MAX_ANNOTATIONS = 50

/** The findings to annotate, errors first and each kind in file order, and how many are left. */
export function findingsToAnnotate(findings: Finding[]): { shown: Finding[]; more: number } {
  const ordered = [
    ...findings.filter(f => f.severity === 'error'),
    ...findings.filter(f => f.severity !== 'error')
  ]
  const shown = ordered.slice(0, MAX_ANNOTATIONS)
  return { shown, more: ordered.length - shown.length }
}

/** The line after the annotations, when some findings were left out of them. */
export function moreFindingsLine(more: number, where: string, file = 'the schema file'): string {
  return `… and ${more} more finding${more === 1 ? '' : 's'} in ${file}; ${where}.`
}

export function findingsTable(
  file: string,
  findings: Finding[],
  kind: CheckedFileKind = SCHEMA_FILE
): SummaryTable {
  // A finding in another file (one a connector file names) says which.
  const where = (f: Finding): string =>
    (f.file && inert(f.file, 200) !== file ? `${inert(f.file, 200)}:` : '') +
    (f.line === undefined ? '' : String(f.line))
  const rows = findings
    .slice(0, MAX_ROWS)
    .map(f => [
      f.severity === 'error' ? '❌ error' : '⚠️ warning',
      f.property ?? '',
      where(f),
      f.message
    ])
  if (findings.length > MAX_ROWS)
    rows.push(['', '', '', `… and ${findings.length - MAX_ROWS} more`])
  return {
    caption: `${kind.label} ${file}: ${count(findings)}`,
    head: ['Severity', 'Property', 'Line', 'Finding'],
    rows
  }
}

export function changesTable(diff: SchemaDiff): SummaryTable {
  const name = (text: string): string => inert(text, 100)
  return {
    caption: 'Schema changes',
    head: ['Change', 'Property', 'Fields'],
    rows: [
      ...diff.added.map(p => ['added', name(p), '']),
      ...diff.changed.map(c => ['changed', name(c.name), c.fields.join(', ')]),
      ...diff.removed.map(p => ['removed', name(p), ''])
    ].slice(0, MAX_ROWS)
  }
}

/** "2 errors and 1 warning", "no findings" */
export function count(findings: Finding[]): string {
  const errors = findings.filter(f => f.severity === 'error').length
  const warnings = findings.length - errors
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`
  if (findings.length === 0) return 'no findings'
  return [errors && plural(errors, 'error'), warnings && plural(warnings, 'warning')]
    .filter(Boolean)
    .join(' and ')
}

/**
 * The end of a step whose schema file has errors (nothing was sent), or of a
 * validate-only step whose inputs and schema file are valid.
 */
export function schemaCheckVerdict(
  target: Pick<SchemaTarget, 'connectionId' | 'schemaFile'>,
  findings: Finding[],
  elapsedMs: number,
  voice: Voice = ACTION_VOICE,
  kind: CheckedFileKind = SCHEMA_FILE
): Verdict {
  const file = schemaFileName(target)
  const { label } = kind
  const errors = findings.filter(f => f.severity === 'error')
  const valid = errors.length === 0
  const message = valid
    ? `${label} ${file} is valid (${count(findings)}); ${voice.name('validate-only')}: ` +
      'nothing was sent to Graph.'
    : `${label} ${file} has ${count(findings)}; nothing was sent to Graph. ` +
      `First error: ${errors[0].message}`
  const outputs = outputsOf({ status: valid ? 'valid' : 'invalid', elapsedMs })
  if (!valid) {
    outputs['error-code'] = kind.code
    outputs['error-message'] = truncate(errors.map(f => f.message).join('\n'), TEXT_MAX)
  }
  return {
    level: valid ? 'pass' : 'fail',
    message: truncate(message, MESSAGE_MAX),
    // Checked for no connection in particular (validate-only), the step is about the file.
    title: target.connectionId ? `Graph connector '${target.connectionId}'` : `${label} ${file}`,
    outputs,
    summary: {
      headline: valid ? `✅ ${label} ${file} is valid` : `❌ ${label} ${file}: ${count(findings)}`,
      rows: [
        ...(target.connectionId
          ? [{ label: 'Connection', value: target.connectionId, code: true }]
          : []),
        { label, value: file, code: true },
        { label: 'Sent to Graph', value: 'nothing' }
      ],
      tables: findings.length ? [findingsTable(file, findings, kind)] : []
    }
  }
}

/** The end of a step whose schema was already in place on a ready connection: no PATCH. */
export function inPlaceVerdict(
  target: Pick<SchemaTarget, 'connectionId' | 'schemaFile'>,
  connection: JsonObject,
  elapsedMs: number
): Verdict {
  const { connectionId } = target
  const file = schemaFileName(target)
  return {
    level: 'pass',
    message:
      `Connection '${connectionId}' already has the schema in ${file} and is ready: ` +
      'no PATCH was sent.',
    title: `Graph connector '${connectionId}'`,
    outputs: outputsOf({
      target: { kind: 'connection', connectionId },
      resource: connection,
      status: 'ready',
      elapsedMs
    }),
    summary: {
      headline: `✅ Connection '${connectionId}': schema already in place`,
      rows: [
        { label: 'Connection', value: connectionId, code: true },
        { label: 'Schema file', value: file, code: true },
        { label: 'Status', value: 'ready', code: true },
        { label: 'Sent to Graph', value: 'no PATCH: the schema was already in place' }
      ]
    }
  }
}
