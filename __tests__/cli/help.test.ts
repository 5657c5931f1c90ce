// The text of --help: each flag with its value and what it does, the
// credentials in the order they sign in, where output goes, what export takes,
// and the exit codes.
import { describe, expect, it } from '@jest/globals'
import { EXPORT_FLAGS } from '../../src/cli/export.js'
import { CREDENTIAL_FLAGS, FLAGS } from '../../src/cli/flags.js'
import { COMMAND, helpText } from '../../src/cli/help.js'

describe('help', () => {
  const help = helpText('1.2.3')
  const lines = help.split('\n')

  /** The paragraph whose first line starts with `start`, up to the next blank line. */
  function paragraph(start: string): string[] {
    const first = lines.findIndex(line => line.startsWith(start))
    return lines.slice(first, lines.indexOf('', first))
  }

  it('lists every flag, the credential variables and the exit codes', () => {
    for (const spec of FLAGS) expect(help).toContain(`--${spec.name}`)
    for (const variable of new Set(Object.values(CREDENTIAL_FLAGS))) {
      expect(help).toContain(variable)
    }
    expect(help).toContain('AZURE_TENANT_ID')
    for (const code of ['0 ', '1 ', '2 ', '130 ']) expect(help).toContain(`\n  ${code}`)
    expect(lines[0]).toBe('wait-for-graph-connector-operation 1.2.3')
  })

  it('shows each flag with what its value looks like and what it does', () => {
    const flags = help.slice(help.indexOf('Flags:\n'), help.indexOf('  A true/false flag'))
    expect(flags.split('\n')).toEqual([
      'Flags:',
      '  --tenant-id ID              Entra tenant: a GUID or a domain such as',
      '                              contoso.onmicrosoft.com (else AZURE_TENANT_ID)',
      "  --client-id GUID            the app registration's Application (client) ID",
      '                              (else AZURE_CLIENT_ID)',
      '  --client-certificate-path PATH',
      "                              a PEM file with the app's private key and its",
      '                              certificate: a path, not a secret (else',
      '                              AZURE_CLIENT_CERTIFICATE_PATH)',
      '  --operation-url URL         the whole Location header of PATCH .../schema;',
      '                              replaces --connection-id and --operation-id',
      '  --connection-id ID          external connection ID, e.g. contosohr; alone,',
      '                              wait until the connection is ready',
      '  --operation-id ID           the connectionOperation ID: the last segment of',
      '                              the Location header',
      '  --schema-file PATH          a schema JSON file (relative to the current',
      '                              directory): check it, submit it to --connection-id',
      '                              unless Graph has it, wait',
      '  --connection-name NAME      with --schema-file: create the connection with',
      '                              this name when it does not exist',
      '  --connection-description TEXT',
      '                              with --connection-name: the description of the',
      '                              connection to create',
      '  --connector-file PATH       a connector file (connection fields and schema):',
      '                              check it, create or update the connection, submit',
      '                              the schema, wait',
      '  --plan [true|false]         with --connector-file: read and compare, print',
      '                              each change, write nothing',
      '  --fail-on-changes [true|false]',
      '                              with --plan: exit 1 when anything differs (a drift',
      '                              check)',
      '  --validate-only [true|false]',
      '                              check the flags and the schema file, then stop: no',
      '                              sign-in, no request, no credential needed',
      '  --require-copilot-ready [true|false]',
      "                              make the schema's Copilot readiness warnings",
      '                              errors',
      '  --timeout-seconds N         limit for the whole run, sign-in included (default',
      '                              1800)',
      '  --poll-interval-seconds N|auto',
      '                              seconds between polls, or auto: 2 s at first, then',
      '                              a tenth of the time waited, at most 30 s (default',
      '                              auto)',
      '  --fail-on-failure [true|false]',
      '                              false: a failed operation is a warning and exits 0',
      '                              (default true)',
      '  --cloud NAME                global, usgov or usgov-dod (default global)',
      '  --api-version VERSION       v1.0 or beta (default v1.0)',
      '  --graph-url URL             base URL of Graph; overrides --cloud (https://, or',
      '                              http:// for loopback)',
      '  --authority-url URL         base URL of Entra; overrides --cloud (https://, or',
      '                              http:// for loopback)',
      '  --audience AUD              audience of the GitHub OIDC token, when run inside',
      '                              GitHub Actions',
      "  --output-file PATH          write the outputs as KEY=VALUE lines (GitLab's",
      '                              artifacts:reports:dotenv)',
      '  --json                      print the outputs as one JSON object on stdout',
      '  --help, -h                  show this help',
      '  --version                   show the version',
      ''
    ])
  })

  it('fits an 80-column terminal', () => {
    const long = lines.filter(line => line.length > 80)
    expect(long).toEqual([])
  })

  it('says what it does and how it is called, one line for each way', () => {
    expect(lines.slice(1, 12)).toEqual([
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
      `  ${COMMAND} export --connection-id ID > connector.json`
    ])
  })

  it('names the credential variables in the order they sign in, and the rest it reads', () => {
    expect(paragraph('Credentials ')).toEqual([
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
      '--tenant-id, --client-id and --authority-url. Managed identity is not supported.'
    ])
  })

  it('says where progress, the verdict and the outputs go, and how to see debug lines', () => {
    const text = paragraph('Progress ').join(' ')
    expect(text).toBe(
      'Progress goes to stderr, the verdict is the last line. --json prints the outputs ' +
        '(status, error-code, error-message, operation, connection, elapsed-seconds, ' +
        'operation-url, changes) on stdout. With TF_BUILD set (Azure Pipelines) ' +
        'everything goes to stdout: warnings and errors as ##vso[task.logissue], the ' +
        'outputs as output variables. RUNNER_DEBUG=1 or CI_DEBUG_TRACE=true shows debug lines.'
    )
  })

  it('says what export writes and reads, and names exactly the flags with a value it takes', () => {
    const text = paragraph('export ').join(' ')
    const taken = FLAGS.filter(spec => EXPORT_FLAGS.has(spec.name) && spec.kind === 'text')
    expect(text).toBe(
      'export writes the connector file of a connection that already exists to stdout: ' +
        'its writable fields and its schema, without what Graph sets (state, annotations, ' +
        'false flags, empty lists), each layout inline. It only reads: two requests to ' +
        'Graph, no write. Its lines all go to stderr, with TF_BUILD set too. It takes ' +
        `${taken.map(spec => `--${spec.name}`).join(', ')}; any other flag is refused.`
    )
    expect(taken.length).toBeGreaterThanOrEqual(8)
  })

  it('gives every exit code, last', () => {
    expect(paragraph('Exit codes:')).toEqual([
      'Exit codes:',
      '  0    completed, ready, already in place, valid, or exported; also a failed',
      '       operation with --fail-on-failure false',
      '  1    the operation failed or timed out, or a sign-in or Graph error',
      '  2    bad usage: a bad flag or value, or a schema file that fails the local',
      '       checks',
      '  130  interrupted (Ctrl-C); 143 when terminated (SIGTERM)'
    ])
    expect(help.endsWith('(SIGTERM)\n')).toBe(true)
  })
})
