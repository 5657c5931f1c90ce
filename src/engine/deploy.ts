// Puts a checked schema on its connection, the same from every front door:
// creates the connection when asked, skips a PATCH that would change nothing
// (a schema operation takes minutes), and submits the rest. Returns what to
// wait for: the operation Graph started, or the connection.
import type { GraphClient, OperationUrl } from './graph.js'
import { GraphError } from './graph.js'
import type { JsonObject } from './json.js'
import { stringField } from './json.js'
import type { Log } from './log.js'
import type { Schema } from './schema.js'
import { diffSchemas } from './schema-diff.js'
import type { SchemaDiff } from './schema-diff.js'
import { ACTION_VOICE } from './model.js'
import type { SchemaTarget, Voice } from './model.js'
import { inert } from './text.js'

export type Deployment =
  /** The schema was submitted: wait for this operation. */
  | { kind: 'submitted'; operation: OperationUrl; created: boolean; diff?: SchemaDiff }
  /** The connection already has this schema; it is ready, or it is still to be waited on. */
  | { kind: 'inPlace'; connection: JsonObject; ready: boolean; created: boolean }

/** Warnings about schema changes logged one by one; the rest are counted in one line. */
export const MAX_CHANGE_WARNINGS = 10

export async function deploySchema(
  graph: GraphClient,
  target: SchemaTarget,
  schema: Schema,
  log: Pick<Log, 'info' | 'warning'>,
  voice: Voice = ACTION_VOICE
): Promise<Deployment> {
  const { connectionId } = target
  let connection = await graph.findConnection(connectionId)
  let created = false
  if (!connection) {
    if (!target.create) {
      throw new GraphError(
        `Graph found no connection '${connectionId}'. Set ${voice.name('connection-name')} ` +
          `(and ${voice.name('connection-description')}) to create it, or check ` +
          `${voice.name('connection-id')}, ${voice.name('tenant-id')} and ${voice.name('cloud')}.`
      )
    }
    const { name, description } = target.create
    const body = { id: connectionId, name, ...(description && { description }) }
    created = (await graph.createConnection(body)) === 'created'
    log.info(
      created
        ? `Created connection '${connectionId}'.`
        : `Connection '${connectionId}' already exists (Graph answered 409); it is left as it is.`
    )
    connection = await graph.getConnection(connectionId)
  }

  const current = await graph.getSchema(connectionId)
  const diff = current ? diffSchemas(current, schema) : undefined
  if (diff?.same) {
    const ready = stringField(connection, 'state').toLowerCase() === 'ready'
    log.info(
      `Connection '${connectionId}' already has this schema; no PATCH sent` +
        (ready ? '.' : `, waiting for it to be ready.`)
    )
    return { kind: 'inPlace', connection, ready, created }
  }
  if (diff) {
    // Names removed or changed come from Graph's answer: outside text.
    log.info(`Schema changes: ${inert(describeDiff(diff), 2_000)}.`)
    // Graph's answer sets how many there are: a bounded number of warnings, one line for the rest.
    for (const warning of diff.warnings.slice(0, MAX_CHANGE_WARNINGS)) log.warning(inert(warning))
    const more = diff.warnings.length - MAX_CHANGE_WARNINGS
    if (more > 0) log.warning(`… and ${more} more warnings like these about the schema changes.`)
  }
  const operation = await graph.submitSchema(connectionId, schema)
  log.info(`Submitted the schema; Graph started operation '${operation.operationId}'.`)
  return { kind: 'submitted', operation, created, diff }
}

/** "added a, b; changed c (type); removed d" */
export function describeDiff(diff: SchemaDiff): string {
  const parts = [
    diff.added.length ? `added ${diff.added.join(', ')}` : '',
    diff.changed.length
      ? `changed ${diff.changed.map(c => `${c.name} (${c.fields.join(', ')})`).join(', ')}`
      : '',
    diff.removed.length ? `removed ${diff.removed.join(', ')}` : ''
  ].filter(Boolean)
  return parts.join('; ') || 'none'
}
