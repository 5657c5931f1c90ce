// The simulated Graph serves the connection as a resource, as Graph does: GET
// with every field it has, POST that stores every writable field, PATCH that
// answers 204 and merges (refusing what Graph refuses), DELETE that answers 202,
// and a scripted PATCH that is accepted yet changes nothing, for read-backs.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { DEFAULTS, startSimulator } from '../../simulator/simulator.js'
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
afterEach(() => {
  sim.ignoreConnectionFields([])
})

/** A call under /{version}/external/connections, JSON-encoded body with its Content-Type. */
function call(
  path: string,
  {
    method = 'GET',
    body,
    version = 'v1.0',
    target = sim,
    bearer
  }: {
    method?: string
    body?: unknown
    version?: string
    target?: Simulator
    bearer?: string
  } = {}
) {
  return fetch(`${target.url}/${version}/external/connections${path}`, {
    method,
    body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
    headers: {
      authorization: `Bearer ${bearer ?? token}`,
      ...(body !== undefined && { 'content-type': 'application/json' })
    }
  })
}

const read = async (id: string, version = 'v1.0') =>
  (await (await call(`/${id}`, { version })).json()) as Record<string, unknown>

type GraphErrorBody = {
  error: {
    code: string
    message: string
    details?: { code: string; message: string; target: string }[]
    innerError: Record<string, string>
  }
}
/** A copy of the object without one key. */
function without<T extends object>(object: T, key: keyof T) {
  return Object.fromEntries(Object.entries(object).filter(([name]) => name !== key))
}
const errorOf = async (response: Response) => ((await response.json()) as GraphErrorBody).error

const RESOLVER = {
  '@odata.type': '#microsoft.graph.externalConnectors.itemIdResolver',
  priority: 1,
  itemId: '{articleId}',
  urlMatchInfo: {
    baseUrls: ['https://kb.contoso.com'],
    urlPattern: '/articles/(?<articleId>[0-9]+)'
  }
}
const TEMPLATE = {
  id: 'kbarticle',
  priority: 1,
  layout: { type: 'AdaptiveCard', version: '1.3', body: [] },
  rules: [{ property: 'articleType', operation: 'equals', values: ['howto'], valuesJoinedBy: 'or' }]
}
/** The resolver as a file may write it, without its type. */
const untyped = without(RESOLVER, '@odata.type')
const APP_ID = '3f1a6c2e-8b4d-4e7f-9a2c-5d6e7f8a9b0c'
/** Every writable field of a v1.0 connection. */
const FULL = {
  id: 'contosokb',
  name: 'Contoso knowledge base',
  description: 'How-to articles',
  contentCategory: 'knowledgeBase',
  activitySettings: { urlToItemResolvers: [RESOLVER] },
  searchSettings: { searchResultTemplates: [TEMPLATE] },
  configuration: { authorizedAppIds: [APP_ID] }
}

