import { describe, expect, it } from '@jest/globals'
import {
  MAX_DEPTH,
  describeChange,
  diffConnection,
  normalizeField,
  patchBody,
  type FieldChange
} from '../../src/engine/connection-diff.js'

type Json = Record<string, unknown>

const CARD = {
  type: 'AdaptiveCard',
  version: '1.3',
  body: [{ type: 'TextBlock', text: '${title}' }]
}
const RESOLVER = {
  '@odata.type': '#microsoft.graph.externalConnectors.itemIdResolver',
  priority: 1,
  itemId: '{slug}',
  urlMatchInfo: { baseUrls: ['https://kb.contoso.com'], urlPattern: '/a/(?<slug>[a-z]+)' }
}
const RESOLVER_2 = { ...RESOLVER, priority: 2, itemId: 'legacy-{slug}' }
const TEMPLATE = {
  id: 'articles',
  priority: 1,
  layout: CARD,
  rules: [{ property: 'category', operation: 'equals', values: ['howto'], valuesJoinedBy: 'or' }]
}
const TEMPLATE_2 = { ...TEMPLATE, id: 'faq', priority: 2 }
const APP = '6a6b2e0c-5f3c-4a8e-9d2b-0c1e2f3a4b5c'
const APP_2 = '0f0e0d0c-0b0a-4090-8070-605040302010'

// What a connector file writes (Connector.fields).
const DESIRED: Json = {
  name: 'Contoso knowledge base',
  description: 'How-to articles.',
  contentCategory: 'knowledgeBase',
  activitySettings: { urlToItemResolvers: [RESOLVER, RESOLVER_2] },
  searchSettings: { searchResultTemplates: [TEMPLATE, TEMPLATE_2] },
  configuration: { authorizedAppIds: [APP, APP_2] }
}

// The same connection as Graph's GET may answer it: annotations, read-only fields, another casing,
// another order, the resolver's type left out, the layout serialized, and nulls for what is unset.
const FROM_GRAPH: Json = {
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#external/connections/$entity',
  id: 'contosokb',
  name: 'Contoso knowledge base',
  description: 'How-to articles.',
  state: 'ready',
  connectorId: null,
  contentCategory: 'KnowledgeBase',
  activitySettings: {
    '@odata.type': '#microsoft.graph.externalConnectors.activitySettings',
    urlToItemResolvers: [
      { ...RESOLVER_2, '@odata.type': undefined },
      { ...RESOLVER, urlMatchInfo: { ...RESOLVER.urlMatchInfo, '@odata.type': '#x' } }
    ]
  },
  searchSettings: {
    searchResultTemplates: [
      {
        ...TEMPLATE_2,
        rules: [{ ...TEMPLATE.rules[0], operation: 'Equals', valuesJoinedBy: 'Or' }]
      },
      { ...TEMPLATE, layout: JSON.stringify(CARD) }
    ]
  },
  configuration: { authorizedAppIds: [APP_2.toUpperCase(), APP] }
}

