// What each end of a wait means: outputs, level, message and summary.
import { RAW_MAX } from '../../src/engine/summary.js'
import { describe, expect, it } from '@jest/globals'
import { CancelledError, DeadlineExceededError, InputError } from '../../src/engine/errors.js'
import { GraphError } from '../../src/engine/graph.js'
import { EntraError } from '../../src/engine/token.js'
import type { WaitTarget as Target } from '../../src/engine/model.js'
import { watchFor } from '../../src/engine/targets.js'
import {
  JSON_MAX,
  MESSAGE_MAX,
  OUTPUT_NAMES,
  TEXT_MAX,
  errorFailure,
  inputsCheckVerdict,
  outputsOf,
  verdictOf
} from '../../src/engine/verdict.js'
import type { VerdictContext } from '../../src/engine/verdict.js'

const operationTarget: Target = { kind: 'operation', connectionId: 'contosohr', operationId: 'op1' }
const connectionTarget: Target = { kind: 'connection', connectionId: 'contosohr' }

function context(target: Target = operationTarget, overrides: Partial<VerdictContext> = {}) {
  return {
    target,
    watch: watchFor(target, {} as never),
    timeoutMs: 1_800_000,
    failOnFailure: true,
    elapsedMs: 12_345,
    ...overrides
  }
}

describe('outputsOf', () => {
  it('names every output, empty when nothing is known', () => {
    expect(outputsOf({ elapsedMs: 50 })).toEqual({
      status: '',
      'error-code': '',
      'error-message': '',
      operation: '',
      connection: '',
      'elapsed-seconds': '0.1',
      'operation-url': '',
      changes: ''
    })
    expect(Object.keys(outputsOf({ elapsedMs: 0 }))).toEqual([...OUTPUT_NAMES])
  })

  it('puts the resource in the output of its kind', () => {
    const resource = { id: 'x', status: 'completed' }
    expect(outputsOf({ target: operationTarget, resource, elapsedMs: 0 })).toMatchObject({
      operation: '{"id":"x","status":"completed"}',
      connection: ''
    })
    expect(outputsOf({ target: connectionTarget, resource, elapsedMs: 0 })).toMatchObject({
      operation: '',
      connection: '{"id":"x","status":"completed"}'
    })
  })
})

