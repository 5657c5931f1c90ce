// reconcile.ts and connector-report.ts with a stand-in Graph client: the plan's
// count and lines, the one write, the read-back, the 409 path, the refusal, and
// the verdicts and tables they make.
import { describe, expect, it, jest } from '@jest/globals'
import type { GraphClient } from '../../src/engine/graph.js'
import type { JsonObject } from '../../src/engine/json.js'
import { ACTION_VOICE } from '../../src/engine/model.js'
import type { ConnectorSpec } from '../../src/engine/connector-file.js'
import {
  SchemaChangeRefused,
  applyPlan,
  changeCount,
  logPlan,
  planConnector,
  refusedChanges
} from '../../src/engine/reconcile.js'
import type { ConnectorPlan } from '../../src/engine/reconcile.js'
import { planVerdict, readinessTable, readyVerdict } from '../../src/engine/connector-report.js'
import { recordingLog } from '../helpers/recording-log.js'

const TITLE = { name: 'title', type: 'string', isSearchable: true, labels: ['title'] }
const URL_ = { name: 'url', type: 'string', isRetrievable: true, labels: ['url'] }
const SPEC: ConnectorSpec = {
  id: 'kb1',
  fields: { name: 'KB', description: 'New' },
  schema: { baseType: 'microsoft.graph.externalItem', properties: [TITLE, URL_] }
}
const FILE = { path: '/ws/c.json', shown: 'c.json' }

/** A stand-in GraphClient: the connection and schema Graph has, and what each write does. */
function graph(state: {
  connection?: JsonObject
  schema?: JsonObject
  after?: JsonObject
  create?: 'created' | 'exists'
}) {
  const client = {
    findConnection: jest.fn(async () => state.connection),
    getConnection: jest.fn(async () => state.after ?? state.connection ?? {}),
    getSchema: jest.fn(async () => state.schema),
    createConnection: jest.fn(async (_body: JsonObject) => state.create ?? 'created'),
    updateConnection: jest.fn(async (_id: string, _body: JsonObject) => undefined),
    submitSchema: jest.fn(async () => ({ url: 'u', connectionId: 'kb1', operationId: '1.a' }))
  }
  return client
}
const asClient = (client: ReturnType<typeof graph>) => client as unknown as GraphClient
const context = { log: recordingLog(), voice: ACTION_VOICE, apiVersion: 'v1.0' as const }

describe('planConnector', () => {
  it('reads the connection and its schema, and counts fields and properties', async () => {
    const client = graph({
      connection: { id: 'kb1', name: 'KB', description: 'Old', state: 'ready' },
      schema: { baseType: 'microsoft.graph.externalItem', properties: [TITLE] }
    })
    const plan = await planConnector(asClient(client), SPEC)
    expect(plan.fields).toEqual([{ field: 'description', from: 'Old', to: 'New' }])
    expect(plan.schema.map(c => `${c.property} ${c.change}`)).toEqual(['url added'])
    expect(plan.submitSchema).toBe(true)
    expect(changeCount(plan)).toBe(2)
  })

  it('reads no schema for a connection that is not there, or a file with none', async () => {
    const missing = graph({})
    const plan = await planConnector(asClient(missing), SPEC)
    expect(missing.getSchema).not.toHaveBeenCalled()
    expect(plan.current).toBeUndefined()
    expect(changeCount(plan)).toBe(4) // name, description, 2 properties

    const noSchema = graph({ connection: { id: 'kb1', name: 'KB', description: 'New' } })
    const spec: ConnectorSpec = { id: SPEC.id, fields: SPEC.fields }
    const same = await planConnector(asClient(noSchema), spec)
    expect(noSchema.getSchema).not.toHaveBeenCalled()
    expect(changeCount(same)).toBe(0)
    expect(same.submitSchema).toBe(false)
  })

  it('counts a schema that differs only outside its properties as one change', () => {
    const plan: ConnectorPlan = { connectionId: 'kb1', fields: [], schema: [], submitSchema: true }
    expect(changeCount(plan)).toBe(1)
  })
})

