// Puts a connector file on Graph: reads the connection and its schema, plans
// what would change (a plan stops there), then makes the connection match with
// one write (a POST for a new connection, else one PATCH with only the fields
// that differ, or nothing), reads it back, and submits the schema when it
// differs. A schema change Graph refuses fails before anything is written.
//
// Sources:
//   [update] "Update externalConnection" (externalconnectors-externalconnection-update): PATCH
//            answers 204; "don't include existing values that haven't changed"; the page lists
//            name, description and configuration (v1.0) as the properties to update.
//   [create] "Create externalConnection" (externalconnectors-external-post-connections): 201.
//   And schema-changes.ts for the classes of schema changes, connection-diff.ts for what differs.
import { ActionError } from './errors.js'
import type { GraphClient, OperationUrl } from './graph.js'
import type { JsonObject } from './json.js'
import { stringField } from './json.js'
import type { Log } from './log.js'
import type { ApiVersion, Voice } from './model.js'
import { describeChange, diffConnection, patchBody } from './connection-diff.js'
import type { FieldChange } from './connection-diff.js'
import type { ConnectorSpec } from './connector-file.js'
import { classifySchemaChanges, recreateAdvice } from './schema-changes.js'
import type { SchemaChange } from './schema-changes.js'
import { diffSchemas } from './schema-diff.js'
import { plural } from './summary.js'
import { inert } from './text.js'

/** The error-codes of the connector's own failures. */
export const SCHEMA_CHANGE_REFUSED = 'SchemaChangeRefused'
export const FIELD_NOT_UPDATED = 'FieldNotUpdated'
export const CHANGES_FOUND = 'ChangesFound'

/** [update] The fields the v1.0 page lists as updatable; others may be kept as they were. */
const UPDATABLE_ON_V1 = ['name', 'description', 'configuration']
/** Changes logged one by one; the rest are counted in one line (the summary lists them all). */
export const MAX_CHANGE_LINES = 20

/** What making Graph match the file would change. */
export interface ConnectorPlan {
  connectionId: string
  /** Graph's connection; undefined when there is none yet (it would be created). */
  current?: JsonObject
  /** The connection fields that differ (all of the file's, for a new connection). */
  fields: FieldChange[]
  /** The schema's changes, classed; none when the file has no schema or it is in place. */
  schema: SchemaChange[]
  /** The schema differs from Graph's (or Graph has none): it is submitted. */
  submitSchema: boolean
}

/** Reads the connection and its schema (2 requests) and compares them with the file. */
export async function planConnector(
  graph: GraphClient,
  spec: ConnectorSpec
): Promise<ConnectorPlan> {
  const current = await graph.findConnection(spec.id)
  const graphSchema = current && spec.schema ? await graph.getSchema(spec.id) : undefined
  const submitSchema =
    spec.schema !== undefined &&
    (graphSchema === undefined || !diffSchemas(graphSchema, spec.schema).same)
  return {
    connectionId: spec.id,
    ...(current && { current }),
    fields: diffConnection(current ?? {}, spec.fields),
    schema: submitSchema ? classifySchemaChanges(graphSchema, spec.schema, spec.id) : [],
    submitSchema
  }
}

/** The number of fields and schema properties that differ: the changes output. */
export function changeCount(plan: ConnectorPlan): number {
  const properties = new Set(plan.schema.map(change => change.property.toLowerCase())).size
  // A schema that differs only where no property does (its baseType, say) is one change.
  return plan.fields.length + (plan.submitSchema ? Math.max(properties, 1) : 0)
}

/** Each change in one line, bounded and inert: for logs and messages. */
export function changeLines(plan: ConnectorPlan): string[] {
  return [
    ...plan.fields.map(change => describeChange(change)),
    ...plan.schema.map(change => `[${change.class}] ${change.reason}`)
  ]
}

/** Logs the plan: each change, a bounded number of lines. */
export function logPlan(plan: ConnectorPlan, log: Pick<Log, 'info' | 'warning'>): void {
  const count = changeCount(plan)
  const what = plan.current
    ? `Connection '${plan.connectionId}'`
    : `New connection '${plan.connectionId}'`
  log.info(`${what}: ${plural(count, 'change')} to make.`)
  const lines = changeLines(plan)
  for (const line of lines.slice(0, MAX_CHANGE_LINES)) log.info(`  ${line}`)
  if (lines.length > MAX_CHANGE_LINES) {
    log.info(`  … and ${lines.length - MAX_CHANGE_LINES} more (the summary lists them all).`)
  }
  for (const change of plan.schema.filter(c => c.class === 'reingest').slice(0, MAX_CHANGE_LINES)) {
    log.warning(change.reason)
  }
}

/** A plan with schema changes Graph refuses: nothing is written. */
export class SchemaChangeRefused extends ActionError {
  override name = 'SchemaChangeRefused'
  constructor(
    message: string,
    /** The plan refused, for the summary's table. */
    readonly plan: ConnectorPlan
  ) {
    super(message, SCHEMA_CHANGE_REFUSED)
  }
}

