// Microsoft Graph's external connections, under the retry policy: an operation
// and a connection read, a connection created, its schema read and submitted.
// Every request goes to {graph}/{version}/external/connections/... and nowhere else.
import { randomUUID } from 'node:crypto'
import type { Budget } from './budget.js'
import { ActionError, TransientError } from './errors.js'
import { headerValue, isTransientStatus, transientAnswer } from './http.js'
import type { HttpResponse, Transport } from './http.js'
import { asObject, objectField, parseJsonObject, stringField } from './json.js'
import type { JsonObject } from './json.js'
import type { Retry } from './retry.js'
import { isOperationId } from './settings.js'
import { ACTION_VOICE, OPERATION_PATH, connectionPath, operationPath } from './model.js'
import type { ResourceRef, Settings, Voice } from './model.js'
import { capitalize, formatSeconds, inert } from './text.js'

/** A Graph request that failed; the message holds the status, code, request-id and a hint. */
export class GraphError extends ActionError {
  override name = 'GraphError'
  /**
   * @param code Graph's error code, when it gave one.
   * @param answer The HTTP status and Graph's error object, for the summary.
   */
  constructor(
    message: string,
    code = '',
    readonly answer?: { status: number; error: unknown }
  ) {
    super(message, code || 'GraphError')
  }
}

/** What a request is about: a connection, or an operation of one. */

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
  settings: Pick<Settings, 'graphUrl' | 'apiVersion'> & { voice?: Voice }
}

// A freshly created operation can answer 404 for a few seconds.
export const NOT_FOUND_GRACE_MS = 30_000
/** A 401 within this long of the last one that made the client sign in again fails. */
export const RENEWAL_WINDOW_MS = 60_000

/** A request to Graph: the path after the version, and a JSON body for writes. */
interface GraphRequest {
  method: 'GET' | 'POST' | 'PATCH'
  path: string
  body?: unknown
}

/** An answer that is neither transient nor a first 401: the caller reads it. */
interface Answer {
  response: HttpResponse
  body: JsonObject | undefined
}

export class GraphClient {
  /** When Graph first said the operation was not there, on the budget's clock. */
  private notFoundSince: number | undefined
  /** The operation has been read once: from then on a 404 is final. */
  private operationFound = false
  private connectionFound = false
  /** When a 401 last made the client sign in again, on the budget's clock. */
  private renewedAt: number | undefined

  constructor(private readonly options: GraphClientOptions) {}

  private get voice(): Voice {
    return this.options.settings.voice ?? ACTION_VOICE
  }

  async getOperation(ref: Required<ResourceRef>): Promise<JsonObject> {
    const path = operationPath(ref)
    const operation = await this.call({ method: 'GET', path }, async ({ response, body }) => {
      if (response.status === 200) return resource(response, body, this.voice)
      if (response.status === 404 && !this.operationFound) {
        await this.waitForNewOperation(response, body, ref)
      }
      throw graphError(response, body, ref, this.voice)
    })
    this.operationFound = true
    return operation
  }

  getConnection(connectionId: string): Promise<JsonObject> {
    const ref = { connectionId }
    return this.call({ method: 'GET', path: connectionPath(ref) }, ({ response, body }) => {
      if (response.status === 200) return resource(response, body, this.voice)
      throw graphError(response, body, ref, this.voice)
    })
  }

  /** The connection, or undefined when Graph has none with this ID. */
  findConnection(connectionId: string): Promise<JsonObject | undefined> {
    const ref = { connectionId }
    return this.call({ method: 'GET', path: connectionPath(ref) }, ({ response, body }) => {
      if (response.status === 200) return resource(response, body, this.voice)
      if (response.status === 404) return undefined
      throw graphError(response, body, ref, this.voice)
    })
  }

  /**
   * POST /external/connections with the connection's fields (id and name at least);
   * 'exists' when Graph answers 409 (made meanwhile, or by a retry).
   */
  createConnection(connection: JsonObject & { id: string }): Promise<'created' | 'exists'> {
    const connectionId = connection.id
    return this.call(
      { method: 'POST', path: '/external/connections', body: connection },
      ({ response, body: answer }) => {
        if (response.status === 201 || response.status === 200) return 'created'
        if (response.status === 409) return 'exists'
        throw writeError(response, answer, `create connection '${connectionId}'`)
      }
    )
  }

