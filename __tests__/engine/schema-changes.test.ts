import { describe, expect, it } from '@jest/globals'
import {
  classifySchemaChanges,
  recreateAdvice,
  type SchemaChange
} from '../../src/engine/schema-changes.js'

type Json = Record<string, unknown>

const PROPERTIES: Json[] = [
  { name: 'title', type: 'string', isSearchable: true, isRetrievable: true, labels: ['title'] },
  {
    name: 'category',
    type: 'string',
    isQueryable: true,
    isRetrievable: true,
    isRefinable: true,
    aliases: ['topic', 'kind']
  },
  { name: 'body', type: 'string', isSearchable: true }
]
const SCHEMA = { baseType: 'microsoft.graph.externalItem', properties: PROPERTIES }

/** The schema with one property changed (keys set to undefined are dropped). */
function withProperty(name: string, change: Json): Json {
  return {
    ...SCHEMA,
    properties: PROPERTIES.map(p => (p.name === name ? { ...p, ...change } : p))
  }
}

function classes(current: unknown, desired: unknown): [string, string, string][] {
  return classifySchemaChanges(current, desired).map(c => [c.property, c.change, c.class])
}

function only(current: unknown, desired: unknown, connectionId?: string): SchemaChange {
  const changes = classifySchemaChanges(current, desired, connectionId)
  expect(changes).toHaveLength(1)
  return changes[0]
}

