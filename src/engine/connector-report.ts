// What a connector file's plan and deployment mean for the verdict and the
// summary: the list of changes with their class, the plan's verdict (a drift
// check fails on any change), the verdict of a connector already in sync, and
// the readiness list after a deployment. Pure, like verdict.ts.
//
// The readiness list follows the PnP CLI's `external connection doctor` checks
// that need no other API (labels, a searchable property, a result template, a
// URL resolver), plus what no API can do: the admin center's settings.
import { describeChange } from './connection-diff.js'
import type { ConnectorSpec } from './connector-file.js'
import { ActionError } from './errors.js'
import type { JsonObject } from './json.js'
import { asObject } from './json.js'
import type { InputFile, Voice } from './model.js'
import { CHANGES_FOUND, changeCount, changeLines } from './reconcile.js'
import type { ConnectorPlan } from './reconcile.js'
import { MAX_ROWS } from './schema-report.js'
import { formatDuration, inert, truncate } from './text.js'
import { recreateAdvice } from './schema-changes.js'
import { plural, withWarnings } from './summary.js'
import type { Cell, SummaryRow, SummaryTable } from './summary.js'
import { MESSAGE_MAX, TEXT_MAX, outputsOf } from './verdict.js'
import type { Verdict } from './verdict.js'

/** Changes a message names; the summary lists them all (up to MAX_ROWS). */
const MESSAGE_CHANGES = 5

export interface PlanContext {
  connectorFile: InputFile
  failOnChanges: boolean
  elapsedMs: number
  voice: Voice
}

/** The icon of a change's class: a refused change fails, a re-ingestion is a warning. */
const CLASS_ICON: Record<string, string> = { refused: '❌ ', reingest: '⚠️ ', accepted: '' }

/** The changes a plan makes, field by field and property by property, with their class. */
export function planTable(plan: ConnectorPlan): SummaryTable {
  const fieldClass = plan.current ? 'update' : 'create'
  const rows: Cell[][] = [
    ...plan.fields.map(change => [
      { text: inert(change.field, 40), code: true },
      'field',
      fieldClass,
      describeChange(change)
    ]),
    ...plan.schema.map(change => [
      { text: inert(change.property, 40), code: true },
      `property ${change.change}`,
      `${CLASS_ICON[change.class] ?? ''}${change.class}`,
      change.reason
    ])
  ]
  if (plan.submitSchema && !plan.schema.length) {
    rows.push(['schema', '', 'accepted', 'The schema differs from Graph’s outside its properties.'])
  }
  const shown = rows.slice(0, MAX_ROWS)
  if (rows.length > shown.length) {
    shown.push(['', '', '', `… and ${rows.length - shown.length} more`])
  }
  // Properties: added, removed, or changed in any other way (each counted once).
  const kindOf = (change: string): string =>
    change === 'added' || change === 'removed' ? change : 'changed'
  const properties = (kind: string): number =>
    new Set(plan.schema.filter(c => kindOf(c.change) === kind).map(c => c.property.toLowerCase()))
      .size
  const counts = [
    plan.fields.length && plural(plan.fields.length, 'field'),
    ...['added', 'changed', 'removed'].map(
      kind => properties(kind) && `${plural(properties(kind), 'property', 'properties')} ${kind}`
    )
  ]
    .filter(Boolean)
    .join(', ')
  const count = changeCount(plan)
  return {
    caption: `Changes: ${count} ${count === 1 ? 'field or property' : 'fields and properties'}`,
    ...(counts && { counts }),
    head: ['Name', 'What', 'Class', 'Details'],
    rows: shown
  }
}

/** Warnings in a plan: the schema changes that need the items ingested again. */
export function planWarnings(plan: ConnectorPlan): number {
  return plan.schema.filter(change => change.class === 'reingest').length
}

