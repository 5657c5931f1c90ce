// The command line's flags: which there are, and turning argv into values with
// node:util's parseArgs. Every mistake is one UsageError naming the flag; a
// credential given as a flag is refused without its value ever being echoed.
import { parseArgs } from 'node:util'
import { inert } from '../engine/index.js'

/** Bad usage: the message is one line, names the flag and points to --help. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export interface FlagSpec {
  name: string
  /**
   * text: takes a value. boolean: an action input that is true or false; alone
   * it means true. switch: a command-line option that takes no value.
   */
  kind: 'text' | 'boolean' | 'switch'
  /** What the value looks like, for the help. */
  value?: string
  help: string
}

const text = (name: string, value: string, help: string): FlagSpec => ({
  name,
  kind: 'text',
  value,
  help
})
const boolean = (name: string, help: string): FlagSpec => ({ name, kind: 'boolean', help })
const toggle = (name: string, help: string): FlagSpec => ({ name, kind: 'switch', help })

/** Every flag, in the order the help lists them. Text and boolean flags are the action's inputs. */
export const FLAGS: readonly FlagSpec[] = [
  text(
    'tenant-id',
    'ID',
    'Entra tenant: a GUID or a domain such as contoso.onmicrosoft.com (else AZURE_TENANT_ID)'
  ),
  text(
    'client-id',
    'GUID',
    "the app registration's Application (client) ID (else AZURE_CLIENT_ID)"
  ),
  text(
    'client-certificate-path',
    'PATH',
    "a PEM file with the app's private key and its certificate: a path, not a secret (else AZURE_CLIENT_CERTIFICATE_PATH)"
  ),
  text(
    'operation-url',
    'URL',
    'the whole Location header of PATCH .../schema; replaces --connection-id and --operation-id'
  ),
  text(
    'connection-id',
    'ID',
    'external connection ID, e.g. contosohr; alone, wait until the connection is ready'
  ),
  text('operation-id', 'ID', 'the connectionOperation ID: the last segment of the Location header'),
  text(
    'schema-file',
    'PATH',
    'a schema JSON file (relative to the current directory): check it, submit it to --connection-id unless Graph has it, wait'
  ),
  text(
    'connection-name',
    'NAME',
    'with --schema-file: create the connection with this name when it does not exist'
  ),
  text(
    'connection-description',
    'TEXT',
    'with --connection-name: the description of the connection to create'
  ),
  text(
    'connector-file',
    'PATH',
    'a connector file (connection fields and schema): check it, create or update the connection, submit the schema, wait'
  ),
  boolean('plan', 'with --connector-file: read and compare, print each change, write nothing'),
  boolean('fail-on-changes', 'with --plan: exit 1 when anything differs (a drift check)'),
  boolean(
    'validate-only',
    'check the flags and the schema file, then stop: no sign-in, no request, no credential needed'
  ),
  boolean('require-copilot-ready', "make the schema's Copilot readiness warnings errors"),
  text('timeout-seconds', 'N', 'limit for the whole run, sign-in included (default 1800)'),
  text(
    'poll-interval-seconds',
    'N|auto',
    'seconds between polls, or auto: 2 s at first, then a tenth of the time waited, at most 30 s (default auto)'
  ),
  boolean('fail-on-failure', 'false: a failed operation is a warning and exits 0 (default true)'),
  text('cloud', 'NAME', 'global, usgov or usgov-dod (default global)'),
  text('api-version', 'VERSION', 'v1.0 or beta (default v1.0)'),
  text(
    'graph-url',
    'URL',
    'base URL of Graph; overrides --cloud (https://, or http:// for loopback)'
  ),
  text(
    'authority-url',
    'URL',
    'base URL of Entra; overrides --cloud (https://, or http:// for loopback)'
  ),
  text('audience', 'AUD', 'audience of the GitHub OIDC token, when run inside GitHub Actions'),
  text(
    'output-file',
    'PATH',
    "write the outputs as KEY=VALUE lines (GitLab's artifacts:reports:dotenv)"
  ),
  toggle('json', 'print the outputs as one JSON object on stdout'),
  toggle('help', 'show this help'),
  toggle('version', 'show the version')
]

