// End-to-end: the bundled command line, dist/cli.js, run as a shell, Azure
// Pipelines or GitLab CI runs it, against the loopback simulator of Entra ID
// and Graph: credentials from the environment, outputs, exit codes, Ctrl-C.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULTS, Simulator, graphError, startSimulator } from '../../simulator/simulator.js'
import { checkConnector } from '../../src/engine/connector.js'
import { OUTPUT_NAMES } from '../../src/engine/verdict.js'
import { CLI, NODE, OPERATION_ID, runCli, secretEnv, simulatorFlags } from '../helpers/run-cli.js'
import type { CliRun } from '../helpers/run-cli.js'
import { APP_PEM, APP_PEM_PATH, appWithEveryCredential } from '../helpers/apps.js'

const SCHEMA = readFileSync(new URL('../fixtures/schema.json', import.meta.url), 'utf8')
const form = (body: string) => Object.fromEntries(new URLSearchParams(body))
const debugEnv = { RUNNER_DEBUG: '1' }

let sim: Simulator
let dir = ''

beforeEach(async () => {
  sim = await startSimulator({ apps: [appWithEveryCredential({ secret: DEFAULTS.clientSecret })] })
  sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress', 'completed'] })
  dir = mkdtempSync(join(tmpdir(), 'cli-e2e-'))
})
afterEach(async () => {
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
})

const flags = (...extra: string[]) => [...simulatorFlags(sim.url), ...extra]
const idEnv = () => ({ AZURE_TENANT_ID: DEFAULTS.tenantId, AZURE_CLIENT_ID: DEFAULTS.clientId })

/** No line, on stdout or stderr, holds any of these. */
function expectNothingLeaked(run: CliRun, secrets: string[]): void {
  expect(secrets.length).toBeGreaterThan(0)
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(10)
    expect(run.stdout).not.toContain(secret)
    expect(run.stderr).not.toContain(secret)
  }
}

