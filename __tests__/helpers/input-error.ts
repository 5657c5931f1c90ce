import { expect } from '@jest/globals'
import { InputError } from '../../src/engine/errors.js'

/** The message of the error of `type` that `work` throws; fails the test if it throws none. */
export function errorOf(
  work: () => unknown,
  type: abstract new (...args: never[]) => Error = InputError
): string {
  try {
    work()
  } catch (error) {
    expect(error).toBeInstanceOf(type)
    return (error as Error).message
  }
  throw new Error(`expected a ${type.name}`)
}

/** The message of the InputError that `read` throws; fails the test if it throws none. */
export function inputErrorOf(read: () => unknown): string {
  return errorOf(read)
}
