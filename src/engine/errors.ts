// Errors whose message is written for the user: shown as it is, without a stack.
import { types } from 'node:util'

export class ActionError extends Error {
  override name = 'ActionError'

  /**
   * @param code a stable word for the error-code output: an AADSTS code,
   *   Graph's error code, or one of this action's own (InvalidInput, Timeout…).
   */
  constructor(
    message: string,
    readonly code = 'Failed'
  ) {
    super(message)
  }
}

/** A bad input: its message names the input and shows a valid value. */
export class InputError extends ActionError {
  override name = 'InputError'
  constructor(message: string) {
    super(message, 'InvalidInput')
  }
}

/** When to try again, as the service or the client sees it. */
export interface RetryHints {
  /** How long the service asked us to wait (Retry-After), when it said. */
  retryAfterMs?: number
  /** The latest the next try may start, from now: it must land inside a grace period. */
  retryWithinMs?: number
}

/** A failure that may pass if the request is made again: throttling, 5xx, resets. */
export class TransientError extends ActionError {
  override name = 'TransientError'
  readonly retryAfterMs?: number
  readonly retryWithinMs?: number

  constructor(message: string, hints: RetryHints = {}) {
    super(message)
    this.retryAfterMs = hints.retryAfterMs
    this.retryWithinMs = hints.retryWithinMs
  }
}

/** The step's timeout ran out; the message says what was happening then. */
export class DeadlineExceededError extends ActionError {
  override name = 'DeadlineExceededError'
  constructor(message: string) {
    super(message, 'Timeout')
  }
}

/** The step was cancelled (the runner's SIGINT or SIGTERM, or Ctrl-C). */
export class CancelledError extends ActionError {
  override name = 'CancelledError'
  constructor() {
    super('cancelled', 'Cancelled')
  }
}

/** An error's message for the user: ours as it is, anything else labelled unexpected. */
export function messageOf(error: unknown): string {
  if (error instanceof ActionError) return error.message
  return `Unexpected error: ${types.isNativeError(error) ? error.message : String(error)}`
}

/** The stack of an unexpected error, for debug output; ours need none. */
export function stackOf(error: unknown): string | undefined {
  return types.isNativeError(error) && !(error instanceof ActionError) ? error.stack : undefined
}
