// End-to-end: the bundled dist/index.js, run as the runner runs it, against the
// loopback simulator of Entra ID and Graph.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { DEFAULTS, Simulator, startSimulator } from '../../simulator/simulator.js'
import { OUTPUT_NAMES } from '../../src/engine/verdict.js'
import {
  NODE,
  OPERATION_ID,
  actionDefaults,
  actionOutputs,
  runAction,
  simulatorInputs
} from '../helpers/run-action.js'
import type { ActionRun } from '../helpers/run-action.js'

let sim: Simulator

beforeEach(async () => {
  sim = await startSimulator()
})
afterEach(async () => {
  await sim.close()
})

function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return simulatorInputs(sim.url, overrides)
}

function expectAllOutputs(run: ActionRun): void {
  expect(Object.keys(run.outputs).sort()).toEqual(actionOutputs().sort())
}

describe('runtime', () => {
  it('reads the defaults from action.yml, as the runner passes them', () => {
    expect(actionDefaults()).toEqual({
      plan: 'false',
      'fail-on-changes': 'false',
      'validate-only': 'false',
      'require-copilot-ready': 'false',
      'poll-interval-seconds': 'auto',
      'timeout-seconds': '1800',
      'fail-on-failure': 'true',
      'api-version': 'v1.0',
      cloud: 'global'
    })
  })

  it('declares in action.yml exactly the outputs the engine sets', () => {
    expect(actionOutputs()).toEqual([...OUTPUT_NAMES])
  })

  it('runs the bundle on the Node this pass is for', () => {
    // npm test runs the action's end-to-end tests through scripts/with-node.js,
    // which sets EXPECT_NODE_MAJOR (24, the runtime action.yml declares) and
    // ACTION_NODE to that binary.
    const major = process.env.EXPECT_NODE_MAJOR
    expect(major).toBe('24')
    const version = execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim()
    expect(version).toMatch(new RegExp(`^v${major}\\.`))
  })
})