/** An ID token the simulator's OIDC endpoint issues, as a platform would write it to a file. */
async function mintIdToken(): Promise<string> {
  const url = new URL(sim.oidcRequestUrl)
  url.searchParams.set('audience', 'api://AzureADTokenExchange')
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${sim.oidcRequestToken}` }
  })
  return ((await response.json()) as { value: string }).value
}

describe('credentials from the environment', () => {
  it('signs in with AZURE_CLIENT_SECRET, masking it and every token, debug on', async () => {
    const run = await runCli(flags(), { env: { ...secretEnv(), ...debugEnv } })

    expect(run.code).toBe(0)
    expect(run.lines[0]).toBe('Credential: AZURE_CLIENT_SECRET')
    expect(run.lines.at(-1)).toMatch(
      new RegExp(
        `^Operation '${OPERATION_ID}' of connection 'contosohr': completed after .* \\(2 polls\\)\\.$`
      )
    )
    expect(run.stderr).toContain('Debug: Poll 1 at')
    expect(run.stdout).toBe('')
    expect(form(sim.requestsTo('token')[0].body).client_secret).toBe(DEFAULTS.clientSecret)
    expectNothingLeaked(run, [DEFAULTS.clientSecret, ...sim.tokens.keys()])
  })

  it('signs with the PEM file in AZURE_CLIENT_CERTIFICATE_PATH, keeping its key out of the log', async () => {
    const run = await runCli(flags(), {
      env: { ...idEnv(), AZURE_CLIENT_CERTIFICATE_PATH: APP_PEM_PATH, ...debugEnv }
    })

    expect(run.code).toBe(0)
    expect(run.lines[0]).toBe('Credential: AZURE_CLIENT_CERTIFICATE_PATH')
    const fields = form(sim.requestsTo('token')[0].body)
    expect(fields.client_secret).toBeUndefined()
    expect(fields.client_assertion_type).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
    )
    const keyLines = APP_PEM.slice(0, APP_PEM.indexOf('-----END PRIVATE KEY-----'))
      .split('\n')
      .filter(line => line && !line.startsWith('-----'))
    expectNothingLeaked(run, [...keyLines, fields.client_assertion, ...sim.tokens.keys()])
  })

  it('signs with the PEM file --client-certificate-path names: a path is no secret', async () => {
    const run = await runCli(flags('--client-certificate-path', APP_PEM_PATH), { env: idEnv() })

    expect(run.code).toBe(0)
    expect(run.lines[0]).toBe('Credential: --client-certificate-path')
    expect(form(sim.requestsTo('token')[0].body).client_assertion).toBeDefined()
  })

  it('names AZURE_CLIENT_CERTIFICATE_PATH when its file cannot be read, before any request', async () => {
    const missing = join(dir, 'missing.pem')
    const run = await runCli(flags(), {
      env: { ...idEnv(), AZURE_CLIENT_CERTIFICATE_PATH: missing }
    })

    expect(run.code).toBe(2)
    expect(run.lines).toEqual([
      `Error: AZURE_CLIENT_CERTIFICATE_PATH names '${missing}', which cannot be read (ENOENT). ` +
        "It must be the path of a PEM file with the app's unencrypted private key and its certificate."
    ])
    expect(sim.requests).toHaveLength(0)
  })

  it('reads AZURE_FEDERATED_TOKEN_FILE again for every sign-in, as platforms rotate it', async () => {
    await sim.close()
    // Tokens that live 2 s are renewed after 1 s: a second sign-in during the wait.
    sim = await startSimulator({ tokenLifetimeSeconds: 2 })
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, {
      statuses: ['inprogress', 'completed'],
      everyMs: 2_500
    })
    const file = join(dir, 'azure-identity-token')
    const [first, rotated] = [await mintIdToken(), await mintIdToken()]
    writeFileSync(file, first)
    sim.onRequest = request => {
      // The platform rotates the token once the first one has been used.
      if (request.service === 'token') writeFileSync(file, rotated)
    }
    const run = await runCli(flags(), {
      env: { ...idEnv(), AZURE_FEDERATED_TOKEN_FILE: file, ...debugEnv }
    })

    expect(run.code).toBe(0)
    expect(run.lines[0]).toBe('Credential: AZURE_FEDERATED_TOKEN_FILE')
    const assertions = sim.requestsTo('token').map(r => form(r.body).client_assertion)
    expect(assertions.length).toBeGreaterThanOrEqual(2)
    expect(assertions[0]).toBe(first)
    expect(assertions.slice(1).every(assertion => assertion === rotated)).toBe(true)
    expect(sim.requestsTo('graph').every(r => r.status === 200)).toBe(true)
    expect(run.stderr).toContain(
      "Debug: Federated token: issuer 'https://token.actions.githubusercontent.com'"
    )
    expectNothingLeaked(run, [first, rotated, ...sim.tokens.keys()])
  })

  it("answers GitLab's ID token, from an issuer the app does not trust, as Entra does", async () => {
    // The README's GitLab CI flow against the simulator: an app with no federated credential
    // for https://gitlab.com gets Entra's AADSTS700211, and the hint shows what to add.
    const now = Math.floor(Date.now() / 1000)
    const claims = {
      iss: 'https://gitlab.com',
      sub: 'project_path:contoso/connectors:ref_type:branch:ref:main',
      aud: 'api://AzureADTokenExchange',
      iat: now,
      exp: now + 300
    }
    const gitlabToken = [{ kid: 'gitlab', typ: 'JWT', alg: 'RS256' }, claims]
      .map(part => Buffer.from(JSON.stringify(part)).toString('base64url'))
      .concat('c2lnbmF0dXJl')
      .join('.')
    const file = join(dir, 'gitlab-id-token')
    writeFileSync(file, gitlabToken)
    const run = await runCli(flags(), { env: { ...idEnv(), AZURE_FEDERATED_TOKEN_FILE: file } })

    expect(run.code).toBe(1)
    expect(sim.requestsTo('token').map(r => r.status)).toEqual([401])
    expect(run.lines.at(-1)).toMatch(
      /^Error: Sign-in to Microsoft Entra ID failed: AADSTS700211: No matching federated identity record found for presented assertion issuer 'https:\/\/gitlab\.com'\./
    )
    expect(run.lines.at(-1)).toContain(
      "The federated token has issuer 'https://gitlab.com', subject " +
        "'project_path:contoso/connectors:ref_type:branch:ref:main' and audience " +
        "'api://AzureADTokenExchange'. Add a federated credential to the app"
    )
    expect(sim.requestsTo('graph')).toHaveLength(0)
    expectNothingLeaked(run, [gitlabToken])
  })

  it('names AZURE_FEDERATED_TOKEN_FILE when its file is not there, before any request', async () => {
    const missing = join(dir, 'no-token')
    const run = await runCli(flags(), { env: { ...idEnv(), AZURE_FEDERATED_TOKEN_FILE: missing } })

    expect(run.code).toBe(2)
    expect(run.lines).toEqual([
      `Error: AZURE_FEDERATED_TOKEN_FILE: The federated token file '${missing}' cannot be read ` +
        "(ENOENT). Write the platform's ID token to that file before the command runs; see --help."
    ])
    expect(sim.requests).toHaveLength(0)
  })

  it.each([
    [
      'AZURE_FEDERATED_TOKEN_FILE as a FIFO',
      () => ({ AZURE_FEDERATED_TOKEN_FILE: join(dir, 'fifo') }),
      `Error: AZURE_FEDERATED_TOKEN_FILE: The federated token file '${'{dir}'}/fifo' is a FIFO ` +
        "(named pipe), not a regular file. Write the platform's ID token to that file before " +
        'the command runs; see --help.'
    ],
    [
      'AZURE_CLIENT_CERTIFICATE_PATH as /dev/zero',
      () => ({ AZURE_CLIENT_CERTIFICATE_PATH: '/dev/zero' }),
      "Error: AZURE_CLIENT_CERTIFICATE_PATH names '/dev/zero', which is a device, not a regular " +
        "file. It must be the path of a PEM file with the app's unencrypted private key and its " +
        'certificate.'
    ]
  ])('refuses %s in under a second, before any request', async (_name, env, line) => {
    execFileSync('mkfifo', [join(dir, 'fifo')])
    const run = await runCli(flags('--json'), {
      env: { ...idEnv(), ...env() },
      killAfterMs: 5_000
    })

    expect(run.signal).toBeNull()
    expect(run.code).toBe(2)
    // By the command's own clock, which a busy machine's process start-up does not move.
    expect(Number(JSON.parse(run.stdout)['elapsed-seconds'])).toBeLessThan(1)
    expect(run.lines).toEqual([line.replace('{dir}', dir)])
    expect(sim.requests).toHaveLength(0)
  })

  it('refuses --schema-file /dev/stdin, which is not a regular file', async () => {
    const run = await runCli(
      ['--validate-only', '--connection-id', 'contosohr', '--schema-file', '/dev/stdin', '--json'],
      { killAfterMs: 5_000 }
    )

    expect(run.signal).toBeNull()
    expect(run.code).toBe(2)
    expect(Number(JSON.parse(run.stdout)['elapsed-seconds'])).toBeLessThan(1)
    expect(run.lines.at(-1)).toMatch(
      /^Error: --schema-file: '\/dev\/stdin' is a (device|FIFO \(named pipe\)), not a regular file\. /
    )
  })

  it('masks a secret that Graph places across the cut of its message, not only whole', async () => {
    const said = `${'x'.repeat(990)}${DEFAULTS.clientSecret}${'y'.repeat(50)}`
    sim.injectFaults('graph', graphError(400, 'BadRequest', said))
    const run = await runCli(flags(), { env: secretEnv() })

    expect(run.code).toBe(1)
    expect(run.lines.at(-1)).toMatch(/x{990}\*\*\*y*… \[\d+ more characters cut\]/)
    expect(run.stderr).not.toContain(DEFAULTS.clientSecret.slice(0, 5))
  })

  it('signs in at AZURE_AUTHORITY_HOST when --authority-url is not given', async () => {
    const args = flags()
    args.splice(args.indexOf('--authority-url'), 2)
    const run = await runCli(args, { env: { ...secretEnv(), AZURE_AUTHORITY_HOST: `${sim.url}/` } })

    expect(run.code).toBe(0)
    expect(sim.requestsTo('token')).toHaveLength(1)
  })

  it('says which variables to set when there is no credential', async () => {
    const run = await runCli(flags(), { env: idEnv() })

    expect(run.code).toBe(2)
    expect(run.lines).toHaveLength(1)
    expect(run.lines[0]).toMatch(/^Error: No credential: set AZURE_CLIENT_SECRET, /)
    expect(sim.requests).toHaveLength(0)
  })
})

describe('outputs', () => {
  it('--json prints the outputs object alone on stdout; the verdict stays the last line', async () => {
    const run = await runCli(flags('--json'), { env: secretEnv() })

    expect(run.code).toBe(0)
    expect(run.stdout.endsWith('\n')).toBe(true)
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(1)
    const outputs = JSON.parse(run.stdout)
    // The outputs, then the summary's facts.
    expect(Object.keys(outputs)).toEqual([...OUTPUT_NAMES, 'summary'])
    expect(outputs.summary.headline).toMatch(/^✅ contosohr: operation completed in /)
    expect(outputs.status).toBe('completed')
    expect(outputs['operation-url']).toBe(
      `${sim.url}/v1.0/external/connections/contosohr/operations/${OPERATION_ID}`
    )
    expect(JSON.parse(outputs.operation)).toMatchObject({ id: OPERATION_ID, status: 'completed' })
    expect(run.lines.at(-1)).toMatch(/: completed after /)
  })

  it("--output-file writes a dotenv file GitLab accepts, whatever Graph's message holds", async () => {
    const message = `Property 'title' is invalid.\nCost: $metadata ${'x'.repeat(5_000)}`
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, {
      statuses: ['failed'],
      error: { code: 'InvalidSchema', message }
    })
    const file = join(dir, 'gate.env')
    const run = await runCli(flags('--output-file', file), { env: secretEnv() })

    expect(run.code).toBe(1)
    const text = readFileSync(file, 'utf8')
    expect(Buffer.byteLength(text)).toBeLessThan(5 * 1024)
    const lines = text.split('\n')
    expect(lines.pop()).toBe('')
    expect(lines.map(line => line.split('=')[0])).toEqual([
      'STATUS',
      'ERROR_CODE',
      'ERROR_MESSAGE',
      'OPERATION',
      'CONNECTION',
      'ELAPSED_SECONDS',
      'OPERATION_URL',
      'CHANGES'
    ])
    for (const line of lines) expect(line).toMatch(/^[A-Z_]+=/)
    expect(lines[0]).toBe('STATUS=failed')
    expect(lines[1]).toBe('ERROR_CODE=InvalidSchema')
    expect(lines[2]).toMatch(
      /^ERROR_MESSAGE=Property 'title' is invalid\. Cost: \$\$metadata x+… \[\d+ more characters cut\]$/
    )
    expect(lines[6]).toBe(
      `OPERATION_URL=${sim.url}/v1.0/external/connections/contosohr/operations/${OPERATION_ID}`
    )
  })

  it('refuses an --output-file it cannot write, before any request', async () => {
    const file = join(dir, 'no-such-folder', 'gate.env')
    const run = await runCli(flags('--output-file', file), { env: secretEnv() })

    expect(run.code).toBe(2)
    expect(run.lines).toEqual([`Error: --output-file cannot be written: '${file}' (ENOENT).`])
    expect(sim.requests).toHaveLength(0)
  })

  it('refuses an --output-file symlink before any request, leaving its target as it is', async () => {
    writeFileSync(join(dir, 'precious'), 'keep me')
    symlinkSync(join(dir, 'precious'), join(dir, 'gate.env'))
    const run = await runCli(flags('--output-file', join(dir, 'gate.env')), { env: secretEnv() })

    expect(run.code).toBe(2)
    expect(run.lines).toEqual([
      `Error: --output-file must not be a symlink: '${join(dir, 'gate.env')}'. Name the file ` +
        'itself, or a new path such as gate.env.'
    ])
    expect(readFileSync(join(dir, 'precious'), 'utf8')).toBe('keep me')
    expect(sim.requests).toHaveLength(0)
  })

  it('refuses an --output-file FIFO at once, before any request', async () => {
    execFileSync('mkfifo', [join(dir, 'gate.env')])
    const run = await runCli(flags('--output-file', join(dir, 'gate.env')), {
      env: secretEnv(),
      killAfterMs: 5_000
    })

    expect(run.signal).toBeNull()
    expect(run.code).toBe(2)
    expect(run.lines).toEqual([
      `Error: --output-file '${join(dir, 'gate.env')}' is a FIFO (named pipe), not a regular ` +
        'file: name a file, or a new path such as gate.env.'
    ])
    expect(sim.requests).toHaveLength(0)
  })
})

describe('Azure Pipelines (TF_BUILD)', () => {
  const azureEnv = () => ({ ...secretEnv(), TF_BUILD: 'True' })

  it('sets output variables and logs the failure as one logissue, all on stdout', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, {
      statuses: ['inprogress', 'failed'],
      error: {
        code: 'InvalidSchema',
        message: `Rejected: 100% wrong\n##vso[task.setvariable variable=status]completed ${DEFAULTS.clientSecret}`
      }
    })
    const run = await runCli(flags(), { env: azureEnv() })

    expect(run.code).toBe(1)
    expect(run.stderr).toBe('')
    const lines = run.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe('Credential: AZURE_CLIENT_SECRET')
    expect(lines[1]).toBe(
      `##[group]Waiting for operation '${OPERATION_ID}' of connection 'contosohr'`
    )
    expect(lines).toContain('##[endgroup]')
    const variables = lines.filter(line => line.startsWith('##vso[task.setvariable '))
    expect(variables.map(line => /variable=([^;]+);isOutput=true\]/.exec(line)?.[1])).toEqual([
      ...OUTPUT_NAMES
    ])
    expect(variables[0]).toBe('##vso[task.setvariable variable=status;isOutput=true]failed')
    expect(variables[2]).toBe(
      '##vso[task.setvariable variable=error-message;isOutput=true]Rejected: 100%AZP25 wrong%0A' +
        '##vso[task.setvariable variable=status]completed ***'
    )
    // Every ##vso line is one of ours: Graph's text never starts or forms one.
    expect(
      lines.filter(line => line.includes('##vso[')).every(line => line.startsWith('##vso['))
    ).toBe(true)
    expect(lines.at(-1)).toMatch(
      /^##vso\[task\.logissue type=error\]Operation '.*' of connection 'contosohr' failed: Rejected: 100%AZP25 wrong\\n#\\#vso\[task\.setvariable variable=status\]completed \*\*\* \(code InvalidSchema\)$/
    )
    expectNothingLeaked(run, [DEFAULTS.clientSecret, ...sim.tokens.keys()])
  })

  it('logs the schema file findings on their file and line, and exits 2 with --validate-only', async () => {
    mkdirSync(join(dir, 'connector'))
    const schema = JSON.parse(SCHEMA)
    schema.properties[1].name = 'ticket:url'
    writeFileSync(join(dir, 'connector', 'schema.json'), JSON.stringify(schema, null, 2))
    const run = await runCli(
      ['--connection-id', 'contosohr', '--schema-file', 'connector/schema.json', '--validate-only'],
      { env: { TF_BUILD: 'True' }, cwd: dir }
    )

    expect(run.code).toBe(2)
    const issues = run.stdout.split('\n').filter(line => line.startsWith('##vso[task.logissue'))
    expect(issues[0]).toMatch(
      /^##vso\[task\.logissue type=error;sourcepath=connector\/schema\.json;linenumber=\d+;columnnumber=7\]Property 'ticket:url'/
    )
    expect(run.stdout).toContain('##vso[task.setvariable variable=status;isOutput=true]invalid')
    expect(sim.requests).toHaveLength(0)
  })
})

