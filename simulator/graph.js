// The simulated Microsoft Graph: the external connections and their operations,
// with Graph's authentication checks, permissions and error bodies.
import { randomUUID } from 'node:crypto'

/** @typedef {import('./simulator.js').Simulator} Simulator */
/** @typedef {import('./simulator.js').ScriptedResponse} ScriptedResponse */
/** @typedef {import('./simulator.js').OperationScript} OperationScript */

// The members each evolvable enum had when it was published. Graph sends any
// member added later as 'unknownFutureValue', unless the request says
// `Prefer: include-unknown-enum-members`.
const OPERATION_STATUSES = ['unspecified', 'inprogress', 'completed', 'failed']
const CONNECTION_STATES = ['draft', 'ready', 'obsolete', 'limitExceeded']

/**
 * @param {string | null} value
 * @param {string[]} members
 * @param {import('node:http').IncomingHttpHeaders} headers
 */
function evolvable(value, members, headers) {
  if (value === null || members.includes(value)) return value
  return /include-unknown-enum-members/i.test(String(headers.prefer ?? ''))
    ? value
    : 'unknownFutureValue'
}

/**
 * GET /{v1.0|beta}/external/connections/{id}[/operations/{id}].
 * @param {Simulator} sim
 * @param {string} method
 * @param {string} path
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @returns {ScriptedResponse}
 */
export function graphAnswer(sim, method, path, headers) {
  const auth = headers.authorization ?? ''
  const token = auth.startsWith('Bearer ') ? auth.slice(7) : ''
  if (!token) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.')
  const issued = sim.tokens.get(token)
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
  const match = /^\/(v1\.0|beta)\/external\/connections\/([^/?]+)(?:\/operations\/([^/?]+))?$/.exec(
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
  const connectionEntry = sim.connections.get(connection)
  if (!connectionEntry) {
    return graphError(404, 'ItemNotFound', `The connection '${connection}' was not found.`)
  }
  const context = `${sim.url}/${version}/$metadata#external/connections`
  if (operationId === undefined) {
    return {
      status: 200,
      body: {
        '@odata.context': `${context}/$entity`,
        id: connection,
        name: `Simulated connection ${connection}`,
        description: 'A connection in the local simulator',
        state: evolvable(next(connectionEntry), CONNECTION_STATES, headers)
      }
    }
  }
  const operation = decodeURIComponent(operationId)
  const entry = sim.operations.get(`${connection}/${operation}`)
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
      status: evolvable(status, OPERATION_STATUSES, headers),
      error: status === 'failed' ? (entry.script.error ?? null) : null
    }
  }
}

/**
 * @typedef {{ script: OperationScript, createdAt: number, polls: number }} Scripted
 * @param {OperationScript} script
 * @returns {Scripted}
 */
export function scripted(script) {
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

/**
 * A Graph error body: { error: { code, message, innerError } } with a matching
 * request-id header. The server echoes the caller's client-request-id into both.
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