describe('logPlan and refusedChanges', () => {
  it('logs each change, at most 20 lines and one for the rest, and warns of re-ingestion', () => {
    const log = recordingLog()
    const fields = Array.from({ length: 25 }, (_, i) => ({ field: `f${i}`, from: 'a', to: 'b' }))
    logPlan({ connectionId: 'kb1', current: {}, fields, schema: [], submitSchema: false }, log)
    expect(log.lines[0]).toBe("info: Connection 'kb1': 25 changes to make.")
    expect(log.lines).toHaveLength(22)
    expect(log.lines.at(-1)).toBe('info:   … and 5 more (the summary lists them all).')
    const reingest = recordingLog()
    logPlan(
      {
        connectionId: 'kb1',
        fields: [],
        schema: [
          {
            property: 'p',
            change: 'isSearchable',
            class: 'reingest',
            reason: 'R.',
            documented: true
          }
        ],
        submitSchema: true
      },
      reingest
    )
    expect(reingest.lines).toEqual([
      "info: New connection 'kb1': 1 change to make.",
      'info:   [reingest] R.',
      'warning: R.'
    ])
  })

  it('is undefined with no refused change, else one error naming each and how to recreate', () => {
    const plan: ConnectorPlan = { connectionId: 'kb1', fields: [], schema: [], submitSchema: false }
    expect(refusedChanges(plan)).toBeUndefined()
    const refused = refusedChanges({
      ...plan,
      schema: [
        {
          property: 'a',
          change: 'removed',
          class: 'refused',
          reason: "Property 'a' is removed: no. Graph needs the connection deleted …",
          documented: true
        },
        { property: 'b', change: 'added', class: 'accepted', reason: 'ok', documented: true }
      ]
    })
    expect(refused?.code).toBe('SchemaChangeRefused')
    expect(refused?.message).toMatch(
      /^The schema has 1 change Graph refuses on an existing connection, so nothing was written: Property 'a' is removed: no\. Graph needs the connection deleted and created again/
    )
    expect(refused?.message).not.toContain('ok')
  })
})

describe('the words of a plan', () => {
  const refusal = (property: string) => ({
    property,
    change: 'removed',
    class: 'refused' as const,
    reason: `Property '${property}' is removed: no. Graph needs the connection deleted and created again.`,
    documented: true
  })

  it('names at most 20 refused changes, counts the rest, and quotes the docs', () => {
    const schema = Array.from({ length: 22 }, (_, i) => refusal(`p${i}`))
    const error = refusedChanges({ connectionId: 'kb1', fields: [], schema, submitSchema: true })
    expect(error?.name).toBe('SchemaChangeRefused')
    expect(error?.message).toMatch(
      /^The schema has 22 changes Graph refuses on an existing connection, so nothing was written: Property 'p0' is removed: no\. Property 'p1' is removed: no\. /
    )
    expect(error?.message).toContain("Property 'p19' is removed: no. … and 2 more. Graph needs")
    expect(error?.message).not.toContain("'p20'")
    expect(error?.message).toMatch(
      /DELETE \/external\/connections\/kb1 .*\(Graph's "Manage schema" guide and Microsoft Search's "Manage search schema": "You cannot delete an existing property for a published connection\. To remove a property, you must delete and recreate a connection\."\)$/
    )
    const one = refusedChanges({
      connectionId: 'k',
      fields: [],
      schema: [refusal('x')],
      submitSchema: true
    })
    expect(one?.message).toMatch(
      /^The schema has 1 change Graph refuses .*: Property 'x' is removed: no\. Graph needs/
    )
    expect(one?.message).not.toContain('more.')
  })

  it('logs exactly 20 change lines with no more-line, and warns only of re-ingestion, at most 20', () => {
    const log = recordingLog()
    const fields = Array.from({ length: 20 }, (_, i) => ({ field: `f${i}`, from: 'a', to: 'b' }))
    logPlan({ connectionId: 'k', current: {}, fields, schema: [], submitSchema: false }, log)
    expect(log.lines).toHaveLength(21)
    const reingest = (i: number) => ({
      property: `p${i}`,
      change: 'isSearchable',
      class: 'reingest' as const,
      reason: `W${i}.`,
      documented: true
    })
    const accepted = {
      property: 'a',
      change: 'added',
      class: 'accepted' as const,
      reason: 'A.',
      documented: true
    }
    const warned = recordingLog()
    logPlan(
      {
        connectionId: 'k',
        fields: [],
        schema: [accepted, ...Array.from({ length: 22 }, (_, i) => reingest(i))],
        submitSchema: true
      },
      warned
    )
    const warnings = warned.lines.filter(line => line.startsWith('warning:'))
    expect(warnings).toHaveLength(20)
    expect(warnings[0]).toBe('warning: W0.')
  })
})