  /**
   * PATCH /external/connections/{id} with the fields to change: Graph answers 204.
   * A PATCH is not idempotent in general, but one that sets fields to values is:
   * the retry policy may send it again.
   */
  updateConnection(connectionId: string, fields: JsonObject): Promise<void> {
    const path = connectionPath({ connectionId })
    const what = `update connection '${connectionId}'`
    return this.call({ method: 'PATCH', path, body: fields }, ({ response, body }) => {
      if (response.status === 204 || response.status === 200) return
      throw writeError(response, body, what)
    })
  }

  /** The connection's schema, or undefined when it has none yet. */
  getSchema(connectionId: string): Promise<JsonObject | undefined> {
    const ref = { connectionId }
    const path = `${connectionPath(ref)}/schema`
    return this.call({ method: 'GET', path }, ({ response, body }) => {
      if (response.status === 200) return resource(response, body, this.voice)
      if (response.status === 404) return undefined
      throw graphError(response, body, ref, this.voice)
    })
  }

  /**
   * PATCH .../schema: Graph answers 202 and starts an operation, whose URL is
   * the Location header. Returns the operation, checked to be on the Graph host.
   */
  submitSchema(connectionId: string, schema: object): Promise<OperationUrl> {
    const path = `${connectionPath({ connectionId })}/schema`
    const what = `submit the schema of connection '${connectionId}'`
    return this.call({ method: 'PATCH', path, body: schema }, ({ response, body }) => {
      if (response.status !== 202) throw writeError(response, body, what)
      const location = headerValue(response, 'location')
      if (!location) {
        throw new GraphError(
          `Graph accepted the schema of connection '${connectionId}' (HTTP 202, request-id ` +
            `${requestIdOf(response, undefined)}) but sent no Location header, so there is no ` +
            'operation to wait for.'
        )
      }
      return operationAt(location, this.options.settings.graphUrl, connectionId, this.voice)
    })
  }

  /**
   * Sends a request under the retry policy: a 429 or 5xx is retried, and a 401
   * once after signing in again; any other answer goes to `read`, which returns
   * what it means or throws.
   */
  private call<T>(request: GraphRequest, read: (answer: Answer) => T | Promise<T>): Promise<T> {
    return this.options.retry(async () => {
      const response = await this.send(request)
      const body = parseJsonObject(response.body)
      if (isTransientStatus(response.status)) {
        throw transientAnswer(response, answerLine(response, body))
      }
      if (response.status === 401) this.renewAfter401(response, body)
      return read({ response, body })
    })
  }

