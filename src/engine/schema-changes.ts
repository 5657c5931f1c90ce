// What a schema PATCH would do to the schema a connection has: each change to a
// property, classed as refused by Graph, accepted but needing the items
// re-ingested, or accepted. A refused change can only be made by deleting the
// connection and creating it again, which loses its items, so it is known
// before anything is sent. Pure: no I/O. Compares through normalizeSchema, so
// what Graph fills in or spells its own way is no change.
//
// Sources, quoted where a class rests on them (documented: true):
//   [guide]  "Register and update schema for the Microsoft Graph connection"
//            (connecting-external-content-manage-schema), section "Schema update capabilities":
//            "Adding a property does not require re-ingestion, but it is recommended."
//            "Adding a search capability requires re-ingestion. You can add specific search
//            attributes to a property, however you cannot add a refiner search attribute as a
//            schema change."
//            "Deletion of a search attribute from a property would lead to inconsistent behavior as
//            the backward and forward looking items differ in the returned result set."
//            Aliases: "It does not require re-ingestion … the schema owner will be unable to remove
//            the original alias of a refinable property that was auto-created by the system."
//            Semantic labels: "Requires re-ingestion".
//   [search] Microsoft Search, "Manage search schema" (manage-search-schema), section "Schema update
//            capabilities" (written for Microsoft-built connectors):
//            "You cannot delete an existing property for a published connection. To remove a
//            property, you must delete and recreate a connection."
//            "You cannot remove a retrievable search attribute from a property."
//            "You cannot add or remove refinable search attribute to a property."
// Not found in either page, so documented: false: changing a property's type (refused here, as
// issue 18 asks: a type cannot be changed in place in the search index the docs describe), the
// exact-match flag (beta), a description and a ranking hint.
import { normalizeSchema, type NormalizedProperty } from './schema-diff.js'
import { asObject } from './json.js'
import { inert, quoted } from './text.js'

/** How much of the file's own text a message echoes. */
const ECHO_MAX = 64

export type ChangeClass = 'refused' | 'reingest' | 'accepted'

export interface SchemaChange {
  /** The property's name as the file writes it (as Graph does, for a removed property). */
  property: string
  /** What changes: 'added', 'removed', 'type', a flag ('isRefinable', …), 'labels', 'aliases', … */
  change: string
  class: ChangeClass
  /** One sentence: what Graph does with the change, and for a refused one what to do instead. */
  reason: string
  /** Whether the class rests on a quoted sentence of the docs (see the sources above). */
  documented: boolean
}

const SEARCH_FLAGS = ['isSearchable', 'isQueryable', 'isExactMatchRequired'] as const

/**
 * Each change that replacing `current` (Graph's schema) with `desired` (the file's) would make:
 * property by property in name order, each property's changes in a fixed order, removals last.
 */
export function classifySchemaChanges(
  current: unknown,
  desired: unknown,
  connectionId?: string
): SchemaChange[] {
  const [before, after] = [normalizeSchema(current), normalizeSchema(desired)]
  const was = new Map(before.properties.map(p => [p.name, p]))
  const will = new Set(after.properties.map(p => p.name))
  const written = writtenNames(current, desired)
  const recreate = recreateAdvice(connectionId)
  const changes: SchemaChange[] = []
  for (const next of after.properties) {
    const name = written(next.name)
    const previous = was.get(next.name)
    if (!previous) {
      const reason = `Property ${quoted(name, ECHO_MAX)} is added: Graph accepts it; re-ingesting the items is recommended, not required.`
      changes.push({ property: name, change: 'added', class: 'accepted', reason, documented: true })
      continue
    }
    changes.push(...propertyChanges(name, previous, next, recreate))
  }
  for (const old of before.properties.filter(p => !will.has(p.name))) {
    const name = written(old.name)
    // Graph may have it because someone added it elsewhere: the file is then behind, not ahead.
    const reason = `Property ${quoted(name, ECHO_MAX)} is removed: Graph cannot delete a property of a published connection (if it was added outside the file, add it to the file instead). ${recreate}`
    changes.push({ property: name, change: 'removed', class: 'refused', reason, documented: true })
  }
  return changes
}

/** What to do about a refused change: recreate the connection, and how. */
export function recreateAdvice(connectionId?: string): string {
  const id = connectionId === undefined ? '{id}' : inert(connectionId, 40)
  return (
    'Graph needs the connection deleted and created again, which deletes its items: ' +
    `DELETE /external/connections/${id} (or delete it in the Microsoft 365 admin center), ` +
    'then run again to create it with this schema, and ingest the items again.'
  )
}

