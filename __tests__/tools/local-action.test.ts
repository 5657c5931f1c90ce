// The action under @github/local-action, the tool people use to run an action
// on their machine: its stand-in for @actions/core lacks parts of the real one
// (core.ExitCode, for one), and the action must still pass and fail properly.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULTS, Simulator, startSimulator } from '../../simulator/simulator.js'

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
  const inputs: Record<string, string> = {
    'tenant-id': DEFAULTS.tenantId,
    'client-id': DEFAULTS.clientId,
    'client-secret': DEFAULTS.clientSecret,
    'connection-id': DEFAULTS.connectionId,
    'operation-id': operationId,
    'poll-interval-seconds': '0.2',
    'timeout-seconds': '30',
    'graph-url': sim.url,
    'authority-url': sim.url
  }
  writeFileSync(
    envFile,
    Object.entries(inputs)
      .map(([name, value]) => `INPUT_${name.toUpperCase()}=${value}`)
      .join('\n')
  )
  // Not spawnSync: the simulator answers from this process's event loop.
  const child = spawn(process.execPath, [SCRIPT, envFile], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', chunk => (output += chunk))
  child.stderr.on('data', chunk => (output += chunk))
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  return { code, output }
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