describe('exit codes', () => {
  it('0 for a failed operation with --fail-on-failure false, saying so', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, {
      statuses: ['failed'],
      error: { code: 'InvalidSchema', message: 'Nope.' }
    })
    const failed = await runCli(flags(), { env: secretEnv() })
    const softened = await runCli(flags('--fail-on-failure', 'false'), { env: secretEnv() })

    expect(failed.code).toBe(1)
    expect(failed.lines.at(-1)).toMatch(
      /^Error: Operation .* failed: Nope\. \(code InvalidSchema\)$/
    )
    expect(softened.code).toBe(0)
    expect(softened.lines.at(-1)).toMatch(
      /^Warning: Operation .* failed: Nope\. \(code InvalidSchema\) Continuing because --fail-on-failure is false\.$/
    )
  })

  it('1 for a timeout, with the last status', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress'] })
    const run = await runCli(simulatorFlags(sim.url, { 'timeout-seconds': '1' }), {
      env: secretEnv()
    })

    expect(run.code).toBe(1)
    expect(run.lines.at(-1)).toMatch(
      /^Error: Timed out after 1\.0 s waiting for .*; last status: inprogress\./
    )
  })

  it('1 for a sign-in error, with the AADSTS code, in --json and --output-file too', async () => {
    const file = join(dir, 'gate.env')
    const run = await runCli(flags('--json', '--output-file', file), {
      env: { ...secretEnv(), AZURE_CLIENT_SECRET: 'wrong-secret-value' }
    })

    expect(run.code).toBe(1)
    expect(run.lines.at(-1)).toMatch(/^Error: Sign-in to Microsoft Entra ID failed: AADSTS7000215/)
    expect(run.stderr).not.toContain('wrong-secret-value')
    const outputs = JSON.parse(run.stdout) as Record<string, string>
    expect(outputs['error-code']).toBe('AADSTS7000215')
    expect(`Error: ${outputs['error-message']}`).toBe(run.lines.at(-1))
    expect(readFileSync(file, 'utf8')).toMatch(
      /^ERROR_CODE=AADSTS7000215\nERROR_MESSAGE=Sign-in to Microsoft Entra ID failed: AADSTS7000215/m
    )
  })

  it('2 for a bad value, naming the flag, before any request', async () => {
    const run = await runCli(flags('--cloud', 'mars', '--json'), { env: secretEnv() })

    expect(run.code).toBe(2)
    expect(run.lines).toEqual(["Error: --cloud must be global, usgov or usgov-dod; got 'mars'."])
    expect(sim.requests).toHaveLength(0)
    expect(JSON.parse(run.stdout)).toMatchObject({
      'error-code': 'InvalidInput',
      'error-message': "--cloud must be global, usgov or usgov-dod; got 'mars'."
    })
  })

  it('130 for Ctrl-C: one line, and nothing left running', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress'] })
    let signalledAt = 0
    const run = await runCli(flags(), {
      env: secretEnv(),
      onSpawn: child => {
        // Once it is waiting: the first status is on stderr.
        child.stderr?.on('data', (chunk: Buffer) => {
          if (!signalledAt && chunk.toString().includes('Status: inprogress')) {
            signalledAt = Date.now()
            child.kill('SIGINT')
          }
        })
      }
    })

    expect(run.code).toBe(130)
    expect(run.signal).toBeNull()
    expect(run.exitedAt - signalledAt).toBeLessThan(1_500)
    const afterSignal = run.lines.slice(run.lines.findIndex(line => line.startsWith('Status:')) + 1)
    // The summary's facts (how to resume), then the one last line.
    expect(afterSignal[0]).toMatch(
      /^contosohr: cancelled after .+; the operation goes on in Graph$/
    )
    expect(afterSignal).toContainEqual(expect.stringMatching(/^ {2}Resume with --operation-url: /))
    expect(afterSignal.at(-1)).toMatch(
      new RegExp(`^Error: Cancelled after .* while waiting for operation '${OPERATION_ID}'`)
    )
    const requests = sim.requests.length
    await new Promise(resolve => setTimeout(resolve, 500))
    expect(sim.requests).toHaveLength(requests)
  })
})