describe('outcomes', () => {
  it('passes when the operation completes, polling at once and then every interval', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, {
      statuses: ['unspecified', 'inprogress', 'inprogress', 'completed']
    })
    const run = await runAction(inputs({ 'tenant-id': DEFAULTS.tenantDomain }))

    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    expectAllOutputs(run)
    expect(run.outputs.status).toBe('completed')
    expect(run.outputs['error-code']).toBe('')
    expect(run.outputs['error-message']).toBe('')
    expect(JSON.parse(run.outputs.operation)).toMatchObject({
      id: OPERATION_ID,
      status: 'completed'
    })
    expect(Number(run.outputs['elapsed-seconds'])).toBeGreaterThanOrEqual(0.6)
    expect(run.stdout).toContain('Status: inprogress')

    const [token, ...rest] = sim.requests
    expect(token.service).toBe('token')
    expect(token.path).toBe(`/${DEFAULTS.tenantDomain}/oauth2/v2.0/token`)
    const graph = sim.requestsTo('graph')
    expect(rest).toEqual(graph)
    expect(graph).toHaveLength(4)
    expect(graph[0].path).toBe(
      `/v1.0/external/connections/${DEFAULTS.connectionId}/operations/${OPERATION_ID}`
    )
    // The first poll follows sign-in at once.
    expect(graph[0].at - token.at).toBeLessThan(150)
    // The interval runs from the start of one poll to the start of the next, and the
    // first poll started with sign-in, before the token request left. So the lower
    // bound is read on the action's own clock (its debug line per poll, written after
    // each read), not from arrival times here, which carry this process's and the
    // network's jitter: poll k is at least k - 1 intervals after the wait began.
    // Tenths, as the line writes them: rounding cannot take a value below a tenth it
    // reached, so the bound is exact.
    const tenths = [...run.stdout.matchAll(/^::debug::Poll (\d+) at (\d+\.\d) s:/gm)].map(m =>
      Math.round(Number(m[2]) * 10)
    )
    expect(tenths).toHaveLength(4)
    tenths.forEach((at, k) => expect(at).toBeGreaterThanOrEqual(k * 2))
    // And no slower than the interval: the whole span, as it arrives here.
    const intervals = graph.length - 1
    expect(graph[intervals].at - token.at).toBeLessThan(intervals * 200 + 150)
    // Nothing holds the process open after the verdict: no timer is left running
    // (idle keep-alive sockets are unref'd by Node's agent).
    expect(run.exitedAt - graph[3].at).toBeLessThan(1000)
  })

  it("fails with the operation's own error message and code", async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, {
      statuses: ['inprogress', 'failed'],
      error: {
        code: 'InvalidSchema',
        message: "Property 'title' is marked searchable but its type does not allow it."
      }
    })
    const run = await runAction(inputs())

    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      `Operation '${OPERATION_ID}' of connection 'contosohr' failed: ` +
        "Property 'title' is marked searchable but its type does not allow it. (code InvalidSchema)"
    ])
    expectAllOutputs(run)
    expect(run.outputs.status).toBe('failed')
    expect(run.outputs['error-code']).toBe('InvalidSchema')
    expect(run.outputs['error-message']).toContain("Property 'title'")
  })

  it('warns and passes on a failed operation when fail-on-failure is false', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, {
      statuses: ['failed'],
      error: { message: 'Server error, something went wrong' }
    })
    const run = await runAction(inputs({ 'fail-on-failure': 'false' }))

    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    expect(run.warnings).toHaveLength(1)
    expect(run.warnings[0]).toContain('Server error, something went wrong')
    expect(run.warnings[0]).toContain('fail-on-failure is false')
    expect(run.outputs.status).toBe('failed')
    // Graph gave no code: the action's own stable one.
    expect(run.outputs['error-code']).toBe('OperationFailed')
    expect(run.outputs['error-message']).toBe('Server error, something went wrong')
  })

  it('fails clearly on a failed operation whose error is null', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['failed'] })
    const run = await runAction(inputs())

    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      `Operation '${OPERATION_ID}' of connection 'contosohr' failed: Graph gave no error message.`
    ])
    expect(JSON.parse(run.outputs.operation)).toMatchObject({ status: 'failed', error: null })
    expect(run.outputs['error-code']).toBe('OperationFailed')
    expect(run.outputs['error-message']).toBe(run.errors[0])
  })

  it('still fails a timeout when fail-on-failure is false', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress'] })
    const run = await runAction(inputs({ 'fail-on-failure': 'false', 'timeout-seconds': '0.5' }))

    expect(run.code).toBe(1)
    expect(run.errors).toEqual([expect.stringMatching(/^Timed out after 0\.5 s /)])
    expect(run.warnings).toEqual([])
    expect(run.outputs['error-code']).toBe('Timeout')
    expect(run.outputs['error-message']).toBe(run.errors[0])
  })

  it('still fails a Graph error when fail-on-failure is false', async () => {
    const run = await runAction(
      inputs({ 'fail-on-failure': 'false', 'connection-id': 'fabrikamhr' })
    )

    expect(run.code).toBe(1)
    expect(run.errors).toEqual([expect.stringMatching(/^Graph found no connection 'fabrikamhr'/)])
    expect(run.warnings).toEqual([])
    expect(run.outputs['error-code']).toBe('ItemNotFound')
    expect(run.outputs['error-message']).toBe(run.errors[0])
  })

  it('keeps waiting through a status it does not know, warning once', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, {
      statuses: ['unknownFutureValue', 'unknownFutureValue', 'unknownFutureValue', 'completed']
    })
    const run = await runAction(inputs({ 'poll-interval-seconds': '0.1' }))

    expect(run.code).toBe(0)
    expect(run.warnings).toHaveLength(1)
    expect(run.warnings[0]).toContain("'unknownFutureValue'")
    expect(run.outputs.status).toBe('completed')
  })

  it('times out with the last status, not a moment after timeout-seconds', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress'] })
    const run = await runAction(
      inputs({ 'poll-interval-seconds': '0.4', 'timeout-seconds': '1.5' })
    )

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(
      /^Timed out after 1\.5 s waiting for operation '.+'; last status: inprogress/
    )
    expect(run.errors[0]).toContain('timeout-seconds')
    expectAllOutputs(run)
    expect(run.outputs.status).toBe('inprogress')
    const elapsed = Number(run.outputs['elapsed-seconds'])
    expect(elapsed).toBeGreaterThanOrEqual(1.5)
    expect(elapsed).toBeLessThan(1.8)
    // Polls at start-up + 0, 0.4, 0.8 and 1.2 s; the sleep after that is cut to the deadline.
    expect(sim.requestsTo('graph')).toHaveLength(4)
  })

  it('gives up on a Graph response that never comes at the timeout', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress'] })
    sim.injectFaults('graph', 'hang')
    const run = await runAction(inputs({ 'timeout-seconds': '1' }))

    expect(run.code).toBe(1)
    expect(run.errors[0]).toMatch(/^Timed out after 1\.0 s .*last status: none/)
    expect(run.errors[0]).toContain('no response from http://127.0.0.1:')
    expect(Number(run.outputs['elapsed-seconds'])).toBeLessThan(1.3)
    expect(run.durationMs).toBeLessThan(2500)
  })

  it('gives up on a token endpoint that never answers at the timeout', async () => {
    sim.injectFaults('token', 'hang')
    const run = await runAction(inputs({ 'timeout-seconds': '1' }))

    expect(run.code).toBe(1)
    expect(run.errors[0]).toContain('/oauth2/v2.0/token before the timeout')
    expect(run.outputs.status).toBe('')
    expect(sim.requestsTo('graph')).toHaveLength(0)
  })
})

