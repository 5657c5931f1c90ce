// A local stand-in for Microsoft Entra ID's token endpoint and Microsoft Graph's
// connectionOperation endpoint: a real HTTP server on loopback that answers with
// the status codes, headers and error bodies the real services send.
// Plain JavaScript, so `npm run demo` and workflows can start it without a build.
import {
  X509Certificate,
  constants,
  createHash,
  randomBytes,
  randomUUID,
  verify
} from 'node:crypto'
import { createServer } from 'node:http'
import { Server as HttpsServer, createServer as createHttpsServer } from 'node:https'

/** The default tenant, app and connection; tests and the demo use these. */
export const DEFAULTS = Object.freeze({
  tenantId: '11111111-2222-3333-4444-555555555555',
  tenantDomain: 'contoso.onmicrosoft.com',
  clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  clientSecret: 'sim~Secret.Value-0123456789abcdefghij',
  connectionId: 'contosohr',
  roles: ['ExternalConnection.ReadWrite.OwnedBy'],
  /** The subject GitHub puts in a push-to-main workflow's ID token. */
  oidcSubject: 'repo:contoso/connectors:ref:refs/heads/main',
  oidcIssuer: 'https://token.actions.githubusercontent.com'
})

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

/**
 * @typedef {object} OperationScript
 * @property {string[]} statuses  Status per poll (or per `everyMs`); the last one repeats.
 * @property {number} [everyMs]  Advance through `statuses` by time instead of by poll.
 * @property {{ code?: string, message: string }} [error]  Sent once the status is failed.
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
    /** Keyed by "connection/operation". @type {Map<string, Scripted>} */
    this.operations = new Map()
    /** Keyed by lower-case connection ID; `statuses` are its states. @type {Map<string, Scripted>} */
    this.connections = new Map()
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
   * Creates (or replaces) a connection; `statuses` are its states (draft, ready, ...).
   * @param {string} connectionId
   * @param {OperationScript} script
   */
  setConnection(connectionId, script) {
    this.connections.set(connectionId.toLowerCase(), scripted(script))
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
        response = this.token(path, record.body)
      } else if (service === 'oidc') {
        response = this.idToken(path, req.headers)
      } else {
        response = this.graph(req.method ?? '', path, req.headers)
      }
      record.status = response.status
      send(res, response, service)
      record.respondedAt = Date.now()
    })
  }

  /**
   * The Entra v2.0 token endpoint, client credentials grant.
   * @param {string} path
   * @param {string} body
   * @returns {ScriptedResponse}
   */
  token(path, body) {
    const tenant = decodeURIComponent(path.split('/')[1] ?? '')
    const form = new URLSearchParams(body)
    const clientId = form.get('client_id') ?? ''
    /** @type {string[]} */
    const known = [DEFAULTS.tenantId, DEFAULTS.tenantDomain]
    if (!known.includes(tenant.toLowerCase())) {
      return entraError(
        400,
        'invalid_request',
        90002,
        `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`
      )
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return entraError(
        400,
        'unsupported_grant_type',
        70003,
        'The app requested an unsupported grant type.'
      )
    }
    const app = this.apps.find(a => a.clientId === clientId)
    if (!app) {
      return entraError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`
      )
    }
    const secret = form.get('client_secret')
    const assertion =
      form.get('client_assertion_type') === JWT_BEARER ? form.get('client_assertion') : null
    if (!secret && !assertion) {
      return entraError(
        401,
        'invalid_client',
        7000216,
        "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type."
      )
    }
    if (secret && secret !== app.secret) {
      return entraError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`
      )
    }
    if (assertion) {
      const tokenUrl = `${this.url}${path.split('?')[0]}`
      const refused = this.checkAssertion(app, assertion, tokenUrl)
      if (refused) return refused
    }
    const scope = form.get('scope')
    if (scope !== `${this.url}/.default`) {
      return entraError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`
      )
    }
    const accessToken = fakeJwt({ appid: clientId, roles: app.roles, tid: DEFAULTS.tenantId })
    this.tokens.set(accessToken, {
      app,
      expiresAt: Date.now() + this.tokenLifetimeSeconds * 1000
    })
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: this.tokenLifetimeSeconds,
        ext_expires_in: this.tokenLifetimeSeconds,
        access_token: accessToken
      }
    }
  }

  /**
   * Checks a client assertion as Entra does: a GitHub ID token against the app's
   * federated credentials, or a certificate-signed JWT against its certificates.
   * @param {App} app
   * @param {string} assertion
   * @param {string} tokenUrl
   * @returns {ScriptedResponse | undefined} the error to answer, if any
   */
  checkAssertion(app, assertion, tokenUrl) {
    const [headerPart, payloadPart, signaturePart] = assertion.split('.')
    const header = decodeJwtPart(headerPart)
    const claims = decodeJwtPart(payloadPart)
    const now = Math.floor(Date.now() / 1000)
    if (!header || !claims || !signaturePart) {
      return entraError(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.')
    }
    if (claims.iss === DEFAULTS.oidcIssuer) {
      // Only what the ID-token endpoint issued is genuine.
      if (!this.idTokens.has(assertion)) {
        return entraError(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.')
      }
      if (Number(claims.exp) <= now) {
        return entraError(
          400,
          'invalid_client',
          700024,
          'Client assertion is not within its valid time range.'
        )
      }
      const federated = app.federated ?? []
      if (!federated.some(f => f.subject === claims.sub)) {
        return entraError(
          400,
          'invalid_request',
          700213,
          `No matching federated identity record found for presented assertion subject '${claims.sub}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`
        )
      }
      if (!federated.some(f => f.subject === claims.sub && f.audience === claims.aud)) {
        return entraError(
          400,
          'invalid_request',
          700212,
          `No matching federated identity record found for presented assertion audience '${claims.aud}'.`
        )
      }
      return undefined
    }
    const certificate = (app.certificates ?? [])
      .map(pem => new X509Certificate(pem))
      .find(
        cert => createHash('sha256').update(cert.raw).digest('base64url') === header['x5t#S256']
      )
    if (!certificate) {
      return entraError(
        401,
        'invalid_client',
        700027,
        `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${header['x5t#S256']}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.]`
      )
    }
    const signed = Buffer.from(`${headerPart}.${payloadPart}`)
    const signature = Buffer.from(signaturePart, 'base64url')
    const valid =
      header.alg === 'PS256'
        ? verify(
            'sha256',
            signed,
            {
              key: certificate.publicKey,
              padding: constants.RSA_PKCS1_PSS_PADDING,
              saltLength: constants.RSA_PSS_SALTLEN_DIGEST
            },
            signature
          )
        : header.alg === 'RS256' && verify('sha256', signed, certificate.publicKey, signature)
    if (!valid) {
      return entraError(
        401,
        'invalid_client',
        700027,
        'Client assertion failed signature validation.'
      )
    }
    const problems = [
      claims.aud !== tokenUrl && `aud '${claims.aud}' is not '${tokenUrl}'`,
      (claims.iss !== app.clientId || claims.sub !== app.clientId) &&
        'iss and sub must be the client ID',
      !(Number(claims.exp) > now) && 'it has expired',
      !(Number(claims.nbf) <= now + 60) && 'it is not valid yet',
      !(Number(claims.exp) - Number(claims.nbf) <= 600) && 'it lives longer than 10 minutes',
      (typeof claims.jti !== 'string' || this.assertionIds.has(claims.jti)) &&
        'its jti is missing or reused'
    ].filter(Boolean)
    if (problems.length > 0) {
      return entraError(
        401,
        'invalid_client',
        700027,
        `Client assertion is not valid: ${problems.join('; ')}.`
      )
    }
    this.assertionIds.add(String(claims.jti))
    return undefined
  }

  /**
   * The runner's ID-token endpoint: GET with the request token, &audience=.
   * @param {string} path
   * @param {import('node:http').IncomingHttpHeaders} headers
   * @returns {ScriptedResponse}
   */
  idToken(path, headers) {
    if (headers.authorization !== `Bearer ${this.oidcRequestToken}`) {
      return { status: 401, body: { message: 'Unauthorized' } }
    }
    const audience =
      new URL(path, this.url).searchParams.get('audience') ?? 'https://github.com/contoso'
    const now = Math.floor(Date.now() / 1000)
    const claims = {
      iss: DEFAULTS.oidcIssuer,
      sub: this.oidcSubject,
      aud: audience,
      repository: 'contoso/connectors',
      ref: 'refs/heads/main',
      jti: randomUUID(),
      nbf: now,
      iat: now,
      exp: now + 300
    }
    const token = [
      Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: 'simulator' })).toString(
        'base64url'
      ),
      Buffer.from(JSON.stringify(claims)).toString('base64url'),
      randomBytes(64).toString('base64url')
    ].join('.')
    this.idTokens.set(token, claims)
    return { status: 200, body: { count: 1, value: token } }
  }

  /**
   * Graph: GET /{v1.0|beta}/external/connections/{id}/operations/{id}.
   * @param {string} method
   * @param {string} path
   * @param {import('node:http').IncomingHttpHeaders} headers
   * @returns {ScriptedResponse}
   */
  graph(method, path, headers) {
    const auth = headers.authorization ?? ''
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : ''
    if (!token) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.')
    const issued = this.tokens.get(token)
    if (!issued) {
      return graphError(
        401,
        'InvalidAuthenticationToken',
        'IDX14100: JWT is not well formed, there are no dots (.).'
      )
    }
    if (Date.now() >= issued.expiresAt) {
      return graphError(
        401,
        'InvalidAuthenticationToken',
        'Lifetime validation failed, the token is expired.'
      )
    }
    const match =
      /^\/(v1\.0|beta)\/external\/connections\/([^/?]+)(?:\/operations\/([^/?]+))?$/.exec(
        path.split('?')[0]
      )
    if (!match || method !== 'GET') {
      return graphError(400, 'BadRequest', `Resource not found for the segment '${path}'.`)
    }
    const allowed = [
      'ExternalConnection.ReadWrite.OwnedBy',
      'ExternalConnection.Read.All',
      'ExternalConnection.ReadWrite.All'
    ]
    if (!issued.app.roles.some(role => allowed.includes(role))) {
      return graphError(
        403,
        'Forbidden',
        `Missing role permissions on the request. API requires one of '${allowed.join(', ')}'. Roles on the request '${issued.app.roles.join(', ')}'.`
      )
    }
    const [, version, connectionId, operationId] = match
    const connection = decodeURIComponent(connectionId).toLowerCase()
    const connectionEntry = this.connections.get(connection)
    if (!connectionEntry) {
      return graphError(404, 'ItemNotFound', `The connection '${connection}' was not found.`)
    }
    const context = `${this.url}/${version}/$metadata#external/connections`
    if (operationId === undefined) {
      return {
        status: 200,
        body: {
          '@odata.context': `${context}/$entity`,
          id: connection,
          name: `Simulated connection ${connection}`,
          description: 'A connection in the local simulator',
          state: next(connectionEntry)
        }
      }
    }
    const operation = decodeURIComponent(operationId)
    const entry = this.operations.get(`${connection}/${operation}`)
    if (!entry) {
      return graphError(
        404,
        'ItemNotFound',
        `The operation '${operation}' was not found on connection '${connection}'.`
      )
    }
    const status = next(entry)
    return {
      status: 200,
      body: {
        '@odata.context': `${context}('${connection}')/operations/$entity`,
        id: operation,
        status,
        error: status === 'failed' ? (entry.script.error ?? null) : null
      }
    }
  }
}