describe('diffConnection', () => {
  it("finds nothing when Graph's answer is the file after what Graph fills in", () => {
    expect(diffConnection(FROM_GRAPH, DESIRED)).toEqual([])
  })

  it('finds a changed description, and only that', () => {
    const changes = diffConnection(FROM_GRAPH, { ...DESIRED, description: 'New text.' })
    expect(changes).toEqual([{ field: 'description', from: 'How-to articles.', to: 'New text.' }])
    expect(patchBody(changes)).toEqual({ description: 'New text.' })
  })

  it('compares only the fields the file writes: the rest is not managed', () => {
    expect(diffConnection(FROM_GRAPH, { name: 'Contoso knowledge base' })).toEqual([])
    expect(diffConnection({ name: 'a', description: 'x' }, { name: 'b' })).toEqual([
      { field: 'name', from: 'a', to: 'b' }
    ])
    expect(diffConnection(FROM_GRAPH, {})).toEqual([])
  })

  it("ignores the file's own OData annotations", () => {
    expect(diffConnection({}, { '@odata.type': 'x' })).toEqual([])
  })

  it('takes null, absent, empty text and empty lists and objects as one "not set"', () => {
    const unset = [
      undefined,
      null,
      '',
      [],
      {},
      { authorizedAppIds: [] },
      { authorizedAppIds: null }
    ]
    for (const a of unset) {
      for (const b of unset) {
        expect(diffConnection({ configuration: a }, { configuration: b })).toEqual([])
      }
    }
    expect(diffConnection({ description: null }, { description: '' })).toEqual([])
    expect(diffConnection({}, { description: null })).toEqual([])
  })

  it('sees a value set where Graph has none, and one cleared', () => {
    expect(diffConnection({ description: null }, { description: 'x' })).toEqual([
      { field: 'description', from: null, to: 'x' }
    ])
    expect(diffConnection({ description: 'x' }, { description: null })).toEqual([
      { field: 'description', from: 'x', to: null }
    ])
    const apps = { configuration: { authorizedAppIds: [APP] } }
    expect(diffConnection(apps, { configuration: { authorizedAppIds: [] } })).toHaveLength(1)
  })

  it('compares contentCategory ignoring case, but not another category', () => {
    expect(diffConnection({ contentCategory: 'WIKIS' }, { contentCategory: 'wikis' })).toEqual([])
    expect(diffConnection({ contentCategory: 'wikis' }, { contentCategory: 'qna' })).toHaveLength(1)
  })

  it('sends a changed collection whole', () => {
    const desired = { ...DESIRED, activitySettings: { urlToItemResolvers: [RESOLVER] } }
    const changes = diffConnection(FROM_GRAPH, desired)
    expect(changes.map(change => change.field)).toEqual(['activitySettings'])
    expect(patchBody(changes)).toEqual({ activitySettings: { urlToItemResolvers: [RESOLVER] } })
  })

  it('sees a change inside a resolver, a template, a rule or a layout', () => {
    const resolver = {
      ...RESOLVER,
      urlMatchInfo: { ...RESOLVER.urlMatchInfo, urlPattern: '/b/(?<slug>.+)' }
    }
    const changed = (field: string, value: unknown) =>
      diffConnection(FROM_GRAPH, { ...DESIRED, [field]: value }).map(change => change.field)
    expect(changed('activitySettings', { urlToItemResolvers: [resolver, RESOLVER_2] })).toEqual([
      'activitySettings'
    ])
    const rule = { ...TEMPLATE.rules[0], values: ['faq'] }
    expect(
      changed('searchSettings', {
        searchResultTemplates: [{ ...TEMPLATE, rules: [rule] }, TEMPLATE_2]
      })
    ).toEqual(['searchSettings'])
    const card = { ...CARD, version: '1.4' }
    expect(
      changed('searchSettings', {
        searchResultTemplates: [{ ...TEMPLATE, layout: card }, TEMPLATE_2]
      })
    ).toEqual(['searchSettings'])
    expect(changed('configuration', { authorizedAppIds: [APP] })).toEqual(['configuration'])
  })

  it('takes eDiscovery result templates in any order, as Graph orders them by priority', () => {
    const compliance = (templates: unknown[]) => ({
      complianceSettings: { eDiscoveryResultTemplates: templates }
    })
    expect(
      diffConnection(compliance([TEMPLATE_2, TEMPLATE]), compliance([TEMPLATE, TEMPLATE_2]))
    ).toEqual([])
    expect(diffConnection(compliance([TEMPLATE]), compliance([TEMPLATE, TEMPLATE_2]))).toHaveLength(
      1
    )
    // A template the file gives no priority, which Graph answers as 0.
    const unranked = { ...TEMPLATE, priority: undefined }
    expect(
      diffConnection(compliance([{ ...TEMPLATE, priority: 0 }]), compliance([unranked]))
    ).toEqual([])
  })

  it("ignores the order of an object's members, at the top and inside a layout", () => {
    expect(
      diffConnection(
        { configuration: { b: 2, a: 1 }, activitySettings: { z: [{ q: 1, p: 2 }] } },
        { configuration: { a: 1, b: 2 }, activitySettings: { z: [{ p: 2, q: 1 }] } }
      )
    ).toEqual([])
    const template = (layout: unknown) => ({
      searchSettings: { searchResultTemplates: [{ ...TEMPLATE, layout }] }
    })
    const shuffled = { body: CARD.body, version: CARD.version, type: CARD.type }
    expect(diffConnection(template(JSON.stringify(shuffled)), template(CARD))).toEqual([])
    expect(JSON.stringify(normalizeField('x', { b: 1, a: 2 }))).toBe('{"a":2,"b":1}')
  })

  it('keeps the order of what is inside a template: rules and values', () => {
    const rules = [
      { property: 'a', operation: 'equals', values: ['1', '2'], valuesJoinedBy: 'or' },
      { property: 'b', operation: 'equals', values: ['3'], valuesJoinedBy: 'and' }
    ]
    const template = (r: unknown[]) => ({
      searchSettings: { searchResultTemplates: [{ ...TEMPLATE, rules: r }] }
    })
    expect(diffConnection(template(rules), template([rules[1], rules[0]]))).toHaveLength(1)
    const swapped = [{ ...rules[0], values: ['2', '1'] }, rules[1]]
    expect(diffConnection(template(rules), template(swapped))).toHaveLength(1)
  })

  it('reads enabledContentExperiences as a set of members, ignoring case and spaces', () => {
    const a = { enabledContentExperiences: 'search, compliance' }
    expect(diffConnection({ enabledContentExperiences: 'Compliance,Search' }, a)).toEqual([])
    expect(diffConnection({ enabledContentExperiences: 'search' }, a)).toHaveLength(1)
  })

  it('keeps a layout string that is not JSON as text', () => {
    const template = (layout: unknown) => ({
      searchSettings: { searchResultTemplates: [{ ...TEMPLATE, layout }] }
    })
    expect(diffConnection(template('{not json'), template('{not json'))).toEqual([])
    expect(diffConnection(template('{not json'), template(CARD))).toHaveLength(1)
    expect(diffConnection(template('plain'), template('plain'))).toEqual([])
  })

  it('compares values nested deeper than the bound as they are', () => {
    let deep: unknown = 'leaf'
    for (let i = 0; i < 40; i++) deep = { a: deep }
    expect(diffConnection({ x: deep }, { x: deep })).toEqual([])
    expect(diffConnection({ x: deep }, { x: { a: 1 } })).toHaveLength(1)
  })
})

