// exportConnector: Graph's answers for a connection and its schema turned into
// the connector file; exportText: that file as safe text. And the round trip:
// the exported file passes checkConnector, and compared with what Graph has,
// nothing differs.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { MAX_DEPTH, diffConnection } from '../../src/engine/connection-diff.js'
import { checkConnector } from '../../src/engine/connector.js'
import {
  ExportError,
  MAX_EXPORTED_VALUES,
  exportConnector,
  exportText
} from '../../src/engine/connector-export.js'
import { classifySchemaChanges } from '../../src/engine/schema-changes.js'
import type { ApiVersion } from '../../src/engine/model.js'
import { getConnection, normalizedConnection } from '../../simulator/graph-connection.js'
import { getSchema, normalizedSchema } from '../../simulator/graph-schema.js'
import { scripted } from '../../simulator/script.js'

type Json = Record<string, unknown>

const RESOLVER_TYPE = '#microsoft.graph.externalConnectors.itemIdResolver'
const CARD = {
  type: 'AdaptiveCard',
  version: '1.3',
  body: [{ type: 'TextBlock', text: '${title}', wrap: false, separator: null }],
  actions: []
}
const RESOLVER = {
  '@odata.type': RESOLVER_TYPE,
  priority: 1,
  itemId: '{slug}',
  urlMatchInfo: { baseUrls: ['https://kb.contoso.com'], urlPattern: '/a/(?<slug>[a-z]+)' }
}
const TEMPLATE = {
  id: 'articles',
  priority: 1,
  layout: CARD,
  rules: [{ property: 'title', operation: 'contains', values: ['faq'], valuesJoinedBy: 'or' }]
}
// A GET /external/connections/{id} answer, with everything Graph adds.
const CONNECTION: Json = {
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#external/connections/$entity',
  id: 'contosokb',
  name: 'Contoso knowledge base',
  description: 'How-to articles.',
  state: 'ready',
  contentCategory: 'knowledgeBase',
  connectorId: '00000000-aaaa-bbbb-cccc-000000000000',
  activitySettings: { urlToItemResolvers: [RESOLVER] },
  searchSettings: { searchResultTemplates: [TEMPLATE] },
  configuration: { authorizedAppIds: ['6a6b2e0c-5f3c-4a8e-9d2b-0c1e2f3a4b5c'] }
}
// A GET .../schema answer: every flag a boolean, every list present.
const GRAPH_SCHEMA: Json = {
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#external/connections/schema',
  baseType: 'microsoft.graph.externalItem',
  properties: [
    {
      name: 'title',
      type: 'string',
      isSearchable: true,
      isRetrievable: true,
      isQueryable: false,
      isRefinable: false,
      isExactMatchRequired: false,
      labels: ['title'],
      aliases: []
    },
    {
      name: 'category',
      type: 'string',
      isSearchable: false,
      isRetrievable: true,
      isQueryable: true,
      isRefinable: true,
      labels: [],
      aliases: ['kind'],
      description: null
    }
  ]
}

/** The v1.0 export; null: the connection has no schema. */
const exported = (connection: Json = CONNECTION, schema: Json | null = GRAPH_SCHEMA) =>
  exportConnector(connection, schema ?? undefined, 'v1.0')