/** The failure for a plan with schema changes Graph refuses; undefined when it has none. */
export function refusedChanges(plan: ConnectorPlan): SchemaChangeRefused | undefined {
  const refused = plan.schema.filter(change => change.class === 'refused')
  if (!refused.length) return undefined
  const each = refused
    .slice(0, MAX_CHANGE_LINES)
    .map(change => change.reason.replace(/ Graph needs the connection.*$/s, ''))
  const more = refused.length > each.length ? ` … and ${refused.length - each.length} more.` : ''
  return new SchemaChangeRefused(
    `The schema has ${plural(refused.length, 'change')} Graph ` +
      `refuses on an existing connection, so nothing was written: ${each.join(' ')}${more} ` +
      `${recreateAdvice(plan.connectionId)} (Graph's "Manage schema" guide and Microsoft ` +
      `Search's "Manage search schema": "You cannot delete an existing property for a published ` +
      'connection. To remove a property, you must delete and recreate a connection.")',
    plan
  )
}

export type Reconciled = (
  | /** The schema was submitted: wait for this operation. */
    { kind: 'submitted'; operation: OperationUrl; connection: JsonObject }
    /** The schema is in place (or not managed): the connection is ready, or to be waited on. */
  | { kind: 'inPlace'; connection: JsonObject; ready: boolean }
) & {
  /** The plan carried out: the one given, or, when the create found the connection there, a new one. */
  plan: ConnectorPlan
}

/**
 * Makes the connection match the file: creates it with every field of the file, or sends one
 * PATCH with the fields that differ; reads it back after a write; submits the schema when it
 * differs. Call refusedChanges first: a refused schema change must stop the step before this.
 */
export async function applyPlan(
  graph: GraphClient,
  spec: ConnectorSpec,
  planned: ConnectorPlan,
  context: { log: Pick<Log, 'info'>; voice: Voice; apiVersion: ApiVersion }
): Promise<Reconciled> {
  const { log } = context
  const id = spec.id
  let plan = planned
  let created = false
  if (!plan.current) {
    if ((await graph.createConnection({ ...spec.fields, id })) === 'created') {
      log.info(`Created connection '${id}' with ${Object.keys(spec.fields).length} fields.`)
      created = true
    } else {
      // Made meanwhile (or by a retry of this POST): planned again against what Graph has, and
      // its refused schema changes stop the step before any other write.
      log.info(`Connection '${id}' already exists (Graph answered 409); comparing it again.`)
      plan = await planConnector(graph, spec)
      const refused = refusedChanges(plan)
      if (refused) throw refused
    }
  }
  if (!created && plan.fields.length) await patch(graph, id, plan.fields, log)
  const wrote = created || plan.fields.length > 0
  const connection = wrote
    ? await graph.getConnection(id)
    : ((plan.current ?? (await graph.getConnection(id))) as JsonObject)
  if (wrote) readBack(id, connection, spec.fields, plan.fields, context)

  if (plan.submitSchema && spec.schema) {
    const operation = await graph.submitSchema(id, spec.schema)
    log.info(`Submitted the schema; Graph started operation '${operation.operationId}'.`)
    return { kind: 'submitted', operation, connection, plan }
  }
  const ready = stringField(connection, 'state').toLowerCase() === 'ready'
  if (!wrote) {
    log.info(
      `Connection '${id}' already matches the file; nothing was written` +
        (ready ? '.' : ', waiting for it to be ready.')
    )
  }
  return { kind: 'inPlace', connection, ready, plan }
}

/** [update] One PATCH with only the fields that differ, each as the file writes it. */
async function patch(
  graph: GraphClient,
  id: string,
  changes: FieldChange[],
  log: Pick<Log, 'info'>
): Promise<void> {
  await graph.updateConnection(id, patchBody(changes))
  const names = changes.map(change => change.field).join(', ')
  log.info(`Updated connection '${id}': ${inert(names, 400)}.`)
}

/**
 * [update] Graph may accept a PATCH and keep a field as it was (the page lists only some fields
 * as updatable): each field written must read back as the file has it.
 */
function readBack(
  id: string,
  connection: JsonObject,
  fields: JsonObject,
  written: FieldChange[],
  { voice, apiVersion }: { voice: Voice; apiVersion: ApiVersion }
): void {
  const writtenFields = Object.fromEntries(
    written.map(change => [change.field, fields[change.field]])
  )
  const kept = diffConnection(connection, writtenFields)
  if (!kept.length) return
  const each = kept.map(change => describeChange(change))
  const beta =
    apiVersion === 'v1.0' && kept.some(change => !UPDATABLE_ON_V1.includes(change.field))
      ? ` On v1.0 Graph documents only ${UPDATABLE_ON_V1.join(', ')} as updatable; ` +
        `${voice.assign('api-version', 'beta')} may update the others.`
      : ''
  throw new ActionError(
    `Graph accepted the write to connection '${id}' but ` +
      `${kept.length === 1 ? 'this field reads back' : 'these fields read back'} as before ` +
      `(Graph's value → the file's): ${each.join('; ')}.${beta}`,
    FIELD_NOT_UPDATED
  )
}
