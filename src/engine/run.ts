// The whole step, the same from every front door: check the schema file, sign
// in, create the connection and submit the schema when asked, wait, and decide
// what it all means. The front door renders the outcome.
import type { Budget } from './budget.js'
import { deploySchema } from './deploy.js'
import type { Deployment } from './deploy.js'
import { stackOf } from './errors.js'
import { readInputFile } from './files.js'
import { inert } from './text.js'
import { operationPath } from './model.js'
import type { ConnectorTarget, SchemaTarget, Settings, Voice, WaitTarget } from './model.js'
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
  schemaFileName,
  warningCount
} from './schema-report.js'
import { plural } from './summary.js'
import { inputsCheckVerdict, verdictOf } from './verdict.js'
import type { Deployed, Verdict } from './verdict.js'
import { openSession } from './session.js'
import type { GraphClient } from './graph.js'
import { readConnectorFile } from './connector-file.js'
import {
  SchemaChangeRefused,
  applyPlan,
  changeCount,
  logPlan,
  planConnector,
  refusedChanges
} from './reconcile.js'
import type { ConnectorPlan, Reconciled } from './reconcile.js'
import {
  deploymentRows,
  draftWithoutSchemaVerdict,
  planTable,
  planVerdict,
  planWarnings,
  readinessTable,
  readinessWarnings,
  readyVerdict,
  refusedVerdict
} from './connector-report.js'
import { CONNECTOR_FILE, SCHEMA_FILE } from './schema-report.js'
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
  const step = new Step(settings, hooks)
  const { target } = settings
  if (target.kind === 'connector') return step.connector(target)
  if (target.kind === 'schema') return step.schema(target)
  if (settings.validateOnly || !settings.signIn) return step.inputsChecked(target.connectionId)
  return { verdict: await step.waitAndJudge(step.open(), target), findings: [] }
}

/** One run's settings and hooks, and what each kind of target does with them. */
class Step {
  private readonly voice: Voice
  private readonly progress: OnProgress

  constructor(
    private readonly settings: Settings,
    private readonly hooks: RunHooks
  ) {
    this.voice = settings.voice
    this.progress = event => hooks.progress?.(event)
  }

  elapsedMs(): number {
    return this.hooks.budget.now() - this.hooks.budget.startedAt
  }

  /** A phase: a log group, which starts and ends as an event. */
  async phase<T>(title: string, work: () => Promise<T>): Promise<T> {
    this.progress({ kind: 'phase', state: 'start', title })
    try {
      return await this.hooks.group(title, work)
    } finally {
      this.progress({ kind: 'phase', state: 'end', title })
    }
  }

  open(): GraphClient {
    const { settings, hooks } = this
    return openSession(settings.signIn!, settings, hooks.log, hooks.budget, this.progress)
  }

  inputsChecked(connectionId: string, findings: Finding[] = []): Outcome {
    return { verdict: inputsCheckVerdict(connectionId, this.elapsedMs(), this.voice), findings }
  }

  /** A failure before the wait (a Graph write refused, say), as the wait's verdict words it. */
  failedBefore(
    error: unknown,
    graph: GraphClient,
    waitTarget: WaitTarget,
    deployed: Deployed
  ): Verdict {
    debugStack(this.hooks.log, error)
    return verdictOf(endedBy(error), {
      ...this.settings,
      target: waitTarget,
      watch: watchFor(waitTarget, graph),
      elapsedMs: this.elapsedMs(),
      deployed
    })
  }

