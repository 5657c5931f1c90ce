// The simulated Microsoft Graph's schema of a connection: GET and PATCH
// /external/connections/{id}/schema, what Graph refuses in a schema, and how it
// stores one (normalised) once the operation that applies it completes.
//
// Sources (learn.microsoft.com/graph/api/..., v1.0 and beta):
//   [patch]     "Create or update schema" (externalconnectors-externalconnection-patch-schema)
//   [get]       "Get schema" (externalconnectors-schema-get)
//   [resource]  "property resource type"
import { randomBytes } from 'node:crypto'
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
import { scripted, shown } from './script.js'

/** @typedef {import('./simulator.js').Simulator} Simulator */
/** @typedef {import('./simulator.js').ScriptedResponse} ScriptedResponse */
/** @typedef {import('./simulator.js').ErrorDetail} ErrorDetail */
/** @typedef {import('./simulator.js').Schema} Schema */
/** @typedef {import('node:http').IncomingHttpHeaders} Headers */

// [resource] The members of two evolvable enums when published (see evolvable).
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

/**
 * [get] 200 with the schema, every flag a boolean and every collection present,
 * or 404 while the connection has none.
 * @param {Simulator} sim
 * @param {string} context  The connection's OData context.
 * @param {string} connection  lower-case ID
 * @param {Headers} headers
 * @returns {ScriptedResponse}
 */
export function getSchema(sim, context, connection, headers) {
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
export function patchSchema(sim, version, connection, headers, body) {
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
