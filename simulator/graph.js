// The simulated Microsoft Graph: routing, authentication and permissions, and
// external connections and their operations. The schema is in graph-schema.js;
// error bodies, throttling and evolvable enums in graph-answers.js.
//
// Sources (learn.microsoft.com/graph/api/..., v1.0 and beta):
//   [create]    "Create externalConnection" (externalconnectors-external-post-connections)
//   [patch]     "Create or update schema" (externalconnectors-externalconnection-patch-schema)
//   [resource]  "externalConnection resource type", "property resource type"
import {
  MALFORMED,
  asObject,
  detail,
  evolvable,
  graphError,
  readJson,
  words
} from './graph-answers.js'
import { getSchema, patchSchema, settle } from './graph-schema.js'
import { next, scripted } from './script.js'

/** @typedef {import('./simulator.js').Simulator} Simulator */
/** @typedef {import('./simulator.js').ScriptedResponse} ScriptedResponse */
/** @typedef {import('./simulator.js').ErrorDetail} ErrorDetail */
/** @typedef {import('node:http').IncomingHttpHeaders} Headers */

// Evolvable enums: the members each had when it was published (see evolvable).
const OPERATION_STATUSES = ['unspecified', 'inprogress', 'completed', 'failed']
const CONNECTION_STATES = ['draft', 'ready', 'obsolete', 'limitExceeded']
// [resource] An id cannot be one of these (any case) nor begin with "Microsoft".
const RESERVED_IDS = words(`none directory exchange exchangearchive linkedin mailbox
  onedrivebusiness sharepoint teams yammer connectors taskfabric powerbi assistant
  topicengine msft_all_connectors`)
const READ_ROLES = [
  'ExternalConnection.ReadWrite.OwnedBy',
  'ExternalConnection.Read.All',
  'ExternalConnection.ReadWrite.All'
]
// [create] [patch] Writes need a ReadWrite role.
const WRITE_ROLES = ['ExternalConnection.ReadWrite.OwnedBy', 'ExternalConnection.ReadWrite.All']

/**
 * POST /{v1.0|beta}/external/connections,
 * GET /{v}/external/connections/{id}[/operations/{id}],
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
  const methods = !match ? [] : !connectionId ? ['POST'] : schema ? ['GET', 'PATCH'] : ['GET']
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
  if (connection === undefined) return createConnection(sim, context, headers, body)
  const connectionEntry = sim.connections.get(connection)
  if (!connectionEntry) {
    return graphError(404, 'ItemNotFound', `The connection '${connection}' was not found.`)
  }
  settle(sim, connection)
  if (schema && method === 'PATCH') return patchSchema(sim, version, connection, headers, body)
  if (schema) return getSchema(sim, `${context}('${connection}')`, connection, headers)
  if (operation === undefined) {
    const resource = connectionEntry.resource
    return {
      status: 200,
      body: {
        '@odata.context': `${context}/$entity`,
        id: resource?.id ?? connection,
        name: resource?.name ?? `Simulated connection ${connection}`,
        description:
          resource === undefined ? 'A connection in the local simulator' : resource.description,
        state: evolvable(next(connectionEntry), CONNECTION_STATES, headers)
      }
    }
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

/**
 * [create] 201 with the new connection in the body. The page documents no
 * Location header, so none is sent: a client must not come to rely on one.
 * A new connection is a draft until its first schema is in place.
 * @param {Simulator} sim
 * @param {string} context
 * @param {Headers} headers
 * @param {string} body
 * @returns {ScriptedResponse}
 */
function createConnection(sim, context, headers, body) {
  const read = readJson(headers, body)
  if ('error' in read) return read.error
  const { id, name, description } = asObject(read.json)
  /** @type {ErrorDetail[]} */
  const problems = []
  if (
    typeof id !== 'string' ||
    !/^[A-Za-z0-9]{3,32}$/.test(id) ||
    /^microsoft/i.test(id) ||
    RESERVED_IDS.includes(id.toLowerCase())
  ) {
    problems.push(
      detail(
        'id',
        'The id must be 3 to 32 letters and digits, must not begin with Microsoft and must not be a reserved name.',
        id
      )
    )
  }
  if (typeof name !== 'string' || !name.trim() || name.length > 128) {
    problems.push(detail('name', 'The name is required, up to 128 characters.', name))
  }
  if (description !== undefined && description !== null && typeof description !== 'string') {
    problems.push(detail('description', 'The description is text.', description))
  }
  if (problems.length) return graphError(400, 'InvalidRequest', MALFORMED, problems)
  const key = String(id).toLowerCase()
  if (sim.connections.has(key)) {
    return graphError(409, 'Conflict', `A connection with the id '${id}' already exists.`)
  }
  const entry = scripted({ statuses: ['draft'] })
  entry.resource = {
    id: String(id),
    name: String(name),
    description: typeof description === 'string' ? description : null
  }
  sim.connections.set(key, entry)
  return {
    status: 201,
    body: { '@odata.context': `${context}/$entity`, ...entry.resource, state: 'draft' }
  }
}
