// The whole step, runStep(), in process against the loopback simulator: what it
// does in each mode, what it hands back, and which phases it folds. No child
// process, a few milliseconds a case; the front doors' tests render it.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBudget } from '../../src/engine/budget.js'
import { InputError } from '../../src/engine/errors.js'
import { MAX_SCHEMA_FILE_BYTES, runStep } from '../../src/engine/run.js'
import { USER_AGENT } from '../../src/engine/session.js'
import type { ProgressEvent } from '../../src/engine/progress.js'
import { readSettings } from '../../src/engine/settings.js'
import { DEFAULTS, graphError, startSimulator } from '../../simulator/simulator.js'
import type { Simulator } from '../../simulator/simulator.js'
import { OPERATION_ID, simulatorInputs } from '../helpers/run-action.js'
import { recordingLog } from '../helpers/recording-log.js'

const SCHEMA = JSON.parse(
  readFileSync(new URL('../fixtures/schema.json', import.meta.url), 'utf8')
) as { baseType: string; properties: Record<string, unknown>[] }

let sim: Simulator
let workspace = ''

beforeEach(async () => {
  sim = await startSimulator()
  sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress', 'completed'] })
  workspace = mkdtempSync(join(tmpdir(), 'run-'))
  writeFileSync(join(workspace, 'schema.json'), JSON.stringify(SCHEMA, null, 2))
})
afterEach(async () => {
  await sim.close()
  rmSync(workspace, { recursive: true, force: true })
})

/** runStep() with the simulator's inputs and the overrides, recording the log and the phases. */
async function step(
  overrides: Record<string, string> = {},
  options: { now?: () => number; startedAt?: number; log?: ReturnType<typeof recordingLog> } = {}
) {
  const inputs = simulatorInputs(sim.url, { 'poll-interval-seconds': '0.05', ...overrides })
  const settings = readSettings(name => inputs[name] ?? '', { GITHUB_WORKSPACE: workspace })
  const log = options.log ?? recordingLog()
  const groups: string[] = []
  const events: ProgressEvent[] = []
  const outcome = await runStep(settings, {
    progress: event => events.push(event),
    log,
    budget: createBudget({
      timeoutMs: settings.timeoutMs,
      signal: new AbortController().signal,
      ...(options.now && { now: options.now }),
      ...(options.startedAt !== undefined && { startedAt: options.startedAt })
    }),
    group: (title, work) => {
      groups.push(title)
      return work()
    }
  })
  return { ...outcome, log, groups, events }
}
const schemaStep = (overrides: Record<string, string> = {}) =>
  step({ 'operation-id': '', 'schema-file': 'schema.json', ...overrides })
const patches = () => sim.requestsTo('graph').filter(r => r.method === 'PATCH')

