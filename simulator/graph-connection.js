// The simulated Microsoft Graph's connection as a resource: POST
// /external/connections, and GET, PATCH and DELETE /external/connections/{id},
// with every field Graph keeps for it, and what Graph refuses in a write.
//
// Sources (learn.microsoft.com/graph/api/..., v1.0 and beta):
//   [create]    "Create externalConnection" (externalconnectors-external-post-connections)
//   [update]    "Update externalConnection" (externalconnectors-externalconnection-update): 204
//   [delete]    "Delete externalConnection" (externalconnectors-externalconnection-delete): 202
//   [resource]  "externalConnection resource type", "itemIdResolver", "displayTemplate",
//               and the vendored metadata (vendor/msgraph-metadata/) for fields and enums
// Not verified against a tenant: whether Graph sends an unset complex field as null (as here,
// OData's minimal metadata does) or as an empty object, and how it words the 400s below.
import {
  MALFORMED,
  asObject,
  canonical,
  detail,
  evolvable,
  graphError,
  readJson,
  words
} from './graph-answers.js'
import { next, scripted } from './script.js'

/** @typedef {import('./simulator.js').Simulator} Simulator */
/** @typedef {import('./simulator.js').ScriptedResponse} ScriptedResponse */
/** @typedef {import('./simulator.js').ErrorDetail} ErrorDetail */
/** @typedef {import('./script.js').Scripted} Scripted */
/** @typedef {import('node:http').IncomingHttpHeaders} Headers */
/**
 * A connection's fields as Graph keeps them (see normalizedConnection): id, name,
 * description, contentCategory, connectorId, activitySettings, searchSettings,
 * configuration; on beta also enabledContentExperiences, complianceSettings, ingestedItemsCount.
 * @typedef {{ id: string, name: string, [field: string]: unknown }} Connection
 */

const NS = 'microsoft.graph.externalConnectors'
const RESOLVER_TYPE = `#${NS}.itemIdResolver`
// Evolvable enum (see evolvable): its members when published.
const CONNECTION_STATES = ['draft', 'ready', 'obsolete', 'limitExceeded']
// [resource] contentCategory, every member before unknownFutureValue; enabledContentExperiences (beta).
const CONTENT_CATEGORIES = words(`uncategorized knowledgeBase wikis fileRepository qna crm
  dashboard people media email messaging meetingTranscripts taskManagement learningManagement`)
const EXPERIENCES = ['search', 'compliance']
// [resource] An id cannot be one of these (any case) nor begin with "Microsoft".
const RESERVED_IDS = words(`none directory exchange exchangearchive linkedin mailbox
  onedrivebusiness sharepoint teams yammer connectors taskfabric powerbi assistant
  topicengine msft_all_connectors`)
// [resource] The fields of each version; Graph sets the read-only ones itself.
const V1_FIELDS = words(`id name description contentCategory connectorId activitySettings
  searchSettings configuration state`)
const BETA_ONLY = words('enabledContentExperiences complianceSettings ingestedItemsCount')
const BETA_FIELDS = [...V1_FIELDS, ...BETA_ONLY]
const READ_ONLY = ['state', 'ingestedItemsCount']
// Complex fields: an object (or null), and the collection each holds.
const COMPLEX = {
  activitySettings: 'urlToItemResolvers',
  searchSettings: 'searchResultTemplates',
  configuration: 'authorizedAppIds',
  complianceSettings: 'eDiscoveryResultTemplates'
}

/**
 * GET: 200 with every field the connection has, unset complex fields as null.
 * @param {string} context  e.g. {url}/v1.0/$metadata#external/connections
 * @param {string} version  v1.0 or beta
 * @param {string} connection  lower-case ID
 * @param {Scripted} entry
 * @param {Headers} headers
 * @returns {ScriptedResponse}
 */
export function getConnection(context, version, connection, entry, headers) {
  const fields = entry.resource ?? unwritten(connection)
  const { id, name, description = null, contentCategory = 'uncategorized', connectorId } = fields
  /** @type {Record<string, unknown>} */
  const body = {
    '@odata.context': `${context}/$entity`,
    id,
    name,
    description,
    state: evolvable(next(entry), CONNECTION_STATES, headers),
    contentCategory,
    ...(connectorId != null && { connectorId }),
    activitySettings: fields.activitySettings ?? null,
    searchSettings: fields.searchSettings ?? null,
    configuration: fields.configuration ?? null
  }
  for (const field of version === 'beta' ? BETA_ONLY : []) {
    if (fields[field] != null) body[field] = fields[field]
  }
  return { status: 200, body: structuredClone(body) }
}

/**
 * [create] 201 with the new connection in the body. The page documents no
 * Location header, so none is sent: a client must not come to rely on one.
 * A new connection is a draft until its first schema is in place. Every
 * writable field of the body is stored; contentCategory is uncategorized when absent.
 * This first read counts as a poll of the connection's states.
 * @param {Simulator} sim
 * @param {string} context
 * @param {string} version
 * @param {Headers} headers
 * @param {string} body
 * @returns {ScriptedResponse}
 */
