// Checks a Microsoft Graph connector schema file (the body of
// PATCH /external/connections/{id}/schema) before anything is sent, and
// reports every problem at once, each at the line and column of the key it is
// about. Pure: no I/O. Bounded: linear in the file, at most MAX_CHECKED_ITEMS
// properties and MAX_LIST_FINDINGS findings per list are looked at.
//
// The rule: an error only where Graph documents that it refuses; everything
// else, however sensible, is a warning. A check that blocks what Graph accepts
// is a bug. Each rule names its source:
//   [metadata] Graph's published metadata for the API version in use (vendor/msgraph-metadata/,
//              through vocabulary.ts): the fields of a property, its types and enums
//   [schema]   "schema resource type" (externalconnectors-schema, v1.0 and beta)
//   [patch]    "Create or update schema" (externalconnectors-externalconnection-patch-schema)
//   [property] "property resource type" (externalconnectors-property, v1.0 and beta)
//   [guide]    "Register and update schema for the Microsoft Graph connection"
//              (connecting-external-content-manage-schema)
//   [people]   "Build Microsoft 365 Copilot connectors for people data"
//              (build-connectors-with-people-data)
//   [principal] "principal resource type" (externalconnectors-principal)
//   [refiner]  Graph's answer RefinerShouldNotBeOfType, reported in
//              microsoftgraph/microsoft-graph-docs-contrib#2094
//   [doctor]   PnP CLI for Microsoft 365, "external connection doctor"
import { asObject, type JsonObject } from './json.js'
import {
  LineIndex,
  parseJsonText,
  pointer,
  type ParsedJson,
  type RepeatedKey
} from './json-positions.js'
import { ACTION_VOICE } from './model.js'
import type { ApiVersion, Voice } from './model.js'
import { describe, didYouMean, show } from './hints.js'
import { inert, quoted } from './text.js'
import { VOCABULARY } from './vocabulary.js'

/** How much of the file's own text a message echoes. */
const ECHO_MAX = 40

export type Severity = 'error' | 'warning'

export interface Finding {
  severity: Severity
  /** Stable id, e.g. 'name-format'. */
  rule: string
  /** The property's name, or `properties[3]` when it has no usable name. */
  property?: string
  /** 1-based line of what the finding is about: the key, the list element, or the property. */
  line?: number
  /** 1-based column, with line. */
  column?: number
  /** One line; user text in it is quoted, shortened and free of control characters. */
  message: string
  /**
   * The file the finding is in when it is not the file checked: from checkConnector, a schema or
   * layout file relative to the connector file; from readConnectorFile, every finding's file as
   * the input would name it (from the workspace). Line and column are that file's.
   */
  file?: string
}

export interface SchemaProperty {
  name: string
  type: string
  [key: string]: unknown
}

export interface Schema {
  baseType: string
  properties: SchemaProperty[]
}

export interface SchemaCheck {
  /**
   * The body to PATCH, undefined when any error was found: the file's JSON, normalised as Graph
   * reads it (JSON booleans for "true"/"false", enums in Graph's spelling, baseType filled in).
   */
  schema?: Schema
  /** Every finding, errors and warnings, in file order. */
  findings: Finding[]
  /** The line of each property, by its name in lower case: where Graph's error.details point. */
  lines?: Map<string, number>
}

export interface SchemaCheckOptions {
  /** The Graph API version the schema goes to: its vocabulary is the one checked against. */
  apiVersion?: ApiVersion
  /** The Copilot readiness findings are errors, not warnings. */
  requireCopilotReady?: boolean
  /** The connection's contentCategory, when known (a connector file): `people` decides. */
  contentCategory?: string
  /** How findings name the settings (the action's inputs when not given). */
  voice?: Voice
}

export const DEFAULT_BASE_TYPE = 'microsoft.graph.externalItem'

// [schema] v1.0 spells it externalConnector.externalItem; beta and [patch] say externalItem.
export const BASE_TYPES: readonly string[] = [
  DEFAULT_BASE_TYPE,
  'microsoft.graph.externalConnector.externalItem'
]
/** [metadata] A property's true/false flags, in every version. */
export const PROPERTY_FLAGS = [
  'isSearchable',
  'isRetrievable',
  'isQueryable',
  'isRefinable',
  'isExactMatchRequired'
] as const
export type PropertyFlag = (typeof PROPERTY_FLAGS)[number]