describe('errors from Entra and Graph', () => {
  it('shows the AADSTS code, description, correlation ID and a hint for a wrong secret', async () => {
    const run = await runAction(inputs({ 'client-secret': 'not-the-secret' }))

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    const [error] = run.errors
    expect(error).toMatch(
      /^Sign-in to Microsoft Entra ID failed: AADSTS7000215: Invalid client secret provided\./
    )
    expect(error).toMatch(
      /HTTP 401, error invalid_client, correlation ID [0-9a-f-]{36}, trace ID [0-9a-f-]{36}/
    )
    expect(error).toContain("use the secret's Value, not its Secret ID")
    expect(error).not.toContain('\n')
    expect(sim.requestsTo('graph')).toHaveLength(0)
    expectAllOutputs(run)
    expect(run.outputs.status).toBe('')
    expect(run.outputs['error-code']).toBe('AADSTS7000215')
    expect(run.outputs['error-message']).toBe(error)
  })

  it('names the tenant problem for an unknown tenant', async () => {
    const run = await runAction(inputs({ 'tenant-id': 'fabrikam.onmicrosoft.com' }))

    expect(run.code).toBe(1)
    expect(run.errors[0]).toContain("AADSTS90002: Tenant 'fabrikam.onmicrosoft.com' not found")
    expect(run.errors[0]).toContain('Check tenant-id')
  })

  it('names the unknown app', async () => {
    const run = await runAction(inputs({ 'client-id': '99999999-9999-9999-9999-999999999999' }))

    expect(run.code).toBe(1)
    expect(run.errors[0]).toContain('AADSTS700016')
    expect(run.errors[0]).toContain('Check client-id and tenant-id')
  })

  it('names the permission the app needs on 403', async () => {
    await sim.close()
    sim = await startSimulator({
      apps: [{ clientId: DEFAULTS.clientId, secret: DEFAULTS.clientSecret, roles: [] }]
    })
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['completed'] })
    const run = await runAction(inputs())

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    const [error] = run.errors
    expect(error).toMatch(
      /^Graph denied access to operation '.+' of connection 'contosohr' \(HTTP 403, code Forbidden, request-id [0-9a-f-]{36}\)/
    )
    expect(error).toContain('ExternalConnection.ReadWrite.OwnedBy')
    expect(error).toContain('ExternalConnection.Read.All')
  })

  it('says which operation was not found on 404, after the grace for new operations', async () => {
    sim.setOperation(DEFAULTS.connectionId, 'another-operation', { statuses: ['completed'] })
    // The grace (30 s) is longer than this timeout, so the 404 is the timeout's cause.
    const run = await runAction(inputs({ 'timeout-seconds': '2' }))

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/^Timed out after 2\.0 s .*Last error: Graph answered HTTP 404/)
    expect(run.errors[0]).toMatch(/HTTP 404, code ItemNotFound, request-id [0-9a-f-]{36}/)
    expect(run.errors[0]).toContain(`The operation '${OPERATION_ID}' was not found`)
  })

  it('fails at once, naming the connection, when the connection is not found', async () => {
    const run = await runAction(inputs({ 'connection-id': 'fabrikamhr' }))

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/^Graph found no connection 'fabrikamhr' \(HTTP 404/)
    expect(run.errors[0]).toContain("The connection 'fabrikamhr' was not found")
    expect(run.durationMs).toBeLessThan(2000)
  })

  it('URL-encodes the IDs it puts in the path', async () => {
    sim.setOperation(DEFAULTS.connectionId, 'op+1=2&x', { statuses: ['completed'] })
    const run = await runAction(inputs({ 'operation-id': 'op+1=2&x', 'api-version': 'beta' }))

    expect(run.code).toBe(0)
    expect(sim.requestsTo('graph')[0].path).toBe(
      '/beta/external/connections/contosohr/operations/op%2B1%3D2%26x'
    )
  })

  it('fails with one line, not a stack trace, when GITHUB_OUTPUT cannot be written', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['completed'] })
    const run = await runAction(inputs(), { env: { GITHUB_OUTPUT: '/nonexistent/output' } })

    expect(run.code).toBe(1)
    expect(run.errors).toEqual(['Unexpected error: Missing file at path: /nonexistent/output'])
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /)
  })

  it('reports an unreachable host clearly, without a stack trace', async () => {
    const run = await runAction(inputs({ 'authority-url': 'http://127.0.0.1:9' }))

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(
      /^Could not reach http:\/\/127\.0\.0\.1:9\/[^/]+\/oauth2\/v2\.0\/token: ECONNREFUSED/
    )
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /)
  })
})