describe('verdictOf', () => {
  it('passes on completed, with every output and a summary table', () => {
    const operation = { id: 'op1', status: 'completed', error: null }
    const verdict = verdictOf(
      { outcome: 'done', resource: operation, status: 'completed', polls: 4 },
      context()
    )
    expect(verdict).toEqual({
      level: 'pass',
      message: "Operation 'op1' of connection 'contosohr': completed after 12 s (4 polls).",
      title: "Graph connector 'contosohr'",
      outputs: {
        status: 'completed',
        'error-code': '',
        'error-message': '',
        operation: JSON.stringify(operation),
        connection: '',
        'elapsed-seconds': '12.3',
        'operation-url': '',
        changes: ''
      },
      summary: {
        headline: '✅ contosohr: operation completed in 12 s',
        rows: [],
        details: [
          { label: 'Connection', value: 'contosohr', code: true },
          { label: 'Operation', value: 'op1', code: true },
          { label: 'Status', value: 'completed', code: true },
          { label: 'Elapsed', value: '12 s' },
          { label: 'Polls', value: '4' }
        ]
      }
    })
  })

  it('says 1 poll, not 1 polls', () => {
    const verdict = verdictOf(
      { outcome: 'done', resource: { status: 'completed' }, status: 'completed', polls: 1 },
      context()
    )
    expect(verdict.message).toBe(
      "Operation 'op1' of connection 'contosohr': completed after 12 s (1 poll)."
    )
  })

  it('fails with the message and code, in the outputs and the summary', () => {
    const operation = { status: 'failed', error: { code: 'E1', message: 'Bad <schema>.' } }
    const verdict = verdictOf(
      { outcome: 'failed', resource: operation, status: 'failed', polls: 2 },
      context()
    )
    expect(verdict.level).toBe('fail')
    expect(verdict.message).toBe(
      "Operation 'op1' of connection 'contosohr' failed: Bad <schema>. (code E1)"
    )
    expect(verdict.outputs).toMatchObject({ 'error-code': 'E1', 'error-message': 'Bad <schema>.' })
    expect(verdict.summary.headline).toBe('❌ contosohr: operation failed after 12 s')
    expect(verdict.summary.failure).toEqual({
      message: 'Bad <schema>.',
      details: [],
      ids: [],
      raw: JSON.stringify(operation.error, null, 2)
    })
    expect(verdict.summary.details?.at(-1)).toEqual({
      label: 'Error code',
      value: 'E1',
      code: true
    })
    // The message is the failure's paragraph: no note repeats it.
    expect(verdict.summary.note).toBeUndefined()
  })

  it('puts the message under the table when the failure has no message of its own', () => {
    const verdict = verdictOf(
      {
        outcome: 'failed',
        resource: { status: 'failed', error: null },
        status: 'failed',
        polls: 1
      },
      context()
    )
    expect(verdict.message).toBe(
      "Operation 'op1' of connection 'contosohr' failed: Graph gave no error message."
    )
    expect(verdict.summary.failure?.message).toBe(verdict.message)
    expect(verdict.summary.details?.map(r => r.label)).not.toContain('Error code')
  })

  it('only warns on failure when fail-on-failure is false', () => {
    const operation = { status: 'failed', error: { message: 'Nope.' } }
    const verdict = verdictOf(
      { outcome: 'failed', resource: operation, status: 'failed', polls: 1 },
      context(operationTarget, { failOnFailure: false })
    )
    expect(verdict.level).toBe('warn')
    expect(verdict.message).toBe(
      "Operation 'op1' of connection 'contosohr' failed: Nope. Continuing because fail-on-failure is false."
    )
    // A failure is always red; the note says why the step passed.
    expect(verdict.summary.headline).toBe('❌ contosohr: operation failed after 12 s')
    expect(verdict.summary.note).toBe('The step passed because fail-on-failure is false.')
  })

  it.each([
    ['a timeout', { outcome: 'timedOut' as const, polls: 3 }],
    ['a cancellation', { outcome: 'cancelled' as const, polls: 3 }],
    ['an error', { outcome: 'error' as const, error: new GraphError('Graph said no.'), polls: 0 }]
  ])('still fails on %s when fail-on-failure is false', (_name, result) => {
    const verdict = verdictOf(result, context(operationTarget, { failOnFailure: false }))
    expect(verdict.level).toBe('fail')
    expect(verdict.message).not.toContain('fail-on-failure')
  })

  it('times out naming the limit and the last status', () => {
    const verdict = verdictOf(
      { outcome: 'timedOut', resource: { status: 'inprogress' }, status: 'inprogress', polls: 9 },
      context(operationTarget, {
        elapsedMs: 1_800_020,
        operationUrl:
          'https://graph.microsoft.com/v1.0/external/connections/contosohr/operations/op1'
      })
    )
    expect(verdict.level).toBe('fail')
    expect(verdict.message).toBe(
      "Timed out after 1800 s waiting for operation 'op1' of connection 'contosohr'; " +
        'last status: inprogress. Raise timeout-seconds if it needs longer.'
    )
    expect(verdict.outputs).toMatchObject({ status: 'inprogress', 'elapsed-seconds': '1800.0' })
    expect(verdict.summary.headline).toBe(
      '❌ contosohr: timed out after 30 min; the operation goes on in Graph'
    )
    expect(verdict.summary.note).toBeUndefined()
    expect(verdict.summary.rows).toEqual([
      {
        label: 'Resume with operation-url',
        value: 'https://graph.microsoft.com/v1.0/external/connections/contosohr/operations/op1',
        code: true
      },
      { label: 'timeout-seconds', value: '1800', code: true }
    ])
    expect(verdict.summary.todo).toMatch(/run the step with operation-url set to the URL above/)
  })

  it('times out with the last error, when a request was what ran out of time', () => {
    const verdict = verdictOf(
      { outcome: 'timedOut', polls: 0, cause: new Error('Graph answered HTTP 503.') },
      context(operationTarget, { timeoutMs: 3_000 })
    )
    expect(verdict.message).toBe(
      "Timed out after 3.0 s waiting for operation 'op1' of connection 'contosohr'; " +
        'last status: none (not read yet). Last error: Graph answered HTTP 503.'
    )
    expect(verdict.summary.note).toBe(verdict.message)
    expect(verdict.summary.details?.[2]).toEqual({ label: 'Status', value: 'none (not read yet)' })
  })

  it('names the last status seen when cancelled after a poll', () => {
    const verdict = verdictOf(
      { outcome: 'cancelled', resource: { status: 'inprogress' }, status: 'inprogress', polls: 2 },
      context()
    )
    expect(verdict.message).toMatch(/; last status: inprogress\.$/)
  })

  it("drops only the last error's final period", () => {
    const verdict = verdictOf(
      { outcome: 'timedOut', polls: 0, cause: new Error('No answer from v1.0.') },
      context()
    )
    expect(verdict.message).toMatch(/ Last error: No answer from v1\.0\.$/)
  })

  it('names the moment and the last status when cancelled', () => {
    const verdict = verdictOf({ outcome: 'cancelled', polls: 0 }, context())
    expect(verdict.message).toBe(
      "Cancelled after 12 s while waiting for operation 'op1' of connection 'contosohr'; last status: none."
    )
    expect(verdict.summary.headline).toBe(
      '❌ contosohr: cancelled after 12 s; the operation goes on in Graph'
    )
  })

  it.each([
    [
      'a timeout',
      { outcome: 'timedOut' as const, polls: 3 },
      'Timeout',
      /^Timed out after 1800 s waiting for operation 'op1' of connection 'contosohr'; /
    ],
    [
      'a cancellation',
      { outcome: 'cancelled' as const, polls: 3 },
      'Cancelled',
      /^Cancelled after 12 s while waiting for operation 'op1' /
    ],
    [
      'a sign-in error',
      {
        outcome: 'error' as const,
        error: new EntraError(
          'Sign-in to Microsoft Entra ID failed: AADSTS7000215: x.',
          'AADSTS7000215'
        ),
        polls: 0
      },
      'AADSTS7000215',
      /^Sign-in to Microsoft Entra ID failed: AADSTS7000215: x\.$/
    ],
    [
      'a Graph error',
      { outcome: 'error' as const, error: new GraphError('Graph denied.', 'Forbidden'), polls: 0 },
      'Forbidden',
      /^Graph denied\.$/
    ],
    [
      'a Graph error without a code',
      { outcome: 'error' as const, error: new GraphError('Graph said no.'), polls: 0 },
      'GraphError',
      /^Graph said no\.$/
    ],
    [
      'an unexpected error',
      { outcome: 'error' as const, error: new RangeError('boom'), polls: 0 },
      'UnexpectedError',
      /^Unexpected error: boom$/
    ],
    [
      'a failed operation with no error',
      { outcome: 'failed' as const, resource: { error: null }, status: 'failed', polls: 1 },
      'OperationFailed',
      /^Operation 'op1' of connection 'contosohr' failed: Graph gave no error message\.$/
    ]
  ])('says why in error-message, with a stable error-code, on %s', (_name, result, code, why) => {
    const verdict = verdictOf(result, context())
    expect(verdict.outputs['error-code']).toBe(code)
    expect(verdict.outputs['error-message']).toMatch(why)
    expect(verdict.outputs['error-message']).toBe(verdict.message)
  })

  it('gives each error that can end a step its code', () => {
    expect(errorFailure(new InputError("Input 'x' must be y."))).toEqual({
      code: 'InvalidInput',
      message: "Input 'x' must be y."
    })
    expect(errorFailure(new DeadlineExceededError('late')).code).toBe('Timeout')
    expect(errorFailure(new CancelledError()).code).toBe('Cancelled')
    expect(errorFailure(new EntraError('no')).code).toBe('SignInFailed')
    expect(errorFailure('text', 'worded by the front door')).toEqual({
      code: 'UnexpectedError',
      message: 'worded by the front door'
    })
  })

  it('fails with the message of a request error, and no resource outputs', () => {
    const verdict = verdictOf(
      { outcome: 'error', error: new GraphError('Graph said no.'), polls: 0 },
      context()
    )
    expect(verdict.level).toBe('fail')
    expect(verdict.message).toBe('Graph said no.')
    expect(verdict.outputs).toMatchObject({ status: '', operation: '' })
    expect(verdict.summary.headline).toBe('❌ contosohr: could not read the operation')
    expect(verdict.summary.failure).toEqual({ message: 'Graph said no.', details: [], ids: [] })
  })

  it('reports a ready connection in the connection output, with no error code', () => {
    const connection = { id: 'contosohr', state: 'ready' }
    const verdict = verdictOf(
      { outcome: 'done', resource: connection, status: 'ready', polls: 3 },
      context(connectionTarget)
    )
    expect(verdict.outputs).toEqual({
      status: 'ready',
      'error-code': '',
      'error-message': '',
      operation: '',
      connection: JSON.stringify(connection),
      'elapsed-seconds': '12.3',
      'operation-url': '',
      changes: ''
    })
    expect(verdict.message).toBe("Connection 'contosohr': ready after 12 s (3 polls).")
    expect(verdict.summary.headline).toBe('✅ contosohr: connection ready in 12 s')
    expect(verdict.summary.details?.map(row => row.label)).toEqual([
      'Connection',
      'Status',
      'Elapsed',
      'Polls'
    ])
  })

  it('fails on limitExceeded with the state as error-code', () => {
    const verdict = verdictOf(
      {
        outcome: 'failed',
        resource: { state: 'limitExceeded' },
        status: 'limitExceeded',
        polls: 2
      },
      context(connectionTarget)
    )
    expect(verdict.outputs['error-code']).toBe('limitExceeded')
    expect(verdict.outputs['error-message']).toBe(
      'the tenant has reached a Microsoft Graph connectors limit (connections or items). ' +
        'Delete connections or items you no longer need, or raise the limit, then try again.'
    )
    expect(verdict.summary.headline).toBe('❌ contosohr: connection limitExceeded')
    expect(verdict.summary.todo).toBeUndefined()
  })
})

