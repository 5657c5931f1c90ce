// What each status of an operation or a connection means, and how a failure reads.
import { describe, expect, it, jest } from '@jest/globals'
import { watchFor } from '../../src/engine/targets.js'

const operationTarget = {
  kind: 'operation' as const,
  connectionId: 'contosohr',
  operationId: 'op1'
}
const connectionTarget = { kind: 'connection' as const, connectionId: 'contosohr' }

function graph() {
  return {
    getOperation: jest.fn(async (_target: unknown) => ({ status: 'inprogress' })),
    getConnection: jest.fn(async (_id: unknown) => ({ state: 'draft' }))
  }
}

describe('an operation', () => {
  const watch = watchFor(operationTarget, graph() as never)

  it('is read with its connection and operation IDs', async () => {
    const client = graph()
    await watchFor(operationTarget, client as never).read()
    expect(client.getOperation).toHaveBeenCalledWith(operationTarget)
    expect(client.getConnection).not.toHaveBeenCalled()
  })

  it('is labelled with both IDs', () => {
    expect(watch.label).toBe("operation 'op1' of connection 'contosohr'")
  })

  it.each([
    ['completed', 'done'],
    ['Completed', 'done'],
    ['failed', 'failed'],
    ['FAILED', 'failed'],
    ['inprogress', 'pending'],
    ['InProgress', 'pending'],
    ['unspecified', 'pending'],
    ['unknownFutureValue', undefined],
    ['__proto__', undefined],
    ['constructor', undefined]
  ])('reads the status %s as %s', (status, meaning) => {
    expect(watch.meaningOf(status)).toBe(meaning)
  })

  it('takes its status from the status field', () => {
    expect(watch.statusOf({ status: 'inprogress', state: 'ready' })).toBe('inprogress')
  })

  it.each([null, undefined, 42, { a: 1 }])(
    'has no status (not known yet) when it is %j',
    status => {
      expect(watch.statusOf({ status })).toBe('')
      expect(watch.meaningOf('')).toBeUndefined()
    }
  )

  it("builds the message from Graph's details, naming each property", () => {
    const error = {
      code: 'InvalidSchema',
      message: null,
      details: [{ code: 'NotRetrievable', message: 'Must be retrievable.', target: 'title' }]
    }
    expect(watch.failureOf({ status: 'failed', error })).toEqual({
      code: 'InvalidSchema',
      message: 'title: Must be retrievable. (NotRetrievable)',
      text: "Operation 'op1' of connection 'contosohr' failed: title: Must be retrievable. (NotRetrievable) (code InvalidSchema)",
      error
    })
  })

  it('takes an error that is a string as the message', () => {
    expect(watch.failureOf({ status: 'failed', error: 'Quota exceeded.' })).toMatchObject({
      message: 'Quota exceeded.'
    })
  })

  it('keeps the message as Graph wrote it, but makes it inert in the one-line text', () => {
    const error = { code: 'E\n', message: 'Bad\n::error::forged' }
    const failure = watch.failureOf({ status: 'failed', error })
    expect(failure.message).toBe('Bad\n::error::forged')
    expect(failure.text).toBe(
      "Operation 'op1' of connection 'contosohr' failed: Bad\\n::error::forged (code E\\n)"
    )
  })

  it("fails with Graph's message and code", () => {
    expect(
      watch.failureOf({ status: 'failed', error: { code: 'E1', message: 'Bad schema.' } })
    ).toEqual({
      code: 'E1',
      message: 'Bad schema.',
      text: "Operation 'op1' of connection 'contosohr' failed: Bad schema. (code E1)",
      error: { code: 'E1', message: 'Bad schema.' }
    })
  })

  it.each([
    ['no error', { status: 'failed' }],
    ['an empty message and no details', { status: 'failed', error: { message: '', details: [] } }],
    ['a null error', { status: 'failed', error: null }],
    ['an error that is not an object', { status: 'failed', error: 42 }],
    ['an error without strings', { status: 'failed', error: { code: 7, message: ['x'] } }]
  ])('says Graph gave no message when it has %s', (_name, resource) => {
    expect(watch.failureOf(resource)).toEqual({
      code: '',
      message: '',
      text: "Operation 'op1' of connection 'contosohr' failed: Graph gave no error message.",
      error: (resource as { error?: unknown }).error
    })
  })
})

describe('a connection', () => {
  const watch = watchFor(connectionTarget, graph() as never)

  it('is read by its ID', async () => {
    const client = graph()
    await watchFor(connectionTarget, client as never).read()
    expect(client.getConnection).toHaveBeenCalledWith('contosohr')
    expect(client.getOperation).not.toHaveBeenCalled()
  })

  it('is labelled with its ID', () => {
    expect(watch.label).toBe("connection 'contosohr'")
  })

  it.each([
    ['ready', 'done'],
    ['Ready', 'done'],
    ['draft', 'pending'],
    ['limitExceeded', 'failed'],
    ['obsolete', 'failed'],
    ['unknownFutureValue', undefined],
    ['hasOwnProperty', undefined]
  ])('reads the state %s as %s', (state, meaning) => {
    expect(watch.meaningOf(state)).toBe(meaning)
  })

  it('takes its status from the state field', () => {
    expect(watch.statusOf({ status: 'inprogress', state: 'ready' })).toBe('ready')
  })

  it('explains limitExceeded, with the state as the code', () => {
    expect(watch.failureOf({ state: 'limitExceeded' })).toEqual({
      code: 'limitExceeded',
      message:
        'the tenant has reached a Microsoft Graph connectors limit (connections or items). ' +
        'Delete connections or items you no longer need, or raise the limit, then try again.',
      text:
        "Connection 'contosohr' is limitExceeded: the tenant has reached a Microsoft Graph " +
        'connectors limit (connections or items). Delete connections or items you no longer ' +
        'need, or raise the limit, then try again.'
    })
  })

  it('has no explanation for a state it does not know', () => {
    expect(watch.failureOf({ state: 'gone' })).toEqual({
      code: 'gone',
      message: '',
      text: "Connection 'contosohr' is gone: "
    })
  })

  it('explains obsolete', () => {
    expect(watch.failureOf({ state: 'obsolete' })).toEqual({
      code: 'obsolete',
      message: 'the connection is obsolete and can no longer be used: create a new connection.',
      text: "Connection 'contosohr' is obsolete: the connection is obsolete and can no longer be used: create a new connection."
    })
  })
})