describe('bad input fails before any request, naming the input', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'missing tenant-id',
      { 'tenant-id': '' },
      /^Input 'tenant-id' is required: .*contoso\.onmicrosoft\.com/
    ],
    [
      'malformed tenant-id',
      { 'tenant-id': 'not a tenant' },
      /^Input 'tenant-id' must be .*GUID.*domain/
    ],
    ['missing client-id', { 'client-id': '' }, /^Input 'client-id' is required/],
    ['non-GUID client-id', { 'client-id': 'my-app' }, /^Input 'client-id' must be .*GUID/],
    [
      // With no secret and no certificate the action uses GitHub OIDC, which needs the permission.
      'no credential and no OIDC',
      { 'client-secret': '' },
      /^No credential: 'client-secret' and 'client-certificate' are empty.*`permissions: id-token: write`/
    ],
    ['missing connection-id', { 'connection-id': '' }, /^Input 'connection-id' is required/],
    [
      'short connection-id',
      { 'connection-id': 'ab' },
      /^Input 'connection-id' must be 3 to 32 letters and digits/
    ],
    [
      'connection-id with a dash',
      { 'connection-id': 'contoso-hr' },
      /^Input 'connection-id' must be 3 to 32/
    ],
    [
      'connection-id starting with Microsoft',
      { 'connection-id': 'MicrosoftHR' },
      /^Input 'connection-id' .*not starting with 'Microsoft'/
    ],
    [
      'operation-id with a slash',
      { 'operation-id': 'a/b' },
      /^Input 'operation-id' must be the bare operation ID/
    ],
    ['operation-id with a space', { 'operation-id': 'a b' }, /^Input 'operation-id' must be/],
    ['operation-id with %', { 'operation-id': 'a%2Fb' }, /^Input 'operation-id' must be/],
    ['operation-id ..', { 'operation-id': '..' }, /^Input 'operation-id' must be the bare/],
    [
      'operation-id with an ANSI escape',
      { 'operation-id': 'op\u001b[31m1' },
      /^Input 'operation-id' must not contain control characters or escape sequences; it has U\+001B/
    ],
    [
      'a URL in operation-id',
      { 'operation-id': 'https://graph.microsoft.com/v1.0/external/connections/c/operations/1' },
      /^Input 'operation-id' holds a URL: pass the whole Location header as operation-url/
    ],
    [
      'a reserved connection-id',
      { 'connection-id': 'SharePoint' },
      /^Input 'connection-id': 'SharePoint' is a connection ID Microsoft Graph keeps for itself/
    ],
    [
      'a poll interval under a second for a real Graph host',
      { 'poll-interval-seconds': '0.0001', 'graph-url': '', 'authority-url': '' },
      /^Input 'poll-interval-seconds' must be at least 1 for a Graph host/
    ],
    [
      'a poll interval no timer can hold',
      { 'poll-interval-seconds': '3000000' },
      /^Input 'poll-interval-seconds' must be .* at most 2147483 \(about 24 days\)/
    ],
    [
      'a timeout no timer can hold',
      { 'timeout-seconds': '99999999' },
      /^Input 'timeout-seconds' must be .* at most 2147483 \(about 24 days\)/
    ],
    [
      'non-numeric poll interval',
      { 'poll-interval-seconds': 'ten' },
      /^Input 'poll-interval-seconds' must be a number of seconds greater than 0/
    ],
    [
      'zero poll interval',
      { 'poll-interval-seconds': '0' },
      /^Input 'poll-interval-seconds' must be/
    ],
    [
      'negative timeout',
      { 'timeout-seconds': '-5' },
      /^Input 'timeout-seconds' must be a number of seconds greater than 0/
    ],
    [
      'non-boolean fail-on-failure',
      { 'fail-on-failure': 'yes' },
      /^Input 'fail-on-failure' must be true or false; got 'yes'/
    ],
    [
      'unknown api-version',
      { 'api-version': 'v2.0' },
      /^Input 'api-version' must be v1\.0 or beta/
    ],
    ['unknown cloud', { cloud: 'germany' }, /^Input 'cloud' must be global, usgov or usgov-dod/],
    [
      'China cloud',
      { cloud: 'china' },
      /^Input 'cloud': Microsoft Graph connectors are not offered in the China cloud/
    ],
    [
      'plain http graph-url',
      { 'graph-url': 'http://graph.microsoft.com' },
      /^Input 'graph-url' must use https:\/\//
    ],
    [
      'graph-url with a version path',
      { 'graph-url': 'https://graph.microsoft.com/v1.0' },
      /^Input 'graph-url' must be a base URL with no path/
    ],
    [
      'plain http authority-url',
      { 'authority-url': 'http://login.example.com' },
      /^Input 'authority-url' must use https:\/\//
    ],
    [
      'authority-url that is not a URL',
      { 'authority-url': 'login' },
      /^Input 'authority-url' must be a URL/
    ]
  ]

  it.each(cases)('%s', async (_name, overrides, message) => {
    const run = await runAction(inputs(overrides))

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(message)
    expect(sim.requests).toHaveLength(0)
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /)
    expectAllOutputs(run)
    expect(run.outputs['error-code']).toBe('InvalidInput')
    expect(run.outputs['error-message']).toBe(run.errors[0])
  })
})

