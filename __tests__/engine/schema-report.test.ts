// What a schema check and a schema submission say: the tables and the verdicts
// of the steps that end without a wait.
import { describe, expect, it } from '@jest/globals'
import type { Finding } from '../../src/engine/schema.js'
import {
  changesTable,
  MAX_ANNOTATIONS,
  count,
  findingsTable,
  findingsToAnnotate,
  inPlaceVerdict,
  moreFindingsLine,
  SCHEMA_FILE,
  schemaCheckVerdict
} from '../../src/engine/schema-report.js'
import { ACTION_VOICE } from '../../src/engine/model.js'

const target = {
  connectionId: 'contosohr',
  schemaFile: { path: '/w/connector/schema.json', shown: 'connector/schema.json' }
}
const error = (message: string, more: Partial<Finding> = {}): Finding => ({
  severity: 'error',
  rule: 'r',
  message,
  ...more
})
const warning = (message: string, more: Partial<Finding> = {}): Finding => ({
  severity: 'warning',
  rule: 'w',
  message,
  ...more
})

describe('count', () => {
  it.each([
    [[], 'no findings'],
    [[error('a')], '1 error'],
    [[error('a'), error('b')], '2 errors'],
    [[warning('a')], '1 warning'],
    [[error('a'), warning('b'), warning('c')], '1 error and 2 warnings']
  ])('counts %j as %s', (findings, text) => {
    expect(count(findings as Finding[])).toBe(text)
  })
})

describe('findingsToAnnotate', () => {
  it('keeps all of a few findings, in file order', () => {
    const findings = [warning('a'), error('b')]
    expect(findingsToAnnotate(findings)).toEqual({ shown: [error('b'), warning('a')], more: 0 })
  })

  it('keeps 50, errors first, and counts the rest', () => {
    expect(MAX_ANNOTATIONS).toBe(50)
    const warnings = Array.from({ length: 60 }, (_, i) => warning(`w${i}`))
    const errors = Array.from({ length: 3 }, (_, i) => error(`e${i}`))
    const { shown, more } = findingsToAnnotate([...warnings, ...errors])
    expect(shown).toHaveLength(50)
    expect(shown.slice(0, 4).map(f => f.message)).toEqual(['e0', 'e1', 'e2', 'w0'])
    expect(shown.at(-1)?.message).toBe('w46')
    expect(more).toBe(13)
  })

  it('counts the rest in one line, in the words of the front door', () => {
    expect(moreFindingsLine(1, 'see the summary')).toBe(
      '… and 1 more finding in the schema file; see the summary.'
    )
    expect(moreFindingsLine(13, 'see the summary')).toBe(
      '… and 13 more findings in the schema file; see the summary.'
    )
  })
})

describe('findingsTable', () => {
  it('has a row per finding with its severity, property and line', () => {
    const table = findingsTable('connector/schema.json', [
      error('Bad name.', { property: 'a_b', line: 4 }),
      warning('No title label.')
    ])
    expect(table).toEqual({
      caption: 'Findings',
      counts: '1 error and 1 warning',
      head: ['Severity', 'Property', 'Line', 'Finding'],
      rows: [
        ['❌ error', { text: 'a_b', code: true }, '4', 'Bad name.'],
        ['⚠️ warning', '', '', 'No title label.']
      ]
    })
  })

  it('points each line at the file checked, or the file a connector file names', () => {
    const table = findingsTable(
      'connector/kb.json',
      [
        error("Property 'a_b': bad name.", { property: 'a_b', line: 4 }),
        warning('Bad layout.', { line: 2, file: 'connector/layouts/result.json' })
      ],
      'connector/kb.json'
    )
    expect(table.rows).toEqual([
      [
        '❌ error',
        { text: 'a_b', code: true },
        { text: '4', at: { path: 'connector/kb.json', line: 4 } },
        // The Property column names it: the message does not again.
        'Bad name.'
      ],
      [
        '⚠️ warning',
        '',
        {
          text: 'connector/layouts/result.json:2',
          at: { path: 'connector/layouts/result.json', line: 2 }
        },
        'Bad layout.'
      ]
    ])
  })

  it('leaves out the Property and Line columns when no finding fills them', () => {
    const table = findingsTable('s.json', [warning('No title label.')])
    expect(table.head).toEqual(['Severity', 'Finding'])
    expect(table.rows).toEqual([['⚠️ warning', 'No title label.']])
  })

  it('lists 200 findings at most, and counts the rest', () => {
    const findings = Array.from({ length: 250 }, (_, i) => error(`e${i}`))
    const { rows } = findingsTable('f.json', findings)
    expect(rows).toHaveLength(201)
    expect(rows[199]).toEqual(['❌ error', 'e199'])
    expect(rows[200]).toEqual(['', '… and 50 more'])
    expect(findingsTable('f.json', findings.slice(0, 200)).rows).toHaveLength(200)
  })
})

describe('changesTable', () => {
  it('lists what was added, changed and removed, names made inert', () => {
    expect(
      changesTable(
        {
          same: false,
          added: ['newOne'],
          changed: [{ name: 'title', fields: ['type', 'labels'] }],
          removed: ['old\n::error::x'],
          warnings: [
            "Property 'title' would change type from 'string' to 'int64'; Graph may refuse it."
          ]
        },
        {
          baseType: 'microsoft.graph.externalItem',
          properties: [
            {
              name: 'newOne',
              type: 'String',
              isSearchable: true,
              isRetrievable: true,
              labels: ['title']
            }
          ]
        }
      )
    ).toEqual({
      caption: 'Schema changes',
      counts: '1 added, 1 changed, 1 removed',
      head: ['Change', 'Property', 'Fields'],
      rows: [
        ['added', { text: 'newOne', code: true }, 'String; searchable, retrievable; labels title'],
        [
          'changed',
          { text: 'title', code: true },
          "type, labels ⚠️ Property 'title' would change type from 'string' to 'int64'; Graph may refuse it."
        ],
        [
          '⚠️ removed',
          { text: 'old\\n::error::x', code: true },
          '⚠️ Removing a property is not a documented schema update: Graph may refuse it.'
        ]
      ]
    })
  })
})