  async schema(target: SchemaTarget): Promise<Outcome> {
    const { settings, voice } = this
    const check = checkSchema(readSchemaFile(target, voice), {
      apiVersion: settings.apiVersion,
      requireCopilotReady: settings.requireCopilotReady,
      voice
    })
    const { findings } = check
    this.hooks.log.info(`Checked ${schemaFileName(target)}: ${count(findings)}.`)
    if (!check.schema || settings.validateOnly) {
      const verdict = schemaCheckVerdict(
        target,
        findings,
        this.elapsedMs(),
        voice,
        SCHEMA_FILE,
        settings.validateOnly
      )
      return { verdict, findings }
    }
    if (!settings.signIn) return this.inputsChecked(target.connectionId, findings)
    const schema: Schema = check.schema
    const graph = this.open()
    let waitTarget: WaitTarget = { kind: 'connection', connectionId: target.connectionId }
    const file = schemaFileName(target)
    const fileRow = { label: 'Schema file', value: file, code: true }
    const lines = check.lines && { path: target.schemaFile.shown, byProperty: check.lines }
    let deployment: Deployment
    try {
      deployment = await this.phase(
        // It may send no PATCH: the schema can be in place already.
        `Deploying the schema to connection '${target.connectionId}'`,
        () => deploySchema(graph, target, schema, this.hooks.log, voice)
      )
    } catch (error) {
      const deployed = { done: '', doing: 'schema deployment', rows: [fileRow], warnings: 0, lines }
      return { verdict: this.failedBefore(error, graph, waitTarget, deployed), findings }
    }
    const findingsTables = findings.length
      ? [findingsTable(file, findings, target.schemaFile.shown)]
      : []
    if (deployment.kind === 'inPlace' && deployment.ready) {
      const verdict = inPlaceVerdict(
        target,
        deployment.connection,
        this.elapsedMs(),
        warningCount(findings)
      )
      if (findingsTables.length) verdict.summary.tables = findingsTables
      return { verdict, findings }
    }
    if (deployment.kind === 'submitted') {
      const { connectionId, operationId } = deployment.operation
      waitTarget = { kind: 'operation', connectionId, operationId }
    }
    const operationUrl = deployment.kind === 'submitted' ? deployment.operation.url : undefined
    const submitted = deployment.kind === 'submitted'
    const diff = deployment.kind === 'submitted' ? deployment.diff : undefined
    const sent = submitted
      ? `PATCH with ${schema.properties.length} ${schema.properties.length === 1 ? 'property' : 'properties'}` +
        (deployment.created ? ', after creating the connection' : '')
      : 'no PATCH: the schema was already in place'
    const diffWarnings = diff?.warnings.length ?? 0
    const verdict = await this.waitAndJudge(graph, waitTarget, operationUrl, {
      done: submitted ? 'schema deployed' : 'schema already in place, connection ready',
      doing: 'schema deployment',
      rows: [fileRow, { label: 'Sent to Graph', value: sent }],
      warnings: warningCount(findings) + diffWarnings,
      lines
    })
    const tables = [...findingsTables, ...(diff ? [changesTable(diff, schema)] : [])]
    if (tables.length) verdict.summary.tables = tables
    return { verdict, findings }
  }

