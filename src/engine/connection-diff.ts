// Compares a connection as Graph has it (GET /external/connections/{id}) with
// the fields a connector file writes, so that a re-run sends one PATCH with only
// the fields that differ, or none at all. Pure: no I/O.
//
// What is compared: only the top-level fields the file writes; a field the file
// leaves out is not managed, never sent and never a change. Each is compared
// after normalising what Graph fills in or spells its own way:
//   - OData annotations (`@odata.type`, `@odata.context`, …) at any depth: Graph adds them to
//     its answer, and the file may or may not write the resolver's type;
//   - null, absent, '' (at the top), empty lists and empty objects are one "not set";
//   - enum values ignoring case: contentCategory, a rule's operation and valuesJoinedBy, and the
//     members of enabledContentExperiences ("search, compliance" = "compliance,search");
//   - authorizedAppIds ignoring case (GUIDs);
//   - a layout Graph returns as a JSON string is read as the object it holds (unless it nests
//     deeper than MAX_DEPTH, when it is compared as the text it is);
//   - a result template without a priority has Graph's 0: [metadata] displayTemplate.priority is
//     a non-nullable Edm.Int32, so Graph answers 0 for one the file leaves out.
// Collections are compared, and sent, as wholes. The order of resolvers, of result templates and of
// authorizedAppIds is not significant: each resolver and template carries its own priority, which is
// what Graph orders them by, so Graph may list them in another order than the file. Everything else
// (rules, values, baseUrls, the inside of a layout) is compared in order.
//
// Sources:
//   [update] "Update externalConnection" (externalconnectors-externalconnection-update): "Existing
//            properties that are not included in the request body will maintain their previous
//            values … For best performance, don't include existing values that haven't changed."
import { asObject, nestsDeeperThan, type JsonObject } from './json.js'
import { inert } from './text.js'

/** One top-level connection field that differs: Graph's value (undefined when absent), the file's. */
export interface FieldChange {
  field: string
  from: unknown
  to: unknown
}

/** Deeper than this, values are compared as they are: no connection field nests that deep. */
export const MAX_DEPTH = 32
/** How much of each value describeChange shows. */
const MAX_SHOWN = 80
// Enum values that Graph reads ignoring case and may answer in another casing.
const ENUM_KEYS = new Set(['contentCategory', 'operation', 'valuesJoinedBy'])
// Lists whose order carries no meaning: compared as sets.
// Collections of displayTemplate, whose priority Graph fills in.
const TEMPLATE_KEYS = new Set(['searchResultTemplates', 'eDiscoveryResultTemplates'])
const UNORDERED_KEYS = new Set([
  'urlToItemResolvers',
  'searchResultTemplates',
  'eDiscoveryResultTemplates',
  'authorizedAppIds'
])

/** The fields of `desired` whose value differs from Graph's, in the order the file writes them. */
export function diffConnection(current: JsonObject, desired: JsonObject): FieldChange[] {
  return Object.keys(desired)
    .filter(field => !field.startsWith('@odata.'))
    .filter(
      field =>
        key(normalizeField(field, current[field])) !== key(normalizeField(field, desired[field]))
    )
    .map(field => ({ field, from: current[field], to: desired[field] }))
}

/** [update] The one PATCH body: only the fields that differ, each as the file writes it. */
export function patchBody(changes: readonly FieldChange[]): JsonObject {
  return Object.fromEntries(changes.map(change => [change.field, change.to]))
}

/**
 * One line for a log or summary, inert and bounded: `description: 'Old' → 'New'`; for an object,
 * the first place the two differ: `searchSettings.searchResultTemplates[0].priority: 0 → 1`.
 */
export function describeChange(change: FieldChange): string {
  const { path, from, to } = firstDifference(
    normalizeField(change.field, change.from),
    normalizeField(change.field, change.to)
  )
  const where = inert(change.field, 40) + inert(path, 80)
  return path
    ? `${where}: ${shown(from)} → ${shown(to)}`
    : `${where}: ${shown(change.from)} → ${shown(change.to)}`
}

/**
 * Where two normalised values first differ, as a path after the field (`.a[0].b`), and the values
 * there; an empty path when they differ at the top (or in kind, or in a list's length).
 */
function firstDifference(
  from: unknown,
  to: unknown,
  path = '',
  depth = 0
): { path: string; from: unknown; to: unknown } {
  const here = { path, from, to }
  if (depth > MAX_DEPTH || key(from) === key(to)) return here
  if (Array.isArray(from) && Array.isArray(to)) {
    if (from.length !== to.length) return here
    const index = from.findIndex((item, i) => key(item) !== key(to[i]))
    return firstDifference(from[index], to[index], `${path}[${index}]`, depth + 1)
  }
  const [a, b] = [asObject(from), asObject(to)]
  if (!a || !b || Array.isArray(from) || Array.isArray(to)) return here
  const member = [...new Set([...Object.keys(a), ...Object.keys(b)])].find(
    name => key(a[name]) !== key(b[name])
  ) as string
  return firstDifference(a[member], b[member], `${path}.${member}`, depth + 1)
}

/** A top-level field's value in the form two equal values share; undefined for "not set". */
export function normalizeField(field: string, value: unknown): unknown {
  const normalized = normalize(value, field, 0)
  return normalized === '' ? undefined : normalized
}

function normalize(value: unknown, name: string, depth: number): unknown {
  if (value == null) return undefined
  if (depth > MAX_DEPTH) return value
  if (typeof value === 'string') return normalizeString(value, name, depth)
  if (Array.isArray(value)) {
    const items = value
      .map(item => normalize(item, name, depth + 1))
      .filter(item => item !== undefined)
    if (items.length === 0) return undefined
    // A set: its members in the order of their JSON text.
    return UNORDERED_KEYS.has(name)
      ? items
          .map(key)
          .sort()
          .map(text => JSON.parse(text))
      : items
  }
  let object = asObject(value)
  if (!object) return value
  if (TEMPLATE_KEYS.has(name) && object.priority == null) object = { ...object, priority: 0 }
  const members = Object.keys(object)
    .filter(member => !member.startsWith('@odata.'))
    .sort()
    .map(member => [member, normalize(object[member], member, depth + 1)] as const)
    .filter(([, normalized]) => normalized !== undefined)
  return members.length === 0 ? undefined : Object.fromEntries(members)
}

function normalizeString(value: string, name: string, depth: number): unknown {
  if (ENUM_KEYS.has(name) || name === 'authorizedAppIds') return value.toLowerCase()
  if (name === 'enabledContentExperiences') {
    const members = value.split(',').map(member => member.trim().toLowerCase())
    return members
      .filter(member => member !== '')
      .sort()
      .join(',')
  }
  // A layout Graph answers as serialized JSON is the card it holds.
  // Bounded: the transport's depth check saw a string, not the JSON inside it.
  if (
    name === 'layout' &&
    value.trimStart().startsWith('{') &&
    !nestsDeeperThan(value, MAX_DEPTH - depth)
  ) {
    try {
      return normalize(JSON.parse(value), name, depth + 1)
    } catch {
      return value
    }
  }
  return value
}

/** A value as one comparable text (undefined for "not set"); normalize sorted its keys. */
function key(value: unknown): string {
  return JSON.stringify(value)
}

function shown(value: unknown): string {
  if (value === undefined || value === null) return '(not set)'
  if (typeof value === 'string') return `'${inert(value, MAX_SHOWN)}'`
  const json = inert(JSON.stringify(value), MAX_SHOWN)
  if (!Array.isArray(value)) return json
  return `${value.length} ${value.length === 1 ? 'item' : 'items'} ${json}`
}
