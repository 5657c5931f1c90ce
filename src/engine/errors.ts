// Errors whose message is written for the user: shown as it is, without a stack.
export class ActionError extends Error {
  override name = 'ActionError'
}

/** A bad input: its message names the input and shows a valid value. */
export class InputError extends ActionError {
  override name = 'InputError'
}

/** A failure that may pass if the request is made again: throttling, 5xx, resets. */
export class TransientError extends ActionError {
  override name = 'TransientError'
  /** @param retryAfterMs how long the service asked us to wait, when it said */
  constructor(
    message: string,
    readonly retryAfterMs?: number
  ) {
    super(message)
  }
}

/** The step's timeout ran out; the message says what was happening then. */
export class DeadlineExceededError extends ActionError {
  override name = 'DeadlineExceededError'
}

/** The step was cancelled (the runner's SIGINT or SIGTERM, or Ctrl-C). */
export class CancelledError extends ActionError {
  override name = 'CancelledError'
  constructor() {
    super('cancelled')
  }
}
