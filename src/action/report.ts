// The verdict as the Actions runner shows it: outputs, one annotation, and the
// job summary.
import * as core from '@actions/core'
import { messageOf, stackOf } from '../engine/index.js'
import type { Outputs, Verdict } from '../engine/index.js'
import { repositoryOf, summaryHtml } from './summary-html.js'

/**
 * The exit code of a failed step. Written out rather than core.ExitCode.Failure,
 * which @github/local-action's stand-in for @actions/core does not define.
 */
export const FAILURE = 1

/**
 * Sets every output, writes the job summary, then passes, warns or fails the
 * step. Once the outputs are set, nothing that goes wrong later clears them.
 */
export async function report(
  verdict: Verdict,
  options: {
    /** false when the failure is already annotated (one annotation per schema error). */
    annotate: boolean
  } = { annotate: true }
): Promise<void> {
  setOutputs(verdict.outputs)
  try {
    await writeSummary(verdict)
    switch (verdict.level) {
      case 'pass':
        core.info(verdict.message)
        return
      case 'warn':
        core.warning(verdict.message, { title: verdict.title })
        return
      case 'fail':
        if (options.annotate) return fail(verdict.message, verdict.title)
        core.info(verdict.message)
        process.exitCode = FAILURE
    }
  } catch (error) {
    failWithError(error)
  }
}

export function setOutputs(outputs: Outputs): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
}

/** One error annotation with the error's own message; a stack only in debug logs. */
export function failWithError(error: unknown): void {
  const stack = stackOf(error)
  if (stack) core.debug(stack)
  fail(messageOf(error))
}

function fail(message: string, title?: string): void {
  core.error(message, title ? { title } : {})
  process.exitCode = FAILURE
}

/**
 * The job summary: the engine's summary as HTML (see summary-html.ts), with links to the lines
 * of the run's commit when the runner's variables say which.
 */
async function writeSummary(verdict: Verdict): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const html = summaryHtml(verdict, repositoryOf(process.env))
  try {
    await core.summary.addRaw(html).write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${messageOf(error)}`)
  }
}
