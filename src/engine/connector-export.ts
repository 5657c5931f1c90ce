// Writes the connector file of a connection that already exists: what Graph
// answers for the connection and its schema, turned into the file that
// checkConnector reads, so that deploying the file back changes nothing. Pure:
// no I/O. Graph's answer is outside data: it is walked at most MAX_DEPTH deep
// (as connection-diff.ts normalises it) and MAX_EXPORTED_VALUES values in all;
// past either bound the export fails rather than write a file cut short.
//
// What is kept: `id`, then each writable field of externalConnection that has a
// value, in the order of the resource's page (beta-only fields on beta only),
// then the schema inline as { baseType, properties }. What is dropped:
//   - the fields Graph sets ([connection]: state, connectorId; [metadata] beta's
//     ingestedItemsCount) and any field the version's metadata does not list;
//   - OData annotations (`@odata.context`, `@odata.type`, …) at any depth ([odata]): they
//     describe the answer, not the connector; checkConnector adds each resolver's type back;
//   - null, '' at the top, empty lists and empty objects: "not set", as diffConnection reads them;
//   - a schema property's `false` flags ([property]: each flag is false unless set).
// A result template's layout ([template]: "an Adaptive Card, which is a JSON-serialized card
// object model") is kept inline as an object; when Graph answers it as JSON text, the object that
// text holds. Inside a card only annotations are dropped: the card is the author's, kept as it is.
//
// Sources:
//   [connection] "externalConnection resource type" (externalconnectors-externalconnection):
//                its properties, and which are read-only
//   [metadata]   Graph's published metadata (vendor/msgraph-metadata/, through vocabulary.ts)
//   [get]        "Get externalConnection" (externalconnectors-externalconnection-get) and
//                "Get schema" (externalconnectors-schema-get): the v1.0 example of the latter wraps
//                the schema in "value"
//   [property]   "property resource type" (externalconnectors-property): the search flags
//   [template]   "displayTemplate resource type" (externalconnectors-displaytemplate)
//   [odata]      OData JSON Format 4.01, section 18 "Instance Annotations": `@namespace.term`
//                names annotate a value; `odata.` ones (context, type, …) are the protocol's own
import { MAX_DEPTH } from './connection-diff.js'
import { ActionError } from './errors.js'
import { asObject, type JsonObject } from './json.js'
import type { ApiVersion } from './model.js'
import { DEFAULT_BASE_TYPE } from './schema.js'
import { VOCABULARY } from './vocabulary.js'

/** The most values (objects, lists and scalars together) one export walks. */
export const MAX_EXPORTED_VALUES = 100_000

/** [connection] the writable fields, in the order the page lists them; beta-only ones last. */
const FIELD_ORDER = [
  'name',
  'description',
  'contentCategory',
  'activitySettings',
  'searchSettings',
  'configuration',
  'enabledContentExperiences',
  'complianceSettings'
]

/** Graph's answer cannot be exported: too deep or too large for any connection. */
export class ExportError extends ActionError {
  override name = 'ExportError'
  constructor(message: string) {
    super(message, 'UnexpectedAnswer')
  }
}

/**
 * The connector file for `connection` (Graph's GET answer) and `schema` (Graph's GET
 * .../schema answer; undefined when the connection has none yet), for `apiVersion`.
 */
export function exportConnector(
  connection: JsonObject,
  schema: JsonObject | undefined,
  apiVersion: ApiVersion
): JsonObject {
  const walk = new Walk()
  const own: readonly string[] = VOCABULARY[apiVersion].types.externalConnection
  const entries: [string, unknown][] = []
  if (typeof connection.id === 'string') entries.push(['id', connection.id])
  for (const field of FIELD_ORDER) {
    if (!own.includes(field) || !Object.hasOwn(connection, field)) continue
    const value = walk.value(connection[field], field, 1)
    if (value !== undefined && value !== '') entries.push([field, value])
  }
  if (schema) entries.push(['schema', walk.schema(schema)])
  // fromEntries defines each key as its own: a key "__proto__" stays a key.
  return Object.fromEntries(entries)
}