function propertyChanges(
  name: string,
  previous: NormalizedProperty,
  next: NormalizedProperty,
  recreate: string
): SchemaChange[] {
  const changes: SchemaChange[] = []
  const subject = `Property ${quoted(name, ECHO_MAX)}`
  const add = (change: string, kind: ChangeClass, reason: string, documented: boolean) =>
    changes.push({ property: name, change, class: kind, reason, documented })

  if (previous.type !== next.type) {
    const types = `from ${quoted(previous.type, ECHO_MAX)} to ${quoted(next.type, ECHO_MAX)}`
    add(
      'type',
      'refused',
      `${subject} changes type ${types}: a type is not changed in place. ${recreate}`,
      false
    )
  }
  // [search] neither added nor removed; [guide] not added.
  if (previous.isRefinable !== next.isRefinable) {
    const turn = next.isRefinable ? 'becomes refinable' : 'stops being refinable'
    add(
      'isRefinable',
      'refused',
      `${subject} ${turn}: Graph cannot add or remove the refinable attribute of a property. ${recreate}`,
      true
    )
  }
  // [search] retrievable cannot be removed; [guide] adding an attribute needs re-ingestion.
  if (previous.isRetrievable && !next.isRetrievable) {
    add(
      'isRetrievable',
      'refused',
      `${subject} stops being retrievable: Graph cannot remove the retrievable attribute of a property. ${recreate}`,
      true
    )
  } else if (!previous.isRetrievable && next.isRetrievable) {
    add(
      'isRetrievable',
      'reingest',
      `${subject} becomes retrievable: Graph accepts it, and the items must be ingested again to have it.`,
      true
    )
  }
  // [guide] adding a search attribute needs re-ingestion; removing one leaves old and new items
  // behaving differently until they are ingested again.
  for (const flag of SEARCH_FLAGS) {
    if (previous[flag] === next[flag]) continue
    const reason = next[flag]
      ? `${subject} gains ${flag}: Graph accepts it, and the items must be ingested again to have it.`
      : `${subject} loses ${flag}: Graph accepts it, and items ingested before and after it behave differently until all are ingested again.`
    add(flag, 'reingest', reason, flag !== 'isExactMatchRequired')
  }
  // [guide] semantic labels: "Requires re-ingestion".
  const labels = listChange(previous.labels, next.labels)
  if (labels) {
    add(
      'labels',
      'reingest',
      `${subject} ${labels} labels: Graph accepts it, and the items must be ingested again for it to take effect.`,
      true
    )
  }
  // [guide] aliases need no re-ingestion; an alias Graph made itself for a refinable property
  // cannot be removed, and Graph's answer does not say which alias that is.
  const aliases = listChange(previous.aliases, next.aliases)
  if (aliases) {
    const removed = previous.aliases.some(alias => !next.aliases.includes(alias))
    const caveat =
      removed && previous.isRefinable
        ? ' unless an alias removed is the one Graph created itself for this refinable property, which cannot be removed.'
        : '.'
    add(
      'aliases',
      'accepted',
      `${subject} ${aliases} aliases: Graph accepts it without re-ingestion${caveat}`,
      true
    )
  }
  for (const field of ['description', 'rankingHint'] as const) {
    if (previous[field] !== next[field]) {
      add(
        field,
        'accepted',
        `${subject} changes its ${field}: the docs do not say Graph refuses it or needs re-ingestion.`,
        false
      )
    }
  }
  return changes
}

/** "adds 'x', removes 'y' in its" for two sorted lists; '' when they are equal. */
function listChange(before: string[], after: string[]): string {
  const added = after.filter(item => !before.includes(item))
  const removed = before.filter(item => !after.includes(item))
  const parts = [
    ...(added.length ? [`adds ${added.map(item => quoted(item, ECHO_MAX)).join(', ')} to`] : []),
    ...(removed.length
      ? [`removes ${removed.map(item => quoted(item, ECHO_MAX)).join(', ')} from`]
      : [])
  ]
  return parts.length ? `${parts.join(' and ')} its` : ''
}

/** A property's name as the file writes it, else as Graph does, by its lower-case name. */
function writtenNames(current: unknown, desired: unknown): (name: string) => string {
  const names = new Map<string, string>()
  for (const schema of [current, desired]) {
    const root = asObject(schema)
    const properties = root?.properties ?? asObject(root?.value)?.properties
    if (!Array.isArray(properties)) continue
    for (const property of properties) {
      const name = asObject(property)?.name
      if (typeof name === 'string') names.set(name.toLowerCase(), name)
    }
  }
  return name => names.get(name) ?? name
}
