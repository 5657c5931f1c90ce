// The command's whole run, main(), in process; and the exit code of a verdict,
// what a pipeline branches on.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { helpText } from '../../src/cli/help.js'
import { EXIT, exitCodeOf, main } from '../../src/cli/main.js'
import { outputsOf } from '../../src/engine/verdict.js'
import { DEFAULTS, graphError, startSimulator } from '../../simulator/simulator.js'
import type { Simulator } from '../../simulator/simulator.js'
import { OPERATION_ID, actionInputs } from '../helpers/run-action.js'

const SCHEMA_FIXTURE = new URL('../fixtures/schema.json', import.meta.url)

const verdict = (level: 'pass' | 'warn' | 'fail', outputs = outputsOf({ elapsedMs: 0 })) => ({
  level,
  outputs
})

describe('exitCodeOf', () => {
  it('is 0 for a pass and for a warning (a failure with fail-on-failure false)', () => {
    expect(exitCodeOf(verdict('pass'))).toBe(EXIT.ok)
    expect(exitCodeOf(verdict('warn'))).toBe(0)
  })

  it('is 1 for a failure', () => {
    expect(exitCodeOf(verdict('fail'))).toBe(1)
  })

  it('is 2 for a schema file that fails the local checks: bad input, nothing was sent', () => {
    const outputs = {
      ...outputsOf({ status: 'invalid', elapsedMs: 0 }),
      'error-code': 'InvalidSchemaFile'
    }
    expect(exitCodeOf(verdict('fail', outputs))).toBe(2)
  })

  it('is 128 plus the signal for a run stopped by one', () => {
    expect(exitCodeOf(verdict('fail'), 'SIGINT')).toBe(130)
    expect(exitCodeOf(verdict('fail'), 'SIGTERM')).toBe(143)
    expect(exitCodeOf(verdict('pass'), 'SIGINT')).toBe(0)
  })
})

