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

/** The job was cancelled (SIGINT or SIGTERM from the runner). */
export class CancelledError extends ActionError {
  override name = 'CancelledError'
  constructor() {
    super('cancelled')
  }
}

// Connection failures worth another try; anything else (refused, DNS name not
// found, a bad certificate) is a setup problem that retrying will not fix.
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'EAI_AGAIN',
  'UND_ERR_SOCKET'
])

/** The request never got a complete HTTP response. */
export function networkError(url: string, cause: Error & { code?: string }): ActionError {
  const what = `${cause.code ? `${cause.code} ` : ''}${cause.message}`
  // The tunnel agent reports every refused proxy CONNECT as ECONNRESET.
  const proxyRefused = cause.message.startsWith('tunneling socket could not be established')
  if (!proxyRefused && (!cause.code || TRANSIENT_NETWORK_CODES.has(cause.code))) {
    return new TransientError(`The connection to ${url} failed: ${what}`)
  }
  return new ActionError(
    `Could not reach ${url}: ${what}. Check the URL inputs, the network and any HTTPS_PROXY settings.`
  )
}
