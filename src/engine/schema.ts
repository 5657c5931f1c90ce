// Checks a Microsoft Graph connector schema file (the body of
// PATCH /external/connections/{id}/schema) before anything is sent, and
// reports every problem at once, each with the line it is on. Pure: no I/O.
//
// Sources, named in each rule's comment:
//   [schema]   "schema resource type" (externalconnectors-schema, v1.0 and beta)
//   [patch]    "Create or update schema" (externalconnectors-externalconnection-patch-schema)
//   [property] "property resource type" (externalconnectors-property, v1.0 and beta)
//   [ranking]  "rankingHint resource type" (externalconnectors-rankinghint, beta)
//   [guide]    "Register and update schema for the Microsoft Graph connection"
//              (connecting-external-content-manage-schema)
//   [doctor]   PnP CLI for Microsoft 365, "external connection doctor"
//   [kql]      "Keyword Query Language (KQL) syntax reference"
// The vocabulary is the union of v1.0 and beta: Graph has the final word, and
// a local check must never refuse a schema that Graph documents as valid.
import { asObject, type JsonObject } from './json.js'
import { inert } from './text.js'

export type Severity = 'error' | 'warning'

export interface Finding {
  severity: Severity
  /** Stable id, e.g. 'name-format'. */
  rule: string
  /** The property's name, or `properties[3]` when it has no usable name. */
  property?: string
  /** 1-based line: of the parse error, or where the property's object starts. */
  line?: number
  /** 1-based, for parse errors. */
  column?: number
  /** One line; user text in it is quoted, shortened and free of control characters. */
  message: string
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
  /** The body to PATCH (the file's JSON, with baseType filled in when absent); undefined when any error was found. */
  schema?: Schema
  /** Every finding, errors and warnings, in file order. */
  findings: Finding[]
}

export const DEFAULT_BASE_TYPE = 'microsoft.graph.externalItem'

// [schema] v1.0 spells it externalConnector.externalItem; beta and [patch] say externalItem.
export const BASE_TYPES: readonly string[] = [
  DEFAULT_BASE_TYPE,
  'microsoft.graph.externalConnector.externalItem'
]
const TOP_KEYS = ['baseType', 'properties']
/** [property] A property's true/false flags. */
export const PROPERTY_FLAGS = [
  'isSearchable',
  'isRetrievable',
  'isQueryable',
  'isRefinable',
  'isExactMatchRequired'
] as const
export type PropertyFlag = (typeof PROPERTY_FLAGS)[number]
// [property] v1.0 and beta (beta adds isExactMatchRequired, rankingHint, description).
const PROPERTY_KEYS = [
  'name',
  'type',
  ...PROPERTY_FLAGS,
  'labels',
  'aliases',
  'rankingHint',
  'description'
]
// [property] propertyType; `principal` is beta only. unknownFutureValue is a sentinel, not a type.
const TYPES = words(`string int64 double dateTime boolean stringCollection int64Collection
  doubleCollection dateTimeCollection principal`)
// [property] label, with the type its property must have ([guide]: "the properties and their
// assigned labels must have the same datatype"; the types follow the labels' descriptions).
const LABEL_TYPES: Record<string, string> = {
  title: 'string',
  url: 'string',
  createdBy: 'string',
  lastModifiedBy: 'string',
  authors: 'stringCollection',
  createdDateTime: 'dateTime',
  lastModifiedDateTime: 'dateTime',
  fileName: 'string',
  fileExtension: 'string',
  iconUrl: 'string',
  containerName: 'string',
  containerUrl: 'string'
}
// [property] beta-only labels; the docs give no type for them, so none is checked.
const BETA_LABELS =
  words(`assignedTo dueDate closedDate closedBy reportedBy sprintName severity state
  priority secondaryId itemParentId parentUrl tags itemType itemPath numReactions`)
const LABELS = [...Object.keys(LABEL_TYPES), ...BETA_LABELS]
// [ranking] importanceScore.
const IMPORTANCE = ['low', 'medium', 'high', 'veryHigh']
// [doctor] copilotRequiredSemanticLabels.
const COPILOT_LABELS = ['title', 'url', 'iconUrl']
// [property] names and aliases: at most 32 characters, no control characters, no white space and
// none of these. `/` and `|` appear in other versions of the same list, so they are refused too.
const FORBIDDEN = ':;,()[]{}%$+!*=&?@#\\~\'"<>`^/|'
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const MAX_PROPERTIES = 128
const MAX_NAME = 32
const MAX_DESCRIPTION = 200

