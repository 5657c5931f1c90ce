// Putting a checked schema on its connection: create when asked, skip what is
// already in place, submit the rest, with a stand-in for the Graph client.
import { describe, expect, it, jest } from '@jest/globals'
import { deploySchema, describeDiff } from '../../src/engine/deploy.js'
import { checkSchema, type Schema } from '../../src/engine/schema.js'
import type { GraphClient } from '../../src/engine/graph.js'
import type { SchemaTarget } from '../../src/engine/model.js'
import { recordingLog } from '../helpers/recording-log.js'

const SCHEMA = {
  baseType: 'microsoft.graph.externalItem',
  properties: [{ name: 'title', type: 'string', isRetrievable: true, labels: ['title'] }]
}
const OPERATION = {
  url: 'https://g/v1.0/external/connections/c1x/operations/1.a',
  connectionId: 'c1x',
  operationId: '1.a'
}
const target: SchemaTarget = {
  kind: 'schema',
  connectionId: 'c1x',
  schemaFile: { path: '/w/s.json', shown: 's.json' }
}

function graph(state: { connection?: object; schema?: object; create?: 'created' | 'exists' }) {
  const client = {
    findConnection: jest.fn(async () => state.connection),
    getConnection: jest.fn(async () => ({ id: 'c1x', state: 'draft' })),
    createConnection: jest.fn(async (..._args: unknown[]) => state.create ?? 'created'),
    getSchema: jest.fn(async () => state.schema),
    submitSchema: jest.fn(async (..._args: unknown[]) => OPERATION)
  }
  return client
}

async function deploy(
  client: ReturnType<typeof graph>,
  to: SchemaTarget = target,
  schema: Schema = SCHEMA
) {
  const log = recordingLog()
  const deployment = await deploySchema(client as unknown as GraphClient, to, schema, log)
  return { deployment, log }
}

