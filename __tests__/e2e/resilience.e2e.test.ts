// End-to-end: what Graph and Entra really do (throttling, 5xx, drops, token
// expiry, hung responses, cancellation), scripted in the simulator, against the
// bundled dist/index.js.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  DEFAULTS,
  Simulator,
  graphError,
  startSimulator,
  throttled
} from '../../simulator/simulator.js'
import { OPERATION_ID, runAction, simulatorInputs } from '../helpers/run-action.js'

let sim: Simulator

beforeEach(async () => {
  sim = await startSimulator()
  sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress', 'completed'] })
})
afterEach(async () => {
  await sim.close()
})

const inputs = (overrides: Record<string, string> = {}) => simulatorInputs(sim.url, overrides)
const retryLines = (stdout: string) =>
  stdout.split('\n').filter(line => /; retry \d+ in /.test(line))
const graphStatuses = () => sim.requestsTo('graph').map(r => r.status)
const unavailable = () =>
  graphError(503, 'ServiceUnavailable', 'Service is temporarily unavailable.')

describe('Graph throttling and outages', () => {
  it('honours Retry-After: 1 on a 429, waiting at least a second', async () => {
    sim.injectFaults('graph', throttled('1'))
    const run = await runAction(inputs())

    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('completed')
    const [refused, retried] = sim.requestsTo('graph')
    expect(refused.status).toBe(429)
    expect(retried.at - refused.at).toBeGreaterThanOrEqual(1000)
    const lines = retryLines(run.stdout)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      /^Graph answered HTTP 429, code TooManyRequests, request-id [0-9a-f-]{36}: Too many requests; retry 1 in 1\.0 s$/
    )
  })

  it('backs off on a 429 without Retry-After', async () => {
    sim.injectFaults('graph', graphError(429, 'TooManyRequests', 'Too many requests.'))
    const run = await runAction(inputs())

    expect(run.code).toBe(0)
    const [refused, retried] = sim.requestsTo('graph')
    // The first backoff is between 0.25 and 0.5 s.
    expect(retried.at - refused.at).toBeGreaterThanOrEqual(240)
    expect(retried.at - refused.at).toBeLessThan(1000)
  })

  it('retries a dropped connection, twice', async () => {
    sim.injectFaults('graph', 'drop', 'drop')
    const run = await runAction(inputs())

    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('completed')
    const lines = retryLines(run.stdout)
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(
      /The connection to http:\/\/127\.0\.0\.1:\d+\/v1\.0\/.* failed: ECONNRESET/
    )
  })

  // The one 5xx end to end; 500, 502, 503 and 504 are each retried in
  // __tests__/engine/graph.test.ts and retry.test.ts.
  it('retries a 502 whose body is an HTML gateway page', async () => {
    sim.injectFaults('graph', {
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'
    })
    const run = await runAction(inputs())

    expect(run.code).toBe(0)
    expect(retryLines(run.stdout)[0]).toContain('HTTP 502')
  })

  it('fails clearly, without a crash, on a 200 that is not JSON', async () => {
    sim.injectFaults('graph', { status: 200, body: '<html>Sign in to continue</html>' })
    const run = await runAction(inputs())

    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^Graph answered HTTP 200 with a body that is not JSON \(content-type text\/html/
      )
    ])
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /)
  })

  it('fails at the timeout with the cause when 503 persists', async () => {
    sim.injectFaults('graph', ...Array.from({ length: 50 }, unavailable))
    const run = await runAction(inputs({ 'timeout-seconds': '3' }))

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(
      /^Timed out after 3\.0 s waiting for operation .*; last status: none \(not read yet\)\. Last error: Graph answered HTTP 503, code ServiceUnavailable, request-id [0-9a-f-]{36}: Service is temporarily unavailable\.$/
    )
    const elapsed = Number(run.outputs['elapsed-seconds'])
    expect(elapsed).toBeGreaterThanOrEqual(3)
    expect(elapsed).toBeLessThan(3.3)
    expect(sim.requestsTo('graph').length).toBeGreaterThanOrEqual(3)
  })

  it('gives up on a response that hangs for 30 s by the 2 s timeout', async () => {
    sim.injectFaults('graph', 'hang')
    const run = await runAction(inputs({ 'timeout-seconds': '2' }))

    expect(run.code).toBe(1)
    expect(run.errors[0]).toMatch(/^Timed out after 2\.0 s .*Last error: no response from http:/)
    expect(run.durationMs).toBeLessThan(3000)
  })

  it('waits out a not-found answer from a just-created operation', async () => {
    sim.operations.clear()
    sim.onRequest = request => {
      if (request.service === 'graph' && sim.requestsTo('graph').length === 3) {
        sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['completed'] })
      }
    }
    const run = await runAction(inputs())

    expect(run.code).toBe(0)
    const graph = sim.requestsTo('graph')
    expect(graph.map(r => r.status)).toEqual([404, 200, 200])
    // The 404 made it check the connection once, which exists, so it waited.
    expect(graph[1].path).toBe(`/v1.0/external/connections/${DEFAULTS.connectionId}`)
    expect(retryLines(run.stdout)[0]).toContain('A new operation can take a moment to appear')
  })
})