/** Checks the text of a schema file; see SchemaCheck. */
export function checkSchema(
  text: string,
  options: { requireCopilotReady?: boolean } = {}
): SchemaCheck {
  // Editors on Windows may save a byte order mark; it is not part of the JSON.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text
  const parsed = parseJson(json)
  if ('finding' in parsed) return { findings: [parsed.finding] }
  const root = asObject(parsed.value)
  if (!root) {
    const found = describe(parsed.value)
    return { findings: [error('json', `The schema file must hold one JSON object, not ${found}.`)] }
  }

  const findings = checkTopLevel(root)
  const items = root.properties
  if (Array.isArray(items)) {
    const lines = itemLines(json)
    const seen: Seen = { names: new Map(), labels: new Map(), aliases: new Map() }
    items.forEach((item, index) => findings.push(...checkItem(item, index, lines[index], seen)))
    findings.push(...checkCopilot(items, options.requireCopilotReady === true))
  }

  if (findings.some(finding => finding.severity === 'error')) return { findings }
  // What Graph reads: the file's JSON without its OData annotations, baseType filled in.
  const body = Object.fromEntries(
    Object.entries(root).filter(([key]) => !key.startsWith('@odata.'))
  )
  const baseType = typeof root.baseType === 'string' ? root.baseType : DEFAULT_BASE_TYPE
  return { schema: { ...body, baseType } as unknown as Schema, findings }
}

// ---------------------------------------------------------------------------
// The top level: baseType, properties, and nothing else.

function checkTopLevel(root: JsonObject): Finding[] {
  const findings: Finding[] = []
  // [schema] the top level has baseType and properties; OData annotations are metadata.
  for (const key of unknownKeys(root, TOP_KEYS)) {
    const hint = `did you mean '${nearest(key, TOP_KEYS)}'?`
    findings.push(error('unknown-key', `Unknown top-level key ${quote(key)}; ${hint}`))
  }
  // [schema] [patch] baseType is that one value; absent, it is filled in.
  const baseType = root.baseType
  if (baseType != null && !BASE_TYPES.includes(baseType as string)) {
    const message = `baseType must be '${DEFAULT_BASE_TYPE}' (or be left out), not ${show(baseType)}.`
    findings.push(error('base-type', message))
  }
  // [schema] [patch] properties holds 1 to 128 property objects.
  const items = root.properties
  if (!Array.isArray(items)) {
    const message = `The schema needs a "properties" array of 1 to ${MAX_PROPERTIES} property objects, found ${describe(items)}.`
    findings.push(error('properties', message))
  } else if (items.length === 0 || items.length > MAX_PROPERTIES) {
    const message = `"properties" must hold 1 to ${MAX_PROPERTIES} property objects; it holds ${items.length}.`
    findings.push(error('properties-count', message))
  }
  return findings
}

// ---------------------------------------------------------------------------
// One property. Its findings all carry its name and the line its object starts on.

/** What earlier properties claimed, so a repeat is reported on the property that repeats it. */
interface Seen {
  names: Map<string, string>
  labels: Map<string, string>
  aliases: Map<string, string>
}

/** How a rule reports a problem with the property being checked. */
type Report = (rule: string, message: string) => void

function checkItem(item: unknown, index: number, line: number | undefined, seen: Seen): Finding[] {
  const findings: Finding[] = []
  const p = asObject(item)
  const named = p && typeof p.name === 'string' && p.name !== ''
  const property = named ? clean(p.name as string) : `properties[${index}]`
  const ref = named ? `property '${property}'` : `the property at properties[${index}]`
  const subject = ref[0].toUpperCase() + ref.slice(1)
  const report: Report = (rule, message) =>
    findings.push({ severity: 'error', rule, property, line, message: `${subject}: ${message}` })

  if (!p) {
    report(
      'property-object',
      `must be an object like {"name": "title", "type": "string"}, not ${describe(item)}.`
    )
    return findings
  }
  checkKeys(p, report)
  checkName(p, ref, seen, report)
  const type = checkType(p, report)
  checkFlags(p, report)
  checkFlagCombinations(p, type, report)
  checkLabels(p, type, ref, seen, report)
  checkAliases(p, ref, seen, report)
  checkDescription(p, report)
  checkRankingHint(p, report)
  return findings
}

// [property] the keys of the property resource (v1.0 and beta); OData annotations are metadata.
function checkKeys(p: JsonObject, report: Report): void {
  for (const key of unknownKeys(p, PROPERTY_KEYS)) {
    report(
      'unknown-key',
      `unknown key ${quote(key)}; did you mean '${nearest(key, PROPERTY_KEYS)}'?`
    )
  }
}