describe('deploySchema', () => {
  it('submits the schema to a connection without one, and returns its operation', async () => {
    const client = graph({ connection: { id: 'c1x', state: 'draft' } })
    const { deployment, log } = await deploy(client)
    expect(deployment).toEqual({
      kind: 'submitted',
      operation: OPERATION,
      created: false,
      diff: undefined
    })
    expect(client.submitSchema).toHaveBeenCalledWith('c1x', SCHEMA)
    expect(client.createConnection).not.toHaveBeenCalled()
    expect(log.lines).toEqual(["info: Submitted the schema; Graph started operation '1.a'."])
  })

  it('fails, saying to set connection-name, for a missing connection it may not create', async () => {
    const client = graph({})
    await expect(deploy(client)).rejects.toThrow(
      "Graph found no connection 'c1x'. Set connection-name (and connection-description) to create " +
        'it, or check connection-id, tenant-id and cloud.'
    )
    expect(client.submitSchema).not.toHaveBeenCalled()
  })

  it('creates a missing connection when asked, then submits', async () => {
    const client = graph({})
    const { deployment, log } = await deploy(client, {
      ...target,
      create: { name: 'C1X', description: 'd' }
    })
    expect(client.createConnection).toHaveBeenCalledWith({
      id: 'c1x',
      name: 'C1X',
      description: 'd'
    })
    expect(deployment).toMatchObject({ kind: 'submitted', created: true })
    expect(log.lines[0]).toBe("info: Created connection 'c1x'.")
  })

  it('goes on when the create finds the connection there after all', async () => {
    const client = graph({ create: 'exists' })
    const { deployment, log } = await deploy(client, {
      ...target,
      create: { name: 'C', description: '' }
    })
    expect(deployment).toMatchObject({ kind: 'submitted', created: false })
    expect(log.lines[0]).toBe(
      "info: Connection 'c1x' already exists (Graph answered 409); it is left as it is."
    )
  })

  it('sends no PATCH when the schema is in place on a ready connection', async () => {
    const connection = { id: 'c1x', state: 'Ready' }
    const client = graph({ connection, schema: { ...SCHEMA, '@odata.context': 'x' } })
    const { deployment, log } = await deploy(client)
    expect(deployment).toEqual({ kind: 'inPlace', connection, ready: true, created: false })
    expect(client.submitSchema).not.toHaveBeenCalled()
    expect(log.lines).toEqual(["info: Connection 'c1x' already has this schema; no PATCH sent."])
  })

  it('sends no PATCH for a file with string flags and capitals that Graph has as booleans', async () => {
    const file = JSON.stringify({
      properties: [{ name: 'Title', type: 'String', isRetrievable: 'TRUE', labels: ['Title'] }]
    })
    const checked = checkSchema(file).schema
    expect(checked).toBeDefined()
    const client = graph({ connection: { id: 'c1x', state: 'ready' }, schema: SCHEMA })
    const { deployment } = await deploy(client, target, checked as Schema)
    expect(deployment.kind).toBe('inPlace')
    expect(client.submitSchema).not.toHaveBeenCalled()
  })

  it('sends no PATCH, and says it waits, when the schema is in place on a draft connection', async () => {
    const client = graph({ connection: { id: 'c1x', state: 'draft' }, schema: SCHEMA })
    const { deployment, log } = await deploy(client)
    expect(deployment).toMatchObject({ kind: 'inPlace', ready: false })
    expect(log.lines).toEqual([
      "info: Connection 'c1x' already has this schema; no PATCH sent, waiting for it to be ready."
    ])
  })

  it('logs the changes and warns about a removed property before submitting', async () => {
    const current = {
      ...SCHEMA,
      properties: [...SCHEMA.properties, { name: 'gone', type: 'string' }]
    }
    const client = graph({ connection: { id: 'c1x', state: 'ready' }, schema: current })
    const { deployment, log } = await deploy(client)
    expect(deployment).toMatchObject({ kind: 'submitted', diff: { removed: ['gone'] } })
    expect(log.lines[0]).toBe('info: Schema changes: removed gone.')
    expect(log.lines[1]).toMatch(/^warning: .*gone/)
    // One change: no "… and 0 more" line.
    expect(warningsOf(log.lines)).toHaveLength(1)
  })

  /** A Graph whose schema has SCHEMA's properties and `count` more, which the file removes. */
  function removing(count: number) {
    const gone = Array.from({ length: count }, (_, i) => ({ name: `gone${i}`, type: 'string' }))
    const current = { ...SCHEMA, properties: [...SCHEMA.properties, ...gone] }
    return graph({ connection: { id: 'c1x', state: 'ready' }, schema: current })
  }
  const warningsOf = (lines: string[]) => lines.filter(line => line.startsWith('warning: '))

  it('warns of at most 10 changes, and counts the rest, however many Graph has', async () => {
    const client = removing(19_000)
    const { log } = await deploy(client)
    const warnings = warningsOf(log.lines)
    expect(warnings).toHaveLength(11)
    expect(warnings[9]).toMatch(/^warning: Property 'gone\d+' would be removed/)
    expect(warnings[10]).toBe(
      'warning: … and 18990 more warnings like these about the schema changes.'
    )
    expect(client.submitSchema).toHaveBeenCalled()
  })

  it('counts no rest when there are exactly 10 changes to warn of', async () => {
    const { log } = await deploy(removing(10))
    expect(warningsOf(log.lines)).toHaveLength(10)
  })
})

describe('describeDiff', () => {
  it('says what was added, changed and removed, or none', () => {
    expect(
      describeDiff({
        same: false,
        added: ['a', 'b'],
        changed: [{ name: 'c', fields: ['type'] }],
        removed: ['d'],
        warnings: []
      })
    ).toBe('added a, b; changed c (type); removed d')
    expect(
      describeDiff({
        same: false,
        added: [],
        changed: [
          { name: 'c', fields: ['type', 'labels'] },
          { name: 'e', fields: ['aliases'] }
        ],
        removed: ['d', 'f'],
        warnings: []
      })
    ).toBe('changed c (type, labels), e (aliases); removed d, f')
    expect(describeDiff({ same: true, added: [], changed: [], removed: [], warnings: [] })).toBe(
      'none'
    )
  })
})