describe('usage', () => {
  it('--help says what each flag does, the variables and the exit codes; --version the version', async () => {
    const help = await runCli(['--help'])
    const version = await runCli(['--version'])

    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--operation-url URL')
    expect(help.stdout).toContain('AZURE_FEDERATED_TOKEN_FILE')
    expect(help.stdout).toContain('130  interrupted (Ctrl-C)')
    expect(version.code).toBe(0)
    const { version: expected } = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8')
    ) as { version: string }
    expect(version.stdout).toBe(`${expected}\n`)
  })

  it('no arguments at all: the usage, and exit 2, even with credentials set', async () => {
    const run = await runCli([], { env: secretEnv() })

    expect(run.code).toBe(2)
    expect(run.stdout).toMatch(/^wait-for-graph-connector-operation \d/)
    expect(run.stdout).toContain('--connection-id ID')
    expect(run.lines).toEqual([
      'Error: No flags given: say what to wait for, such as --connection-id contosohr.'
    ])
    expect(sim.requests).toHaveLength(0)
  })

  it('an empty --operation-url (an unset variable): names it, not --connection-id', async () => {
    const run = await runCli(['--operation-url', ''], { env: secretEnv() })

    expect(run.code).toBe(2)
    expect(run.lines).toEqual([
      'Error: --operation-url is empty (an unset variable?): give it a value, such as ' +
        '--operation-url URL, or leave the flag out. See --help.'
    ])
  })

  it('an unknown flag: exit 2, one line naming it and pointing to --help', async () => {
    const run = await runCli([...flags(), '--operation', 'x'], { env: secretEnv() })

    expect(run.code).toBe(2)
    expect(run.lines).toEqual(['Error: Unknown flag --operation; see --help for the flags.'])
    expect(sim.requests).toHaveLength(0)
  })

  it('a secret passed as a flag is refused, and never echoed', async () => {
    const secret = 'cli~Secret.Given-On-The-Command-Line'
    const run = await runCli([...flags(), '--client-secret', secret], { env: idEnv() })

    expect(run.code).toBe(2)
    expect(run.lines).toEqual([
      'Error: --client-secret is not accepted: a credential on the command line shows in ' +
        'process lists and shell history. Set AZURE_CLIENT_SECRET in the environment instead; ' +
        'see --help.'
    ])
    expect(run.stdout + run.stderr).not.toContain(secret)
    expect(sim.requests).toHaveLength(0)
  })

  it('runs the bundle on the Node this pass is for, and starts with a shebang', () => {
    // npm test runs the command's end-to-end tests on Node 22, 24 and 26, the
    // maintained majors package.json's engines admits.
    const major = process.env.EXPECT_NODE_MAJOR
    expect(['22', '24', '26']).toContain(major)
    expect(execFileSync(NODE, ['--version'], { encoding: 'utf8' })).toMatch(
      new RegExp(`^v${major}\\.`)
    )
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
  })
})