/** The end of a plan: what merging would change; with fail-on-changes, any change fails. */
export function planVerdict(plan: ConnectorPlan, context: PlanContext): Verdict {
  const { connectionId } = plan
  const file = inert(context.connectorFile.shown, 200)
  const count = changeCount(plan)
  const drift = count > 0 && context.failOnChanges
  const warnings = planWarnings(plan)
  const lines = changeLines(plan)
  const named =
    lines.slice(0, MESSAGE_CHANGES).join('; ') +
    (lines.length > MESSAGE_CHANGES ? `; … and ${lines.length - MESSAGE_CHANGES} more` : '')
  const changes = plural(count, 'change')
  const message =
    count === 0
      ? `Connection '${connectionId}' matches ${file}: 0 changes. Nothing was written (plan).`
      : drift
        ? `Connection '${connectionId}' differs from ${file}: ${changes} (${named}). Nothing was ` +
          `written. Deploy the file, or bring the file up to date with what Graph has.`
        : `Plan for connection '${connectionId}'${plan.current ? '' : ' (to be created)'}: ` +
          `${changes} (${named}). Nothing was written (plan).`
  const outputs = outputsOf({
    ...(plan.current && {
      target: { kind: 'connection', connectionId },
      resource: plan.current
    }),
    status: 'planned',
    elapsedMs: context.elapsedMs,
    changes: count,
    ...(drift && { failure: { code: CHANGES_FOUND, message: truncate(message, TEXT_MAX) } })
  })
  return {
    level: drift ? 'fail' : 'pass',
    message: truncate(message, MESSAGE_MAX),
    title: `Graph connector '${connectionId}'`,
    outputs,
    summary: {
      headline:
        count === 0
          ? `✅ ${connectionId}: in sync with ${file} (${context.voice.name('plan')}, nothing written)`
          : drift
            ? `❌ ${connectionId}: drift, ${changes} from ${file}`
            : `${warnings ? '⚠️' : '📝'} ${connectionId}: ${changes} planned` +
              `${withWarnings(warnings)} (${context.voice.name('plan')}, nothing written)`,
      rows: [
        { label: 'Connector file', value: file, code: true },
        {
          label: 'Connection on Graph',
          value: plan.current ? 'exists' : 'none: it would be created'
        },
        { label: 'Written to Graph', value: `nothing (${context.voice.name('plan')})` }
      ],
      ...(drift && {
        todo:
          'Deploy the file to bring the connection back to it, or bring the file up to date ' +
          'with what Graph has (the export command writes it).'
      }),
      tables: count ? [planTable(plan)] : [],
      details: [
        { label: 'Connection', value: connectionId, code: true },
        { label: 'Changes', value: String(count) },
        { label: 'Elapsed', value: formatDuration(context.elapsedMs) }
      ]
    }
  }
}

/** The failure of a plan or deployment a refused schema change stops, with the plan's table. */
export function refusedVerdict(
  plan: ConnectorPlan,
  error: ActionError,
  elapsedMs: number
): Verdict {
  const message = truncate(error.message, MESSAGE_MAX)
  const refused = plan.schema.filter(change => change.class === 'refused').length
  return {
    level: 'fail',
    message,
    title: `Graph connector '${plan.connectionId}'`,
    outputs: outputsOf({
      status: 'refused',
      elapsedMs,
      changes: changeCount(plan),
      failure: { code: error.code, message: truncate(error.message, TEXT_MAX) }
    }),
    summary: {
      headline: `❌ ${plan.connectionId}: Graph refuses ${plural(refused, 'schema change')}; nothing written`,
      rows: [{ label: 'Written to Graph', value: 'nothing' }],
      failure: { message, details: [], ids: [] },
      todo:
        'Put the property back as Graph has it, or make the change on a new connection: ' +
        recreateAdvice(plan.connectionId),
      tables: [planTable(plan)],
      details: [
        { label: 'Connection', value: plan.connectionId, code: true },
        { label: 'Error code', value: error.code, code: true }
      ]
    }
  }
}

/**
 * The end of a deployment whose connection is ready with the file's schema in place: no
 * schema operation to wait for. Nothing was written when it was in sync already.
 */
export function readyVerdict(
  plan: ConnectorPlan,
  connection: JsonObject,
  context: { connectorFile: InputFile; elapsedMs: number },
  readiness: SummaryTable
): Verdict {
  const { connectionId } = plan
  const file = inert(context.connectorFile.shown, 200)
  const count = changeCount(plan)
  const changes = plural(count, 'change')
  const warnings = readinessWarnings(readiness) + planWarnings(plan)
  const icon = warnings ? '⚠️' : '✅'
  return {
    level: 'pass',
    message:
      count === 0
        ? `Connection '${connectionId}' matches ${file} and is ready: nothing was written.`
        : `Connection '${connectionId}' now matches ${file} (${changes} written) and is ready.`,
    title: `Graph connector '${connectionId}'`,
    outputs: outputsOf({
      target: { kind: 'connection', connectionId },
      resource: connection,
      status: 'ready',
      elapsedMs: context.elapsedMs,
      changes: count
    }),
    summary: {
      headline:
        count === 0
          ? `${icon} ${connectionId}: in sync with ${file}, nothing written${withWarnings(warnings)}`
          : `${icon} ${connectionId}: ${changes} deployed in ${formatDuration(context.elapsedMs)}` +
            withWarnings(warnings),
      rows: [
        { label: 'Connector file', value: file, code: true },
        {
          label: 'Written to Graph',
          value:
            count === 0 ? 'nothing: the connection and schema match the file' : writtenText(plan)
        }
      ],
      tables: [...(count ? [planTable(plan)] : []), readiness],
      details: [
        { label: 'Connection', value: connectionId, code: true },
        { label: 'Status', value: 'ready', code: true },
        { label: 'Elapsed', value: formatDuration(context.elapsedMs) }
      ]
    }
  }
}

