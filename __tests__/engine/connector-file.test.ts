// readConnectorFile: the connector file and the files it names, read under
// their rules, both checks run, every finding named by its file and in order.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MAX_CONNECTOR_FILE_BYTES, readConnectorFile } from '../../src/engine/connector-file.js'
import { InputError } from '../../src/engine/errors.js'
import { ACTION_VOICE } from '../../src/engine/model.js'
import type { ConnectorTarget } from '../../src/engine/model.js'
import { cliVoice } from '../../src/cli/voice.js'

let workspace = ''
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'connector-file-'))
  mkdirSync(join(workspace, 'c'))
})
afterEach(() => rmSync(workspace, { recursive: true, force: true }))

const SETTINGS = { apiVersion: 'v1.0' as const, requireCopilotReady: false, voice: ACTION_VOICE }
function target(connectionId = '', shown = 'c/connector.json'): ConnectorTarget {
  return {
    kind: 'connector',
    connectionId,
    connectorFile: { path: join(workspace, shown), shown, within: workspace }
  }
}
function write(name: string, value: unknown): void {
  writeFileSync(
    join(workspace, name),
    typeof value === 'string' ? value : JSON.stringify(value, null, 2)
  )
}
const PEOPLE = [
  { name: 'account', type: 'string', labels: ['personAccount'] },
  { name: 'hired', type: 'dateTime', isSearchable: true }
]