describe('exportConnector', () => {
  it('writes id, the writable fields in their order, then the schema inline', () => {
    const file = exported()
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
    expect(file).toMatchObject({
      id: 'contosokb',
      name: 'Contoso knowledge base',
      contentCategory: 'knowledgeBase',
      configuration: CONNECTION.configuration
    })
  })

  it('drops what Graph sets: state, connectorId, ingestedItemsCount', () => {
    const file = exportConnector({ ...CONNECTION, ingestedItemsCount: 12 }, undefined, 'beta')
    for (const field of ['state', 'connectorId', 'ingestedItemsCount']) {
      expect(file).not.toHaveProperty(field)
    }
  })

  it('drops every OData annotation, at any depth, the resolver type too', () => {
    const connection = {
      ...CONNECTION,
      '@odata.etag': 'W/"1"',
      activitySettings: { '@odata.type': '#x', urlToItemResolvers: [RESOLVER] },
      searchSettings: {
        searchResultTemplates: [
          { ...TEMPLATE, '@odata.type': '#t', layout: { '@odata.type': '#j', ...CARD } }
        ]
      }
    }
    const text = JSON.stringify(exported(connection))
    expect(text).not.toContain('@odata')
    const file = exported(connection)
    expect(file.activitySettings).toEqual({
      urlToItemResolvers: [{ priority: 1, itemId: '{slug}', urlMatchInfo: RESOLVER.urlMatchInfo }]
    })
  })

  it('drops nulls, an empty description, empty lists and empty objects', () => {
    const file = exported(
      {
        id: 'contosokb',
        name: 'Contoso',
        description: '',
        activitySettings: { urlToItemResolvers: [] },
        searchSettings: null,
        configuration: { authorizedAppIds: null }
      },
      null
    )
    expect(file).toEqual({ id: 'contosokb', name: 'Contoso' })
  })

  it('drops a schema property’s false flags, empty labels and aliases, and null description', () => {
    const schema = exported().schema as { baseType: string; properties: Json[] }
    expect(schema).toEqual({
      baseType: 'microsoft.graph.externalItem',
      properties: [
        {
          name: 'title',
          type: 'string',
          isSearchable: true,
          isRetrievable: true,
          labels: ['title']
        },
        {
          name: 'category',
          type: 'string',
          isRetrievable: true,
          isQueryable: true,
          isRefinable: true,
          aliases: ['kind']
        }
      ]
    })
  })

  it('reads a schema that Graph wraps in "value", and gives a missing baseType its default', () => {
    const wrapped = { value: { properties: [{ name: 'title', type: 'string' }] } }
    expect(exported(CONNECTION, wrapped).schema).toEqual({
      baseType: 'microsoft.graph.externalItem',
      properties: [{ name: 'title', type: 'string' }]
    })
  })

  it('writes no id it is not given, no null field and no null item of a list', () => {
    const file = exported(
      { name: 'N', description: null, configuration: { authorizedAppIds: [null, 'a'] } },
      null
    )
    expect(Object.keys(file)).toEqual(['name', 'configuration'])
    expect(file.configuration).toStrictEqual({ authorizedAppIds: ['a'] })
  })

  it('takes the schema beside "value" when both are there, its own baseType, and what is not an object as it is', () => {
    const schema = {
      baseType: 'contoso.item',
      properties: [null, 'odd', { name: 'a', isSearchable: false }],
      value: { properties: [{ name: 'wrong' }] }
    }
    expect(exported(CONNECTION, schema).schema).toStrictEqual({
      baseType: 'contoso.item',
      properties: ['odd', { name: 'a' }]
    })
  })

  it('reads layout text with white space before it, and keeps JSON text that is not an object', () => {
    const withLayout = (layout: unknown) =>
      exported({ searchSettings: { searchResultTemplates: [{ id: 't', layout }] } }, null)
    expect(withLayout(' \n{"type":"AdaptiveCard"}')).toEqual({
      searchSettings: { searchResultTemplates: [{ id: 't', layout: { type: 'AdaptiveCard' } }] }
    })
    expect(withLayout('[1]')).toEqual({
      searchSettings: { searchResultTemplates: [{ id: 't', layout: '[1]' }] }
    })
    expect(withLayout({ body: [{ '@odata.type': 'x', type: 'TextBlock' }] })).toEqual({
      searchSettings: {
        searchResultTemplates: [{ id: 't', layout: { body: [{ type: 'TextBlock' }] } }]
      }
    })
  })

  it('writes no schema when the connection has none yet', () => {
    expect(exported(CONNECTION, null)).not.toHaveProperty('schema')
  })

  it('keeps the layout inline as an object, and reads one Graph sends as JSON text', () => {
    const asText = {
      ...CONNECTION,
      searchSettings: { searchResultTemplates: [{ ...TEMPLATE, layout: JSON.stringify(CARD) }] }
    }
    for (const connection of [CONNECTION, asText]) {
      const templates = (exported(connection).searchSettings as Json)
        .searchResultTemplates as Json[]
      // The card as its author wrote it: false, null and [] inside it are kept.
      expect(templates[0].layout).toEqual(CARD)
    }
  })

  it('keeps a layout text that is not JSON as it is, for the check to point at', () => {
    const connection = {
      ...CONNECTION,
      searchSettings: { searchResultTemplates: [{ ...TEMPLATE, layout: '{not json' }] }
    }
    const templates = (exported(connection).searchSettings as Json).searchResultTemplates as Json[]
    expect(templates[0].layout).toBe('{not json')
  })

  it('writes the beta-only fields on beta only, and fields the metadata lacks never', () => {
    const connection = {
      ...CONNECTION,
      enabledContentExperiences: 'search',
      complianceSettings: { eDiscoveryResultTemplates: [TEMPLATE] },
      somethingNew: 'x'
    }
    const v1 = exportConnector(connection, undefined, 'v1.0')
    const beta = exportConnector(connection, undefined, 'beta')
    expect(v1).not.toHaveProperty('enabledContentExperiences')
    expect(v1).not.toHaveProperty('complianceSettings')
    expect(Object.keys(beta).slice(-2)).toEqual(['enabledContentExperiences', 'complianceSettings'])
    expect(beta).not.toHaveProperty('somethingNew')
  })

  it('keeps a key named __proto__ as a key, never as a prototype', () => {
    const connection = JSON.parse(
      '{"id": "contosokb", "name": "n", "configuration": {"__proto__": {"polluted": true}}}'
    ) as Json
    const file = exported(connection, null)
    const configuration = file.configuration as Json
    expect(Object.hasOwn(configuration, '__proto__')).toBe(true)
    expect(Object.getPrototypeOf(configuration)).toBe(Object.prototype)
    expect(({} as Json).polluted).toBeUndefined()
    expect(JSON.parse(exportText(file)).configuration).toEqual(
      JSON.parse('{"__proto__": {"polluted": true}}')
    )
  })
})

