// Reads a connectionOperation from Microsoft Graph:
// GET {graph}/{version}/external/connections/{connectionId}/operations/{operationId}
import { randomUUID } from 'node:crypto'
import { ActionError, TransientError } from './errors.js'
import { headerValue, parseJsonObject } from './http.js'
import type { HttpResponse, Transport, JsonObject } from './http.js'
import { parseRetryAfter } from './retry.js'
import type { Retry } from './retry.js'
import type { Settings } from './settings.js'

export interface ConnectionOperation {
  id?: string
  status: string
  error?: { code?: string; message?: string } | null
  [property: string]: unknown
}

/** A Graph request that failed; the message holds the status, code, request-id and a hint. */
export class GraphError extends ActionError {
  override name = 'GraphError'
}

export interface OperationRef {
  connectionId: string
  operationId: string
}

/** What the Graph client needs of the token source. */
export interface AccessTokens {
  get(): Promise<string>
  invalidate(): void
}

// A freshly created operation can answer 404 for a few seconds.
export const NOT_FOUND_GRACE_MS = 30_000

export class GraphClient {
  private readonly notFoundGraceUntil: number
  private found = false

  constructor(
    private readonly graph: Transport,
    private readonly tokens: AccessTokens,
    private readonly retry: Retry,
    private readonly settings: Pick<Settings, 'graphUrl' | 'apiVersion'>,
    private readonly now: () => number,
    private readonly deadline: number
  ) {
    this.notFoundGraceUntil = now() + NOT_FOUND_GRACE_MS
  }

  getOperation(ref: OperationRef): Promise<ConnectionOperation> {
    let signedInAgain = false
    return this.retry(async () => {
      const response = await this.send(ref)
      const body = parseJsonObject(response.body)
      if (response.status === 200) {
        if (!body || typeof body.status !== 'string') {
          throw new GraphError(
            `Graph answered HTTP 200 with ${body ? 'an operation without a status' : 'a body that is not JSON'}` +
              ` (content-type ${headerValue(response, 'content-type') || 'none'}, ` +
              `request-id ${headerValue(response, 'request-id') || 'none'}). Check graph-url.`
          )
        }
        this.found = true
        return body as ConnectionOperation
      }
      const error = graphError(response, body, ref)
      const status = response.status
      if (status === 429 || status >= 500) {
        throw new TransientError(
          error.message,
          parseRetryAfter(headerValue(response, 'retry-after'))
        )
      }
      // A token can be revoked or expire early: sign in again once, never in a loop.
      if (status === 401 && !signedInAgain) {
        signedInAgain = true
        this.tokens.invalidate()
        throw new TransientError(`${error.message} Signing in again`, 0)
      }
      if (status === 404 && !this.found && this.now() < this.notFoundGraceUntil) {
        throw new TransientError(`${error.message} A new operation can take a moment to appear`)
      }
      throw error
    })
  }

  private async send(ref: OperationRef): Promise<HttpResponse> {
    const { graphUrl, apiVersion } = this.settings
    const url = new URL(
      `${graphUrl}/${apiVersion}/external/connections/${encodeURIComponent(ref.connectionId)}` +
        `/operations/${encodeURIComponent(ref.operationId)}`
    )
    const token = await this.tokens.get()
    return this.graph.request({
      method: 'GET',
      url,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        // Graph echoes it back; support can trace a request with it.
        'client-request-id': randomUUID()
      },
      deadline: this.deadline
    })
  }
}

/** Builds the one-line message for a Graph error response. */
export function graphError(
  response: HttpResponse,
  body: JsonObject | undefined,
  ref: OperationRef
): GraphError {
  const error =
    body?.error && typeof body.error === 'object' ? (body.error as JsonObject) : undefined
  const innerError =
    error?.innerError && typeof error.innerError === 'object'
      ? (error.innerError as JsonObject)
      : undefined
  const requestId =
    headerValue(response, 'request-id') || String(innerError?.['request-id'] ?? '') || 'none'
  const code = typeof error?.code === 'string' ? error.code : ''
  const message = typeof error?.message === 'string' ? error.message : ''
  const details = `HTTP ${response.status}${code ? `, code ${code}` : ''}, request-id ${requestId}`
  // Graph's messages usually end with a period; the sentence adds its own.
  const said = message ? `: ${message.replace(/[.\s]+$/, '')}` : ''
  const where = `operation '${ref.operationId}' of connection '${ref.connectionId}'`

  switch (response.status) {
    case 401:
      return new GraphError(
        `Graph rejected the access token for ${where} (${details})${said}. ` +
          'Check that graph-url and cloud match the tenant.'
      )
    case 403:
      return new GraphError(
        `Graph denied access to ${where} (${details})${said}. ` +
          'Grant the app the Microsoft Graph application permission ' +
          'ExternalConnection.ReadWrite.OwnedBy (for connections it created) or ' +
          'ExternalConnection.Read.All, with admin consent.'
      )
    case 404:
      return new GraphError(
        `Graph found no connection '${ref.connectionId}' with operation '${ref.operationId}' ` +
          `(${details})${said}. Check connection-id and operation-id: the operation ID is the ` +
          'last segment of the Location header that the schema request returned.'
      )
    default:
      return new GraphError(`Graph request for ${where} failed (${details})${said}.`)
  }
}
