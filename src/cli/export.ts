// The `export` subcommand: `wait-for-graph-connector-operation export
// --connection-id ID` writes the connector file of a connection that already
// exists to stdout, and nothing else goes there. main() makes its Output write
// every line to stderr, so `export … > connector.json` keeps the log on the
// screen. On Azure Pipelines too: the agent's task handlers send a task's
// stdout and stderr alike to the one reader of logging commands
// (azure-pipelines-agent, OutputDataReceived and ErrorDataReceived both to
// OnDataReceived); a script step with failOnStderr: true fails on any of them.
// Exit codes as for every run: 0, 1 for a sign-in or Graph error, 2 for bad
// usage.
import { InputError, createBudget, exportStep, messageOf, stackOf } from '../engine/index.js'
import type { Settings } from '../engine/index.js'
import { commandSettings } from './environment.js'
import { UsageError, parseFlags } from './flags.js'
import type { Flags } from './flags.js'
import type { Output, Stream } from './output.js'
import type { Redactor } from './redact.js'

/** The subcommand's name: the first argument. */
export const EXPORT_COMMAND = 'export'

/**
 * The flags export takes: the sign-in, the connection, the Graph to read it from and the time
 * limit. Decided as a list of what is taken rather than of what is refused, so that a flag added
 * later (a connector file, a plan) is refused with export until someone decides otherwise.
 * Refused: what waits (operation-id, operation-url, poll-interval-seconds, fail-on-failure), what
 * checks or submits a schema (schema-file, connection-name, connection-description, validate-only,
 * require-copilot-ready), and the outputs (--output-file, --json): export has none, the connector
 * file is its whole output, and --json would put a second JSON text on stdout.
 */
export const EXPORT_FLAGS: ReadonlySet<string> = new Set([
  'tenant-id',
  'client-id',
  'client-certificate-path',
  'connection-id',
  'api-version',
  'cloud',
  'graph-url',
  'authority-url',
  'audience',
  'timeout-seconds',
  'help',
  'version'
])

/** Why a flag is refused with export, by flag; any other: it is not one export takes. */
const REFUSED: Readonly<Record<string, string>> = {
  'operation-id': 'export reads a connection and its schema; it waits for no operation',
  'operation-url': 'export reads a connection and its schema; it waits for no operation',
  'schema-file': 'export writes the connector file from what Graph has; it submits nothing',
  'connection-name': 'export creates no connection; it reads one that exists',
  'connection-description': 'export creates no connection; it reads one that exists',
  'validate-only': 'export reads the connection from Graph, so it signs in',
  'output-file':
    'export has no outputs: the connector file on stdout is its output; redirect it, as in export --connection-id contosohr > connector.json',
  json: 'export has no outputs: the connector file on stdout is its output, and --json would add a second JSON text there'
}

/** What export needs of the command: main()'s Command has it all. */
export interface ExportCommand {
  /** The whole argument list, the subcommand first. */
  args: readonly string[]
  env: Readonly<Record<string, string | undefined>>
  cwd: string
  /** Where the connector file goes, and the help and the version. */
  stdout: Stream
  version: string
  signal: AbortSignal
}

/** What main() hands an export: where its lines go, the redactor, the clock, and the help. */
export interface ExportContext {
  out: Output
  redactor: Redactor
  /** Milliseconds on a monotonic clock. */
  now: () => number
  /** The --help text, which documents export (help.ts reads this module: no cycle). */
  help: () => string
}

/** How an export ended; main() turns it into the exit code. */
export type ExportEnd = 'ok' | 'failed' | 'usage'

/**
 * Runs `export`: the connector file on stdout, every line through `out` (which main() points at
 * stderr). Never rejects for an error it knows; main() catches the rest.
 */
export async function runExport(
  command: ExportCommand,
  { out, redactor, now, help }: ExportContext
): Promise<ExportEnd> {
  const startedAt = now()
  const args = command.args.slice(1)
  let flags: Flags
  try {
    flags = parseFlags(args)
    checkExportFlags(flags)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    out.end('fail', error.message)
    return 'usage'
  }
  if (flags.help || flags.version) {
    command.stdout.write(flags.help ? help() : `${command.version}\n`)
    return 'ok'
  }

  const failed = (error: unknown): ExportEnd => {
    const stack = stackOf(error)
    if (stack) out.log.debug(stack)
    out.end('fail', messageOf(error))
    return error instanceof InputError ? 'usage' : 'failed'
  }
  let settings: Settings
  let credentialLine: string
  try {
    ;({ settings, credentialLine } = commandSettings(flags, command, value => redactor.add(value)))
  } catch (error) {
    return failed(error)
  }
  if (credentialLine) out.log.info(credentialLine)

  const budget = createBudget({
    timeoutMs: settings.timeoutMs,
    signal: command.signal,
    now,
    startedAt
  })
  let text: string
  try {
    text = await exportStep(settings, {
      log: out.log,
      budget,
      progress: event => out.progress(event)
    })
  } catch (error) {
    return failed(error)
  }
  // The engine's text is JSON that no line of a CI log reads as a command; a secret is masked
  // there as everywhere.
  command.stdout.write(redactor.apply(text))
  out.end(
    'pass',
    `Wrote the connector file of connection '${settings.target.connectionId}' to stdout.`
  )
  return 'ok'
}

/** A UsageError for the first flag export does not take, or for a missing --connection-id. */
function checkExportFlags(flags: Flags): void {
  const refused = flags.given.find(name => !EXPORT_FLAGS.has(name))
  if (refused !== undefined) {
    const why = REFUSED[refused] ?? 'it is not one of the flags export takes'
    throw new UsageError(`--${refused} cannot be used with export: ${why}. See --help.`)
  }
  if (!flags.help && !flags.version && flags.inputs['connection-id'] === undefined) {
    throw new UsageError(
      'export needs --connection-id: the ID of the connection to export, as in ' +
        'export --connection-id contosohr > connector.json. See --help.'
    )
  }
}
