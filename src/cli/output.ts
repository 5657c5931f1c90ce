// Where the command line's lines go: a terminal or a plain log (terminal.ts),
// or the Azure Pipelines agent (azure.ts). Both write only cleaned lines:
// secrets masked, outside text made inert, every line bounded.
import { OUTPUT_NAMES, inert } from '../engine/index.js'
import type { Finding, Log, Outputs, ProgressEvent, Verdict } from '../engine/index.js'
import type { Redactor } from './redact.js'

export interface Output {
  /** The engine's Log. */
  log: Log
  /** The lines of one phase (the submission, the wait). */
  group<T>(title: string, work: () => Promise<T>): Promise<T>
  /** The engine's progress as events: what a live status line shows. */
  progress(event: ProgressEvent): void
  /** One finding of the schema file, on its line. */
  finding(file: string, finding: Finding): void
  /** Hands the outputs to the platform, where it takes them (Azure: output variables). */
  outputs(outputs: Outputs): void
  /**
   * The last line: the verdict, or the error that ended the run. `plain` writes
   * a failure as a plain line, when its errors were already written (the findings).
   */
  end(level: Verdict['level'], message: string, options?: { plain?: boolean }): void
  /** Text for stdout as it is: the help, the version, the --json object. */
  stdout(text: string): void
  /** Stops whatever is still drawing (the live status line). */
  close(): void
}

/** The longest line written; the engine's messages are shorter (4,000). */
export const LINE_MAX = 8_000

export interface Stream {
  write(text: string): unknown
  isTTY?: boolean
  columns?: number
}

/**
 * A line as it may be written: secrets masked first, then made inert and
 * bounded. A line that would start with '::' (a schema file named
 * '::warning ::x', say) gets its first ':' escaped: run inside a GitHub job,
 * the runner would read it as a workflow command.
 */
export function safeLine(redactor: Redactor, text: string, max = LINE_MAX): string {
  return inert(redactor.apply(text), max).replace(/^(\s*):(?=:)/, '$1\\:')
}

/** The outputs with every secret masked, before they are written anywhere. */
export function maskedOutputs(outputs: Outputs, redactor: Redactor): Outputs {
  return Object.fromEntries(
    OUTPUT_NAMES.map(name => [name, redactor.apply(outputs[name])])
  ) as Outputs
}

// Characters JSON.stringify leaves raw that a log must not get: '#' (so no
// `##vso[` or `##[` can form, which the Azure agent and the GitHub runner read
// anywhere in a line), DEL, C1 controls, line separators, bidi overrides.
const JSON_UNSAFE = /[#\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/**
 * The outputs as one JSON object on one line, in the action's order, then the summary's facts
 * under `summary` when there is one. Every escaped character is inside a string: the JSON is
 * valid and parses to the same values.
 */
export function outputsJson(outputs: Outputs, summary?: Record<string, unknown>): string {
  const ordered = {
    ...Object.fromEntries(OUTPUT_NAMES.map(name => [name, outputs[name]])),
    ...(summary && { summary })
  }
  return JSON.stringify(ordered).replace(
    JSON_UNSAFE,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}
