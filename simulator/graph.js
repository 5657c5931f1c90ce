// The simulated Microsoft Graph: external connections, their schema and their
// operations, with Graph's authentication checks, permissions and error bodies.
//
// Sources (learn.microsoft.com/graph/api/..., v1.0 and beta):
//   [create]    "Create externalConnection" (externalconnectors-external-post-connections)
//   [patch]     "Create or update schema" (externalconnectors-externalconnection-patch-schema)
//   [get]       "Get schema" (externalconnectors-schema-get)
//   [resource]  "externalConnection resource type", "property resource type"
import { randomBytes, randomUUID } from 'node:crypto'

/** @typedef {import('./simulator.js').Simulator} Simulator */
/** @typedef {import('./simulator.js').ScriptedResponse} ScriptedResponse */
/** @typedef {import('./simulator.js').OperationScript} OperationScript */
/** @typedef {import('./simulator.js').ErrorDetail} ErrorDetail */
/** @typedef {import('./simulator.js').Schema} Schema */
/** @typedef {import('node:http').IncomingHttpHeaders} Headers */

// The members each evolvable enum had when it was published. Graph sends any
// member added later as 'unknownFutureValue', unless the request says
// `Prefer: include-unknown-enum-members`.
const OPERATION_STATUSES = ['unspecified', 'inprogress', 'completed', 'failed']
const CONNECTION_STATES = ['draft', 'ready', 'obsolete', 'limitExceeded']
const PROPERTY_TYPES = words(`string int64 double dateTime boolean stringCollection
  int64Collection doubleCollection dateTimeCollection`)
const LABELS = words(`title url createdBy lastModifiedBy authors createdDateTime
  lastModifiedDateTime fileName fileExtension iconUrl`)
// Added after unknownFutureValue (beta): accepted in a PATCH, evolvable when read.
const LATER_PROPERTY_TYPES = ['principal']
const LATER_LABELS = ['containerName', 'containerUrl']
const ALL_PROPERTY_TYPES = [...PROPERTY_TYPES, ...LATER_PROPERTY_TYPES]
const ALL_LABELS = [...LABELS, ...LATER_LABELS]
const FLAGS = words('isSearchable isRetrievable isQueryable isRefinable isExactMatchRequired')
const BASE_TYPE = 'microsoft.graph.externalItem'
// [resource] v1.0 once spelled it externalConnector.externalItem; Graph takes both.
const BASE_TYPES = [BASE_TYPE, 'microsoft.graph.externalConnector.externalItem']
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
// What Graph says of a write body it refuses (observed, e.g. for a connection ID with a hyphen).
const MALFORMED = 'The request is malformed or incorrect.'

/** @param {string} text */
function words(text) {
  return text.split(/\s+/).filter(Boolean)
}

/**
 * @param {string | null} value
 * @param {string[]} members
 * @param {Headers} headers
 */
function evolvable(value, members, headers) {
  if (value === null || members.includes(value)) return value
  return /include-unknown-enum-members/i.test(String(headers.prefer ?? ''))
    ? value
    : 'unknownFutureValue'
}

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

/**
 * [get] 200 with the schema, every flag a boolean and every collection present,
 * or 404 while the connection has none.
 * @param {Simulator} sim
 * @param {string} context  The connection's OData context.
 * @param {string} connection  lower-case ID
 * @param {Headers} headers
 * @returns {ScriptedResponse}
 */
function getSchema(sim, context, connection, headers) {
  const schema = sim.schemas.get(connection)
  if (!schema) {
    return graphError(404, 'ItemNotFound', `The connection '${connection}' has no schema.`)
  }
  return {
    status: 200,
    body: {
      '@odata.context': `${context}/schema/$entity`,
      baseType: schema.baseType,
      properties: schema.properties.map(property => ({
        ...property,
        type: evolvable(property.type, PROPERTY_TYPES, headers),
        labels: (property.labels ?? []).map(label => evolvable(label, LABELS, headers))
      }))
    }
  }
}

/**
 * [patch] 202, no body, and an absolute Location: the operation that applies
 * the schema. The schema is stored only once that operation completes.
 * @param {Simulator} sim
 * @param {string} version  v1.0 or beta
 * @param {string} connection  lower-case ID
 * @param {Headers} headers
 * @param {string} body
 * @returns {ScriptedResponse}
 */