/** [schema] [patch] 1 to 128 properties. */
export const MAX_PROPERTIES = 128
/** Past this many items the count error says what is wrong; the rest are not looked at. */
export const MAX_CHECKED_ITEMS = MAX_PROPERTIES + 32
/** Per property and list (labels, aliases): findings past this many are summed up in one. */
const MAX_LIST_FINDINGS = 8
// [property] names and aliases: "Maximum 32 characters ... may not contain control characters,
// whitespace, or any of the following".
const MAX_NAME = 32
const FORBIDDEN = ':;,()[]{}%$+!*=&?@#\\~\'"<>`^'
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
// [property] description: "The maximum supported length is 200 characters."
const MAX_DESCRIPTION = 200

// [guide] [principal] [people] The type each label's property has, as the docs give it. The docs
// do not say that Graph refuses another type, so a mismatch is a warning. Labels the docs give no
// type for are not checked.
const PEOPLE_VALUED = ['string', 'principal']
const LABEL_TYPES: Record<string, string[]> = {
  title: ['string'],
  url: ['string'],
  iconUrl: ['string'],
  fileName: ['string'],
  fileExtension: ['string'],
  containerName: ['string'],
  containerUrl: ['string'],
  createdDateTime: ['dateTime'],
  lastModifiedDateTime: ['dateTime'],
  createdBy: PEOPLE_VALUED,
  lastModifiedBy: PEOPLE_VALUED,
  authors: ['stringCollection', 'principalCollection'],
  // [people] the profile entities: one value, or a list of them.
  ...Object.fromEntries(
    words(`personAccount personCurrentPosition personName personNote personWebSite`).map(label => [
      label,
      ['string']
    ])
  ),
  ...Object.fromEntries(
    words(`personAddresses personAnniversaries personAwards personCertifications
      personEducationalActivities personEmails personInterests personLanguages personPhones
      personProjects personPublications personPatents personSkills personWebAccounts`).map(
      label => [label, ['stringCollection']]
    )
  )
}
// [doctor] copilotRequiredSemanticLabels, for content connectors.
const COPILOT_LABELS = ['title', 'url', 'iconUrl']
// [people] "The schema must have one property with the personAccount label".
const PEOPLE_ACCOUNT_LABEL = 'personAccount'
// [people] labels "not yet supported" for people data, and types likewise.
const PEOPLE_UNSUPPORTED = new Set(
  words(`personManager personAssistants personColleagues personAlternateContacts
    personEmergencyContacts principal principalCollection`)
)
const IGNORED_FOR_PEOPLE =
  '(Its person* labels suggest a people connector, for which Graph ignores this flag.)'

/** The vocabulary a check reads: one API version's, knowing what only the other one has. */
interface Vocabulary {
  apiVersion: ApiVersion
  /** The advice to send to beta, in the front door's words: "set api-version: beta". */
  setBeta: string
  /** The fields a property has in this version, and in beta. */
  fields: readonly string[]
  betaFields: readonly string[]
  /** Each enum by lower-case spelling, with Graph's spelling and whether this version has it. */
  labels: Enum
  types: Enum
  importance: Enum
}
type Enum = Map<string, { value: string; inVersion: boolean }>

function vocabularyFor(apiVersion: ApiVersion, voice: Voice): Vocabulary {
  const [own, beta] = [VOCABULARY[apiVersion], VOCABULARY.beta]
  const enumOf = (mine: readonly string[], theirs: readonly string[]): Enum =>
    new Map(
      [...mine, ...theirs.filter(value => !mine.includes(value))].map(value => [
        value.toLowerCase(),
        { value, inVersion: mine.includes(value) }
      ])
    )
  const importance = 'importanceScore' in own.enums ? own.enums.importanceScore : []
  return {
    apiVersion,
    setBeta: `set ${voice.assign('api-version', 'beta')}`,
    fields: own.types.property,
    betaFields: beta.types.property,
    labels: enumOf(own.enums.label, beta.enums.label),
    types: enumOf(own.enums.propertyType, beta.enums.propertyType),
    importance: enumOf(importance, beta.enums.importanceScore)
  }
}

