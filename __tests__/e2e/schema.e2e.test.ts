// End-to-end: from a schema file to a ready connector in one step. The bundled
// action checks the file locally, creates the connection when asked, submits
// the schema unless Graph already has it, and waits for the operation.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DEFAULTS,
  Simulator,
  graphError,
  startSimulator,
  throttled
} from '../../simulator/simulator.js'
import { annotationLines, runAction, simulatorInputs } from '../helpers/run-action.js'

const SCHEMA = JSON.parse(
  readFileSync(new URL('../fixtures/schema.json', import.meta.url), 'utf8')
) as { baseType: string; properties: Record<string, unknown>[] }
const FILE = 'connector/schema.json'

let sim: Simulator
let workspace = ''

beforeEach(async () => {
  sim = await startSimulator()
  sim.setConnection(DEFAULTS.connectionId, { statuses: ['ready'] })
  workspace = mkdtempSync(join(tmpdir(), 'workspace-'))
  mkdirSync(join(workspace, 'connector'))
  writeSchema(SCHEMA)
})
afterEach(async () => {
  await sim.close()
  rmSync(workspace, { recursive: true, force: true })
})

function writeSchema(schema: unknown, text = JSON.stringify(schema, null, 2)): void {
  writeFileSync(join(workspace, FILE), text)
}

/** Inputs that submit the schema file to contosohr, plus the overrides. */
const inputs = (overrides: Record<string, string> = {}) =>
  simulatorInputs(sim.url, { 'operation-id': '', 'schema-file': FILE, ...overrides })
const run = (overrides: Record<string, string> = {}, env: Record<string, string> = {}) =>
  runAction(inputs(overrides), { env: { GITHUB_WORKSPACE: workspace, ...env } })
const capitalize = (value: unknown) =>
  typeof value === 'string' ? value[0].toUpperCase() + value.slice(1) : value
const patches = () => sim.requestsTo('graph').filter(r => r.method === 'PATCH')

describe('a valid schema', () => {
  it('is submitted, and the step waits for its operation to complete', async () => {
    const result = await run()

    expect(result.errors).toEqual([])
    expect(result.code).toBe(0)
    expect(result.outputs.status).toBe('completed')
    const [patch] = patches()
    expect(patch.path).toBe('/v1.0/external/connections/contosohr/schema')
    expect(patch.headers['content-type']).toBe('application/json')
    expect(JSON.parse(patch.body)).toEqual(SCHEMA)
    expect(result.outputs['operation-url']).toMatch(
      new RegExp(`^${sim.url}/v1\\.0/external/connections/contosohr/operations/1\\.neu\\.`)
    )
    const polls = sim.requestsTo('graph').filter(r => r.path.includes('/operations/'))
    expect(polls.length).toBeGreaterThanOrEqual(2)
    expect(new URL(result.outputs['operation-url']).pathname).toBe(polls[0].path)
    // One sign-in for the GETs, the PATCH and the polls.
    expect(sim.requestsTo('token')).toHaveLength(1)
    expect(sim.schemaOf(DEFAULTS.connectionId)?.properties).toHaveLength(5)
    expect(result.stdout).toContain(`Checked ${FILE}: no findings.`)
  })

  it('without a baseType is sent with the one Graph requires', async () => {
    writeSchema({ properties: SCHEMA.properties })
    const result = await run()

    expect(result.errors).toEqual([])
    expect(result.outputs.status).toBe('completed')
    expect(JSON.parse(patches()[0].body)).toEqual({
      baseType: 'microsoft.graph.externalItem',
      properties: SCHEMA.properties
    })
  })

  it('is not submitted again when Graph already has it, and the connection is ready', async () => {
    sim.setSchema(DEFAULTS.connectionId, SCHEMA as never)
    const result = await run()

    expect(result.code).toBe(0)
    expect(patches()).toHaveLength(0)
    expect(result.outputs.status).toBe('ready')
    expect(result.outputs['operation-url']).toBe('')
    expect(result.stdout).toContain(
      `Connection 'contosohr' already has the schema in ${FILE} and is ready: no PATCH was sent.`
    )
    expect(result.summary).toContain('schema already in place')
  })

  it('with string flags and capitalised types, as Graph has it, is not submitted again', async () => {
    // Microsoft's own v1.0 example writes "true" and "String"; Graph hands back booleans and
    // lower-case enums. Compared as Graph reads them, the two are the same schema.
    const written = {
      ...SCHEMA,
      properties: SCHEMA.properties.map(p =>
        Object.fromEntries(
          Object.entries(p).map(([key, value]) => [
            key,
            typeof value === 'boolean' ? String(value) : key === 'type' ? capitalize(value) : value
          ])
        )
      )
    }
    writeSchema(written)
    sim.setSchema(DEFAULTS.connectionId, SCHEMA as never)
    const result = await run()

    expect(result.code).toBe(0)
    expect(patches()).toHaveLength(0)
    expect(result.outputs.status).toBe('ready')
    expect(result.warnings).toEqual([
      expect.stringMatching(/^\d+ flags are written as a string \("true" or "false"\)/)
    ])
  })

  it('waits for a draft connection that already has it to be ready, without a PATCH', async () => {
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['draft', 'draft', 'ready'] })
    sim.setSchema(DEFAULTS.connectionId, SCHEMA as never)
    const result = await run()

    expect(result.code).toBe(0)
    expect(patches()).toHaveLength(0)
    expect(result.outputs.status).toBe('ready')
  })

  it('shows the changes and warns about a removed property', async () => {
    sim.setSchema(DEFAULTS.connectionId, {
      ...SCHEMA,
      properties: [...SCHEMA.properties, { name: 'legacyCode', type: 'string' }]
    } as never)
    const result = await run()

    expect(result.code).toBe(0)
    expect(patches()).toHaveLength(1)
    expect(result.warnings.some(w => w.includes('legacyCode'))).toBe(true)
    expect(result.summary).toContain('<h4>Schema changes</h4>')
    expect(result.summary).toContain('<td>⚠️ removed</td><td><code>legacyCode</code></td>')
  })
})

