import { expect } from '@jest/globals'
import { InputError } from '../../src/engine/errors.js'

/** The message of the InputError that `read` throws; fails the test if it throws none. */
export function inputErrorOf(read: () => unknown): string {
  try {
    read()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('expected an InputError')
}
