// The action's front door, run(), in process: @actions/core recorded, the
// engine against the loopback simulator (a few milliseconds a case). The
// end-to-end tests run dist/index.js as the runner does.
import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULTS, startSimulator } from '../../simulator/simulator.js'
import type { Simulator } from '../../simulator/simulator.js'
import { OPERATION_ID, actionDefaults, simulatorInputs } from '../helpers/run-action.js'

const calls: string[] = []
const outputs: Record<string, string> = {}
const secrets: string[] = []
let inputs: Record<string, string> = {}
let outputsBroken = false
/** Each error annotation with its properties. */
const annotations: Record<string, unknown>[] = []
const actual = await import('@actions/core')
jest.unstable_mockModule('@actions/core', () => ({
  ...actual,
  // As the runner passes them: every default of action.yml, then the step's inputs, trimmed.
  getInput: (name: string) => (inputs[name] ?? '').trim(),
  setOutput: (name: string, value: string) => {
    if (outputsBroken) throw new Error('GITHUB_OUTPUT names a file that is not there')
    outputs[name] = value
  },
  setSecret: (value: string) => secrets.push(value),
  error: (message: string, props?: { title?: string; file?: string; startLine?: number }) => {
    annotations.push({ message, ...props })
    calls.push(`error${props?.file ? ` [${props.file}:${props.startLine ?? ''}]` : ''}: ${message}`)
  },
  warning: (message: string, props?: { file?: string }) =>
    calls.push(`warning${props?.file ? ` [${props.file}]` : ''}: ${message}`),
  info: (message: string) => calls.push(`info: ${message}`),
  debug: (message: string) => calls.push(`debug: ${message}`),
  group: async <T>(title: string, work: () => Promise<T>) => {
    calls.push(`group: ${title}`)
    return work()
  }
}))
const { run } = await import('../../src/action/main.js')

let sim: Simulator
const dir = mkdtempSync(join(tmpdir(), 'action-main-'))
const summaryFile = join(dir, 'summary.md')
const signalListeners = () => [...process.listeners('SIGINT'), ...process.listeners('SIGTERM')]
let listenersBefore: unknown[] = []

beforeEach(async () => {
  sim = await startSimulator()
  sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress', 'completed'] })
  calls.length = 0
  secrets.length = 0
  annotations.length = 0
  for (const key of Object.keys(outputs)) delete outputs[key]
  process.exitCode = undefined
  writeFileSync(summaryFile, '')
  process.env.GITHUB_STEP_SUMMARY = summaryFile
  process.env.GITHUB_WORKSPACE = dir
  actual.summary.emptyBuffer()
  listenersBefore = signalListeners()
})
afterEach(async () => {
  // run() stays listening for the runner's signals until the process ends; a test is not one.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) {
      if (!listenersBefore.includes(listener)) process.off(signal, listener)
    }
  }
  process.exitCode = undefined
  outputsBroken = false
  await sim.close()
})
afterAll(() => {
  delete process.env.GITHUB_STEP_SUMMARY
  delete process.env.GITHUB_WORKSPACE
  rmSync(dir, { recursive: true, force: true })
})

/** Runs the action with action.yml's defaults, the simulator's inputs and the overrides. */
async function action(overrides: Record<string, string> = {}) {
  inputs = {
    ...actionDefaults(),
    ...simulatorInputs(sim.url, { 'poll-interval-seconds': '0.05', ...overrides })
  }
  await run()
  return {
    exitCode: process.exitCode,
    errors: calls.filter(call => call.startsWith('error')),
    summary: readFileSync(summaryFile, 'utf8')
  }
}

