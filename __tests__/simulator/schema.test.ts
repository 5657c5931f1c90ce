// The simulated Graph creates connections and takes schemas as Graph does:
// 201 for a new connection, 202 and an operation for a schema, which is
// stored (and a draft connection made ready) only when that operation completes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DEFAULTS, graphError, startSimulator } from '../../simulator/simulator.js'
import type { Simulator } from '../../simulator/simulator.js'
import { simulatorToken } from '../helpers/sim-token.js'

let sim: Simulator
let token = ''

beforeAll(async () => {
  sim = await startSimulator()
  token = await simulatorToken(sim)
})
afterAll(async () => {
  await sim.close()
})

interface Call {
  method?: string
  /** JSON-encoded unless a string; sent as bytes so that fetch adds no Content-Type. */
  body?: unknown
  headers?: Record<string, string>
  target?: Simulator
  bearer?: string
}

/** A call under /v1.0/external/connections (or an absolute URL), with content-type JSON when there is a body. */
function call(
  path: string,
  { method = 'GET', body, headers = {}, target = sim, bearer }: Call = {}
) {
  const json =
    body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
  const url = path.startsWith('http') ? path : `${target.url}/v1.0/external/connections${path}`
  return fetch(url, {
    method,
    body: json === undefined ? undefined : Buffer.from(json),
    headers: {
      authorization: `Bearer ${bearer ?? token}`,
      ...(json !== undefined && { 'content-type': 'application/json' }),
      ...headers
    }
  })
}

type GraphErrorBody = {
  error: { code: string; message: string; details?: { code: string; target: string }[] }
}
const errorOf = async (response: Response) => ((await response.json()) as GraphErrorBody).error

const SCHEMA = {
  baseType: 'microsoft.graph.externalItem',
  properties: [
    { name: 'ticketTitle', type: 'String', isSearchable: 'true', labels: ['Title'] },
    { name: 'priority', type: 'string', isQueryable: true, aliases: ['prio'] }
  ]
}

/** PATCHes SCHEMA (or another) onto a connection and returns the operation URL. */
async function patchSchema(connectionId: string, schema: unknown = SCHEMA): Promise<string> {
  const response = await call(`/${connectionId}/schema`, { method: 'PATCH', body: schema })
  expect(response.status).toBe(202)
  return response.headers.get('location') ?? ''
}

const statusAt = async (operationUrl: string) =>
  ((await (await call(operationUrl)).json()) as { status: string }).status

describe('POST /external/connections', () => {
  it('creates a draft connection: 201 with the connection, no Location', async () => {
    const response = await call('', {
      method: 'POST',
      body: { id: 'FabrikamHR', name: 'Fabrikam HR', description: 'HR tickets' }
    })
    expect(response.status).toBe(201)
    expect(response.headers.get('location')).toBeNull()
    expect(await response.json()).toEqual({
      '@odata.context': `${sim.url}/v1.0/$metadata#external/connections/$entity`,
      id: 'FabrikamHR',
      name: 'Fabrikam HR',
      description: 'HR tickets',
      state: 'draft'
    })
    const read = await call('/fabrikamhr')
    expect(await read.json()).toMatchObject({
      id: 'FabrikamHR',
      name: 'Fabrikam HR',
      state: 'draft'
    })
  })

  it('answers 409 for an ID that exists, whatever its case', async () => {
    sim.setConnection('taken', { statuses: ['ready'] })
    const response = await call('', { method: 'POST', body: { id: 'TAKEN', name: 'Again' } })
    expect(response.status).toBe(409)
    expect(await errorOf(response)).toMatchObject({ code: 'Conflict' })
  })

  it('answers 400 with a detail per field for a missing or invalid id and a missing name', async () => {
    for (const [body, targets] of [
      [{ name: 'No id' }, ['id']],
      [{ id: 'contoso-hr', name: 'Hyphen' }, ['id']],
      [{ id: 'MicrosoftHR', name: 'Reserved prefix' }, ['id']],
      [{ id: 'sharepoint', name: 'Reserved name' }, ['id']],
      [{ id: 'ok123' }, ['name']],
      [{ id: 'x', name: '' }, ['id', 'name']]
    ] as const) {
      const response = await call('', { method: 'POST', body })
      expect(response.status).toBe(400)
      const error = await errorOf(response)
      expect(error.code).toBe('InvalidRequest')
      expect(error.details?.map(detail => detail.target)).toEqual(targets)
    }
    expect(sim.connections.has('ok123')).toBe(false)
  })
})

