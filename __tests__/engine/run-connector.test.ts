// runStep() with a connector file, in process against the loopback simulator:
// a new connector in one step, an unchanged file that writes nothing, one PATCH
// with only what differs, the read-back, a refused schema change stopped before
// any write, the plan and the drift check.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createBudget } from '../../src/engine/budget.js'
import { InputError } from '../../src/engine/errors.js'
import { runStep } from '../../src/engine/run.js'
import { readSettings } from '../../src/engine/settings.js'
import { graphError, startSimulator } from '../../simulator/simulator.js'
import type { Simulator } from '../../simulator/simulator.js'
import { simulatorInputs } from '../helpers/run-action.js'
import { recordingLog } from '../helpers/recording-log.js'

const EXAMPLE = new URL('../../examples/connector/', import.meta.url)
const ID = 'contosokb'
type JsonLike = Record<string, unknown>

let sim: Simulator
let workspace = ''
let file: Record<string, unknown>

beforeEach(async () => {
  sim = await startSimulator()
  workspace = mkdtempSync(join(tmpdir(), 'run-connector-'))
  cpSync(EXAMPLE, join(workspace, 'connector'), { recursive: true })
  file = JSON.parse(readFileSync(join(workspace, 'connector', 'connector.json'), 'utf8'))
})
afterEach(async () => {
  await sim.close()
  rmSync(workspace, { recursive: true, force: true })
})

/** Writes the connector file with these changes to the example. */
function edit(change: (json: Record<string, unknown>) => void): void {
  change(file)
  writeFileSync(join(workspace, 'connector', 'connector.json'), JSON.stringify(file, null, 2))
}

async function step(overrides: Record<string, string> = {}) {
  const inputs = simulatorInputs(sim.url, {
    'poll-interval-seconds': '0.05',
    'operation-id': '',
    'connection-id': '',
    'connector-file': 'connector/connector.json',
    ...overrides
  })
  const settings = readSettings(name => inputs[name] ?? '', { GITHUB_WORKSPACE: workspace })
  const log = recordingLog()
  const groups: string[] = []
  const outcome = await runStep(settings, {
    log,
    budget: createBudget({ timeoutMs: settings.timeoutMs, signal: new AbortController().signal }),
    group: (title, work) => {
      groups.push(title)
      return work()
    }
  })
  return { ...outcome, log, groups }
}
const graphRequests = () => sim.requestsTo('graph')
const writes = () => graphRequests().filter(r => r.method !== 'GET')

/** Deploys the example once, then forgets the requests it took. */
async function deployed(): Promise<void> {
  const { verdict } = await step()
  expect(verdict.level).toBe('pass')
  sim.requests.length = 0
}

