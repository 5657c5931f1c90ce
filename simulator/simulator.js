// A local stand-in for Microsoft Entra ID's token endpoint, Microsoft Graph's
// external connections, and the runner's OIDC ID-token endpoint: a real HTTP
// server on loopback that answers with the status codes, headers and error
// bodies the real services send. This file is the scriptable server (state,
// faults, recording, routing); entra.js, graph.js (with graph-schema.js and
// graph-answers.js) and oidc.js are the services, script.js their scripted
// statuses.
// Plain JavaScript, so `npm run demo` and workflows can start it without a build.
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import { Server as HttpsServer, createServer as createHttpsServer } from 'node:https'
import { DEFAULTS } from './defaults.js'
import { checkAssertion, tokenAnswer } from './entra.js'
import { graphAnswer } from './graph.js'
import { normalizedConnection } from './graph-connection.js'
import { normalizedSchema, settle } from './graph-schema.js'
import { scripted } from './script.js'
import { idTokenAnswer } from './oidc.js'

export { DEFAULTS } from './defaults.js'
export { entraError } from './entra.js'
export { graphError, throttled } from './graph-answers.js'

/**
 * @typedef {object} OperationScript
 * @property {(string | null)[]} statuses  Status per poll (or per `everyMs`); the last one
 *   repeats. null is sent as null: every property of a Graph resource is nullable.
 * @property {number} [everyMs]  Advance through `statuses` by time instead of by poll.
 * @property {unknown} [error]  Sent once the status is failed, as it is: a publicError
 *   ({ code, message, details: [{ code, message, target }], innerError }), null, a string...
 *
 * @typedef {object} ErrorDetail  One entry of a Graph error's `details`.
 * @property {string} code
 * @property {string} message
 * @property {string} [target]  What it is about, e.g. `properties[0].type`.
 *
 * @typedef {object} SchemaRejection  What `rejectNextSchema` answers the next schema PATCH
 *   with: a 400 whose error has this code, message and details.
 * @property {string} code
 * @property {string} message
 * @property {ErrorDetail[]} [details]
 *
 * @typedef {{ name: string, type: string, labels?: string[], aliases?: string[], [key: string]: unknown }} SchemaProperty
 *   Flags (isSearchable, isRetrievable, isQueryable, isRefinable, isExactMatchRequired) and
 *   beta's description and rankingHint ride in the index signature.
 * @typedef {{ baseType?: string, properties: SchemaProperty[] }} Schema
 *   A connection's schema, the body of PATCH .../schema.
 *
 * @typedef {object} App
 * @property {string} clientId
 * @property {string} [secret]
 * @property {string[]} [certificates]  PEM certificates uploaded to the app.
 * @property {{ issuer: string, subject: string, audience: string }[]} [federated]
 *   Federated credentials: which GitHub ID tokens the app trusts.
 * @property {string[]} roles  Graph application permissions granted with admin consent.
 *
 * @typedef {{ status: number, headers?: Record<string, string>, body?: string | object }} ScriptedResponse
 * @typedef {ScriptedResponse | 'hang' | 'drop'} Fault
 * A fault answers one request instead of the normal handler: a scripted
 * response, a response that never comes ('hang'), or a dropped connection ('drop').
 *
 * @typedef {'token' | 'graph' | 'oidc'} Service
 *
 * @typedef {object} RecordedRequest
 * @property {Service} service
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {string} body
 * @property {number} at  Date.now() when it arrived.
 * @property {number} [respondedAt]  Date.now() when the answer was sent.
 * @property {number} connection  Which TCP connection carried it, numbered from 1.
 * @property {number} status  The status answered, or 0 for a fault without one.
 *
 * @typedef {object} SimulatorOptions
 * @property {number} [port]  0 (the default) picks a free port.
 * @property {App[]} [apps]
 * @property {number} [tokenLifetimeSeconds]  expires_in of issued tokens; 3599 by default.
 * @property {{ key: string, cert: string }} [tls]  Serve HTTPS with this key and certificate.
 * @property {string} [publicUrl]  The base URL clients use (e.g. through a proxy), when it is
 *   not the address it listens on: scopes and assertion audiences are checked against it.
 */