// [property] name: required, at most 32 characters, only alphanumeric characters.
// Unique ignoring case: [kql] queries are case-insensitive, so 'Title' and 'title' would be
// one property to a query; refusing the pair locally is cheaper than finding out at search time.
function checkName(p: JsonObject, ref: string, seen: Seen, report: Report): void {
  const name = p.name
  if (typeof name !== 'string' || name === '') {
    report(
      'name-required',
      `needs a "name": 1 to ${MAX_NAME} ASCII letters or digits, like "ticketTitle".`
    )
    return
  }
  const bad = [...name].find(char => !/[A-Za-z0-9]/.test(char))
  if (name.length > MAX_NAME || bad !== undefined) {
    const why = bad === undefined ? `it has ${name.length} characters` : `it contains ${quote(bad)}`
    report(
      'name-format',
      `name must be 1 to ${MAX_NAME} ASCII letters or digits, like "ticketTitle"; ${why}.`
    )
  }
  const first = seen.names.get(name.toLowerCase())
  if (first) report('name-unique', `name repeats ${first}; names must be unique, ignoring case.`)
  else seen.names.set(name.toLowerCase(), ref)
}

// [property] type: one of propertyType, matched ignoring case as Graph's enums are on input.
function checkType(p: JsonObject, report: Report): string | undefined {
  const type = canonical(TYPES, p.type)
  if (type) return type
  const hint = typeof p.type === 'string' ? ` did you mean '${nearest(p.type, TYPES)}'?` : ''
  const found = p.type === undefined ? 'has no "type"' : `type is ${show(p.type)}`
  report('type', `${found};${hint} use one of ${TYPES.join(', ')}.`)
  return undefined
}

// [property] the is* attributes are Boolean. The [patch] example writes "true" in quotes; that is
// a string, and the check says so rather than guess what Graph makes of it.
function checkFlags(p: JsonObject, report: Report): void {
  for (const flag of PROPERTY_FLAGS) {
    const value = p[flag]
    if (value == null || typeof value === 'boolean') continue
    const quoted = value === 'true' || value === 'false' ? ' (remove the quotes)' : ''
    report('flag-type', `${flag} must be true or false, not ${describe(value)}${quoted}.`)
  }
}

function checkFlagCombinations(p: JsonObject, type: string | undefined, report: Report): void {
  const textual = type === 'string' || type === 'stringCollection'
  // [property] only string and stringCollection properties can be searchable.
  if (p.isSearchable === true && type && !textual) {
    report(
      'searchable-type',
      `only string and stringCollection properties can be searchable; this one is ${type}.`
    )
  }
  // [guide] refinable and searchable are mutually exclusive.
  if (p.isSearchable === true && p.isRefinable === true) {
    report(
      'searchable-refinable',
      'cannot be both searchable and refinable; set one of isSearchable and isRefinable to false.'
    )
  }
  // [property] (beta) exact matching only on string or stringCollection properties...
  if (p.isExactMatchRequired === true && type && !textual) {
    report(
      'exact-match-type',
      `isExactMatchRequired needs a string or stringCollection property; this one is ${type}.`
    )
  }
  // [property] (beta) [guide] ...that are not searchable.
  if (p.isExactMatchRequired === true && p.isSearchable === true) {
    report(
      'exact-match-searchable',
      'isExactMatchRequired can only be true on a property that is not searchable; set one of them to false.'
    )
  }
}

// [property] labels come from the label enum. [guide] each label maps to exactly one property,
// labelled properties must be retrievable, and a property has its label's datatype.
function checkLabels(
  p: JsonObject,
  type: string | undefined,
  ref: string,
  seen: Seen,
  report: Report
): void {
  if (p.labels == null) return
  if (!Array.isArray(p.labels) || !p.labels.every(label => typeof label === 'string')) {
    report(
      'labels-format',
      `labels must be an array of label names, like ["title"]; found ${describe(p.labels)}.`
    )
    return
  }
  const own = new Set<string>()
  for (const raw of p.labels as string[]) {
    const label = canonical(LABELS, raw)
    if (!label) {
      const known = Object.keys(LABEL_TYPES).join(', ')
      report(
        'label-unknown',
        `label ${quote(raw)} is not a Graph label; did you mean '${nearest(raw, LABELS)}'? Labels include ${known}.`
      )
      continue
    }
    const first = own.has(label) ? 'this property' : seen.labels.get(label)
    if (first)
      report(
        'label-unique',
        `label '${label}' is already on ${first}; each label goes on exactly one property.`
      )
    else seen.labels.set(label, ref)
    own.add(label)
    const wanted = LABEL_TYPES[label]
    if (wanted && type && type !== wanted) {
      report('label-type', `label '${label}' needs a ${wanted} property; this one is ${type}.`)
    }
  }
  if (own.size > 0 && p.isRetrievable !== true) {
    report(
      'label-retrievable',
      `has label '${[...own][0]}', so it must be retrievable; set "isRetrievable": true.`
    )
  }
}

