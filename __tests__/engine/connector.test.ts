import { describe, expect, it } from '@jest/globals'
import {
  ITEM_ID_RESOLVER_TYPE,
  MAX_CHECKED_ITEMS,
  MAX_LOADED_FILE,
  MAX_URL_PATTERN,
  checkConnector,
  type ConnectorCheckOptions
} from '../../src/engine/connector.js'
import { checkSchema, type Finding } from '../../src/engine/schema.js'

type Json = Record<string, unknown>

const SCHEMA = {
  baseType: 'microsoft.graph.externalItem',
  properties: [
    { name: 'title', type: 'string', isSearchable: true, isRetrievable: true, labels: ['title'] },
    { name: 'url', type: 'string', isRetrievable: true, labels: ['url'] },
    { name: 'icon', type: 'string', isRetrievable: true, labels: ['iconUrl'] },
    { name: 'category', type: 'string', isQueryable: true, isRetrievable: true }
  ]
}
const CARD = {
  type: 'AdaptiveCard',
  version: '1.3',
  body: [{ type: 'TextBlock', text: '${title}' }],
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json'
}
const RESOLVER = {
  priority: 1,
  itemId: '{slug}',
  urlMatchInfo: {
    baseUrls: ['https://kb.contoso.com'],
    urlPattern: '/articles/(?<slug>[a-z0-9-]+)'
  }
}
const TEMPLATE = {
  id: 'articles',
  priority: 1,
  layout: 'resultLayout.json',
  rules: [{ property: 'category', operation: 'equals', values: ['howto'], valuesJoinedBy: 'or' }]
}
// A clean knowledge-base connector: every rule passes on v1.0.
const CONNECTOR: Json = {
  $schema: '../../connector.schema.json',
  id: 'contosokb',
  name: 'Contoso knowledge base',
  description: 'How-to articles of the Contoso help desk.',
  contentCategory: 'knowledgeBase',
  activitySettings: { urlToItemResolvers: [RESOLVER] },
  searchSettings: { searchResultTemplates: [TEMPLATE] },
  configuration: { authorizedAppIds: ['6a6b2e0c-5f3c-4a8e-9d2b-0c1e2f3a4b5c'] },
  schema: SCHEMA
}
const FILES: Record<string, string> = {
  'resultLayout.json': JSON.stringify(CARD, null, 2),
  'schema.json': JSON.stringify(SCHEMA, null, 2)
}
const V1: ConnectorCheckOptions = { apiVersion: 'v1.0', load: path => FILES[path] }
const BETA: ConnectorCheckOptions = { ...V1, apiVersion: 'beta' }

function text(connector: Json = CONNECTOR): string {
  return JSON.stringify(connector, null, 2)
}

/** The clean connector with top-level keys changed (undefined drops one). */
function withTop(change: Json): string {
  return text({ ...CONNECTOR, ...change })
}

function withResolver(change: Json): string {
  return withTop({ activitySettings: { urlToItemResolvers: [{ ...RESOLVER, ...change }] } })
}

function withMatch(change: Json): string {
  return withResolver({ urlMatchInfo: { ...RESOLVER.urlMatchInfo, ...change } })
}

function withTemplate(change: Json, others: Json[] = []): string {
  return withTop({
    searchSettings: { searchResultTemplates: [{ ...TEMPLATE, ...change }, ...others] }
  })
}

function withRule(change: Json): string {
  return withTemplate({ rules: [{ ...TEMPLATE.rules[0], ...change }] })
}

function rules(source: string, options = V1): string[] {
  return checkConnector(source, options).findings.map(finding => finding.rule)
}

/** The one finding of that rule, an error that leaves no connector (fails otherwise). */
function the(rule: string, source: string, options = V1): Finding {
  const check = checkConnector(source, options)
  const found = check.findings.filter(finding => finding.rule === rule)
  expect(found).toHaveLength(1)
  expect(found[0].severity).toBe('error')
  expect(check.connector).toBeUndefined()
  return found[0]
}

/** The one finding of that rule, a warning that leaves the connector to deploy. */
function warned(rule: string, source: string, options = V1): Finding {
  const check = checkConnector(source, options)
  const found = check.findings.filter(finding => finding.rule === rule)
  expect(found).toHaveLength(1)
  expect(found[0].severity).toBe('warning')
  expect(check.connector).toBeDefined()
  return found[0]
}