describe('normalizeField', () => {
  it('strips annotations down to the depth bound, and compares deeper values as they are', () => {
    const nested = (depth: number, leaf: unknown): unknown => {
      let value = leaf
      for (let i = 0; i < depth; i++) value = { a: value }
      return value
    }
    // The leaf object is at depth `depth`; its annotation is stripped while that is within bound.
    for (const depth of [MAX_DEPTH - 1, MAX_DEPTH]) {
      expect(
        diffConnection(
          { x: nested(depth, { b: 1, '@odata.type': 't' }) },
          { x: nested(depth, { b: 1 }) }
        )
      ).toEqual([])
    }
    const deeper = MAX_DEPTH + 1
    expect(
      diffConnection(
        { x: nested(deeper, { b: 1, '@odata.type': 't' }) },
        { x: nested(deeper, { b: 1 }) }
      )
    ).toHaveLength(1)
    const listed = (depth: number) => normalizeField('x', nested(depth, [{ '@odata.id': 1, b: 2 }]))
    expect(JSON.stringify(listed(MAX_DEPTH - 1))).not.toContain('@odata')
    expect(JSON.stringify(listed(MAX_DEPTH))).toContain('@odata')
  })

  it('counts a layout read from its text one level below the text, down to the bound', () => {
    // {a: … {layout: text}}: the text is one level below the object that holds it, and the card
    // read from it one more, so a card at the bound is read and stripped, and a text past it is
    // not parsed at all: it is compared as the text it is.
    const holding = (depth: number, text: string): unknown => {
      let value: unknown = { layout: text }
      for (let i = 0; i < depth; i++) value = { a: value }
      return value
    }
    const cardAt = (depth: number): unknown => {
      let value: unknown = normalizeField('x', holding(depth - 2, '{"@odata.type":"t","b":1}'))
      for (let i = 0; i < depth - 2; i++) value = (value as { a: unknown }).a
      return (value as { layout: unknown }).layout
    }
    expect(cardAt(MAX_DEPTH)).toEqual({ b: 1 })
    expect(cardAt(MAX_DEPTH + 1)).toBe('{"@odata.type":"t","b":1}')
  })

  it('writes enabledContentExperiences as its sorted lower-case members', () => {
    expect(normalizeField('enabledContentExperiences', 'Search, ,Compliance')).toBe(
      'compliance,search'
    )
    expect(
      diffConnection({ enabledContentExperiences: 'ab,c' }, { enabledContentExperiences: 'a,bc' })
    ).toHaveLength(1)
  })

  it('reads a layout string that holds JSON as its object, and nothing else', () => {
    const layout = (value: unknown) =>
      normalizeField('searchSettings', { searchResultTemplates: [{ layout: value }] })
    expect(layout(' {"type": "AdaptiveCard", "@odata.type": "x"}')).toEqual({
      searchResultTemplates: [{ layout: { type: 'AdaptiveCard' }, priority: 0 }]
    })
    expect(layout('{not json')).toEqual({
      searchResultTemplates: [{ layout: '{not json', priority: 0 }]
    })
    expect(layout('123')).toEqual({ searchResultTemplates: [{ layout: '123', priority: 0 }] })
    expect(normalizeField('description', '{"a": 1}')).toBe('{"a": 1}')
  })

  it('compares a layout string nested too deeply as the text it is, without parsing it', () => {
    const deep = `{"a":${'['.repeat(300_000)}${']'.repeat(300_000)}}`
    const layout = normalizeField('searchSettings', {
      searchResultTemplates: [{ layout: deep, priority: 1 }]
    }) as { searchResultTemplates: { layout: unknown }[] }
    expect(layout.searchResultTemplates[0].layout).toBe(deep)
    expect(
      diffConnection(
        { searchSettings: { searchResultTemplates: [{ layout: deep, priority: 1 }] } },
        { searchSettings: { searchResultTemplates: [{ layout: { a: [] }, priority: 1 }] } }
      )
    ).toHaveLength(1)
  })

  it("gives a template without a priority Graph's 0: its priority is not nullable", () => {
    const templates = (priority?: number | null) => ({
      searchSettings: { searchResultTemplates: [{ id: 't', layout: {}, priority }] }
    })
    expect(diffConnection(templates(0), templates())).toEqual([])
    expect(diffConnection(templates(0), templates(null))).toEqual([])
    expect(diffConnection(templates(1), templates())).toHaveLength(1)
    // Resolvers' priority is nullable: no default.
    expect(normalizeField('activitySettings', { urlToItemResolvers: [{ itemId: '{a}' }] })).toEqual(
      { urlToItemResolvers: [{ itemId: '{a}' }] }
    )
  })

  it('sorts the members of a set, keeping repeats', () => {
    expect(normalizeField('configuration', { authorizedAppIds: ['B', 'a', 'b'] })).toEqual({
      authorizedAppIds: ['a', 'b', 'b']
    })
    expect(
      normalizeField('activitySettings', { urlToItemResolvers: [{ p: 2 }, { p: 1 }] })
    ).toEqual({ urlToItemResolvers: [{ p: 1 }, { p: 2 }] })
    expect(normalizeField('x', { rules: [{ p: 2 }, { p: 1 }] })).toEqual({
      rules: [{ p: 2 }, { p: 1 }]
    })
  })

  it('gives one form to what Graph does not tell apart', () => {
    expect(normalizeField('description', '')).toBeUndefined()
    expect(
      normalizeField('configuration', { '@odata.type': 'x', authorizedAppIds: [APP.toUpperCase()] })
    ).toEqual({
      authorizedAppIds: [APP]
    })
    expect(normalizeField('name', 'Mixed Case')).toBe('Mixed Case')
    expect(normalizeField('x', [null, 1])).toEqual([1])
    expect(normalizeField('x', 3)).toBe(3)
    expect(normalizeField('x', false)).toBe(false)
  })
})

