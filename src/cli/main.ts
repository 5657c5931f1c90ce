// The command line's whole run: flags and environment in, the engine's run,
// the outcome out as lines, outputs and an exit code. It does not touch the
// process: index.ts hands it the arguments, the streams and the cancel signal.
import { constants } from 'node:os'
import {
  INVALID_CONNECTOR_FILE,
  INVALID_SCHEMA_FILE,
  InputError,
  createBudget,
  errorFailure,
  findingsToAnnotate,
  messageOf,
  moreFindingsLine,
  outputsOf,
  runStep,
  stackOf,
  summaryJson,
  summaryLines
} from '../engine/index.js'
import type { OutputValues, Outputs, Settings, Summary, Verdict } from '../engine/index.js'
import { dotenvText } from './dotenv.js'
import { commandSettings } from './environment.js'
import { EXPORT_COMMAND, runExport } from './export.js'
import type { ExportEnd } from './export.js'
import { UsageError, parseFlags } from './flags.js'
import type { Flags } from './flags.js'
import { helpText } from './help.js'
import { outputFileProblem, writeOutputFile } from './output-file.js'
import { maskedOutputs, outputsJson } from './output.js'
import type { Output, Stream } from './output.js'
import { platformOf } from './platforms.js'
import { Redactor } from './redact.js'

/** 0 passed; 1 the operation or the run failed; 2 bad usage. A signal gives 128 + its number. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

export interface Command {
  args: readonly string[]
  env: Readonly<Record<string, string | undefined>>
  /** Where a relative --schema-file is read from. */
  cwd: string
  stdout: Stream
  stderr: Stream
  version: string
  /** Aborted by Ctrl-C or SIGTERM: the engine stops at once. */
  signal: AbortSignal
  /** The signal that stopped the run, if one did. */
  stoppedBy(): NodeJS.Signals | undefined
  /** Milliseconds on a monotonic clock. */
  now?: () => number
}

