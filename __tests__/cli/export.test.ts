// The `export` subcommand, main() in process against the loopback simulator:
// the connector file alone on stdout, the lines on stderr, the flags it
// refuses, and the exit codes.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EXPORT_FLAGS } from '../../src/cli/export.js'
import { FLAGS } from '../../src/cli/flags.js'
import { helpText } from '../../src/cli/help.js'
import { EXIT, main } from '../../src/cli/main.js'
import { checkConnector } from '../../src/engine/connector.js'
import { DEFAULTS, graphError, startSimulator } from '../../simulator/simulator.js'
import type { Simulator } from '../../simulator/simulator.js'

type Json = Record<string, unknown>

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'connector')
const load = (path: string) => readFileSync(join(EXAMPLE, path), 'utf8')
const example = checkConnector(load('connector.json'), { apiVersion: 'v1.0', load }).connector
if (!example?.schema) throw new Error('the example connector file does not pass its check')
const ID = DEFAULTS.connectionId
const SECRET_ENV = {
  AZURE_TENANT_ID: DEFAULTS.tenantId,
  AZURE_CLIENT_ID: DEFAULTS.clientId,
  AZURE_CLIENT_SECRET: DEFAULTS.clientSecret
}

let sim: Simulator
let dir = ''
beforeEach(async () => {
  sim = await startSimulator()
  sim.setConnection(ID, { statuses: ['ready'] }, example.fields)
  sim.setSchema(ID, JSON.parse(example.schema!.text) as never)
  dir = mkdtempSync(join(tmpdir(), 'cli-export-'))
})
afterEach(async () => {
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
})

/** `export` with the simulator's URLs, the connection and the extra arguments. */
const exportArgs = (...extra: string[]) => [
  'export',
  '--connection-id',
  ID,
  '--graph-url',
  sim.url,
  '--authority-url',
  sim.url,
  '--timeout-seconds',
  '10',
  ...extra
]

/** exportArgs() for another connection ID. */
const exportArgsFor = (id: string, ...extra: string[]) =>
  exportArgs(...extra).map((arg, index) => (index === 2 ? id : arg))

async function command(
  args: string[],
  env: Record<string, string> = SECRET_ENV,
  options: { signal?: AbortSignal; stoppedBy?: NodeJS.Signals } = {}
) {
  const written = { stdout: '', stderr: '' }
  const code = await main({
    args,
    env,
    cwd: dir,
    stdout: { write: (text: string) => (written.stdout += text) },
    stderr: { write: (text: string) => (written.stderr += text) },
    version: '1.2.3',
    signal: options.signal ?? new AbortController().signal,
    stoppedBy: () => options.stoppedBy
  })
  const lines = written.stderr.split('\n').filter(Boolean)
  return { code, ...written, lines }
}

