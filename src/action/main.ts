// The action's front door: inputs in, the engine's wait, the verdict out as
// outputs, an annotation and the job summary.
import * as core from '@actions/core'
import { createBudget } from '../engine/budget.js'
import { pollLogger, pollingPlan, unknownStatusWarning } from '../engine/progress.js'
import { openSession } from '../engine/session.js'
import { readSettings } from '../engine/settings.js'
import type { Settings } from '../engine/settings.js'
import { watchFor } from '../engine/targets.js'
import { outputsOf, stackOf, verdictOf } from '../engine/verdict.js'
import { waitFor } from '../engine/wait.js'
import { actionLog } from './log.js'
import { failWithError, report, setOutputs } from './report.js'

export async function run(): Promise<void> {
  try {
    await waitAndReport()
  } catch (error) {
    // Last resort, e.g. GITHUB_OUTPUT naming a file that is not there: one
    // annotation, never a stack trace, and a failed step.
    core.error(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = core.ExitCode.Failure
  }
}

async function waitAndReport(): Promise<void> {
  const now = (): number => performance.now()
  const startedAt = now()
  let settings: Settings
  try {
    settings = readSettings(name => core.getInput(name))
  } catch (error) {
    setOutputs(outputsOf({ elapsedMs: now() - startedAt }))
    failWithError(error)
    return
  }

  // The runner cancels a step with SIGINT, then SIGTERM 7.5 s later: stop at the first.
  const cancel = new AbortController()
  const onSignal = (): void => cancel.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const budget = createBudget({
    timeoutMs: settings.timeoutMs,
    signal: cancel.signal,
    now,
    startedAt
  })
  const log = actionLog
  const elapsedMs = (): number => now() - startedAt
  try {
    const watch = watchFor(settings.target, openSession(settings, log, budget))
    const result = await core.group(`Waiting for ${watch.label}`, async () => {
      log.info(pollingPlan(settings.pollIntervalMs, settings.timeoutMs))
      return waitFor(watch, {
        budget,
        pollIntervalMs: settings.pollIntervalMs,
        onPoll: pollLogger(log, budget),
        onUnknownStatus: status => log.warning(unknownStatusWarning(status))
      })
    })
    if (result.outcome === 'error') {
      const stack = stackOf(result.error)
      if (stack) log.debug(stack)
    }
    await report(verdictOf(result, { ...settings, watch, elapsedMs: elapsedMs() }))
  } catch (error) {
    setOutputs(outputsOf({ target: settings.target, elapsedMs: elapsedMs() }))
    failWithError(error)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