describe('secrets', () => {
  const debugEnv = { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true' }

  // Only the runner's own ::add-mask:: command may carry a secret.
  function expectNotLogged(run: ActionRun, secret: string): void {
    const lines = (run.stdout + '\n' + run.stderr).split('\n')
    const leaks = lines.filter(line => line.includes(secret) && !line.startsWith('::add-mask::'))
    expect(leaks).toEqual([])
  }

  it('masks the secret and the token before use and never logs them, debug on', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, {
      statuses: ['inprogress', 'failed'],
      error: { code: 'X', message: 'boom' }
    })
    const run = await runAction(inputs(), { env: debugEnv })

    expect(run.code).toBe(1)
    expect(run.stdout).toContain('::debug::')
    const [token] = [...sim.tokens.keys()]
    expect(token).toBeDefined()
    const lines = run.stdout.split('\n')
    const maskSecret = lines.indexOf(`::add-mask::${DEFAULTS.clientSecret}`)
    const maskToken = lines.indexOf(`::add-mask::${token}`)
    expect(maskSecret).toBe(0)
    expect(maskToken).toBeGreaterThan(0)
    // The token is masked before any line about the Graph call.
    expect(maskToken).toBeLessThan(lines.findIndex(line => line.includes('Status:')))
    for (const secret of [DEFAULTS.clientSecret, token]) expectNotLogged(run, secret)
    for (const value of Object.values(run.outputs)) {
      expect(value).not.toContain(DEFAULTS.clientSecret)
      expect(value).not.toContain(token)
    }
  })

  it('keeps a wrong secret out of the log and the error, debug on', async () => {
    const wrong = 'wrong~Secret.Value-abcdefghijklmnopqrstuv'
    const run = await runAction(inputs({ 'client-secret': wrong }), { env: debugEnv })

    expect(run.code).toBe(1)
    expect(run.stdout.split('\n')[0]).toBe(`::add-mask::${wrong}`)
    expectNotLogged(run, wrong)
  })

  it('sends the bearer token to Graph only, never to the token endpoint', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['completed'] })
    const run = await runAction(inputs())

    expect(run.code).toBe(0)
    for (const request of sim.requestsTo('token')) {
      expect(request.headers.authorization).toBeUndefined()
      expect(request.body).toContain('grant_type=client_credentials')
    }
    for (const request of sim.requestsTo('graph')) {
      expect(request.headers.authorization).toMatch(/^Bearer ey/)
    }
  })
})
