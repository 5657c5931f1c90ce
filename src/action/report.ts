// The verdict as the Actions runner shows it: outputs, one annotation, and the
// job summary.
import * as core from '@actions/core'
import { messageOf, stackOf } from '../engine/index.js'
import type { Outputs, Verdict } from '../engine/index.js'

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
 * A short job summary: what was waited for, the verdict, and why it failed.
 * Every line written is HTML that starts with a tag, and text in it has no
 * line breaks: GitHub then renders none of it as Markdown, so text from Graph
 * stays text (a blank line would end the HTML block and let Markdown in).
 */
async function writeSummary(verdict: Verdict): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const { headline, rows, note } = verdict.summary
  const summary = core.summary.addHeading(asHtml(headline), 3).addTable([
    [
      { data: 'Field', header: true },
      { data: 'Value', header: true }
    ],
    ...rows.map(row => [
      row.label,
      row.code ? `<code>${asHtml(row.value)}</code>` : asHtml(row.value)
    ])
  ])
  if (note) summary.addRaw(`<p>${asHtml(note)}</p>`, true)
  for (const table of verdict.summary.tables ?? []) {
    summary
      .addRaw(`<h4>${asHtml(table.caption)}</h4>`, true)
      .addTable([
        table.head.map(data => ({ data: cell(data), header: true })),
        ...table.rows.map(row => row.map(cell))
      ])
  }
  try {
    await summary.write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${messageOf(error)}`)
  }
}

/** A table cell: core.summary leaves an empty one unclosed (`<td>`), so it gets a space. */
function cell(text: string): string {
  return asHtml(text) || ' '
}

/** Text as HTML that renders as that text: escaped, its line breaks as <br>. */
function asHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r\n|\r|\n/g, '<br>')
}