// Flags of the command line alone: the action takes no file of its own.
const COMMAND_ONLY = new Set(['output-file', 'client-certificate-path'])

/** The flags that are action inputs: every text and boolean flag but --output-file and the certificate path. */
export const INPUT_FLAGS: readonly FlagSpec[] = FLAGS.filter(
  spec => spec.kind !== 'switch' && !COMMAND_ONLY.has(spec.name)
)

/**
 * Flags that would carry a credential, and where the credential goes instead:
 * on a command line it shows in process lists, shell history and CI logs.
 */
export const CREDENTIAL_FLAGS: Readonly<Record<string, string>> = {
  'client-secret': 'AZURE_CLIENT_SECRET',
  secret: 'AZURE_CLIENT_SECRET',
  'client-certificate': 'AZURE_CLIENT_CERTIFICATE_PATH',
  certificate: 'AZURE_CLIENT_CERTIFICATE_PATH',
  'federated-token': 'AZURE_FEDERATED_TOKEN_FILE',
  'federated-token-file': 'AZURE_FEDERATED_TOKEN_FILE',
  'id-token': 'AZURE_FEDERATED_TOKEN_FILE',
  'client-assertion': 'AZURE_FEDERATED_TOKEN_FILE'
}

export interface Flags {
  /** The action inputs given, by input name (the flag without its dashes). */
  inputs: Record<string, string>
  outputFile?: string
  /** --client-certificate-path: a path is no secret, so it may be a flag. */
  certificatePath?: string
  json: boolean
  help: boolean
  version: boolean
  /** Every flag given, by name without dashes, in the order written (export checks them). */
  given: readonly string[]
}

const SPECS = new Map(FLAGS.map(spec => [spec.name, spec]))
const OPTIONS = Object.fromEntries(
  FLAGS.map(spec => [
    spec.name,
    {
      type: spec.kind === 'switch' ? ('boolean' as const) : ('string' as const),
      ...(spec.name === 'help' && { short: 'h' })
    }
  ])
)

export function parseFlags(args: readonly string[]): Flags {
  checkNames(args)
  const { normalized, from } = withBooleanValues(args)
  let parsed
  try {
    parsed = parseArgs({ args: normalized, options: OPTIONS, strict: true, tokens: true })
  } catch (error) {
    throw new UsageError(usageMessage(error, normalized, from))
  }
  const given: string[] = []
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue
    if (given.includes(token.name)) {
      throw new UsageError(`--${token.name} is given twice: give it once. See --help.`)
    }
    given.push(token.name)
    // An empty value is an unset shell variable far more often than a choice: the
    // flag would then be read as not given, and the error would name another one.
    const spec = SPECS.get(token.name)
    if (token.value === '' && spec?.kind === 'text') {
      throw new UsageError(
        `--${spec.name} is empty (an unset variable?): give it a value, such as ` +
          `--${spec.name} ${spec.value}, or leave the flag out. See --help.`
      )
    }
  }

  const inputs: Record<string, string> = {}
  const values = parsed.values as Record<string, string | boolean | undefined>
  for (const spec of INPUT_FLAGS) {
    const value = values[spec.name]
    if (typeof value === 'string') inputs[spec.name] = value
  }
  const outputFile = values['output-file']
  const certificatePath = values['client-certificate-path']
  return {
    inputs,
    ...(typeof outputFile === 'string' && { outputFile }),
    ...(typeof certificatePath === 'string' && { certificatePath }),
    json: values.json === true,
    help: values.help === true,
    version: values.version === true,
    given
  }
}

/** The name of a flag-like argument, without dashes and value: '--tenant-id=x' → 'tenant-id'. */
function flagName(arg: string): string | undefined {
  if (!arg.startsWith('-') || arg === '-') return undefined
  return arg.replace(/^--?/, '').split('=')[0]
}