/** Checks the text of a schema file; see SchemaCheck. */
export function checkSchema(text: string, options: SchemaCheckOptions = {}): SchemaCheck {
  const vocabulary = vocabularyFor(options.apiVersion ?? 'v1.0', options.voice ?? ACTION_VOICE)
  // Editors on Windows may save a byte order mark; it is not part of the JSON.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text
  const parsed = parseJsonText(json)
  if (parsed.kind !== 'json') return { findings: [jsonProblem(parsed)] }
  const { lines } = parsed
  const root = asObject(parsed.value)
  if (!root) {
    const found = describe(parsed.value, ECHO_MAX)
    return { findings: [error('json', `The schema file must hold one JSON object, not ${found}.`)] }
  }
  const at = (...path: (string | number)[]): Position | undefined => {
    const offset = parsed.positions.get(pointer(...path))
    return offset === undefined ? undefined : lines.at(offset)
  }

  const findings = [...checkTopLevel(root, at), ...repeatedKeys(parsed.repeated, lines)]
  const items = root.properties
  const properties: SchemaProperty[] = []
  const propertyLines = new Map<string, number>()
  if (Array.isArray(items)) {
    const people = peopleConnector(items, vocabulary, options.contentCategory)
    const seen: Seen = {
      names: new Map(),
      labels: new Map(),
      aliases: new Map(),
      stringFlags: { count: 0 }
    }
    items.slice(0, MAX_CHECKED_ITEMS).forEach((item, index) => {
      const where = whereIn(at, index)
      const checked = checkItem(item, index, { at: where, seen, vocabulary, people })
      const name = asObject(item)?.name
      const line = where.item?.line
      if (typeof name === 'string' && line !== undefined)
        propertyLines.set(name.toLowerCase(), line)
      for (const finding of checked.findings) findings.push(finding)
      if (checked.property) properties.push(checked.property)
    })
    findings.push(...stringFlagWarning(seen.stringFlags))
    const severity: Severity = options.requireCopilotReady ? 'error' : 'warning'
    findings.push(
      ...(people ? checkPeople(properties, severity) : checkCopilot(properties, severity))
    )
  }
  inFileOrder(findings)

  if (findings.some(finding => finding.severity === 'error')) return { findings }
  // What Graph reads: the file's JSON without its OData annotations, normalised, baseType filled in.
  const body = Object.fromEntries(
    Object.entries(root).filter(([key]) => !key.startsWith('@odata.'))
  )
  const baseType = typeof root.baseType === 'string' ? root.baseType : DEFAULT_BASE_TYPE
  return { schema: { ...body, baseType, properties }, findings, lines: propertyLines }
}

// ---------------------------------------------------------------------------
// The top level: baseType, properties, and nothing else.

function checkTopLevel(
  root: JsonObject,
  at: (...path: string[]) => Position | undefined
): Finding[] {
  const findings: Finding[] = []
  // [metadata] the schema type has baseType and properties; OData annotations are metadata.
  // Another key is not documented as refused: a warning.
  const known = ['baseType', 'properties']
  for (const key of unknownKeys(root, known).slice(0, MAX_LIST_FINDINGS)) {
    const message =
      `Unknown top-level key ${quoted(key, ECHO_MAX)}; ${didYouMean(key, known)}`.trimEnd()
    findings.push({ ...warning('unknown-key', message), ...at(key) })
  }
  // [schema] [patch] baseType "Must be set to" that value; absent, it is filled in.
  const baseType = root.baseType
  if (baseType != null && !BASE_TYPES.includes(baseType as string)) {
    const message = `baseType must be '${DEFAULT_BASE_TYPE}' (or be left out), not ${show(baseType, ECHO_MAX)}.`
    findings.push({ ...error('base-type', message), ...at('baseType') })
  }
  // [schema] [patch] "The minimum number of properties is one, the maximum is 128."
  const items = root.properties
  if (!Array.isArray(items)) {
    // Keys are case-sensitive in JSON; say so when the file spells this one otherwise.
    const spelled = Object.keys(root).find(key => key.toLowerCase() === 'properties')
    const other =
      spelled && spelled !== 'properties' ? ` (the file has ${quoted(spelled, ECHO_MAX)})` : ''
    const message = `The schema needs a "properties" array of 1 to ${MAX_PROPERTIES} property objects, found ${describe(items, ECHO_MAX)}${other}.`
    findings.push({ ...error('properties', message), ...at('properties') })
  } else if (items.length === 0 || items.length > MAX_PROPERTIES) {
    const unchecked =
      items.length > MAX_CHECKED_ITEMS ? ` (only the first ${MAX_CHECKED_ITEMS} were checked)` : ''
    const message = `"properties" must hold 1 to ${MAX_PROPERTIES} property objects; it holds ${items.length}${unchecked}.`
    findings.push({ ...error('properties-count', message), ...at('properties') })
  }
  return findings
}

/** A key written twice in one object: JSON.parse keeps the last, another reader may refuse it. */
function repeatedKeys(repeated: RepeatedKey[], lines: LineIndex): Finding[] {
  return repeated.slice(0, MAX_LIST_FINDINGS).map(({ key, offset }) => ({
    ...warning(
      'duplicate-key',
      `Key ${quoted(key, ECHO_MAX)} is written twice in one object; this check reads the last one, and Graph may refuse the file.`
    ),
    ...lines.at(offset)
  }))
}

/** Findings with a place first, by line and column; the file-wide ones after them. */
function inFileOrder(findings: Finding[]): void {
  const key = (f: Finding) => (f.line ?? Infinity) * 1e6 + (f.column ?? 0)
  findings.sort((a, b) => key(a) - key(b))
}

