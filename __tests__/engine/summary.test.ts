// The summary as data: Graph's error as a failure, and the same facts as lines and JSON.
import { describe, expect, it } from '@jest/globals'
import {
  MAX_DETAILS,
  failureOf,
  summaryJson,
  summaryLines,
  withLines
} from '../../src/engine/summary.js'
import type { Summary } from '../../src/engine/summary.js'
import { verdictOf } from '../../src/engine/verdict.js'
import { watchFor } from '../../src/engine/targets.js'

const THREE = {
  code: 'InvalidRequest',
  message: 'The schema is not valid. CorrelationId: 9f1c2a3b-1111-2222-3333-444455556666',
  details: [
    {
      target: 'lastModified',
      code: 'NotQueryable',
      message: 'Property lastModified: must be queryable.'
    },
    { target: 'title', code: 'DuplicateLabel', message: "Property 'title': label used twice." },
    { target: 'url', code: 'DuplicateLabel', message: 'Label used twice.' }
  ],
  innerError: { date: '2026-11-30T10:00:00', 'request-id': 'r-1', 'client-request-id': 'c-1' }
}

describe('failureOf', () => {
  it('gives one row per error.details item, without the target named twice', () => {
    const failure = failureOf(THREE)
    expect(failure.message).toBe(THREE.message)
    expect(failure.details).toEqual([
      { target: 'lastModified', code: 'NotQueryable', message: 'must be queryable.' },
      { target: 'title', code: 'DuplicateLabel', message: 'label used twice.' },
      { target: 'url', code: 'DuplicateLabel', message: 'Label used twice.' }
    ])
    expect(failure.ids).toEqual([
      { label: 'Request ID', value: 'r-1', code: true },
      { label: 'Client request ID', value: 'c-1', code: true },
      { label: 'Correlation ID', value: '9f1c2a3b-1111-2222-3333-444455556666', code: true },
      { label: 'Date', value: '2026-11-30T10:00:00', code: true }
    ])
    expect(JSON.parse(failure.raw ?? '')).toEqual(THREE)
  })

  it('bounds the details and counts the rest; takes a string error as the message', () => {
    const details = Array.from({ length: 30 }, (_, i) => ({ target: `p${i}`, message: 'x' }))
    const failure = failureOf({ message: 'M', details })
    expect(failure.details).toHaveLength(MAX_DETAILS + 1)
    expect(failure.details.at(-1)).toEqual({ target: '', code: '', message: '… and 10 more' })
    expect(failureOf('Quota.')).toEqual({ message: 'Quota.', details: [], ids: [] })
    expect(failureOf(null, 'Our own words.').message).toBe('Our own words.')
  })

  it('keeps the full answer of an item without a target, and strips a target with regex characters', () => {
    const failure = failureOf({
      message: '  Spaced.\n',
      details: [
        { message: ': leading colon' },
        { target: 'a.b', message: 'a.b: must be queryable.' }
      ]
    })
    expect(failure.message).toBe('Spaced.')
    expect(failure.details.map(detail => detail.message)).toEqual([
      ': leading colon',
      'must be queryable.'
    ])
    expect(failureOf('  Quota.\n').message).toBe('Quota.')
    expect(failureOf({}).message).toBe('')
  })

  it('reads a correlation ID however Graph spaces it', () => {
    const guid = '9f1c2a3b-1111-2222-3333-444455556666'
    expect(failureOf({ message: `Failed. Correlation Id :${guid}` }).ids).toEqual([
      { label: 'Correlation ID', value: guid, code: true }
    ])
  })

  it('makes text from Graph inert', () => {
    const failure = failureOf({ details: [{ target: 'a\n::error::x', message: 'b' }] })
    expect(failure.details[0].target).toBe('a\\n::error::x')
  })

  it('links a detail to the line of the property it names', () => {
    const lines = new Map([['lastmodified', 14]])
    const linked = withLines(failureOf(THREE), 'schema.json', lines)
    expect(linked.details.map(detail => detail.at)).toEqual([
      { path: 'schema.json', line: 14 },
      undefined,
      undefined
    ])
    const failure = failureOf(THREE)
    expect(withLines(failure, 'schema.json', undefined)).toBe(failure)
  })
})