describe('bounds on what a verdict holds', () => {
  const huge = 'x'.repeat(5_000_000)
  const failed = {
    outcome: 'failed' as const,
    resource: { id: 'op1', status: 'failed', error: { code: 'E', message: huge } },
    status: 'failed',
    polls: 1
  }

  it('cuts a huge error message in the message, the outputs and the summary, saying so', () => {
    const verdict = verdictOf(failed, context())
    expect(verdict.message.length).toBeLessThanOrEqual(MESSAGE_MAX + 40)
    expect(verdict.message).toMatch(/more characters cut\]/)
    expect(verdict.outputs['error-message'].length).toBeLessThanOrEqual(TEXT_MAX + 40)
    expect(verdict.outputs['error-message']).toMatch(/… \[4992000 more characters cut\]$/)
    expect(verdict.summary.failure?.message.length).toBeLessThanOrEqual(TEXT_MAX + 40)
    expect(verdict.summary.failure?.raw?.length).toBeLessThanOrEqual(RAW_MAX + 40)
  })

  it('keeps the JSON output valid JSON, with what says what happened', () => {
    const verdict = verdictOf(failed, context())
    expect(verdict.outputs.operation.length).toBeLessThanOrEqual(JSON_MAX)
    expect(JSON.parse(verdict.outputs.operation)).toEqual({
      id: 'op1',
      status: 'failed',
      truncated: `The resource was ${JSON.stringify(failed.resource).length} characters of JSON, more than the ${JSON_MAX} an output holds.`
    })
  })

  it('keeps a resource whose JSON is exactly the limit, and cuts one a character longer', () => {
    const sized = (length: number) => {
      const resource = { id: 'op1', status: 'failed', note: '' }
      resource.note = 'n'.repeat(length - JSON.stringify(resource).length)
      expect(JSON.stringify(resource)).toHaveLength(length)
      return outputsOf({ target: operationTarget, resource, elapsedMs: 0 }).operation
    }
    expect(sized(JSON_MAX)).toHaveLength(JSON_MAX)
    expect(JSON.parse(sized(JSON_MAX + 1))).toHaveProperty('truncated')
  })

  it('keeps a resource that fits as it is', () => {
    const resource = { id: 'op1', status: 'failed', error: { message: 'x'.repeat(50_000) } }
    expect(outputsOf({ target: operationTarget, resource, elapsedMs: 0 }).operation).toBe(
      JSON.stringify(resource)
    )
  })

  it('makes the status inert in messages, and says none when Graph sent none', () => {
    const verdict = verdictOf(
      { outcome: 'timedOut', resource: { status: null }, status: '', polls: 2 },
      context()
    )
    expect(verdict.message).toContain('last status: none.')
    const hostile = verdictOf(
      { outcome: 'done', resource: {}, status: 'completed\n::error::x', polls: 1 },
      context()
    )
    expect(hostile.message).toContain(': completed\\n::error::x after')
    // The summary keeps it as text; the front doors escape it (HTML) or make it inert (lines).
    expect(hostile.summary.details).toContainEqual({
      label: 'Status',
      value: 'completed\n::error::x',
      code: true
    })
  })
})

