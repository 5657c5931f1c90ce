// Reads from Microsoft Graph, under the retry policy:
// GET {graph}/{version}/external/connections/{connectionId}/operations/{operationId}
// GET {graph}/{version}/external/connections/{connectionId}
import { randomUUID } from 'node:crypto'
import type { Budget } from './budget.js'
import { ActionError, TransientError } from './errors.js'
import { headerValue, transientAnswer } from './http.js'
import type { HttpResponse, Transport } from './http.js'
import { asObject, objectField, parseJsonObject, stringField } from './json.js'
import type { JsonObject } from './json.js'
import { isTransientStatus } from './retry.js'
import type { Retry } from './retry.js'
import type { Settings } from './settings.js'
import { inert } from './text.js'

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

export interface GraphClientOptions {
  transport: Transport
  tokens: AccessTokens
  retry: Retry
  budget: Pick<Budget, 'now'>
  settings: Pick<Settings, 'graphUrl' | 'apiVersion'>
}

// A freshly created operation can answer 404 for a few seconds.
export const NOT_FOUND_GRACE_MS = 30_000

export class GraphClient {
  /** When Graph first said the operation was not there, on the budget's clock. */
  private notFoundSince: number | undefined
  /** The operation has been read once: from then on a 404 is final. */
  private operationFound = false
  private connectionFound = false

  constructor(private readonly options: GraphClientOptions) {}

  async getOperation(ref: Required<ResourceRef>): Promise<JsonObject> {
    const path = `${connectionPath(ref)}/operations/${encodeURIComponent(ref.operationId)}`
    const operation = await this.get(path, ref)
    this.operationFound = true
    return operation
  }

  getConnection(connectionId: string): Promise<JsonObject> {
    return this.get(connectionPath({ connectionId }), { connectionId })
  }

  /**
   * GETs a resource under the retry policy. Every property of a Graph resource
   * may be null, so any JSON object is an answer; what its status means is the
   * watcher's business.
   */
  private get(path: string, ref: ResourceRef): Promise<JsonObject> {
    let signedInAgain = false
    return this.options.retry(async () => {
      const response = await this.send(path)
      const body = parseJsonObject(response.body)
      if (response.status === 200) {
        if (!body) {
          throw new GraphError(
            'Graph answered HTTP 200 with a body that is not JSON' +
              ` (content-type ${inert(headerValue(response, 'content-type'), 100) || 'none'}, ` +
              `request-id ${requestIdOf(response, undefined)}). Check graph-url.`
          )
        }
        return body
      }
      const status = response.status
      if (isTransientStatus(status)) throw transientAnswer(response, retryLine(response, body))
      // A token can be revoked or expire early: sign in again once, never in a loop.
      if (status === 401 && !signedInAgain) {
        signedInAgain = true
        this.options.tokens.invalidate()
        throw new TransientError(retryLine(response, body, 'Signing in again'))
      }
      if (status === 404 && ref.operationId !== undefined && !this.operationFound) {
        await this.waitForNewOperation(response, body, ref)
      }
      throw graphError(response, body, ref)
    })
  }

  /**
   * An operation not found may be too new to be seen yet: retried for the grace
   * period from the first 404, the last try inside it, but only if its
   * connection exists (a missing connection is final and named as such).
   */
  private async waitForNewOperation(
    response: HttpResponse,
    body: JsonObject | undefined,
    ref: ResourceRef
  ): Promise<void> {
    if (!this.connectionFound) {
      const connection = await this.send(connectionPath(ref))
      if (connection.status === 404) {
        throw graphError(connection, parseJsonObject(connection.body), {
          connectionId: ref.connectionId
        })
      }
      this.connectionFound = connection.status === 200
    }
    const now = this.options.budget.now()
    this.notFoundSince ??= now
    const graceLeft = this.notFoundSince + NOT_FOUND_GRACE_MS - now
    if (graceLeft > 0) {
      throw new TransientError(
        retryLine(response, body, 'A new operation can take a moment to appear'),
        { retryWithinMs: graceLeft }
      )
    }
  }

  /** GET {graph}/{version}{path} with the bearer token. */
  private async send(path: string): Promise<HttpResponse> {
    const { graphUrl, apiVersion } = this.options.settings
    const url = new URL(`${graphUrl}/${apiVersion}${path}`)
    // The IDs are checked and encoded, but never let URL parsing (dot segments,
    // say) turn the request into one for another resource.
    if (url.pathname !== `/${apiVersion}${path}`) {
      throw new GraphError(`Refusing to request ${url.pathname} for the path ${path}.`)
    }
    const token = await this.options.tokens.get()
    return this.options.transport.request({
      method: 'GET',
      url,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        // A status Microsoft adds later arrives as its name, not unknownFutureValue.
        prefer: 'include-unknown-enum-members',
        // Graph echoes it back; support can trace a request with it.
        'client-request-id': randomUUID()
      }
    })
  }
}

/**
 * Graph's publicError (an operation's error, or the error of an answer) in
 * words: its message, then each of its details with the property it names.
 * A string is a message too. Empty strings when there is nothing to say.
 */
export function publicErrorOf(value: unknown): { code: string; message: string } {
  if (typeof value === 'string') return { code: '', message: value.trim() }
  const error = asObject(value)
  const details = Array.isArray(error?.details) ? error.details : []
  const parts = details.map(item => {
    const detail = asObject(item)
    const target = stringField(detail, 'target')
    const message = stringField(detail, 'message') || 'no message'
    const code = stringField(detail, 'code')
    return `${target ? `${target}: ` : ''}${message}${code ? ` (${code})` : ''}`
  })
  const message = stringField(error, 'message').trim()
  const detailText = parts.join('; ')
  return {
    code: stringField(error, 'code'),
    message:
      message && detailText
        ? `${message.replace(/[.\s]+$/, '')}. Details: ${detailText}.`
        : message || detailText
  }
}

function requestIdOf(response: HttpResponse, error: JsonObject | undefined): string {
  const id =
    headerValue(response, 'request-id') ||
    stringField(objectField(error, 'innerError'), 'request-id')
  return inert(id, 100) || 'none'
}

function connectionPath(ref: ResourceRef): string {
  return `/external/connections/${encodeURIComponent(ref.connectionId)}`
}

/** The parts of a Graph error answer: "HTTP 503, code X, request-id Y" and ": message". */
function errorParts(response: HttpResponse, body: JsonObject | undefined) {
  const error = body?.error
  const { code, message } = publicErrorOf(error)
  const requestId = requestIdOf(response, asObject(error))
  return {
    details: `HTTP ${response.status}${code ? `, code ${inert(code, 100)}` : ''}, request-id ${requestId}`,
    // Graph's messages usually end with a period; the sentence adds its own.
    said: message ? `: ${inert(message.replace(/[.\s]+$/, ''))}` : ''
  }
}

/** A Graph answer worth retrying, in one line for the retry log. */
function retryLine(response: HttpResponse, body: JsonObject | undefined, next = ''): string {
  const { details, said } = errorParts(response, body)
  return `Graph answered ${details}${said}.${next ? ` ${next}` : ''}`
}

/** Builds the one-line message for a Graph error response. */
export function graphError(
  response: HttpResponse,
  body: JsonObject | undefined,
  ref: ResourceRef
): GraphError {
  const { details, said } = errorParts(response, body)
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