/** What a deployment wrote: the connection's fields, and the schema when it was sent. */
export function writtenText(plan: ConnectorPlan): string {
  const fields = plan.fields.map(change => inert(change.field, 40))
  const verb = plan.current ? 'PATCH' : 'POST'
  return (
    [
      fields.length ? `${verb} with ${fields.join(', ')}` : '',
      plan.submitSchema ? 'the schema (PATCH)' : ''
    ]
      .filter(Boolean)
      .join('; ') || 'nothing'
  )
}

/** The warnings of a readiness list: its ⚠️ rows. */
export function readinessWarnings(readiness: SummaryTable): number {
  return readiness.rows.filter(row => row[1] === '⚠️').length
}

/**
 * The end of a deployment whose file leaves the schema out, on a connection that is a draft: a
 * connection stays a draft until a schema is submitted, so no wait could end. It passes with a
 * warning: another step may submit the schema.
 */
export function draftWithoutSchemaVerdict(
  plan: ConnectorPlan,
  connection: JsonObject,
  context: { connectorFile: InputFile; elapsedMs: number },
  voice: Voice
): Verdict {
  const { connectionId } = plan
  const file = inert(context.connectorFile.shown, 200)
  const count = changeCount(plan)
  const state = inert(String(connection.state ?? 'none'), 40)
  const message =
    `Connection '${connectionId}' matches ${file}, but it is ${state}: a connection stays a ` +
    `draft until its schema is submitted, and ${file} has no "schema". Add one, or submit it ` +
    `with ${voice.name('schema-file')}.`
  return {
    level: 'warn',
    message,
    title: `Graph connector '${connectionId}'`,
    outputs: outputsOf({
      target: { kind: 'connection', connectionId },
      resource: connection,
      status: state,
      elapsedMs: context.elapsedMs,
      changes: count
    }),
    summary: {
      headline: `⚠️ ${connectionId}: ${state}, no schema in ${file}`,
      rows: [
        { label: 'Connector file', value: file, code: true },
        { label: 'Written to Graph', value: writtenText(plan) }
      ],
      note: message,
      tables: count ? [planTable(plan)] : [],
      details: [
        { label: 'Connection', value: connectionId, code: true },
        { label: 'Status', value: state, code: true },
        { label: 'Elapsed', value: formatDuration(context.elapsedMs) }
      ]
    }
  }
}

/**
 * After a deployment: what search and Copilot need that the schema and connection show, and
 * the admin center's steps no API can do. The connection is Graph's (fields the file leaves out
 * count too); the schema is the file's.
 */
export function readinessTable(spec: ConnectorSpec, connection: JsonObject): SummaryTable {
  const labels = new Set(
    (spec.schema?.properties ?? []).flatMap(p =>
      Array.isArray(p.labels) ? p.labels.map(label => String(label).toLowerCase()) : []
    )
  )
  const missing = ['title', 'url', 'iconUrl'].filter(label => !labels.has(label.toLowerCase()))
  const searchable = spec.schema?.properties.some(p => p.isSearchable === true)
  const templates = listIn(connection, 'searchSettings', 'searchResultTemplates')
  const resolvers = listIn(connection, 'activitySettings', 'urlToItemResolvers')
  const mark = (ok: boolean | undefined): string =>
    ok === undefined ? '➖ not in the file' : ok ? '✅' : '⚠️'
  const rows: string[][] = [
    [
      'title, url and iconUrl labels',
      mark(spec.schema && missing.length === 0),
      missing.length ? `Missing: ${missing.join(', ')}. Copilot cites items by them.` : ''
    ],
    [
      'A searchable property',
      mark(spec.schema && searchable),
      searchable ? '' : 'Without one, no item matches a search.'
    ],
    [
      'A result template',
      mark(templates > 0),
      templates ? '' : 'searchSettings.searchResultTemplates: how results look in Microsoft Search.'
    ],
    [
      'A URL resolver',
      mark(resolvers > 0),
      resolvers ? '' : 'activitySettings.urlToItemResolvers: turns shared links into items.'
    ],
    [
      'Included in search results and Copilot',
      '👉 admin center',
      'No API sets it: in the Microsoft 365 admin center, Search & intelligence, Data sources, ' +
        'check the connection is included in results and visible to Copilot ' +
        '(https://learn.microsoft.com/microsoftsearch/configure-connector).'
    ],
    [
      'A search vertical and result type',
      '👉 admin center',
      'Optional: https://learn.microsoft.com/microsoftsearch/manage-verticals.'
    ]
  ]
  return { caption: 'Readiness', head: ['Check', 'Result', 'Note'], rows }
}

/** How many elements a collection inside a field of the connection has. */
function listIn(connection: JsonObject, field: string, list: string): number {
  const value = asObject(connection[field])?.[list]
  return Array.isArray(value) ? value.length : 0
}

/** Rows the summary adds to a deployment's verdict: the file and the number of changes. */
export function deploymentRows(file: InputFile, plan: ConnectorPlan): SummaryRow[] {
  return [
    { label: 'Connector file', value: inert(file.shown, 200), code: true },
    { label: 'Written to Graph', value: writtenText(plan) }
  ]
}