describe('a connection that does not exist', () => {
  beforeEach(() => {
    sim.connections.clear()
  })

  it('is created first when connection-name is set', async () => {
    const result = await run({
      'connection-name': 'Contoso HR',
      'connection-description': 'Tickets from Contoso HR'
    })

    expect(result.errors).toEqual([])
    expect(result.code).toBe(0)
    const [create] = sim.requestsTo('graph').filter(r => r.method === 'POST')
    expect(create.path).toBe('/v1.0/external/connections')
    expect(JSON.parse(create.body)).toEqual({
      id: 'contosohr',
      name: 'Contoso HR',
      description: 'Tickets from Contoso HR'
    })
    expect(patches()).toHaveLength(1)
    expect(result.stdout).toContain("Created connection 'contosohr'.")
    expect(result.outputs.status).toBe('completed')
  })

  it('goes on when the create answers 409: it exists after all', async () => {
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['ready'] })
    // The first read says it is not there; by the POST, it is.
    sim.injectFaults(
      'graph',
      graphError(404, 'ItemNotFound', "The connection 'contosohr' was not found.")
    )
    const result = await run({ 'connection-name': 'Contoso HR' })

    expect(result.code).toBe(0)
    expect(
      sim
        .requestsTo('graph')
        .filter(r => r.method === 'POST')
        .map(r => r.status)
    ).toEqual([409])
    expect(result.stdout).toContain("Connection 'contosohr' already exists (Graph answered 409)")
    expect(patches()).toHaveLength(1)
  })

  it('fails, saying to set connection-name, when it is not set', async () => {
    const result = await run()

    expect(result.code).toBe(1)
    expect(result.errors).toEqual([
      "Graph found no connection 'contosohr'. Set connection-name (and connection-description) " +
        'to create it, or check connection-id, tenant-id and cloud.'
    ])
    expect(patches()).toHaveLength(0)
  })
})

