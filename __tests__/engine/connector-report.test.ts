// connector-report.ts, whole: each verdict and table pinned as data, so a
// changed word, icon, count or row is a failing test.
import { describe, expect, it } from '@jest/globals'
import {
  deploymentRows,
  draftWithoutSchemaVerdict,
  planTable,
  planVerdict,
  planWarnings,
  readinessTable,
  readinessWarnings,
  readyVerdict,
  refusedVerdict,
  writtenText
} from '../../src/engine/connector-report.js'
import type { ConnectorSpec } from '../../src/engine/connector-file.js'
import { ActionError } from '../../src/engine/errors.js'
import { ACTION_VOICE } from '../../src/engine/model.js'
import type { ConnectorPlan } from '../../src/engine/reconcile.js'
import type { SchemaChange } from '../../src/engine/schema-changes.js'
import { cliVoice } from '../../src/cli/voice.js'

const FILE = { path: '/ws/c.json', shown: 'c.json' }
const change = (property: string, what: string, kind: SchemaChange['class']): SchemaChange => ({
  property,
  change: what,
  class: kind,
  reason: `R ${property} ${what}.`,
  documented: true
})
const PLAN: ConnectorPlan = {
  connectionId: 'kb1',
  current: { id: 'kb1', state: 'ready' },
  fields: [
    { field: 'description', from: 'Old', to: 'New' },
    { field: 'name', from: 'A', to: 'B' }
  ],
  schema: [
    change('title', 'isSearchable', 'reingest'),
    change('title', 'labels', 'reingest'),
    change('url', 'added', 'accepted'),
    change('gone', 'removed', 'refused')
  ],
  submitSchema: true
}
const SPEC: ConnectorSpec = {
  id: 'kb1',
  fields: {},
  schema: {
    baseType: 'microsoft.graph.externalItem',
    properties: [
      { name: 'title', type: 'string', isSearchable: true, labels: ['Title'] },
      { name: 'url', type: 'string', labels: ['url', 'iconUrl'] }
    ]
  }
}

describe('planTable', () => {
  it('has a row per field and per schema change, the class with its icon, and the counts', () => {
    expect(planTable(PLAN)).toEqual({
      caption: 'Changes: 5 fields and properties',
      counts: '2 fields, 1 property added, 1 property changed, 1 property removed',
      head: ['Name', 'What', 'Class', 'Details'],
      rows: [
        [{ text: 'description', code: true }, 'field', 'update', "description: 'Old' → 'New'"],
        [{ text: 'name', code: true }, 'field', 'update', "name: 'A' → 'B'"],
        [
          { text: 'title', code: true },
          'property isSearchable',
          '⚠️ reingest',
          'R title isSearchable.'
        ],
        [{ text: 'title', code: true }, 'property labels', '⚠️ reingest', 'R title labels.'],
        [{ text: 'url', code: true }, 'property added', 'accepted', 'R url added.'],
        [{ text: 'gone', code: true }, 'property removed', '❌ refused', 'R gone removed.']
      ]
    })
  })

  it('says create for a new connection, one change in the singular, and a schema differing elsewhere', () => {
    const table = planTable({
      connectionId: 'kb1',
      fields: [{ field: 'name', from: undefined, to: 'B' }],
      schema: [],
      submitSchema: true
    })
    expect(table.caption).toBe('Changes: 2 fields and properties')
    expect(table.counts).toBe('1 field')
    expect(table.rows).toEqual([
      [{ text: 'name', code: true }, 'field', 'create', "name: (not set) → 'B'"],
      ['schema', '', 'accepted', 'The schema differs from Graph’s outside its properties.']
    ])
    const one = planTable({
      connectionId: 'k',
      fields: [],
      schema: [change('p', 'added', 'accepted')],
      submitSchema: true
    })
    expect(one.caption).toBe('Changes: 1 field or property')
    expect(one.counts).toBe('1 property added')
    expect(
      planTable({ connectionId: 'k', fields: [], schema: [], submitSchema: false })
    ).not.toHaveProperty('counts')
  })

  it('holds at most 200 rows, then one that counts the rest', () => {
    const fields = Array.from({ length: 205 }, (_, i) => ({ field: `f${i}`, from: 1, to: 2 }))
    const { rows } = planTable({
      connectionId: 'k',
      current: {},
      fields,
      schema: [],
      submitSchema: false
    })
    expect(rows).toHaveLength(201)
    expect(rows[200]).toEqual(['', '', '', '… and 5 more'])
  })
})