// Characters JSON.stringify leaves raw that a log must not get: DEL, C1 controls, the line and
// paragraph separators, bidi overrides. And the first '#' of `##[` or `##vso[`, which the GitHub
// runner and the Azure Pipelines agent read anywhere in a line. All are inside strings.
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|#(?=#(?:vso)?\[)/gi

/**
 * The connector file's text: JSON with a 2-space indent and a final newline, safe on a CI log.
 * Every line starts with white space and a JSON token, so none is a workflow command; the
 * characters above are written as \u escapes, which parse to the same value.
 */
export function exportText(file: JsonObject): string {
  const text = JSON.stringify(file, null, 2).replace(
    JSON_UNSAFE,
    c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
  return `${text}\n`
}

/** One walk over Graph's answer, counting what it visits. */
class Walk {
  private visited = 0

  /** A connection field's value, or a part of it, without what the file does not write. */
  value(value: unknown, key: string, depth: number): unknown {
    this.visit(depth)
    if (value === null || value === undefined) return undefined
    if (key === 'layout') return this.layout(value, depth)
    if (Array.isArray(value)) {
      const items = value
        .map(item => this.value(item, '', depth + 1))
        .filter(item => item !== undefined)
      return items.length ? items : undefined
    }
    const object = asObject(value)
    if (!object) return value
    const members = this.members(object, (member, key) => this.value(member, key, depth + 1))
    return members.length ? Object.fromEntries(members) : undefined
  }

  /** The schema as { baseType, properties }: each property without false flags. */
  schema(answer: JsonObject): JsonObject {
    this.visit(1)
    // [get] the v1.0 example answer puts the schema under "value".
    const inner = asObject(answer.value)
    const root = !Object.hasOwn(answer, 'properties') && inner ? inner : answer
    const baseType = typeof root.baseType === 'string' ? root.baseType : DEFAULT_BASE_TYPE
    const properties = Array.isArray(root.properties) ? root.properties : []
    return {
      baseType,
      properties: properties
        .map(property => this.property(property, 3))
        .filter(property => property !== undefined)
    }
  }

  private property(value: unknown, depth: number): unknown {
    const property = asObject(value)
    if (!property) return this.value(value, '', depth)
    this.visit(depth)
    const members = this.members(property, (member, key) =>
      member === false ? undefined : this.value(member, key, depth + 1)
    )
    return members.length ? Object.fromEntries(members) : undefined
  }

  /** [template] a layout: the card object, from JSON text when Graph sends it so. */
  private layout(value: unknown, depth: number): unknown {
    if (typeof value === 'string') {
      const text = value.trimStart()
      if (!text.startsWith('{')) return value
      // JSON.parse does not recurse, and the answer is at most 1 MiB: card() bounds the depth.
      let card: unknown
      try {
        card = JSON.parse(text)
      } catch {
        // Not JSON: kept as Graph has it, for the file's check to point at.
        return value
      }
      return this.card(card, depth)
    }
    return this.card(value, depth)
  }

  /** A card as it is, without OData annotations. */
  private card(value: unknown, depth: number): unknown {
    this.visit(depth)
    if (Array.isArray(value)) return value.map(item => this.card(item, depth + 1))
    const object = asObject(value)
    if (!object) return value
    return Object.fromEntries(this.members(object, member => this.card(member, depth + 1)))
  }

  /**
   * An object's members but its OData annotations (named as diffConnection skips them), each
   * through `each`; those it makes undefined left out.
   */
  private members(
    object: JsonObject,
    each: (member: unknown, key: string) => unknown
  ): [string, unknown][] {
    const members: [string, unknown][] = []
    for (const key of Object.keys(object)) {
      if (key.startsWith('@odata.')) continue
      const value = each(object[key], key)
      if (value !== undefined) members.push([key, value])
    }
    return members
  }

  private visit(depth: number): void {
    if (depth > MAX_DEPTH) this.tooDeep()
    if (++this.visited > MAX_EXPORTED_VALUES) {
      throw new ExportError(
        `Graph's answer holds more than ${MAX_EXPORTED_VALUES} values; no connection and schema ` +
          'are that large, so it is not exported.'
      )
    }
  }

  private tooDeep(): never {
    throw new ExportError(
      `Graph's answer nests more than ${MAX_DEPTH} levels deep; no connection and schema do, ` +
        'so it is not exported.'
    )
  }
}