describe('runStep(): waiting', () => {
  it('waits for an operation, with the URL its IDs name, in one phase', async () => {
    const { verdict, findings, groups, log } = await step()

    expect(verdict.level).toBe('pass')
    expect(verdict.outputs).toMatchObject({
      status: 'completed',
      'operation-url': `${sim.url}/v1.0/external/connections/contosohr/operations/${OPERATION_ID}`
    })
    expect(findings).toEqual([])
    expect(groups).toEqual([`Waiting for operation '${OPERATION_ID}' of connection 'contosohr'`])
    expect(log.lines).toContain('info: Polling every 0.05 s; timeout 15 s')
    expect(verdict.summary.tables).toBeUndefined()
  })

  it('waits for a connection to be ready, naming no operation', async () => {
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['draft', 'ready'] })
    const { verdict, groups } = await step({ 'operation-id': '' })

    expect(verdict.outputs).toMatchObject({ status: 'ready', 'operation-url': '' })
    expect(groups).toEqual(["Waiting for connection 'contosohr'"])
  })

  it('warns of statuses it does not know, once the wait is over', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['queued', 'completed'] })
    const { verdict, log } = await step()

    expect(verdict.level).toBe('pass')
    expect(log.lines.filter(line => line.startsWith('warning: '))).toEqual([
      expect.stringContaining("'queued'")
    ])
  })

  it('hands on its progress as events: phases, polls, status changes and retries', async () => {
    sim.injectFaults('graph', graphError(503, 'ServiceUnavailable', 'Busy.'))
    const { events } = await step()

    const title = `Waiting for operation '${OPERATION_ID}' of connection 'contosohr'`
    expect(events[0]).toEqual({ kind: 'phase', state: 'start', title })
    expect(events.at(-1)).toEqual({ kind: 'phase', state: 'end', title })
    expect(events).toContainEqual({
      kind: 'retry',
      retry: 1,
      delayMs: expect.any(Number),
      reason: expect.stringMatching(/^Graph answered HTTP 503/)
    })
    const polls = events.filter(event => event.kind === 'poll')
    expect(polls.map(poll => [poll.status, poll.polls])).toEqual([
      ['inprogress', 1],
      ['completed', 2]
    ])
    expect(events.filter(event => event.kind === 'status')).toEqual([
      { kind: 'status', status: 'inprogress', polls: 1, elapsedMs: expect.any(Number) },
      {
        kind: 'status',
        status: 'completed',
        previous: 'inprogress',
        polls: 2,
        elapsedMs: expect.any(Number)
      }
    ])
  })

  it('signs in once, sends its user agent, and logs each retry', async () => {
    sim.injectFaults('graph', graphError(503, 'ServiceUnavailable', 'Busy.'))
    const { verdict, log } = await step()

    expect(verdict.level).toBe('pass')
    expect(sim.requestsTo('token')).toHaveLength(1)
    expect(USER_AGENT).toBe('wait-for-graph-connector-operation')
    expect(sim.requests.every(r => r.headers['user-agent'] === USER_AGENT)).toBe(true)
    expect(log.lines).toContainEqual(
      expect.stringMatching(
        /^info: Graph answered HTTP 503, code ServiceUnavailable, .*; retry 1 in /
      )
    )
  })

  it('ends an unforeseen error in the wait as a verdict, its stack in the debug log', async () => {
    const log = recordingLog()
    const info = log.info
    log.info = message => {
      if (message.startsWith('Status: ')) throw new TypeError('the log broke')
      info(message)
    }
    const { verdict } = await step({}, { log })

    expect(verdict.level).toBe('fail')
    expect(verdict.message).toContain('the log broke')
    expect(log.lines).toContainEqual(
      expect.stringMatching(/^debug: TypeError: the log broke\n\s+at /)
    )
  })

  it('logs no stack for an error written for the user', async () => {
    const { verdict, log } = await step({ 'client-secret': 'not-the-Secret.Value-0123456789' })

    expect(verdict.level).toBe('fail')
    expect(log.lines.filter(line => line.startsWith('debug: '))).toEqual([])
  })

  it('ends with the verdict of a failed sign-in, waiting for nothing', async () => {
    const { verdict } = await step({ 'client-secret': 'not-the-Secret.Value-0123456789' })

    expect(verdict.level).toBe('fail')
    expect(verdict.message).toMatch(/^Sign-in to Microsoft Entra ID failed: AADSTS7000215/)
    expect(sim.requestsTo('graph')).toHaveLength(0)
  })
})

