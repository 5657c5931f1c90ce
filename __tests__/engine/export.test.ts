// exportStep(), in process against the loopback simulator: it signs in, reads
// the connection and its schema (two GETs, no write) and hands back the
// connector file; and what it says when it cannot.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createBudget } from '../../src/engine/budget.js'
import { checkConnector } from '../../src/engine/connector.js'
import { diffConnection } from '../../src/engine/connection-diff.js'
import { ActionError, InputError } from '../../src/engine/errors.js'
import { exportStep } from '../../src/engine/export.js'
import type { ProgressEvent } from '../../src/engine/progress.js'
import { readSettings } from '../../src/engine/settings.js'
import { classifySchemaChanges } from '../../src/engine/schema-changes.js'
import { DEFAULTS, graphError, startSimulator } from '../../simulator/simulator.js'
import type { Simulator } from '../../simulator/simulator.js'
import { simulatorInputs } from '../helpers/run-action.js'
import { recordingLog } from '../helpers/recording-log.js'

type Json = Record<string, unknown>

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'connector')
const load = (path: string) => readFileSync(join(EXAMPLE, path), 'utf8')
const example = checkConnector(load('connector.json'), { apiVersion: 'v1.0', load }).connector
if (!example?.schema) throw new Error('the example connector file does not pass its check')
const EXAMPLE_SCHEMA = JSON.parse(example.schema.text) as Json
const ID = DEFAULTS.connectionId

let sim: Simulator
beforeEach(async () => {
  sim = await startSimulator()
  sim.setConnection(ID, { statuses: ['ready'] }, example.fields)
  sim.setSchema(ID, EXAMPLE_SCHEMA as never)
})
afterEach(async () => {
  await sim.close()
})

/** exportStep() with the simulator's inputs and the overrides; the log and events recorded. */
async function exported(overrides: Record<string, string> = {}, signal?: AbortSignal) {
  const inputs = simulatorInputs(sim.url, {
    'operation-id': '',
    'poll-interval-seconds': '0.05',
    ...overrides
  })
  const settings = readSettings(name => inputs[name] ?? '', {})
  const log = recordingLog()
  const events: ProgressEvent[] = []
  const run = exportStep(settings, {
    log,
    budget: createBudget({
      timeoutMs: settings.timeoutMs,
      signal: signal ?? new AbortController().signal
    }),
    progress: event => events.push(event)
  })
  return { run, log, events }
}

const graphRequests = () => sim.requestsTo('graph').map(r => `${r.method} ${r.path}`)