describe('changesTable, long', () => {
  it('lists 200 changes at most', () => {
    const added = Array.from({ length: 150 }, (_, i) => `a${i}`)
    const removed = Array.from({ length: 100 }, (_, i) => `r${i}`)
    const { rows } = changesTable({ same: false, added, changed: [], removed, warnings: [] })
    expect(rows).toHaveLength(201)
    expect(rows[199][1]).toEqual({ text: 'r49', code: true })
    expect(rows[200]).toEqual(['', '', '… and 50 more'])
  })
})

describe('schemaCheckVerdict', () => {
  it('fails a file with errors, before any request, with every message in error-message', () => {
    const verdict = schemaCheckVerdict(
      target,
      [error('Property a_b: bad name.'), error('Property c: bad type.'), warning('No title.')],
      1_234,
      ACTION_VOICE,
      SCHEMA_FILE,
      false
    )
    expect(verdict.level).toBe('fail')
    expect(verdict.message).toBe(
      'Schema file connector/schema.json has 2 errors and 1 warning; nothing was sent to Graph. ' +
        'First error: Property a_b: bad name.'
    )
    expect(verdict.outputs).toMatchObject({
      status: 'invalid',
      'error-code': 'InvalidSchemaFile',
      'error-message': 'Property a_b: bad name.\nProperty c: bad type.',
      'elapsed-seconds': '1.2'
    })
    expect(verdict.summary.headline).toBe(
      '❌ Checked connector/schema.json: 2 errors and 1 warning (nothing sent)'
    )
    expect(verdict.summary.todo).toBe(
      'Fix the 2 errors on the lines below, then run the step again.'
    )
    expect(verdict.summary.tables?.[0].rows).toHaveLength(3)
    expect(verdict.title).toBe("Graph connector 'contosohr'")
  })

  it('passes a valid file in validate-only, saying nothing was sent', () => {
    const verdict = schemaCheckVerdict(target, [warning('No title.')], 0)
    expect(verdict.level).toBe('pass')
    expect(verdict.message).toBe(
      'Schema file connector/schema.json is valid (1 warning); validate-only: nothing was sent to Graph.'
    )
    expect(verdict.outputs).toMatchObject({
      status: 'valid',
      'error-code': '',
      'error-message': ''
    })
    // A warning reaches the headline; validate-only says it sent nothing, and no Connection row.
    expect(verdict.summary.headline).toBe(
      '⚠️ Checked connector/schema.json: 1 warning (validate-only, nothing sent)'
    )
    expect(verdict.summary.rows).toEqual([
      { label: 'Schema file', value: 'connector/schema.json', code: true },
      { label: 'Sent to Graph', value: 'nothing: validate-only checks the file only' }
    ])
    expect(schemaCheckVerdict(target, [], 0).summary.headline).toBe(
      '✅ Checked connector/schema.json: no findings (validate-only, nothing sent)'
    )
  })

  it('is about the file when it was checked for no connection (validate-only)', () => {
    const verdict = schemaCheckVerdict({ ...target, connectionId: '' }, [], 0)
    expect(verdict.level).toBe('pass')
    expect(verdict.title).toBe('Schema file connector/schema.json')
    expect(verdict.summary.rows).toEqual([
      { label: 'Schema file', value: 'connector/schema.json', code: true },
      { label: 'Sent to Graph', value: 'nothing: validate-only checks the file only' }
    ])
  })

  it('has no findings table for a file without findings', () => {
    expect(schemaCheckVerdict(target, [], 0).summary.tables).toEqual([])
  })

  it('makes the file name inert', () => {
    const hostile = { ...target, schemaFile: { path: '/x', shown: 'a\n::error::b.json' } }
    expect(schemaCheckVerdict(hostile, [], 0).message).toContain('a\\n::error::b.json')
  })
})

describe('inPlaceVerdict', () => {
  it('passes with the connection in its output, saying no PATCH was sent', () => {
    const connection = { id: 'contosohr', state: 'ready' }
    const verdict = inPlaceVerdict(target, connection, 2_000)
    expect(verdict.level).toBe('pass')
    expect(verdict.message).toBe(
      "Connection 'contosohr' already has the schema in connector/schema.json and is ready: no PATCH was sent."
    )
    expect(verdict.outputs).toMatchObject({
      status: 'ready',
      connection: JSON.stringify(connection),
      operation: '',
      'operation-url': ''
    })
    expect(verdict.summary.headline).toBe('✅ contosohr: schema already in place')
    expect(verdict.title).toBe("Graph connector 'contosohr'")
    expect(verdict.summary.rows).toEqual([
      { label: 'Schema file', value: 'connector/schema.json', code: true },
      { label: 'Sent to Graph', value: 'no PATCH: the schema was already in place' }
    ])
    expect(verdict.summary.details).toEqual([
      { label: 'Connection', value: 'contosohr', code: true },
      { label: 'Status', value: 'ready', code: true }
    ])
    expect(inPlaceVerdict(target, connection, 2_000, 2).summary.headline).toBe(
      '⚠️ contosohr: schema already in place with 2 warnings'
    )
  })
})