describe('planVerdict', () => {
  const context = {
    connectorFile: FILE,
    failOnChanges: false,
    elapsedMs: 61_000,
    voice: ACTION_VOICE
  }

  it('passes a plan with warnings in the headline, naming at most 5 changes', () => {
    const verdict = planVerdict(PLAN, context)
    expect(verdict.level).toBe('pass')
    expect(verdict.title).toBe("Graph connector 'kb1'")
    expect(verdict.message).toBe(
      "Plan for connection 'kb1': 5 changes (description: 'Old' → 'New'; name: 'A' → 'B'; " +
        '[reingest] R title isSearchable.; [reingest] R title labels.; [accepted] R url added.; … and 1 more). ' +
        'Nothing was written (plan).'
    )
    expect(verdict.outputs).toMatchObject({
      status: 'planned',
      changes: '5',
      connection: JSON.stringify(PLAN.current),
      'error-code': '',
      'error-message': ''
    })
    expect(verdict.summary).toEqual({
      headline: '⚠️ kb1: 5 changes planned with 2 warnings (plan, nothing written)',
      rows: [
        { label: 'Connector file', value: 'c.json', code: true },
        { label: 'Connection on Graph', value: 'exists' },
        { label: 'Written to Graph', value: 'nothing (plan)' }
      ],
      tables: [planTable(PLAN)],
      details: [
        { label: 'Connection', value: 'kb1', code: true },
        { label: 'Changes', value: '5' },
        { label: 'Elapsed', value: '1 min 1 s' }
      ]
    })
  })

  it('names 5 changes with no more-note, and counts properties in the plural', () => {
    const schema = ['a', 'b', 'c'].map(p => change(p, 'added', 'accepted'))
    const verdict = planVerdict({ ...PLAN, schema }, context)
    expect(verdict.message).not.toContain('more')
    expect(verdict.summary.tables?.[0].counts).toBe('2 fields, 3 properties added')
  })

  it('says a new connection would be created, in the voice of the front door', () => {
    const fresh = { ...PLAN, current: undefined, schema: [] }
    const verdict = planVerdict(fresh, { ...context, voice: cliVoice() })
    expect(verdict.message).toMatch(/^Plan for connection 'kb1' \(to be created\): 3 changes/)
    expect(verdict.outputs.connection).toBe('')
    expect(verdict.summary.headline).toBe('📝 kb1: 3 changes planned (--plan, nothing written)')
    expect(verdict.summary.rows[1]).toEqual({
      label: 'Connection on Graph',
      value: 'none: it would be created'
    })
  })

  it('fails on drift with ChangesFound, its message as error-message, and what to do', () => {
    const verdict = planVerdict(PLAN, { ...context, failOnChanges: true })
    expect(verdict.level).toBe('fail')
    expect(verdict.message).toMatch(
      /^Connection 'kb1' differs from c\.json: 5 changes \(.*\)\. Nothing was written\. Deploy the file, or bring the file up to date with what Graph has\.$/
    )
    expect(verdict.outputs['error-code']).toBe('ChangesFound')
    expect(verdict.outputs['error-message']).toBe(verdict.message)
    expect(verdict.summary.headline).toBe('❌ kb1: drift, 5 changes from c.json')
    expect(verdict.summary.todo).toBe(
      'Deploy the file to bring the connection back to it, or bring the file up to date with ' +
        'what Graph has (the export command writes it).'
    )
  })

  it('passes in sync with fail-on-changes, with no table and no todo', () => {
    const verdict = planVerdict(
      { ...PLAN, fields: [], schema: [], submitSchema: false },
      { ...context, failOnChanges: true }
    )
    expect(verdict.level).toBe('pass')
    expect(verdict.outputs['error-code']).toBe('')
    expect(verdict.summary.tables).toEqual([])
    expect(verdict.summary).not.toHaveProperty('todo')
    expect(verdict.summary.headline).toBe('✅ kb1: in sync with c.json (plan, nothing written)')
  })
})

