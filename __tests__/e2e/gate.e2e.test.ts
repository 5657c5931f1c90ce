// End-to-end: the Location URL as input, waiting on connection readiness, and
// what the person reading the run sees (summary, annotation title, log groups).
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { DEFAULTS, Simulator, startSimulator } from '../../simulator/simulator.js'
import { OPERATION_ID, runAction, simulatorInputs } from '../helpers/run-action.js'

let sim: Simulator

beforeEach(async () => {
  sim = await startSimulator()
})
afterEach(async () => {
  await sim.close()
})

const locationOf = (version = 'v1.0', connection: string = DEFAULTS.connectionId) =>
  `${sim.url}/${version}/external/connections/${connection}/operations/${OPERATION_ID}`
/** Inputs without connection-id and operation-id, plus the overrides. */
const inputs = (overrides: Record<string, string>) =>
  simulatorInputs(sim.url, { 'connection-id': '', 'operation-id': '', ...overrides })

describe('operation-url', () => {
  it('takes the Location header as it is, API version included', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress', 'completed'] })
    const run = await runAction(inputs({ 'operation-url': locationOf('beta') }))

    expect(run.errors).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('completed')
    expect(sim.requestsTo('graph').map(r => r.path)).toEqual([
      `/beta/external/connections/contosohr/operations/${OPERATION_ID}`,
      `/beta/external/connections/contosohr/operations/${OPERATION_ID}`
    ])
  })

  // One refusal end to end; each of them, word for word, is in the unit tests
  // (__tests__/engine/settings.test.ts, operation-url).
  it('refuses a URL on another host before any request', async () => {
    const foreign = `https://graph.example.com/v1.0/external/connections/contosohr/operations/${OPERATION_ID}`
    const run = await runAction(inputs({ 'operation-url': foreign }))

    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(
        /^Input 'operation-url' must be on the Graph host http:\/\/127\.0\.0\.1:\d+ .*got https:\/\/graph\.example\.com\./
      )
    ])
    expect(sim.requests).toHaveLength(0)
  })

  it('refuses operation-url together with connection-id or operation-id', async () => {
    const extras: Record<string, string>[] = [
      { 'connection-id': 'contosohr' },
      { 'operation-id': OPERATION_ID }
    ]
    for (const extra of extras) {
      const run = await runAction(inputs({ 'operation-url': locationOf(), ...extra }))
      expect(run.code).toBe(1)
      expect(run.errors).toEqual([
        expect.stringMatching(
          /^Set either 'operation-url' or 'connection-id' with 'operation-id', not both/
        )
      ])
    }
    expect(sim.requests).toHaveLength(0)
  })
})

describe('connection readiness (no operation-id)', () => {
  it('waits through draft until the connection is ready', async () => {
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['draft', 'draft', 'ready'] })
    const run = await runAction(inputs({ 'connection-id': DEFAULTS.connectionId }))

    expect(run.errors).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('ready')
    expect(run.outputs['error-code']).toBe('')
    expect(run.outputs['error-message']).toBe('')
    expect(JSON.parse(run.outputs.connection)).toMatchObject({ id: 'contosohr', state: 'ready' })
    expect(run.outputs.operation).toBe('')
    expect(sim.requestsTo('graph').map(r => r.path)).toEqual(
      Array(3).fill('/v1.0/external/connections/contosohr')
    )
    expect(run.stdout).toContain("Connection 'contosohr': ready after")
  })

  it('fails on limitExceeded, with the state in error-code', async () => {
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['draft', 'limitExceeded'] })
    const run = await runAction(inputs({ 'connection-id': DEFAULTS.connectionId }))

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/^Connection 'contosohr' is limitExceeded: .*limit/)
    expect(run.outputs.status).toBe('limitExceeded')
    expect(run.outputs['error-code']).toBe('limitExceeded')
    expect(run.summary).toContain('limitExceeded')
  })

  it('fails on obsolete', async () => {
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['obsolete'] })
    const run = await runAction(inputs({ 'connection-id': DEFAULTS.connectionId }))

    expect(run.code).toBe(1)
    expect(run.errors[0]).toMatch(/^Connection 'contosohr' is obsolete: /)
  })

  it('keeps waiting through a state it does not know, warning once', async () => {
    sim.setConnection(DEFAULTS.connectionId, {
      statuses: ['unknownFutureValue', 'unknownFutureValue', 'ready']
    })
    const run = await runAction(inputs({ 'connection-id': DEFAULTS.connectionId }))

    expect(run.code).toBe(0)
    expect(run.warnings).toHaveLength(1)
    expect(run.warnings[0]).toContain("'unknownFutureValue'")
  })

  it('fails at once on a connection that does not exist', async () => {
    const run = await runAction(inputs({ 'connection-id': 'fabrikamhr' }))

    expect(run.code).toBe(1)
    expect(run.errors[0]).toMatch(/^Graph found no connection 'fabrikamhr' \(HTTP 404/)
    expect(sim.requestsTo('graph')).toHaveLength(1)
  })
})