/**
 * @typedef {{ script: OperationScript, createdAt: number, polls: number }} Scripted
 * @param {OperationScript} script
 * @returns {Scripted}
 */
function scripted(script) {
  return { script, createdAt: Date.now(), polls: 0 }
}

/**
 * The value a scripted resource shows now, counting this read as a poll.
 * @param {Scripted} entry
 */
function next(entry) {
  entry.polls++
  const { statuses, everyMs } = entry.script
  const step = everyMs ? Math.floor((Date.now() - entry.createdAt) / everyMs) : entry.polls - 1
  return statuses[Math.min(step, statuses.length - 1)]
}

/** Starts a simulator; the caller closes it. */
export async function startSimulator(/** @type {SimulatorOptions} */ options = {}) {
  return new Simulator(options).start()
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {ScriptedResponse} response
 * @param {Service} service
 */
function send(res, response, service) {
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
          'client-request-id': requestId,
          'x-ms-ags-diagnostic': '{"ServerInfo":{"DataCenter":"Simulated","Slice":"E","Ring":"1"}}'
        }
  res.writeHead(response.status, { ...headers, ...response.headers })
  res.end(body)
}

/**
 * An Entra error body, shaped as the v2.0 endpoint sends it.
 * @param {number} status
 * @param {string} error
 * @param {number} code
 * @param {string} text
 * @returns {ScriptedResponse}
 */
