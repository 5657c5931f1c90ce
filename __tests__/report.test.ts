// Outputs, verdicts and the job summary, with @actions/core's commands recorded.
import { afterAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const calls: string[] = []
const outputs: Record<string, string> = {}
const actual = await import('@actions/core')
jest.unstable_mockModule('@actions/core', () => ({
  ...actual,
  setOutput: (name: string, value: string) => (outputs[name] = value),
  error: (message: string, props?: { title?: string }) =>
    calls.push(`error${props?.title ? ` [${props.title}]` : ''}: ${message}`),
  warning: (message: string, props?: { title?: string }) =>
    calls.push(`warning${props?.title ? ` [${props.title}]` : ''}: ${message}`),
  info: (message: string) => calls.push(`info: ${message}`),
  debug: (message: string) => calls.push(`debug: ${message}`)
}))
const { failWithError, pollLogger, reportResult } = await import('../src/report.js')
const { watchFor } = await import('../src/targets.js')
const { GraphError } = await import('../src/graph.js')
type Target = import('../src/settings.js').Target

const operationTarget: Target = { kind: 'operation', connectionId: 'contosohr', operationId: 'op1' }
const connectionTarget: Target = { kind: 'connection', connectionId: 'contosohr' }
const dir = mkdtempSync(join(tmpdir(), 'summary-'))
const summaryFile = join(dir, 'summary.md')

function context(target: Target = operationTarget, overrides = {}) {
  return {
    target,
    watch: watchFor(target, {} as never),
    timeoutMs: 1_800_000,
    failOnFailure: true,
    elapsedMs: 12_345,
    ...overrides
  }
}

beforeEach(() => {
  calls.length = 0
  for (const key of Object.keys(outputs)) delete outputs[key]
  process.exitCode = undefined
  writeFileSync(summaryFile, '')
  process.env.GITHUB_STEP_SUMMARY = summaryFile
  actual.summary.emptyBuffer()
})
afterAll(() => {
  delete process.env.GITHUB_STEP_SUMMARY
  process.exitCode = undefined
  rmSync(dir, { recursive: true, force: true })
})

const summary = () => readFileSync(summaryFile, 'utf8')

describe('reportResult', () => {
  it('sets every output and passes on completed', async () => {
    const operation = { id: 'op1', status: 'completed', error: null }
    await reportResult(
      { outcome: 'done', resource: operation, status: 'completed', polls: 4 },
      context()
    )
    expect(outputs).toEqual({
      status: 'completed',
      'error-code': '',
      'error-message': '',
      operation: JSON.stringify(operation),
      connection: '',
      'elapsed-seconds': '12.3'
    })
    expect(calls).toEqual([
      "info: Operation 'op1' of connection 'contosohr': completed after 12 s (4 polls)."
    ])
    expect(process.exitCode).toBeUndefined()
    expect(summary()).toContain("<h3>✅ Operation 'op1' of connection 'contosohr': completed</h3>")
    expect(summary()).toContain('<tr><td>Polls</td><td>4</td></tr>')
  })

  it('sets the outputs, then fails with the message, code and a title naming the connection', async () => {
    const operation = { status: 'failed', error: { code: 'E1', message: 'Bad <schema>.' } }
    await reportResult(
      { outcome: 'failed', resource: operation, status: 'failed', polls: 2 },
      context()
    )
    expect(outputs['error-code']).toBe('E1')
    expect(outputs['error-message']).toBe('Bad <schema>.')
    expect(calls).toEqual([
      "error [Graph connector 'contosohr']: Operation 'op1' of connection 'contosohr' failed: Bad <schema>. (code E1)"
    ])
    expect(process.exitCode).toBe(1)
    // Graph's text is escaped, not taken as markup.
    expect(summary()).toContain('<tr><td>Error message</td><td>Bad &lt;schema&gt;.</td></tr>')
    expect(summary()).toContain('<tr><td>Error code</td><td><code>E1</code></td></tr>')
  })

  it('says so when a failed operation carries no message', async () => {
    await reportResult(
      { outcome: 'failed', resource: { status: 'failed' }, status: 'failed', polls: 1 },
      context()
    )
    expect(calls).toEqual([
      "error [Graph connector 'contosohr']: Operation 'op1' of connection 'contosohr' failed: Graph gave no error message."
    ])
  })

  it('only warns on failure when fail-on-failure is false', async () => {
    const operation = { status: 'failed', error: { message: 'Nope.' } }
    await reportResult(
      { outcome: 'failed', resource: operation, status: 'failed', polls: 1 },
      context(operationTarget, { failOnFailure: false })
    )
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatch(
      /^warning \[.*\]: .*Nope\. Continuing because fail-on-failure is false\.$/
    )
    expect(process.exitCode).toBeUndefined()
    expect(summary()).toContain('⚠️')
    expect(summary()).toContain('The step passed because fail-on-failure is false.')
  })

  it('times out naming the limit and the last status', async () => {
    await reportResult(
      { outcome: 'timedOut', resource: { status: 'inprogress' }, status: 'inprogress', polls: 9 },
      context(operationTarget, { elapsedMs: 1_800_020 })
    )
    expect(outputs.status).toBe('inprogress')
    expect(outputs['elapsed-seconds']).toBe('1800.0')
    expect(calls).toEqual([
      "error [Graph connector 'contosohr']: Timed out after 1800 s waiting for operation 'op1' of " +
        "connection 'contosohr'; last status: inprogress. Raise timeout-seconds if it needs longer."
    ])
    expect(summary()).toContain(
      "⏱️ Timed out waiting for operation 'op1' of connection 'contosohr'"
    )
    expect(summary()).toContain('Raise timeout-seconds')
  })

  it('sets empty outputs and fails with the message of a request error', async () => {
    await reportResult(
      { outcome: 'error', error: new GraphError('Graph said no.'), polls: 0 },
      context()
    )
    expect(outputs.status).toBe('')
    expect(outputs.operation).toBe('')
    expect(calls).toEqual(["error [Graph connector 'contosohr']: Graph said no."])
    expect(summary()).toContain('Graph said no.')
  })

  it('reports a connection that is ready, in the connection output', async () => {
    const connection = { id: 'contosohr', state: 'ready' }
    await reportResult(
      { outcome: 'done', resource: connection, status: 'ready', polls: 3 },
      context(connectionTarget)
    )
    expect(outputs.status).toBe('ready')
    expect(outputs.connection).toBe(JSON.stringify(connection))
    expect(outputs.operation).toBe('')
    expect(calls).toEqual(["info: Connection 'contosohr': ready after 12 s (3 polls)."])
    expect(summary()).toContain('none: waited for the connection to be ready')
  })

  it('fails on limitExceeded with the state as error-code', async () => {
    await reportResult(
      {
        outcome: 'failed',
        resource: { state: 'limitExceeded' },
        status: 'limitExceeded',
        polls: 2
      },
      context(connectionTarget)
    )
    expect(outputs['error-code']).toBe('limitExceeded')
    expect(outputs['error-message']).toContain('limit')
    expect(calls[0]).toMatch(
      /^error \[Graph connector 'contosohr'\]: Connection 'contosohr' is limitExceeded: /
    )
  })

  it('writes no summary when the runner offers no file', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    await reportResult(
      { outcome: 'done', resource: { status: 'completed' }, status: 'completed', polls: 1 },
      context()
    )
    expect(summary()).toBe('')
    expect(calls.filter(c => c.startsWith('warning'))).toEqual([])
  })
})

describe('failWithError', () => {
  it('labels an unexpected error and keeps its stack out of the annotation', () => {
    failWithError(new TypeError('x is undefined'))
    expect(calls[0]).toMatch(/^debug: TypeError: x is undefined\n\s+at /)
    expect(calls[1]).toBe('error: Unexpected error: x is undefined')
    expect(process.exitCode).toBe(1)
  })
})

describe('pollLogger', () => {
  it('logs changes, then at most one line a minute while nothing changes', () => {
    let time = 0
    const log = pollLogger(() => time, 0)
    const poll = (status: string, at: number, n: number) => {
      time = at
      log(status, { status }, n)
    }
    poll('inprogress', 0, 1)
    poll('inprogress', 30_000, 2)
    poll('inprogress', 60_000, 3)
    poll('inprogress', 90_000, 4)
    poll('completed', 100_000, 5)
    expect(calls.filter(c => c.startsWith('info'))).toEqual([
      'info: Status: inprogress (poll 1, 0.0 s)',
      'info: Still inprogress after 60 s (poll 3)',
      'info: Status: completed (poll 5, 100 s)'
    ])
    expect(calls.filter(c => c.startsWith('debug'))).toHaveLength(5)
  })
})