describe('exportConnector, with hostile answers', () => {
  /** A value nested `levels` lists deep. */
  const nested = (levels: number): unknown => {
    let value: unknown = 'bottom'
    for (let i = 0; i < levels; i++) value = [value]
    return value
  }

  // The field's value is level 1, its list level 2: a scalar in `levels` lists is at levels + 2.
  it(`exports a value nested up to the bound (${MAX_DEPTH} levels)`, () => {
    const file = exported({ ...CONNECTION, configuration: { x: nested(MAX_DEPTH - 2) } })
    expect(JSON.stringify(file)).toContain('bottom')
  })

  it('refuses a connection nested deeper, without overflowing the stack', () => {
    for (const levels of [MAX_DEPTH - 1, 100_000]) {
      expect(() => exported({ ...CONNECTION, configuration: { x: nested(levels) } })).toThrow(
        ExportError
      )
    }
  })

  it('refuses a layout whose JSON text nests too deeply', () => {
    const deep = `{"a":${'['.repeat(200_000)}${']'.repeat(200_000)}}`
    const connection = {
      ...CONNECTION,
      searchSettings: { searchResultTemplates: [{ ...TEMPLATE, layout: deep }] }
    }
    expect(() => exported(connection)).toThrow(`nests more than ${MAX_DEPTH} levels`)
  })

  it('refuses a schema nested too deeply', () => {
    const schema = { properties: [{ name: 'x', type: 'string', labels: nested(100) }] }
    expect(() => exported(CONNECTION, schema)).toThrow(ExportError)
  })

  it(`refuses an answer of more than ${MAX_EXPORTED_VALUES} values, in little time`, () => {
    const ids = Array.from({ length: MAX_EXPORTED_VALUES + 1 }, (_, i) => `id${i}`)
    const started = performance.now()
    expect(() => exported({ ...CONNECTION, configuration: { authorizedAppIds: ids } })).toThrow(
      /more than 100000 values/
    )
    const properties = Array.from({ length: MAX_EXPORTED_VALUES }, (_, i) => ({ name: `p${i}` }))
    expect(() => exported(CONNECTION, { properties })).toThrow(ExportError)
    // Generous: the walk is linear and stops at the bound.
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  // Each bound at its edge: a field's list at level 2, so a scalar in `k` lists is at k + 2;
  // a schema property's member at level 4; a template's layout at level 4, its first member at 5.
  it('bounds each part of the answer at the same depth, counted where it is', () => {
    const exporting =
      (connection: Json, schema: Json | null = null) =>
      () =>
        exported(connection, schema)
    const property = (labels: unknown) => ({ properties: [{ name: 'x', labels }] })
    expect(exporting(CONNECTION, property(nested(MAX_DEPTH - 4)))).not.toThrow()
    expect(exporting(CONNECTION, property(nested(MAX_DEPTH - 3)))).toThrow(ExportError)
    const layout = (card: unknown) => ({
      searchSettings: { searchResultTemplates: [{ id: 't', layout: card }] }
    })
    for (const asText of [false, true]) {
      const card = (levels: number) =>
        asText
          ? JSON.stringify(nested(levels)).replace(/^\[/, '{"a":[').replace(/\]$/, ']}')
          : { a: nested(levels) }
      expect(exporting(layout(card(MAX_DEPTH - 5)))).not.toThrow()
      expect(exporting(layout(card(MAX_DEPTH - 4)))).toThrow(ExportError)
    }
  })

  it(`takes exactly ${MAX_EXPORTED_VALUES} values, and says why it stops past them`, () => {
    // Visited: configuration, its list, and each item.
    const ids = (count: number) => ({
      id: 'x',
      configuration: { authorizedAppIds: Array.from({ length: count }, (_, i) => `a${i}`) }
    })
    expect(() => exported(ids(MAX_EXPORTED_VALUES - 2), null)).not.toThrow()
    expect(() => exported(ids(MAX_EXPORTED_VALUES - 1), null)).toThrow(
      new ExportError(
        `Graph's answer holds more than ${MAX_EXPORTED_VALUES} values; no connection and schema ` +
          'are that large, so it is not exported.'
      )
    )
  })

  it('has an ExportError say what it is, with its code', () => {
    try {
      exported({ ...CONNECTION, configuration: { x: nested(MAX_DEPTH + 1) } })
      throw new Error('not thrown')
    } catch (error) {
      expect(error).toBeInstanceOf(ExportError)
      expect((error as ExportError).code).toBe('UnexpectedAnswer')
      expect((error as ExportError).name).toBe('ExportError')
      expect((error as Error).message).toBe(
        "Graph's answer nests more than 32 levels deep; no connection and schema do, so it is not exported."
      )
    }
  })
})

describe('exportText', () => {
  it('is JSON with a 2-space indent and a final newline, parsing to the file', () => {
    const file = exported()
    const text = exportText(file)
    expect(text).toBe(`${JSON.stringify(file, null, 2)}\n`)
    expect(JSON.parse(text)).toEqual(file)
  })

  it('lets no line start a workflow command, and escapes what a log must not get', () => {
    const hostile = [
      '::error::x',
      '\n::error::pwned',
      '\u001b[31mred',
      '##vso[task.setvariable variable=x]1',
      '##[error]x',
      'a\u2028b\u2029c',
      '\u202eevil',
      '\u0085next',
      '\u007f'
    ]
    const file = {
      id: 'contosokb',
      name: '::warning::name',
      description: hostile.join(' '),
      configuration: { authorizedAppIds: hostile, '::error::key': 1 }
    }
    const text = exportText(file)
    for (const line of text.split('\n')) {
      expect(line.trimStart()).not.toMatch(/^::/)
    }
    expect(text).not.toMatch(/##(vso)?\[/i)
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202e]/)
    // The same values: only the way they are written differs.
    expect(JSON.parse(text)).toEqual(file)
  })

  it('leaves a single # as it is', () => {
    const text = exportText({ id: 'a', name: 'C# articles #1' })
    expect(text).toContain('"C# articles #1"')
  })
})

// The round trip: what the simulator serves for a connection deployed from the example connector
// file, exported, checked and compared with what Graph has.
describe('export round trip', () => {
  const folder = join(import.meta.dirname, '..', '..', 'examples', 'connector')
  const load = (path: string) => readFileSync(join(folder, path), 'utf8')
  const example = checkConnector(load('connector.json'), { apiVersion: 'v1.0', load })
  const connector = example.connector
  if (!connector?.schema) throw new Error('the example connector file does not pass its check')
  // An inline schema's text is the file's, all but the schema blanked out.
  const exampleSchema = JSON.parse(connector.schema.text) as {
    baseType: string
    properties: Json[]
  }

  /** Graph's answers, as the simulator serves them for the example's connection. */
  function graphAnswers(version: ApiVersion, change: (fields: Json) => Json = f => f) {
    const context = `https://graph.microsoft.com/${version}/$metadata#external/connections`
    const entry = scripted({ statuses: ['ready'] })
    entry.resource = normalizedConnection(change({ id: connector!.id, ...connector!.fields }))
    const connection = getConnection(context, version, connector!.id, entry, {}).body as Json
    const sim = { schemas: new Map([[connector!.id, normalizedSchema(exampleSchema as never)]]) }
    const schema = getSchema(sim as never, context, connector!.id, {}).body as Json
    return { connection, schema }
  }

  function roundTrip(version: ApiVersion, connection: Json, schema: Json) {
    const text = exportText(exportConnector(connection, schema, version))
    const check = checkConnector(text, { apiVersion: version })
    const errors = check.findings.filter(finding => finding.severity === 'error')
    const exportedSchema = JSON.parse(text).schema as Json
    return {
      text,
      errors,
      fieldChanges: check.connector ? diffConnection(connection, check.connector.fields) : null,
      schemaChanges: classifySchemaChanges(schema, exportedSchema)
    }
  }

  it('has the simulator serve what Graph adds, so the test is not trivial', () => {
    const { connection, schema } = graphAnswers('v1.0')
    expect(connection).toHaveProperty(['@odata.context'])
    expect(connection).toHaveProperty('state')
    expect(JSON.stringify(connection)).toContain(RESOLVER_TYPE)
    expect(JSON.stringify(schema)).toContain('"isRefinable":false')
  })

  it.each(['v1.0', 'beta'] as const)(
    'on %s: passes the check, with no field and no schema change',
    version => {
      const { connection, schema } = graphAnswers(version)
      const { text, errors, fieldChanges, schemaChanges } = roundTrip(version, connection, schema)
      expect(errors).toEqual([])
      expect(fieldChanges).toEqual([])
      expect(schemaChanges).toEqual([])
      // What the file keeps, and what it does not.
      expect(text).not.toMatch(/@odata|"state"|false|\[\]/)
      expect(JSON.parse(text).searchSettings.searchResultTemplates[0].layout).toEqual(
        JSON.parse(load('resultLayout.json'))
      )
    }
  )

  it('round-trips beta-only fields on beta', () => {
    const { connection, schema } = graphAnswers('beta', fields => ({
      ...fields,
      enabledContentExperiences: 'search,compliance'
    }))
    const { text, errors, fieldChanges } = roundTrip('beta', connection, schema)
    expect(JSON.parse(text).enabledContentExperiences).toBe('search,compliance')
    expect(errors).toEqual([])
    expect(fieldChanges).toEqual([])
  })

  it('round-trips a layout Graph sends as JSON text, and a schema wrapped in "value"', () => {
    const { connection, schema } = graphAnswers('v1.0')
    const settings = connection.searchSettings as { searchResultTemplates: Json[] }
    const asText = {
      ...connection,
      searchSettings: {
        searchResultTemplates: settings.searchResultTemplates.map(template => ({
          ...template,
          layout: JSON.stringify(template.layout)
        }))
      }
    }
    const wrapped = { '@odata.context': 'x', value: { ...schema, '@odata.context': undefined } }
    const { errors, fieldChanges, schemaChanges } = roundTrip('v1.0', asText, wrapped)
    expect(errors).toEqual([])
    expect(fieldChanges).toEqual([])
    expect(schemaChanges).toEqual([])
  })
})