export function entraError(status, error, code, text) {
  const traceId = randomUUID()
  const correlationId = randomUUID()
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')
  return {
    status,
    headers: { 'x-ms-request-id': traceId },
    body: {
      error,
      error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`
    }
  }
}

/**
 * A Graph error body: { error: { code, message, innerError } } with a matching request-id header.
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @returns {ScriptedResponse}
 */
export function graphError(status, code, message) {
  const requestId = randomUUID()
  return {
    status,
    headers: { 'request-id': requestId, 'client-request-id': requestId },
    body: {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().replace(/\.\d+Z$/, ''),
          'request-id': requestId,
          'client-request-id': requestId
        }
      }
    }
  }
}

/**
 * @param {string | undefined} part
 * @returns {Record<string, any> | undefined}
 */
function decodeJwtPart(part) {
  try {
    const value = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'))
    return value && typeof value === 'object' ? value : undefined
  } catch {
    return undefined
  }
}

/** @param {object} claims */
function fakeJwt(claims) {
  const part = (/** @type {object} */ value) =>
    Buffer.from(JSON.stringify(value)).toString('base64url')
  return [
    part({ typ: 'JWT', alg: 'RS256', kid: 'simulator' }),
    part({ aud: 'https://graph.microsoft.com', iss: 'simulator', ...claims, jti: randomUUID() }),
    randomBytes(64).toString('base64url')
  ].join('.')
}