/**
 * Whether this is a people connector, and how that is known. [people] "Copilot connectors that
 * contain people data must set the ... contentCategory property to have the value people", and
 * then the search flags are ignored. Known from contentCategory (a connector file), the flag
 * rules do not apply; only guessed from person* labels, they are warnings, not errors.
 */
type People = 'category' | 'labels' | undefined

function peopleConnector(
  items: unknown[],
  vocabulary: Vocabulary,
  contentCategory: string | undefined
): People {
  if (contentCategory !== undefined) {
    return contentCategory.toLowerCase() === 'people' ? 'category' : undefined
  }
  const labelled = items.slice(0, MAX_CHECKED_ITEMS).some(item => {
    const labels = asObject(item)?.labels
    return (
      Array.isArray(labels) &&
      labels
        .slice(0, MAX_CHECKED_ITEMS)
        .some(label => labelOf(label, vocabulary)?.startsWith('person'))
    )
  })
  return labelled ? 'labels' : undefined
}

// ---------------------------------------------------------------------------
// One property. Each finding points at the key it is about, else at the property.

/** What earlier properties claimed, so a repeat is reported on the property that repeats it. */
interface Seen {
  names: Map<string, string>
  labels: Map<string, string>
  aliases: Map<string, string>
  /** Flags written as the strings "true" or "false", and where the first is: one warning. */
  stringFlags: { count: number; first?: Position }
}

interface Position {
  line: number
  column: number
}

/** Where an item, its keys and their elements are, as lines and columns; undefined when absent. */
interface Where {
  item?: Position
  key(key: string): Position | undefined
  /** The element of a list, else the list's key. */
  element(key: string, index: number): Position | undefined
}

function whereIn(at: (...path: (string | number)[]) => Position | undefined, index: number): Where {
  return {
    item: at('properties', index),
    key: key => at('properties', index, key),
    element: (key, element) => at('properties', index, key, element) ?? at('properties', index, key)
  }
}

interface ItemContext {
  at: Where
  seen: Seen
  vocabulary: Vocabulary
  people: People
}

/** How a rule reports a problem with the property being checked: at a key, else at the property. */
type Report = (severity: Severity, rule: string, message: string, at?: Position) => void

/** A property's findings, and the property as Graph reads it (undefined when it is no object). */
function checkItem(
  item: unknown,
  index: number,
  context: ItemContext
): { findings: Finding[]; property?: SchemaProperty } {
  const findings: Finding[] = []
  const p = asObject(item)
  const named = p && typeof p.name === 'string' && p.name !== ''
  const shown = named ? inert(p.name as string, ECHO_MAX) : `properties[${index}]`
  const ref = named ? `property '${shown}'` : `the property at properties[${index}]`
  const subject = ref[0].toUpperCase() + ref.slice(1)
  const report: Report = (severity, rule, message, at) =>
    findings.push({
      severity,
      rule,
      property: shown,
      ...(at ?? context.at.item),
      message: `${subject}: ${message}`
    })

  if (!p) {
    // [metadata] properties is a collection of property objects.
    report(
      'error',
      'property-object',
      `must be an object like {"name": "title", "type": "string"}, not ${describe(item, ECHO_MAX)}.`
    )
    return { findings }
  }
  const property: Property = { p, ref, context, report }
  checkKeys(property)
  checkName(property)
  const type = checkType(property)
  const flags = checkFlags(property)
  if (context.people !== 'category') checkFlagCombinations(property, type, flags)
  const labels = checkLabels(property, type, flags)
  checkAliases(property)
  checkDescription(property)
  const rankingHint = checkRankingHint(property)
  return { findings, property: normalized(p, type, flags, labels, rankingHint) }
}

/** What every rule on one property reads. */
interface Property {
  p: JsonObject
  ref: string
  context: ItemContext
  report: Report
}

// [metadata] the fields of a property in this API version; OData annotations are metadata. A
// beta-only field on v1.0, or a key Graph does not have, is not documented as refused: warnings.
function checkKeys({ p, context, report }: Property): void {
  const { fields, betaFields, apiVersion, setBeta } = context.vocabulary
  const list = bounded(report, 'keys')
  for (const key of unknownKeys(p, fields)) {
    const at = context.at.key(key)
    if (betaFields.includes(key)) {
      // Null is Graph's "not set": nothing beta-only is sent.
      if (p[key] === null) continue
      list.report(
        'warning',
        'beta-field',
        () =>
          `${key} exists only in Graph's beta API; ${setBeta} to send it, or remove it (${apiVersion} does not have it).`,
        at
      )
    } else {
      const message = () => {
        const hint = didYouMean(key, betaFields)
        return `unknown key ${quoted(key, ECHO_MAX)};${hint && ` ${hint}`} Graph may refuse or ignore it.`
      }
      list.report('warning', 'unknown-key', message, at)
    }
  }
  list.finish()
}