export function createConnection(sim, context, version, headers, body) {
  const read = readJson(headers, body)
  if ('error' in read) return read.error
  const json = asObject(read.json)
  // Read-only fields in a new connection's body are ignored, as they always were here.
  const refused = unreadable(json, version, ['connectorId', ...READ_ONLY])
  if (refused) return refused
  const { id, name } = json
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
  if (name === undefined) {
    problems.push(detail('name', 'The name is required, up to 128 characters.', name))
  }
  problems.push(...valueProblems(json))
  if (problems.length) return graphError(400, 'InvalidRequest', MALFORMED, problems)
  const key = String(id).toLowerCase()
  if (sim.connections.has(key)) {
    return graphError(409, 'Conflict', `A connection with the id '${id}' already exists.`)
  }
  const entry = scripted({ statuses: ['draft'] })
  entry.resource = normalizedConnection({ description: null, ...writable(json) })
  sim.connections.set(key, entry)
  // The answer holds id, name, description and state, and the other fields the body set, as
  // the page's example (a GET shows them all).
  const shown = asObject(getConnection(context, version, key, entry, headers).body)
  const echoed = ['@odata.context', 'id', 'name', 'description', 'state', ...Object.keys(json)]
  return {
    status: 201,
    body: Object.fromEntries(Object.entries(shown).filter(([field]) => echoed.includes(field)))
  }
}

/**
 * [update] 204, no body: each field given replaces the stored one whole (a collection
 * included); the others keep their value. A field in sim.ignoredConnectionFields is
 * accepted but keeps its old value, as Graph may do with a field it does not update.
 * @param {Simulator} sim
 * @param {string} version
 * @param {Scripted} entry
 * @param {string} connection  lower-case ID
 * @param {Headers} headers
 * @param {string} body
 * @returns {ScriptedResponse}
 */
export function patchConnection(sim, version, entry, connection, headers, body) {
  const read = readJson(headers, body)
  if ('error' in read) return read.error
  if (asObject(read.json) !== read.json) return mismatch('body')
  const { id, ...rest } = asObject(read.json)
  if (id !== undefined && String(id).toLowerCase() !== connection) {
    return readOnly('id')
  }
  const refused = unreadable(rest, version, [])
  if (refused) return refused
  const problems = valueProblems(rest)
  if (problems.length) return graphError(400, 'InvalidRequest', MALFORMED, problems)
  const current = entry.resource ?? unwritten(connection)
  const kept = Object.entries(writable(rest)).filter(
    ([field]) => !sim.ignoredConnectionFields.has(field)
  )
  entry.resource = normalizedConnection({ ...current, ...Object.fromEntries(kept) })
  return { status: 204, body: '' }
}

/**
 * [delete] 202, no body; the connection, its schema and its operations are gone at once.
 * @param {Simulator} sim
 * @param {string} connection  lower-case ID
 * @returns {ScriptedResponse}
 */
export function deleteConnection(sim, connection) {
  sim.connections.delete(connection)
  sim.schemas.delete(connection)
  for (const key of [...sim.operations.keys()]) {
    if (key.startsWith(`${connection}/`)) sim.operations.delete(key)
  }
  return { status: 202, body: '' }
}

/**
 * A connection's fields as Graph keeps them: each resolver naming its type with a leading #,
 * each result template as { id, priority, layout, rules }, enums spelled as Graph spells them.
 * Used for writes (already checked) and for fields a test sets.
 * @param {Record<string, unknown>} fields
 * @returns {Connection}
 */
export function normalizedConnection(fields) {
  const connection = /** @type {Connection} */ (structuredClone(fields))
  const category = canonical(fields.contentCategory, CONTENT_CATEGORIES)
  if (category) connection.contentCategory = category
  const activity = asObject(connection.activitySettings)
  if (Array.isArray(activity.urlToItemResolvers)) {
    activity.urlToItemResolvers = activity.urlToItemResolvers.map(resolver => {
      const { '@odata.type': type, ...rest } = asObject(resolver)
      return { '@odata.type': type ? `#${String(type).replace(/^#/, '')}` : RESOLVER_TYPE, ...rest }
    })
  }
  for (const [field, list] of [
    ['searchSettings', 'searchResultTemplates'],
    ['complianceSettings', 'eDiscoveryResultTemplates']
  ]) {
    const settings = asObject(connection[field])
    if (Array.isArray(settings[list])) {
      settings[list] = settings[list].map(template => {
        // [resource] displayTemplate.priority is a non-nullable Int32: Graph keeps 0 when none is given.
        const { id = null, priority = 0, layout = null, rules = [] } = asObject(template)
        return { id, priority, layout, rules }
      })
    }
  }
  if (typeof fields.enabledContentExperiences === 'string') {
    connection.enabledContentExperiences = experiences(fields.enabledContentExperiences)
  }
  return connection
}

