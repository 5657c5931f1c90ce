// Compares the schema Graph has (GET /external/connections/{id}/schema) with the
// schema file, after normalising away what Graph does not distinguish, so the
// action can skip a PATCH that would change nothing (a schema update takes
// minutes) and warn about updates Graph documents as limited. Pure: no I/O.
//
// Sources:
//   [get]    "Get schema" (externalconnectors-schema-get): the v1.0 example wraps the schema in "value".
//   [schema] "schema resource type": baseType is spelt two ways across v1.0 and beta.
//   [update] "Register and update schema for the Microsoft Graph connection", section
//            "Schema update capabilities": it documents adding properties, adding or removing
//            search attributes, aliases and labels, says a refiner attribute cannot be added as a
//            schema change, and says nothing of removing properties or changing their type.
//   [kql]    "Keyword Query Language (KQL) syntax reference": queries are case-insensitive.
import { asObject, type JsonObject } from './json.js'
import { BASE_TYPES, DEFAULT_BASE_TYPE, PROPERTY_FLAGS } from './schema.js'
import type { PropertyFlag } from './schema.js'

/** One property, in the form that two equal definitions share. */
export interface NormalizedProperty {
  /** Lower case: names are compared ignoring case ([kql]). */
  name: string
  /** Lower case: Graph's enums are case-insensitive on input and may come back capitalised. */
  type: string
  isSearchable: boolean
  isRetrievable: boolean
  isQueryable: boolean
  isRefinable: boolean
  isExactMatchRequired: boolean
  /** Lower case, sorted, without repeats. */
  labels: string[]
  /** Lower case ([kql]), sorted, without repeats. */
  aliases: string[]
  /** '' when unset. */
  description: string
  /** The importanceScore in lower case; '' when unset. */
  rankingHint: string
}

export interface NormalizedSchema {
  /** Lower case, with both documented spellings made one. */
  baseType: string
  /** Sorted by name; of a repeated name, the last definition. */
  properties: NormalizedProperty[]
}

export interface PropertyChange {
  name: string
  /** The fields that differ, e.g. ['type', 'labels']. */
  fields: string[]
}

export interface SchemaDiff {
  same: boolean
  added: string[]
  removed: string[]
  changed: PropertyChange[]
  /** One line each, for the updates that [update] does not document as supported. */
  warnings: string[]
}

type Field = Exclude<keyof NormalizedProperty, 'name'>

const FIELDS: Field[] = [
  'type',
  ...PROPERTY_FLAGS,
  'labels',
  'aliases',
  'description',
  'rankingHint'
]
// [schema] both spellings name the one base type; absent means the default.
const BASE_TYPE = DEFAULT_BASE_TYPE.toLowerCase()
const BASE_TYPE_SPELLINGS = new Set(BASE_TYPES.map(type => type.toLowerCase()))

/**
 * A schema file's Schema, or Graph's GET answer, in a canonical form: two schemas that Graph
 * treats alike come out deep-equal whatever their property order, letter case of names and enum
 * values, order of labels and aliases, OData annotations, or absent, null, false and empty values.
 */
export function normalizeSchema(schema: unknown): NormalizedSchema {
  const root = unwrap(schema)
  const byName = new Map(propertyObjects(root).map(p => [lower(p.name), normalizeProperty(p)]))
  const properties = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1))
  return { baseType: normalizeBaseType(root?.baseType), properties }
}

/** What changes when `desired` replaces `current`; names are reported as the file writes them. */
export function diffSchemas(current: unknown, desired: unknown): SchemaDiff {
  const [before, after] = [normalizeSchema(current), normalizeSchema(desired)]
  const [was, will] = [byName(before), byName(after)]
  const written = writtenNames(current, desired)

  const added = after.properties.filter(p => !was.has(p.name))
  const removed = before.properties.filter(p => !will.has(p.name))
  const changed: PropertyChange[] = []
  const warnings = removalWarnings(removed, added, written)
  for (const next of after.properties) {
    const previous = was.get(next.name)
    if (!previous) continue
    const fields = FIELDS.filter(field => !equal(previous[field], next[field]))
    if (fields.length > 0) changed.push({ name: written(next), fields })
    warnings.push(...changeWarnings(previous, next, written))
  }
  if (before.baseType !== after.baseType) {
    warnings.push(
      `baseType would change from ${asciiQuoted(before.baseType)} to ${asciiQuoted(after.baseType)}.`
    )
  }
  const same =
    before.baseType === after.baseType && !added.length && !removed.length && !changed.length
  return { same, added: added.map(written), removed: removed.map(written), changed, warnings }
}

