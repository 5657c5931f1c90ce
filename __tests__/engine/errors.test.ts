// How an error is shown to the user: our own errors as they are, anything
// else labelled unexpected, its stack kept for debug output.
import { describe, expect, it } from '@jest/globals'
import {
  ActionError,
  CancelledError,
  DeadlineExceededError,
  InputError,
  TransientError,
  messageOf,
  stackOf
} from '../../src/engine/errors.js'
import { GraphError } from '../../src/engine/graph.js'

describe('messageOf and stackOf', () => {
  it("shows the action's own errors as they are, with no stack", () => {
    const error = new GraphError('Graph said no.')
    expect(messageOf(error)).toBe('Graph said no.')
    expect(stackOf(error)).toBeUndefined()
  })

  it('labels anything else unexpected, and keeps its stack for debug output', () => {
    const error = new TypeError('x is undefined')
    expect(messageOf(error)).toBe('Unexpected error: x is undefined')
    expect(stackOf(error)).toMatch(/^TypeError: x is undefined\n\s+at /)
    expect(messageOf('text')).toBe('Unexpected error: text')
    expect(stackOf('text')).toBeUndefined()
  })
})

describe('the error types', () => {
  it('name themselves, and carry the code the error-code output takes', () => {
    const errors = [
      new ActionError('a'),
      new InputError('b'),
      new TransientError('c', { retryAfterMs: 5 }),
      new DeadlineExceededError('d'),
      new CancelledError()
    ]
    expect(errors.map(error => [error.name, error.code, error.message])).toEqual([
      ['ActionError', 'Failed', 'a'],
      ['InputError', 'InvalidInput', 'b'],
      ['TransientError', 'Failed', 'c'],
      ['DeadlineExceededError', 'Timeout', 'd'],
      ['CancelledError', 'Cancelled', 'cancelled']
    ])
    expect(errors[2]).toMatchObject({ retryAfterMs: 5, retryWithinMs: undefined })
  })
})
