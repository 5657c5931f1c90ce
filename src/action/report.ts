// The verdict as the Actions runner shows it: outputs, one annotation, and the
// job summary.
import * as core from '@actions/core'
import type { Outputs, Verdict } from '../engine/verdict.js'
import { messageOf, stackOf } from '../engine/verdict.js'

/** Sets every output, writes the job summary, then passes, warns or fails the step. */
export async function report(verdict: Verdict): Promise<void> {
  setOutputs(verdict.outputs)
  await writeSummary(verdict)
  switch (verdict.level) {
    case 'pass':
      core.info(verdict.message)
      return
    case 'warn':
      core.warning(verdict.message, { title: verdict.title })
      return
    case 'fail':
      fail(verdict.message, verdict.title)
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
  process.exitCode = core.ExitCode.Failure
}

/** A short job summary: what was waited for, the verdict, and why it failed. */
async function writeSummary(verdict: Verdict): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const { headline, rows, note } = verdict.summary
  const summary = core.summary.addHeading(escapeHtml(headline), 3).addTable([
    [
      { data: 'Field', header: true },
      { data: 'Value', header: true }
    ],
    ...rows.map(row => [row.label, row.code ? code(row.value) : escapeHtml(row.value)])
  ])
  if (note) summary.addRaw(escapeHtml(note), true)
  try {
    await summary.write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${messageOf(error)}`)
  }
}

function code(text: string): string {
  return `<code>${escapeHtml(text)}</code>`
}

// core.summary writes table cells as raw HTML: Graph's text must not become markup.
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
