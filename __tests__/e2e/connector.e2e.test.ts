// End-to-end: connector as code, as the runner runs the bundle. One family, one
// case each: a connector file deployed and then found in sync (the second run
// writes nothing), and a plan that fails on drift, its findings and summary as
// the runner shows them.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Simulator, startSimulator } from '../../simulator/simulator.js'
import { runAction, simulatorInputs } from '../helpers/run-action.js'

let sim: Simulator
let workspace = ''

beforeEach(async () => {
  sim = await startSimulator()
  workspace = mkdtempSync(join(tmpdir(), 'workspace-'))
  cpSync(new URL('../../examples/connector/', import.meta.url), join(workspace, 'connector'), {
    recursive: true
  })
})
afterEach(async () => {
  await sim.close()
  rmSync(workspace, { recursive: true, force: true })
})

const run = (overrides: Record<string, string> = {}) =>
  runAction(
    simulatorInputs(sim.url, {
      'operation-id': '',
      'connection-id': '',
      'connector-file': 'connector/connector.json',
      ...overrides
    }),
    { env: { GITHUB_WORKSPACE: workspace } }
  )
const writes = () => sim.requestsTo('graph').filter(r => r.method !== 'GET')

describe('a connector file', () => {
  it('goes from the file to ready in one step; run again, it writes nothing', async () => {
    const first = await run()
    expect(first.errors).toEqual([])
    expect(first.code).toBe(0)
    expect(first.outputs).toMatchObject({ status: 'completed', changes: '13' })
    expect(writes().map(r => `${r.method} ${r.path}`)).toEqual([
      'POST /v1.0/external/connections',
      'PATCH /v1.0/external/connections/contosokb/schema'
    ])
    expect(first.summary).toContain('<h4>Changes: 13 fields and properties</h4>')
    expect(first.summary).toContain('<h4>Readiness</h4>')

    sim.requests.length = 0
    const second = await run()
    expect(second.code).toBe(0)
    expect(second.outputs).toMatchObject({ status: 'ready', changes: '0' })
    expect(writes()).toEqual([])
    expect(sim.requestsTo('graph')).toHaveLength(2)
  })

  it('plans with fail-on-changes: fails on drift, naming the change, and writes nothing', async () => {
    const result = await run({ plan: 'true', 'fail-on-changes': 'true' })
    expect(result.code).toBe(1)
    expect(writes()).toEqual([])
    expect(result.outputs).toMatchObject({
      status: 'planned',
      changes: '13',
      'error-code': 'ChangesFound'
    })
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^Connection 'contosokb' differs from connector\/connector\.json: 13 changes \(name: \(not set\) → 'Contoso knowledge base'/
      )
    ])
  })
})
