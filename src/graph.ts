// Reads from Microsoft Graph, under the retry policy:
// GET {graph}/{version}/external/connections/{connectionId}/operations/{operationId}
// GET {graph}/{version}/external/connections/{connectionId}
import { randomUUID } from 'node:crypto'
import { ActionError, TransientError } from './errors.js'
import { headerValue, parseJsonObject } from './http.js'
import type { HttpResponse, Transport, JsonObject } from './http.js'
import { isTransientStatus, parseRetryAfter } from './retry.js'
import type { Retry } from './retry.js'
import type { Settings } from './settings.js'

/** A Graph request that failed; the message holds the status, code, request-id and a hint. */
export class GraphError extends ActionError {
  override name = 'GraphError'
}

/** What a request is about: a connection, or an operation of one. */
export interface ResourceRef {
  connectionId: string
  operationId?: string
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
  /** The resource has been read once: from then on a 404 is final. */
  private found = false
  private connectionFound = false

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

  getOperation(ref: Required<ResourceRef>): Promise<JsonObject> {
    const path = `${connectionPath(ref)}/operations/${encodeURIComponent(ref.operationId)}`
    return this.get(path, ref, 'status')
  }

  getConnection(connectionId: string): Promise<JsonObject> {
    return this.get(connectionPath({ connectionId }), { connectionId }, 'state')
  }

  /** GETs a resource under the retry policy; `field` must be a string in the answer. */
  private get(path: string, ref: ResourceRef, field: 'status' | 'state'): Promise<JsonObject> {
    let signedInAgain = false
    return this.retry(async () => {
      const response = await this.send(path)
      const body = parseJsonObject(response.body)
      if (response.status === 200) {
        if (!body || typeof body[field] !== 'string') {
          throw new GraphError(
            `Graph answered HTTP 200 with ${body ? `no ${field} in the resource` : 'a body that is not JSON'}` +
              ` (content-type ${headerValue(response, 'content-type') || 'none'}, ` +
              `request-id ${headerValue(response, 'request-id') || 'none'}). Check graph-url.`
          )
        }
        this.found = true
        return body
      }
      const status = response.status
      if (isTransientStatus(status)) throw transient(response, body)
      // A token can be revoked or expire early: sign in again once, never in a loop.
      if (status === 401 && !signedInAgain) {
        signedInAgain = true
        this.tokens.invalidate()
        throw transient(response, body, 'Signing in again', 0)
      }
      if (status === 404 && ref.operationId !== undefined && !this.found) {
        // Only an operation can be too new to be found: a missing connection fails at once.
        if (!this.connectionFound) {
          const connection = await this.send(connectionPath(ref))
          if (connection.status === 404) {
            throw graphError(connection, parseJsonObject(connection.body), {
              ...ref,
              operationId: undefined
            })
          }
          this.connectionFound = connection.status === 200
        }
        if (this.now() < this.notFoundGraceUntil) {
          throw transient(response, body, 'A new operation can take a moment to appear')
        }
      }
      throw graphError(response, body, ref)
    })
  }

  /** GET {graph}/{version}{path} with the bearer token. */
  private async send(path: string): Promise<HttpResponse> {
    const { graphUrl, apiVersion } = this.settings
    const url = new URL(`${graphUrl}/${apiVersion}${path}`)
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

function connectionPath(ref: ResourceRef): string {
  return `/external/connections/${encodeURIComponent(ref.connectionId)}`
}

/** "HTTP 503, code X, request-id Y" and ": message" from a Graph error response. */
function describe(response: HttpResponse, body: JsonObject | undefined) {
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
  return {
    details: `HTTP ${response.status}${code ? `, code ${code}` : ''}, request-id ${requestId}`,
    // Graph's messages usually end with a period; the sentence adds its own.
    said: message ? `: ${message.replace(/[.\s]+$/, '')}` : ''
  }
}

/** A Graph answer worth retrying, in one line for the retry log. */
function transient(
  response: HttpResponse,
  body: JsonObject | undefined,
  next = '',
  retryAfterMs = parseRetryAfter(headerValue(response, 'retry-after'))
): TransientError {
  const { details, said } = describe(response, body)
  return new TransientError(
    `Graph answered ${details}${said}.${next ? ` ${next}` : ''}`,
    retryAfterMs
  )
}

/** Builds the one-line message for a Graph error response. */
export function graphError(
  response: HttpResponse,
  body: JsonObject | undefined,
  ref: ResourceRef
): GraphError {
  const { details, said } = describe(response, body)
  const where =
    ref.operationId === undefined
      ? `connection '${ref.connectionId}'`
      : `operation '${ref.operationId}' of connection '${ref.connectionId}'`

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
      return ref.operationId === undefined
        ? new GraphError(
            `Graph found no connection '${ref.connectionId}' (${details})${said}. ` +
              'Check connection-id, and that tenant-id and cloud are where the connection was created.'
          )
        : new GraphError(
            `Graph found no operation '${ref.operationId}' on connection '${ref.connectionId}' ` +
              `(${details})${said}. Check operation-id: it is the last segment of the ` +
              'Location header that the schema request returned.'
          )
    default:
      return new GraphError(`Graph request for ${where} failed (${details})${said}.`)
  }
}