describe('patchBody', () => {
  it('is one object with each changed field as the file writes it, null included', () => {
    const changes: FieldChange[] = [
      { field: 'name', from: 'a', to: 'b' },
      { field: 'description', from: 'x', to: null }
    ]
    expect(patchBody(changes)).toEqual({ name: 'b', description: null })
    expect(patchBody([])).toEqual({})
  })
})

describe('describeChange', () => {
  it('says old → new on one line', () => {
    expect(describeChange({ field: 'description', from: 'Old', to: 'New' })).toBe(
      "description: 'Old' → 'New'"
    )
    expect(describeChange({ field: 'description', from: undefined, to: 'New' })).toBe(
      "description: (not set) → 'New'"
    )
    expect(describeChange({ field: 'description', from: 'Old', to: null })).toBe(
      "description: 'Old' → (not set)"
    )
    expect(describeChange({ field: 'configuration', from: { a: 1 }, to: { a: 2 } })).toBe(
      'configuration.a: 1 → 2'
    )
  })

  it('names the first place two collections differ, past what a line would show', () => {
    const template = (priority: number) => ({
      id: 'kbarticle',
      layout: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'x'.repeat(100) }] },
      priority
    })
    expect(
      describeChange({
        field: 'searchSettings',
        from: { searchResultTemplates: [template(0)] },
        to: { searchResultTemplates: [template(1)] }
      })
    ).toBe('searchSettings.searchResultTemplates[0].priority: 0 → 1')
    expect(
      describeChange({
        field: 'configuration',
        from: { authorizedAppIds: [] },
        to: { authorizedAppIds: [APP] }
      })
    ).toBe(`configuration: {"authorizedAppIds":[]} → {"authorizedAppIds":["${APP}"]}`)
    expect(describeChange({ field: 'x', from: [1, 2], to: [1, 2, 3] })).toBe(
      'x: 2 items [1,2] → 3 items [1,2,3]'
    )
  })

  it('follows a list to the item that differs, not the first', () => {
    expect(
      describeChange({ field: 'x', from: [{ a: 1 }, { a: 2 }], to: [{ a: 1 }, { a: 3 }] })
    ).toBe('x[1].a: 2 → 3')
  })

  it(`follows at most ${MAX_DEPTH + 1} levels in, and shows what differs below them whole`, () => {
    const nested = (value: number) => {
      let object: unknown = value
      for (let i = 0; i < MAX_DEPTH + 8; i++) object = { a: object }
      return object
    }
    const line = describeChange({ field: 'x', from: nested(1), to: nested(2) })
    expect(line).toMatch(new RegExp(`^x(?:\\.a){${MAX_DEPTH + 1}}: \\{"a"`))
  })

  it('counts the items of a list', () => {
    expect(describeChange({ field: 'x', from: [1], to: [1, 2] })).toBe(
      'x: 1 item [1] → 2 items [1,2]'
    )
  })

  it('makes the text inert and bounded', () => {
    const line = describeChange({
      field: 'name\n::error::',
      from: 'a\u001b[31m',
      to: 'x'.repeat(10_000)
    })
    expect(line).not.toMatch(/[\n\u001b]/) // eslint-disable-line no-control-regex
    expect(line).toContain('name\\n::error::')
    expect(line.length).toBeLessThan(250)
    const big = describeChange({
      field: 'x',
      from: [],
      to: Array.from({ length: 1000 }, () => 'abc')
    })
    expect(big.length).toBeLessThan(250)
    expect(big).toContain('1000 items')
  })
})