export class Simulator {
  /** @param {SimulatorOptions} [options] */
  constructor(options = {}) {
    this.port = options.port ?? 0
    /** Base URL once started, e.g. http://127.0.0.1:41234. */
    this.url = ''
    /** @type {App[]} */
    this.apps = options.apps ?? [
      {
        clientId: DEFAULTS.clientId,
        secret: DEFAULTS.clientSecret,
        federated: [
          {
            issuer: DEFAULTS.oidcIssuer,
            subject: DEFAULTS.oidcSubject,
            audience: 'api://AzureADTokenExchange'
          }
        ],
        roles: [...DEFAULTS.roles]
      }
    ]
    /** The bearer token the runner's ID-token endpoint requires (ACTIONS_ID_TOKEN_REQUEST_TOKEN). */
    this.oidcRequestToken = randomBytes(24).toString('base64url')
    /** The subject of the ID tokens it issues; a test may change it. @type {string} */
    this.oidcSubject = DEFAULTS.oidcSubject
    /** ID tokens issued, with their claims. @type {Map<string, Record<string, unknown>>} */
    this.idTokens = new Map()
    /** jti of every client assertion accepted, to refuse a replay. @type {Set<string>} */
    this.assertionIds = new Set()
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3599
    /** Every request, in order of arrival. @type {RecordedRequest[]} */
    this.requests = []
    /** Access tokens issued, with the app and expiry. @type {Map<string, { app: App, expiresAt: number }>} */
    this.tokens = new Map()
    /** Keyed by "connection/operation". @type {Map<string, import('./script.js').Scripted>} */
    this.operations = new Map()
    /** Keyed by lower-case connection ID; `statuses` are its states. @type {Map<string, import('./script.js').Scripted>} */
    this.connections = new Map()
    /** The stored schema of each connection, as Graph serves it. @type {Map<string, Schema>} */
    this.schemas = new Map()
    /**
     * The script of each operation a schema PATCH starts, from the next PATCH on (it stays
     * until changed). The schema is stored when the operation shows `completed`; a failed
     * one (`{ statuses: ['inprogress', 'failed'], error }`) leaves the old schema.
     * @type {OperationScript}
     */
    this.schemaOperation = { statuses: ['inprogress', 'completed'] }
    /**
     * When set, the next schema PATCH that passes Graph's own checks is refused with a 400
     * carrying this error instead of starting an operation; then it is cleared.
     * @type {SchemaRejection | undefined}
     */
    this.rejectNextSchema = undefined
    /** Fields a connection PATCH accepts (204) yet leaves as they were. @type {Set<string>} */
    this.ignoredConnectionFields = new Set()
    /** @type {Record<Service, Fault[]>} */
    this.faults = { token: [], graph: [], oidc: [] }
    /** @type {Set<import('node:http').ServerResponse>} */
    this.hanging = new Set()
    /**
     * Called with each request as it arrives, before it is answered: tests use it to
     * change the script mid-wait (revoke tokens, create the operation late, ...).
     * @type {((request: RecordedRequest) => void) | undefined}
     */
    this.onRequest = undefined
    /**
     * Called with each request once it is answered (not for a 'hang' or 'drop' fault):
     * `node simulator/cli.js --log` prints them.
     * @type {((request: RecordedRequest) => void) | undefined}
     */
    this.onResponse = undefined
    /** @type {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void} */
    const handler = (req, res) => this.handle(req, res)
    this.server = options.tls ? createHttpsServer(options.tls, handler) : createServer(handler)
    this.publicUrl = options.publicUrl
    this.server.keepAliveTimeout = 30_000
    /** @type {Set<import('node:net').Socket>} */
    this.sockets = new Set()
    /** @type {WeakMap<import('node:net').Socket, number>} */
    this.connectionIds = new WeakMap()
    this.connectionCount = 0
    // Over TLS, requests arrive on the TLS socket that wraps the TCP one.
    this.server.on('secureConnection', socket => {
      this.connectionIds.set(socket, this.connectionCount)
    })
    this.server.on('connection', socket => {
      this.sockets.add(socket)
      this.connectionIds.set(socket, ++this.connectionCount)
      socket.on('close', () => this.sockets.delete(socket))
    })
  }

  /** Listens on 127.0.0.1 and resolves once it does. */
  async start() {
    await new Promise(resolve => this.server.listen(this.port, '127.0.0.1', () => resolve(null)))
    const address = this.server.address()
    if (!address || typeof address === 'string') throw new Error('no address')
    this.url =
      this.publicUrl ??
      `${this.server instanceof HttpsServer ? 'https' : 'http'}://127.0.0.1:${address.port}`
    /** The port it listens on. */
    this.port = address.port
    return this
  }

  async close() {
    for (const res of this.hanging) res.destroy()
    for (const socket of this.sockets) socket.destroy()
    await new Promise(resolve => this.server.close(() => resolve(null)))
  }

  /**
   * Creates (or replaces) an operation on a connection.
   * @param {string} connectionId
   * @param {string} operationId
   * @param {OperationScript} script
   */
  setOperation(connectionId, operationId, script) {
    if (!this.connections.has(connectionId.toLowerCase())) {
      this.setConnection(connectionId, { statuses: ['ready'] })
    }
    this.operations.set(`${connectionId.toLowerCase()}/${operationId}`, scripted(script))
  }

  /**
   * Creates (or replaces) a connection; `statuses` are its states (draft, ready, ...). With
   * `fields` (name, description, contentCategory, activitySettings, ...) GET serves those,
   * as Graph keeps them; without, a name and description of the simulator's own.
   * @param {string} connectionId
   * @param {OperationScript} script
   * @param {Record<string, unknown>} [fields]
   */
  setConnection(connectionId, script, fields) {
    const entry = scripted(script)
    const name = `Simulated connection ${connectionId}`
    if (fields) entry.resource = normalizedConnection({ id: connectionId, name, ...fields })
    this.connections.set(connectionId.toLowerCase(), entry)
  }