  /**
   * A token can be revoked or expire early: sign in again, once. Another 401
   * soon after is not something a new sign-in fixes: it fails, never a loop of
   * sign-ins and retries, whatever Graph answers in between.
   */
  private renewAfter401(response: HttpResponse, body: JsonObject | undefined): never {
    const now = this.options.budget.now()
    const since = this.renewedAt === undefined ? Infinity : now - this.renewedAt
    if (since >= RENEWAL_WINDOW_MS) {
      this.renewedAt = now
      this.options.tokens.invalidate()
      throw new TransientError(answerLine(response, body, 'Signing in again'))
    }
    const { code, details, said } = errorParts(response, body)
    const voice = this.voice
    throw new GraphError(
      `Graph rejected the access token again (${details})${said}. ${capitalize(voice.self)} ` +
        `signed in again after Graph's first 401, ${formatSeconds(since)} before, and Graph ` +
        'refused the new token too, so signing in once more will not help. Check that ' +
        `${voice.name('graph-url')} and ${voice.name('cloud')} match the tenant, ` +
        'and that the app still has its Graph permissions with admin consent.',
      code
    )
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
      const connection = await this.send({ method: 'GET', path: connectionPath(ref) })
      if (connection.status === 404) {
        throw graphError(
          connection,
          parseJsonObject(connection.body),
          { connectionId: ref.connectionId },
          this.voice
        )
      }
      this.connectionFound = connection.status === 200
    }
    const now = this.options.budget.now()
    this.notFoundSince ??= now
    const graceLeft = this.notFoundSince + NOT_FOUND_GRACE_MS - now
    if (graceLeft > 0) {
      throw new TransientError(
        answerLine(response, body, 'A new operation can take a moment to appear'),
        { retryWithinMs: graceLeft }
      )
    }
  }

  /** {method} {graph}/{version}{path} with the bearer token. */
  private async send(request: GraphRequest): Promise<HttpResponse> {
    const { graphUrl, apiVersion } = this.options.settings
    const { method, path } = request
    const url = new URL(`${graphUrl}/${apiVersion}${path}`)
    // The IDs are checked and encoded, but never let URL parsing (dot segments,
    // say) turn the request into one for another resource.
    if (url.pathname !== `/${apiVersion}${path}`) {
      throw new GraphError(`Refusing to request ${url.pathname} for the path ${path}.`)
    }
    const token = await this.options.tokens.get()
    return this.options.transport.request({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        // A status Microsoft adds later arrives as its name, not unknownFutureValue.
        prefer: 'include-unknown-enum-members',
        // Graph echoes it back; support can trace a request with it.
        'client-request-id': randomUUID(),
        ...(request.body !== undefined && { 'content-type': 'application/json' })
      },
      ...(request.body !== undefined && { body: JSON.stringify(request.body) })
    })
  }
}

/** The operation a Location header names, and the URL itself. */
export interface OperationUrl {
  url: string
  connectionId: string
  operationId: string
}

/**
 * Reads the Location of PATCH .../schema with the rules the operation-url input
 * gets: it is followed only when it is on the Graph host (the bearer token goes
 * to no other), names the connection whose schema was submitted, and has an
 * operation ID that passes the operation-id rules. Anything else is refused,
 * and shown inert: Graph's IDs end up in log lines.
 */
export function operationAt(
  location: string,
  graphUrl: string,
  connectionId: string,
  { self }: Voice = ACTION_VOICE
): OperationUrl {
  let url: URL
  try {
    url = new URL(location)
  } catch {
    throw new GraphError(`Graph's Location header is not a URL: '${inert(location, 200)}'.`)
  }
  if (url.origin !== graphUrl) {
    throw new GraphError(
      `Graph's Location header points at ${inert(url.origin, 200)}, not the Graph host ` +
        `${graphUrl}: ${self} sends its token to that host only, so it does not follow it.`
    )
  }
  const shown = `'${inert(url.origin + url.pathname, 300)}'`
  const match = OPERATION_PATH.exec(url.pathname)
  const [connection, operationId] = (match?.slice(2) ?? []).map(part => {
    try {
      return decodeURIComponent(part)
    } catch {
      return ''
    }
  })
  if (!match || url.search || url.hash || url.username || url.password) {
    throw new GraphError(`Graph's Location header is not an operation URL: ${shown}.`)
  }
  // Connection IDs are not case-sensitive.
  if (connection.toLowerCase() !== connectionId.toLowerCase()) {
    throw new GraphError(
      `Graph's Location header names the connection '${inert(connection, 100)}', not ` +
        `'${connectionId}' whose schema was submitted: ${shown}. ${capitalize(self)} does not ` +
        'follow it.'
    )
  }
  if (!isOperationId(operationId)) {
    throw new GraphError(
      `Graph's Location header has an operation ID that is not one ('${inert(operationId, 100)}'): ` +
        `${shown}. An operation ID is one path segment with no '/', '?', '#', '%', spaces or ` +
        `control characters; ${self} does not follow it.`
    )
  }
  return { url: url.href, connectionId, operationId }
}