describe('GET /external/connections/{id}', () => {
  it('serves every field the connection has, with its OData context', async () => {
    sim.setConnection('contosokb', { statuses: ['ready'] }, FULL)
    const response = await call('/contosokb')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      '@odata.context': `${sim.url}/v1.0/$metadata#external/connections/$entity`,
      ...FULL,
      state: 'ready'
    })
  })

  it('sends unset fields as Graph fills them: uncategorized, nulls, no connectorId', async () => {
    sim.setConnection('bare', { statuses: ['draft'] }, { name: 'Bare' })
    expect(await read('bare')).toEqual({
      '@odata.context': `${sim.url}/v1.0/$metadata#external/connections/$entity`,
      id: 'bare',
      name: 'Bare',
      description: null,
      state: 'draft',
      contentCategory: 'uncategorized',
      activitySettings: null,
      searchSettings: null,
      configuration: null
    })
    // A connection set up without fields keeps the simulator's own name and description.
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['ready'] })
    expect(await read(DEFAULTS.connectionId)).toMatchObject({
      name: `Simulated connection ${DEFAULTS.connectionId}`,
      description: 'A connection in the local simulator',
      contentCategory: 'uncategorized'
    })
  })

  it('serves the beta-only fields on beta only, when set, and connectorId when set', async () => {
    sim.setConnection(
      'betakb',
      { statuses: ['ready'] },
      {
        ...FULL,
        id: 'betakb',
        connectorId: 'teams-app-1',
        enabledContentExperiences: 'search,compliance',
        complianceSettings: { eDiscoveryResultTemplates: [TEMPLATE] },
        ingestedItemsCount: 700000
      }
    )
    const beta = await read('betakb', 'beta')
    expect(beta).toMatchObject({
      '@odata.context': `${sim.url}/beta/$metadata#external/connections/$entity`,
      connectorId: 'teams-app-1',
      enabledContentExperiences: 'search,compliance',
      complianceSettings: { eDiscoveryResultTemplates: [TEMPLATE] },
      ingestedItemsCount: 700000
    })
    const v1 = await read('betakb')
    expect(v1.connectorId).toBe('teams-app-1')
    for (const field of ['enabledContentExperiences', 'complianceSettings', 'ingestedItemsCount']) {
      expect(v1).not.toHaveProperty(field)
    }
    sim.setConnection('plainbeta', { statuses: ['ready'] }, { name: 'Plain' })
    expect(Object.keys(await read('plainbeta', 'beta'))).not.toContain('complianceSettings')
  })

  it("names each resolver's type and gives each template id, priority, layout and rules", async () => {
    const ruleless = without(TEMPLATE, 'rules')
    sim.setConnection(
      'shaped',
      { statuses: ['ready'] },
      {
        activitySettings: { urlToItemResolvers: [untyped] },
        searchSettings: { searchResultTemplates: [{ ...ruleless, extra: 1 }] },
        contentCategory: 'KNOWLEDGEBASE'
      }
    )
    const shaped = await read('shaped')
    expect(shaped.activitySettings).toEqual({ urlToItemResolvers: [RESOLVER] })
    expect(shaped.searchSettings).toEqual({ searchResultTemplates: [{ ...ruleless, rules: [] }] })
    expect(shaped.contentCategory).toBe('knowledgeBase')
  })
})

describe('POST /external/connections with every field', () => {
  it('stores every writable field; a GET serves them', async () => {
    const response = await call('', { method: 'POST', body: { ...FULL, id: 'PostedKB' } })
    expect(response.status).toBe(201)
    expect(await response.json()).toEqual({
      '@odata.context': `${sim.url}/v1.0/$metadata#external/connections/$entity`,
      ...FULL,
      id: 'PostedKB',
      state: 'draft'
    })
    expect(await read('postedkb')).toMatchObject({ ...FULL, id: 'PostedKB', state: 'draft' })
  })

  it('makes contentCategory uncategorized when the body leaves it out', async () => {
    await call('', { method: 'POST', body: { id: 'nocategory', name: 'No category' } })
    expect((await read('nocategory')).contentCategory).toBe('uncategorized')
  })

  it('takes the beta-only fields on beta, and refuses them on v1.0 as unknown properties', async () => {
    const betaBody = { id: 'betapost', name: 'Beta', enabledContentExperiences: 'search' }
    const v1 = await call('', { method: 'POST', body: betaBody })
    expect(v1.status).toBe(400)
    expect(await errorOf(v1)).toMatchObject({
      code: 'BadRequest',
      message: expect.stringMatching(
        /^The property 'enabledContentExperiences' does not exist on type 'microsoft\.graph\.externalConnectors\.externalConnection'\./
      )
    })
    expect(sim.connections.has('betapost')).toBe(false)
    const beta = await call('', { method: 'POST', body: betaBody, version: 'beta' })
    expect(beta.status).toBe(201)
    expect((await read('betapost', 'beta')).enabledContentExperiences).toBe('search')
  })

  it('refuses a resolver without @odata.type and an unknown category, creating nothing', async () => {
    const untypedBody = {
      id: 'untyped',
      name: 'Untyped',
      activitySettings: { urlToItemResolvers: [untyped] }
    }
    const refused = await call('', { method: 'POST', body: untypedBody })
    expect(refused.status).toBe(400)
    expect((await errorOf(refused)).code).toBe('BadRequest')
    const category = await call('', {
      method: 'POST',
      body: { id: 'badcategory', name: 'Bad', contentCategory: 'knowledgebases' }
    })
    expect(category.status).toBe(400)
    expect((await errorOf(category)).details?.map(detail => detail.target)).toEqual([
      'contentCategory'
    ])
    expect(sim.connections.has('untyped') || sim.connections.has('badcategory')).toBe(false)
  })
})