describe('export', () => {
  it('writes the connector file alone on stdout, its lines on stderr, exit 0', async () => {
    const run = await command(exportArgs())

    expect(run.code).toBe(EXIT.ok)
    const file = JSON.parse(run.stdout) as Json
    expect(file).toMatchObject({ id: ID, name: example.fields.name })
    expect(run.stdout.endsWith('}\n')).toBe(true)
    const check = checkConnector(run.stdout, { apiVersion: 'v1.0' })
    expect(check.findings.filter(f => f.severity === 'error')).toEqual([])
    expect(run.lines[0]).toBe('Credential: AZURE_CLIENT_SECRET')
    expect(run.lines).toContain(`Reading connection '${ID}' and its schema`)
    expect(run.lines.at(-1)).toBe(`Wrote the connector file of connection '${ID}' to stdout.`)
    expect(sim.requestsTo('graph').map(r => r.method)).toEqual(['GET', 'GET'])
    expect(run.stdout + run.stderr).not.toContain(DEFAULTS.clientSecret)
  })

  it('keeps stdout for the file with TF_BUILD set: the logging commands go to stderr', async () => {
    const run = await command(exportArgs(), { ...SECRET_ENV, TF_BUILD: 'True' })
    expect(run.code).toBe(EXIT.ok)
    expect(JSON.parse(run.stdout)).toMatchObject({ id: ID })
    expect(run.lines.at(-1)).toBe(`Wrote the connector file of connection '${ID}' to stdout.`)

    const missing = await command(exportArgsFor('nosuchone', '--api-version', 'beta'), {
      ...SECRET_ENV,
      TF_BUILD: 'True'
    })
    expect(missing.code).toBe(EXIT.failed)
    expect(missing.stdout).toBe('')
    expect(missing.lines.at(-1)).toMatch(/^##vso\[task\.logissue type=error\].*nosuchone/)
  })

  it('masks a secret that Graph holds, and lets no line of the file be a command', async () => {
    const hostile =
      `::error::a\n::error::b \u001b[31m ##vso[task.setvariable variable=x]1 ##[error]c ` +
      `\u2028 ${DEFAULTS.clientSecret}`
    sim.setConnection(ID, { statuses: ['ready'] }, { ...example.fields, description: hostile })
    const run = await command(exportArgs())

    expect(run.code).toBe(EXIT.ok)
    expect(run.stdout).not.toContain(DEFAULTS.clientSecret)
    expect((JSON.parse(run.stdout) as Json).description).toBe(
      hostile.replace(DEFAULTS.clientSecret, '***')
    )
    for (const line of run.stdout.split('\n')) expect(line.trimStart()).not.toMatch(/^::/)
    expect(run.stdout).not.toMatch(/##(vso)?\[/)
    expect(run.stdout).not.toContain('\u001b')
    expect(run.stdout).not.toContain('\u2028')
  })

  it('fails with one line naming --connection-id when Graph has no such connection, exit 1', async () => {
    const run = await command(exportArgsFor('nosuchone'))
    expect(run.code).toBe(EXIT.failed)
    expect(run.stdout).toBe('')
    expect(run.lines.at(-1)).toBe(
      "Error: Graph found no connection 'nosuchone' to export. Check --connection-id, and that " +
        'AZURE_TENANT_ID and --cloud are where the connection was created.'
    )
  })

  it('fails a Graph error with exit 1, saying what Graph said', async () => {
    sim.injectFaults('graph', graphError(403, 'Forbidden', 'Not this app.'))
    const run = await command(exportArgs())
    expect(run.code).toBe(EXIT.failed)
    expect(run.stdout).toBe('')
    expect(run.lines.at(-1)).toMatch(/^Error: Graph denied access to connection 'contosohr'.*/)
  })

  const WAITS = 'export reads a connection and its schema; it waits for no operation'
  const CREATES = 'export creates no connection; it reads one that exists'
  const OTHER = 'it is not one of the flags export takes'
  it.each([
    ['--operation-id', ['x'], WAITS],
    [
      '--operation-url',
      ['https://graph.microsoft.com/v1.0/external/connections/a/operations/b'],
      WAITS
    ],
    [
      '--schema-file',
      ['schema.json'],
      'export writes the connector file from what Graph has; it submits nothing'
    ],
    ['--connection-name', ['Contoso'], CREATES],
    ['--connection-description', ['HR'], CREATES],
    ['--validate-only', [], 'export reads the connection from Graph, so it signs in'],
    ['--require-copilot-ready', [], OTHER],
    ['--poll-interval-seconds', ['1'], OTHER],
    ['--fail-on-failure', ['false'], OTHER],
    [
      '--output-file',
      ['outputs.env'],
      'export has no outputs: the connector file on stdout is its output; redirect it, as in ' +
        'export --connection-id contosohr > connector.json'
    ],
    [
      '--json',
      [],
      'export has no outputs: the connector file on stdout is its output, and --json would ' +
        'add a second JSON text there'
    ]
  ])(
    'refuses %s with exit 2, one line naming it and why, and no request',
    async (flag, value, why) => {
      const run = await command(exportArgs(flag, ...value))
      expect(run.code).toBe(EXIT.usage)
      expect(run.stdout).toBe('')
      expect(run.lines).toEqual([`Error: ${flag} cannot be used with export: ${why}. See --help.`])
      expect(sim.requests).toEqual([])
    }
  )

  it('refuses the first flag it does not take, in the order written', async () => {
    expect((await command(exportArgs('--json', '--schema-file', 's.json'))).lines).toEqual([
      expect.stringMatching(/^Error: --json cannot be used/)
    ])
    expect((await command(exportArgs('--schema-file', 's.json', '--json'))).lines).toEqual([
      expect.stringMatching(/^Error: --schema-file cannot be used/)
    ])
  })

  it('takes only flags that exist, and --help names each one it takes', () => {
    const taken = FLAGS.filter(spec => EXPORT_FLAGS.has(spec.name)).map(spec => spec.name)
    expect([...EXPORT_FLAGS].sort()).toEqual([...taken].sort())
    const help = helpText('1.2.3').replace(/\s+/g, ' ')
    for (const name of taken.filter(name => name !== 'help' && name !== 'version')) {
      expect(help).toMatch(new RegExp(`takes [^.;]*--${name}\\b`))
    }
  })

  it('needs --connection-id: exit 2, no request', async () => {
    const run = await command(['export'])
    expect(run.code).toBe(EXIT.usage)
    expect(run.lines).toEqual([
      'Error: export needs --connection-id: the ID of the connection to export, as in ' +
        'export --connection-id contosohr > connector.json. See --help.'
    ])
    expect(sim.requests).toEqual([])
  })

  it('refuses a bad flag or value as every run does, exit 2', async () => {
    const bogus = await command(['export', '--bogus'])
    expect(bogus.code).toBe(EXIT.usage)
    expect(bogus.lines).toEqual(['Error: Unknown flag --bogus; see --help for the flags.'])
    const value = await command(exportArgs('--cloud', 'mars'))
    expect(value.code).toBe(EXIT.usage)
    expect(value.lines.at(-1)).toMatch(/^Error: --cloud must be global, usgov or usgov-dod/)
    const secret = await command(['export', '--client-secret', 'abc'])
    expect(secret.code).toBe(EXIT.usage)
    expect(secret.stderr).not.toContain('abc')
    expect(sim.requests).toEqual([])
  })

  it('says which variables to set when no credential is, exit 2', async () => {
    const run = await command(exportArgs(), {
      AZURE_TENANT_ID: DEFAULTS.tenantId,
      AZURE_CLIENT_ID: DEFAULTS.clientId
    })
    expect(run.code).toBe(EXIT.usage)
    expect(run.lines.at(-1)).toContain('AZURE_CLIENT_SECRET')
    expect(sim.requests).toEqual([])
  })

  it('prints the help, which documents export, and the version on stdout', async () => {
    const help = await command(['export', '--help'])
    expect(help).toMatchObject({ code: 0, stdout: helpText('1.2.3'), stderr: '' })
    expect(help.stdout).toContain('export --connection-id ID > connector.json')
    const version = await command(['export', '--version'])
    expect(version).toMatchObject({ code: 0, stdout: '1.2.3\n', stderr: '' })
    expect(sim.requests).toEqual([])
  })

  it('stops at once when cancelled, with 128 + the signal', async () => {
    const cancel = new AbortController()
    sim.onRequest = request => {
      if (request.service === 'graph') cancel.abort()
    }
    sim.injectFaults('graph', 'hang')
    const run = await command(exportArgs(), SECRET_ENV, {
      signal: cancel.signal,
      stoppedBy: 'SIGINT'
    })
    expect(run.code).toBe(130)
    expect(run.stdout).toBe('')
    expect(run.lines.at(-1)).toMatch(
      new RegExp(
        `^Error: Cancelled after \\d+\\.\\d s while reading connection '${ID}' to export it\\.$`
      )
    )
  })
})