describe('schema file', () => {
  beforeEach(() => {
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['ready'] })
    mkdirSync(join(dir, 'connector'))
    writeFileSync(join(dir, 'connector', 'schema.json'), SCHEMA)
  })
  const schemaFlags = (...extra: string[]) => [
    '--connection-id',
    'contosohr',
    '--schema-file',
    'connector/schema.json',
    '--poll-interval-seconds',
    '0.2',
    '--graph-url',
    sim.url,
    '--authority-url',
    sim.url,
    ...extra
  ]

  it('is read from the current directory, submitted and waited for', async () => {
    // A GITHUB_WORKSPACE the command inherits must not move a relative path.
    const run = await runCli(schemaFlags('--json'), {
      env: { ...secretEnv(), GITHUB_WORKSPACE: join(dir, 'elsewhere') },
      cwd: dir
    })

    expect(run.code).toBe(0)
    const [patch] = sim.requestsTo('graph').filter(r => r.method === 'PATCH')
    expect(JSON.parse(patch.body)).toEqual(JSON.parse(SCHEMA))
    const outputs = JSON.parse(run.stdout)
    expect(outputs.status).toBe('completed')
    expect(outputs['operation-url']).toMatch(/\/external\/connections\/contosohr\/operations\//)
    expect(run.stderr).toContain('Checked connector/schema.json: no findings.')
  })

  it('says it deploys, not submits, when Graph already has the schema and no PATCH follows', async () => {
    sim.setSchema(DEFAULTS.connectionId, JSON.parse(SCHEMA))
    const run = await runCli(schemaFlags(), { env: secretEnv(), cwd: dir })

    expect(run.code).toBe(0)
    expect(sim.requestsTo('graph').filter(r => r.method === 'PATCH')).toEqual([])
    expect(run.stderr).toContain("Deploying the schema to connection 'contosohr'")
    expect(run.stderr).not.toMatch(/Submitting/)
  })

  it('is checked with --validate-only and no credential at all, sending nothing', async () => {
    const run = await runCli(schemaFlags('--validate-only'), { cwd: dir })

    expect(run.code).toBe(0)
    expect(run.lines.at(-1)).toBe(
      'Schema file connector/schema.json is valid (no findings); --validate-only: nothing was sent to Graph.'
    )
    expect(sim.requests).toHaveLength(0)
  })

  it('exits 2 when it fails the local checks, with or without --validate-only, sending nothing', async () => {
    writeFileSync(join(dir, 'connector', 'schema.json'), '{ "properties": [ }')
    const checked = await runCli(schemaFlags('--validate-only'), { cwd: dir })
    const submitted = await runCli(schemaFlags(), { env: secretEnv(), cwd: dir })

    for (const run of [checked, submitted]) {
      expect(run.code).toBe(2)
      expect(run.lines).toContainEqual(
        expect.stringMatching(
          /^connector\/schema\.json:1:\d+: error: The schema file is not valid JSON/
        )
      )
      expect(run.lines.at(-1)).toMatch(
        /^Schema file connector\/schema\.json has 1 error; nothing was sent to Graph\./
      )
    }
    expect(sim.requests).toHaveLength(0)
  })
})