describe('GET .../schema', () => {
  it('serves the stored schema as Graph does: flags as booleans, lists present, enums spelled', async () => {
    sim.setConnection('withschema', { statuses: ['ready'] })
    sim.setSchema('WithSchema', SCHEMA)
    const response = await call('/withschema/schema')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      '@odata.context': `${sim.url}/v1.0/$metadata#external/connections('withschema')/schema/$entity`,
      baseType: 'microsoft.graph.externalItem',
      properties: [
        {
          name: 'ticketTitle',
          type: 'string',
          isSearchable: true,
          isRetrievable: false,
          isQueryable: false,
          isRefinable: false,
          isExactMatchRequired: false,
          labels: ['title'],
          aliases: []
        },
        {
          name: 'priority',
          type: 'string',
          isSearchable: false,
          isRetrievable: false,
          isQueryable: true,
          isRefinable: false,
          isExactMatchRequired: false,
          labels: [],
          aliases: ['prio']
        }
      ]
    })
  })

  it('sends a type added later as unknownFutureValue, unless asked for it by name', async () => {
    sim.setConnection('later', { statuses: ['ready'] })
    sim.setSchema('later', { properties: [{ name: 'owner', type: 'principal' }] })
    const typeOf = async (headers: Record<string, string> = {}) =>
      (
        (await (await call('/later/schema', { headers })).json()) as {
          properties: { type: string }[]
        }
      ).properties[0].type
    expect(await typeOf()).toBe('unknownFutureValue')
    expect(await typeOf({ prefer: 'include-unknown-enum-members' })).toBe('principal')
  })

  it('answers 404 while the connection has no schema, and for a connection that does not exist', async () => {
    sim.setConnection('noschema', { statuses: ['ready'] })
    const none = await call('/noschema/schema')
    expect(none.status).toBe(404)
    expect(await errorOf(none)).toMatchObject({ code: 'ItemNotFound' })
    const missing = await call('/nosuchconnection/schema')
    expect(missing.status).toBe(404)
    expect((await errorOf(missing)).message).toMatch(/connection 'nosuchconnection' was not found/)
  })
})