describe('refusedVerdict', () => {
  it('fails with the error, nothing written, the table and how to recreate', () => {
    const error = new ActionError('Refused: gone.', 'SchemaChangeRefused')
    const verdict = refusedVerdict(PLAN, error, 5)
    expect(verdict).toEqual({
      level: 'fail',
      message: 'Refused: gone.',
      title: "Graph connector 'kb1'",
      outputs: expect.objectContaining({
        status: 'refused',
        changes: '5',
        'error-code': 'SchemaChangeRefused',
        'error-message': 'Refused: gone.'
      }),
      summary: {
        headline: '❌ kb1: Graph refuses 1 schema change; nothing written',
        rows: [{ label: 'Written to Graph', value: 'nothing' }],
        failure: { message: 'Refused: gone.', details: [], ids: [] },
        todo: expect.stringMatching(
          /^Put the property back as Graph has it, or make the change on a new connection: Graph needs the connection deleted.*DELETE \/external\/connections\/kb1/
        ),
        tables: [planTable(PLAN)],
        details: [
          { label: 'Connection', value: 'kb1', code: true },
          { label: 'Error code', value: 'SchemaChangeRefused', code: true }
        ]
      }
    })
  })
})

describe('readyVerdict and draftWithoutSchemaVerdict', () => {
  const context = { connectorFile: FILE, elapsedMs: 372_000 }
  const ready = readinessTable(SPEC, {
    searchSettings: { searchResultTemplates: [{}] },
    activitySettings: { urlToItemResolvers: [{}] }
  })

  it('passes a deployment with nothing to wait for, saying what was written', () => {
    const verdict = readyVerdict(
      { ...PLAN, schema: [], submitSchema: false },
      { id: 'kb1' },
      context,
      ready
    )
    expect(verdict).toEqual({
      level: 'pass',
      message: "Connection 'kb1' now matches c.json (2 changes written) and is ready.",
      title: "Graph connector 'kb1'",
      outputs: expect.objectContaining({
        status: 'ready',
        changes: '2',
        connection: '{"id":"kb1"}'
      }),
      summary: {
        headline: '✅ kb1: 2 changes deployed in 6 min 12 s',
        rows: [
          { label: 'Connector file', value: 'c.json', code: true },
          { label: 'Written to Graph', value: 'PATCH with description, name' }
        ],
        tables: [planTable({ ...PLAN, schema: [], submitSchema: false }), ready],
        details: [
          { label: 'Connection', value: 'kb1', code: true },
          { label: 'Status', value: 'ready', code: true },
          { label: 'Elapsed', value: '6 min 12 s' }
        ]
      }
    })
  })

  it('counts the plan warnings in the headline, and says when nothing was written', () => {
    const inSync = { ...PLAN, fields: [], schema: [], submitSchema: false }
    expect(readyVerdict(inSync, {}, context, ready).summary).toMatchObject({
      headline: '✅ kb1: in sync with c.json, nothing written',
      rows: [
        { label: 'Connector file', value: 'c.json', code: true },
        { label: 'Written to Graph', value: 'nothing: the connection and schema match the file' }
      ],
      tables: [ready]
    })
    expect(readyVerdict(PLAN, {}, context, ready).summary.headline).toBe(
      '⚠️ kb1: 5 changes deployed in 6 min 12 s with 2 warnings'
    )
  })

  it('warns that a draft without a schema in the file stays a draft', () => {
    const verdict = draftWithoutSchemaVerdict(
      { ...PLAN, current: undefined, schema: [], submitSchema: false },
      { id: 'kb1', state: 'draft' },
      context,
      cliVoice()
    )
    expect(verdict.level).toBe('warn')
    expect(verdict.message).toBe(
      "Connection 'kb1' matches c.json, but it is draft: a connection stays a draft until its " +
        'schema is submitted, and c.json has no "schema". Add one, or submit it with --schema-file.'
    )
    expect(verdict.outputs).toMatchObject({ status: 'draft', changes: '2' })
    expect(verdict.title).toBe("Graph connector 'kb1'")
    expect(verdict.outputs.connection).toBe('{"id":"kb1","state":"draft"}')
    expect(verdict.summary).toEqual({
      headline: '⚠️ kb1: draft, no schema in c.json',
      rows: [
        { label: 'Connector file', value: 'c.json', code: true },
        { label: 'Written to Graph', value: 'POST with description, name' }
      ],
      note: verdict.message,
      tables: [planTable({ ...PLAN, current: undefined, schema: [], submitSchema: false })],
      details: [
        { label: 'Connection', value: 'kb1', code: true },
        { label: 'Status', value: 'draft', code: true },
        { label: 'Elapsed', value: '6 min 12 s' }
      ]
    })
    const none = draftWithoutSchemaVerdict(
      { ...PLAN, fields: [], schema: [], submitSchema: false },
      {},
      context,
      ACTION_VOICE
    )
    expect(none.outputs.status).toBe('none')
    expect(none.summary.tables).toEqual([])
  })
})