describe('classifySchemaChanges', () => {
  it('finds nothing between a schema and itself as Graph answers it', () => {
    const fromGraph = {
      value: {
        baseType: 'microsoft.graph.externalConnector.externalItem',
        properties: PROPERTIES.map(p => ({
          ...p,
          name: (p.name as string).toUpperCase(),
          type: 'String',
          isExactMatchRequired: false,
          labels: (p.labels as string[] | undefined) ?? []
        }))
      }
    }
    expect(classifySchemaChanges(fromGraph, SCHEMA)).toEqual([])
  })

  it('accepts an added property, as documented', () => {
    const desired = { ...SCHEMA, properties: [...PROPERTIES, { name: 'url', type: 'string' }] }
    expect(only(SCHEMA, desired)).toEqual({
      property: 'url',
      change: 'added',
      class: 'accepted',
      reason:
        "Property 'url' is added: Graph accepts it; re-ingesting the items is recommended, not required.",
      documented: true
    })
  })

  it('refuses a removed property, and says how to recreate the connection', () => {
    const desired = { ...SCHEMA, properties: PROPERTIES.slice(0, 2) }
    const change = only(SCHEMA, desired, 'contosokb')
    expect(change).toMatchObject({
      property: 'body',
      change: 'removed',
      class: 'refused',
      documented: true
    })
    expect(change.reason).toBe(
      "Property 'body' is removed: Graph cannot delete a property of a published connection " +
        '(if it was added outside the file, add it to the file instead). ' +
        recreateAdvice('contosokb')
    )
    expect(change.reason).toContain('DELETE /external/connections/contosokb')
  })

  it('names a removed property as Graph does, and others as the file does', () => {
    const fromGraph = { ...SCHEMA, properties: [...PROPERTIES, { name: 'OldOne', type: 'string' }] }
    expect(classes(fromGraph, SCHEMA)).toEqual([['OldOne', 'removed', 'refused']])
    const file = withProperty('title', { name: 'Title', isRetrievable: false })
    expect(classes(SCHEMA, file)).toEqual([['Title', 'isRetrievable', 'refused']])
  })

  it('refuses a type change, and says the docs do not state it', () => {
    const change = only(SCHEMA, withProperty('body', { type: 'stringCollection' }))
    expect(change).toMatchObject({ change: 'type', class: 'refused', documented: false })
    expect(change.reason).toContain("changes type from 'string' to 'stringcollection'")
    expect(change.reason).toContain('DELETE /external/connections/{id}')
  })

  it('refuses adding or removing isRefinable', () => {
    const added = only(SCHEMA, withProperty('body', { isRefinable: true }))
    expect(added).toMatchObject({ change: 'isRefinable', class: 'refused', documented: true })
    expect(added.reason).toContain("Property 'body' becomes refinable")
    const removed = only(SCHEMA, withProperty('category', { isRefinable: false }))
    expect(removed.reason).toContain('stops being refinable')
  })

  it('refuses removing isRetrievable, and needs re-ingestion for adding it', () => {
    expect(only(SCHEMA, withProperty('title', { isRetrievable: false }))).toMatchObject({
      change: 'isRetrievable',
      class: 'refused'
    })
    const added = only(SCHEMA, withProperty('body', { isRetrievable: true }))
    expect(added).toMatchObject({ change: 'isRetrievable', class: 'reingest', documented: true })
    expect(added.reason).toContain('becomes retrievable')
  })

  it('needs re-ingestion for adding or removing a search attribute', () => {
    const gained = only(SCHEMA, withProperty('body', { isQueryable: true }))
    expect(gained).toMatchObject({ change: 'isQueryable', class: 'reingest', documented: true })
    expect(gained.reason).toBe(
      "Property 'body' gains isQueryable: Graph accepts it, and the items must be ingested again to have it."
    )
    const lost = only(SCHEMA, withProperty('title', { isSearchable: false }))
    expect(lost).toMatchObject({ change: 'isSearchable', class: 'reingest' })
    expect(lost.reason).toContain('behave differently until all are ingested again')
    const both = classes(
      SCHEMA,
      withProperty('body', { isSearchable: false, isExactMatchRequired: true })
    )
    expect(both).toEqual([
      ['body', 'isSearchable', 'reingest'],
      ['body', 'isExactMatchRequired', 'reingest']
    ])
    const exactOnly = classifySchemaChanges(
      withProperty('category', {}),
      withProperty('category', { isExactMatchRequired: true })
    )
    expect(exactOnly).toEqual([
      expect.objectContaining({
        change: 'isExactMatchRequired',
        class: 'reingest',
        documented: false
      })
    ])
  })

  it('needs re-ingestion for labels added or removed', () => {
    const change = only(SCHEMA, withProperty('title', { labels: ['url'] }))
    expect(change).toMatchObject({ change: 'labels', class: 'reingest', documented: true })
    expect(change.reason).toBe(
      "Property 'title' adds 'url' to and removes 'title' from its labels: Graph accepts it, and the items must be ingested again for it to take effect."
    )
  })

  it('accepts aliases added or removed, with the caveat of a refinable property', () => {
    const added = only(SCHEMA, withProperty('body', { aliases: ['text'] }))
    expect(added).toMatchObject({ change: 'aliases', class: 'accepted', documented: true })
    expect(added.reason).toBe(
      "Property 'body' adds 'text' to its aliases: Graph accepts it without re-ingestion."
    )
    const removed = only(SCHEMA, withProperty('category', { aliases: ['topic'] }))
    expect(removed.reason).toContain("removes 'kind' from its aliases")
    expect(removed.reason).toContain('unless an alias removed is the one Graph created itself')
    const notRefinable = only(withProperty('body', { aliases: ['a'] }), SCHEMA)
    expect(notRefinable.reason).not.toContain('unless')
  })

  it('accepts a new description or ranking hint, saying the docs are silent', () => {
    const description = only(SCHEMA, withProperty('body', { description: 'The text.' }))
    expect(description).toMatchObject({
      change: 'description',
      class: 'accepted',
      documented: false
    })
    const hint = only(SCHEMA, withProperty('body', { rankingHint: { importanceScore: 'high' } }))
    expect(hint).toMatchObject({ change: 'rankingHint', class: 'accepted' })
  })

  it('lists every change of every property, by name, the removed ones last', () => {
    const desired = {
      ...SCHEMA,
      properties: [
        { ...PROPERTIES[0], type: 'int64', isSearchable: false, labels: [] },
        PROPERTIES[1],
        { name: 'extra', type: 'string' }
      ]
    }
    expect(classes(SCHEMA, desired)).toEqual([
      ['extra', 'added', 'accepted'],
      ['title', 'type', 'refused'],
      ['title', 'isSearchable', 'reingest'],
      ['title', 'labels', 'reingest'],
      ['body', 'removed', 'refused']
    ])
  })

  it('says each reason in full', () => {
    expect(only(SCHEMA, withProperty('title', { isRetrievable: false }), 'kb')).toEqual({
      property: 'title',
      change: 'isRetrievable',
      class: 'refused',
      reason:
        "Property 'title' stops being retrievable: Graph cannot remove the retrievable attribute of a property. " +
        recreateAdvice('kb'),
      documented: true
    })
    expect(only(SCHEMA, withProperty('body', { description: 'x' })).reason).toBe(
      "Property 'body' changes its description: the docs do not say Graph refuses it or needs re-ingestion."
    )
    expect(only(SCHEMA, withProperty('body', { labels: ['url', 'iconUrl'] })).reason).toContain(
      "adds 'iconurl', 'url' to its labels"
    )
    expect(only(SCHEMA, withProperty('category', { aliases: [] })).reason).toContain(
      "removes 'kind', 'topic' from its aliases"
    )
  })

  it('gives the refinable caveat only when an alias is removed', () => {
    const added = only(SCHEMA, withProperty('category', { aliases: ['topic', 'kind', 'type'] }))
    expect(added.reason).toBe(
      "Property 'category' adds 'type' to its aliases: Graph accepts it without re-ingestion."
    )
  })

  it('treats a missing current schema as one that has no properties', () => {
    expect(classes(undefined, SCHEMA).map(([, change]) => change)).toEqual([
      'added',
      'added',
      'added'
    ])
    expect(classes({ properties: 'x' }, { properties: [null, { name: 1 }] })).toEqual([])
  })
})

describe('recreateAdvice', () => {
  it('says to delete the connection and run again, with the ID made inert', () => {
    expect(recreateAdvice()).toContain('DELETE /external/connections/{id}')
    expect(recreateAdvice('contosokb')).toBe(
      'Graph needs the connection deleted and created again, which deletes its items: ' +
        'DELETE /external/connections/contosokb (or delete it in the Microsoft 365 admin center), ' +
        'then run again to create it with this schema, and ingest the items again.'
    )
    expect(recreateAdvice('a\nb')).toContain('a\\nb')
  })
})