describe('exportStep()', () => {
  it('reads the connection and its schema with two GETs, and hands back the connector file', async () => {
    const { run, log, events } = await exported()
    const text = await run

    expect(graphRequests()).toEqual([
      `GET /v1.0/external/connections/${ID}`,
      `GET /v1.0/external/connections/${ID}/schema`
    ])
    expect(text.endsWith('}\n')).toBe(true)
    const file = JSON.parse(text) as Json
    expect(Object.keys(file)).toEqual([
      'id',
      'name',
      'description',
      'contentCategory',
      'activitySettings',
      'searchSettings',
      'configuration',
      'schema'
    ])
    expect(file.id).toBe(ID)
    const infos = log.lines.filter(line => line.startsWith('info: '))
    expect(infos).toEqual([
      `info: Reading connection '${ID}' and its schema`,
      expect.stringMatching(/^info: Signing in to Microsoft Entra ID as app /),
      `info: Exported connection '${ID}': name, description, contentCategory, activitySettings, ` +
        'searchSettings, configuration; its schema with 7 properties.'
    ])
    const title = `Reading connection '${ID}' and its schema`
    expect(events[0]).toEqual({ kind: 'phase', state: 'start', title })
    expect(events.at(-1)).toEqual({ kind: 'phase', state: 'end', title })
  })

  it('round-trips: the file passes its check, and nothing differs from what Graph has', async () => {
    const text = await (await exported()).run
    const check = checkConnector(text, { apiVersion: 'v1.0' })
    expect(check.findings.filter(f => f.severity === 'error')).toEqual([])
    const graph = await fetchGraph()
    expect(diffConnection(graph.connection, check.connector!.fields)).toEqual([])
    expect(classifySchemaChanges(graph.schema, JSON.parse(text).schema)).toEqual([])
  })

  it('writes no schema for a connection that has none yet', async () => {
    sim.setSchema(ID, undefined)
    const { run, log } = await exported()
    const file = JSON.parse(await run) as Json
    expect(file).not.toHaveProperty('schema')
    expect(log.lines.at(-1)).toMatch(/; no schema: the connection has none yet\.$/)
  })

  it('reads the beta fields with api-version beta', async () => {
    sim.setConnection(ID, { statuses: ['ready'] }, { ...example.fields, ingestedItemsCount: 3 })
    const { run } = await exported({ 'api-version': 'beta' })
    const text = await run
    expect(graphRequests()[0]).toBe(`GET /beta/external/connections/${ID}`)
    expect(text).not.toContain('ingestedItemsCount')
  })

  it('names the connection-id setting when Graph has no such connection, and asks for no schema', async () => {
    const { run } = await exported({ 'connection-id': 'nosuchone' })
    const error = await run.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ActionError)
    expect((error as ActionError).code).toBe('ConnectionNotFound')
    expect((error as Error).message).toBe(
      "Graph found no connection 'nosuchone' to export. Check connection-id, and that tenant-id " +
        'and cloud are where the connection was created.'
    )
    expect(graphRequests()).toEqual(['GET /v1.0/external/connections/nosuchone'])
  })

  it('retries a 503 as every step does', async () => {
    sim.injectFaults('graph', graphError(503, 'ServiceUnavailable', 'Busy.'))
    const { run, log } = await exported()
    expect(JSON.parse(await run)).toHaveProperty('schema')
    expect(log.lines.some(line => /HTTP 503/.test(line))).toBe(true)
  })

  it('says a Graph error as the other steps do (403: the permission to grant)', async () => {
    sim.injectFaults('graph', graphError(403, 'Forbidden', 'No.'))
    const { run } = await exported()
    await expect(run).rejects.toThrow(/ExternalConnection\.Read\.All/)
  })

  it('stops at the timeout, saying what it was reading', async () => {
    sim.injectFaults('graph', 'hang')
    const { run } = await exported({ 'timeout-seconds': '0.5' })
    const error = await run.catch((e: unknown) => e)
    expect((error as ActionError).code).toBe('Timeout')
    expect((error as Error).message).toBe(
      `Timed out after 0.5 s reading connection '${ID}' to export it. Last error: no response ` +
        `from ${sim.url}/v1.0/external/connections/${ID} before the timeout. ` +
        'Raise timeout-seconds if it needs longer.'
    )
  })

  it('stops at once when cancelled, sending nothing to Graph', async () => {
    const cancel = new AbortController()
    cancel.abort()
    const { run } = await exported({}, cancel.signal)
    const error = await run.catch((e: unknown) => e)
    expect((error as ActionError).code).toBe('Cancelled')
    expect((error as Error).message).toMatch(
      new RegExp(`^Cancelled after \\d+\\.\\d s while reading connection '${ID}' to export it\\.$`)
    )
    expect(sim.requestsTo('graph')).toEqual([])
  })

  it('refuses settings that sign in to nothing (validate-only), or name no connection', async () => {
    const { run } = await exported({ 'validate-only': 'true' })
    await expect(run).rejects.toThrow(
      new InputError(
        'Export reads the connection from Graph, so it signs in: validate-only does not apply.'
      )
    )
    const inputs = simulatorInputs(sim.url, { 'operation-id': '' })
    const settings = readSettings(name => inputs[name] ?? '', {})
    const noConnection = { ...settings, target: { ...settings.target, connectionId: '' } }
    const budget = createBudget({ timeoutMs: 1_000, signal: new AbortController().signal })
    await expect(exportStep(noConnection, { log: recordingLog(), budget })).rejects.toThrow(
      /^Input 'connection-id' is required to export: the ID of the connection to export, e\.g\. contosohr\.$/
    )
    expect(sim.requests).toEqual([])
  })

  it("writes Graph's spelling of the ID asked for, never another connection's", async () => {
    sim.setConnection(ID, { statuses: ['ready'] }, { ...example.fields, id: ID.toUpperCase() })
    expect(JSON.parse(await (await exported()).run).id).toBe(ID.toUpperCase())
    sim.setConnection(ID, { statuses: ['ready'] }, { ...example.fields, id: 'someoneelse' })
    expect(JSON.parse(await (await exported()).run).id).toBe(ID)
  })

  it('counts one schema property as one, and needs no progress hook', async () => {
    sim.setSchema(ID, {
      baseType: 'microsoft.graph.externalItem',
      properties: [{ name: 'title', type: 'string' }]
    } as never)
    const inputs = simulatorInputs(sim.url, { 'operation-id': '' })
    const settings = readSettings(name => inputs[name] ?? '', {})
    const log = recordingLog()
    const budget = createBudget({
      timeoutMs: settings.timeoutMs,
      signal: new AbortController().signal
    })
    await exportStep(settings, { log, budget })
    expect(log.lines.at(-1)).toMatch(/; its schema with 1 property\.$/)
  })
})

/** What Graph has, read as a client would: the connection and its schema. */
async function fetchGraph(): Promise<{ connection: Json; schema: Json }> {
  const token = (await (
    await fetch(`${sim.url}/${DEFAULTS.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: DEFAULTS.clientId,
        client_secret: DEFAULTS.clientSecret,
        scope: 'https://graph.microsoft.com/.default'
      })
    })
  ).json()) as { access_token: string }
  const get = async (path: string) =>
    (await (
      await fetch(`${sim.url}/v1.0/external/connections/${ID}${path}`, {
        headers: { authorization: `Bearer ${token.access_token}` }
      })
    ).json()) as Json
  return { connection: await get(''), schema: await get('/schema') }
}