describe('the small parts', () => {
  it('writtenText: the fields by verb, the schema, or nothing', () => {
    expect(writtenText(PLAN)).toBe('PATCH with description, name; the schema (PATCH)')
    expect(writtenText({ ...PLAN, current: undefined, submitSchema: false })).toBe(
      'POST with description, name'
    )
    expect(writtenText({ ...PLAN, fields: [] })).toBe('the schema (PATCH)')
    expect(writtenText({ ...PLAN, fields: [], submitSchema: false })).toBe('nothing')
  })

  it('planWarnings counts re-ingestion changes; readinessWarnings the ⚠️ rows', () => {
    expect(planWarnings(PLAN)).toBe(2)
    expect(planWarnings({ ...PLAN, schema: PLAN.schema.slice(0, 3) })).toBe(2)
    expect(readinessWarnings(readinessTable(SPEC, {}))).toBe(2)
    expect(readinessWarnings(readinessTable({ id: 'k', fields: {} }, {}))).toBe(2)
  })

  it('deploymentRows: the file, and what was written', () => {
    expect(deploymentRows(FILE, PLAN)).toEqual([
      { label: 'Connector file', value: 'c.json', code: true },
      { label: 'Written to Graph', value: 'PATCH with description, name; the schema (PATCH)' }
    ])
  })

  it('readinessTable: every check, labels matched ignoring case, notes only where one fails', () => {
    expect(readinessTable(SPEC, { searchSettings: { searchResultTemplates: 'x' } })).toEqual({
      caption: 'Readiness',
      head: ['Check', 'Result', 'Note'],
      rows: [
        ['title, url and iconUrl labels', '✅', ''],
        ['A searchable property', '✅', ''],
        [
          'A result template',
          '⚠️',
          'searchSettings.searchResultTemplates: how results look in Microsoft Search.'
        ],
        [
          'A URL resolver',
          '⚠️',
          'activitySettings.urlToItemResolvers: turns shared links into items.'
        ],
        [
          'Included in search results and Copilot',
          '👉 admin center',
          'No API sets it: in the Microsoft 365 admin center, Search & intelligence, Data sources, ' +
            'check the connection is included in results and visible to Copilot ' +
            '(https://learn.microsoft.com/microsoftsearch/configure-connector).'
        ],
        [
          'A search vertical and result type',
          '👉 admin center',
          'Optional: https://learn.microsoft.com/microsoftsearch/manage-verticals.'
        ]
      ]
    })
    const bare: ConnectorSpec = {
      id: 'k',
      fields: {},
      schema: {
        baseType: 'b',
        properties: [
          { name: 'p', type: 'string', labels: 'title' as never, isSearchable: 'true' as never }
        ]
      }
    }
    expect(readinessTable(bare, {}).rows.slice(0, 2)).toEqual([
      [
        'title, url and iconUrl labels',
        '⚠️',
        'Missing: title, url, iconUrl. Copilot cites items by them.'
      ],
      ['A searchable property', '⚠️', 'Without one, no item matches a search.']
    ])
    const full = readinessTable(SPEC, {
      searchSettings: { searchResultTemplates: [{}] },
      activitySettings: { urlToItemResolvers: [{}] }
    })
    expect(full.rows.slice(2, 4)).toEqual([
      ['A result template', '✅', ''],
      ['A URL resolver', '✅', '']
    ])
    const none = readinessTable({ id: 'k', fields: {} }, {})
    expect(none.rows.slice(0, 2).map(row => row[1])).toEqual([
      '➖ not in the file',
      '➖ not in the file'
    ])
  })
})