describe('tokens', () => {
  it('signs in again exactly once when the token is revoked mid-wait', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, {
      statuses: ['inprogress', 'inprogress', 'inprogress', 'completed']
    })
    sim.onRequest = request => {
      if (request.service === 'graph' && sim.requestsTo('graph').length === 2) sim.revokeTokens()
    }
    const run = await runAction(inputs())

    expect(run.code).toBe(0)
    expect(sim.requestsTo('token')).toHaveLength(2)
    expect(graphStatuses()).toEqual([200, 401, 200, 200, 200])
    expect(retryLines(run.stdout)[0]).toMatch(
      /^Graph answered HTTP 401, code InvalidAuthenticationToken, .*\. Signing in again; retry 1 in 0\.[2-5] s$/
    )
  })

  it('renews a 2-second token before it expires during a 5-second wait', async () => {
    await sim.close()
    sim = await startSimulator({ tokenLifetimeSeconds: 2 })
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, {
      statuses: ['inprogress', 'completed'],
      everyMs: 5000
    })
    const run = await runAction(inputs({ 'poll-interval-seconds': '0.5' }))

    expect(run.code).toBe(0)
    expect(graphStatuses().every(status => status === 200)).toBe(true)
    // Renewed halfway through each 2 s token: about 5 sign-ins over 5 s.
    expect(sim.requestsTo('token').length).toBeGreaterThanOrEqual(3)
    expect(sim.requestsTo('token').length).toBeLessThanOrEqual(7)
  })

  it('retries a token endpoint that answers 503 once', async () => {
    sim.injectFaults('token', {
      status: 503,
      body: {
        error: 'temporarily_unavailable',
        error_description: 'AADSTS50000: There was an error issuing a token.',
        error_codes: [50000]
      }
    })
    const run = await runAction(inputs())

    expect(run.code).toBe(0)
    expect(sim.requestsTo('token').map(r => r.status)).toEqual([503, 200])
    expect(retryLines(run.stdout)[0]).toContain('AADSTS50000')
  })

  it('honours Retry-After on a 429 from the token endpoint', async () => {
    sim.injectFaults('token', { status: 429, headers: { 'retry-after': '1' }, body: '' })
    const run = await runAction(inputs())

    expect(run.code).toBe(0)
    const [refused, retried] = sim.requestsTo('token')
    expect(retried.at - refused.at).toBeGreaterThanOrEqual(1000)
  })

  it('fails on a persistent 401 after one new sign-in, never looping', async () => {
    const unauthorized = () =>
      graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.')
    sim.injectFaults('graph', ...Array.from({ length: 20 }, unauthorized))
    const run = await runAction(inputs())

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(
      /^Graph rejected the access token .*HTTP 401, code InvalidAuthenticationToken/
    )
    expect(sim.requestsTo('token')).toHaveLength(2)
    expect(sim.requestsTo('graph')).toHaveLength(2)
  })
})

describe('cancellation', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'stops at once on %s with a one-line cancelled message',
    async signal => {
      sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress'] })
      let signalledAt = 0
      let pid = 0
      // SIGINT comes 0.3 s into the 5 s sleep after the first poll.
      sim.onRequest = request => {
        if (request.service !== 'graph') return
        setTimeout(() => {
          signalledAt = Date.now()
          process.kill(pid, signal)
        }, 300)
      }
      const run = await runAction(inputs({ 'poll-interval-seconds': '5' }), {
        onSpawn: p => (pid = p)
      })

      expect(run.signal).toBeNull()
      expect(run.code).toBe(1)
      expect(run.exitedAt - signalledAt).toBeLessThan(1000)
      expect(run.errors).toHaveLength(1)
      expect(run.errors[0]).toMatch(
        /^Cancelled after \d+\.\d s while waiting for operation '.+'; last status: inprogress\.$/
      )
      expect(run.outputs.status).toBe('inprogress')
    }
  )
})