describe('applyPlan', () => {
  it('creates a new connection with every field, reads it back, and submits the schema', async () => {
    const client = graph({ after: { id: 'kb1', name: 'KB', description: 'New', state: 'draft' } })
    const plan = await planConnector(asClient(client), SPEC)
    const done = await applyPlan(asClient(client), SPEC, plan, context)
    expect(client.createConnection).toHaveBeenCalledWith({
      name: 'KB',
      description: 'New',
      id: 'kb1'
    })
    expect(context.log.lines).toContain("info: Created connection 'kb1' with 2 fields.")
    expect(context.log.lines).toContain(
      "info: Submitted the schema; Graph started operation '1.a'."
    )
    expect(client.updateConnection).not.toHaveBeenCalled()
    expect(client.getConnection).toHaveBeenCalledTimes(1)
    expect(done).toMatchObject({ kind: 'submitted', operation: { operationId: '1.a' } })
  })

  it('plans again when the create finds the connection there (409): one PATCH, new count', async () => {
    const schema = SPEC.schema as unknown as JsonObject
    const client = graph({ create: 'exists', schema })
    const plan = await planConnector(asClient(client), SPEC)
    client.findConnection.mockResolvedValueOnce({ id: 'kb1', name: 'KB', description: 'Old' })
    client.getConnection.mockResolvedValueOnce({
      id: 'kb1',
      name: 'KB',
      description: 'New',
      state: 'ready'
    })
    const done = await applyPlan(asClient(client), SPEC, plan, context)
    expect(client.updateConnection).toHaveBeenCalledWith('kb1', { description: 'New' })
    expect(client.submitSchema).not.toHaveBeenCalled()
    expect(changeCount(done.plan)).toBe(1)
    expect(done).toMatchObject({ kind: 'inPlace', ready: true })
  })

  it('refuses, before any other write, a refused change the 409 brings to light', async () => {
    const client = graph({ create: 'exists' })
    const plan = await planConnector(asClient(client), SPEC)
    client.findConnection.mockResolvedValueOnce({ id: 'kb1', name: 'KB', description: 'Old' })
    client.getSchema.mockResolvedValueOnce({
      baseType: 'microsoft.graph.externalItem',
      properties: [TITLE, URL_, { name: 'gone', type: 'string' }]
    })
    const error = await applyPlan(asClient(client), SPEC, plan, context).catch(e => e)
    expect(error).toBeInstanceOf(SchemaChangeRefused)
    expect(error.message).toContain("Property 'gone' is removed")
    expect(changeCount(error.plan)).toBe(2)
    expect(client.updateConnection).not.toHaveBeenCalled()
    expect(client.submitSchema).not.toHaveBeenCalled()
  })

  it('logs each write in words: the 409, the PATCH with its fields, and no in-sync line after a write', async () => {
    const schema = SPEC.schema as unknown as JsonObject
    const log = recordingLog()
    const client = graph({ create: 'exists', schema })
    const plan = await planConnector(asClient(client), {
      ...SPEC,
      fields: { name: 'KB', description: 'New' }
    })
    client.findConnection.mockResolvedValueOnce({ id: 'kb1', name: 'Old', description: 'Old' })
    client.getConnection.mockResolvedValueOnce({
      id: 'kb1',
      name: 'KB',
      description: 'New',
      state: 'ready'
    })
    await applyPlan(asClient(client), SPEC, plan, { ...context, log })
    expect(log.lines).toEqual([
      "info: Connection 'kb1' already exists (Graph answered 409); comparing it again.",
      "info: Updated connection 'kb1': name, description."
    ])
  })

  it('says in one sentence which one field read back as before, with no hint on a field v1.0 updates', async () => {
    const current = { id: 'kb1', name: 'KB', description: 'Old' }
    const client = graph({ connection: current, schema: SPEC.schema as unknown as JsonObject })
    const plan = await planConnector(asClient(client), SPEC)
    const error = await applyPlan(asClient(client), SPEC, plan, context).catch(e => e)
    expect(error.message).toBe(
      "Graph accepted the write to connection 'kb1' but this field reads back as before " +
        "(Graph's value → the file's): description: 'Old' → 'New'."
    )
  })

  it('says nothing was written, and no more, for a ready connection in sync', async () => {
    const connection = { id: 'kb1', name: 'KB', description: 'New', state: 'Ready' }
    const client = graph({ connection, schema: SPEC.schema as unknown as JsonObject })
    const log = recordingLog()
    const plan = await planConnector(asClient(client), SPEC)
    expect(await applyPlan(asClient(client), SPEC, plan, { ...context, log })).toMatchObject({
      ready: true
    })
    expect(log.lines).toEqual([
      "info: Connection 'kb1' already matches the file; nothing was written."
    ])
  })

  it('writes nothing in sync, and says whether it waits for readiness', async () => {
    const connection = { id: 'kb1', name: 'KB', description: 'New', state: 'draft' }
    const client = graph({ connection, schema: SPEC.schema as unknown as JsonObject })
    const log = recordingLog()
    const plan = await planConnector(asClient(client), SPEC)
    const done = await applyPlan(asClient(client), SPEC, plan, { ...context, log })
    expect(done).toEqual({ kind: 'inPlace', connection, ready: false, plan })
    expect(client.getConnection).not.toHaveBeenCalled()
    expect(client.submitSchema).not.toHaveBeenCalled()
    expect(log.lines).toEqual([
      "info: Connection 'kb1' already matches the file; nothing was written, waiting for it to be ready."
    ])
  })

  it('fails a field Graph kept, suggesting beta only for a field v1.0 does not update', async () => {
    const spec = { ...SPEC, fields: { name: 'KB', description: 'New', contentCategory: 'wikis' } }
    const current = { id: 'kb1', name: 'KB', description: 'Old', contentCategory: 'qna' }
    const client = graph({ connection: current, schema: SPEC.schema as unknown as JsonObject })
    const plan = await planConnector(asClient(client), spec)
    await expect(applyPlan(asClient(client), spec, plan, context)).rejects.toThrow(
      "Graph accepted the write to connection 'kb1' but these fields read back as before " +
        "(Graph's value → the file's): description: 'Old' → 'New'; contentCategory: 'qna' → " +
        "'wikis'. On v1.0 Graph documents only name, description, configuration as updatable; " +
        'api-version: beta may update the others.'
    )
    const onlyDescription = { ...spec, fields: { name: 'KB', description: 'New' } }
    const plain = await planConnector(asClient(client), onlyDescription)
    const error = await applyPlan(asClient(client), onlyDescription, plain, context).catch(e => e)
    expect(error.code).toBe('FieldNotUpdated')
    expect(error.message).not.toContain('beta')
    const beta = await applyPlan(asClient(client), spec, plan, {
      ...context,
      apiVersion: 'beta'
    }).catch(e => e)
    expect(beta.message).not.toContain('beta')
  })
})