// [metadata] name is required (Nullable="false"). [property] "Maximum 32 characters. Only
// alphanumeric characters allowed. For example, each string may not contain control characters,
// whitespace, or any of the following: …": the listed characters are errors; any other
// character that is not an ASCII letter or digit is a warning, since the docs list examples.
function checkName({ p, ref, context, report }: Property): void {
  const name = p.name
  const at = context.at.key('name')
  if (typeof name !== 'string' || name === '') {
    report(
      'error',
      'name-required',
      `needs a "name": 1 to ${MAX_NAME} letters or digits, like "ticketTitle".`,
      at
    )
    return
  }
  const problem = nameProblem(name)
  if (problem) {
    const rule = `names are 1 to ${MAX_NAME} letters or digits, like "ticketTitle"`
    report('error', 'name-format', `name ${problem}; ${rule}.`, at)
  } else {
    const odd = [...name].find(char => !/[A-Za-z0-9]/.test(char))
    if (odd !== undefined) {
      report(
        'warning',
        'name-characters',
        `name contains ${quoted(odd, ECHO_MAX)}; the docs allow only alphanumeric characters, so Graph may refuse it.`,
        at
      )
    }
  }
  // Names that differ only in case are one property to a case-insensitive query; the docs do not
  // say Graph refuses them, so a repeat is a warning.
  const first = context.seen.names.get(name.toLowerCase())
  if (first) {
    report(
      'warning',
      'name-unique',
      `name repeats ${first}; names should be unique, ignoring case.`,
      at
    )
  } else context.seen.names.set(name.toLowerCase(), ref)
}

/** What breaks [property]'s rule for names and aliases, or undefined. */
function nameProblem(text: string): string | undefined {
  const chars = [...text]
  if (chars.length === 0 || chars.length > MAX_NAME) return `has ${chars.length} characters`
  const bad = chars.find(char => /\s/.test(char) || CONTROL.test(char) || FORBIDDEN.includes(char))
  return bad === undefined ? undefined : `contains ${quoted(bad, ECHO_MAX)}`
}

// [metadata] type is required and one of propertyType, matched ignoring case as Graph's enums
// are on input ("String" in the [patch] example). A type only beta has is a warning on v1.0.
function checkType({ p, context, report }: Property): string | undefined {
  const at = context.at.key('type')
  const { types, apiVersion, setBeta } = context.vocabulary
  const known = typeof p.type === 'string' ? types.get(p.type.toLowerCase()) : undefined
  if (known && !known.inVersion) {
    report(
      'warning',
      'beta-value',
      `type '${known.value}' exists only in Graph's beta API; ${setBeta} (${apiVersion} does not have it).`,
      at
    )
  }
  if (known) return known.value
  const names = [...types.values()].map(entry => entry.value)
  const near = typeof p.type === 'string' ? didYouMean(p.type, names) : ''
  const hint = near && ` ${near}`
  const found = p.type === undefined ? 'has no "type"' : `type is ${show(p.type, ECHO_MAX)}`
  report('error', 'type', `${found};${hint} use one of ${names.join(', ')}.`, at)
  return undefined
}

/** The flags as the booleans they mean; a flag absent or not readable is absent. */
type Flags = Partial<Record<PropertyFlag, boolean>>

// [metadata] the flags are Edm.Boolean. The [patch] example writes "true" in quotes, and Graph
// accepts it: "true" and "false" (any case) are read as the booleans they mean, with one warning
// for the file. Any other value is no boolean: an error.
function checkFlags({ p, context, report }: Property): Flags {
  const flags: Flags = {}
  for (const flag of PROPERTY_FLAGS) {
    const value = p[flag]
    if (value == null) continue
    if (typeof value === 'boolean') {
      flags[flag] = value
      continue
    }
    const at = context.at.key(flag)
    const word = typeof value === 'string' ? value.toLowerCase() : undefined
    if (word === 'true' || word === 'false') {
      flags[flag] = word === 'true'
      const stringFlags = context.seen.stringFlags
      stringFlags.count++
      stringFlags.first ??= at
      continue
    }
    report(
      'error',
      'flag-type',
      `${flag} must be true or false, not ${describe(value, ECHO_MAX)}.`,
      at
    )
  }
  return flags
}

function stringFlagWarning({ count, first }: Seen['stringFlags']): Finding[] {
  if (count === 0) return []
  const flags = count === 1 ? 'One flag is' : `${count} flags are`
  return [
    {
      severity: 'warning',
      rule: 'flag-string',
      ...first,
      message:
        `${flags} written as a string ("true" or "false"); Graph reads it as the boolean, and so does ` +
        'this check. Write JSON booleans (true, false) without quotes.'
    }
  ]
}