describe('PATCH .../schema', () => {
  it('answers 202 with no body and an absolute Location naming a new dotted operation', async () => {
    sim.setConnection('located', { statuses: ['ready'] })
    const response = await call('/located/schema', { method: 'PATCH', body: SCHEMA })
    expect(response.status).toBe(202)
    expect(await response.text()).toBe('')
    expect(response.headers.get('content-type')).toBeNull()
    const location = response.headers.get('location') ?? ''
    const prefix = `${sim.url}/v1.0/external/connections/located/operations/`
    expect(location.startsWith(prefix)).toBe(true)
    expect(location.slice(prefix.length)).toMatch(/^1\.neu\.[0-9A-F]{32}\.[0-9A-F]{32}$/)
    expect(await patchSchema('located')).not.toBe(location)
    const beta = await call(`${sim.url}/beta/external/connections/located/schema`, {
      method: 'PATCH',
      body: SCHEMA
    })
    expect(beta.headers.get('location')).toMatch(
      /\/beta\/external\/connections\/located\/operations\//
    )
  })

  it('stores the schema only once its operation completes', async () => {
    sim.setConnection('lazy', { statuses: ['ready'] })
    sim.setSchema('lazy', { properties: [{ name: 'old', type: 'string' }] })
    const names = async () =>
      (
        (await (await call('/lazy/schema')).json()) as { properties: { name: string }[] }
      ).properties.map(property => property.name)
    const operation = await patchSchema('lazy')
    expect(await names()).toEqual(['old'])
    expect(await statusAt(operation)).toBe('inprogress')
    expect(await names()).toEqual(['old'])
    expect(sim.schemaOf('lazy')?.properties[0].name).toBe('old')
    expect(await statusAt(operation)).toBe('completed')
    expect(await names()).toEqual(['ticketTitle', 'priority'])
    expect(sim.schemaOf('LAZY')?.properties[0]).toMatchObject({
      type: 'string',
      isSearchable: true
    })
  })

  it('stores it by time too, on the first read after an everyMs operation completes', async () => {
    sim.setConnection('timed', { statuses: ['ready'] })
    // A second per status: the read right after the PATCH comes well within it, even on a
    // loaded machine (at 40 ms it sometimes came after, and found the schema stored).
    sim.schemaOperation = { statuses: ['inprogress', 'completed'], everyMs: 1_000 }
    try {
      await patchSchema('timed')
      expect((await call('/timed/schema')).status).toBe(404)
      await new Promise(resolve => setTimeout(resolve, 2_200))
      expect((await call('/timed/schema')).status).toBe(200)
    } finally {
      sim.schemaOperation = { statuses: ['inprogress', 'completed'] }
    }
  })

  it('moves a draft connection to ready when its first schema operation completes', async () => {
    await call('', { method: 'POST', body: { id: 'newhr', name: 'New HR' } })
    const state = async () => ((await (await call('/newhr')).json()) as { state: string }).state
    const operation = await patchSchema('newhr')
    expect(await state()).toBe('draft')
    expect(await statusAt(operation)).toBe('inprogress')
    expect(await state()).toBe('draft')
    expect(await statusAt(operation)).toBe('completed')
    expect(await state()).toBe('ready')
  })

  it('leaves the old schema (and a draft connection) when the operation fails', async () => {
    await call('', { method: 'POST', body: { id: 'failing', name: 'Failing' } })
    sim.setSchema('failing', { properties: [{ name: 'old', type: 'string' }] })
    const error = { code: 'InvalidSchema', message: 'Rejected.', details: [] }
    sim.schemaOperation = { statuses: ['inprogress', 'failed'], error }
    try {
      const operation = await patchSchema('failing')
      await statusAt(operation)
      expect(await (await call(operation)).json()).toMatchObject({ status: 'failed', error })
      expect(sim.schemaOf('failing')?.properties.map(property => property.name)).toEqual(['old'])
      expect(await (await call('/failing')).json()).toMatchObject({ state: 'draft' })
    } finally {
      sim.schemaOperation = { statuses: ['inprogress', 'completed'] }
    }
  })

  it('answers 400 with details for a body that is not JSON or has no properties', async () => {
    sim.setConnection('invalid', { statuses: ['ready'] })
    for (const [body, target] of [
      ['{not json', 'body'],
      [{ baseType: 'microsoft.graph.externalItem' }, 'properties'],
      [{ baseType: 'microsoft.graph.externalItem', properties: [] }, 'properties'],
      [
        { baseType: 'microsoft.graph.externalItem', properties: [{ name: 'a-b', type: 'string' }] },
        'properties[0].name'
      ],
      [
        { baseType: 'microsoft.graph.externalItem', properties: [{ name: 'ok', type: 'text' }] },
        'properties[0].type'
      ],
      [
        { baseType: 'microsoft.graph.other', properties: [{ name: 'ok', type: 'string' }] },
        'baseType'
      ],
      // [patch] baseType "must be set": the action fills it in when the file leaves it out.
      [{ properties: [{ name: 'ok', type: 'string' }] }, 'baseType']
    ] as const) {
      const response = await call('/invalid/schema', { method: 'PATCH', body })
      expect(response.status).toBe(400)
      const error = await errorOf(response)
      expect(error.message).toEqual(expect.any(String))
      expect(error.details).toEqual([
        { code: expect.any(String), message: expect.any(String), target }
      ])
    }
    expect([...sim.operations.keys()].some(key => key.startsWith('invalid/'))).toBe(false)
  })

  it('refuses the next PATCH as scripted in rejectNextSchema, once', async () => {
    sim.setConnection('scripted', { statuses: ['ready'] })
    const details = [{ code: 'InvalidLabel', message: 'No.', target: 'properties[0].labels' }]
    sim.rejectNextSchema = { code: 'InvalidRequest', message: 'Label rejected.', details }
    const refused = await call('/scripted/schema', { method: 'PATCH', body: SCHEMA })
    expect(refused.status).toBe(400)
    expect(await errorOf(refused)).toMatchObject({
      code: 'InvalidRequest',
      message: 'Label rejected.',
      details
    })
    expect(sim.rejectNextSchema).toBeUndefined()
    await patchSchema('scripted')
  })

  it('answers 404 for a connection that does not exist', async () => {
    const response = await call('/ghost/schema', { method: 'PATCH', body: SCHEMA })
    expect(response.status).toBe(404)
    expect(await errorOf(response)).toMatchObject({ code: 'ItemNotFound' })
  })

  it('answers 400 without a Content-Type and 415 for one that is not JSON', async () => {
    sim.setConnection('typed', { statuses: ['ready'] })
    const bare = await fetch(`${sim.url}/v1.0/external/connections/typed/schema`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}` },
      body: Buffer.from(JSON.stringify(SCHEMA))
    })
    expect(bare.status).toBe(400)
    expect(await errorOf(bare)).toMatchObject({ code: 'BadRequest' })
    const text = await call('/typed/schema', {
      method: 'PATCH',
      body: SCHEMA,
      headers: { 'content-type': 'text/plain' }
    })
    expect(text.status).toBe(415)
    const withCharset = await call('/typed/schema', {
      method: 'PATCH',
      body: SCHEMA,
      headers: { 'content-type': 'application/json; charset=utf-8' }
    })
    expect(withCharset.status).toBe(202)
  })

  it('is recorded with its body, answered by faults first, and echoes client-request-id', async () => {
    sim.setConnection('faulty', { statuses: ['ready'] })
    sim.injectFaults('graph', graphError(503, 'ServiceUnavailable', 'Later.'))
    const before = sim.requestsTo('graph').length
    const faulted = await call('/faulty/schema', { method: 'PATCH', body: SCHEMA })
    expect(faulted.status).toBe(503)
    const answered = await call('/faulty/schema', {
      method: 'PATCH',
      body: SCHEMA,
      headers: { 'client-request-id': 'caller-7' }
    })
    expect(answered.status).toBe(202)
    expect(answered.headers.get('client-request-id')).toBe('caller-7')
    const recorded = sim.requestsTo('graph').slice(before)
    expect(recorded.map(r => [r.method, r.status])).toEqual([
      ['PATCH', 503],
      ['PATCH', 202]
    ])
    expect(JSON.parse(recorded[1].body)).toEqual(SCHEMA)
  })
})

describe('an app with ExternalConnection.Read.All only', () => {
  let readOnly: Simulator
  let readToken = ''
  beforeAll(async () => {
    readOnly = await startSimulator({
      apps: [
        {
          clientId: DEFAULTS.clientId,
          secret: DEFAULTS.clientSecret,
          roles: ['ExternalConnection.Read.All']
        }
      ]
    })
    readToken = await simulatorToken(readOnly)
    readOnly.setConnection('contosohr', { statuses: ['ready'] })
    readOnly.setSchema('contosohr', SCHEMA)
  })
  afterAll(async () => {
    await readOnly.close()
  })

  it('reads the connection and its schema but gets 403 for POST and PATCH', async () => {
    const as = { target: readOnly, bearer: readToken }
    expect((await call('/contosohr', as)).status).toBe(200)
    expect((await call('/contosohr/schema', as)).status).toBe(200)
    for (const write of [
      call('', { ...as, method: 'POST', body: { id: 'fabrikamhr', name: 'Fabrikam HR' } }),
      call('/contosohr/schema', { ...as, method: 'PATCH', body: SCHEMA })
    ]) {
      const response = await write
      expect(response.status).toBe(403)
      const error = await errorOf(response)
      expect(error.code).toBe('Forbidden')
      expect(error.message).toMatch(
        /^Missing role permissions on the request\. API requires one of 'ExternalConnection\.ReadWrite\.OwnedBy, ExternalConnection\.ReadWrite\.All'\. Roles on the request 'ExternalConnection\.Read\.All'\.$/
      )
    }
    expect(readOnly.connections.has('fabrikamhr')).toBe(false)
  })
})