describe('runStep(): a connector file', () => {
  it('takes a new connector from the file to ready in one step', async () => {
    const { verdict, groups, findings } = await step()

    expect(findings).toEqual([])
    expect(verdict.level).toBe('pass')
    const [post, schema] = writes()
    expect(post).toMatchObject({ method: 'POST', path: '/v1.0/external/connections' })
    const created = JSON.parse(post.body)
    expect(Object.keys(created).sort()).toEqual(
      [
        'id',
        'name',
        'description',
        'contentCategory',
        'activitySettings',
        'searchSettings',
        'configuration'
      ].sort()
    )
    // The layout file is sent inline, and the resolver names its type.
    expect(created.searchSettings.searchResultTemplates[0].layout.type).toBe('AdaptiveCard')
    expect(created.activitySettings.urlToItemResolvers[0]['@odata.type']).toBe(
      '#microsoft.graph.externalConnectors.itemIdResolver'
    )
    expect(schema).toMatchObject({
      method: 'PATCH',
      path: `/v1.0/external/connections/${ID}/schema`
    })
    expect(writes()).toHaveLength(2)
    expect(verdict.outputs.status).toBe('completed')
    // 6 fields (id names the connection, it is no change) and 7 properties.
    expect(verdict.outputs.changes).toBe('13')
    expect(groups[0]).toBe(`Comparing connection '${ID}' with connector/connector.json`)
    const captions = verdict.summary.tables?.map(table => table.caption)
    expect(captions).toEqual(['Changes: 13 fields and properties', 'Readiness'])
    expect(sim.schemaOf(ID)?.properties).toHaveLength(7)
  })

  it("says what a deployment wrote, the operation's URL, and a warning in its headline", async () => {
    edit(json => (json.bogus = 1))
    const { verdict } = await step()
    expect(verdict.summary.headline).toMatch(
      /^⚠️ contosokb: 13 changes deployed in .* with 1 warning$/
    )
    expect(verdict.summary.rows).toEqual([
      { label: 'Connector file', value: 'connector/connector.json', code: true },
      {
        label: 'Written to Graph',
        value:
          'POST with name, description, contentCategory, activitySettings, searchSettings, ' +
          'configuration; the schema (PATCH)'
      }
    ])
    expect(verdict.outputs['operation-url']).toMatch(
      new RegExp(`^${sim.url}/v1\\.0/external/connections/${ID}/operations/1\\.neu\\.`)
    )
    expect(verdict.summary.tables?.map(table => table.caption)).toEqual([
      'Findings',
      'Changes: 13 fields and properties',
      'Readiness'
    ])
  })

  it('says one change deployed in the singular when one property is added', async () => {
    await deployed()
    edit(json => {
      const schema = json.schema as { properties: JsonLike[] }
      schema.properties.push({ name: 'extra', type: 'string', isRetrievable: true })
    })
    const { verdict } = await step()
    expect(verdict.outputs.changes).toBe('1')
    expect(verdict.summary.headline).toMatch(/^✅ contosokb: 1 change deployed in /)
  })

  it('keeps the plan and the file in the summary of a write Graph refuses, and no readiness list', async () => {
    await deployed()
    edit(json => (json.description = 'New words.'))
    // The connection's PATCH, and only it, is refused.
    sim.onRequest = request => {
      if (request.method === 'PATCH' && !request.path.endsWith('/schema')) {
        sim.injectFaults('graph', graphError(400, 'BadRequest', 'The description is refused.'))
      }
    }
    sim.requests.length = 0
    const { verdict } = await step()
    expect(verdict.level).toBe('fail')
    expect(verdict.outputs.changes).toBe('1')
    expect(verdict.summary.rows).toContainEqual({
      label: 'Connector file',
      value: 'connector/connector.json',
      code: true
    })
    expect(verdict.summary.tables?.map(table => table.caption)).toEqual([
      'Changes: 1 field or property'
    ])
    expect(verdict.summary.headline).toBe('❌ contosokb: deployment failed')
  })

  it('names the connector file in the summary of a read that fails, and the failed operation has no readiness', async () => {
    sim.injectFaults('graph', graphError(403, 'Forbidden', 'No access.'))
    const denied = await step()
    expect(denied.verdict.level).toBe('fail')
    expect(denied.verdict.summary.headline).toBe('❌ contosokb: plan failed')
    expect(denied.verdict.summary.rows[0]).toEqual({
      label: 'Connector file',
      value: 'connector/connector.json',
      code: true
    })
    sim.schemaOperation = { statuses: ['failed'], error: { code: 'Bad', message: 'No.' } } as never
    const failed = await step()
    expect(failed.verdict.level).toBe('fail')
    expect(failed.verdict.summary.tables?.map(table => table.caption)).toEqual([
      'Changes: 13 fields and properties'
    ])
  })

  it('refuses a removed property in a plan without fail-on-changes', async () => {
    await deployed()
    edit(json => {
      const schema = json.schema as { properties: { name: string }[] }
      schema.properties = schema.properties.filter(p => p.name !== 'authors')
    })
    const { verdict } = await step({ plan: 'true' })
    expect(verdict.outputs).toMatchObject({
      status: 'refused',
      'error-code': 'SchemaChangeRefused'
    })
  })

  it('writes nothing for an unchanged file, in 2 Graph requests', async () => {
    await deployed()
    const { verdict, log } = await step()

    expect(writes()).toEqual([])
    expect(graphRequests().map(r => `${r.method} ${r.path}`)).toEqual([
      `GET /v1.0/external/connections/${ID}`,
      `GET /v1.0/external/connections/${ID}/schema`
    ])
    expect(verdict.level).toBe('pass')
    expect(verdict.outputs).toMatchObject({ status: 'ready', changes: '0' })
    expect(verdict.message).toBe(
      `Connection '${ID}' matches connector/connector.json and is ready: nothing was written.`
    )
    expect(log.lines).toContain(`info: Connection '${ID}': 0 changes to make.`)
  })

  it('sends one PATCH with only the description when only it changed, and reads it back', async () => {
    await deployed()
    edit(json => (json.description = 'New words for Copilot.'))
    const { verdict } = await step()

    expect(writes()).toHaveLength(1)
    const [patch] = writes()
    expect(patch).toMatchObject({ method: 'PATCH', path: `/v1.0/external/connections/${ID}` })
    expect(JSON.parse(patch.body)).toEqual({ description: 'New words for Copilot.' })
    // The read-back after the write.
    expect(graphRequests().map(r => `${r.method} ${r.path}`)).toEqual([
      `GET /v1.0/external/connections/${ID}`,
      `GET /v1.0/external/connections/${ID}/schema`,
      `PATCH /v1.0/external/connections/${ID}`,
      `GET /v1.0/external/connections/${ID}`
    ])
    expect(verdict.level).toBe('pass')
    expect(verdict.message).toBe(
      `Connection '${ID}' now matches connector/connector.json (1 change written) and is ready.`
    )
    expect(verdict.outputs.changes).toBe('1')
    expect(verdict.summary.tables?.[0].rows).toEqual([
      [
        { text: 'description', code: true },
        'field',
        'update',
        expect.stringMatching(/^description: '.*' → 'New words for Copilot\.'$/)
      ]
    ])
    expect(verdict.summary.headline).toMatch(/^(✅|⚠️) contosokb: 1 change deployed in /)
    expect(verdict.summary.rows).toContainEqual({
      label: 'Written to Graph',
      value: 'PATCH with description'
    })
  })

  it('fails when Graph accepts a PATCH but keeps a field, naming it and both values', async () => {
    await deployed()
    sim.ignoreConnectionFields(['contentCategory'])
    edit(json => (json.contentCategory = 'wikis'))
    const { verdict } = await step()

    expect(verdict.level).toBe('fail')
    expect(verdict.outputs['error-code']).toBe('FieldNotUpdated')
    expect(verdict.message).toContain("contentCategory: 'knowledgeBase' → 'wikis'")
    expect(verdict.message).toContain('api-version: beta')
    // No schema was submitted after the failed read-back.
    expect(writes().map(r => r.method)).toEqual(['PATCH'])
  })

  it('fails a removed property before any write, saying the connection must be recreated', async () => {
    await deployed()
    edit(json => {
      const schema = json.schema as { properties: { name: string }[] }
      schema.properties = schema.properties.filter(p => p.name !== 'authors')
      json.description = 'Changed too, and not sent.'
    })
    const { verdict } = await step()

    expect(writes()).toEqual([])
    expect(verdict.level).toBe('fail')
    expect(verdict.outputs['error-code']).toBe('SchemaChangeRefused')
    expect(verdict.message).toContain("Property 'authors' is removed")
    expect(verdict.message).toContain(`DELETE /external/connections/${ID}`)
    expect(verdict.message).toContain('You cannot delete an existing property')
    expect(verdict.summary.headline).toBe(
      `❌ ${ID}: Graph refuses 1 schema change; nothing written`
    )
    expect(verdict.summary.failure?.message).toBe(verdict.message)
    expect(verdict.summary.todo).toMatch(/^Put the property back as Graph has it, or .*DELETE/)
    expect(verdict.summary.tables?.[0].rows[1]).toEqual([
      { text: 'authors', code: true },
      'property removed',
      '❌ refused',
      expect.stringContaining("Property 'authors' is removed")
    ])
  })

  it('plans again on a 409, and a refused change it brings to light stops every write', async () => {
    await deployed()
    edit(json => {
      const schema = json.schema as { properties: { name: string }[] }
      schema.properties = schema.properties.filter(p => p.name !== 'authors')
      json.description = 'Changed too, and not sent.'
    })
    // The first read misses the connection (made meanwhile): the create answers 409.
    sim.injectFaults('graph', graphError(404, 'NotFound', 'Not there yet.'))
    const { verdict } = await step()

    expect(writes().map(r => `${r.method} ${r.path}`)).toEqual(['POST /v1.0/external/connections'])
    expect(verdict.outputs).toMatchObject({ 'error-code': 'SchemaChangeRefused', changes: '2' })
    expect(verdict.message).toContain("Property 'authors' is removed")
  })

  it('reports a property Graph has and the file lacks as drift with fail-on-changes', async () => {
    await deployed()
    edit(json => {
      const schema = json.schema as { properties: { name: string }[] }
      schema.properties = schema.properties.filter(p => p.name !== 'authors')
    })
    const { verdict } = await step({ plan: 'true', 'fail-on-changes': 'true' })
    expect(verdict.outputs).toMatchObject({ 'error-code': 'ChangesFound', changes: '1' })
    expect(verdict.message).toContain('add it to the file instead')
  })

  it('writes nothing on a re-run when a template leaves its priority to Graph (0)', async () => {
    edit(json => {
      const templates = (json.searchSettings as { searchResultTemplates: JsonLike[] })
        .searchResultTemplates
      delete templates[0].priority
    })
    await deployed()
    const { verdict } = await step()
    expect(writes()).toEqual([])
    expect(verdict.outputs.changes).toBe('0')
  })

  it('ends with a warning, not a wait, when the file has no schema and the connection is a draft', async () => {
    edit(json => delete json.schema)
    const { verdict, groups } = await step()
    expect(verdict.level).toBe('warn')
    expect(verdict.outputs).toMatchObject({ status: 'draft', changes: '6' })
    expect(verdict.message).toContain('a connection stays a draft until its schema is submitted')
    expect(verdict.message).toContain('schema-file')
    expect(groups.some(group => group.startsWith('Waiting'))).toBe(false)
  })

  it('plans without writing: a new connection is not created', async () => {
    const { verdict } = await step({ plan: 'true' })

    expect(writes()).toEqual([])
    expect(verdict.level).toBe('pass')
    expect(verdict.outputs).toMatchObject({ status: 'planned', changes: '13' })
    expect(verdict.message).toMatch(
      /^Plan for connection 'contosokb' \(to be created\): 13 changes/
    )
  })

  it('fails on drift with fail-on-changes, naming each change, and passes without drift', async () => {
    await deployed()
    const inSync = await step({ plan: 'true', 'fail-on-changes': 'true' })
    expect(inSync.verdict.level).toBe('pass')
    expect(inSync.verdict.outputs.changes).toBe('0')

    // Someone edits the description in the admin center.
    const stored = sim.connections.get(ID) as { resource: Record<string, unknown> }
    stored.resource = { ...stored.resource, description: 'Edited in the admin center.' }
    const drift = await step({ plan: 'true', 'fail-on-changes': 'true' })
    expect(writes()).toEqual([])
    expect(drift.verdict.level).toBe('fail')
    expect(drift.verdict.outputs['error-code']).toBe('ChangesFound')
    expect(drift.verdict.outputs.changes).toBe('1')
    expect(drift.verdict.message).toContain("description: 'Edited in the admin center.' → ")
  })

  it('with validate-only, checks the files and sends nothing', async () => {
    const { verdict } = await step({ 'validate-only': 'true' })
    expect(graphRequests()).toEqual([])
    expect(sim.requestsTo('token')).toEqual([])
    expect(verdict.outputs.status).toBe('valid')
    expect(verdict.message).toMatch(/^Connector file connector\/connector\.json is valid/)
  })

  it('reports the findings of the files it names on those files', async () => {
    edit(json => {
      json.contentCategory = 'knowledgebse'
    })
    writeFileSync(join(workspace, 'connector', 'resultLayout.json'), '{"type": "AdaptiveCard",')
    const { verdict, findings } = await step()
    expect(verdict.outputs['error-code']).toBe('InvalidConnectorFile')
    expect(findings.map(f => f.file)).toEqual([
      'connector/connector.json',
      'connector/resultLayout.json'
    ])
    expect(findings[0].message).toContain('knowledgeBase')
    expect(graphRequests()).toEqual([])
    // The summary's lines point at the files as the workspace names them.
    const places = verdict.summary.tables?.[0].rows.map(row => (row[2] as { at?: unknown }).at)
    expect(places).toEqual([
      { path: 'connector/connector.json', line: 6 },
      { path: 'connector/resultLayout.json', line: 1 }
    ])
  })

  it.each([
    ['../outside.json', "is outside the connector file's folder"],
    ['/etc/hostname', 'is an absolute path'],
    ['link.json', "is outside the connector file's folder"],
    ['gone.json', 'cannot be read (ENOENT)']
  ])(
    'reads no layout file outside its folder, even on the command line: %s',
    async (layout, problem) => {
      writeFileSync(join(workspace, 'outside.json'), '{"type": "AdaptiveCard"}')
      symlinkSync(join(workspace, 'outside.json'), join(workspace, 'connector', 'link.json'))
      edit(json => {
        const templates = (json.searchSettings as { searchResultTemplates: JsonLike[] })
          .searchResultTemplates
        templates[0].layout = layout
      })
      const inputs = simulatorInputs(sim.url, {
        'operation-id': '',
        'connection-id': '',
        'connector-file': join(workspace, 'connector', 'connector.json'),
        'validate-only': 'true'
      })
      // As the command line reads it: no workspace to stay in.
      const settings = readSettings(name => inputs[name] ?? '', {}, { filesAnywhere: true })
      const outcome = await runStep(settings, {
        log: recordingLog(),
        budget: createBudget({ timeoutMs: 5_000, signal: new AbortController().signal }),
        group: (_title, work) => work()
      })
      expect(outcome.verdict.outputs['error-code']).toBe('InvalidConnectorFile')
      expect(outcome.findings.map(f => f.message)).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `the layout file '${layout.replace(/\./g, '\\.')}' ${problem.replace(/[().]/g, '\\$&')}.*; name a file next to or below`
          )
        )
      )
    }
  )

  it('refuses a connection-id that is not the file id, before any request', async () => {
    await expect(step({ 'connection-id': 'contosohr' })).rejects.toThrow(InputError)
    await expect(step({ 'connection-id': 'contosohr' })).rejects.toThrow(
      "Input 'connection-id' is 'contosohr', but the connector file connector/connector.json is for 'contosokb'"
    )
    expect(graphRequests()).toEqual([])
  })
})