describe('what Graph can answer to the PATCH', () => {
  it('throttling: a 429 is retried after its Retry-After', async () => {
    sim.onRequest = request => {
      if (request.method === 'PATCH' && patches().length === 1) {
        sim.injectFaults('graph', throttled('1'))
      }
    }
    const result = await run()

    expect(result.code).toBe(0)
    expect(patches().map(r => r.status)).toEqual([429, 202])
    const [first, second] = patches()
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000)
  })

  it("a 400: fails at once with Graph's message, code and details", async () => {
    sim.rejectNextSchema = {
      code: 'InvalidRequest',
      message: 'The schema is not valid.',
      details: [
        { code: 'InvalidLabel', message: 'Label iconUrl is not supported here.', target: 'iconUrl' }
      ]
    }
    const result = await run()

    expect(result.code).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(
      /^Graph refused to submit the schema of connection 'contosohr' \(HTTP 400, code InvalidRequest, request-id [0-9a-f-]{36}\): The schema is not valid\. Details: iconUrl: Label iconUrl is not supported here\. \(InvalidLabel\)\.$/
    )
    expect(patches()).toHaveLength(1)
  })

  it('a 403: names the permission a write needs', async () => {
    await sim.close()
    sim = await startSimulator({
      apps: [
        {
          clientId: DEFAULTS.clientId,
          secret: DEFAULTS.clientSecret,
          roles: ['ExternalConnection.Read.All']
        }
      ]
    })
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['ready'] })
    const result = await run()

    expect(result.code).toBe(1)
    expect(result.errors[0]).toMatch(
      /^Graph denied the app to submit the schema of connection 'contosohr' \(HTTP 403.*ExternalConnection\.ReadWrite\.OwnedBy \(or ExternalConnection\.ReadWrite\.All\).*Read\.All can only wait\.$/
    )
  })

  it('a failed operation: fails with the reason Graph gives', async () => {
    sim.schemaOperation = {
      statuses: ['inprogress', 'failed'],
      error: {
        code: 'InvalidSchema',
        message: 'Property priority cannot be refinable and searchable.'
      }
    }
    const result = await run()

    expect(result.code).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^Operation '1\.neu\.[^']+' of connection 'contosohr' failed: Property priority cannot be refinable and searchable\. \(code InvalidSchema\)$/
      )
    ])
    expect(result.outputs.status).toBe('failed')
    expect(result.outputs['operation-url']).toContain('/operations/1.neu.')
  })

  it('a Location on another host: refused, and no token goes there', async () => {
    sim.onRequest = request => {
      if (request.method === 'PATCH') {
        sim.injectFaults('graph', {
          status: 202,
          headers: {
            location:
              'https://graph.evil.example/v1.0/external/connections/contosohr/operations/1.x'
          },
          body: ''
        })
      }
    }
    const result = await run()

    expect(result.code).toBe(1)
    expect(result.errors).toEqual([
      `Graph's Location header points at https://graph.evil.example, not the Graph host ${sim.url}: ` +
        'the action sends its token to that host only, so it does not follow it.'
    ])
    expect(sim.requestsTo('graph').filter(r => r.path.includes('/operations/'))).toHaveLength(0)
  })

  it('a 202 without a Location: fails clearly', async () => {
    sim.onRequest = request => {
      if (request.method === 'PATCH') sim.injectFaults('graph', { status: 202, body: '' })
    }
    const result = await run()

    expect(result.code).toBe(1)
    expect(result.errors[0]).toMatch(
      /^Graph accepted the schema of connection 'contosohr' \(HTTP 202, request-id [^)]+\) but sent no Location header, so there is no operation to wait for\.$/
    )
  })
})

describe('validate-only', () => {
  it('checks the schema file with no credentials and sends nothing', async () => {
    const result = await runAction(
      {
        'schema-file': FILE,
        'connection-id': 'contosohr',
        'validate-only': 'true',
        'graph-url': sim.url,
        'authority-url': sim.url
      },
      { env: { GITHUB_WORKSPACE: workspace } }
    )

    expect(result.errors).toEqual([])
    expect(result.code).toBe(0)
    expect(result.outputs.status).toBe('valid')
    expect(sim.requests).toHaveLength(0)
    expect(result.stdout).toContain(
      `Schema file ${FILE} is valid (no findings); validate-only: nothing was sent to Graph.`
    )
    expect(result.summary).toContain(
      `<h3>✅ Checked ${FILE}: no findings (validate-only, nothing sent)</h3>`
    )
  })

  it('reports a broken file the same way, and fails', async () => {
    writeSchema({ ...SCHEMA, properties: [{ name: 'x y', type: 'string' }] })
    const result = await runAction(
      { 'schema-file': FILE, 'connection-id': 'contosohr', 'validate-only': 'true' },
      { env: { GITHUB_WORKSPACE: workspace } }
    )

    expect(result.code).toBe(1)
    expect(result.outputs.status).toBe('invalid')
    expect(result.outputs['error-code']).toBe('InvalidSchemaFile')
  })
})

