// The simulated Microsoft Graph: routing, authentication and permissions, and
// the operations of external connections. The connection itself is in
// graph-connection.js, its schema in graph-schema.js; error bodies, throttling
// and evolvable enums in graph-answers.js.
//
// Sources (learn.microsoft.com/graph/api/..., v1.0 and beta):
//   [create]    "Create externalConnection" (externalconnectors-external-post-connections)
//   [update]    "Update externalConnection", [delete] "Delete externalConnection"
//   [patch]     "Create or update schema" (externalconnectors-externalconnection-patch-schema)
import { evolvable, graphError } from './graph-answers.js'
import {
  createConnection,
  deleteConnection,
  getConnection,
  patchConnection
} from './graph-connection.js'
import { getSchema, patchSchema, settle } from './graph-schema.js'
import { next } from './script.js'

/** @typedef {import('./simulator.js').Simulator} Simulator */
/** @typedef {import('./simulator.js').ScriptedResponse} ScriptedResponse */
/** @typedef {import('./simulator.js').ErrorDetail} ErrorDetail */
/** @typedef {import('node:http').IncomingHttpHeaders} Headers */

// Evolvable enums: the members each had when it was published (see evolvable).
const OPERATION_STATUSES = ['unspecified', 'inprogress', 'completed', 'failed']
const READ_ROLES = [
  'ExternalConnection.ReadWrite.OwnedBy',
  'ExternalConnection.Read.All',
  'ExternalConnection.ReadWrite.All'
]
// [create] [update] [delete] [patch] Writes need a ReadWrite role.
const WRITE_ROLES = ['ExternalConnection.ReadWrite.OwnedBy', 'ExternalConnection.ReadWrite.All']

/**
 * POST /{v1.0|beta}/external/connections,
 * GET, PATCH and DELETE /{v}/external/connections/{id},
 * GET /{v}/external/connections/{id}/operations/{id},
 * GET and PATCH /{v}/external/connections/{id}/schema.
 * @param {Simulator} sim
 * @param {string} method
 * @param {string} path
 * @param {Headers} headers
 * @param {string} body
 * @returns {ScriptedResponse}
 */
export function graphAnswer(sim, method, path, headers, body = '') {
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
  const match =
    /^\/(v1\.0|beta)\/external\/connections(?:\/([^/?]+)(?:\/(schema)|\/operations\/([^/?]+))?)?$/.exec(
      path.split('?')[0]
    )
  const [, version, connectionId, schema, operationId] = match ?? []
  const methods = !match
    ? []
    : !connectionId
      ? ['POST']
      : schema
        ? ['GET', 'PATCH']
        : operationId
          ? ['GET']
          : ['GET', 'PATCH', 'DELETE']
  const connection = decoded(connectionId)?.toLowerCase()
  const operation = decoded(operationId)
  if (!methods.includes(method) || connection === null || operation === null) {
    return graphError(400, 'BadRequest', `Resource not found for the segment '${path}'.`)
  }
  const allowed = method === 'GET' ? READ_ROLES : WRITE_ROLES
  if (!issued.app.roles.some(role => allowed.includes(role))) {
    return graphError(
      403,
      'Forbidden',
      `Missing role permissions on the request. API requires one of '${allowed.join(', ')}'. Roles on the request '${issued.app.roles.join(', ')}'.`
    )
  }
  const context = `${sim.url}/${version}/$metadata#external/connections`
  if (connection === undefined) return createConnection(sim, context, version, headers, body)
  const connectionEntry = sim.connections.get(connection)
  if (!connectionEntry) {
    return graphError(404, 'ItemNotFound', `The connection '${connection}' was not found.`)
  }
  settle(sim, connection)
  if (schema && method === 'PATCH') return patchSchema(sim, version, connection, headers, body)
  if (schema) return getSchema(sim, `${context}('${connection}')`, connection, headers)
  if (operation === undefined && method === 'PATCH') {
    return patchConnection(sim, version, connectionEntry, connection, headers, body)
  }
  if (operation === undefined && method === 'DELETE') return deleteConnection(sim, connection)
  if (operation === undefined) {
    return getConnection(context, version, connection, connectionEntry, headers)
  }
  const entry = sim.operations.get(`${connection}/${operation}`)
  if (!entry) {
    return graphError(
      404,
      'ItemNotFound',
      `The operation '${operation}' was not found on connection '${connection}'.`
    )
  }
  const status = next(entry)
  // This read may be the one that first sees a schema operation completed.
  settle(sim, connection)
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
 * A path segment decoded; undefined when absent, null when badly encoded.
 * @param {string | undefined} segment
 */
function decoded(segment) {
  try {
    return segment === undefined ? undefined : decodeURIComponent(segment)
  } catch {
    return null
  }
}