describe('run()', () => {
  it('passes a completed operation: outputs, summary, exit code untouched', async () => {
    const result = await action()

    expect(result.exitCode).toBeUndefined()
    expect(result.errors).toEqual([])
    expect(outputs).toMatchObject({ status: 'completed', 'error-code': '', 'error-message': '' })
    expect(outputs['operation-url']).toBe(
      `${sim.url}/v1.0/external/connections/contosohr/operations/${OPERATION_ID}`
    )
    expect(calls).toContain(
      `group: Waiting for operation '${OPERATION_ID}' of connection 'contosohr'`
    )
    expect(result.summary).toContain('completed')
  })

  it('masks the secret inputs before any input is checked', async () => {
    const secret = 'pasted-Secret.Value-0123456789'
    const result = await action({ 'client-secret': secret, 'api-version': secret })

    expect(secrets[0]).toBe(secret)
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([expect.stringContaining("Input 'api-version'")])
    expect(sim.requests).toHaveLength(0)
  })

  it('masks each line of the certificate and the runner request token too', async () => {
    const pem = readFileSync(new URL('../fixtures/app.pem', import.meta.url), 'utf8')
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'runner-request-token-0123456789'
    try {
      await action({ 'client-secret': '', 'client-certificate': pem, 'api-version': 'v9' })
    } finally {
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
    }
    const keyLines = pem.split('\n').filter(line => line && !line.startsWith('-----'))
    expect(secrets).toEqual(expect.arrayContaining(keyLines))
    expect(secrets).toContain('runner-request-token-0123456789')
    expect(secrets.some(value => value.startsWith('-----'))).toBe(false)
  })

  it('masks nothing that is not set', async () => {
    await action({ 'client-secret': '' })
    expect(secrets).not.toContain('')
    expect(secrets).not.toContain(undefined)
  })

  it('fails a bad input with one error, all outputs set, and no request', async () => {
    const result = await action({ 'timeout-seconds': 'soon' })

    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([expect.stringMatching(/^error: Input 'timeout-seconds'/)])
    expect(Number(outputs['elapsed-seconds'])).toBeLessThan(1)
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'changes',
        'connection',
        'elapsed-seconds',
        'error-code',
        'error-message',
        'operation',
        'operation-url',
        'status'
      ].sort()
    )
    expect(sim.requests).toHaveLength(0)
  })

  it('fails a failed operation, or only warns with fail-on-failure false', async () => {
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, {
      statuses: ['failed'],
      error: { code: 'InvalidSchema', message: 'The simulated schema was rejected.' }
    })
    const failed = await action()
    expect(failed.exitCode).toBe(1)
    expect(failed.errors).toEqual([expect.stringContaining('The simulated schema was rejected.')])
    expect(outputs).toMatchObject({ status: 'failed', 'error-code': 'InvalidSchema' })

    calls.length = 0
    process.exitCode = undefined
    const softened = await action({ 'fail-on-failure': 'false' })
    expect(softened.exitCode).toBeUndefined()
    expect(softened.errors).toEqual([])
    expect(calls.some(call => call.startsWith('warning: ') && call.includes('rejected'))).toBe(true)
  })

  it('annotates each schema finding on its file and line, and only those when it fails', async () => {
    mkdirSync(join(dir, 'connector'), { recursive: true })
    writeFileSync(
      join(dir, 'connector', 'schema.json'),
      JSON.stringify(
        { properties: [{ name: 'count', type: 'int64', isSearchable: true }] },
        null,
        2
      )
    )
    const result = await action({ 'operation-id': '', 'schema-file': 'connector/schema.json' })

    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^error \[connector\/schema\.json:\d+\]: .*only string and stringCollection properties can be searchable/
      )
    ])
    expect(annotations[0]).toMatchObject({
      title: 'Schema file connector/schema.json',
      file: 'connector/schema.json',
      startLine: expect.any(Number),
      startColumn: expect.any(Number)
    })
    // The Copilot readiness warnings, on the file too.
    expect(
      calls.filter(call => call.startsWith('warning [connector/schema.json]')).length
    ).toBeGreaterThanOrEqual(3)
    expect(outputs).toMatchObject({ status: 'invalid', 'error-code': 'InvalidSchemaFile' })
    expect(sim.requests).toHaveLength(0)
  })

  it('annotates at most 50 findings, then warns once of the rest, on the file', async () => {
    const properties = Array.from({ length: 60 }, (_, i) => ({ name: `p_${i}`, type: 'integer' }))
    writeFileSync(join(dir, 'many.json'), JSON.stringify({ properties }, null, 2))
    const result = await action({ 'operation-id': '', 'schema-file': 'many.json' })

    expect(result.exitCode).toBe(1)
    expect(annotations).toHaveLength(50)
    expect(calls).toContainEqual(
      expect.stringMatching(
        /^warning \[many\.json\]: … and \d+ more findings in the schema file; the job summary lists the first 200\.$/
      )
    )
  })

  it('annotates a JSON error on its line and column', async () => {
    writeFileSync(join(dir, 'broken.json'), '{\n  "properties": [\n    { "name": "a", }\n  ]\n}')
    const result = await action({ 'operation-id': '', 'schema-file': 'broken.json' })

    expect(result.exitCode).toBe(1)
    expect(annotations).toEqual([
      expect.objectContaining({
        file: 'broken.json',
        startLine: 3,
        startColumn: expect.any(Number)
      })
    ])
  })

  it("annotates a failed schema operation, though the file's findings were only warnings", async () => {
    sim.setConnection(DEFAULTS.connectionId, { statuses: ['ready'] })
    sim.schemaOperation = {
      statuses: ['failed'],
      error: { code: 'InvalidSchema', message: 'The simulated schema was rejected.' }
    }
    writeFileSync(
      join(dir, 'warned.json'),
      JSON.stringify({ properties: [{ name: 'body', type: 'string' }] }, null, 2)
    )
    const result = await action({ 'operation-id': '', 'schema-file': 'warned.json' })

    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([expect.stringContaining('The simulated schema was rejected.')])
  })

  it('names schema-file when the file cannot be read, with every output set', async () => {
    const result = await action({ 'operation-id': '', 'schema-file': 'missing.json' })

    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^error: Input 'schema-file': 'missing\.json' cannot be read \(ENOENT\)/
      )
    ])
    expect(outputs).toMatchObject({ status: '', 'operation-url': '' })
    expect(Number(outputs['elapsed-seconds'])).toBeLessThan(1)
    expect(sim.requests).toHaveLength(0)
  })

  it.each(['SIGINT', 'SIGTERM'] as const)(
    "stops at the runner's %s, as a cancellation",
    async signal => {
      sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress'] })
      sim.onRequest = request => {
        if (request.service === 'graph') {
          const added = process.listeners(signal).filter(l => !listenersBefore.includes(l))
          for (const listener of added) (listener as () => void)()
        }
      }
      const result = await action()

      expect(result.exitCode).toBe(1)
      expect(result.errors).toEqual([expect.stringMatching(/^error.*: Cancelled after /)])
    }
  )

  it('ends with one error, never a stack trace, when something unforeseen throws', async () => {
    outputsBroken = true
    const result = await action()

    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(/^error: .*GITHUB_OUTPUT names a file that is not there$/)
    ])
  })
})