/** The 1-based line and column of the first `needle` in the text, after `anchor` if given. */
function positionOf(source: string, needle: string, anchor = ''): { line: number; column: number } {
  const before = source.slice(0, source.indexOf(needle, source.indexOf(anchor)))
  return { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') }
}

describe('checkConnector: a clean connector file', () => {
  it('has no findings, and gives the fields Graph reads, without id, schema or $schema', () => {
    const check = checkConnector(text(), V1)
    expect(check.findings).toEqual([])
    expect(check.connector?.id).toBe('contosokb')
    expect(Object.keys(check.connector?.fields ?? {}).sort()).toEqual([
      'activitySettings',
      'configuration',
      'contentCategory',
      'description',
      'name',
      'searchSettings'
    ])
    expect(check.connector?.fields.name).toBe('Contoso knowledge base')
    expect(check.connector?.fields.configuration).toEqual(CONNECTOR.configuration)
  })

  it('loads a layout file inline and types each resolver', () => {
    const fields = checkConnector(text(), V1).connector?.fields as Json
    expect(fields.searchSettings).toEqual({
      searchResultTemplates: [{ ...TEMPLATE, layout: CARD }]
    })
    expect(fields.activitySettings).toEqual({
      urlToItemResolvers: [{ '@odata.type': ITEM_ID_RESOLVER_TYPE, ...RESOLVER }]
    })
  })

  it("keeps a resolver's own @odata.type, and an inline layout as written", () => {
    const typed = {
      ...RESOLVER,
      '@odata.type': 'microsoft.graph.externalConnectors.itemIdResolver'
    }
    const source = withTop({
      activitySettings: { urlToItemResolvers: [typed] },
      searchSettings: { searchResultTemplates: [{ ...TEMPLATE, layout: CARD }] }
    })
    const check = checkConnector(source, { apiVersion: 'v1.0' })
    expect(check.findings).toEqual([])
    const fields = check.connector?.fields as Json
    expect(fields.activitySettings).toEqual({ urlToItemResolvers: [typed] })
    expect(fields.searchSettings).toEqual({
      searchResultTemplates: [{ ...TEMPLATE, layout: CARD }]
    })
  })

  it('writes only the fields the file has: a file with id and name manages nothing else', () => {
    const check = checkConnector(text({ id: 'contosokb', name: 'KB' }), V1)
    expect(check.findings).toEqual([])
    expect(check.connector).toEqual({ id: 'contosokb', fields: { name: 'KB' } })
  })

  it('accepts a byte order mark, OData annotations and a null description', () => {
    const source = '\uFEFF' + withTop({ '@odata.context': 'x', description: null })
    const check = checkConnector(source, V1)
    expect(check.findings).toEqual([])
    expect(check.connector?.fields).not.toHaveProperty('@odata.context')
    expect(check.connector?.fields.description).toBeNull()
  })

  it('sends enums in Graph spelling: contentCategory, operation, valuesJoinedBy', () => {
    const source = withTop({
      contentCategory: 'KNOWLEDGEBASE',
      searchSettings: {
        searchResultTemplates: [
          {
            ...TEMPLATE,
            rules: [{ ...TEMPLATE.rules[0], operation: 'NotEquals', valuesJoinedBy: 'AND' }]
          }
        ]
      }
    })
    const fields = checkConnector(source, V1).connector?.fields as Json
    expect(fields.contentCategory).toBe('knowledgeBase')
    const [template] = (fields.searchSettings as { searchResultTemplates: Json[] })
      .searchResultTemplates
    expect(template.rules).toEqual([
      { ...TEMPLATE.rules[0], operation: 'notEquals', valuesJoinedBy: 'and' }
    ])
  })
})

describe('checkConnector: the schema', () => {
  it('gives an inline schema as text at the lines and columns of the connector file', () => {
    const source = withTop({
      schema: { ...SCHEMA, properties: [{ name: 'bad name', type: 'string' }] }
    })
    const schema = checkConnector(source, V1).connector?.schema
    expect(schema?.file).toBeUndefined()
    expect(schema?.text).toHaveLength(source.length)
    expect(JSON.parse(schema?.text ?? '')).toEqual({
      ...SCHEMA,
      properties: [{ name: 'bad name', type: 'string' }]
    })
    const finding = checkSchema(schema?.text ?? '').findings.find(f => f.rule === 'name-format')
    expect(finding).toMatchObject(positionOf(source, '"name": "bad name"'))
  })

  it('finds the end of an inline schema that is the last key, or followed by others', () => {
    const last = text({ id: 'contosokb', name: 'KB', schema: SCHEMA })
    expect(JSON.parse(checkConnector(last, V1).connector?.schema?.text ?? '')).toEqual(SCHEMA)
    const first = text({ schema: SCHEMA, id: 'contosokb', name: 'KB' })
    expect(JSON.parse(checkConnector(first, V1).connector?.schema?.text ?? '')).toEqual(SCHEMA)
    const compact = JSON.stringify({ schema: SCHEMA, id: 'contosokb', name: 'KB' })
    expect(JSON.parse(checkConnector(compact, V1).connector?.schema?.text ?? '')).toEqual(SCHEMA)
  })

  it('loads a schema file by its path, relative to the connector file', () => {
    const check = checkConnector(withTop({ schema: 'schema.json' }), V1)
    expect(check.findings).toEqual([])
    expect(check.connector?.schema).toEqual({ text: FILES['schema.json'], file: 'schema.json' })
  })

  it('leaves the schema out when the file has none', () => {
    expect(checkConnector(withTop({ schema: undefined }), V1).connector).not.toHaveProperty(
      'schema'
    )
  })

  it('refuses a schema that is neither an object nor a path, and a file it cannot read', () => {
    expect(the('schema', withTop({ schema: 42 })).message).toContain('found 42')
    expect(the('schema', withTop({ schema: '' })).message).toContain('an empty string')
    const missing = the('file', withTop({ schema: 'nowhere.json' }))
    expect(missing.message).toBe(
      "Schema: the schema file 'nowhere.json' cannot be read; name a file next to or below the connector file."
    )
    expect(missing).toMatchObject(positionOf(withTop({ schema: 'nowhere.json' }), '"schema"'))
    const layoutOnly = {
      ...V1,
      load: (path: string) => (path === 'schema.json' ? undefined : FILES[path])
    }
    expect(the('file', withTop({ schema: 'schema.json' }), layoutOnly).property).toBe('schema')
    const none = checkConnector(withTop({ schema: 'schema.json' }), { apiVersion: 'v1.0' })
    expect(none.findings.map(f => [f.rule, f.property])).toEqual([
      ['file', 'searchSettings.searchResultTemplates[0].layout'],
      ['file', 'schema']
    ])
  })

  it('still gives an unparsable schema file to checkSchema, which says where it breaks', () => {
    const check = checkConnector(withTop({ schema: 'broken.json' }), {
      ...V1,
      load: path => (path === 'broken.json' ? '{"a": ' : FILES[path])
    })
    expect(check.findings).toEqual([])
    expect(check.connector?.schema).toEqual({ text: '{"a": ', file: 'broken.json' })
  })

  it('refuses a file larger than the bound, and strips a byte order mark from one', () => {
    const huge = ' '.repeat(MAX_LOADED_FILE + 1)
    const big = { ...V1, load: (path: string) => (path === 'schema.json' ? huge : FILES[path]) }
    expect(the('file', withTop({ schema: 'schema.json' }), big).message).toContain('larger than')
    const bom = {
      ...V1,
      load: (path: string) => (path === 'schema.json' ? '\uFEFF{}' : FILES[path])
    }
    expect(checkConnector(withTop({ schema: 'schema.json' }), bom).connector?.schema?.text).toBe(
      '{}'
    )
  })
})

describe('checkConnector: JSON', () => {
  it('reports where the file stops being JSON', () => {
    const finding = the('json', '{\n  "id": "contosokb",\n  "name": }')
    expect(finding).toMatchObject({ line: 3, column: 11 })
    expect(finding.message).toBe('The connector file is not valid JSON at line 3, column 11.')
  })

  it('wants an object at the top, and refuses JSON nested too deeply', () => {
    expect(the('json', '[1]').message).toBe(
      'The connector file must hold one JSON object, not an array.'
    )
    const deep = `{"id": ${'['.repeat(70)}${']'.repeat(70)}}`
    expect(the('json-depth', deep).message).toContain('nests JSON too deeply')
  })
})

describe('checkConnector: id, name, description, contentCategory', () => {
  it('needs an id', () => {
    expect(the('id-required', withTop({ id: undefined })).message).toContain('found nothing')
    expect(the('id-required', withTop({ id: 7 })).message).toContain('found 7')
  })

  it('hands the id to the connection-ID rules, and reports their message at the id', () => {
    const seen: string[] = []
    const checkId = (id: string) => (seen.push(id), id === 'Teams' ? 'a reserved ID' : undefined)
    const source = withTop({ id: 'Teams' })
    const finding = the('id-format', source, { ...V1, checkId })
    expect(finding.message).toBe('Id: a reserved ID')
    expect(finding).toMatchObject(positionOf(source, '"id"'))
    expect(seen).toEqual(['Teams'])
    expect(rules(text(), { ...V1, checkId })).toEqual([])
  })

  it('needs a name of 1 to 128 characters', () => {
    expect(rules(withTop({ name: 'n'.repeat(128) }))).toEqual([])
    expect(the('name', withTop({ name: 'n'.repeat(129) })).message).toContain(
      'found 129 characters'
    )
    expect(the('name', withTop({ name: '' })).message).toContain('found 0 characters')
    expect(the('name', withTop({ name: undefined })).message).toContain('found nothing')
    expect(the('name', withTop({ name: ['x'] })).message).toContain('found an array')
  })

  it('wants a string description', () => {
    expect(the('description', withTop({ description: 3 })).message).toBe(
      'Description: "description" must be a string; found 3.'
    )
  })

  it('wants a contentCategory of the metadata, with a hint for a near miss', () => {
    const finding = the('content-category', withTop({ contentCategory: 'knowledgebases' }))
    expect(finding.message).toContain(
      "contentCategory is 'knowledgebases'; did you mean 'knowledgeBase'?"
    )
    expect(finding.message).toContain('use one of uncategorized, knowledgeBase, wikis')
    expect(the('content-category', withTop({ contentCategory: 1 })).message).toContain(
      'ContentCategory: contentCategory is 1; use one of'
    )
  })
})

describe('checkConnector: keys', () => {
  it('warns about an unknown key with the nearest field, and does not send it', () => {
    const source = withTop({ descripton: 'typo' })
    const finding = warned('unknown-key', source)
    expect(finding.message).toBe(
      "Descripton: unknown key 'descripton'; did you mean 'description'? It is not sent."
    )
    expect(finding).toMatchObject(positionOf(source, '"descripton"'))
    expect(checkConnector(source, V1).connector?.fields).not.toHaveProperty('descripton')
  })

  it('warns about fields Graph sets, and does not send them', () => {
    const source = withTop({ state: 'ready' })
    expect(warned('graph-set-field', source).message).toContain('state is set by Graph')
    expect(checkConnector(source, V1).connector?.fields).not.toHaveProperty('state')
  })

  it('refuses the beta-only fields on v1.0, naming api-version: beta', () => {
    const source = withTop({ enabledContentExperiences: 'search' })
    const finding = the('beta-field', source)
    expect(finding.message).toContain('set api-version: beta')
    expect(the('beta-field', withTop({ complianceSettings: {} })).property).toBe(
      'complianceSettings'
    )
  })

  it('accepts them on beta and sends them', () => {
    const compliance = { eDiscoveryResultTemplates: [{ ...TEMPLATE, id: 'ediscovery' }] }
    const source = withTop({
      enabledContentExperiences: 'search, compliance',
      complianceSettings: compliance
    })
    const check = checkConnector(source, BETA)
    expect(check.findings).toEqual([])
    expect(check.connector?.fields.enabledContentExperiences).toBe('search, compliance')
    expect(check.connector?.fields.complianceSettings).toEqual({
      eDiscoveryResultTemplates: [{ ...TEMPLATE, id: 'ediscovery', layout: CARD }]
    })
  })

  it('warns on beta about a content experience Graph does not have', () => {
    expect(
      warned('content-experiences', withTop({ enabledContentExperiences: 'search,chat' }), BETA)
        .message
    ).toContain("holds 'chat'")
    expect(
      warned('content-experiences', withTop({ enabledContentExperiences: ['search'] }), BETA)
        .message
    ).toContain('holds an array')
  })

  it('checks the templates of complianceSettings as display templates', () => {
    const source = withTop({
      complianceSettings: { eDiscoveryResultTemplates: [{ ...TEMPLATE, id: 'no-dash' }] }
    })
    expect(the('template-id', source, BETA).property).toBe(
      'complianceSettings.eDiscoveryResultTemplates[0].id'
    )
    expect(
      the('templates', withTop({ complianceSettings: { eDiscoveryResultTemplates: 1 } }), BETA).rule
    ).toBe('templates')
    expect(the('complianceSettings', withTop({ complianceSettings: 1 }), BETA).rule).toBe(
      'complianceSettings'
    )
  })
})

describe('checkConnector: URL resolvers', () => {
  it('needs an itemId', () => {
    const finding = the('item-id', withResolver({ itemId: undefined }))
    expect(finding.property).toBe('activitySettings.urlToItemResolvers[0].itemId')
    expect(finding.message).toContain('needs an "itemId" string')
    expect(the('item-id', withResolver({ itemId: '' })).rule).toBe('item-id')
  })

  it('warns about an itemId group that urlPattern does not name', () => {
    const source = withResolver({ itemId: '{slug}-{lang}' })
    const finding = warned('item-id-group', source)
    expect(finding.message).toBe(
      "ActivitySettings.urlToItemResolvers[0].itemId: itemId names {lang}, which is no named group of urlPattern; its named groups are 'slug'."
    )
    expect(finding).toMatchObject(positionOf(source, '"itemId"'))
    const none = warned(
      'item-id-group',
      withResolver({ itemId: '{id}', urlMatchInfo: { urlPattern: '/a/[0-9]+' } })
    )
    expect(none.message).toContain('it has no named group, like (?<id>[0-9]+)')
  })

  it('reads named groups, not lookbehinds, as groups', () => {
    const pattern = '(?<=/a/)(?<!x)(?<id>[0-9]+)'
    expect(rules(withResolver({ itemId: '{id}', urlMatchInfo: { urlPattern: pattern } }))).toEqual(
      []
    )
    expect(rules(withResolver({ itemId: '{=}', urlMatchInfo: { urlPattern: pattern } }))).toEqual([
      'item-id-group'
    ])
  })

  it('refuses a urlPattern that is no ECMAScript regular expression, and says why', () => {
    const finding = the('url-pattern', withMatch({ urlPattern: '/articles/(?<slug>[a-z' }))
    expect(finding.message).toBe(
      'ActivitySettings.urlToItemResolvers[0].urlMatchInfo.urlPattern: urlPattern is not a valid ECMAScript regular expression: Unterminated character class.'
    )
    expect(the('url-pattern', withMatch({ urlPattern: 5 })).message).toContain('found 5')
  })

  it('does not compile a pattern longer than the bound, and warns', () => {
    const finding = warned(
      'url-pattern-length',
      withMatch({ urlPattern: `(${'a'.repeat(MAX_URL_PATTERN)}` })
    )
    expect(finding.message).toContain(`patterns over ${MAX_URL_PATTERN} are not checked`)
    expect(rules(withMatch({ urlPattern: `(?<slug>${'a'.repeat(MAX_URL_PATTERN - 9)})` }))).toEqual(
      []
    )
  })

  it('warns about a resolver without urlMatchInfo or urlPattern, and refuses one of the wrong type', () => {
    expect(warned('url-match-info', withResolver({ urlMatchInfo: undefined })).message).toContain(
      'matches no URL'
    )
    expect(the('url-match-info', withResolver({ urlMatchInfo: 'x' })).rule).toBe('url-match-info')
    expect(warned('url-pattern', withMatch({ urlPattern: undefined })).message).toContain(
      'has no "urlPattern"'
    )
  })

  it('warns about baseUrls that are not absolute https URLs, and refuses ones that are not strings', () => {
    const source = withMatch({
      baseUrls: ['https://kb.contoso.com', 'http://kb.contoso.com', '/kb']
    })
    const found = checkConnector(source, V1).findings
    expect(found.map(f => [f.rule, f.severity, f.property])).toEqual([
      ['base-url', 'warning', 'activitySettings.urlToItemResolvers[0].urlMatchInfo.baseUrls[1]'],
      ['base-url', 'warning', 'activitySettings.urlToItemResolvers[0].urlMatchInfo.baseUrls[2]']
    ])
    expect(found[0]).toMatchObject(positionOf(source, '"http://kb'))
    expect(the('base-urls', withMatch({ baseUrls: [1] })).message).toContain(
      'must be strings; found 1'
    )
    expect(the('base-urls', withMatch({ baseUrls: 'https://x' })).message).toContain(
      'must be an array'
    )
  })

  it('says at most 8 findings per list, then one that sums up the rest', () => {
    const urls = Array.from({ length: 12 }, (_, i) => `http://x${i}`)
    const found = checkConnector(withMatch({ baseUrls: urls }), V1).findings
    expect(found).toHaveLength(9)
    const summary = found.filter(f => f.message.includes('more baseUrls have problems like these'))
    expect(summary).toHaveLength(1)
    expect(summary[0].message).toContain('only the first 8 are listed.')
    expect(summary[0].property).toBe('activitySettings.urlToItemResolvers[0].urlMatchInfo.baseUrls')
    expect(found.filter(f => f.property?.endsWith(']'))).toHaveLength(8)
  })

  it('warns about resolver priorities outside 1 to 8, missing or repeated; refuses a non-integer', () => {
    const second = { ...RESOLVER, priority: 1 }
    const repeated = withTop({ activitySettings: { urlToItemResolvers: [RESOLVER, second] } })
    expect(warned('resolver-priority-unique', repeated).message).toContain(
      'priority 1 is already the priority of urlToItemResolvers[0]'
    )
    expect(warned('resolver-priority', withResolver({ priority: 9 })).message).toContain(
      'priority is 9; use 1 to 8.'
    )
    expect(warned('resolver-priority', withResolver({ priority: 0 })).message).toContain(
      'priority is 0'
    )
    expect(rules(withResolver({ priority: 8 }))).toEqual([])
    expect(warned('resolver-priority', withResolver({ priority: undefined })).message).toContain(
      'should have a "priority"'
    )
    expect(the('resolver-priority', withResolver({ priority: 1.5 })).message).toContain('found 1.5')
    expect(the('resolver-priority', withResolver({ priority: 2 ** 31 })).rule).toBe(
      'resolver-priority'
    )
  })

  it('warns about more than 8 resolvers', () => {
    const many = Array.from({ length: 9 }, (_, i) => ({ ...RESOLVER, priority: i + 1 }))
    const finding = warned(
      'resolvers-count',
      withTop({ activitySettings: { urlToItemResolvers: many } })
    )
    expect(finding.message).toContain('holds 9 resolvers; keep at most 8')
  })

  it('checks only the first items of a long list, and sends them all', () => {
    const many = Array.from({ length: MAX_CHECKED_ITEMS + 5 }, () => ({ ...RESOLVER, itemId: '' }))
    const found = checkConnector(
      withTop({ activitySettings: { urlToItemResolvers: many } }),
      V1
    ).findings
    expect(found.filter(f => f.rule === 'item-id')).toHaveLength(MAX_CHECKED_ITEMS)
  })

  it('refuses resolvers that are not objects, and lists that are not arrays', () => {
    expect(
      the('resolver-object', withTop({ activitySettings: { urlToItemResolvers: ['x'] } })).message
    ).toContain("found the string 'x'")
    expect(
      the('resolvers', withTop({ activitySettings: { urlToItemResolvers: {} } })).message
    ).toContain('found an object')
    expect(the('activitySettings', withTop({ activitySettings: [] })).message).toContain(
      'must be an object'
    )
    expect(rules(withTop({ activitySettings: {} }))).toEqual([])
    expect(rules(withTop({ activitySettings: null }))).toEqual([])
  })

  it("warns about a resolver type that is not Graph's, and about unknown keys", () => {
    const finding = warned(
      'resolver-type',
      withResolver({ '@odata.type': '#microsoft.graph.other' })
    )
    expect(finding.property).toBe('activitySettings.urlToItemResolvers[0].@odata.type')
    expect(warned('resolver-type', withResolver({ '@odata.type': 1 })).rule).toBe('resolver-type')
    expect(warned('unknown-key', withResolver({ itemID: 'x' })).message).toContain(
      "did you mean 'itemId'?"
    )
    expect(warned('unknown-key', withMatch({ urlPatern: 'x' })).message).toContain(
      "did you mean 'urlPattern'?"
    )
    expect(
      warned('unknown-key', withTop({ activitySettings: { resolvers: [] } })).message
    ).toContain("did you mean 'urlToItemResolvers'?")
  })
})

describe('checkConnector: result templates', () => {
  it('refuses more than 2 templates', () => {
    const others = [
      { ...TEMPLATE, id: 'b', priority: 2 },
      { ...TEMPLATE, id: 'c', priority: 3 }
    ]
    const finding = the('templates-count', withTemplate({}, others))
    expect(finding.message).toContain('holds 3 templates; Graph takes at most 2 per connection.')
    expect(rules(withTemplate({}, others.slice(0, 1)))).toEqual([])
  })

  it('needs an id of at most 16 letters or digits', () => {
    expect(rules(withTemplate({ id: 'a'.repeat(16) }))).toEqual([])
    expect(the('template-id', withTemplate({ id: 'a'.repeat(17) })).message).toContain(
      '1 to 16 letters or digits'
    )
    expect(the('template-id', withTemplate({ id: 'kb-articles' })).message).toContain(
      "found 'kb-articles'"
    )
    expect(the('template-id', withTemplate({ id: undefined })).message).toContain('found nothing')
    expect(the('template-id', withTemplate({ id: '' })).rule).toBe('template-id')
  })

  it('warns about letters outside A-Z in an id, and about repeated ids and priorities', () => {
    expect(warned('template-id', withTemplate({ id: 'artículos' })).message).toContain(
      'outside A-Z'
    )
    const twin = [{ ...TEMPLATE, id: 'ARTICLES', priority: 2 }]
    expect(warned('template-id-unique', withTemplate({}, twin)).message).toContain(
      'already the id of template [0]'
    )
    const same = [{ ...TEMPLATE, id: 'other' }]
    expect(warned('template-priority-unique', withTemplate({}, same)).message).toContain(
      'priority 1 is already the priority of template [0]'
    )
  })

  it('warns about a priority below 1 or missing, as the docs use 0 themselves; refuses a non-integer', () => {
    expect(warned('template-priority', withTemplate({ priority: 0 })).message).toContain(
      'ask for a positive value'
    )
    expect(warned('template-priority', withTemplate({ priority: undefined })).message).toContain(
      'should have a "priority"'
    )
    expect(the('template-priority', withTemplate({ priority: '1' })).message).toContain(
      "found the string '1'"
    )
    expect(the('template-priority', withTemplate({ priority: null })).message).toContain(
      'found null'
    )
  })

  it('needs a layout: an object, or a file holding one', () => {
    expect(the('layout', withTemplate({ layout: undefined })).message).toContain('needs a "layout"')
    expect(the('layout', withTemplate({ layout: 3 })).rule).toBe('layout')
    const serialized = the('layout', withTemplate({ layout: JSON.stringify(CARD) }))
    expect(serialized.message).toContain('Write the card as a JSON object, not as a string.')
    expect(the('file', withTemplate({ layout: 'missing.json' })).message).toContain(
      "the layout file 'missing.json' cannot be read"
    )
  })

  it('reports a layout file that is not JSON at its own line and column, naming the file', () => {
    const load = (path: string) => (path === 'bad.json' ? '{\n  "type": \n}' : FILES[path])
    const finding = the('json', withTemplate({ layout: 'bad.json' }), { ...V1, load })
    expect(finding).toMatchObject({ file: 'bad.json', line: 3, column: 1 })
    expect(finding.message).toBe("Layout file 'bad.json' is not valid JSON at line 3, column 1.")
    expect(finding.property).toBe('searchSettings.searchResultTemplates[0].layout')
  })

  it('refuses a layout file that holds no object, and warns about a card without its type', () => {
    const load = (path: string) => ({ 'list.json': '[]', 'plain.json': '{"body": []}' })[path]
    const list = the('layout', withTemplate({ layout: 'list.json' }), { ...V1, load })
    expect(list).toMatchObject({ file: 'list.json', line: 1, column: 1 })
    expect(list.message).toContain('must hold one JSON object, an Adaptive Card; found an array')
    const plain = warned('layout-card', withTemplate({ layout: 'plain.json' }), { ...V1, load })
    expect(plain).toMatchObject({ file: 'plain.json', line: 1, column: 1 })
    const typed = { ...V1, load: () => '{\n  "body": [],\n  "type": "Card"\n}' }
    expect(warned('layout-card', withTemplate({ layout: 'typed.json' }), typed)).toMatchObject({
      file: 'typed.json',
      line: 3,
      column: 3
    })
    expect(plain.message).toContain('its type is nothing')
    const inline = warned('layout-card', withTemplate({ layout: { type: 'Card' } }))
    expect(inline.file).toBeUndefined()
    expect(inline.message).toContain("its type is 'Card'")
  })

  it('lists findings in other files after those of the connector file', () => {
    const load = (path: string) => (path === 'plain.json' ? '{}' : FILES[path])
    const source = withTop({
      searchSettings: { searchResultTemplates: [{ ...TEMPLATE, layout: 'plain.json' }] },
      zzz: 1
    })
    const found = checkConnector(source, { ...V1, load }).findings
    expect(found.map(f => f.rule)).toEqual(['unknown-key', 'layout-card'])
  })

  it('refuses templates and lists of the wrong shape', () => {
    expect(
      the('template-object', withTop({ searchSettings: { searchResultTemplates: [1] } })).rule
    ).toBe('template-object')
    expect(
      the('templates', withTop({ searchSettings: { searchResultTemplates: 'x' } })).message
    ).toContain('searchResultTemplates must be an array')
    expect(the('searchSettings', withTop({ searchSettings: 'x' })).rule).toBe('searchSettings')
    expect(warned('unknown-key', withTemplate({ layouts: {} })).message).toContain(
      "did you mean 'layout'?"
    )
  })
})

describe('checkConnector: template rules', () => {
  it('needs each rule field, and refuses an operation the metadata does not have', () => {
    expect(the('rule-property', withRule({ property: undefined })).rule).toBe('rule-property')
    const operation = the('rule-operation', withRule({ operation: 'equal' }))
    expect(operation.message).toContain(
      "operation is 'equal'; did you mean 'equals'? use one of null, equals"
    )
    expect(the('rule-operation', withRule({ operation: undefined })).message).toContain(
      'operation is nothing; use one of'
    )
    expect(the('rule-values', withRule({ values: [] })).rule).toBe('rule-values')
    expect(the('rule-values', withRule({ values: [1] })).rule).toBe('rule-values')
    expect(the('rule-values', withRule({ values: 'howto' })).rule).toBe('rule-values')
    expect(the('rule-joined-by', withRule({ valuesJoinedBy: undefined })).message).toContain(
      '"or" or "and"'
    )
  })

  it('warns about a valuesJoinedBy other than or/and, which the vendored metadata does not hold', () => {
    expect(warned('rule-joined-by', withRule({ valuesJoinedBy: 'xor' })).message).toContain(
      `valuesJoinedBy is 'xor'; Graph documents "or" and "and".`
    )
  })

  it('warns about a rule on a property the schema does not have, ignoring case', () => {
    const source = withRule({ property: 'catgory' })
    const finding = warned('rule-property', source)
    expect(finding.message).toContain("property 'catgory' is not a property of the schema")
    expect(finding).toMatchObject(positionOf(source, '"property"'))
    expect(rules(withRule({ property: 'CATEGORY' }))).toEqual([])
  })

  it('reads the property names from a schema file too, and skips the check without a schema', () => {
    const fromFile = withTop({
      schema: 'schema.json',
      searchSettings: {
        searchResultTemplates: [
          { ...TEMPLATE, rules: [{ ...TEMPLATE.rules[0], property: 'nope' }] }
        ]
      }
    })
    expect(rules(fromFile)).toEqual(['rule-property'])
    const without = text({
      ...CONNECTOR,
      schema: undefined,
      searchSettings: {
        searchResultTemplates: [
          { ...TEMPLATE, rules: [{ ...TEMPLATE.rules[0], property: 'nope' }] }
        ]
      }
    })
    expect(rules(without)).toEqual([])
  })

  it('refuses rules that are not an array of objects', () => {
    expect(the('rules', withTemplate({ rules: {} })).rule).toBe('rules')
    expect(the('rule-object', withTemplate({ rules: [null] })).message).toContain('found null')
    expect(rules(withTemplate({ rules: undefined }))).toEqual([])
  })
})

describe('checkConnector: people connectors', () => {
  const people = {
    ...SCHEMA,
    properties: [
      { name: 'upn', type: 'string', labels: ['PersonAccount'] },
      { name: 'skills', type: 'stringCollection', labels: ['personSkills'] }
    ]
  }

  it('warns when a schema with person labels is not in the people category', () => {
    const source = withTop({ schema: people, searchSettings: undefined })
    const finding = warned('people-category', source)
    expect(finding.message).toContain('set "contentCategory": "people"')
    expect(finding).toMatchObject(positionOf(source, '"contentCategory"'))
    const absent = warned(
      'people-category',
      withTop({ schema: people, searchSettings: undefined, contentCategory: undefined })
    )
    expect(absent).toMatchObject({ line: 1, column: 1 })
    expect(absent.property).toBeUndefined()
  })

  it('is content with contentCategory people, in any casing, and reads a schema file too', () => {
    expect(
      rules(withTop({ schema: people, searchSettings: undefined, contentCategory: 'People' }))
    ).toEqual([])
    const load = (path: string) => (path === 'people.json' ? JSON.stringify(people) : FILES[path])
    const fromFile = withTop({ schema: 'people.json', searchSettings: undefined })
    expect(rules(fromFile, { ...V1, load })).toEqual(['people-category'])
    const notAList = { properties: [{ name: 'category', labels: 'personX' }] }
    expect(rules(withTop({ schema: notAList }))).toEqual([])
  })
})

describe('checkConnector: configuration', () => {
  it('warns about authorizedAppIds that are not GUIDs, and refuses ones that are not strings', () => {
    const source = withTop({ configuration: { authorizedAppIds: ['my-app'] } })
    const finding = warned('app-id', source)
    expect(finding.message).toContain("'my-app' is not an application (client) ID, a GUID")
    expect(finding).toMatchObject(positionOf(source, '"my-app"'))
    expect(the('app-ids', withTop({ configuration: { authorizedAppIds: [1] } })).rule).toBe(
      'app-ids'
    )
    expect(the('app-ids', withTop({ configuration: { authorizedAppIds: 'x' } })).message).toContain(
      'must be an array'
    )
    expect(the('configuration', withTop({ configuration: 1 })).rule).toBe('configuration')
    expect(rules(withTop({ configuration: {} }))).toEqual([])
  })
})

describe('checkConnector: messages', () => {
  it('makes user text inert and short', () => {
    const source = withTop({ contentCategory: '::error::x\nnext', descrip: 1, ['a\u001b[31m']: 2 })
    for (const finding of checkConnector(source, V1).findings) {
      // eslint-disable-next-line no-control-regex
      expect(finding.message).not.toMatch(/[\u0000-\u001f]/)
      expect(finding.property ?? '').not.toMatch(/\u001b/) // eslint-disable-line no-control-regex
    }
    const long = checkConnector(withTop({ contentCategory: 'x'.repeat(5000) }), V1).findings[0]
    expect(long.message.length).toBeLessThan(400)
  })
})

describe('checkConnector: each finding names the key it is about, and is at it', () => {
  const resolverPath = 'activitySettings.urlToItemResolvers[0]'
  const templatePath = 'searchSettings.searchResultTemplates[0]'
  const rulePath = `${templatePath}.rules[0]`
  // [what, source, rule, property, the text the finding is at, a text before it]
  const cases: [string, string, string, string, string, string][] = [
    ['empty id', withTop({ id: '' }), 'id-required', 'id', '"id"', ''],
    ['name', withTop({ name: '' }), 'name', 'name', '"name"', ''],
    ['schema', withTop({ schema: 42 }), 'schema', 'schema', '"schema"', ''],
    ['state', withTop({ state: 'ready' }), 'graph-set-field', 'state', '"state"', ''],
    [
      'resolver type',
      withResolver({ '@odata.type': '#x' }),
      'resolver-type',
      `${resolverPath}.@odata.type`,
      '"@odata.type"',
      '"urlToItemResolvers"'
    ],
    [
      'urlMatchInfo',
      withResolver({ urlMatchInfo: 1 }),
      'url-match-info',
      `${resolverPath}.urlMatchInfo`,
      '"urlMatchInfo"',
      ''
    ],
    [
      'baseUrls',
      withMatch({ baseUrls: [1] }),
      'base-urls',
      `${resolverPath}.urlMatchInfo.baseUrls[0]`,
      '1',
      '"baseUrls"'
    ],
    [
      'resolver priority',
      withResolver({ priority: 'x' }),
      'resolver-priority',
      `${resolverPath}.priority`,
      '"priority"',
      ''
    ],
    [
      'resolver key',
      withResolver({ extra: 1 }),
      'unknown-key',
      `${resolverPath}.extra`,
      '"extra"',
      ''
    ],
    [
      'settings key',
      withTop({ activitySettings: { extra: 1 } }),
      'unknown-key',
      'activitySettings.extra',
      '"extra"',
      ''
    ],
    [
      'activitySettings',
      withTop({ activitySettings: 1 }),
      'activitySettings',
      'activitySettings',
      '"activitySettings"',
      ''
    ],
    [
      'template',
      withTop({ searchSettings: { searchResultTemplates: [1] } }),
      'template-object',
      templatePath,
      '1',
      '"searchResultTemplates"'
    ],
    [
      'template priority',
      withTemplate({ priority: 'x' }),
      'template-priority',
      `${templatePath}.priority`,
      '"priority"',
      '"searchResultTemplates"'
    ],
    ['layout', withTemplate({ layout: 3 }), 'layout', `${templatePath}.layout`, '"layout"', ''],
    ['rules', withTemplate({ rules: 1 }), 'rules', `${templatePath}.rules`, '"rules"', ''],
    [
      'rule property',
      withRule({ property: '' }),
      'rule-property',
      `${rulePath}.property`,
      '"property"',
      ''
    ],
    [
      'rule operation',
      withRule({ operation: 'x' }),
      'rule-operation',
      `${rulePath}.operation`,
      '"operation"',
      ''
    ],
    [
      'rule values',
      withRule({ values: ['a', 1] }),
      'rule-values',
      `${rulePath}.values`,
      '"values"',
      ''
    ],
    [
      'rule joined by',
      withRule({ valuesJoinedBy: '' }),
      'rule-joined-by',
      `${rulePath}.valuesJoinedBy`,
      '"valuesJoinedBy"',
      ''
    ],
    [
      'rule joined by value',
      withRule({ valuesJoinedBy: 'xor' }),
      'rule-joined-by',
      `${rulePath}.valuesJoinedBy`,
      '"valuesJoinedBy"',
      ''
    ],
    [
      'app id',
      withTop({ configuration: { authorizedAppIds: [1] } }),
      'app-ids',
      'configuration.authorizedAppIds[0]',
      '1',
      '"authorizedAppIds"'
    ],
    [
      'experiences',
      withTop({ enabledContentExperiences: 'x' }),
      'content-experiences',
      'enabledContentExperiences',
      '"enabledContentExperiences"',
      ''
    ]
  ]
  it.each(cases)('%s', (_, source, rule, property, needle, anchor) => {
    const found = checkConnector(source, BETA).findings.filter(f => f.rule === rule)
    expect(found).toHaveLength(1)
    expect(found[0].property).toBe(property)
    expect(found[0]).toMatchObject(
      positionOf(source, needle, anchor || `"${property.split(/[.[]/).pop()}`)
    )
  })
})

describe('checkConnector: messages and bounds', () => {
  it('says what is wrong in words, with the key first', () => {
    const message = (source: string, rule: string, options = V1) =>
      checkConnector(source, options).findings.find(f => f.rule === rule)?.message
    expect(message(withResolver({ '@odata.type': '#x' }), 'resolver-type')).toBe(
      `ActivitySettings.urlToItemResolvers[0].@odata.type: "@odata.type" is '#x'; the only resolver type Graph documents is '${ITEM_ID_RESOLVER_TYPE}'.`
    )
    expect(message(withResolver({ urlMatchInfo: 1 }), 'url-match-info')).toContain(
      'urlMatchInfo must be an object like {"baseUrls": […], "urlPattern": "…"}; found 1.'
    )
    expect(message(withMatch({ baseUrls: ['ftp://x'] }), 'base-url')).toContain(
      "base URL 'ftp://x' is not an absolute https URL, like 'https://contoso.com/kb'."
    )
    expect(
      message(withTop({ searchSettings: { searchResultTemplates: [true] } }), 'template-object')
    ).toContain(
      'a template must be an object like {"id": "articles", "priority": 1, "layout": "resultLayout.json"}; found true.'
    )
    expect(message(withTemplate({ rules: 1 }), 'rules')).toContain(
      'rules must be an array of rules like {"property": "title"'
    )
    expect(message(withRule({ property: 2 }), 'rule-property')).toContain(
      'a rule needs a "property": the name of a schema property; found 2.'
    )
    expect(message(withRule({ values: 'a' }), 'rule-values')).toContain(
      `a rule needs "values": an array of one or more strings; found the string 'a'.`
    )
    expect(message(withTop({ configuration: { authorizedAppIds: [false] } }), 'app-ids')).toContain(
      'authorizedAppIds must be strings; found false.'
    )
    expect(message(withTop({ enabledContentExperiences: 'x' }), 'content-experiences', BETA)).toBe(
      `EnabledContentExperiences: enabledContentExperiences holds 'x'; Graph's values are compliance, search, written like "search,compliance".`
    )
    expect(message(withTemplate({ layout: 3 }), 'layout')).toBe(
      'SearchSettings.searchResultTemplates[0].layout: a template needs a "layout": an Adaptive Card object, or the path of a file holding one, like "resultLayout.json"; found 3.'
    )
    expect(message(withTemplate({ layout: '' }), 'layout')).toContain('found an empty string.')
    expect(message(withTemplate({ layout: ' {"type": "AdaptiveCard"}' }), 'layout')).toContain(
      'Write the card as a JSON object, not as a string.'
    )
    const two = withResolver({ itemId: '{x}', urlMatchInfo: { urlPattern: '(?<a>.)(?<b>.)' } })
    expect(message(two, 'item-id-group')).toContain("its named groups are 'a', 'b'.")
    expect(message(withTop({ name: true }), 'name')).toContain('found true.')
    expect(message(withTop({ zzz: 1 }), 'unknown-key')).toBe(
      "Zzz: unknown key 'zzz'; It is not sent."
    )
    const long = 'k'.repeat(65)
    expect(message(withTop({ [long]: 1 }), 'unknown-key')).toMatch(/'; It is not sent\.$/)
    expect(message(withTop({ descripton: 1 }), 'unknown-key')).toContain(
      "did you mean 'description'?"
    )
  })

  it('says of a people connector without contentCategory what to set, at the top of the file', () => {
    const schema = {
      ...SCHEMA,
      properties: [{ name: 'upn', type: 'string', labels: ['personAccount'] }]
    }
    const found = checkConnector(
      withTop({ schema, searchSettings: undefined, contentCategory: undefined }),
      V1
    ).findings
    expect(found).toEqual([
      {
        severity: 'warning',
        rule: 'people-category',
        line: 1,
        column: 1,
        message:
          'The schema has person labels, so this is a people connector; set "contentCategory": "people", which Microsoft 365 needs to read it as people data.'
      }
    ])
  })

  it('sums up long lists of bad app IDs, base URLs and keys in one finding each', () => {
    const summary = (source: string, list: string) =>
      checkConnector(source, V1).findings.filter(f =>
        f.message.includes(`more ${list} have problems`)
      )
    const ids = Array.from({ length: 10 }, (_, i) => `app${i}`)
    expect(
      summary(withTop({ configuration: { authorizedAppIds: ids } }), 'authorizedAppIds')
    ).toHaveLength(1)
    expect(
      summary(
        withTop({ configuration: { authorizedAppIds: ids.map((_, i) => i) } }),
        'authorizedAppIds'
      )
    ).toHaveLength(1)
    expect(summary(withMatch({ baseUrls: ids.map((_, i) => i) }), 'baseUrls')).toHaveLength(1)
    const keys = Object.fromEntries(ids.map(id => [id, 1]))
    expect(summary(withResolver(keys), 'keys')).toHaveLength(1)
    const groups = withResolver({ itemId: ids.map(id => `{${id}}`).join('') })
    expect(summary(groups, 'itemId groups')).toHaveLength(1)
  })

  it('checks the GUID form whole, not a GUID inside a longer text', () => {
    const guid = '6a6b2e0c-5f3c-4a8e-9d2b-0c1e2f3a4b5c'
    const source = withTop({
      configuration: { authorizedAppIds: [`x${guid}`, `${guid}x`, guid.toUpperCase()] }
    })
    expect(checkConnector(source, V1).findings.map(f => f.property)).toEqual([
      'configuration.authorizedAppIds[0]',
      'configuration.authorizedAppIds[1]'
    ])
  })

  it('takes priorities within Int32, and resolvers up to 8 without a warning', () => {
    expect(rules(withTemplate({ priority: -(2 ** 31) }))).toEqual(['template-priority'])
    expect(the('template-priority', withTemplate({ priority: -(2 ** 31) - 1 })).rule).toBe(
      'template-priority'
    )
    const eight = Array.from({ length: 8 }, (_, i) => ({ ...RESOLVER, priority: i + 1 }))
    expect(rules(withTop({ activitySettings: { urlToItemResolvers: eight } }))).toEqual([])
  })

  it("accepts Graph's resolver type with or without its #, in any casing", () => {
    for (const type of [ITEM_ID_RESOLVER_TYPE, ITEM_ID_RESOLVER_TYPE.slice(1).toUpperCase()]) {
      expect(rules(withResolver({ '@odata.type': type }))).toEqual([])
    }
    expect(rules(withResolver({ '@odata.type': `x${ITEM_ID_RESOLVER_TYPE}` }))).toEqual([
      'resolver-type'
    ])
  })

  it('warns about connectorId and ingestedItemsCount as set by Graph, on v1.0 too', () => {
    expect(warned('graph-set-field', withTop({ connectorId: 'x' })).property).toBe('connectorId')
    expect(warned('graph-set-field', withTop({ ingestedItemsCount: 3 })).property).toBe(
      'ingestedItemsCount'
    )
  })

  it('reads a file of exactly the size bound', () => {
    const exact = '{' + ' '.repeat(MAX_LOADED_FILE - 2) + '}'
    const load = (path: string) => (path === 'schema.json' ? exact : FILES[path])
    expect(
      checkConnector(withTop({ schema: 'schema.json' }), { ...V1, load }).connector?.schema?.file
    ).toBe('schema.json')
  })

  it('leaves out of a template the rules it does not have, and ignores null experiences', () => {
    const fields = checkConnector(withTemplate({ rules: undefined }), V1).connector?.fields as Json
    const [template] = (fields.searchSettings as { searchResultTemplates: Json[] })
      .searchResultTemplates
    expect(template).not.toHaveProperty('rules')
    expect(rules(withTop({ enabledContentExperiences: null }), BETA)).toEqual([])
  })

  it('reports an inline card without its type at the layout, and in no other file', () => {
    const source = withTemplate({ layout: { type: 'Card' } })
    const finding = warned('layout-card', source)
    expect(finding).not.toHaveProperty('file')
    expect(finding).toMatchObject(positionOf(source, '"layout"'))
  })

  it('orders findings by line and column, those of other files last', () => {
    const compact = JSON.stringify({ id: 'contosokb', name: 'n', zzz: 1, schema: 5 })
    expect(checkConnector(compact, V1).findings.map(f => [f.rule, f.column])).toEqual([
      ['unknown-key', compact.indexOf('"zzz"') + 1],
      ['schema', compact.indexOf('"schema"') + 1]
    ])
    const load = (path: string) => ({ 'a.json': '{}', 'b.json': '[]' })[path]
    const source = text({
      id: 'contosokb',
      searchSettings: {
        searchResultTemplates: [
          { ...TEMPLATE, layout: 'a.json' },
          { ...TEMPLATE, id: 'b', priority: 2, layout: 'b.json' }
        ]
      },
      name: 'n',
      zzz: 1
    })
    const found = checkConnector(source, { ...V1, load }).findings
    expect(found.map(f => [f.rule, f.file])).toEqual([
      ['unknown-key', undefined],
      ['layout-card', 'a.json'],
      ['layout', 'b.json']
    ])
  })
})

describe('checkConnector: edges of the rules', () => {
  it('lists a finding in another file after one of the connector file found later', () => {
    // The layout file's finding is found first (searchSettings comes before description in the
    // file) and is on line 1 of its own file: it still goes after the connector file's own.
    const load = (path: string) => ({ 'b.json': '[]' })[path]
    const source = text({
      id: 'contosokb',
      name: 'n',
      searchSettings: { searchResultTemplates: [{ ...TEMPLATE, layout: 'b.json' }] },
      description: 5
    })
    expect(checkConnector(source, { ...V1, load }).findings.map(f => [f.rule, f.file])).toEqual([
      ['description', undefined],
      ['layout', 'b.json']
    ])
  })

  it('keeps only line breaks outside an inline schema, up to the end of the file', () => {
    const last = text({ id: 'contosokb', name: 'KB', schema: SCHEMA }).replace(/\n/g, '\r\n\t')
    const schemaText = checkConnector(last, V1).connector?.schema?.text ?? ''
    expect(JSON.parse(schemaText)).toEqual(SCHEMA)
    const before = schemaText.slice(0, schemaText.indexOf('{'))
    const after = schemaText.slice(schemaText.lastIndexOf('}') + 1)
    expect(before).toMatch(/^[ \n]+$/)
    expect(after).toMatch(/^[ \n]+$/)
    expect(after.split('\n')).toHaveLength(2)
  })

  it('reads what it can of an inline schema whatever its shape, and leaves the rest to checkSchema', () => {
    const rule = { searchSettings: { searchResultTemplates: [{ ...TEMPLATE }] } }
    // No property list: no property names, so no rule is checked against them.
    for (const properties of [undefined, 'title', { name: 'title' }]) {
      const source = withTop({ schema: { ...SCHEMA, properties }, ...rule })
      expect(rules(source)).toEqual([])
    }
    // Properties that are no objects, names that are no strings, labels that are no strings.
    const odd = {
      ...SCHEMA,
      properties: [null, 5, { type: 'string' }, { name: 7 }, { name: 'category', labels: [3] }]
    }
    expect(checkConnector(withTop({ schema: odd }), V1).findings).toEqual([])
    const stillNamed = withTop({
      schema: odd,
      searchSettings: {
        searchResultTemplates: [{ ...TEMPLATE, rules: [{ ...TEMPLATE.rules[0], property: '7' }] }]
      }
    })
    expect(rules(stillNamed)).toEqual(['rule-property'])
    const personAfterOdd = {
      ...SCHEMA,
      properties: [null, { name: 'upn', labels: [3, 'personAccount'] }]
    }
    expect(rules(withTop({ schema: personAfterOdd, searchSettings: undefined }))).toEqual([
      'people-category'
    ])
  })

  it('takes one property with one person label among others as a people connector', () => {
    const mixed = {
      ...SCHEMA,
      properties: [...SCHEMA.properties, { name: 'upn', labels: ['title', 'personAccount'] }]
    }
    expect(rules(withTop({ schema: mixed, searchSettings: undefined }))).toEqual([
      'people-category'
    ])
  })

  it('reads the names and person labels of only the properties checkSchema looks at', () => {
    const filler = Array.from({ length: 160 }, (_, i) => ({ name: `p${i}`, type: 'string' }))
    const late = { ...SCHEMA, properties: [...filler, { name: 'category', labels: ['personX'] }] }
    // The 161st property is not read: its name is unknown to the rules, its label makes no
    // people connector.
    expect(rules(withTop({ schema: late }))).toEqual(['rule-property'])
    const labels = [...Array.from({ length: 160 }, () => 'title'), 'personAccount']
    const lateLabel = { ...SCHEMA, properties: [{ name: 'category', labels }] }
    expect(rules(withTop({ schema: lateLabel }))).toEqual([])
  })

  it('takes a resolver type with its # only in front', () => {
    expect(
      warned('resolver-type', withResolver({ '@odata.type': `${ITEM_ID_RESOLVER_TYPE.slice(1)}#` }))
        .property
    ).toBe('activitySettings.urlToItemResolvers[0].@odata.type')
  })

  it('reads itemId groups only within the bound of a pattern', () => {
    const itemId = `{slug}${'x'.repeat(MAX_URL_PATTERN)}{nope}`
    expect(rules(withResolver({ itemId }))).toEqual([])
    expect(rules(withResolver({ itemId: `{slug}{nope}` }))).toEqual(['item-id-group'])
  })

  it('looks at only the first items of each list, whatever comes after', () => {
    const many = <T>(item: (i: number) => T, last: unknown): unknown[] => [
      ...Array.from({ length: MAX_CHECKED_ITEMS }, (_, i) => item(i)),
      last
    ]
    const guid = '6a6b2e0c-5f3c-4a8e-9d2b-0c1e2f3a4b5c'
    expect(rules(withTop({ configuration: { authorizedAppIds: many(() => guid, 5) } }))).toEqual([])
    expect(rules(withMatch({ baseUrls: many(() => 'https://kb.contoso.com', 5) }))).toEqual([])
    expect(rules(withRule({ values: many(() => 'howto', 5) }))).toEqual([])
    const rule = TEMPLATE.rules[0]
    expect(rules(withTemplate({ rules: many(() => rule, 5) }))).toEqual([])
    const templates = many(i => ({ ...TEMPLATE, id: `t${i}`, priority: i + 1 }), 5)
    const check = checkConnector(
      withTop({ complianceSettings: { eDiscoveryResultTemplates: templates } }),
      BETA
    )
    expect(check.findings).toEqual([])
    const fields = check.connector?.fields.complianceSettings as { eDiscoveryResultTemplates: [] }
    expect(fields.eDiscoveryResultTemplates).toHaveLength(MAX_CHECKED_ITEMS + 1)
    expect(fields.eDiscoveryResultTemplates.at(-1)).toBe(5)
  })

  it('takes settings without their list as written', () => {
    for (const searchSettings of [{}, { searchResultTemplates: null }]) {
      const check = checkConnector(withTop({ searchSettings }), V1)
      expect(check.findings).toEqual([])
      expect(check.connector?.fields.searchSettings).toEqual(searchSettings)
    }
    for (const complianceSettings of [{}, { eDiscoveryResultTemplates: null }]) {
      const check = checkConnector(withTop({ complianceSettings }), BETA)
      expect(check.findings).toEqual([])
      expect(check.connector?.fields.complianceSettings).toEqual(complianceSettings)
    }
  })

  it('tells to write the card as an object only for a layout string that holds one', () => {
    const empty = the('layout', withTemplate({ layout: '' }))
    expect(empty.message).toContain('found an empty string.')
    expect(empty.message).not.toContain('not as a string')
    expect(the('layout', withTemplate({ layout: ' {"type"' })).message).toContain(
      'Write the card as a JSON object, not as a string.'
    )
  })

  it('refuses an empty rule property and an empty valuesJoinedBy', () => {
    expect(the('rule-property', withRule({ property: '' })).message).toContain(
      'a rule needs a "property"'
    )
    expect(the('rule-joined-by', withRule({ valuesJoinedBy: '' })).message).toContain(
      'a rule needs "valuesJoinedBy"'
    )
  })

  it('puts a finding about a key the file lacks at the start of the file', () => {
    const finding = the('name', withTop({ name: undefined }))
    expect(finding).toMatchObject({ property: 'name', line: 1, column: 1 })
  })

  it('takes the least Int32 as a priority, a warning below 1, not an error', () => {
    expect(warned('template-priority', withTemplate({ priority: -(2 ** 31) })).message).toContain(
      'the docs ask for a positive value'
    )
  })
})