  async connector(target: ConnectorTarget): Promise<Outcome> {
    const { settings, voice, hooks } = this
    const { connectorFile } = target
    const check = readConnectorFile(target, settings)
    const { findings } = check
    const shown = inert(connectorFile.shown, 200)
    hooks.log.info(`Checked ${shown}: ${count(findings)}.`)
    const asChecked = { connectionId: target.connectionId, schemaFile: connectorFile }
    if (!check.connector || settings.validateOnly) {
      const verdict = schemaCheckVerdict(
        asChecked,
        findings,
        this.elapsedMs(),
        voice,
        CONNECTOR_FILE,
        settings.validateOnly
      )
      return { verdict, findings }
    }
    const spec = check.connector
    if (!settings.signIn) return this.inputsChecked(spec.id, findings)
    const graph = this.open()
    const connection: WaitTarget = { kind: 'connection', connectionId: spec.id }
    const fileRow = { label: 'Connector file', value: shown, code: true }
    const failed = (doing: string): Deployed => ({ done: '', doing, rows: [fileRow], warnings: 0 })
    let plan: ConnectorPlan
    try {
      plan = await this.phase(`Comparing connection '${spec.id}' with ${shown}`, async () => {
        const planned = await planConnector(graph, spec)
        logPlan(planned, hooks.log)
        return planned
      })
    } catch (error) {
      return { verdict: this.failedBefore(error, graph, connection, failed('plan')), findings }
    }
    // A drift check reports a refused change as drift, like any other difference.
    const refused = refusedChanges(plan)
    if (refused && !(settings.plan && settings.failOnChanges)) {
      return { verdict: refusedVerdict(plan, refused, this.elapsedMs()), findings }
    }
    if (settings.plan) {
      const context = {
        connectorFile,
        failOnChanges: settings.failOnChanges,
        elapsedMs: this.elapsedMs(),
        voice
      }
      return { verdict: planVerdict(plan, context), findings }
    }

    const planned = plan
    let reconciled: Reconciled
    try {
      reconciled = await this.phase(`Deploying ${shown} to connection '${spec.id}'`, () =>
        applyPlan(graph, spec, planned, { log: hooks.log, voice, apiVersion: settings.apiVersion })
      )
    } catch (error) {
      // The create found the connection there after all, with a schema change Graph refuses.
      if (error instanceof SchemaChangeRefused) {
        return { verdict: refusedVerdict(error.plan, error, this.elapsedMs()), findings }
      }
      const verdict = this.failedBefore(error, graph, connection, failed('deployment'))
      verdict.outputs.changes = String(changeCount(plan))
      verdict.summary.tables = [planTable(plan)]
      return { verdict, findings }
    }
    plan = reconciled.plan
    const changes = changeCount(plan)
    const readiness = readinessTable(spec, reconciled.connection)
    const context = { connectorFile, elapsedMs: this.elapsedMs() }
    if (reconciled.kind === 'inPlace' && reconciled.ready) {
      return { verdict: readyVerdict(plan, reconciled.connection, context, readiness), findings }
    }
    // A connection is a draft until it has a schema: without one in the file, no wait can end.
    if (reconciled.kind === 'inPlace' && !spec.schema) {
      return {
        verdict: draftWithoutSchemaVerdict(plan, reconciled.connection, context, voice),
        findings
      }
    }
    const waitTarget: WaitTarget =
      reconciled.kind === 'submitted' ? { kind: 'operation', ...reconciled.operation } : connection
    const operationUrl = reconciled.kind === 'submitted' ? reconciled.operation.url : undefined
    const verdict = await this.waitAndJudge(graph, waitTarget, operationUrl, {
      done: `${plural(changes, 'change')} deployed`,
      doing: 'deployment',
      rows: deploymentRows(connectorFile, plan),
      warnings: warningCount(findings) + planWarnings(plan) + readinessWarnings(readiness)
    })
    verdict.outputs.changes = String(changes)
    verdict.summary.tables = [
      ...(findings.length ? [findingsTable(shown, findings, connectorFile.shown)] : []),
      ...(changes ? [planTable(plan)] : []),
      ...(verdict.level === 'fail' ? [] : [readiness])
    ]
    return { verdict, findings }
  }

  /** Polls the operation, or the connection until it is ready, and judges the outcome. */
  async waitAndJudge(
    graph: GraphClient,
    waitTarget: WaitTarget,
    operationUrl?: string,
    deployed?: Deployed
  ): Promise<Verdict> {
    const { settings, hooks } = this
    const { log, budget } = hooks
    const watch = watchFor(waitTarget, graph)
    const unknown = unknownStatusWarnings(log, this.voice)
    const result = await this.phase(`Waiting for ${watch.label}`, () => {
      log.info(pollingPlan(settings.pollIntervalMs, settings.timeoutMs))
      return waitFor(watch, {
        budget,
        pollIntervalMs: settings.pollIntervalMs,
        onPoll: pollLogger(log, budget, this.progress),
        onUnknownStatus: unknown.onUnknownStatus
      })
    })
    unknown.finish()
    if (result.outcome === 'error') debugStack(log, result.error)
    return verdictOf(result, {
      ...settings,
      target: waitTarget,
      operationUrl: operationUrl ?? operationUrlOf(waitTarget, settings),
      watch,
      elapsedMs: this.elapsedMs(),
      deployed
    })
  }
}

/** The URL of the operation waited on, built from the IDs (a submitted one has Graph's own). */
function operationUrlOf(
  target: WaitTarget,
  settings: Pick<Settings, 'graphUrl' | 'apiVersion'>
): string {
  if (target.kind !== 'operation') return ''
  return `${settings.graphUrl}/${settings.apiVersion}${operationPath(target)}`
}

/** The schema file's text; an InputError naming schema-file when it cannot be read. */
function readSchemaFile(target: SchemaTarget, voice: Voice): string {
  return readInputFile(target.schemaFile, 'schema-file', voice, {
    maxBytes: MAX_SCHEMA_FILE_BYTES,
    what: 'a schema file is a JSON file of a few KB',
    example: 'connector/schema.json'
  })
}

/** An unexpected error's stack, for whoever turned debug output on. */
function debugStack(log: Pick<Log, 'debug'>, error: unknown): void {
  const stack = stackOf(error)
  if (stack) log.debug(stack)
}
