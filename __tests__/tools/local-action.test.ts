// The action under @github/local-action, the tool people use to run an action
// on their machine: its stand-in for @actions/core lacks parts of the real one
// (core.ExitCode, for one), and the action must still pass and fail properly.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULTS, Simulator, startSimulator } from '../../simulator/simulator.js'
import { simulatorInputs } from '../helpers/run-action.js'
import { runCli } from '../helpers/run-cli.js'

const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'local-action.js')
let sim: Simulator
const dir = mkdtempSync(join(tmpdir(), 'local-action-'))

beforeAll(async () => {
  sim = await startSimulator()
  sim.setOperation(DEFAULTS.connectionId, 'completes', { statuses: ['inprogress', 'completed'] })
  sim.setOperation(DEFAULTS.connectionId, 'fails', {
    statuses: ['failed'],
    error: { code: 'InvalidSchema', message: 'The simulated schema was rejected.' }
  })
})
afterAll(async () => {
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
})

async function localAction(operationId: string) {
  const envFile = join(dir, `${operationId}.env`)
  const inputs = simulatorInputs(sim.url, { 'operation-id': operationId, 'timeout-seconds': '30' })
  writeFileSync(
    envFile,
    Object.entries(inputs)
      .map(([name, value]) => `INPUT_${name.toUpperCase()}=${value}`)
      .join('\n')
  )
  // The whole environment: the first run installs @github/local-action with npm.
  const run = await runCli([envFile], {
    command: [process.execPath, SCRIPT],
    env: { ...process.env } as Record<string, string>,
    killAfterMs: 190_000
  })
  return { code: run.code, output: run.stdout + run.stderr }
}

describe('@github/local-action', () => {
  it('runs a completed operation to a pass', async () => {
    const run = await localAction('completes')
    expect(run.output).toContain('::set-output name=status::completed')
    expect(run.output).not.toContain('::error')
    expect(run.code).toBe(0)
  }, 200_000)

  it('runs a failed operation to a failure with its annotation, not a crash', async () => {
    const run = await localAction('fails')
    expect(run.output).toContain('::set-output name=status::failed')
    expect(run.output).toContain(
      "::error title=Graph connector 'contosohr'::Operation 'fails' of connection 'contosohr' " +
        'failed: The simulated schema was rejected. (code InvalidSchema)'
    )
    expect(run.output).not.toContain('Cannot read properties of undefined')
    expect(run.code).toBe(1)
  }, 200_000)
})
