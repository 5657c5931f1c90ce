// The action's front door: inputs in, the engine's run, the outcome out as
// outputs, annotations (on the schema file, for its findings) and the job summary.
import * as core from '@actions/core'
import {
  MAX_ROWS,
  createBudget,
  errorFailure,
  findingsToAnnotate,
  inert,
  messageOf,
  moreFindingsLine,
  outputsOf,
  readSettings,
  runStep
} from '../engine/index.js'
import type { Finding, Settings } from '../engine/index.js'
import { actionLog } from './log.js'
import { FAILURE, failWithError, report, setOutputs } from './report.js'

/** The step. Named `run`: @github/local-action calls its entrypoint's `run` export. */
export async function run(): Promise<void> {
  try {
    await runAndReport()
  } catch (error) {
    // Last resort, e.g. GITHUB_OUTPUT naming a file that is not there: one
    // annotation, never a stack trace, and a failed step.
    core.error(messageOf(error))
    process.exitCode = FAILURE
  }
}

async function runAndReport(): Promise<void> {
  const now = (): number => performance.now()
  const startedAt = now()
  const log = actionLog()
  // Before anything can echo an input: a secret pasted into another input
  // (from an unmasked step output, say) must already be masked in the error.
  maskSecretInputs(log.secret)
  let settings: Settings
  try {
    settings = readSettings(name => core.getInput(name))
  } catch (error) {
    setOutputs(outputsOf({ elapsedMs: now() - startedAt, failure: errorFailure(error) }))
    failWithError(error)
    return
  }

  // The runner cancels a step with SIGINT, then SIGTERM 7.5 s later: stop at the
  // first. The handlers stay until the process ends, so a second signal finds
  // them too instead of Node's default, which would kill the step mid-report.
  const cancel = new AbortController()
  process.on('SIGINT', () => cancel.abort())
  process.on('SIGTERM', () => cancel.abort())
  const budget = createBudget({
    timeoutMs: settings.timeoutMs,
    signal: cancel.signal,
    now,
    startedAt
  })
  try {
    const outcome = await runStep(settings, {
      log,
      budget,
      group: (title, work) => core.group(title, work)
    })
    const { target } = settings
    if (target.kind === 'schema') annotate(outcome.findings, target.schemaFile.shown, 'Schema file')
    if (target.kind === 'connector') {
      annotate(outcome.findings, target.connectorFile.shown, 'Connector file')
    }
    // A schema file with errors is already one annotation per error.
    const annotated = outcome.findings.some(finding => finding.severity === 'error')
    await report(outcome.verdict, { annotate: !annotated })
  } catch (error) {
    const { target } = settings
    setOutputs(
      outputsOf({
        target: target.kind === 'schema' || target.kind === 'connector' ? undefined : target,
        failure: errorFailure(error),
        elapsedMs: now() - startedAt
      })
    )
    failWithError(error)
  }
}

/**
 * One annotation per finding, on the line of the file it is about (the file the
 * input names, or one a connector file names); a bounded number.
 */
function annotate(findings: Finding[], checked: string, label: string): void {
  const { shown, more } = findingsToAnnotate(findings)
  const title = `${label} ${inert(checked, 200)}`
  for (const finding of shown) {
    const properties = {
      title,
      file: finding.file ?? checked,
      ...(finding.line !== undefined && { startLine: finding.line }),
      ...(finding.column !== undefined && { startColumn: finding.column })
    }
    if (finding.severity === 'error') core.error(finding.message, properties)
    else core.warning(finding.message, properties)
  }
  if (more > 0) {
    const where = `the job summary lists the first ${MAX_ROWS}`
    core.warning(moreFindingsLine(more, where, `the ${label.toLowerCase()}`), {
      title,
      file: checked
    })
  }
}

/** Masks the secret inputs as they are, before they are read and checked. */
function maskSecretInputs(mask: (value: string) => void): void {
  const secret = core.getInput('client-secret')
  if (secret) mask(secret)
  // The runner masks line by line: each line of the PEM on its own.
  for (const line of core.getInput('client-certificate').split(/\r?\n/)) {
    if (line && !line.startsWith('-----')) mask(line)
  }
  const requestToken = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
  if (requestToken) mask(requestToken)
}