/** Runs the command; resolves with its exit code and never rejects. */
export async function main(command: Command): Promise<number> {
  const now = command.now ?? (() => performance.now())
  const { env } = command
  const redactor = new Redactor()
  // Before anything can echo a value: a secret pasted in the wrong place is masked too.
  for (const name of ['AZURE_CLIENT_SECRET', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN']) {
    redactor.add(env[name] ?? '')
    redactor.add(env[name]?.trim() ?? '')
  }
  // export: the connector file owns stdout, so the platform writes every line to stderr.
  const exporting = command.args[0] === EXPORT_COMMAND
  const out = platformOf(env).make({
    streams: { stdout: exporting ? command.stderr : command.stdout, stderr: command.stderr },
    redactor,
    env,
    now
  })
  try {
    if (exporting) {
      const help = () => helpText(command.version)
      const end = await runExport(command, { out, redactor, now, help })
      return exportExit(end, command.stoppedBy())
    }
    return await runCommand(command, out, redactor, now)
  } catch (error) {
    // Last resort: one line, never a stack trace (that goes to debug output).
    const stack = stackOf(error)
    if (stack) out.log.debug(stack)
    out.end('fail', messageOf(error))
    return EXIT.failed
  } finally {
    out.close()
  }
}

async function runCommand(
  command: Command,
  out: Output,
  redactor: Redactor,
  now: () => number
): Promise<number> {
  const startedAt = now()
  const elapsedMs = (): number => now() - startedAt
  let flags: Flags
  try {
    flags = parseFlags(command.args)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    out.end('fail', error.message)
    return EXIT.usage
  }
  if (flags.help) {
    out.stdout(helpText(command.version))
    return EXIT.ok
  }
  // Nothing names what to wait for (no variable does): show how to use it.
  if (command.args.length === 0) {
    out.stdout(helpText(command.version))
    out.end('fail', 'No flags given: say what to wait for, such as --connection-id contosohr.')
    return EXIT.usage
  }
  if (flags.version) {
    out.stdout(command.version)
    return EXIT.ok
  }
  const { outputFile } = flags
  if (outputFile !== undefined) {
    // Before any request: a path that cannot be written is a bad flag. It is
    // opened only at the end, to write the outputs.
    const problem = outputFileProblem(outputFile)
    if (problem) {
      out.end('fail', problem)
      return EXIT.usage
    }
  }

  // From here on the outputs are written in every outcome, as the action sets them.
  const finish = (
    outputs: Outputs,
    level: Verdict['level'],
    message: string,
    options: { plain?: boolean; summary?: Summary } = {}
  ): boolean => {
    const masked = maskedOutputs(outputs, redactor)
    out.outputs(masked)
    const problem = outputFile === undefined ? '' : writeOutputFile(outputFile, dotenvText(masked))
    if (problem) {
      // The verdict still shows; the last line says why the run fails anyway.
      out.log.info(message)
      out.end('fail', problem)
    } else {
      out.end(level, message, options)
    }
    if (flags.json) {
      const summary = options.summary && maskedJson(summaryJson(options.summary), redactor)
      out.stdout(outputsJson(masked, summary))
    }
    return !problem
  }
  const fail = (error: unknown, known: OutputValues): number => {
    const stack = stackOf(error)
    if (stack) out.log.debug(stack)
    const usage = error instanceof InputError
    const message = messageOf(error)
    finish(outputsOf({ ...known, failure: errorFailure(error, message) }), 'fail', message)
    return usage ? EXIT.usage : EXIT.failed
  }

  let settings: Settings
  let credentialLine: string
  try {
    ;({ settings, credentialLine } = commandSettings(flags, command, value => redactor.add(value)))
  } catch (error) {
    return fail(error, { elapsedMs: elapsedMs() })
  }

  if (settings.signIn && credentialLine) out.log.info(credentialLine)
  const budget = createBudget({
    timeoutMs: settings.timeoutMs,
    signal: command.signal,
    now,
    startedAt
  })
  const { target } = settings
  let outcome
  try {
    outcome = await runStep(settings, {
      log: out.log,
      budget,
      group: (title, work) => out.group(title, work),
      progress: event => out.progress(event)
    })
  } catch (error) {
    const waited = target.kind === 'schema' || target.kind === 'connector' ? undefined : target
    return fail(error, { target: waited, elapsedMs: elapsedMs() })
  }

  const { verdict, findings } = outcome
  const checked =
    target.kind === 'schema'
      ? target.schemaFile.shown
      : target.kind === 'connector'
        ? target.connectorFile.shown
        : undefined
  if (checked !== undefined) {
    const { shown, more } = findingsToAnnotate(findings)
    for (const finding of shown) out.finding(finding.file ?? checked, finding)
    const file = target.kind === 'connector' ? 'the connector file' : 'the schema file'
    if (more > 0) {
      out.log.warning(moreFindingsLine(more, 'fix these and run again to see them', file))
    }
  }
  // The summary's facts, as the job summary shows them: the outcome, what was sent, the details.
  for (const line of summaryLines(verdict.summary)) out.log.info(line)
  // A schema file's errors are already written, one line each, on their lines.
  const plain = findings.some(finding => finding.severity === 'error')
  const { summary } = verdict
  if (!finish(verdict.outputs, verdict.level, verdict.message, { plain, summary })) {
    return EXIT.failed
  }
  return exitCodeOf(verdict, command.stoppedBy())
}

/** A JSON value with every secret in its strings masked. */
function maskedJson(value: Record<string, unknown>, redactor: Redactor): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value), (_key, item: unknown) =>
    typeof item === 'string' ? redactor.apply(item) : item
  ) as Record<string, unknown>
}

/** An export's exit code: as a run's, 128 + the signal when one stopped it. */
function exportExit(end: ExportEnd, stoppedBy?: NodeJS.Signals): number {
  if (end === 'failed' && stoppedBy) return 128 + constants.signals[stoppedBy]
  return EXIT[end]
}

export function exitCodeOf(
  verdict: Pick<Verdict, 'level' | 'outputs'>,
  stoppedBy?: NodeJS.Signals
): number {
  if (verdict.level !== 'fail') return EXIT.ok
  if (stoppedBy) return 128 + constants.signals[stoppedBy]
  // Bad input like a bad flag: nothing was sent, and running again will not help.
  const code = verdict.outputs['error-code']
  if (code === INVALID_SCHEMA_FILE || code === INVALID_CONNECTOR_FILE) return EXIT.usage
  return EXIT.failed
}
