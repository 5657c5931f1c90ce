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
  schemaCheckVerdict
} from '../../src/engine/schema-report.js'

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
const warning = (message: string): Finding => ({ severity: 'warning', rule: 'w', message })

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
      caption: 'Schema file connector/schema.json: 1 error and 1 warning',
      head: ['Severity', 'Property', 'Line', 'Finding'],
      rows: [
        ['❌ error', 'a_b', '4', 'Bad name.'],
        ['⚠️ warning', '', '', 'No title label.']
      ]
    })
  })

  it('lists 200 findings at most, and counts the rest', () => {
    const findings = Array.from({ length: 250 }, (_, i) => error(`e${i}`))
    const { rows } = findingsTable('f.json', findings)
    expect(rows).toHaveLength(201)
    expect(rows[199][3]).toBe('e199')
    expect(rows[200]).toEqual(['', '', '', '… and 50 more'])
    expect(findingsTable('f.json', findings.slice(0, 200)).rows).toHaveLength(200)
  })
})

describe('changesTable', () => {
  it('lists what was added, changed and removed, names made inert', () => {
    expect(
      changesTable({
        same: false,
        added: ['newOne'],
        changed: [{ name: 'title', fields: ['type', 'labels'] }],
        removed: ['old\n::error::x'],
        warnings: []
      })
    ).toEqual({
      caption: 'Schema changes',
      head: ['Change', 'Property', 'Fields'],
      rows: [
        ['added', 'newOne', ''],
        ['changed', 'title', 'type, labels'],
        ['removed', 'old\\n::error::x', '']
      ]
    })
  })
})

describe('changesTable, long', () => {
  it('lists 200 changes at most', () => {
    const added = Array.from({ length: 150 }, (_, i) => `a${i}`)
    const removed = Array.from({ length: 100 }, (_, i) => `r${i}`)
    const { rows } = changesTable({ same: false, added, changed: [], removed, warnings: [] })
    expect(rows).toHaveLength(200)
    expect(rows[199]).toEqual(['removed', 'r49', ''])
  })
})

describe('schemaCheckVerdict', () => {
  it('fails a file with errors, before any request, with every message in error-message', () => {
    const verdict = schemaCheckVerdict(
      target,
      [error('Property a_b: bad name.'), error('Property c: bad type.'), warning('No title.')],
      1_234
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
      '❌ Schema file connector/schema.json: 2 errors and 1 warning'
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
    expect(verdict.summary.headline).toBe('✅ Schema file connector/schema.json is valid')
    expect(verdict.summary.rows).toEqual([
      { label: 'Connection', value: 'contosohr', code: true },
      { label: 'Schema file', value: 'connector/schema.json', code: true },
      { label: 'Sent to Graph', value: 'nothing' }
    ])
  })

  it('is about the file when it was checked for no connection (validate-only)', () => {
    const verdict = schemaCheckVerdict({ ...target, connectionId: '' }, [], 0)
    expect(verdict.level).toBe('pass')
    expect(verdict.title).toBe('Schema file connector/schema.json')
    expect(verdict.summary.rows).toEqual([
      { label: 'Schema file', value: 'connector/schema.json', code: true },
      { label: 'Sent to Graph', value: 'nothing' }
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
    expect(verdict.summary.headline).toBe("✅ Connection 'contosohr': schema already in place")
    expect(verdict.title).toBe("Graph connector 'contosohr'")
    expect(verdict.summary.rows).toEqual([
      { label: 'Connection', value: 'contosohr', code: true },
      { label: 'Schema file', value: 'connector/schema.json', code: true },
      { label: 'Status', value: 'ready', code: true },
      { label: 'Sent to Graph', value: 'no PATCH: the schema was already in place' }
    ])
  })
})
