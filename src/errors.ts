// Errors whose message is written for the user: shown as it is, without a stack.
export class ActionError extends Error {
  override name = 'ActionError'
}

/** The step's overall timeout ran out while a request was in flight. */
export class DeadlineExceededError extends ActionError {
  override name = 'DeadlineExceededError'
  constructor(readonly url: string) {
    super(`no response from ${url} before the timeout`)
  }
}

/** The request never got an HTTP response: refused, reset, DNS, TLS or proxy failure. */
export class NetworkError extends ActionError {
  override name = 'NetworkError'
  constructor(url: string, cause: Error & { code?: string }) {
    super(
      `Could not reach ${url}: ${cause.code ? `${cause.code} ` : ''}${cause.message}. ` +
        'Check the URL inputs, the network and any HTTPS_PROXY settings.'
    )
  }
}
