import { describe, expect, it } from '@jest/globals'
import { diffSchemas, normalizeSchema } from '../../src/engine/schema-diff.js'

type Json = Record<string, unknown>

// What a schema file says.
const FILE = {
  baseType: 'microsoft.graph.externalItem',
  properties: [
    {
      name: 'ticketTitle',
      type: 'string',
      isSearchable: true,
      isRetrievable: true,
      labels: ['title']
    },
    {
      name: 'priority',
      type: 'string',
      isQueryable: true,
      isRetrievable: true,
      isRefinable: true,
      aliases: ['urgency', 'importance']
    },
    { name: 'assignee', type: 'string', isRetrievable: true, description: 'Who works on it.' },
    { name: 'tags', type: 'stringCollection', rankingHint: { importanceScore: 'high' } }
  ]
}

// The same schema as Graph's GET may answer it: annotations, capitalised enums, another order,
// explicit false flags, empty or null arrays, and null for what is unset.
const FROM_GRAPH = {
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#external/connections/x/schema',
  baseType: 'microsoft.graph.externalConnector.externalItem',
  properties: [
    {
      name: 'Assignee',
      type: 'String',
      isSearchable: false,
      isRetrievable: true,
      isQueryable: false,
      isRefinable: false,
      isExactMatchRequired: null,
      labels: [],
      aliases: null,
      description: 'Who works on it.',
      rankingHint: null
    },
    {
      name: 'tags',
      type: 'StringCollection',
      isSearchable: null,
      labels: null,
      aliases: [],
      rankingHint: { importanceScore: 'High' }
    },
    {
      name: 'priority',
      type: 'string',
      isQueryable: true,
      isRetrievable: true,
      isRefinable: true,
      isSearchable: false,
      aliases: ['Importance', 'urgency'],
      labels: []
    },
    {
      '@odata.type': '#microsoft.graph.externalConnectors.property',
      name: 'ticketTitle',
      type: 'string',
      isSearchable: true,
      isRetrievable: true,
      labels: ['Title']
    }
  ]
}

/** The file's schema with one property changed (or removed, when `change` is null). */
function fileWith(name: string, change: Json | null): Json {
  const properties = FILE.properties
    .filter(p => change !== null || p.name !== name)
    .map(p => (p.name === name ? { ...p, ...change } : p))
  return { ...FILE, properties }
}

const NOTHING = { same: true, added: [], removed: [], changed: [], warnings: [] }

describe('normalizeSchema', () => {
  it('makes a file and the Graph answer for it equal', () => {
    expect(normalizeSchema(FROM_GRAPH)).toEqual(normalizeSchema(FILE))
  })

  it('spells each property out, with defaults for what is unset', () => {
    const normalized = normalizeSchema({ properties: [{ name: 'Priority', type: 'Int64' }] })
    expect(normalized).toEqual({
      baseType: 'microsoft.graph.externalitem',
      properties: [
        {
          name: 'priority',
          type: 'int64',
          isSearchable: false,
          isRetrievable: false,
          isQueryable: false,
          isRefinable: false,
          isExactMatchRequired: false,
          labels: [],
          aliases: [],
          description: '',
          rankingHint: ''
        }
      ]
    })
  })

  it('sorts properties by name and keeps the last of a repeated name', () => {
    const normalized = normalizeSchema({
      properties: [
        { name: 'b', type: 'string' },
        { name: 'A', type: 'string' },
        { name: 'a', type: 'int64' }
      ]
    })
    expect(normalized.properties.map(p => [p.name, p.type])).toEqual([
      ['a', 'int64'],
      ['b', 'string']
    ])
  })

  it('sorts labels and aliases, lowers their case and drops repeats', () => {
    const normalized = normalizeSchema({
      properties: [
        { name: 'a', type: 'string', labels: ['URL', 'title'], aliases: ['B', 'a', 'b'] }
      ]
    })
    expect(normalized.properties[0]).toMatchObject({
      labels: ['title', 'url'],
      aliases: ['a', 'b']
    })
  })

  it('reads each flag as true only when it is true', () => {
    const flags = {
      isSearchable: true,
      isRetrievable: true,
      isQueryable: true,
      isRefinable: true,
      isExactMatchRequired: true
    }
    const [set, unset] = normalizeSchema({
      properties: [
        { name: 'a', type: 'string', ...flags },
        { name: 'b', type: 'string', isSearchable: 'true', isRetrievable: 1 }
      ]
    }).properties
    expect(set).toMatchObject(flags)
    expect(unset).toMatchObject({ isSearchable: false, isRetrievable: false })
  })

  it('keeps only the strings among labels and aliases', () => {
    const normalized = normalizeSchema({
      properties: [
        { name: 'a', type: 'string', labels: [1, null, 'Title'], aliases: [true, {}, 'X'] }
      ]
    })
    expect(normalized.properties[0]).toMatchObject({ labels: ['title'], aliases: ['x'] })
  })

  it('reads a schema wrapped in "value", as the v1.0 Get schema example shows it', () => {
    expect(normalizeSchema({ value: FROM_GRAPH })).toEqual(normalizeSchema(FILE))
  })

  it('reads a schema that has "properties" as it is, even beside a "value"', () => {
    const normalized = normalizeSchema({
      properties: [{ name: 'outer', type: 'string' }],
      value: { properties: [{ name: 'inner', type: 'string' }] }
    })
    expect(normalized.properties.map(p => p.name)).toEqual(['outer'])
  })

  it('yields an empty schema from anything that is not one', () => {
    for (const value of [
      null,
      'schema',
      [],
      { properties: 'x' },
      { properties: [1, { type: 's' }] }
    ]) {
      expect(normalizeSchema(value).properties).toEqual([])
    }
  })
})

