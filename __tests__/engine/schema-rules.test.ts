// Each local schema rule, broken, on the very inputs the end-to-end layer ran
// one by one (__tests__/e2e/schema.e2e.test.ts keeps one of them, for what only
// the bundle shows: annotations on the file's lines, outputs, summary, no
// request). Here, in milliseconds: the rule's finding is an error, with the
// message the user reads, and nothing is left to submit.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { checkSchema } from '../../src/engine/schema.js'

const SCHEMA = JSON.parse(
  readFileSync(new URL('../fixtures/schema.json', import.meta.url), 'utf8')
) as { baseType: string; properties: Record<string, unknown>[] }

describe('each local rule, broken, is an error that says what is wrong', () => {
  const base = SCHEMA.properties
  const title = base[0]
  const cases: [string, unknown, string][] = [
    ['the file is JSON', '{ "properties": [ }', 'The schema file is not valid JSON'],
    ['properties is an array', { properties: {} }, 'The schema needs a "properties" array'],
    [
      '1 to 128 properties',
      { properties: [] },
      '"properties" must hold 1 to 128 property objects; it holds 0.'
    ],
    [
      '128 at most',
      { properties: Array.from({ length: 129 }, (_, i) => ({ name: `p${i}`, type: 'string' })) },
      '"properties" must hold 1 to 128 property objects; it holds 129.'
    ],
    ['a name is required', { properties: [{ type: 'string' }] }, 'needs a "name"'],
    [
      'names are letters and digits',
      { properties: [{ name: 'ticket_title', type: 'string' }] },
      'ASCII letters or digits'
    ],
    [
      'names are at most 32 characters',
      { properties: [{ name: 'a'.repeat(33), type: 'string' }] },
      'it has 33 characters'
    ],
    [
      'names are unique',
      { properties: [title, { ...base[1], name: 'TicketTitle' }] },
      'names must be unique'
    ],
    [
      'a documented type',
      { properties: [{ name: 'count', type: 'integer' }] },
      "type is 'integer'; did you mean 'int64'?"
    ],
    [
      'only strings are searchable',
      { properties: [{ name: 'count', type: 'int64', isSearchable: true }] },
      'only string and stringCollection properties can be searchable'
    ],
    [
      'not searchable and refinable',
      { properties: [{ name: 'dept', type: 'string', isSearchable: true, isRefinable: true }] },
      'cannot be both searchable and refinable'
    ],
    [
      'documented labels',
      { properties: [{ name: 'heading', type: 'string', isRetrievable: true, labels: ['titel'] }] },
      "did you mean 'title'"
    ],
    [
      'a label on one property',
      { properties: [title, { ...base[1], labels: ['title'] }] },
      'each label goes on exactly one property'
    ],
    [
      'a labelled property is retrievable',
      { properties: [{ ...title, isRetrievable: false }] },
      'so it must be retrievable'
    ],
    [
      "the label's type",
      {
        properties: [
          { name: 'created', type: 'string', isRetrievable: true, labels: ['createdDateTime'] }
        ]
      },
      "label 'createdDateTime' needs a dateTime property; this one is string."
    ],
    [
      'aliases without forbidden characters',
      { properties: [{ name: 'owner', type: 'string', aliases: ['team:lead'] }] },
      "alias 'team:lead' contains ':'"
    ],
    [
      'aliases are unique',
      {
        properties: [
          { name: 'a1', type: 'string', aliases: ['x'] },
          { name: 'a2', type: 'string', aliases: ['X'] }
        ]
      },
      'aliases must be unique'
    ],
    [
      'no unknown keys',
      { properties: [{ name: 'heading', type: 'string', isSearcheable: true }] },
      "unknown key 'isSearcheable'; did you mean 'isSearchable'?"
    ]
  ]

  it.each(cases)('%s', (_rule, schema, message) => {
    const text = typeof schema === 'string' ? schema : JSON.stringify(schema, null, 2)
    const check = checkSchema(text)

    expect(check.schema).toBeUndefined()
    const errors = check.findings.filter(finding => finding.severity === 'error')
    expect(errors.map(error => error.message)).toEqual(
      expect.arrayContaining([expect.stringContaining(message)])
    )
  })
})