// The flag rules of content connectors; [people] says the flags are ignored for people connectors.
function checkFlagCombinations(
  { context, report: reportAny }: Property,
  type: string | undefined,
  flags: Flags
): void {
  const at = (flag: PropertyFlag) => context.at.key(flag)
  // [people] ignores isQueryable, isRefinable, isRetrievable and isSearchable: when person* labels
  // suggest a people connector, a rule on those flags is a warning that says why.
  const report: Report = (severity, rule, message, where) =>
    context.people === 'labels'
      ? reportAny('warning', rule, `${message} ${IGNORED_FOR_PEOPLE}`, where)
      : reportAny(severity, rule, message, where)
  const textual = type === 'string' || type === 'stringCollection'
  const principal = type === 'principal' || type === 'principalCollection'
  // [property] "Only properties of type String or StringCollection can be searchable." The
  // sentence predates the principal types, and Microsoft's Salesforce connector marks a principal
  // searchable: for those, a warning.
  if (flags.isSearchable && type && !textual) {
    report(
      principal ? 'warning' : 'error',
      'searchable-type',
      `only string and stringCollection properties can be searchable; this one is ${type}.`,
      at('isSearchable')
    )
  }
  // [refiner] Graph refuses a refinable Boolean: "RefinerShouldNotBeOfType: Refiner property '…'
  // cannot be of type 'Boolean'".
  if (flags.isRefinable && type === 'boolean') {
    report(
      'error',
      'refinable-boolean',
      'a boolean property cannot be refinable (Graph answers RefinerShouldNotBeOfType); set "isRefinable": false or use a string.',
      at('isRefinable')
    )
  }
  // Searchable and refinable together: the docs do not say Graph refuses it.
  if (flags.isSearchable && flags.isRefinable) {
    report(
      'warning',
      'searchable-refinable',
      'is both searchable and refinable; a refiner is usually not searchable, so Graph may refuse it.',
      at('isRefinable')
    )
  }
  if (context.vocabulary.apiVersion !== 'beta') return
  // [property] (beta) "Exact matching can only be set to true for non-searchable properties of
  // type string or stringCollection."
  if (flags.isExactMatchRequired && type && !textual) {
    reportAny(
      'error',
      'exact-match-type',
      `isExactMatchRequired needs a string or stringCollection property; this one is ${type}.`,
      at('isExactMatchRequired')
    )
  }
  if (flags.isExactMatchRequired && flags.isSearchable) {
    report(
      'error',
      'exact-match-searchable',
      'isExactMatchRequired can only be true on a property that is not searchable; set one of them to false.',
      at('isExactMatchRequired')
    )
  }
}

// [metadata] labels come from the label enum. [guide] "All properties that you map to labels must
// be retrievable" (content connectors; [people] ignores the flag). A label on two properties, and
// a type other than the one the docs give the label, are not documented as refused: warnings.
function checkLabels(
  { p, ref, context, report }: Property,
  type: string | undefined,
  flags: Flags
): string[] | undefined {
  if (p.labels == null) return undefined
  if (!Array.isArray(p.labels) || !p.labels.every(label => typeof label === 'string')) {
    report(
      'error',
      'labels-format',
      `labels must be an array of label names, like ["title"]; found ${describe(p.labels, ECHO_MAX)}.`,
      context.at.key('labels')
    )
    return undefined
  }
  const { vocabulary, seen } = context
  const own = new Set<string>()
  const spelled: string[] = []
  const list = bounded(report, 'labels')
  ;(p.labels as string[]).forEach((raw, index) => {
    const at = context.at.element('labels', index)
    const known = vocabulary.labels.get(raw.toLowerCase())
    if (!known) {
      const message = () => {
        const hint = didYouMean(
          raw,
          [...vocabulary.labels.values()].map(entry => entry.value)
        )
        return `label ${quoted(raw, ECHO_MAX)} is not a Graph label${hint ? `; ${hint}` : '.'}`
      }
      list.report('error', 'label-unknown', message, at)
      return
    }
    const label = known.value
    spelled.push(label)
    if (!known.inVersion) {
      list.report(
        'warning',
        'beta-value',
        () =>
          `label '${label}' exists only in Graph's beta API; ${vocabulary.setBeta} (${vocabulary.apiVersion} does not have it).`,
        at
      )
    }
    // [people] these labels and the principal types are "not yet supported" for people data.
    if (context.people && PEOPLE_UNSUPPORTED.has(label)) {
      list.report(
        'warning',
        'people-unsupported',
        () => `label '${label}' is not yet supported for people data, the docs say.`,
        at
      )
    }
    const first = own.has(label) ? 'this property' : seen.labels.get(label)
    if (first) {
      list.report(
        'warning',
        'label-unique',
        () => `label '${label}' is already on ${first}; a label should go on one property.`,
        at
      )
    } else seen.labels.set(label, ref)
    own.add(label)
    const wanted = LABEL_TYPES[label]
    if (wanted && type && !wanted.includes(type)) {
      list.report(
        'warning',
        'label-type',
        () =>
          `label '${label}' is documented on a ${wanted.join(' or ')} property; this one is ${type}.`,
        at
      )
    }
  })
  list.finish()
  // [guide] "All properties that you map to labels must be retrievable", yet the guide's own
  // example schema labels url and createdBy without it, and its Postman tutorial sends a labelled
  // property with "isRetrievable": "false" and shows 202 Accepted: a warning.
  if (own.size > 0 && !context.people && flags.isRetrievable !== true) {
    report(
      'warning',
      'label-retrievable',
      `has label '${[...own][0]}' but is not retrievable; the docs say labelled properties must be, so set "isRetrievable": true.`,
      context.at.key('isRetrievable') ?? context.at.key('labels')
    )
  }
  return spelled
}