/** A 200's body, which must be a JSON object. */
function resource(response: HttpResponse, body: JsonObject | undefined, voice: Voice): JsonObject {
  if (body) return body
  throw new GraphError(
    'Graph answered HTTP 200 with a body that is not JSON' +
      ` (content-type ${inert(headerValue(response, 'content-type'), 100) || 'none'}, ` +
      `request-id ${requestIdOf(response, undefined)}). Check ${voice.name('graph-url')}.`
  )
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

/** The parts of a Graph error answer: "HTTP 503, code X, request-id Y" and ": message". */
function errorParts(response: HttpResponse, body: JsonObject | undefined) {
  const error = body?.error
  const { code, message } = publicErrorOf(error)
  const requestId = requestIdOf(response, asObject(error))
  return {
    code,
    details: `HTTP ${response.status}${code ? `, code ${inert(code, 100)}` : ''}, request-id ${requestId}`,
    // Graph's messages usually end with a period; the sentence adds its own.
    said: message ? `: ${inert(message.replace(/[.\s]+$/, ''))}` : ''
  }
}

/** A Graph answer worth retrying, in one line for the retry log. */
function answerLine(response: HttpResponse, body: JsonObject | undefined, next = ''): string {
  const { details, said } = errorParts(response, body)
  return `Graph answered ${details}${said}.${next ? ` ${next}` : ''}`
}

/** The one-line message for a Graph error response, with Graph's code. */
export function graphError(
  response: HttpResponse,
  body: JsonObject | undefined,
  ref: ResourceRef,
  voice: Voice = ACTION_VOICE
): GraphError {
  return new GraphError(
    graphErrorText(response, body, ref, voice),
    errorParts(response, body).code,
    {
      status: response.status,
      error: body?.error
    }
  )
}

function graphErrorText(
  response: HttpResponse,
  body: JsonObject | undefined,
  ref: ResourceRef,
  voice: Voice
): string {
  const { details, said } = errorParts(response, body)
  const where =
    ref.operationId === undefined
      ? `connection '${ref.connectionId}'`
      : `operation '${ref.operationId}' of connection '${ref.connectionId}'`

  switch (response.status) {
    case 401:
      return (
        `Graph rejected the access token for ${where} (${details})${said}. ` +
        `Check that ${voice.name('graph-url')} and ${voice.name('cloud')} match the tenant.`
      )
    case 403:
      return (
        `Graph denied access to ${where} (${details})${said}. ` +
        'Grant the app the Microsoft Graph application permission ' +
        'ExternalConnection.ReadWrite.OwnedBy (for connections it created) or ' +
        'ExternalConnection.Read.All, with admin consent.'
      )
    case 404:
      return ref.operationId === undefined
        ? `Graph found no connection '${ref.connectionId}' (${details})${said}. ` +
            `Check ${voice.name('connection-id')}, and that ${voice.name('tenant-id')} and ` +
            `${voice.name('cloud')} are where the connection was created.`
        : `Graph found no operation '${ref.operationId}' on connection '${ref.connectionId}' ` +
            `(${details})${said}. Check ${voice.name('operation-id')}: it is the last segment of the ` +
            'Location header that the schema request returned.'
    default:
      return `Graph request for ${where} failed (${details})${said}.`
  }
}

/** The one-line message for a refused write (creating a connection, submitting a schema), with Graph's code. */
export function writeError(
  response: HttpResponse,
  body: JsonObject | undefined,
  what: string
): GraphError {
  return new GraphError(writeErrorText(response, body, what), errorParts(response, body).code)
}

function writeErrorText(
  response: HttpResponse,
  body: JsonObject | undefined,
  what: string
): string {
  const { details, said } = errorParts(response, body)
  switch (response.status) {
    case 403:
      return (
        `Graph denied the app to ${what} (${details})${said}. Creating a connection and ` +
        'submitting a schema need the Microsoft Graph application permission ' +
        'ExternalConnection.ReadWrite.OwnedBy (or ExternalConnection.ReadWrite.All), with ' +
        'admin consent; ExternalConnection.Read.All can only wait.'
      )
    case 400:
      return `Graph refused to ${what} (${details})${said}.`
    default:
      return `Graph could not ${what} (${details})${said}.`
  }
}