function patchSchema(sim, version, connection, headers, body) {
  const read = readJson(headers, body)
  if ('error' in read) return read.error
  const problems = schemaProblems(read.json)
  if (problems.length) return graphError(400, 'InvalidRequest', MALFORMED, problems)
  const rejection = sim.rejectNextSchema
  if (rejection) {
    sim.rejectNextSchema = undefined
    return graphError(400, rejection.code, rejection.message, rejection.details)
  }
  // Real schema operation IDs are dotted: a version, a region, then hex.
  const hex = () => randomBytes(16).toString('hex').toUpperCase()
  const operationId = `1.neu.${hex()}.${hex()}`
  const entry = scripted(sim.schemaOperation)
  entry.schema = normalizedSchema(/** @type {Schema} */ (read.json))
  sim.operations.set(`${connection}/${operationId}`, entry)
  const path = [connection, 'operations', operationId].map(encodeURIComponent).join('/')
  return {
    status: 202,
    headers: { location: `${sim.url}/${version}/external/connections/${path}` },
    body: ''
  }
}

/**
 * The JSON body of a write, or Graph's answer when it cannot read one: a
 * missing Content-Type is a 400 (Graph asks for the header and valid JSON, as
 * reported in microsoftgraph/microsoft-graph-docs#6259); a Content-Type that is
 * not JSON is a 415, as Graph's OData formatters answer. Both pages require
 * `Content-Type: application/json`.
 * @param {Headers} headers
 * @param {string} body
 * @returns {{ json: unknown } | { error: ScriptedResponse }}
 */
function readJson(headers, body) {
  const type = String(headers['content-type'] ?? '')
  if (type && !/^application\/json\s*(;|$)/i.test(type)) {
    return {
      error: graphError(
        415,
        'UnsupportedMediaType',
        `The content type '${type}' is not supported; send application/json.`
      )
    }
  }
  const unreadable = graphError(
    400,
    'BadRequest',
    'Could not read the JSON request payload. Set the Content-Type header to application/json and send valid JSON.',
    [{ code: 'InvalidJson', message: 'The body is not a JSON document.', target: 'body' }]
  )
  if (!type) return { error: unreadable }
  try {
    return { json: JSON.parse(body) }
  } catch {
    return { error: unreadable }
  }
}

/**
 * One detail of a 400: the property it names, missing or with a bad value.
 * @param {string} target @param {string} message @param {unknown} value
 * @returns {ErrorDetail}
 */
function detail(target, message, value) {
  return { code: value === undefined ? 'MissingProperty' : 'InvalidValue', message, target }
}

/**
 * What Graph refuses in a schema, one detail each: [patch] no baseType or one
 * other than externalItem ("must be set"), no properties or more than 128;
 * [resource] a name that is not 1-32 letters and digits, an unknown type,
 * labels or aliases not lists of text.
 * @param {unknown} body
 * @returns {ErrorDetail[]}
 */
function schemaProblems(body) {
  /** @type {ErrorDetail[]} */
  const problems = []
  /** @param {string} target @param {string} message @param {unknown} value */
  const problem = (target, message, value) => problems.push(detail(target, message, value))
  const { baseType, properties } = asObject(body)
  if (!BASE_TYPES.includes(/** @type {string} */ (baseType))) {
    problem('baseType', `The baseType must be ${BASE_TYPE}.`, baseType)
  }
  if (!Array.isArray(properties) || properties.length < 1 || properties.length > 128) {
    problem('properties', 'The schema needs from 1 to 128 properties.', properties)
    return problems
  }
  properties.forEach((item, i) => {
    const { name, type, labels, aliases } = asObject(item)
    if (typeof name !== 'string' || !/^[A-Za-z0-9]{1,32}$/.test(name)) {
      problem(`properties[${i}].name`, 'A property name is 1 to 32 letters and digits.', name)
    }
    if (!canonical(type, ALL_PROPERTY_TYPES)) {
      problem(`properties[${i}].type`, `'${type}' is not a property type.`, type)
    }
    for (const [key, list] of Object.entries({ labels, aliases })) {
      if (list !== undefined && !(Array.isArray(list) && list.every(v => typeof v === 'string'))) {
        problem(`properties[${i}].${key}`, `The ${key} are a list of text.`, list)
      }
    }
  })
  return problems
}