describe('inputsCheckVerdict', () => {
  it('passes, saying nothing was sent', () => {
    const verdict = inputsCheckVerdict('contosohr', 100)
    expect(verdict).toEqual({
      level: 'pass',
      message: 'The inputs are valid; validate-only: nothing was sent to Graph.',
      title: "Graph connector 'contosohr'",
      outputs: expect.objectContaining({ status: 'valid', 'elapsed-seconds': '0.1' }),
      summary: {
        headline: '✅ contosohr: the inputs are valid (validate-only, nothing sent)',
        rows: [{ label: 'Sent to Graph', value: 'nothing: validate-only' }],
        details: [{ label: 'Connection', value: 'contosohr', code: true }]
      }
    })
  })
})

describe('the summary of each way a wait ends, whole', () => {
  const url = 'https://graph.microsoft.com/v1.0/external/connections/contosohr/operations/op1'
  const summaryOf = (result: Parameters<typeof verdictOf>[0], ctx = context()) =>
    verdictOf(result, ctx).summary

  it('a connection that timed out or was cancelled: run again, longer only when it timed out', () => {
    const timedOut = summaryOf({ outcome: 'timedOut', polls: 3 }, context(connectionTarget))
    expect(timedOut.headline).toBe(
      '❌ contosohr: timed out after 30 min waiting for the connection to be ready'
    )
    expect(timedOut.rows).toEqual([{ label: 'timeout-seconds', value: '1800', code: true }])
    expect(timedOut.todo).toBe('Run the step again with a longer timeout-seconds.')
    const cancelled = summaryOf({ outcome: 'cancelled', polls: 3 }, context(connectionTarget))
    expect(cancelled.headline).toBe(
      '❌ contosohr: cancelled after 12 s waiting for the connection to be ready'
    )
    expect(cancelled.todo).toBe('Run the step again.')
    expect(cancelled.note).toBeUndefined()
  })

  it('an operation cancelled: resume with operation-url, no longer timeout advised', () => {
    const cancelled = summaryOf(
      { outcome: 'cancelled', polls: 1 },
      context(operationTarget, { operationUrl: url })
    )
    expect(cancelled.todo).toBe(
      'Graph goes on with the operation. To wait for it again, run the step with ' +
        'operation-url set to the URL above.'
    )
    expect(cancelled.note).toBeUndefined()
    expect(summaryOf({ outcome: 'timedOut', polls: 1 }).todo).toBe(
      'Graph goes on with the operation. To wait for it again, run the step with ' +
        'operation-url set to the URL above, and a longer timeout-seconds if it needs longer.'
    )
    expect(summaryOf({ outcome: 'timedOut', polls: 1 }).rows).toEqual([
      { label: 'timeout-seconds', value: '1800', code: true }
    ])
  })

  it('a failed operation advises only after a deployment, and links its details to lines', () => {
    const failed = {
      outcome: 'failed' as const,
      resource: { status: 'failed' },
      status: 'failed',
      polls: 1
    }
    expect(summaryOf(failed).headline).toBe('❌ contosohr: operation failed after 12 s')
    expect(summaryOf(failed).todo).toBeUndefined()
    const afterDeployment = context(operationTarget, {
      deployed: {
        done: 'schema deployed',
        doing: 'schema deployment',
        rows: [],
        warnings: 0,
        lines: { path: 'schema.json', byProperty: new Map([['title', 7]]) }
      }
    })
    const deployed = summaryOf(failed, afterDeployment)
    expect(deployed.failure?.details).toEqual([])
    const withDetails = summaryOf(
      {
        ...failed,
        resource: {
          status: 'failed',
          error: { message: 'No.', details: [{ target: 'title', message: 'Bad.' }] }
        }
      },
      afterDeployment
    )
    expect(withDetails.failure?.details).toEqual([
      { target: 'title', code: '', message: 'Bad.', at: { path: 'schema.json', line: 7 } }
    ])
    expect(deployed.headline).toBe('❌ contosohr: schema deployment failed after 12 s')
    expect(deployed.todo).toBe(
      'Fix the schema file where Graph points, then run the step again. A change Graph ' +
        'refuses on a connection that exists (a removed property, a changed type) needs ' +
        'the connection deleted and created again.'
    )
  })

  it("a Graph error: the step's message, what to do for 401 and 403, and its code", () => {
    const answered = (status: number, error: unknown = { code: 'X', message: "Graph's words" }) =>
      summaryOf({
        outcome: 'error',
        polls: 0,
        error: new GraphError('Our message.', 'Forbidden', { status, error })
      })
    const unauthorized = answered(401)
    expect(unauthorized.todo).toBe(
      'Check that tenant-id, graph-url and cloud are the tenant and cloud the app signs in to.'
    )
    expect(unauthorized.failure?.message).toBe('Our message.')
    expect(unauthorized.details?.at(-1)).toEqual({
      label: 'Error code',
      value: 'Forbidden',
      code: true
    })
    expect(answered(403).todo).toBe(
      'Grant the app the Microsoft Graph application permission ' +
        'ExternalConnection.ReadWrite.OwnedBy (or ExternalConnection.ReadWrite.All) with admin ' +
        'consent, then run the step again.'
    )
    expect(answered(404).todo).toBeUndefined()
    // No error object in the answer: its body is what the failure says.
    expect(answered(500, undefined).failure?.message).toBe('Our message.')
    const plain = summaryOf({ outcome: 'error', polls: 0, error: new Error('boom') })
    expect(plain.details?.map(row => row.label)).not.toContain('Error code')
    expect(plain.todo).toBeUndefined()
  })
})