// [property] aliases: strings of at most 32 characters with none of the forbidden characters.
// Unique across the schema ignoring case, for the same reason as names ([kql]).
function checkAliases(p: JsonObject, ref: string, seen: Seen, report: Report): void {
  if (p.aliases == null) return
  if (!Array.isArray(p.aliases)) {
    report(
      'alias-format',
      `aliases must be an array of strings, like ["creator"]; found ${describe(p.aliases)}.`
    )
    return
  }
  for (const alias of p.aliases as unknown[]) {
    if (typeof alias !== 'string') {
      report('alias-format', `aliases must be strings, like ["creator"]; found ${describe(alias)}.`)
      continue
    }
    const problem = aliasProblem(alias)
    if (problem) {
      const rule = `aliases are 1 to ${MAX_NAME} characters without white space, control characters or ${FORBIDDEN}`
      report('alias-format', `alias ${quote(alias)} ${problem}; ${rule}.`)
      continue
    }
    const first = seen.aliases.get(alias.toLowerCase())
    if (first)
      report(
        'alias-unique',
        `alias ${quote(alias)} is already used by ${first}; aliases must be unique, ignoring case.`
      )
    else seen.aliases.set(alias.toLowerCase(), ref)
  }
}

function aliasProblem(alias: string): string | undefined {
  const chars = [...alias]
  if (chars.length === 0 || chars.length > MAX_NAME) return `has ${chars.length} characters`
  const bad = chars.find(char => /\s/.test(char) || CONTROL.test(char) || FORBIDDEN.includes(char))
  return bad === undefined ? undefined : `contains ${quote(bad)}`
}

// [property] (beta) description: a string of at most 200 characters.
function checkDescription(p: JsonObject, report: Report): void {
  const description = p.description
  if (description == null) return
  if (typeof description !== 'string' || description.length > MAX_DESCRIPTION) {
    const found =
      typeof description === 'string' ? `${description.length} characters` : describe(description)
    report(
      'description',
      `description must be a string of at most ${MAX_DESCRIPTION} characters; found ${found}.`
    )
  }
}

// [ranking] rankingHint is {"importanceScore": low | medium | high | veryHigh}.
function checkRankingHint(p: JsonObject, report: Report): void {
  if (p.rankingHint == null) return
  if (!canonical(IMPORTANCE, asObject(p.rankingHint)?.importanceScore)) {
    report(
      'ranking-hint',
      `rankingHint must look like {"importanceScore": "high"}, with ${IMPORTANCE.join(', ')}.`
    )
  }
}

// ---------------------------------------------------------------------------
// [doctor] Copilot readiness: the title, url and iconUrl labels, and a searchable property.
// One finding per missing label, so each names exactly what to add.

function checkCopilot(items: unknown[], required: boolean): Finding[] {
  const severity: Severity = required ? 'error' : 'warning'
  const properties = items.map(asObject).filter(p => p !== undefined)
  const labels = new Set(
    properties
      .flatMap(p => (Array.isArray(p.labels) ? p.labels : []))
      .map(l => canonical(LABELS, l))
  )
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

// ---------------------------------------------------------------------------
// JSON text: parse errors with line and column, and the line each property starts on.

/** The text's value, or the finding that says where it stops being JSON. */
function parseJson(text: string): { value: unknown } | { finding: Finding } {
  try {
    return { value: JSON.parse(text) as unknown }
  } catch (caught) {
    const message = caught instanceof Error ? caught.message : String(caught)
    const { line, column } = locateParseError(message, text)
    // V8 echoes the text, or a part of it, in some messages ('"…" is not valid JSON',
    // '..."…"... is not valid JSON'); keep only the reason.
    const reason = message
      .replace(/, .*"(?:\.\.\.)? is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '')
    return {
      finding: {
        ...error(
          'json',
          `The schema file is not valid JSON: ${clean(reason, 100)} (line ${line}, column ${column}).`
        ),
        line,
        column
      }
    }
  }
}

/**
 * Where JSON.parse stopped. Node 22+ say "(line L column C)", Node 20 says "at position N";
 * some messages say neither ("Unexpected token '}', ..."), and then the text is read again.
 */
function locateParseError(message: string, text: string): { line: number; column: number } {
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message)
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) }
  const position = /at position (\d+)/.exec(message)
  const offset = position ? Number(position[1]) : (new JsonOffsets(text).stop() ?? text.length)
  return lineAndColumn(text, offset)
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') }
}