/**
 * A schema as Graph keeps it: its baseType, each property with every flag as a
 * boolean ("true" as text counts, as the [patch] example sends it), labels and
 * aliases present, and enum members spelled as Graph spells them ("String" is
 * `string`). Other fields (beta's description, rankingHint) are kept as sent.
 * @param {Schema} schema  already checked by schemaProblems (or set by a test)
 * @returns {Schema}
 */
export function normalizedSchema(schema) {
  return {
    baseType: BASE_TYPE,
    properties: schema.properties.map(({ name, type, labels = [], aliases = [], ...rest }) => {
      const flags = Object.fromEntries(
        FLAGS.map(flag => [flag, String(rest[flag]).toLowerCase() === 'true'])
      )
      for (const flag of FLAGS) delete rest[flag]
      return {
        name,
        type: canonical(type, ALL_PROPERTY_TYPES) ?? type,
        ...flags,
        labels: labels.map(label => canonical(label, ALL_LABELS) ?? label),
        aliases: [...aliases],
        ...rest
      }
    })
  }
}

/**
 * The member spelled as Graph spells it, matched without regard to case.
 * @param {unknown} value
 * @param {string[]} members
 */
function canonical(value, members) {
  return typeof value === 'string'
    ? members.find(member => member.toLowerCase() === value.toLowerCase())
    : undefined
}

/** @param {unknown} value @returns {Record<string, unknown>} */
function asObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? /** @type {Record<string, unknown>} */ (value)
    : {}
}

/**
 * Applies each schema operation on the connection that shows completed now:
 * stores its schema and moves a draft connection to ready. Called on every
 * read, so it happens on the first one after completion, poll- or time-driven.
 * A failed operation never completes, so the old schema stays.
 * @param {Simulator} sim
 * @param {string} connection  lower-case ID
 */
export function settle(sim, connection) {
  for (const [key, entry] of sim.operations) {
    if (!entry.schema || !key.startsWith(`${connection}/`) || shown(entry) !== 'completed') continue
    sim.schemas.set(connection, entry.schema)
    entry.schema = undefined
    const state = sim.connections.get(connection)
    if (state && shown(state) === 'draft') state.script = { statuses: ['ready'] }
  }
}

/**
 * @typedef {object} Scripted
 * @property {OperationScript} script
 * @property {number} createdAt
 * @property {number} polls
 * @property {{ id: string, name: string, description: string | null }} [resource]
 *   A connection's own fields, when it was created with POST.
 * @property {Schema} [schema]  A schema operation's schema, until it is stored.
 */

/**
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
  return shown(entry)
}

/**
 * The value a scripted resource shows now: by time, or the one its last poll
 * read (its first before any poll).
 * @param {Scripted} entry
 */
function shown(entry) {
  const { statuses, everyMs } = entry.script
  const step = everyMs ? Math.floor((Date.now() - entry.createdAt) / everyMs) : entry.polls - 1
  return statuses[Math.min(Math.max(step, 0), statuses.length - 1)]
}

/**
 * Graph throttling: 429 with its error body and a Retry-After header.
 * @param {string} retryAfter  seconds, or an HTTP date
 * @param {string} [message]
 * @returns {ScriptedResponse}
 */
export function throttled(retryAfter, message = 'Too many requests.') {
  const response = graphError(429, 'TooManyRequests', message)
  return { ...response, headers: { ...response.headers, 'retry-after': retryAfter } }
}

/**
 * A Graph error body: { error: { code, message, details?, innerError } } with a
 * matching request-id header. The server echoes the caller's client-request-id into both.
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @param {ErrorDetail[]} [details]  Sent only when given, as Graph does.
 * @returns {ScriptedResponse}
 */
export function graphError(status, code, message, details) {
  const requestId = randomUUID()
  return {
    status,
    headers: { 'request-id': requestId, 'client-request-id': requestId },
    body: {
      error: {
        code,
        message,
        ...(details && { details }),
        innerError: {
          date: new Date().toISOString().replace(/\.\d+Z$/, ''),
          'request-id': requestId,
          'client-request-id': requestId
        }
      }
    }
  }
}