// [property] aliases: at most 32 characters, none of the listed characters (errors). Other
// characters that are not letters or digits, and repeats, are not documented as refused: warnings.
function checkAliases({ p, ref, context, report }: Property): void {
  if (p.aliases == null) return
  if (!Array.isArray(p.aliases)) {
    report(
      'error',
      'alias-format',
      `aliases must be an array of strings, like ["creator"]; found ${describe(p.aliases, ECHO_MAX)}.`,
      context.at.key('aliases')
    )
    return
  }
  const list = bounded(report, 'aliases')
  ;(p.aliases as unknown[]).forEach((alias, index) => {
    const at = context.at.element('aliases', index)
    if (typeof alias !== 'string') {
      list.report(
        'error',
        'alias-format',
        () => `aliases must be strings, like ["creator"]; found ${describe(alias, ECHO_MAX)}.`,
        at
      )
      return
    }
    const problem = nameProblem(alias)
    if (problem) {
      const rule = `aliases are 1 to ${MAX_NAME} characters without white space, control characters or ${FORBIDDEN}`
      list.report(
        'error',
        'alias-format',
        () => `alias ${quoted(alias, ECHO_MAX)} ${problem}; ${rule}.`,
        at
      )
      return
    }
    const odd = [...alias].find(char => !/[\p{L}\p{N}]/u.test(char))
    if (odd !== undefined) {
      list.report(
        'warning',
        'alias-characters',
        () =>
          `alias ${quoted(alias, ECHO_MAX)} contains ${quoted(odd, ECHO_MAX)}; the docs allow only alphanumeric characters, so Graph may refuse it.`,
        at
      )
    }
    const first = context.seen.aliases.get(alias.toLowerCase())
    if (first) {
      list.report(
        'warning',
        'alias-unique',
        () =>
          `alias ${quoted(alias, ECHO_MAX)} is already used by ${first}; aliases should be unique, ignoring case.`,
        at
      )
    } else context.seen.aliases.set(alias.toLowerCase(), ref)
  })
  list.finish()
}

// [metadata] description is a string; [property] "The maximum supported length is 200 characters."
function checkDescription({ p, context, report }: Property): void {
  const description = p.description
  if (description == null) return
  if (typeof description !== 'string' || description.length > MAX_DESCRIPTION) {
    const found =
      typeof description === 'string'
        ? `${description.length} characters`
        : describe(description, ECHO_MAX)
    report(
      'error',
      'description',
      `description must be a string of at most ${MAX_DESCRIPTION} characters; found ${found}.`,
      context.at.key('description')
    )
  }
}

// [metadata] (beta) rankingHint is {"importanceScore": one of importanceScore}. On v1.0 the field
// itself is a beta-field warning, and its value is not judged.
function checkRankingHint({ p, context, report }: Property): string | undefined {
  if (p.rankingHint == null) return undefined
  const { importance, apiVersion } = context.vocabulary
  const score = asObject(p.rankingHint)?.importanceScore
  const known = typeof score === 'string' ? importance.get(score.toLowerCase()) : undefined
  if (known || apiVersion !== 'beta') return known?.value
  const values = [...importance.values()].map(entry => entry.value)
  report(
    'error',
    'ranking-hint',
    `rankingHint must look like {"importanceScore": "high"}, with ${values.join(', ')}.`,
    context.at.key('rankingHint')
  )
  return undefined
}