describe('what the reader of the run sees', () => {
  it('summarises a completed wait in a table', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress', 'completed'] })
    const run = await runAction(inputs({ 'operation-url': locationOf() }))

    expect(run.code).toBe(0)
    expect(run.summary).toMatch(/^<h3>✅ contosohr: operation completed in \d+\.\d s<\/h3>$/m)
    // The secondary facts, folded on success.
    expect(run.summary).toContain('<details>\n<summary>Details</summary>')
    expect(run.summary).toContain('<li><b>Connection:</b> <code>contosohr</code></li>')
    expect(run.summary).toContain(`<li><b>Operation:</b> <code>${OPERATION_ID}</code></li>`)
    expect(run.summary).toContain('<li><b>Status:</b> <code>completed</code></li>')
    expect(run.summary).toContain('<li><b>Polls:</b> 2</li>')
  })

  it("puts the operation's error in the summary and titles the annotation with the connection", async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, {
      statuses: ['failed'],
      error: {
        code: 'InvalidSchema',
        message: "Property 'title' can't be <searchable>.",
        details: [
          { code: 'A', target: 'title', message: 'One.' },
          { code: 'B', target: 'url', message: 'Two.' },
          { code: 'C', target: 'icon', message: 'Three.' }
        ]
      }
    })
    const run = await runAction(inputs({ 'operation-url': locationOf() }))

    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /^::error title=Graph connector 'contosohr'::Operation '.+' failed: /m
    )
    expect(run.summary).toMatch(/^<h3>❌ contosohr: operation failed after .+<\/h3>$/m)
    expect(run.summary).toContain(
      "<p><b>Graph said:</b> Property 'title' can't be &lt;searchable&gt;.</p>"
    )
    // Three details, three rows; the details open on a failure.
    expect(run.summary.match(/<tr><td><code>(title|url|icon)<\/code><\/td>/g)).toHaveLength(3)
    expect(run.summary).toContain('<details open>')
    expect(run.summary).toContain('<li><b>Error code:</b> <code>InvalidSchema</code></li>')
  })

  it('explains a timeout in the summary', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress'] })
    const run = await runAction(inputs({ 'operation-url': locationOf(), 'timeout-seconds': '1' }))

    expect(run.code).toBe(1)
    expect(run.summary).toContain(
      '<h3>❌ contosohr: timed out after 1.0 s; the operation goes on in Graph</h3>'
    )
    expect(run.summary).toContain(
      `<li><b>Resume with operation-url:</b> <code>${locationOf()}</code></li>`
    )
    expect(run.summary).toContain('<li><b>timeout-seconds:</b> <code>1</code></li>')
  })

  it('folds the wait into one log group, with the verdict after it', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress', 'completed'] })
    const run = await runAction(inputs({ 'operation-url': locationOf() }))

    const lines = run.stdout.split('\n')
    const start = lines.indexOf(
      `::group::Waiting for operation '${OPERATION_ID}' of connection 'contosohr'`
    )
    const end = lines.indexOf('::endgroup::')
    const verdict = lines.findIndex(line => line.includes(': completed after'))
    expect(start).toBeGreaterThanOrEqual(0)
    expect(lines.slice(start, end).some(line => line.startsWith('Status: inprogress'))).toBe(true)
    expect(verdict).toBeGreaterThan(end)
  })
})
