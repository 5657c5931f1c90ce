// The action's front door: inputs in, the engine's wait, the verdict out as
// outputs, an annotation and the job summary.
import * as core from '@actions/core'
import { createBudget } from '../engine/budget.js'
import { pollLogger, pollingPlan, unknownStatusWarnings } from '../engine/progress.js'
import { openSession } from '../engine/session.js'
import { readSettings } from '../engine/settings.js'
import type { Settings } from '../engine/settings.js'
import { watchFor } from '../engine/targets.js'
import { messageOf, outputsOf, stackOf, verdictOf } from '../engine/verdict.js'
import { waitFor } from '../engine/wait.js'
import { actionLog } from './log.js'
import { FAILURE, failWithError, report, setOutputs } from './report.js'

export async function run(): Promise<void> {
  try {
    await waitAndReport()
  } catch (error) {
    // Last resort, e.g. GITHUB_OUTPUT naming a file that is not there: one
    // annotation, never a stack trace, and a failed step.
    core.error(messageOf(error))
    process.exitCode = FAILURE
  }
}

async function waitAndReport(): Promise<void> {
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
    setOutputs(outputsOf({ elapsedMs: now() - startedAt }))
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
  const elapsedMs = (): number => now() - startedAt
  try {
    const watch = watchFor(settings.target, openSession(settings, log, budget))
    const unknown = unknownStatusWarnings(log)
    const result = await core.group(`Waiting for ${watch.label}`, async () => {
      log.info(pollingPlan(settings.pollIntervalMs, settings.timeoutMs))
      return waitFor(watch, {
        budget,
        pollIntervalMs: settings.pollIntervalMs,
        onPoll: pollLogger(log, budget),
        onUnknownStatus: unknown.onUnknownStatus
      })
    })
    unknown.finish()
    if (result.outcome === 'error') {
      const stack = stackOf(result.error)
      if (stack) log.debug(stack)
    }
    await report(verdictOf(result, { ...settings, watch, elapsedMs: elapsedMs() }))
  } catch (error) {
    setOutputs(outputsOf({ target: settings.target, elapsedMs: elapsedMs() }))
    failWithError(error)
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