describe('a failed schema operation with three details', () => {
  const target = { kind: 'operation' as const, connectionId: 'contosohr', operationId: 'op1' }
  const verdict = verdictOf(
    { outcome: 'failed', resource: { status: 'failed', error: THREE }, status: 'failed', polls: 3 },
    {
      target,
      watch: watchFor(target, {} as never),
      timeoutMs: 60_000,
      failOnFailure: true,
      elapsedMs: 125_000,
      deployed: {
        done: 'schema deployed',
        doing: 'schema deployment',
        rows: [
          { label: 'Schema file', value: 'schema.json', code: true },
          { label: 'Sent to Graph', value: 'PATCH with 3 properties' }
        ],
        warnings: 0,
        lines: { path: 'schema.json', byProperty: new Map([['title', 7]]) }
      }
    }
  )

  it('is red, names the file and what was sent, has three rows and what to do', () => {
    const { summary } = verdict
    expect(summary.headline).toBe('❌ contosohr: schema deployment failed after 2 min 5 s')
    expect(summary.rows.map(row => row.label)).toEqual(['Schema file', 'Sent to Graph'])
    expect(summary.failure?.details).toHaveLength(3)
    expect(summary.failure?.details[1].at).toEqual({ path: 'schema.json', line: 7 })
    expect(summary.todo).toMatch(/^Fix the schema file where Graph points/)
    expect(summary.details?.map(row => row.label)).toEqual([
      'Connection',
      'Operation',
      'Status',
      'Elapsed',
      'Polls',
      'Error code'
    ])
  })

  it('gives the command line the same facts, as lines and as JSON', () => {
    expect(summaryLines(verdict.summary)).toEqual([
      'contosohr: schema deployment failed after 2 min 5 s',
      '  Schema file: schema.json',
      '  Sent to Graph: PATCH with 3 properties',
      `  Graph said: ${THREE.message}`,
      '  - lastModified: must be queryable. (NotQueryable)',
      '  - title: label used twice. (DuplicateLabel)',
      '  - url: Label used twice. (DuplicateLabel)',
      '  Request ID: r-1',
      '  Client request ID: c-1',
      '  Correlation ID: 9f1c2a3b-1111-2222-3333-444455556666',
      '  Date: 2026-11-30T10:00:00',
      expect.stringMatching(/^ {2}What to do: Fix the schema file/)
    ])
    expect(summaryJson(verdict.summary)).toMatchObject({
      headline: '❌ contosohr: schema deployment failed after 2 min 5 s',
      done: { 'Schema file': 'schema.json', 'Sent to Graph': 'PATCH with 3 properties' },
      failure: { message: THREE.message, details: expect.arrayContaining([]) },
      details: { Operation: 'op1', 'Request ID': 'r-1' }
    })
  })
})

describe('summaryLines', () => {
  it('makes every line inert, and names the tables by their counts', () => {
    const summary: Summary = {
      headline: '⚠️ x: done\n::error::forged',
      rows: [],
      tables: [{ caption: 'Schema changes', counts: '1 added', head: [], rows: [] }]
    }
    expect(summaryLines(summary)).toEqual([
      'x: done\\n::error::forged',
      '  Schema changes: 1 added'
    ])
  })
})

describe('summaryLines and summaryJson, with parts left out', () => {
  const summary: Summary = {
    headline: '❌ x: failed',
    rows: [],
    failure: {
      message: '',
      details: [{ target: '', code: '', message: 'Just this.', at: { path: 'a.json', line: 1 } }],
      ids: []
    },
    tables: [{ caption: 'Findings', head: [], rows: [] }]
  }

  it('writes no empty "Graph said", no empty code or target, no table without counts', () => {
    expect(summaryLines(summary)).toEqual(['x: failed', '  - Just this.'])
  })

  it('gives JSON exactly the facts: no todo when there is none, no line links', () => {
    expect(summaryJson(summary)).toStrictEqual({
      headline: '❌ x: failed',
      done: {},
      failure: { message: '', details: [{ target: '', code: '', message: 'Just this.' }] },
      details: {}
    })
    expect(summaryJson({ headline: 'H', rows: [], todo: 'Do this.' })).toStrictEqual({
      headline: 'H',
      done: {},
      todo: 'Do this.',
      details: {}
    })
  })
})