describe('readConnectorFile', () => {
  it('names the setting, what a connector file is and a valid path when it cannot be read', () => {
    expect(() => readConnectorFile(target(), SETTINGS)).toThrow(InputError)
    expect(() => readConnectorFile(target(), SETTINGS)).toThrow(
      "Input 'connector-file': 'c/connector.json' cannot be read (ENOENT). It must be the path of " +
        'a JSON file, relative to the workspace (GITHUB_WORKSPACE), such as connector/connector.json.'
    )
    write('c/connector.json', ' '.repeat(MAX_CONNECTOR_FILE_BYTES + 1))
    expect(() => readConnectorFile(target(), { ...SETTINGS, voice: cliVoice() })).toThrow(
      `--connector-file: 'c/connector.json' has ${MAX_CONNECTOR_FILE_BYTES + 1} bytes; a connector ` +
        'file is a JSON file of a few KB (at most 1 MiB is read).'
    )
  })

  it('gives the schema file its own findings, and tells the schema check the contentCategory', () => {
    write('c/connector.json', {
      id: 'kb1',
      name: 'KB',
      contentCategory: 'people',
      schema: 'people.json'
    })
    write('c/people.json', { baseType: 'microsoft.graph.externalItem', properties: PEOPLE })
    const people = readConnectorFile(target(), SETTINGS)
    // A people connector: Graph ignores the flag rules, so nothing is found.
    expect(people.findings).toEqual([])
    expect(people.connector?.schema?.properties).toHaveLength(2)
    expect(people.connector?.fields).toEqual({ name: 'KB', contentCategory: 'people' })

    write('c/connector.json', {
      id: 'kb1',
      name: 'KB',
      contentCategory: 'wikis',
      schema: 'people.json'
    })
    const wikis = readConnectorFile(target(), SETTINGS)
    expect(wikis.findings.map(f => [f.file, f.rule])).toContainEqual([
      'c/people.json',
      'searchable-type'
    ])
    // The schema's findings are on its file; the connection's (people labels, no people
    // category) on the connector file.
    expect(wikis.findings.filter(f => f.file === 'c/connector.json').map(f => f.rule)).toEqual([
      'people-category'
    ])
  })

  it('orders the findings: the connector file by line, then each other file by name and line, file-wide last', () => {
    write('c/connector.json', {
      id: 'kb1',
      name: 'KB',
      contentCategory: 'knowledgebse',
      searchSettings: {
        searchResultTemplates: [
          { id: 'b', priority: 1, layout: 'b.json' },
          { id: 'a', priority: 2, layout: 'a.json' }
        ]
      },
      schema: { properties: [{ name: 'x', type: 'strin' }] },
      bogus: 1
    })
    write('c/a.json', '{"type": 1,')
    write('c/b.json', '{"type": 1,')
    const { findings, connector } = readConnectorFile(target(), SETTINGS)
    expect(connector).toBeUndefined()
    const places = findings.map(f => `${f.file}:${f.line ?? '-'}`)
    // contentCategory (line 4), the inline schema's type (23), the unknown key (27), the
    // schema's file-wide readiness findings, then the layouts, a.json before b.json.
    expect(places).toEqual([
      'c/connector.json:4',
      'c/connector.json:23',
      'c/connector.json:27',
      'c/connector.json:-',
      'c/connector.json:-',
      'c/connector.json:-',
      'c/connector.json:-',
      'c/a.json:1',
      'c/b.json:1'
    ])
    expect(findings.map(f => f.rule).slice(0, 3)).toEqual([
      'content-category',
      'type',
      'unknown-key'
    ])
  })

  it('orders findings on one line by column, and keeps no connector when only the schema has an error', () => {
    write('c/connector.json', '{"id": "kb1", "name": "", "contentCategory": "x"}')
    expect(
      readConnectorFile(target(), SETTINGS).findings.map(f => [f.rule, f.line, f.column])
    ).toEqual([
      ['name', 1, 15],
      ['content-category', 1, 27]
    ])
    write('c/connector.json', {
      id: 'kb1',
      name: 'KB',
      schema: { properties: [{ name: 'x', type: 'strin' }] }
    })
    const check = readConnectorFile(target(), SETTINGS)
    expect(check.findings.filter(f => f.severity === 'error').map(f => f.rule)).toEqual(['type'])
    expect(check.connector).toBeUndefined()
  })

  it('refuses a connection-id that names another connection, in the voice of the front door', () => {
    write('c/connector.json', { id: 'kb1', name: 'KB' })
    expect(readConnectorFile(target('KB1'), SETTINGS).connector?.id).toBe('kb1')
    expect(() => readConnectorFile(target('other'), { ...SETTINGS, voice: cliVoice() })).toThrow(
      "--connection-id is 'other', but the connector file c/connector.json is for 'kb1'. Make them " +
        `the same, or drop it: the file's "id" names the connection.`
    )
  })

  it.each([
    ['C:/x.json', 'is an absolute path'],
    ['c:\\x.json', 'is an absolute path'],
    ['../outside.json', "is outside the connector file's folder"]
  ])('reads no named file outside its folder: %s', (layout, problem) => {
    write('outside.json', '{"type": "AdaptiveCard"}')
    write('c/connector.json', {
      id: 'kb1',
      name: 'KB',
      searchSettings: { searchResultTemplates: [{ id: 't', priority: 1, layout }] }
    })
    const [finding] = readConnectorFile(target(), SETTINGS).findings
    expect(finding.message).toContain(`'${layout}' ${problem}`)
  })

  it('reads a file named with a drive-like word that is no drive as a relative path', () => {
    write('c/xc:y.json', '{"type": "AdaptiveCard", "version": "1.3", "body": []}')
    write('c/connector.json', {
      id: 'kb1',
      name: 'KB',
      searchSettings: { searchResultTemplates: [{ id: 't', priority: 1, layout: 'xc:y.json' }] }
    })
    expect(
      readConnectorFile(target(), SETTINGS).findings.filter(f => f.severity === 'error')
    ).toEqual([])
  })

  it('makes a named file that is not there a finding, never a throw', () => {
    write('c/connector.json', {
      id: 'kb1',
      name: 'KB',
      searchSettings: { searchResultTemplates: [{ id: 't', priority: 1, layout: 'a.json' }] }
    })
    expect(readConnectorFile(target(), SETTINGS).findings[0].message).toContain(
      "the layout file 'a.json' cannot be read (ENOENT)"
    )
  })
})