  /**
   * From now on a connection PATCH answers 204 yet keeps the old value of these fields, as
   * Graph may for a field it does not update: a client's read-back must catch it. [] undoes it.
   * @param {string[]} fields  e.g. ['contentCategory']
   */
  ignoreConnectionFields(fields) {
    this.ignoredConnectionFields = new Set(fields)
  }

  /**
   * Sets a connection's current schema (normalized as Graph stores it), or removes it
   * with undefined. The connection need not exist yet.
   * @param {string} connectionId
   * @param {Schema | undefined} schema
   */
  setSchema(connectionId, schema) {
    const key = connectionId.toLowerCase()
    if (schema) this.schemas.set(key, normalizedSchema(schema))
    else this.schemas.delete(key)
  }

  /**
   * The schema Graph would serve for a connection now (a completed schema operation's
   * schema included), or undefined.
   * @param {string} connectionId
   */
  schemaOf(connectionId) {
    const key = connectionId.toLowerCase()
    settle(this, key)
    return this.schemas.get(key)
  }

  /**
   * Queues faults that answer the next requests to a service, in order.
   * @param {Service} service
   * @param {...Fault} faults
   */
  injectFaults(service, ...faults) {
    this.faults[service].push(...faults)
  }

  /** Revokes every access token issued so far: Graph answers 401 to them from now on. */
  revokeTokens() {
    this.tokens.clear()
  }

  /** The value for ACTIONS_ID_TOKEN_REQUEST_URL, as the runner sets it. */
  get oidcRequestUrl() {
    return `${this.url}/_oidc/idtoken?api-version=2.0`
  }

  /** @param {Service} service */
  requestsTo(service) {
    return this.requests.filter(r => r.service === service)
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  handle(req, res) {
    /** @type {Buffer[]} */
    const chunks = []
    req.on('data', chunk => chunks.push(chunk))
    req.on('end', () => {
      const path = req.url ?? '/'
      const pathname = path.split('?')[0]
      /** @type {Service} */
      const service = /\/oauth2\/v2\.0\/token$/.test(pathname)
        ? 'token'
        : pathname.startsWith('/_oidc/')
          ? 'oidc'
          : 'graph'
      /** @type {RecordedRequest} */
      const record = {
        service,
        method: req.method ?? '',
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
        connection: this.connectionIds.get(req.socket) ?? 0,
        status: 0
      }
      this.requests.push(record)
      this.onRequest?.(record)
      const fault = this.faults[service].shift()
      /** @type {ScriptedResponse | undefined} */
      let response
      if (fault === 'hang') {
        this.hanging.add(res)
        res.on('close', () => this.hanging.delete(res))
        return
      } else if (fault === 'drop') {
        req.socket.destroy()
        return
      } else if (fault) {
        response = fault
      } else if (service === 'token') {
        response = tokenAnswer(this, path, record.body)
      } else if (service === 'oidc') {
        response = idTokenAnswer(this, path, req.headers)
      } else {
        response = graphAnswer(this, req.method ?? '', path, req.headers, record.body)
      }
      record.status = response.status
      send(res, response, service, req.headers['client-request-id'])
      record.respondedAt = Date.now()
      this.onResponse?.(record)
    })
  }

  /**
   * Checks a client assertion as Entra would (see entra.js).
   * @param {App} app
   * @param {string} assertion
   * @param {string} tokenUrl
   */
  checkAssertion(app, assertion, tokenUrl) {
    return checkAssertion(this, app, assertion, tokenUrl)
  }
}

/** Starts a simulator; the caller closes it. */
export async function startSimulator(/** @type {SimulatorOptions} */ options = {}) {
  return new Simulator(options).start()
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {ScriptedResponse} response
 * @param {Service} service
 * @param {string | string[] | undefined} clientRequestId  The caller's, which Graph echoes.
 */
function send(res, response, service, clientRequestId) {
  const echoed = typeof clientRequestId === 'string' ? clientRequestId : undefined
  const innerError = /** @type {any} */ (response.body)?.error?.innerError
  if (service === 'graph' && echoed && innerError && typeof innerError === 'object') {
    innerError['client-request-id'] = echoed
  }
  const body =
    typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? {})
  const requestId = randomUUID()
  const looksJson = body.startsWith('{')
  /** @type {Record<string, string>} */
  const headers =
    service === 'token'
      ? {
          'content-type': looksJson ? 'application/json; charset=utf-8' : 'text/html',
          'cache-control': 'no-store, no-cache',
          'x-ms-request-id': requestId
        }
      : {
          'content-type': looksJson
            ? 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'
            : 'text/html',
          'request-id': requestId,
          'client-request-id': echoed ?? requestId,
          'x-ms-ags-diagnostic': '{"ServerInfo":{"DataCenter":"Simulated","Slice":"E","Ring":"1"}}'
        }
  // Graph's 202 (schema PATCH, DELETE) and 204 (connection PATCH) have no body, nor media type.
  if (body === '' && [202, 204].includes(response.status)) delete headers['content-type']
  /** @type {Record<string, string>} */
  const scripted = { ...response.headers }
  if (service === 'graph' && echoed) scripted['client-request-id'] = echoed
  res.writeHead(response.status, { ...headers, ...scripted })
  res.end(body)
}
