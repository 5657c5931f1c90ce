// What a schema check and a schema submission mean for the verdict and the
// summary: the schema file's findings, the changes, and the verdicts of the
// steps that end without a wait. Pure, like verdict.ts.
import type { JsonObject } from './json.js'
import type { Finding } from './schema.js'
import type { SchemaDiff } from './schema-diff.js'
import { ACTION_VOICE } from './model.js'
import type { SchemaTarget, Voice } from './model.js'
import type { Schema } from './schema.js'
import { plural, withWarnings } from './summary.js'
import type { Cell, SummaryTable } from './summary.js'
import { inert, truncate } from './text.js'
import { MESSAGE_MAX, TEXT_MAX, outputsOf } from './verdict.js'
import type { Verdict } from './verdict.js'

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

/**
 * The findings as a table: severity, the property as code, the line (a place a front door may
 * link: `path` is the file checked as the input gave it), the finding without the property's name
 * again. A column no finding fills is left out.
 */
export function findingsTable(file: string, findings: Finding[], path?: string): SummaryTable {
  // A finding in another file (one a connector file names) says which, relative to the workspace.
  const where = (f: Finding): Cell => {
    if (f.line === undefined) return ''
    const other = f.file && inert(f.file, 200) !== file ? inert(f.file, 200) : ''
    const text = `${other ? `${other}:` : ''}${f.line}`
    if (path === undefined) return text
    // readConnectorFile names each finding's file as the input would (from the workspace).
    const at = other && f.file ? f.file : path
    return { text, at: { path: at, line: f.line } }
  }
  const shown = findings.slice(0, MAX_ROWS)
  const rows: Cell[][] = shown.map(f => [
    f.severity === 'error' ? '❌ error' : '⚠️ warning',
    f.property ? { text: inert(f.property, 100), code: true } : '',
    where(f),
    f.property ? withoutProperty(f.message, f.property) : f.message
  ])
  if (findings.length > MAX_ROWS)
    rows.push(['', '', '', `… and ${findings.length - MAX_ROWS} more`])
  const head = ['Severity', 'Property', 'Line', 'Finding']
  // Columns 1 (Property) and 2 (Line) go when no finding has one.
  const keep = head.map(
    (_, column) => (column !== 1 && column !== 2) || rows.some(row => row[column] !== '')
  )
  return {
    caption: 'Findings',
    counts: count(findings),
    head: head.filter((_, column) => keep[column]),
    rows: rows.map(row => row.filter((_, column) => keep[column]))
  }
}

// "Property 'title': ..." beside a Property column that says title.
function withoutProperty(message: string, property: string): string {
  const prefix = `Property '${property}': `
  if (!message.startsWith(prefix)) return message
  const rest = message.slice(prefix.length)
  // A sentence starts with a capital; a name such as isSearchable keeps its spelling.
  return /^[a-z]+[A-Z]/.test(rest) ? rest : rest.charAt(0).toUpperCase() + rest.slice(1)
}

/**
 * The schema's changes: a count line, each property with what changed (the added one's type,
 * flags, labels and aliases; the changed one's fields), and ⚠️ with the reason on each change
 * Graph may refuse. `schema` is the one sent, to describe the properties added.
 */
export function changesTable(diff: SchemaDiff, schema?: Schema): SummaryTable {
  const name = (text: string): Cell => ({ text: inert(text, 100), code: true })
  const sent = new Map((schema?.properties ?? []).map(p => [p.name.toLowerCase(), p]))
  const warningFor = (property: string): string => {
    const quoted = `'${property}'`
    const warning = diff.warnings.find(w => w.includes(quoted))
    return warning ? ` ⚠️ ${inert(warning, 400)}` : ''
  }
  const rows: Cell[][] = [
    ...diff.added.map(p => ['added', name(p), describeProperty(sent.get(p.toLowerCase()))]),
    ...diff.changed.map(c => [
      'changed',
      name(c.name),
      (c.fields.join(', ') + warningFor(c.name)).trim()
    ]),
    ...diff.removed.map(p => [
      '⚠️ removed',
      name(p),
      warningFor(p).trim() ||
        '⚠️ Removing a property is not a documented schema update: Graph may refuse it.'
    ])
  ]
  const shown = rows.slice(0, MAX_ROWS)
  if (rows.length > shown.length) shown.push(['', '', `… and ${rows.length - shown.length} more`])
  const counts = [
    diff.added.length && `${diff.added.length} added`,
    diff.changed.length && `${diff.changed.length} changed`,
    diff.removed.length && `${diff.removed.length} removed`
  ]
    .filter(Boolean)
    .join(', ')
  return {
    caption: 'Schema changes',
    counts: counts || 'no property changed',
    head: ['Change', 'Property', 'Fields'],
    rows: shown
  }
}

/** An added property in a few words: "String; searchable, retrievable; labels title". */
function describeProperty(property: Schema['properties'][number] | undefined): string {
  if (!property) return ''
  const flags = Object.entries(property)
    .filter(([key, value]) => /^is[A-Z]/.test(key) && value === true)
    .map(([key]) => key.slice(2).toLowerCase())
  const list = (key: string): string[] =>
    Array.isArray(property[key]) ? (property[key] as unknown[]).map(v => inert(String(v), 60)) : []
  return [
    inert(String(property.type), 40),
    flags.join(', '),
    list('labels').length ? `labels ${list('labels').join(', ')}` : '',
    list('aliases').length ? `aliases ${list('aliases').join(', ')}` : ''
  ]
    .filter(Boolean)
    .join('; ')
}

/** The warnings of a check, for the headline. */
export function warningCount(findings: Finding[]): number {
  return findings.filter(f => f.severity !== 'error').length
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
  kind: CheckedFileKind = SCHEMA_FILE,
  validateOnly = true
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
  const errorsIcon = !valid ? '❌' : warningCount(findings) ? '⚠️' : '✅'
  return {
    level: valid ? 'pass' : 'fail',
    message: truncate(message, MESSAGE_MAX),
    // Checked for no connection in particular (validate-only), the step is about the file.
    title: target.connectionId ? `Graph connector '${target.connectionId}'` : `${label} ${file}`,
    outputs,
    summary: {
      headline:
        `${errorsIcon} Checked ${file}: ${count(findings)} ` +
        `(${validateOnly ? `${voice.name('validate-only')}, ` : ''}nothing sent)`,
      rows: [
        { label, value: file, code: true },
        {
          label: 'Sent to Graph',
          value: validateOnly
            ? `nothing: ${voice.name('validate-only')} checks the file only`
            : 'nothing: the file has errors'
        }
      ],
      ...(!valid && {
        todo: `Fix the ${plural(errors.length, 'error')} on the lines below, then run the step again.`
      }),
      tables: findings.length ? [findingsTable(file, findings, target.schemaFile.shown)] : []
    }
  }
}

/** The end of a step whose schema was already in place on a ready connection: no PATCH. */
export function inPlaceVerdict(
  target: Pick<SchemaTarget, 'connectionId' | 'schemaFile'>,
  connection: JsonObject,
  elapsedMs: number,
  warnings = 0
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
      headline: `${warnings ? '⚠️' : '✅'} ${connectionId}: schema already in place${withWarnings(warnings)}`,
      rows: [
        { label: 'Schema file', value: file, code: true },
        { label: 'Sent to Graph', value: 'no PATCH: the schema was already in place' }
      ],
      details: [
        { label: 'Connection', value: connectionId, code: true },
        { label: 'Status', value: 'ready', code: true }
      ]
    }
  }
}