describe('PATCH /external/connections/{id}', () => {
  it('answers 204 with no body and no media type, and merges the fields given', async () => {
    sim.setConnection('merged', { statuses: ['ready'] }, { ...FULL, id: 'merged' })
    const response = await call('/merged', {
      method: 'PATCH',
      body: { description: 'New description' }
    })
    expect(response.status).toBe(204)
    expect(await response.text()).toBe('')
    expect(response.headers.get('content-type')).toBeNull()
    expect(await read('merged')).toMatchObject({
      ...FULL,
      id: 'merged',
      description: 'New description',
      state: 'ready'
    })
  })

  it('replaces each field whole: a collection of one replaces a collection of two', async () => {
    const second = { ...RESOLVER, priority: 2, itemId: '{slug}' }
    sim.setConnection(
      'whole',
      { statuses: ['ready'] },
      {
        activitySettings: { urlToItemResolvers: [RESOLVER, second] },
        configuration: { authorizedAppIds: [APP_ID] }
      }
    )
    const patched = await call('/whole', {
      method: 'PATCH',
      body: {
        activitySettings: { urlToItemResolvers: [second] },
        configuration: { authorizedAppIds: [] },
        searchSettings: { searchResultTemplates: [TEMPLATE] },
        contentCategory: 'wikis'
      }
    })
    expect(patched.status).toBe(204)
    expect(await read('whole')).toMatchObject({
      activitySettings: { urlToItemResolvers: [second] },
      configuration: { authorizedAppIds: [] },
      searchSettings: { searchResultTemplates: [TEMPLATE] },
      contentCategory: 'wikis'
    })
    await call('/whole', { method: 'PATCH', body: { searchSettings: null } })
    expect((await read('whole')).searchSettings).toBeNull()
  })

  it('also patches a connection set up without fields, and takes its own id', async () => {
    sim.setConnection('unwritten', { statuses: ['ready'] })
    const response = await call('/unwritten', {
      method: 'PATCH',
      body: { id: 'UNWRITTEN', name: 'Now named' }
    })
    expect(response.status).toBe(204)
    expect(await read('unwritten')).toMatchObject({
      id: 'unwritten',
      name: 'Now named',
      description: 'A connection in the local simulator'
    })
  })

  it("answers Graph's 404 for a connection that does not exist", async () => {
    const response = await call('/ghostkb', { method: 'PATCH', body: { name: 'Ghost' } })
    expect(response.status).toBe(404)
    const error = await errorOf(response)
    expect(error).toMatchObject({
      code: 'ItemNotFound',
      message: "The connection 'ghostkb' was not found."
    })
    expect(error.innerError['request-id']).toBe(response.headers.get('request-id'))
  })

  it.each([
    ['state', { state: 'ready' }],
    ['connectorId', { connectorId: 'teams-app-2' }],
    ['id', { id: 'another' }]
  ])('refuses %s, which Graph sets, with a 400 in its error shape', async (field, body) => {
    sim.setConnection('guarded', { statuses: ['ready'] }, { name: 'Guarded' })
    const response = await call('/guarded', { method: 'PATCH', body: { ...body, name: 'Changed' } })
    expect(response.status).toBe(400)
    const error = await errorOf(response)
    expect(error.code).toBe('BadRequest')
    expect(error.message).toContain(`'${field}' is read-only`)
    expect(error.details).toEqual([
      { code: 'ReadOnlyProperty', message: expect.any(String), target: field }
    ])
    expect(error.innerError).toMatchObject({ 'request-id': expect.any(String) })
    expect((await read('guarded')).name).toBe('Guarded')
  })

  it('refuses a resolver that does not name its type with a 400 naming the type', async () => {
    sim.setConnection('typeless', { statuses: ['ready'] }, { name: 'Typeless' })
    const response = await call('/typeless', {
      method: 'PATCH',
      body: { activitySettings: { urlToItemResolvers: [RESOLVER, untyped] } }
    })
    expect(response.status).toBe(400)
    const error = await errorOf(response)
    expect(error.code).toBe('BadRequest')
    expect(error.message).toContain('urlToItemResolvers[1]')
    expect(error.message).toContain("'@odata.type'")
    expect(error.message).toContain('#microsoft.graph.externalConnectors.itemIdResolver')
    expect((await read('typeless')).activitySettings).toBeNull()
    // Spelled without the leading #, the type is named all the same.
    const bare = { ...RESOLVER, '@odata.type': 'microsoft.graph.externalConnectors.itemIdResolver' }
    const named = await call('/typeless', {
      method: 'PATCH',
      body: { activitySettings: { urlToItemResolvers: [bare] } }
    })
    expect(named.status).toBe(204)
    expect((await read('typeless')).activitySettings).toEqual({ urlToItemResolvers: [RESOLVER] })
  })

  it('refuses a resolver of a type the model does not have, and values of the wrong shape', async () => {
    sim.setConnection('misshapen', { statuses: ['ready'] }, { name: 'Misshapen' })
    for (const [body, message] of [
      [
        { activitySettings: { urlToItemResolvers: [{ ...RESOLVER, '@odata.type': '#x.y' }] } },
        /^A type named '#x\.y' could not be resolved by the model\./
      ],
      [{ configuration: ['not', 'an', 'object'] }, /^Property configuration in payload/],
      [{ searchSettings: { searchResultTemplates: 'one' } }, /^Property searchSettings in payload/],
      [{ ingestedItemsCount: 3 }, /'ingestedItemsCount' does not exist/],
      [['name', 'x'], /^Property body in payload/],
      [{ bogus: true }, /'bogus' does not exist/]
    ] as const) {
      const response = await call('/misshapen', { method: 'PATCH', body })
      expect(response.status).toBe(400)
      const error = await errorOf(response)
      expect(error.code).toBe('BadRequest')
      expect(error.message).toMatch(message)
    }
    for (const [body, target] of [
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(129) }, 'name'],
      [{ description: 7 }, 'description'],
      [{ contentCategory: 'knowledgebases' }, 'contentCategory'],
      [{ configuration: { authorizedAppIds: [1] } }, 'configuration.authorizedAppIds']
    ] as const) {
      const response = await call('/misshapen', { method: 'PATCH', body })
      expect(response.status).toBe(400)
      const error = await errorOf(response)
      expect(error.code).toBe('InvalidRequest')
      expect(error.details?.map(detail => detail.target)).toEqual([target])
    }
    expect(await read('misshapen')).toMatchObject({
      name: 'Misshapen',
      contentCategory: 'uncategorized',
      configuration: null
    })
  })

  it('takes beta-only fields on beta, refusing ingestedItemsCount as read-only', async () => {
    sim.setConnection('betapatch', { statuses: ['ready'] }, { name: 'Beta patch' })
    const patched = await call('/betapatch', {
      method: 'PATCH',
      version: 'beta',
      body: {
        enabledContentExperiences: 'Compliance, search',
        complianceSettings: { eDiscoveryResultTemplates: [TEMPLATE] }
      }
    })
    expect(patched.status).toBe(204)
    expect(await read('betapatch', 'beta')).toMatchObject({
      enabledContentExperiences: 'compliance,search',
      complianceSettings: { eDiscoveryResultTemplates: [TEMPLATE] }
    })
    const count = await call('/betapatch', {
      method: 'PATCH',
      version: 'beta',
      body: { ingestedItemsCount: 5 }
    })
    expect(count.status).toBe(400)
    expect((await errorOf(count)).message).toContain("'ingestedItemsCount' is read-only")
    const unknown = await call('/betapatch', {
      method: 'PATCH',
      version: 'beta',
      body: { enabledContentExperiences: 'search,browse' }
    })
    expect(unknown.status).toBe(400)
  })

  it('needs a JSON Content-Type, as every write', async () => {
    sim.setConnection('typed', { statuses: ['ready'] }, { name: 'Typed' })
    const bare = await fetch(`${sim.url}/v1.0/external/connections/typed`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}` },
      body: Buffer.from('{"name":"x"}')
    })
    expect(bare.status).toBe(400)
    expect((await read('typed')).name).toBe('Typed')
  })
})

describe('ignoreConnectionFields', () => {
  it('makes PATCH answer 204 yet keep the old value of the listed fields only', async () => {
    sim.setConnection('stubborn', { statuses: ['ready'] }, { ...FULL, id: 'stubborn' })
    sim.ignoreConnectionFields(['contentCategory', 'searchSettings'])
    const response = await call('/stubborn', {
      method: 'PATCH',
      body: {
        contentCategory: 'people',
        searchSettings: { searchResultTemplates: [] },
        description: 'Taken'
      }
    })
    expect(response.status).toBe(204)
    expect(await read('stubborn')).toMatchObject({
      contentCategory: 'knowledgeBase',
      searchSettings: FULL.searchSettings,
      description: 'Taken'
    })
  })

  it('still refuses what Graph refuses, and is undone with []', async () => {
    sim.setConnection('undone', { statuses: ['ready'] }, { name: 'Undone' })
    sim.ignoreConnectionFields(['contentCategory'])
    const refused = await call('/undone', { method: 'PATCH', body: { contentCategory: 'nope' } })
    expect(refused.status).toBe(400)
    sim.ignoreConnectionFields([])
    await call('/undone', { method: 'PATCH', body: { contentCategory: 'people' } })
    expect((await read('undone')).contentCategory).toBe('people')
  })
})

describe('DELETE /external/connections/{id}', () => {
  it('answers 202 with no body, and the connection, its schema and operations are gone', async () => {
    sim.setConnection('doomed', { statuses: ['ready'] }, { name: 'Doomed' })
    sim.setSchema('doomed', { properties: [{ name: 'title', type: 'string' }] })
    sim.setOperation('doomed', 'op1', { statuses: ['completed'] })
    const response = await call('/doomed', { method: 'DELETE' })
    expect(response.status).toBe(202)
    expect(await response.text()).toBe('')
    expect(response.headers.get('content-type')).toBeNull()
    for (const path of ['/doomed', '/doomed/schema', '/doomed/operations/op1']) {
      const after = await call(path)
      expect(after.status).toBe(404)
      expect((await errorOf(after)).code).toBe('ItemNotFound')
    }
    expect(sim.schemaOf('doomed')).toBeUndefined()
    const again = await call('/doomed', { method: 'DELETE' })
    expect(again.status).toBe(404)
  })

  it('lets the ID be created again, with a fresh draft', async () => {
    await call('', { method: 'POST', body: { id: 'reborn', name: 'First' } })
    expect((await call('/reborn', { method: 'DELETE' })).status).toBe(202)
    const created = await call('', { method: 'POST', body: { id: 'reborn', name: 'Second' } })
    expect(created.status).toBe(201)
    expect(await read('reborn')).toMatchObject({ name: 'Second', state: 'draft' })
  })
})

describe('writes to a connection', () => {
  it('are recorded with method, body and status', async () => {
    sim.setConnection('logged', { statuses: ['ready'] }, { name: 'Logged' })
    const before = sim.requestsTo('graph').length
    await call('/logged', { method: 'PATCH', body: { description: 'Logged' } })
    await call('/logged', { method: 'DELETE' })
    const recorded = sim.requestsTo('graph').slice(before)
    expect(recorded.map(r => [r.method, r.path, r.status])).toEqual([
      ['PATCH', '/v1.0/external/connections/logged', 204],
      ['DELETE', '/v1.0/external/connections/logged', 202]
    ])
    expect(JSON.parse(recorded[0].body)).toEqual({ description: 'Logged' })
  })

  it('need a ReadWrite role: 403 for PATCH and DELETE with Read.All only', async () => {
    const readOnly = await startSimulator({
      apps: [
        {
          clientId: DEFAULTS.clientId,
          secret: DEFAULTS.clientSecret,
          roles: ['ExternalConnection.Read.All']
        }
      ]
    })
    try {
      readOnly.setConnection('kept', { statuses: ['ready'] }, { name: 'Kept' })
      const as = { target: readOnly, bearer: await simulatorToken(readOnly) }
      for (const response of [
        await call('/kept', { ...as, method: 'PATCH', body: { name: 'Changed' } }),
        await call('/kept', { ...as, method: 'DELETE' })
      ]) {
        expect(response.status).toBe(403)
        expect((await errorOf(response)).code).toBe('Forbidden')
      }
      expect(await (await call('/kept', as)).json()).toMatchObject({ name: 'Kept' })
    } finally {
      await readOnly.close()
    }
  })

  it('answer 400 for a method the resource does not have', async () => {
    const response = await call('/logged/operations/x', { method: 'DELETE' })
    expect(response.status).toBe(400)
    expect((await errorOf(response)).code).toBe('BadRequest')
  })
})
