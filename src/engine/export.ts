// Export, for a connector that already exists: sign in, read the connection and
// its schema, and hand back the connector file that describes them, so that it
// can be kept as code from then on. Reads only: two GETs to Graph, no write.
import { exportConnector, exportText } from './connector-export.js'
import { ActionError, CancelledError, DeadlineExceededError, InputError } from './errors.js'
import type { JsonObject } from './json.js'
import type { Settings } from './model.js'
import type { OnProgress } from './progress.js'
import type { RunHooks } from './run.js'
import { openSession } from './session.js'
import { formatSeconds } from './text.js'

/** What exportStep needs of a front door: its log, the budget, and progress events if it wants them. */
export type ExportHooks = Pick<RunHooks, 'log' | 'budget' | 'progress'>

/**
 * The connector file text of the connection settings.target names: JSON, 2-space indent, a final
 * newline. Throws an ActionError (an InputError for settings that cannot export) when it cannot.
 */
export async function exportStep(settings: Settings, hooks: ExportHooks): Promise<string> {
  const { log, budget } = hooks
  const { voice, signIn } = settings
  const connectionId = settings.target.connectionId
  if (!connectionId) {
    throw new InputError(
      `${voice.subject('connection-id')} is required to export: the ID of the connection to export, e.g. contosohr.`
    )
  }
  if (!signIn) {
    throw new InputError(
      `Export reads the connection from Graph, so it signs in: ${voice.name('validate-only')} does not apply.`
    )
  }
  const title = `Reading connection '${connectionId}' and its schema`
  const progress: OnProgress = event => hooks.progress?.(event)
  progress({ kind: 'phase', state: 'start', title })
  try {
    log.info(title)
    const graph = openSession(signIn, settings, log, budget, progress)
    const connection = await graph.findConnection(connectionId)
    if (!connection) {
      throw new ActionError(
        `Graph found no connection '${connectionId}' to export. Check ${voice.name('connection-id')}, ` +
          `and that ${voice.name('tenant-id')} and ${voice.name('cloud')} are where the connection was created.`,
        'ConnectionNotFound'
      )
    }
    const schema = await graph.getSchema(connectionId)
    const file = exportConnector(
      { ...connection, id: idOf(connection, connectionId) },
      schema,
      settings.apiVersion
    )
    log.info(summary(connectionId, file))
    return exportText(file)
  } catch (error) {
    const elapsed = formatSeconds(budget.now() - budget.startedAt)
    if (error instanceof DeadlineExceededError) {
      throw new DeadlineExceededError(
        `Timed out after ${formatSeconds(settings.timeoutMs)} reading connection '${connectionId}' ` +
          `to export it. Last error: ${error.message.replace(/\.$/, '')}. Raise ` +
          `${voice.name('timeout-seconds')} if it needs longer.`
      )
    }
    if (error instanceof CancelledError) {
      throw new ActionError(
        `Cancelled after ${elapsed} while reading connection '${connectionId}' to export it.`,
        'Cancelled'
      )
    }
    throw error
  } finally {
    progress({ kind: 'phase', state: 'end', title })
  }
}

/**
 * The ID the file names: Graph's spelling of the one asked for (IDs are not case-sensitive),
 * else the one asked for: never another connection's.
 */
function idOf(connection: JsonObject, asked: string): string {
  const id = connection.id
  return typeof id === 'string' && id.toLowerCase() === asked.toLowerCase() ? id : asked
}

/** "Exported connection 'contosohr': name, description, …; its schema with 7 properties." */
function summary(connectionId: string, file: JsonObject): string {
  const fields = Object.keys(file).filter(key => key !== 'id' && key !== 'schema')
  const schema = file.schema as { properties: unknown[] } | undefined
  const properties = schema?.properties.length ?? 0
  const ofSchema = schema
    ? `its schema with ${properties} ${properties === 1 ? 'property' : 'properties'}`
    : 'no schema: the connection has none yet'
  return `Exported connection '${connectionId}': ${fields.join(', ') || 'no field'}; ${ofSchema}.`
}