describe('the verdicts', () => {
  const plan: ConnectorPlan = {
    connectionId: 'kb1',
    current: { id: 'kb1', state: 'ready' },
    fields: [{ field: 'description', from: 'Old', to: 'New' }],
    schema: [],
    submitSchema: false
  }
  const planContext = {
    connectorFile: FILE,
    failOnChanges: false,
    elapsedMs: 1200,
    voice: ACTION_VOICE
  }

  it('plans: passes with the changes listed, or fails on drift with ChangesFound', () => {
    const planned = planVerdict(plan, planContext)
    expect(planned.level).toBe('pass')
    expect(planned.message).toBe(
      "Plan for connection 'kb1': 1 change (description: 'Old' → 'New'). Nothing was written (plan)."
    )
    expect(planned.outputs).toMatchObject({ status: 'planned', changes: '1', 'error-code': '' })
    expect(planned.summary.rows.at(-1)).toEqual({
      label: 'Written to Graph',
      value: 'nothing (plan)'
    })
    const drift = planVerdict(plan, { ...planContext, failOnChanges: true })
    expect(drift.level).toBe('fail')
    expect(drift.outputs['error-code']).toBe('ChangesFound')
    expect(planned.summary.headline).toBe('📝 kb1: 1 change planned (plan, nothing written)')
    expect(planned.summary.tables?.[0].counts).toBe('1 field')
    expect(drift.summary.headline).toBe('❌ kb1: drift, 1 change from c.json')
    expect(drift.summary.todo).toMatch(/^Deploy the file/)
    const inSync = planVerdict({ ...plan, fields: [] }, { ...planContext, failOnChanges: true })
    expect(inSync.level).toBe('pass')
    expect(inSync.message).toBe(
      "Connection 'kb1' matches c.json: 0 changes. Nothing was written (plan)."
    )
    expect(inSync.summary.tables).toEqual([])
    expect(inSync.summary.headline).toBe('✅ kb1: in sync with c.json (plan, nothing written)')
  })

  it('names at most 5 changes in the message; the table has them all', () => {
    const fields = Array.from({ length: 7 }, (_, i) => ({ field: `f${i}`, from: 1, to: 2 }))
    const verdict = planVerdict({ ...plan, fields }, planContext)
    expect(verdict.message).toContain('; … and 2 more)')
    expect(verdict.summary.tables?.[0].rows).toHaveLength(7)
  })

  it('lists readiness from the file schema and Graph connection', () => {
    const table = readinessTable(SPEC, {
      searchSettings: { searchResultTemplates: [{ id: 't' }] },
      activitySettings: null
    })
    expect(table.rows.slice(0, 4).map(row => row.slice(0, 2))).toEqual([
      ['title, url and iconUrl labels', '⚠️'],
      ['A searchable property', '✅'],
      ['A result template', '✅'],
      ['A URL resolver', '⚠️']
    ])
    expect(table.rows[0][2]).toBe('Missing: iconUrl. Copilot cites items by them.')
    const noSchema: ConnectorSpec = { id: SPEC.id, fields: SPEC.fields }
    expect(readinessTable(noSchema, {}).rows[0][1]).toBe('➖ not in the file')
  })

  it('ends a deployment with nothing to wait for as ready, saying what was written', () => {
    const readiness = readinessTable(SPEC, {})
    const context = { connectorFile: FILE, elapsedMs: 10 }
    const written = readyVerdict(plan, { id: 'kb1' }, context, readiness)
    expect(written.message).toBe(
      "Connection 'kb1' now matches c.json (1 change written) and is ready."
    )
    expect(written.outputs).toMatchObject({ status: 'ready', changes: '1' })
    expect(written.summary.tables?.map(t => t.caption)).toEqual([
      'Changes: 1 field or property',
      'Readiness'
    ])
    // The readiness list's ⚠️ rows reach the headline.
    expect(written.summary.headline).toBe('⚠️ kb1: 1 change deployed in 0.0 s with 3 warnings')
    expect(written.summary.rows).toEqual([
      { label: 'Connector file', value: 'c.json', code: true },
      { label: 'Written to Graph', value: 'PATCH with description' }
    ])
    const same = readyVerdict({ ...plan, fields: [] }, { id: 'kb1' }, context, readiness)
    expect(same.summary.headline).toBe(
      '⚠️ kb1: in sync with c.json, nothing written with 3 warnings'
    )
    expect(same.outputs.changes).toBe('0')
    expect(same.summary.tables?.map(t => t.caption)).toEqual(['Readiness'])
  })
})