/**
 * What Graph's reader refuses before looking at values, as a 400 BadRequest: a property the
 * type does not have (a beta-only one on v1.0 included), a read-only one, a complex field or
 * collection of the wrong shape, and a resolver that does not name its type (urlToItemResolverBase
 * is abstract: Graph cannot tell what to create).
 * @param {Record<string, unknown>} json
 * @param {string} version
 * @param {string[]} settable  read-only on update, yet given at creation
 * @returns {ScriptedResponse | undefined}
 */
function unreadable(json, version, settable) {
  const known = version === 'beta' ? BETA_FIELDS : V1_FIELDS
  for (const field of Object.keys(json)) {
    if (field.includes('@odata.')) continue
    if (!known.includes(field)) {
      return graphError(
        400,
        'BadRequest',
        `The property '${field}' does not exist on type '${NS}.externalConnection'. Make sure to only use property names that are defined by the type or mark the type as open type.`
      )
    }
    if ([...READ_ONLY, 'connectorId'].includes(field) && !settable.includes(field)) {
      return readOnly(field)
    }
  }
  for (const [field, list] of Object.entries(COMPLEX)) {
    const value = json[field]
    if (value === undefined || value === null) continue
    const items = asObject(value)[list]
    if (
      typeof value !== 'object' ||
      Array.isArray(value) ||
      (items !== undefined && items !== null && !Array.isArray(items))
    ) {
      return mismatch(field)
    }
  }
  const resolvers = asObject(json.activitySettings).urlToItemResolvers
  for (const [i, resolver] of (Array.isArray(resolvers) ? resolvers : []).entries()) {
    if (resolver === null || typeof resolver !== 'object' || Array.isArray(resolver)) {
      return mismatch('activitySettings')
    }
    const type = /** @type {Record<string, unknown>} */ (resolver)['@odata.type']
    if (type === undefined) {
      return graphError(
        400,
        'BadRequest',
        `Cannot create an abstract class. activitySettings.urlToItemResolvers[${i}] has no '@odata.type': ${NS}.urlToItemResolverBase is abstract, so each resolver must name its type ('${RESOLVER_TYPE}').`
      )
    }
    if (String(type).replace(/^#/, '') !== RESOLVER_TYPE.slice(1)) {
      return graphError(
        400,
        'BadRequest',
        `A type named '${type}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`
      )
    }
  }
  return undefined
}

/**
 * What Graph refuses in the values of a connection's writable fields, one detail each.
 * @param {Record<string, unknown>} json
 * @returns {ErrorDetail[]}
 */
function valueProblems(json) {
  /** @type {ErrorDetail[]} */
  const problems = []
  /** @param {string} target @param {string} message @param {unknown} value */
  const problem = (target, message, value) => problems.push(detail(target, message, value))
  const { name, description, contentCategory, enabledContentExperiences } = json
  if (name !== undefined && (typeof name !== 'string' || !name.trim() || name.length > 128)) {
    problem('name', 'The name is required, up to 128 characters.', name)
  }
  if (description !== undefined && description !== null && typeof description !== 'string') {
    problem('description', 'The description is text.', description)
  }
  if (contentCategory !== undefined && !canonical(contentCategory, CONTENT_CATEGORIES)) {
    problem(
      'contentCategory',
      `Requested value '${contentCategory}' was not found.`,
      contentCategory
    )
  }
  if (
    enabledContentExperiences !== undefined &&
    (typeof enabledContentExperiences !== 'string' ||
      experiences(enabledContentExperiences).split(',').includes(''))
  ) {
    problem(
      'enabledContentExperiences',
      `Requested value '${enabledContentExperiences}' was not found.`,
      enabledContentExperiences
    )
  }
  const ids = asObject(json.configuration).authorizedAppIds
  if (Array.isArray(ids) && !ids.every(appId => typeof appId === 'string')) {
    problem('configuration.authorizedAppIds', 'The authorizedAppIds are a list of text.', ids)
  }
  return problems
}

/** The writable fields of a write body (OData annotations on the connection dropped). */
function writable(/** @type {Record<string, unknown>} */ json) {
  return Object.fromEntries(
    Object.entries(json).filter(
      ([field]) => !field.includes('@odata.') && !READ_ONLY.includes(field)
    )
  )
}

/**
 * The fields of a connection set up without any (Simulator.setConnection with no fields).
 * @param {string} connection
 * @returns {Connection}
 */
function unwritten(connection) {
  return {
    id: connection,
    name: `Simulated connection ${connection}`,
    description: 'A connection in the local simulator'
  }
}

/** @param {string} field */
function readOnly(field) {
  return graphError(
    400,
    'BadRequest',
    `The property '${field}' is read-only and cannot be set: Graph sets it.`,
    [{ code: 'ReadOnlyProperty', message: `'${field}' cannot be updated.`, target: field }]
  )
}

/** @param {string} field */
function mismatch(field) {
  return graphError(
    400,
    'BadRequest',
    `Property ${field} in payload has a value that does not match schema.`
  )
}

/** A flags value ("Search, compliance") spelled as Graph spells it; '' for an unknown member. */
function experiences(/** @type {string} */ value) {
  return value
    .split(',')
    .map(member => canonical(member.trim(), EXPERIENCES) ?? '')
    .join(',')
}