// [get] the v1.0 example answer puts the schema under "value".
function unwrap(schema: unknown): JsonObject | undefined {
  const root = asObject(schema)
  const inner = asObject(root?.value)
  return root && !('properties' in root) && inner ? inner : root
}

/** The property objects that have a name. */
function propertyObjects(root: JsonObject | undefined): JsonObject[] {
  if (!Array.isArray(root?.properties)) return []
  return root.properties.map(asObject).filter(p => typeof p?.name === 'string') as JsonObject[]
}

function normalizeBaseType(value: unknown): string {
  const baseType = typeof value === 'string' ? value.toLowerCase() : BASE_TYPE
  return BASE_TYPE_SPELLINGS.has(baseType) ? BASE_TYPE : baseType
}

function normalizeProperty(p: JsonObject): NormalizedProperty {
  const flag = (name: PropertyFlag) => p[name] === true
  return {
    name: lower(p.name),
    type: lower(p.type),
    isSearchable: flag('isSearchable'),
    isRetrievable: flag('isRetrievable'),
    isQueryable: flag('isQueryable'),
    isRefinable: flag('isRefinable'),
    isExactMatchRequired: flag('isExactMatchRequired'),
    labels: lowerSet(p.labels),
    aliases: lowerSet(p.aliases),
    description: typeof p.description === 'string' ? p.description : '',
    rankingHint: lower(asObject(p.rankingHint)?.importanceScore)
  }
}

function byName(schema: NormalizedSchema): Map<string, NormalizedProperty> {
  return new Map(schema.properties.map(p => [p.name, p]))
}

/** A property's name as the file writes it, else as Graph does. */
function writtenNames(current: unknown, desired: unknown): (p: NormalizedProperty) => string {
  const names = new Map<string, string>()
  for (const schema of [current, desired]) {
    for (const p of propertyObjects(unwrap(schema))) names.set(lower(p.name), p.name as string)
  }
  return p => names.get(p.name) ?? p.name
}

// [update] removing a property is not a documented update. A removal paired with an addition of
// the same definition looks like a rename, which Graph would see as exactly that pair.
function removalWarnings(
  removed: NormalizedProperty[],
  added: NormalizedProperty[],
  written: (p: NormalizedProperty) => string
): string[] {
  const unpaired = [...added]
  return removed.map(old => {
    const twin = unpaired.findIndex(candidate => FIELDS.every(f => equal(old[f], candidate[f])))
    const name = asciiQuoted(written(old))
    if (twin < 0) {
      return `Property ${name} would be removed; removing a property is not a documented schema update, so Graph may refuse it.`
    }
    const renamed = asciiQuoted(written(unpaired.splice(twin, 1)[0]))
    return `Property ${name} would be removed and ${renamed} added with the same definition; a rename is not a documented schema update, so Graph may refuse it.`
  })
}

// [update] changing a type is not a documented update, and a refiner cannot be added.
function changeWarnings(
  previous: NormalizedProperty,
  next: NormalizedProperty,
  written: (p: NormalizedProperty) => string
): string[] {
  const name = asciiQuoted(written(next))
  const warnings: string[] = []
  if (previous.type !== next.type) {
    const types = `from ${asciiQuoted(previous.type)} to ${asciiQuoted(next.type)}`
    warnings.push(
      `Property ${name} would change type ${types}; changing a type is not a documented schema update, so Graph may refuse it.`
    )
  }
  if (!previous.isRefinable && next.isRefinable) {
    warnings.push(
      `Property ${name} would become refinable; the docs say a refiner cannot be added as a schema change.`
    )
  }
  return warnings
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function lower(value: unknown): string {
  return typeof value === 'string' ? value.toLowerCase() : ''
}

function lowerSet(values: unknown): string[] {
  const strings: unknown[] = Array.isArray(values) ? values : []
  const lowered = strings.filter(value => typeof value === 'string').map(lower)
  return [...new Set(lowered)].sort()
}

/** A name for a one-line log: printable ASCII only (the rest escaped), at most 64 characters. */
function asciiQuoted(text: string): string {
  const short = text.length > 64 ? `${text.slice(0, 64)}…` : text
  const escape = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  return `'${short.replace(/[^\x20-\x7e…]/g, escape)}'`
}