/** The line on which each item of the top-level "properties" array starts (valid JSON only). */
function itemLines(text: string): number[] {
  const reader = new JsonOffsets(text)
  return reader.stop() === undefined
    ? reader.items.map(offset => lineAndColumn(text, offset).line)
    : []
}

const SPACE = /[ \t\n\r]*/y
const STRING = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y // eslint-disable-line no-control-regex
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const LITERAL = /true|false|null/y

/** Where the text stops being JSON; JsonOffsets.stop() catches it, so it needs no message. */
class JsonStop extends Error {
  constructor(readonly offset: number) {
    super()
  }
}

/**
 * A small JSON reader that knows offsets and nothing else (JSON.parse stays the judge of
 * values): where each top-level "properties" item starts, and where the text stops being JSON.
 */
class JsonOffsets {
  items: number[] = []
  private at = 0

  constructor(private readonly text: string) {}

  /** The offset where the text stops being JSON; undefined when it is JSON. */
  stop(): number | undefined {
    try {
      this.value('root')
      this.skip(SPACE)
      if (this.at < this.text.length) return this.at
      return undefined
    } catch (caught) {
      if (caught instanceof JsonStop) return caught.offset
      return this.text.length // nested too deeply to follow: point at the end
    }
  }

  private value(role: 'root' | 'items' | 'other'): void {
    this.skip(SPACE)
    const char = this.text[this.at]
    if (char === '{') this.object(role === 'root')
    else if (char === '[') this.array(role === 'items')
    else if (!this.skip(STRING) && !this.skip(NUMBER) && !this.skip(LITERAL))
      throw new JsonStop(this.at)
  }

  private object(root: boolean): void {
    this.at++
    if (this.next('}')) return
    do {
      this.skip(SPACE)
      const start = this.at
      if (!this.skip(STRING)) throw new JsonStop(this.at)
      const key = JSON.parse(this.text.slice(start, this.at)) as string
      this.expect(':')
      const isItems = root && key === 'properties'
      if (isItems) this.items = [] // a repeated key wins, as it does in JSON.parse
      this.value(isItems ? 'items' : 'other')
    } while (this.next(','))
    this.expect('}')
  }

  private array(collect: boolean): void {
    this.at++
    if (this.next(']')) return
    do {
      this.skip(SPACE)
      if (collect) this.items.push(this.at)
      this.value('other')
    } while (this.next(','))
    this.expect(']')
  }

  private skip(pattern: RegExp): boolean {
    pattern.lastIndex = this.at
    if (!pattern.test(this.text)) return false
    this.at = pattern.lastIndex
    return true
  }

  private next(char: string): boolean {
    this.skip(SPACE)
    if (this.text[this.at] !== char) return false
    this.at++
    return true
  }

  private expect(char: string): void {
    if (!this.next(char)) throw new JsonStop(this.at)
  }
}

// ---------------------------------------------------------------------------
// Small helpers.

/** The words of a list written in this file (no white space at either end). */
function words(text: string): string[] {
  return text.split(/\s+/)
}

function error(rule: string, message: string): Finding {
  return { severity: 'error', rule, message }
}

function unknownKeys(object: JsonObject, known: string[]): string[] {
  return Object.keys(object).filter(key => !known.includes(key) && !key.startsWith('@odata.'))
}

/** The canonical spelling of an enum value, matched ignoring case; undefined when unknown. */
function canonical(values: string[], value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  return values.find(known => known.toLowerCase() === value.toLowerCase())
}

/** The candidate closest to the word (Levenshtein distance, ignoring case). */
function nearest(word: string, candidates: string[]): string {
  const distance = (candidate: string) => levenshtein(word.toLowerCase(), candidate.toLowerCase())
  return candidates.reduce((best, candidate) =>
    distance(candidate) < distance(best) ? candidate : best
  )
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution)
    }
    previous = current
  }
  return previous[b.length]
}

/** A user's value for a message: strings quoted, other values by kind. */
function show(value: unknown): string {
  return typeof value === 'string' ? quote(value) : describe(value)
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null || typeof value === 'number' || typeof value === 'boolean')
    return String(value)
  if (typeof value === 'string') return `the string ${quote(value)}`
  return Array.isArray(value) ? 'an array' : 'an object'
}

function quote(text: string): string {
  return `'${clean(text)}'`
}

/** User text for a one-line message: made inert (see text.ts) and at most `max` characters. */
function clean(text: string, max = 40): string {
  return inert(text, max)
}
