// The whole step, the same from every front door: check the schema file, sign
// in, create the connection and submit the schema when asked, wait, and decide
// what it all means. The front door renders the outcome.
import type { Budget } from './budget.js'
import { deploySchema } from './deploy.js'
import type { Deployment } from './deploy.js'
import { InputError, stackOf } from './errors.js'
import { FileProblem, readSmallFile } from './files.js'
import { operationPath } from './model.js'
import type { SchemaTarget, Settings, Voice, WaitTarget } from './model.js'
import type { Log } from './log.js'
import { pollLogger, pollingPlan, unknownStatusWarnings } from './progress.js'
import type { OnProgress } from './progress.js'
import { checkSchema } from './schema.js'
import type { Finding, Schema } from './schema.js'
import {
  changesTable,
  count,
  findingsTable,
  inPlaceVerdict,
  schemaCheckVerdict,
  schemaFileName
} from './schema-report.js'
import { inputsCheckVerdict, verdictOf } from './verdict.js'
import type { Verdict } from './verdict.js'
import { openSession } from './session.js'
import { watchFor } from './targets.js'
import { endedBy, waitFor } from './wait.js'

export interface RunHooks {
  log: Log
  budget: Budget
  /** Folds the lines of one phase (a log group in the action). */
  group<T>(title: string, work: () => Promise<T>): Promise<T>
  /** Progress as events (phases, polls, status changes, retries), beside the log lines. */
  progress?: OnProgress
}

export interface Outcome {
  verdict: Verdict
  /** The schema file's findings, for annotations on the file. */
  findings: Finding[]
}

/** The largest schema file read: 128 properties take a few tens of KB. */
export const MAX_SCHEMA_FILE_BYTES = 1024 * 1024

export async function runStep(settings: Settings, hooks: RunHooks): Promise<Outcome> {
  const { log, budget } = hooks
  const progress: OnProgress = event => hooks.progress?.(event)
  // Each phase is a log group, and starts and ends as an event.
  const phase = async <T>(title: string, work: () => Promise<T>): Promise<T> => {
    progress({ kind: 'phase', state: 'start', title })
    try {
      return await hooks.group(title, work)
    } finally {
      progress({ kind: 'phase', state: 'end', title })
    }
  }
  const elapsedMs = (): number => budget.now() - budget.startedAt
  const { target, voice } = settings

  let findings: Finding[] = []
  let schema: Schema | undefined
  if (target.kind === 'schema') {
    const check = checkSchema(readSchemaFile(target, voice), {
      apiVersion: settings.apiVersion,
      requireCopilotReady: settings.requireCopilotReady,
      voice
    })
    findings = check.findings
    log.info(`Checked ${schemaFileName(target)}: ${count(findings)}.`)
    if (!check.schema || settings.validateOnly) {
      return { verdict: schemaCheckVerdict(target, findings, elapsedMs(), voice), findings }
    }
    schema = check.schema
  }
  if (settings.validateOnly || !settings.signIn) {
    return { verdict: inputsCheckVerdict(target.connectionId, elapsedMs(), voice), findings }
  }

  const graph = openSession(settings.signIn, settings, log, budget, progress)
  let waitTarget: WaitTarget =
    target.kind === 'schema' ? { kind: 'connection', connectionId: target.connectionId } : target
  let deployment: Deployment | undefined
  if (target.kind === 'schema' && schema) {
    const submitting = schema
    try {
      deployment = await phase(
        // It may send no PATCH: the schema can be in place already.
        `Deploying the schema to connection '${target.connectionId}'`,
        () => deploySchema(graph, target, submitting, log, voice)
      )
    } catch (error) {
      debugStack(log, error)
      const watch = watchFor(waitTarget, graph)
      return {
        verdict: verdictOf(endedBy(error), {
          ...settings,
          target: waitTarget,
          watch,
          elapsedMs: elapsedMs()
        }),
        findings
      }
    }
    if (deployment.kind === 'inPlace' && deployment.ready) {
      return { verdict: inPlaceVerdict(target, deployment.connection, elapsedMs()), findings }
    }
    if (deployment.kind === 'submitted') {
      const { connectionId, operationId } = deployment.operation
      waitTarget = { kind: 'operation', connectionId, operationId }
    }
  }

  const watch = watchFor(waitTarget, graph)
  const unknown = unknownStatusWarnings(log, voice)
  const result = await phase(`Waiting for ${watch.label}`, () => {
    log.info(pollingPlan(settings.pollIntervalMs, settings.timeoutMs))
    return waitFor(watch, {
      budget,
      pollIntervalMs: settings.pollIntervalMs,
      onPoll: pollLogger(log, budget, progress),
      onUnknownStatus: unknown.onUnknownStatus
    })
  })
  unknown.finish()
  if (result.outcome === 'error') debugStack(log, result.error)
  const verdict = verdictOf(result, {
    ...settings,
    target: waitTarget,
    operationUrl: operationUrlOf(waitTarget, settings, deployment),
    watch,
    elapsedMs: elapsedMs()
  })
  const tables = [
    ...(findings.length && target.kind === 'schema'
      ? [findingsTable(schemaFileName(target), findings)]
      : []),
    ...(deployment?.kind === 'submitted' && deployment.diff ? [changesTable(deployment.diff)] : [])
  ]
  if (tables.length) verdict.summary.tables = tables
  return { verdict, findings }
}

/** The URL of the operation waited on: from Graph's Location, or built from the IDs. */
function operationUrlOf(
  target: WaitTarget,
  settings: Pick<Settings, 'graphUrl' | 'apiVersion'>,
  deployment: Deployment | undefined
): string {
  if (deployment?.kind === 'submitted') return deployment.operation.url
  if (target.kind !== 'operation') return ''
  return `${settings.graphUrl}/${settings.apiVersion}${operationPath(target)}`
}

/** The schema file's text; an InputError naming schema-file when it cannot be read. */
function readSchemaFile(target: SchemaTarget, voice: Voice): string {
  const { path, within } = target.schemaFile
  try {
    return readSmallFile(path, MAX_SCHEMA_FILE_BYTES, { within })
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error
    const named = `${voice.subject('schema-file')}: '${schemaFileName(target)}'`
    throw new InputError(
      error.tooLarge
        ? `${named} ${error.reason}; a schema file is a JSON file of a few KB (at most 1 MiB is read).`
        : `${named} ${error.reason}. It must be the path of a JSON file, relative ` +
            `to ${voice.relativeTo}, such as connector/schema.json.`
    )
  }
}

/** An unexpected error's stack, for whoever turned debug output on. */
function debugStack(log: Pick<Log, 'debug'>, error: unknown): void {
  const stack = stackOf(error)
  if (stack) log.debug(stack)
}
