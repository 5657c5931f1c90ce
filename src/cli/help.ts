// The text of --help: what to wait for, every flag, the credentials the
// environment holds, what is written where, and the exit codes.
import { OUTPUT_NAMES } from '../engine/index.js'
import { EXPORT_COMMAND, EXPORT_FLAGS } from './export.js'
import { FLAGS } from './flags.js'
import { DEBUG_SWITCHES, PLATFORMS } from './platforms.js'

export const COMMAND = 'wait-for-graph-connector-operation'

/** The help is read in a terminal: no line is longer than this. */
const WIDTH = 80
const FLAG_COLUMN = 30

export function helpText(version: string): string {
  const flags = FLAGS.flatMap(spec => {
    const usage =
      spec.kind === 'text'
        ? `--${spec.name} ${spec.value}`
        : spec.kind === 'boolean'
          ? `--${spec.name} [true|false]`
          : `--${spec.name}${spec.name === 'help' ? ', -h' : ''}`
    const lines = wrap(spec.help, WIDTH - FLAG_COLUMN)
    // A long flag gets its own line, its text below it.
    if (usage.length > FLAG_COLUMN - 4) lines.unshift('')
    return lines.map((text, i) =>
      `${i === 0 ? `  ${usage}`.padEnd(FLAG_COLUMN) : ' '.repeat(FLAG_COLUMN)}${text}`.trimEnd()
    )
  })
  return [
    `${COMMAND} ${version}`,
    '',
    'Waits for a Microsoft Graph connector operation, or for a connection to be',
    'ready, or checks and submits a schema file and waits for it: the GitHub Action',
    'of the same name, for Azure Pipelines, GitLab CI and any shell.',
    '',
    'Usage:',
    `  ${COMMAND} --operation-url URL`,
    `  ${COMMAND} --connection-id ID --operation-id ID`,
    `  ${COMMAND} --connection-id ID   (until it is ready)`,
    `  ${COMMAND} --connection-id ID --schema-file PATH`,
    `  ${COMMAND} ${EXPORT_COMMAND} --connection-id ID > connector.json`,
    '',
    'Flags:',
    ...flags,
    '  A true/false flag alone means true: --validate-only, --fail-on-failure false.',
    '',
    'Credentials come from the environment only, as the Azure SDKs read them: a flag',
    'such as --client-secret is refused, because a command line shows in process',
    'lists and shell history. The first one set signs in:',
    '  AZURE_CLIENT_SECRET            a client secret of the app',
    '  AZURE_CLIENT_CERTIFICATE_PATH  a PEM file with the unencrypted RSA private key',
    '                                 and its certificate (--client-certificate-path',
    '                                 too); no password: convert a .pfx to PEM first',
    '  AZURE_FEDERATED_TOKEN_FILE     a file holding a federated ID token (workload',
    '                                 identity federation), read for every sign-in',
    "  (in GitHub Actions, the job's OIDC token; --audience sets its audience)",
    'AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_AUTHORITY_HOST stand in for',
    '--tenant-id, --client-id and --authority-url. Managed identity is not supported.',
    '',
    ...wrap(
      'Progress goes to stderr, the verdict is the last line. --json prints the outputs ' +
        `(${OUTPUT_NAMES.join(', ')}) on stdout. ` +
        PLATFORMS.filter(platform => platform.variable)
          .map(platform => `With ${platform.variable} set (${platform.name}) ${platform.help}`)
          .join(' ') +
        ` ${DEBUG_SWITCHES.map(({ variable, value }) => `${variable}=${value}`).join(' or ')} ` +
        'shows debug lines.',
      WIDTH
    ),
    '',
    ...wrap(
      `${EXPORT_COMMAND} writes the connector file of a connection that already exists to ` +
        'stdout: its writable fields and its schema, without what Graph sets (state, ' +
        'annotations, false flags, empty lists), each layout inline. It only reads: two ' +
        'requests to Graph, no write. Its lines all go to stderr, with TF_BUILD set too. It takes ' +
        FLAGS.filter(spec => EXPORT_FLAGS.has(spec.name) && spec.kind !== 'switch')
          .map(spec => `--${spec.name}`)
          .join(', ') +
        '; any other flag is refused.',
      WIDTH
    ),
    '',
    'Exit codes:',
    '  0    completed, ready, already in place, valid, or exported; also a failed',
    '       operation with --fail-on-failure false',
    '  1    the operation failed or timed out, or a sign-in or Graph error',
    '  2    bad usage: a bad flag or value, or a schema file that fails the local',
    '       checks',
    '  130  interrupted (Ctrl-C); 143 when terminated (SIGTERM)',
    ''
  ].join('\n')
}

/** Words in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else {
      line = line ? `${line} ${word}` : word
    }
  }
  return [...lines, line]
}