// The whole command in process, against the loopback simulator: no child
// process, a few milliseconds each. The end-to-end tests run the bundle.
describe('main(), in process', () => {
  let sim: Simulator
  let dir = ''

  beforeEach(async () => {
    sim = await startSimulator()
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress', 'completed'] })
    sim.setOperation(DEFAULTS.connectionId, 'fails', {
      statuses: ['failed'],
      error: { code: 'InvalidSchema', message: 'The simulated schema was rejected.' }
    })
    dir = mkdtempSync(join(tmpdir(), 'cli-main-'))
  })
  afterEach(async () => {
    await sim.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const secretEnv = {
    AZURE_TENANT_ID: DEFAULTS.tenantId,
    AZURE_CLIENT_ID: DEFAULTS.clientId,
    AZURE_CLIENT_SECRET: DEFAULTS.clientSecret
  }
  const flags = (overrides: Record<string, string> = {}) =>
    Object.entries({
      'connection-id': DEFAULTS.connectionId,
      'operation-id': OPERATION_ID,
      'poll-interval-seconds': '0.05',
      'timeout-seconds': '10',
      'graph-url': sim.url,
      'authority-url': sim.url,
      ...overrides
    })
      // An empty override leaves the flag out, as the command refuses an empty value.
      .filter(([, value]) => value !== '')
      .flatMap(([name, value]) => [`--${name}`, value])

  async function command(
    args: string[],
    env: Record<string, string> = secretEnv,
    options: {
      signal?: AbortSignal
      stoppedBy?: NodeJS.Signals
      now?: () => number
      stdout?: (text: string) => void
    } = {}
  ) {
    const written = { stdout: '', stderr: '' }
    const code = await main({
      args,
      env,
      cwd: dir,
      stdout: { write: options.stdout ?? ((text: string) => (written.stdout += text)) },
      stderr: { write: (text: string) => (written.stderr += text) },
      version: '1.2.3',
      signal: options.signal ?? new AbortController().signal,
      stoppedBy: () => options.stoppedBy,
      ...(options.now && { now: options.now })
    })
    const lines = written.stderr.split('\n').filter(Boolean)
    return { code, ...written, lines }
  }

  it('prints the help and the version on stdout, with exit code 0 and no request', async () => {
    const help = await command(['--help'])
    expect(help).toMatchObject({ code: 0, stdout: helpText('1.2.3'), stderr: '' })
    const version = await command(['--version'])
    expect(version).toMatchObject({ code: 0, stdout: '1.2.3\n', stderr: '' })
    expect(sim.requests).toHaveLength(0)
  })

  it('shows the help when given no flag at all, and exits 2 saying what is missing', async () => {
    const run = await command([])
    expect(run.code).toBe(EXIT.usage)
    expect(run.stdout).toBe(helpText('1.2.3'))
    expect(run.lines).toEqual([
      'Error: No flags given: say what to wait for, such as --connection-id contosohr.'
    ])
    expect(sim.requests).toHaveLength(0)
  })

  it('refuses a bad flag with exit code 2, one line and no request', async () => {
    const run = await command(['--bogus'])
    expect(run.code).toBe(EXIT.usage)
    expect(run.lines).toHaveLength(1)
    expect(run.lines[0]).toMatch(/^Error: .*--bogus/)
    expect(sim.requests).toHaveLength(0)
  })

  it('refuses a bad value with exit code 2 before any request, naming the flag', async () => {
    const run = await command(flags({ 'timeout-seconds': 'soon' }), {
      ...secretEnv,
      RUNNER_DEBUG: '1'
    })
    expect(run.code).toBe(EXIT.usage)
    // A message written for the user, so no stack, even with debug output on.
    expect(run.lines).toHaveLength(1)
    expect(run.lines[0]).toMatch(/^Error: .*--timeout-seconds/)
    expect(sim.requests).toHaveLength(0)
  })

  it('sets the outputs of a bad value too, with the time it took', async () => {
    // Two readings start the run (the output's clock and the command's); the rest are 2.5 s on.
    let readings = 0
    const now = () => (readings++ < 2 ? 1_000 : 3_500)
    const run = await command([...flags({ 'timeout-seconds': 'soon' }), '--json'], secretEnv, {
      now
    })
    expect(run.code).toBe(EXIT.usage)
    expect(JSON.parse(run.stdout)).toMatchObject({ status: '', 'elapsed-seconds': '2.5' })
  })

  it("masks the lines of AZURE_CLIENT_CERTIFICATE_PATH's key wherever they are pasted", async () => {
    const path = fileURLToPath(new URL('../fixtures/app.pem', import.meta.url))
    const keyLine = readFileSync(path, 'utf8').split('\n')[1].trim()
    expect(keyLine.length).toBeGreaterThan(40)
    const run = await command(flags({ 'api-version': keyLine }), {
      AZURE_TENANT_ID: DEFAULTS.tenantId,
      AZURE_CLIENT_ID: DEFAULTS.clientId,
      AZURE_CLIENT_CERTIFICATE_PATH: path
    })
    expect(run.code).toBe(EXIT.usage)
    expect(run.lines.at(-1)).toContain("got '***'")
    expect(run.stderr).not.toContain(keyLine)
  })

  it('masks the secrets of the environment wherever they are pasted, trimmed or not', async () => {
    const secret = 'pasted-Secret.Value-0123456789'
    const requestToken = 'runner-request-token-0123456789'
    for (const [env, value] of [
      [{ ...secretEnv, AZURE_CLIENT_SECRET: ` ${secret} ` }, secret],
      [{ ...secretEnv, AZURE_CLIENT_SECRET: ` ${secret} ` }, ` ${secret} `],
      [{ ...secretEnv, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken }, requestToken]
    ] as const) {
      const run = await command(flags({ 'api-version': value }), env)
      expect(run.code).toBe(EXIT.usage)
      expect(run.lines.at(-1)).toContain('***')
      expect(run.stderr).not.toContain(value.trim())
    }
  })

  it('waits for a completed operation: exit 0, progress on stderr, --json alone on stdout', async () => {
    const run = await command([...flags(), '--json'])

    expect(run.code).toBe(EXIT.ok)
    expect(run.lines[0]).toBe('Credential: AZURE_CLIENT_SECRET')
    expect(run.lines.at(-1)).toMatch(/^Operation '.*' of connection 'contosohr': completed/)
    const outputs = JSON.parse(run.stdout) as Record<string, string>
    expect(outputs).toMatchObject({ status: 'completed', 'error-code': '', 'error-message': '' })
    expect(sim.requestsTo('token')).toHaveLength(1)
    expect(run.stdout + run.stderr).not.toContain(DEFAULTS.clientSecret)
  })

  it('fails a failed operation with exit code 1, or 0 with --fail-on-failure false', async () => {
    const failed = await command(flags({ 'operation-id': 'fails' }))
    expect(failed.code).toBe(EXIT.failed)
    expect(failed.lines.at(-1)).toContain('The simulated schema was rejected.')

    const softened = await command([
      ...flags({ 'operation-id': 'fails' }),
      '--fail-on-failure',
      'false'
    ])
    expect(softened.code).toBe(EXIT.ok)
    expect(softened.lines.at(-1)).toMatch(/^Warning: /)
    expect(failed.stdout + softened.stdout).toBe('')
  })

  it('writes everything to stdout as logging commands when TF_BUILD is set', async () => {
    const run = await command(flags({ 'operation-id': 'fails' }), {
      ...secretEnv,
      TF_BUILD: 'True'
    })

    expect(run.code).toBe(EXIT.failed)
    expect(run.stderr).toBe('')
    expect(run.stdout).toContain('##vso[task.setvariable variable=status;isOutput=true]failed')
    expect(run.stdout).toMatch(/##vso\[task\.logissue type=error[^\]]*\].*rejected/)
  })

  it('writes the outputs to --output-file, and refuses an unwritable one before any request', async () => {
    const file = join(dir, 'gate.env')
    const run = await command([...flags(), '--output-file', file])
    expect(run.code).toBe(EXIT.ok)
    expect(readFileSync(file, 'utf8')).toMatch(/^STATUS=completed$/m)

    sim.requests.length = 0
    const refused = await command([...flags(), '--output-file', join(dir, 'no', 'such', 'dir')])
    expect(refused.code).toBe(EXIT.usage)
    expect(refused.lines.at(-1)).toMatch(/^Error: --output-file cannot be written/)
    expect(sim.requests).toHaveLength(0)
  })

  it('fails when the outputs cannot be written at the end, after showing the verdict', async () => {
    const file = join(dir, 'gate.env')
    sim.onRequest = request => {
      // The file is writable when the run starts, and a directory by its end.
      if (request.service === 'graph' && !existsSync(join(file, 'x'))) {
        rmSync(file, { force: true })
        mkdirSync(join(file, 'x'), { recursive: true })
      }
    }
    const run = await command([...flags(), '--output-file', file])

    expect(run.code).toBe(EXIT.failed)
    expect(run.lines.at(-2)).toMatch(/^Operation '.*' of connection 'contosohr': completed/)
    expect(run.lines.at(-1)).toMatch(
      /^Error: --output-file cannot be written: '.*gate\.env' \(EISDIR\)\.$/
    )
  })

  it('fails a sign-in Entra refuses with exit code 1, keeping what was waited for', async () => {
    const run = await command([...flags(), '--json'], {
      ...secretEnv,
      AZURE_CLIENT_SECRET: 'not-the-Secret.Value-0123456789'
    })

    expect(run.code).toBe(EXIT.failed)
    expect(run.lines.at(-1)).toMatch(/^Error: Sign-in to Microsoft Entra ID failed: AADSTS7000215/)
    const outputs = JSON.parse(run.stdout) as Record<string, string>
    expect(outputs['operation-url']).toBe(
      `${sim.url}/v1.0/external/connections/contosohr/operations/${OPERATION_ID}`
    )
    expect(sim.requestsTo('graph')).toHaveLength(0)
  })

  it('names no operation when a schema submission fails before one starts', async () => {
    writeFileSync(join(dir, 'schema.json'), readFileSync(SCHEMA_FIXTURE))
    const run = await command(
      [...flags({ 'operation-id': '', 'schema-file': 'schema.json' }), '--json'],
      { ...secretEnv, AZURE_CLIENT_SECRET: 'not-the-Secret.Value-0123456789' }
    )
    expect(run.code).toBe(EXIT.failed)
    expect(JSON.parse(run.stdout)).toMatchObject({ 'operation-url': '', status: '' })
  })

  it('writes each finding on its file and line, and the warnings do not fail the run', async () => {
    writeFileSync(
      join(dir, 'schema.json'),
      JSON.stringify({ properties: [{ name: 'body', type: 'string' }] }, null, 2)
    )
    const run = await command(flags({ 'operation-id': '', 'schema-file': 'schema.json' }))

    expect(run.code).toBe(EXIT.ok)
    const findings = run.lines.filter(line => line.startsWith('schema.json:'))
    expect(findings.length).toBeGreaterThanOrEqual(4)
    expect(
      findings.every(line => /^schema\.json(:\d+)?: warning: Copilot readiness: /.test(line))
    ).toBe(true)
    expect(run.lines.at(-1)).not.toMatch(/^(Error|Warning): /)
  })

  it("fails a failed schema operation with 'Error: ', though the file had only warnings", async () => {
    sim.schemaOperation = {
      statuses: ['failed'],
      error: { code: 'InvalidSchema', message: 'The simulated schema was rejected.' }
    }
    writeFileSync(
      join(dir, 'schema.json'),
      JSON.stringify({ properties: [{ name: 'body', type: 'string' }] }, null, 2)
    )
    const run = await command(flags({ 'operation-id': '', 'schema-file': 'schema.json' }))

    expect(run.code).toBe(EXIT.failed)
    expect(run.lines.at(-1)).toMatch(/^Error: .*The simulated schema was rejected\./)
  })

  it('names --schema-file when the file cannot be read, exit code 2, nothing sent', async () => {
    const run = await command([
      ...flags({ 'operation-id': '', 'schema-file': 'missing.json' }),
      '--json'
    ])
    expect(run.code).toBe(EXIT.usage)
    expect(run.lines.at(-1)).toMatch(
      /^Error: .*--schema-file.*'missing\.json' cannot be read \(ENOENT\)/
    )
    expect(JSON.parse(run.stdout)).toMatchObject({ status: '', 'operation-url': '' })
    expect(sim.requests).toHaveLength(0)
  })

  it('signs in to nothing with --validate-only, naming no credential', async () => {
    writeFileSync(join(dir, 'schema.json'), readFileSync(SCHEMA_FIXTURE))
    const run = await command(
      ['--connection-id', 'contosohr', '--schema-file', 'schema.json', '--validate-only'],
      { ...secretEnv, AZURE_FEDERATED_TOKEN_FILE: join(dir, 'no-token') }
    )
    expect(run.code).toBe(EXIT.ok)
    expect(run.stderr).not.toContain('Credential:')
    expect(sim.requests).toHaveLength(0)
  })

  it('checks a schema file with --validate-only alone: no connection, no credential', async () => {
    writeFileSync(join(dir, 'schema.json'), readFileSync(SCHEMA_FIXTURE))
    const run = await command(['--validate-only', '--schema-file', 'schema.json'], {})

    expect(run.code).toBe(EXIT.ok)
    expect(run.lines.at(-1)).toMatch(
      /^Schema file schema\.json is valid \(.*\); --validate-only: nothing was sent to Graph\.$/
    )
    expect(sim.requests).toHaveLength(0)
  })

  it('names AZURE_FEDERATED_TOKEN_FILE when its file cannot be read, before any request', async () => {
    const missing = join(dir, 'no-token')
    const run = await command(flags(), {
      AZURE_TENANT_ID: DEFAULTS.tenantId,
      AZURE_CLIENT_ID: DEFAULTS.clientId,
      AZURE_FEDERATED_TOKEN_FILE: missing
    })
    expect(run.code).toBe(EXIT.usage)
    expect(run.lines).toEqual([
      `Error: AZURE_FEDERATED_TOKEN_FILE: The federated token file '${missing}' cannot be read ` +
        "(ENOENT). Write the platform's ID token to that file before the command runs; see --help."
    ])
    expect(sim.requests).toHaveLength(0)
  })

  it('ends in one line, exit code 1, when something unforeseen throws', async () => {
    const run = await command(
      ['--version'],
      { ...secretEnv, RUNNER_DEBUG: '1' },
      {
        stdout: () => {
          throw new Error('stdout is gone')
        }
      }
    )
    expect(run.code).toBe(EXIT.failed)
    // With debug output on, its stack first, for whoever reports it.
    expect(run.lines[0]).toMatch(/^Debug: Error: stdout is gone\\n +at /)
    expect(run.lines.filter(line => line.startsWith('Error: '))).toEqual([run.lines.at(-1)])
    expect(run.lines.at(-1)).toMatch(/^Error: .*stdout is gone$/)
  })

  it('writes at most 50 findings, then one line for the rest', async () => {
    const properties = Array.from({ length: 60 }, (_, i) => ({ name: `p_${i}`, type: 'integer' }))
    writeFileSync(join(dir, 'schema.json'), JSON.stringify({ properties }, null, 2))
    const run = await command(flags({ 'operation-id': '', 'schema-file': 'schema.json' }))

    expect(run.code).toBe(EXIT.usage)
    const findings = run.lines.filter(line => line.startsWith('schema.json:'))
    expect(findings).toHaveLength(50)
    expect(findings.every(line => / error: /.test(line))).toBe(true)
    expect(run.lines).toContainEqual(
      expect.stringMatching(
        /^Warning: … and \d+ more findings in the schema file; fix these and run again to see them\.$/
      )
    )
  })

  it('exits 2 for a schema file with errors, sending nothing', async () => {
    writeFileSync(
      join(dir, 'schema.json'),
      JSON.stringify({ properties: [{ name: 'count', type: 'int64', isSearchable: true }] })
    )
    const run = await command(flags({ 'operation-id': '', 'schema-file': 'schema.json' }))

    expect(run.code).toBe(EXIT.usage)
    expect(run.stderr).toMatch(
      /^schema\.json:\d+(:\d+)?: error: .*only string and stringCollection properties can be searchable/m
    )
    // Its errors are written already: the last line says how many, not 'Error: ' again.
    expect(run.lines.at(-1)).not.toMatch(/^Error: /)
    expect(sim.requests).toHaveLength(0)
  })

  it('says which variables to set when no credential is, exit code 2', async () => {
    const run = await command(flags(), {
      AZURE_TENANT_ID: DEFAULTS.tenantId,
      AZURE_CLIENT_ID: DEFAULTS.clientId
    })
    expect(run.code).toBe(EXIT.usage)
    expect(run.lines.at(-1)).toContain('AZURE_CLIENT_SECRET')
    expect(sim.requests).toHaveLength(0)
  })

  it('stops at once when cancelled, with 128 + the signal', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress'] })
    const cancel = new AbortController()
    sim.onRequest = request => {
      if (request.service === 'graph') cancel.abort()
    }
    const started = performance.now()
    const run = await command(flags(), secretEnv, { signal: cancel.signal, stoppedBy: 'SIGINT' })

    expect(run.code).toBe(130)
    expect(run.lines.at(-1)).toMatch(/^Error: Cancelled after /)
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  // The engine names every setting in the command line's voice: no message a
  // CLI user can get names an action input they do not have.
  describe('speaks in flags and variables only', () => {
    // An input name as the action writes it: quoted, or bare and not part of a flag.
    const actionNames = actionInputs().flatMap(name => [
      `'${name}'`,
      ...(name.includes('-') ? [`(?<![\\w-])${name}(?![\\w-])`] : [])
    ])
    const ACTION_NAME = new RegExp(`${actionNames.join('|')}|Input '|the action\\b`)
    const wrongSecret = { ...secretEnv, AZURE_CLIENT_SECRET: 'not-the-Secret.Value-0123456789' }

    type Case = {
      name: string
      args: () => string[]
      env?: Record<string, string>
      setup?: () => void
      /** What the message says, so the case is known to reach its failure. */
      says: RegExp
    }
    const schemaFile = () => {
      writeFileSync(join(dir, 'schema.json'), readFileSync(SCHEMA_FIXTURE))
    }
    const cases: Case[] = [
      // Bad values, each input refused as the engine words it.
      {
        name: 'a bad tenant',
        args: () => flags({ 'tenant-id': 'not a tenant' }),
        says: /^--tenant-id must/
      },
      {
        name: 'a bad client ID from the environment',
        args: flags,
        env: { ...secretEnv, AZURE_CLIENT_ID: 'x' },
        says: /^AZURE_CLIENT_ID must/
      },
      {
        name: 'no tenant',
        args: flags,
        env: { AZURE_CLIENT_ID: DEFAULTS.clientId, AZURE_CLIENT_SECRET: 'a-secret-value' },
        says: /^--tenant-id \(or AZURE_TENANT_ID\) is required/
      },
      {
        name: 'a zero timeout',
        args: () => flags({ 'timeout-seconds': '0' }),
        says: /^--timeout-seconds must/
      },
      {
        name: 'a fast poll of Graph',
        args: () => flags({ 'poll-interval-seconds': '0.1', 'graph-url': '', 'authority-url': '' }),
        says: /only a loopback --graph-url/
      },
      {
        name: 'a bad API version',
        args: () => flags({ 'api-version': 'v2' }),
        says: /^--api-version must/
      },
      {
        name: 'the China cloud',
        args: () => flags({ cloud: 'china', 'graph-url': '', 'authority-url': '' }),
        says: /^--cloud: /
      },
      {
        name: 'an unknown cloud',
        args: () => flags({ cloud: 'mars', 'graph-url': '', 'authority-url': '' }),
        says: /^--cloud must/
      },
      {
        name: 'an http Graph URL',
        args: () => flags({ 'graph-url': 'http://graph.example.com' }),
        says: /^--graph-url must use https/
      },
      {
        name: 'a Graph URL with a path',
        args: () => flags({ 'graph-url': 'https://graph.microsoft.com/v1.0' }),
        says: /^--graph-url must be a base URL/
      },
      {
        name: 'a bad boolean',
        args: () => flags({ 'fail-on-failure': 'maybe' }),
        says: /^--fail-on-failure must/
      },
      {
        name: 'a bad connection ID',
        args: () => flags({ 'connection-id': 'x' }),
        says: /^--connection-id must/
      },
      {
        name: 'a reserved connection ID',
        args: () => flags({ 'connection-id': 'Teams' }),
        says: /^--connection-id: 'Teams'/
      },
      {
        name: 'an operation ID that is a URL',
        args: () => flags({ 'operation-id': 'https://graph.microsoft.com/v1.0/x' }),
        says: /pass the whole Location header as --operation-url/
      },
      {
        name: 'a bad operation ID',
        args: () => flags({ 'operation-id': 'a/b' }),
        says: /^--operation-id must/
      },
      {
        name: 'no connection',
        args: () => flags({ 'connection-id': '', 'operation-id': '' }),
        says: /--connection-id is required: .*set --operation-url/
      },
      {
        name: 'an operation URL and an operation ID',
        args: () =>
          flags({ 'operation-url': `${sim.url}/v1.0/external/connections/contosohr/operations/o` }),
        says: /^Set either --operation-url or --connection-id with --operation-id/
      },
      {
        name: 'an operation URL on another host',
        args: () =>
          flags({
            'connection-id': '',
            'operation-id': '',
            'operation-url': 'https://example.com/v1.0/x'
          }),
        says: /set --graph-url or --cloud for another.*This command sends/
      },
      {
        name: 'a bad operation URL path',
        args: () =>
          flags({ 'connection-id': '', 'operation-id': '', 'operation-url': `${sim.url}/v1.0/x` }),
        says: /^--operation-url must be the operation URL/
      },
      {
        name: 'a name without a schema file',
        args: () => flags({ 'connection-name': 'HR' }),
        says: /used only with --schema-file: this command/
      },
      {
        name: 'a schema file and an operation ID',
        args: () => flags({ 'schema-file': 'schema.json' }),
        says: /^--operation-id cannot be used with --schema-file/
      },
      {
        name: 'a description without a name',
        args: () =>
          flags({
            'operation-id': '',
            'schema-file': 'schema.json',
            'connection-description': 'd'
          }),
        says: /^--connection-description needs --connection-name/
      },
      {
        name: 'a name too long',
        args: () =>
          flags({
            'operation-id': '',
            'schema-file': 'schema.json',
            'connection-name': 'n'.repeat(129)
          }),
        says: /^--connection-name must be at most/
      },
      {
        name: 'a missing schema file',
        args: () => flags({ 'operation-id': '', 'schema-file': 'gone.json' }),
        says: /^--schema-file: 'gone\.json' .*relative to the current directory/
      },
      {
        name: 'no credential',
        args: flags,
        env: { AZURE_TENANT_ID: DEFAULTS.tenantId, AZURE_CLIENT_ID: DEFAULTS.clientId },
        says: /^No credential: set AZURE_CLIENT_SECRET/
      },
      // Sign-in refused, with the hint for its AADSTS code.
      {
        name: "a secret's ID for its Value",
        args: flags,
        env: wrongSecret,
        says: /AADSTS7000215.*Check AZURE_CLIENT_SECRET: use the secret's Value/
      },
      {
        name: 'an unknown tenant',
        args: flags,
        env: { ...secretEnv, AZURE_TENANT_ID: 'fabrikam.onmicrosoft.com' },
        says: /AADSTS90002.*Check AZURE_TENANT_ID, and that --cloud matches/
      },
      {
        name: 'an unknown app',
        args: flags,
        env: { ...secretEnv, AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001' },
        says: /AADSTS700016.*Check AZURE_CLIENT_ID and AZURE_TENANT_ID/
      },
      // Graph's answers and the wait's ends.
      {
        // Long enough for sign-in and the first poll on a loaded machine, so that the wait, not
        // a request in flight, is what the deadline ends (that one says "Last error: …").
        name: 'a timeout',
        args: () => flags({ 'timeout-seconds': '2', 'poll-interval-seconds': '1' }),
        setup: () =>
          sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress'] }),
        says: /Raise --timeout-seconds if it needs longer/
      },
      {
        name: 'an operation Graph does not know',
        args: () => flags({ 'operation-id': 'unknown-op', 'timeout-seconds': '0.3' }),
        says: /unknown-op/
      },
      {
        name: 'a connection Graph does not know',
        args: () =>
          flags({
            'operation-id': '',
            'schema-file': 'schema.json',
            'connection-id': 'nosuchconn'
          }),
        says: /Set --connection-name \(and --connection-description\) to create it, or check --connection-id, AZURE_TENANT_ID and --cloud/
      },
      {
        name: 'a token Graph refuses twice',
        args: flags,
        setup: () =>
          sim.injectFaults(
            'graph',
            graphError(401, 'InvalidAuthenticationToken', 'Expired.'),
            graphError(401, 'InvalidAuthenticationToken', 'Expired.')
          ),
        says: /Check that --graph-url and --cloud match the tenant/
      },
      {
        name: 'a failure that only warns',
        args: () => flags({ 'operation-id': 'fails', 'fail-on-failure': 'false' }),
        says: /Continuing because --fail-on-failure is false/
      },
      {
        name: 'a beta field in a v1.0 schema',
        args: () =>
          flags({ 'operation-id': '', 'schema-file': 'beta.json', 'validate-only': 'true' }),
        setup: () =>
          writeFileSync(
            join(dir, 'beta.json'),
            JSON.stringify({
              baseType: 'microsoft.graph.externalItem',
              properties: [
                {
                  name: 'title',
                  type: 'string',
                  isSearchable: true,
                  isRetrievable: true,
                  labels: ['title'],
                  rankingHint: { importanceScore: 'high' }
                }
              ]
            })
          ),
        says: /set --api-version beta/
      },
      {
        name: 'statuses it does not know',
        args: flags,
        setup: () =>
          sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, {
            statuses: ['s1', 's2', 's3', 's4', 's5', 'completed']
          }),
        says: /more statuses this command does not know: s4, s5\./
      },
      {
        name: 'a status that is not there',
        args: flags,
        setup: () =>
          sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: [null, 'completed'] }),
        says: /this command keeps waiting\. If it stays so, check --graph-url/
      },
      // The connector file's own refusals and failures.
      {
        name: 'a connector file with a schema file',
        args: () =>
          flags({ 'operation-id': '', 'connector-file': 'c.json', 'schema-file': 's.json' }),
        says: /^--schema-file cannot be used with --connector-file/
      },
      {
        name: 'fail-on-changes without plan',
        args: () =>
          flags({ 'operation-id': '', 'connector-file': 'c.json', 'fail-on-changes': 'true' }),
        says: /^--fail-on-changes needs --plan true/
      },
      {
        name: 'plan without a connector file',
        args: () => flags({ 'operation-id': '', plan: 'true' }),
        says: /^--plan needs --connector-file/
      },
      {
        name: 'a connector file for another connection',
        args: () => flags({ 'operation-id': '', 'connector-file': 'c.json' }),
        setup: () => writeFileSync(join(dir, 'c.json'), JSON.stringify({ id: 'other', name: 'O' })),
        says: /^--connection-id is 'contosohr', but the connector file c\.json is for 'other'/
      },
      {
        name: 'a beta field in a v1.0 connector file',
        args: () =>
          flags({
            'operation-id': '',
            'connection-id': '',
            'connector-file': 'c.json',
            'validate-only': 'true'
          }),
        setup: () =>
          writeFileSync(
            join(dir, 'c.json'),
            JSON.stringify({ id: 'contosohr', name: 'C', complianceSettings: {} })
          ),
        says: /set --api-version beta to send it/
      },
      {
        name: 'a field Graph keeps',
        args: () => flags({ 'operation-id': '', 'connection-id': '', 'connector-file': 'c.json' }),
        setup: () => {
          sim.setConnection(
            DEFAULTS.connectionId,
            { statuses: ['ready'] },
            { contentCategory: 'wikis' }
          )
          sim.ignoreConnectionFields(['contentCategory'])
          writeFileSync(
            join(dir, 'c.json'),
            JSON.stringify({
              id: 'contosohr',
              name: 'Simulated connection contosohr',
              contentCategory: 'qna'
            })
          )
        },
        says: /contentCategory: 'wikis' → 'qna'.*--api-version beta may update/
      },
      {
        name: 'a certificate file that is not PEM',
        args: () => [...flags(), '--client-certificate-path', join(dir, 'cert.pem')],
        env: { AZURE_TENANT_ID: DEFAULTS.tenantId, AZURE_CLIENT_ID: DEFAULTS.clientId },
        setup: () =>
          writeFileSync(
            join(dir, 'cert.pem'),
            '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n'
          ),
        says: /^--client-certificate-path \('.*cert\.pem'\) .*It must be PEM text/
      },
      {
        name: 'access Graph denies',
        args: flags,
        setup: () => sim.injectFaults('graph', graphError(403, 'Forbidden', 'No.')),
        says: /Graph denied access/
      },
      {
        name: 'a schema file with errors',
        args: () => flags({ 'operation-id': '', 'schema-file': 'bad.json' }),
        setup: () => writeFileSync(join(dir, 'bad.json'), '{"properties": [{"name": 1}]'),
        says: /nothing was sent to Graph/
      },
      {
        name: 'a Location on another host',
        args: () => flags({ 'operation-id': '', 'schema-file': 'schema.json' }),
        setup: () => {
          sim.onRequest = request => {
            if (request.method !== 'PATCH') return
            sim.injectFaults('graph', {
              status: 202,
              headers: {
                location: 'https://graph.evil.example/v1.0/external/connections/x/operations/1'
              },
              body: ''
            })
          }
        },
        says: /this command sends its token to that host only, so it does not follow it/
      },
      {
        name: 'a valid check',
        args: () => flags({ 'validate-only': 'true' }),
        says: /--validate-only: nothing was sent to Graph/
      }
    ]

    it.each(cases.map(c => [c.name, c] as const))('%s', async (_name, c) => {
      schemaFile()
      c.setup?.()
      const run = await command([...c.args(), '--json'], c.env ?? secretEnv)
      const said = [
        ...run.lines.map(line => line.replace(/^(Error|Warning): /, '')),
        (JSON.parse(run.stdout) as Record<string, string>)['error-message']
      ]
      expect(said.filter(line => c.says.test(line))).not.toEqual([])
      expect(said.filter(line => ACTION_NAME.test(line))).toEqual([])
    })
  })
})