describe('export', () => {
  it('writes the connector file alone on stdout; planned against the connection, it has 0 changes', async () => {
    const folder = join(import.meta.dirname, '..', '..', 'examples', 'connector')
    const load = (path: string) => readFileSync(join(folder, path), 'utf8')
    const example = checkConnector(load('connector.json'), { apiVersion: 'v1.0', load }).connector
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['ready'] }, example?.fields)
    sim.setSchema(DEFAULTS.connectionId, JSON.parse(example?.schema?.text ?? '') as never)
    const run = await runCli(
      ['export', '--connection-id', DEFAULTS.connectionId, '--graph-url', sim.url],
      { env: { ...secretEnv(), AZURE_AUTHORITY_HOST: sim.url } }
    )

    expect(run.code).toBe(0)
    expect(run.lines.at(-1)).toBe(
      `Wrote the connector file of connection '${DEFAULTS.connectionId}' to stdout.`
    )
    const check = checkConnector(run.stdout, { apiVersion: 'v1.0' })
    expect(check.findings.filter(finding => finding.severity === 'error')).toEqual([])
    expect(check.connector?.fields).toEqual(example?.fields)
    expect(sim.requestsTo('graph').map(request => request.method)).toEqual(['GET', 'GET'])
    expectNothingLeaked(run, [DEFAULTS.clientSecret, ...sim.tokens.keys()])

    // The exported file, planned against the same connection, has nothing to change.
    const dir = mkdtempSync(join(tmpdir(), 'export-'))
    writeFileSync(join(dir, 'exported.json'), run.stdout)
    const plan = await runCli(
      [
        '--connector-file',
        'exported.json',
        '--plan',
        '--fail-on-changes',
        '--json',
        '--graph-url',
        sim.url
      ],
      { env: { ...secretEnv(), AZURE_AUTHORITY_HOST: sim.url }, cwd: dir }
    )
    rmSync(dir, { recursive: true, force: true })
    expect(plan.code).toBe(0)
    expect(JSON.parse(plan.stdout)).toMatchObject({ status: 'planned', changes: '0' })
    expect(sim.requestsTo('graph').filter(request => request.method !== 'GET')).toEqual([])
  })
})