/** The property as Graph reads it: flags as booleans, enums in Graph's spelling. */
function normalized(
  p: JsonObject,
  type: string | undefined,
  flags: Flags,
  labels: string[] | undefined,
  rankingHint: string | undefined
): SchemaProperty {
  const property: JsonObject = { ...p, ...flags }
  if (type) property.type = type
  if (labels) property.labels = labels
  if (rankingHint)
    property.rankingHint = { ...asObject(p.rankingHint), importanceScore: rankingHint }
  return property as SchemaProperty
}

/** Reports a finding about one element of a list; the message is built only when it is kept. */
type ListReport = (severity: Severity, rule: string, message: () => string, at?: Position) => void

/**
 * A reporter for the findings about one list's elements that keeps the first MAX_LIST_FINDINGS,
 * then, at `finish`, sums up the rest in one finding as severe as the worst of them: a list of a
 * million bad labels is work and output in proportion to nothing but the bound.
 */
function bounded(report: Report, list: string): { report: ListReport; finish(): void } {
  let kept = 0
  const rest = { count: 0, error: false, at: undefined as Position | undefined }
  return {
    report(severity, rule, message, at) {
      if (kept < MAX_LIST_FINDINGS) {
        kept++
        report(severity, rule, message(), at)
        return
      }
      rest.count++
      rest.error ||= severity === 'error'
      rest.at ??= at
    },
    finish() {
      if (rest.count === 0) return
      const [count, be] = rest.count === 1 ? ['1 more', 'has'] : [`${rest.count} more`, 'have']
      report(
        rest.error ? 'error' : 'warning',
        `${list}-more`,
        `${count} of its ${list} ${be} problems like these; only the first ${MAX_LIST_FINDINGS} are listed.`,
        rest.at
      )
    }
  }
}

// ---------------------------------------------------------------------------
// Readiness: what Copilot needs beyond what Graph accepts. Warnings, or errors when asked for.

// [doctor] Content connectors: the title, url and iconUrl labels, and a searchable property.
// One finding per missing label, so each names exactly what to add.
function checkCopilot(properties: SchemaProperty[], severity: Severity): Finding[] {
  const labels = new Set(properties.flatMap(p => (Array.isArray(p.labels) ? p.labels : [])))
  const findings: Finding[] = COPILOT_LABELS.filter(label => !labels.has(label)).map(label => ({
    severity,
    rule: 'copilot-labels',
    message: `Copilot readiness: no property has the '${label}' label; add it to the retrievable string property that holds the item's ${label}.`
  }))
  if (!properties.some(p => p.isSearchable === true)) {
    findings.push({
      severity,
      rule: 'copilot-searchable',
      message:
        'Copilot readiness: no property is searchable; set "isSearchable": true on a string property such as the title.'
    })
  }
  return findings
}

// [people] People connectors: one property with the personAccount label, which maps an item to
// a person.
function checkPeople(properties: SchemaProperty[], severity: Severity): Finding[] {
  const labelled = properties.some(
    p => Array.isArray(p.labels) && p.labels.includes(PEOPLE_ACCOUNT_LABEL)
  )
  if (labelled) return []
  return [
    {
      severity,
      rule: 'people-account',
      message: `People connector readiness: no property has the '${PEOPLE_ACCOUNT_LABEL}' label; add it to the string property that names the person's Microsoft Entra account.`
    }
  ]
}

// ---------------------------------------------------------------------------
// JSON text that is no schema: where it stops being JSON, or nests too deep.

function jsonProblem({
  kind,
  line,
  column,
  reason
}: Exclude<ParsedJson, { kind: 'json' }>): Finding {
  const message =
    kind === 'utf16'
      ? 'The schema file is not UTF-8 text (it looks like UTF-16); save it as UTF-8.'
      : kind === 'invalid'
        ? `The schema file is not valid JSON: ${inert(reason, 100)} (line ${line}, column ${column}).`
        : `The schema file nests JSON deeper than a schema does (line ${line}, column ${column}); a schema is a few levels deep.`
  return { ...error(kind === 'tooDeep' ? 'json-depth' : 'json', message), line, column }
}

// ---------------------------------------------------------------------------
// Small helpers.

/** The words of a list written in this file. */
function words(text: string): string[] {
  return text.trim().split(/\s+/)
}

function error(rule: string, message: string): Finding {
  return { severity: 'error', rule, message }
}

function warning(rule: string, message: string): Finding {
  return { severity: 'warning', rule, message }
}

function unknownKeys(object: JsonObject, known: readonly string[]): string[] {
  return Object.keys(object).filter(key => !known.includes(key) && !key.startsWith('@odata.'))
}

/** A label's name in Graph's spelling, matched ignoring case; undefined when unknown. */
function labelOf(label: unknown, vocabulary: Vocabulary): string | undefined {
  return typeof label === 'string' ? vocabulary.labels.get(label.toLowerCase())?.value : undefined
}