describe('diffSchemas', () => {
  it('finds nothing between a file and the Graph answer for it', () => {
    expect(diffSchemas(FROM_GRAPH, FILE)).toEqual(NOTHING)
    expect(diffSchemas(FILE, FILE)).toEqual(NOTHING)
  })

  it('treats a missing baseType as the default one', () => {
    expect(diffSchemas(FROM_GRAPH, { properties: FILE.properties })).toEqual(NOTHING)
  })

  it('finds an added property', () => {
    const desired = { ...FILE, properties: [...FILE.properties, { name: 'due', type: 'dateTime' }] }
    expect(diffSchemas(FROM_GRAPH, desired)).toEqual({ ...NOTHING, same: false, added: ['due'] })
  })

  it('finds a removed property and warns that removal is not a documented update', () => {
    const diff = diffSchemas(FROM_GRAPH, fileWith('tags', null))
    expect(diff).toMatchObject({ same: false, added: [], removed: ['tags'], changed: [] })
    expect(diff.warnings).toEqual([
      "Property 'tags' would be removed; removing a property is not a documented schema update, so Graph may refuse it."
    ])
  })

  it('names each field that changed', () => {
    const desired = fileWith('priority', {
      isQueryable: false,
      aliases: ['urgency'],
      labels: ['createdBy'],
      description: 'How urgent.',
      rankingHint: { importanceScore: 'low' },
      isExactMatchRequired: true
    })
    expect(diffSchemas(FROM_GRAPH, desired)).toEqual({
      ...NOTHING,
      same: false,
      changed: [
        {
          name: 'priority',
          fields: [
            'isQueryable',
            'isExactMatchRequired',
            'labels',
            'aliases',
            'description',
            'rankingHint'
          ]
        }
      ]
    })
  })

  it('finds a changed flag and a changed alias', () => {
    const flag = diffSchemas(FROM_GRAPH, fileWith('assignee', { isRetrievable: false }))
    expect(flag.changed).toEqual([{ name: 'assignee', fields: ['isRetrievable'] }])
    const alias = diffSchemas(FROM_GRAPH, fileWith('priority', { aliases: ['urgency', 'rank'] }))
    expect(alias.changed).toEqual([{ name: 'priority', fields: ['aliases'] }])
    expect(alias.warnings).toEqual([])
  })

  it.each(['isSearchable', 'isRetrievable', 'isQueryable', 'isRefinable', 'isExactMatchRequired'])(
    'finds a changed %s',
    flag => {
      const diff = diffSchemas(FROM_GRAPH, fileWith('tags', { [flag]: true }))
      expect(diff).toMatchObject({ same: false, added: [], removed: [] })
      expect(diff.changed).toEqual([{ name: 'tags', fields: [flag] }])
    }
  )

  it('warns about a type change', () => {
    const diff = diffSchemas(FROM_GRAPH, fileWith('priority', { type: 'int64' }))
    expect(diff.changed).toEqual([{ name: 'priority', fields: ['type'] }])
    expect(diff.warnings).toEqual([
      "Property 'priority' would change type from 'string' to 'int64'; changing a type is not a documented schema update, so Graph may refuse it."
    ])
  })

  it('warns when an existing property would become refinable', () => {
    const diff = diffSchemas(FROM_GRAPH, fileWith('assignee', { isRefinable: true }))
    expect(diff.changed).toEqual([{ name: 'assignee', fields: ['isRefinable'] }])
    expect(diff.warnings).toEqual([
      "Property 'assignee' would become refinable; the docs say a refiner cannot be added as a schema change."
    ])
  })

  it('warns about what looks like a rename', () => {
    const diff = diffSchemas(FROM_GRAPH, fileWith('assignee', { name: 'owner' }))
    expect(diff).toMatchObject({
      same: false,
      added: ['owner'],
      removed: ['Assignee'],
      changed: []
    })
    expect(diff.warnings).toEqual([
      "Property 'Assignee' would be removed and 'owner' added with the same definition; a rename is not a documented schema update, so Graph may refuse it."
    ])
  })

  it('pairs each added property with at most one removed one', () => {
    const current = {
      properties: [
        { name: 'a', type: 'string' },
        { name: 'b', type: 'string' }
      ]
    }
    const desired = { properties: [{ name: 'c', type: 'string' }] }
    const warnings = diffSchemas(current, desired).warnings
    expect(warnings).toHaveLength(2)
    expect(warnings[0]).toContain("'a' would be removed and 'c' added")
    expect(warnings[1]).toContain("'b' would be removed; removing")
  })

  it('sees no rename when the added property differs in any field', () => {
    const current = { properties: [{ name: 'a', type: 'string', isRetrievable: true }] }
    const desired = { properties: [{ name: 'c', type: 'int64', isRetrievable: true }] }
    expect(diffSchemas(current, desired)).toEqual({
      ...NOTHING,
      same: false,
      added: ['c'],
      removed: ['a'],
      warnings: [
        "Property 'a' would be removed; removing a property is not a documented schema update, so Graph may refuse it."
      ]
    })
  })

  it('finds a different baseType', () => {
    const diff = diffSchemas(FROM_GRAPH, { ...FILE, baseType: 'microsoft.graph.other' })
    expect(diff.same).toBe(false)
    expect(diff.warnings).toEqual([
      "baseType would change from 'microsoft.graph.externalitem' to 'microsoft.graph.other'."
    ])
  })

  it('ignores a change of letter case in a name', () => {
    expect(diffSchemas(FROM_GRAPH, fileWith('priority', { name: 'PRIORITY' }))).toEqual(NOTHING)
  })

  it('keeps names in warnings on one line and short', () => {
    const name = 'bad\nname\u202e' + 'x'.repeat(100)
    const diff = diffSchemas({ properties: [{ name, type: 'string' }] }, { properties: [] })
    expect(diff.removed).toEqual([name])
    expect(diff.warnings[0]).toMatch(/^Property 'bad\\u000aname\\u202ex+…' would be removed/)
    expect(diff.warnings[0]).toMatch(/^[\x20-\x7e…]+$/)
  })

  it.each([
    [64, 'n'.repeat(64)],
    [65, 'n'.repeat(64) + '…']
  ])('cuts a quoted name only past 64 characters (%i)', (length, quoted) => {
    const diff = diffSchemas({ properties: [{ name: 'n'.repeat(length), type: 'string' }] }, {})
    expect(diff.warnings).toEqual([
      `Property '${quoted}' would be removed; removing a property is not a documented schema update, so Graph may refuse it.`
    ])
  })
})