describe('a schema file with errors fails in about a second with no request sent', () => {
  // One case per family here; every rule has its unit tests (__tests__/engine/schema.test.ts).
  const cases: [string, unknown, string][] = [
    ['the file is JSON', '{ "properties": [ }', 'The schema file is not valid JSON'],
    [
      'a refinable boolean, which Graph refuses',
      { properties: [{ name: 'done', type: 'boolean', isRefinable: true }] },
      'a boolean property cannot be refinable (Graph answers RefinerShouldNotBeOfType)'
    ]
  ]

  it.each(cases)('%s', async (_rule, schema, message) => {
    writeSchema(schema, typeof schema === 'string' ? schema : undefined)
    const sha = 'a'.repeat(40)
    const result = await run(
      {},
      {
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'contoso/connectors',
        GITHUB_SHA: sha
      }
    )

    expect(result.code).toBe(1)
    expect(sim.requests).toHaveLength(0)
    expect(result.errors.some(error => error.includes(message))).toBe(true)
    // One annotation per error, on the file and the line.
    const lines = annotationLines(result.stdout).filter(line => line.startsWith('::error'))
    expect(lines.length).toBe(result.errors.length)
    for (const line of lines) {
      expect(line).toMatch(new RegExp(`^::error title=Schema file ${FILE},file=${FILE},line=\\d+`))
    }
    expect(result.outputs.status).toBe('invalid')
    expect(result.summary).toContain('<h4>Findings</h4>')
    // Each finding's line links to the file at the run's commit.
    expect(result.summary).toMatch(
      new RegExp(
        `<a href="https://github\\.com/contoso/connectors/blob/${sha}/${FILE}#L\\d+">\\d+</a>`
      )
    )
    expect(result.durationMs).toBeLessThan(2_000)
  })

  it('names the line and the column of a JSON error', async () => {
    writeSchema(undefined, '{\n  "properties": [\n    { "name": "a", }\n  ]\n}')
    const result = await run()

    expect(annotationLines(result.stdout)[0]).toMatch(
      new RegExp(`^::error title=[^,]+,file=${FILE},line=3,col=`)
    )
  })

  it('lists every finding, not the first only', async () => {
    writeSchema({
      properties: [
        { name: 'a b', type: 'string' },
        { name: 'count', type: 'int64', isSearchable: true },
        { name: 'x', type: 'bogus' }
      ]
    })
    const result = await run()

    expect(result.errors.length).toBeGreaterThanOrEqual(3)
    expect(result.warnings.length).toBeGreaterThanOrEqual(3) // Copilot readiness
  })
})

describe('Copilot readiness', () => {
  const bare = { properties: [{ name: 'body', type: 'string', isSearchable: false }] }

  it('warns, naming what is missing, and still submits', async () => {
    writeSchema(bare)
    const result = await run()

    expect(result.code).toBe(0)
    expect(result.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining("'title' label"),
        expect.stringContaining("'url' label"),
        expect.stringContaining("'iconUrl' label"),
        expect.stringContaining('no property is searchable')
      ])
    )
    expect(patches()).toHaveLength(1)
  })

  it('fails with require-copilot-ready, before any request', async () => {
    writeSchema(bare)
    const result = await run({ 'require-copilot-ready': 'true' })

    expect(result.code).toBe(1)
    expect(result.errors).toHaveLength(4)
    expect(sim.requests).toHaveLength(0)
  })
})

describe('inputs that go with schema-file', () => {
  it.each([
    ['operation-id', { 'operation-id': '1.abc' }],
    [
      'operation-url',
      {
        'connection-id': '',
        'operation-url': 'http://127.0.0.1/v1.0/external/connections/c/operations/1'
      }
    ]
  ])('refuses %s, saying why', async (name, overrides) => {
    const result = await run(overrides)

    expect(result.code).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Input '${name}' cannot be used with schema-file: with a schema file the action submits the schema itself`
        )
      )
    ])
    expect(sim.requests).toHaveLength(0)
  })

  it('says which file cannot be read', async () => {
    const result = await run({ 'schema-file': 'connector/missing.json' })

    expect(result.errors).toEqual([
      "Input 'schema-file': 'connector/missing.json' cannot be read (ENOENT). It must be the path " +
        'of a JSON file, relative to the workspace (GITHUB_WORKSPACE), such as connector/schema.json.'
    ])
    expect(sim.requests).toHaveLength(0)
  })
})