// Before anything else, so that neither a credential nor a typo reaches
// parseArgs, whose messages would quote the whole argument.
function checkNames(args: readonly string[]): void {
  for (const [index, arg] of args.entries()) {
    if (arg === '--') return
    const name = flagName(arg)
    if (name === undefined) continue
    const credential = CREDENTIAL_FLAGS[name.toLowerCase().replace(/_/g, '-')]
    if (credential) {
      // The flag's name only: its value is the secret.
      throw new UsageError(
        `--${inert(name, 50)} is not accepted: a credential on the command line shows in ` +
          `process lists and shell history. Set ${credential} in the environment instead; see --help.`
      )
    }
    // One dash is for -h only: parseArgs would read -tenant-id as the short flags -t -e -n…
    if (!(arg.startsWith('--') && SPECS.has(name)) && arg !== '-h') {
      // After a bare text flag it is a value that starts with '-', such as -1.
      const previous = SPECS.get(args[index - 1]?.slice(2) ?? '')
      if (previous?.kind === 'text' && args[index - 1] === `--${previous.name}`) {
        throw new UsageError(needsValue(previous))
      }
      throw new UsageError(
        `Unknown flag ${inert(arg.split('=')[0], 100)}; see --help for the flags.`
      )
    }
  }
}

/**
 * `--validate-only` alone means true; `--fail-on-failure false` and
 * `--fail-on-failure=false` set the value. The value is the next argument when
 * it does not start with '-', so a typo such as `--validate-only yes` is
 * checked as a value (true or false) rather than taken for something else.
 */
function withBooleanValues(args: readonly string[]): {
  normalized: string[]
  /** The index in `args` each normalized argument came from. */
  from: number[]
} {
  const normalized: string[] = []
  const from: number[] = []
  const push = (arg: string, index: number): void => {
    normalized.push(arg)
    from.push(index)
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--') {
      for (let j = i; j < args.length; j++) push(args[j], j)
      break
    }
    const spec = SPECS.get(arg.replace(/^--/, ''))
    if (!arg.startsWith('--') || spec?.kind !== 'boolean') {
      push(arg, i)
      continue
    }
    const next = args[i + 1]
    if (next !== undefined && !next.startsWith('-')) {
      push(`${arg}=${next}`, i)
      i++
    } else {
      push(`${arg}=true`, i)
    }
  }
  return { normalized, from }
}

// parseArgs' own messages are multi-line and quote whole arguments: say it in one line.
function usageMessage(error: unknown, args: readonly string[], from: number[]): string {
  const code = (error as { code?: string }).code
  // The flag the message names, without its dashes: it quotes `--tenant-id <value>`,
  // or `-h, --help` for --help.
  const named = /'--?([a-z-]+)/.exec((error as Error).message)?.[1] ?? ''
  const spec = SPECS.get(named === 'h' ? 'help' : named)
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && spec) {
    if (spec.kind === 'switch') return `--${spec.name} takes no value; see --help.`
    return needsValue(spec)
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    // Read loosely, the same arguments hold the one the strict reading stopped
    // at. It is not shown: a stray argument may be a secret pasted without its flag.
    const loose = parseArgs({ args: [...args], options: OPTIONS, strict: false, tokens: true })
    const stray = loose.tokens.find(token => token.kind === 'positional')
    const position = stray ? `at position ${from[stray.index] + 1} ` : ''
    return (
      `An unexpected argument ${position}(not shown: it may be a secret): every value follows ` +
      'its flag, such as --connection-id contosohr. See --help.'
    )
  }
  return 'The flags cannot be read; see --help.'
}

function needsValue(spec: FlagSpec): string {
  return (
    `--${spec.name} needs a value: --${spec.name} ${spec.value} ` +
    `(write --${spec.name}=-x for a value that starts with '-'). See --help.`
  )
}
