// Outputs and verdicts, with @actions/core replaced by a recorder.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'

const calls: string[] = []
const outputs: Record<string, string> = {}
jest.unstable_mockModule('@actions/core', () => ({
  setOutput: (name: string, value: string) => (outputs[name] = value),
  setFailed: (message: string) => calls.push(`failed: ${message}`),
  warning: (message: string) => calls.push(`warning: ${message}`),
  info: (message: string) => calls.push(`info: ${message}`),
  debug: (message: string) => calls.push(`debug: ${message}`)
}))
const { failWithError, pollLogger, reportResult } = await import('../src/report.js')
const { GraphError } = await import('../src/graph.js')

const context = {
  connectionId: 'contosohr',
  operationId: 'op1',
  timeoutMs: 1_800_000,
  failOnFailure: true,
  elapsedMs: 12_345
}

beforeEach(() => {
  calls.length = 0
  for (const key of Object.keys(outputs)) delete outputs[key]
})

describe('reportResult', () => {
  it('sets every output and passes on completed', () => {
    const operation = { id: 'op1', status: 'completed', error: null }
    reportResult({ outcome: 'completed', operation, polls: 4 }, context)
    expect(outputs).toEqual({
      status: 'completed',
      'error-code': '',
      'error-message': '',
      operation: JSON.stringify(operation),
      'elapsed-seconds': '12.3'
    })
    expect(calls).toEqual([
      "info: Operation 'op1' of connection 'contosohr' completed after 12 s (4 polls)."
    ])
  })

  it('sets the outputs before failing with the error message and code', () => {
    const operation = { status: 'failed', error: { code: 'E1', message: 'Bad schema.' } }
    reportResult({ outcome: 'failed', operation, polls: 2 }, context)
    expect(outputs['error-code']).toBe('E1')
    expect(outputs['error-message']).toBe('Bad schema.')
    expect(calls).toEqual([
      "failed: Operation 'op1' of connection 'contosohr' failed: Bad schema. (code E1)"
    ])
  })

  it('says so when a failed operation carries no message', () => {
    reportResult({ outcome: 'failed', operation: { status: 'failed' }, polls: 1 }, context)
    expect(calls).toEqual([
      "failed: Operation 'op1' of connection 'contosohr' failed: Graph gave no error message."
    ])
  })

  it('only warns on failure when fail-on-failure is false', () => {
    const operation = { status: 'failed', error: { message: 'Nope.' } }
    reportResult({ outcome: 'failed', operation, polls: 1 }, { ...context, failOnFailure: false })
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatch(/^warning: .*Nope\. Continuing because fail-on-failure is false\.$/)
  })

  it('times out naming the limit and the last status', () => {
    reportResult(
      { outcome: 'timedOut', operation: { status: 'inprogress' }, polls: 9 },
      { ...context, elapsedMs: 1_800_020 }
    )
    expect(outputs.status).toBe('inprogress')
    expect(outputs['elapsed-seconds']).toBe('1800.0')
    expect(calls).toEqual([
      "failed: Timed out after 1800 s waiting for operation 'op1' of connection 'contosohr'; " +
        'last status: inprogress. Raise timeout-seconds if the operation needs longer.'
    ])
  })

  it('sets empty outputs and fails with the message of a request error', () => {
    reportResult({ outcome: 'error', error: new GraphError('Graph said no.'), polls: 0 }, context)
    expect(outputs.status).toBe('')
    expect(outputs.operation).toBe('')
    expect(calls).toEqual(['failed: Graph said no.'])
  })
})

describe('failWithError', () => {
  it('labels an unexpected error and keeps its stack out of the annotation', () => {
    failWithError(new TypeError('x is undefined'))
    expect(calls[0]).toBe('failed: Unexpected error: x is undefined')
    expect(calls[1]).toMatch(/^debug: TypeError: x is undefined\n\s+at /)
  })
})

describe('pollLogger', () => {
  it('logs changes, then at most one line a minute while nothing changes', () => {
    let time = 0
    const log = pollLogger(() => time, 0)
    const poll = (status: string, at: number, n: number) => {
      time = at
      log({ status }, n)
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