describe('runStep(): a schema file', () => {
  it('says in its summary that it created the connection and sent the schema, and deployed it', async () => {
    sim.connections.clear()
    const { verdict } = await schemaStep({ 'connection-name': 'HR' })
    expect(verdict.level).toBe('pass')
    expect(verdict.summary.headline).toMatch(/^✅ contosohr: schema deployed in /)
    expect(verdict.summary.rows).toEqual([
      { label: 'Schema file', value: 'schema.json', code: true },
      {
        label: 'Sent to Graph',
        value: `PATCH with ${SCHEMA.properties.length} properties, after creating the connection`
      }
    ])
    expect(verdict.outputs['operation-url']).toMatch(/\/operations\/1\.neu\./)
  })

  it('says a one-property schema in the singular, and a draft that had it as already in place', async () => {
    const one = { ...SCHEMA, properties: SCHEMA.properties.slice(0, 1) }
    writeFileSync(join(workspace, 'one.json'), JSON.stringify(one))
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['ready'] })
    const sent = await schemaStep({ 'schema-file': 'one.json' })
    expect(sent.verdict.summary.rows[1]).toEqual({
      label: 'Sent to Graph',
      value: 'PATCH with 1 property'
    })
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['draft', 'ready'] })
    const inPlace = await schemaStep({ 'schema-file': 'one.json' })
    expect(inPlace.verdict.summary.headline).toMatch(
      /^⚠️ contosohr: schema already in place, connection ready in .* with \d+ warnings?$/
    )
    expect(inPlace.verdict.summary.rows[1]).toEqual({
      label: 'Sent to Graph',
      value: 'no PATCH: the schema was already in place'
    })
    expect(inPlace.verdict.outputs['operation-url']).toBe('')
  })

  it('is checked, submitted and waited for, with the Location and the changes', async () => {
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['ready'] })
    sim.setSchema(DEFAULTS.connectionId, {
      ...SCHEMA,
      properties: [...SCHEMA.properties, { name: 'legacyCode', type: 'string' }]
    } as never)
    const { verdict, groups, log } = await schemaStep()

    expect(log.lines[0]).toBe('info: Checked schema.json: no findings.')
    expect(patches()).toHaveLength(1)
    expect(verdict.outputs.status).toBe('completed')
    expect(verdict.outputs['operation-url']).toMatch(
      new RegExp(`^${sim.url}/v1\\.0/external/connections/contosohr/operations/1\\.neu\\.`)
    )
    expect(groups).toEqual([
      "Deploying the schema to connection 'contosohr'",
      expect.stringMatching(/^Waiting for operation '1\.neu\.[^']+' of connection 'contosohr'$/)
    ])
    expect(verdict.summary.tables).toHaveLength(1) // the changes; no findings
  })

  it('has a findings table beside the changes when the file has warnings', async () => {
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['ready'] })
    sim.setSchema(DEFAULTS.connectionId, SCHEMA as never)
    writeFileSync(
      join(workspace, 'schema.json'),
      JSON.stringify({ properties: [{ name: 'body', type: 'string' }] })
    )
    const { verdict, findings } = await schemaStep()

    expect(verdict.level).toBe('pass')
    expect(findings.length).toBeGreaterThanOrEqual(3)
    expect(findings.every(finding => finding.severity === 'warning')).toBe(true)
    expect(verdict.summary.tables?.map(table => table.caption)).toEqual([
      'Findings',
      'Schema changes'
    ])
    expect(verdict.summary.tables?.[0].counts).toMatch(/^\d+ warnings$/)
    // The warnings reach the headline, and the file and what was sent are named.
    expect(verdict.summary.headline).toMatch(
      /^⚠️ contosohr: schema deployed in .+ with \d+ warnings$/
    )
    expect(verdict.summary.rows).toEqual([
      { label: 'Schema file', value: 'schema.json', code: true },
      { label: 'Sent to Graph', value: expect.stringMatching(/^PATCH with \d+ propert/) }
    ])
  })

  it('has no changes table for a connection that had no schema', async () => {
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['ready'] })
    const { verdict } = await schemaStep()

    expect(verdict.outputs.status).toBe('completed')
    expect(verdict.summary.tables).toBeUndefined()
  })

  it('is not submitted when Graph has it and the connection is ready: no wait', async () => {
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['ready'] })
    sim.setSchema(DEFAULTS.connectionId, SCHEMA as never)
    const { verdict, groups } = await schemaStep()

    expect(patches()).toHaveLength(0)
    expect(verdict.outputs).toMatchObject({ status: 'ready', 'operation-url': '' })
    expect(groups).toEqual(["Deploying the schema to connection 'contosohr'"])
  })

  it('waits for a draft connection that has it to be ready, with no PATCH', async () => {
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['draft', 'ready'] })
    sim.setSchema(DEFAULTS.connectionId, SCHEMA as never)
    const { verdict, groups } = await schemaStep()

    expect(patches()).toHaveLength(0)
    expect(verdict.outputs).toMatchObject({ status: 'ready', 'operation-url': '' })
    expect(groups[1]).toBe("Waiting for connection 'contosohr'")
  })

  it('ends with the failed submission as the verdict, waiting for nothing', async () => {
    await sim.close()
    sim = await startSimulator({
      apps: [
        {
          clientId: DEFAULTS.clientId,
          secret: DEFAULTS.clientSecret,
          roles: ['ExternalConnection.Read.All']
        }
      ]
    })
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['ready'] })
    const { verdict, groups } = await schemaStep()

    expect(verdict.level).toBe('fail')
    expect(verdict.message).toMatch(/^Graph denied the app to submit the schema/)
    expect(verdict.outputs['operation-url']).toBe('')
    expect(groups).toEqual(["Deploying the schema to connection 'contosohr'"])
    expect(verdict.summary.headline).toBe('❌ contosohr: schema deployment failed')
    expect(verdict.summary.rows).toEqual([
      { label: 'Schema file', value: 'schema.json', code: true }
    ])
  })

  it('with errors, ends with them and sends nothing', async () => {
    writeFileSync(
      join(workspace, 'schema.json'),
      JSON.stringify({ properties: [{ name: 'count', type: 'int64', isSearchable: true }] })
    )
    const { verdict, findings, groups } = await schemaStep()

    expect(verdict.level).toBe('fail')
    expect(verdict.outputs).toMatchObject({ status: 'invalid', 'error-code': 'InvalidSchemaFile' })
    expect(findings.some(finding => finding.severity === 'error')).toBe(true)
    expect(groups).toEqual([])
    expect(sim.requests).toHaveLength(0)
  })

  it('with validate-only, is checked and nothing is sent', async () => {
    const { verdict, groups } = await schemaStep({ 'validate-only': 'true' })

    expect(verdict.outputs.status).toBe('valid')
    expect(groups).toEqual([])
    expect(sim.requests).toHaveLength(0)
  })

  it('with validate-only, needs no connection-id, and the verdict is about the file', async () => {
    const { verdict } = await schemaStep({ 'validate-only': 'true', 'connection-id': '' })

    expect(verdict.level).toBe('pass')
    expect(verdict.title).toBe('Schema file schema.json')
    expect(verdict.message).toMatch(/^Schema file schema\.json is valid /)
    expect(sim.requests).toHaveLength(0)
  })

  it('makes Copilot readiness warnings errors with require-copilot-ready', async () => {
    writeFileSync(
      join(workspace, 'schema.json'),
      JSON.stringify({ properties: [{ name: 'body', type: 'string' }] })
    )
    const { verdict, findings } = await schemaStep({ 'require-copilot-ready': 'true' })

    expect(verdict.level).toBe('fail')
    expect(findings.every(finding => finding.severity === 'error')).toBe(true)
    expect(sim.requests).toHaveLength(0)
  })

  it('names schema-file when the file cannot be read, or is too large', async () => {
    await expect(schemaStep({ 'schema-file': 'missing.json' })).rejects.toThrow(
      new InputError(
        "Input 'schema-file': 'missing.json' cannot be read (ENOENT). It must be the path of a " +
          'JSON file, relative to the workspace (GITHUB_WORKSPACE), such as connector/schema.json.'
      )
    )
    writeFileSync(join(workspace, 'big.json'), ' '.repeat(MAX_SCHEMA_FILE_BYTES + 1))
    await expect(schemaStep({ 'schema-file': 'big.json' })).rejects.toThrow(
      `Input 'schema-file': 'big.json' has ${MAX_SCHEMA_FILE_BYTES + 1} bytes; a schema file is ` +
        'a JSON file of a few KB (at most 1 MiB is read).'
    )
    expect(sim.requests).toHaveLength(0)
  })
})

describe('runStep(): validate-only without a schema file', () => {
  it('checks the inputs and stops, signing in to nothing, with the time it took', async () => {
    const { verdict, groups } = await step(
      { 'validate-only': 'true' },
      { now: () => 3_500, startedAt: 1_000 }
    )

    expect(verdict.level).toBe('pass')
    expect(verdict.outputs['elapsed-seconds']).toBe('2.5')
    expect(groups).toEqual([])
    expect(sim.requests).toHaveLength(0)
  })
})
