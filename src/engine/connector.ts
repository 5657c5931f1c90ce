// Checks a connector file: one JSON object that describes a Microsoft Graph
// connection (the writable fields of externalConnection) and its schema, so the
// whole connector is deployed from one reviewed file. Every problem is reported
// at once, each at the line and column of the key it is about, and the fields
// come back as Graph reads them (enums in Graph's spelling, layouts loaded,
// resolvers typed). Pure apart from the injected `load`, which reads a file
// named relative to the connector file. Bounded: at most MAX_CHECKED_ITEMS
// elements of a list are looked at, and MAX_LIST_FINDINGS findings per list.
//
// The rule of schema.ts holds: an error only where Graph documents that it
// refuses; everything else is a warning. Each rule names its source:
//   [metadata]    Graph's published metadata for the API version in use (vendor/msgraph-metadata/,
//                 through vocabulary.ts): fields, their types, enums, Nullable="false"
//   [connection]  "externalConnection resource type" (externalconnectors-externalconnection)
//   [settings]    "searchSettings resource type" (externalconnectors-searchsettings)
//   [template]    "displayTemplate resource type" (externalconnectors-displaytemplate)
//   [rule]        "propertyRule resource type" (externalconnectors-propertyrule)
//   [resolver]    "itemIdResolver resource type" (externalconnectors-itemidresolver)
//   [match]       "urlMatchInfo resource type" (externalconnectors-urlmatchinfo)
//   [people]      "Build Microsoft 365 Copilot connectors for people data"
//                 (build-connectors-with-people-data)
//   [issue]       this project's issue 18, "Connector as code": what it asks beyond the docs
import { asObject, type JsonObject } from './json.js'
import { LineIndex, parseJsonText, pointer, type Positions } from './json-positions.js'
import type { Finding, Severity } from './schema.js'
import { ACTION_VOICE, type ApiVersion, type Voice } from './model.js'
import { describe, didYouMean, show, spaced } from './hints.js'
import { inert, quoted } from './text.js'
import { VOCABULARY } from './vocabulary.js'

/** How much of the file's own text a message echoes. */
const ECHO_MAX = 60

/** A connector file as Graph reads it: the connection's fields, and its schema to check. */
export interface Connector {
  /** The connection's ID, as the file writes it. */
  id: string
  /**
   * The connection fields the file writes (without `id`), as Graph reads them: enums in Graph's
   * spelling, each layout file loaded inline, each resolver with its `@odata.type`.
   */
  fields: JsonObject
  /** The schema, when the file has one: the text to give checkSchema. */
  schema?: ConnectorSchema
}

export interface ConnectorSchema {
  /**
   * The schema's JSON text. For a schema written inline, the connector file's own text with
   * everything but the schema's value blanked out, so that the lines and columns of checkSchema's
   * findings are the connector file's.
   */
  text: string
  /** The schema file, relative to the connector file; absent for an inline schema. */
  file?: string
}

export interface ConnectorCheck {
  /** Undefined when any error was found. */
  connector?: Connector
  /** The schema to check, when the file has one that can be read, errors or not. */
  schema?: ConnectorSchema
  /** Every finding, errors and warnings. */
  findings: Finding[]
}

export interface ConnectorCheckOptions {
  /** The Graph API version the connection goes to: its vocabulary is the one checked against. */
  apiVersion: ApiVersion
  /**
   * Reads a file named relative to the connector file (a schema or a layout): its text, or why
   * it cannot be read ("is outside the connector file's folder"). Without it, a file the
   * connector names is an error.
   */
  load?: (relativePath: string) => string | { problem: string } | undefined
  /** The connection-ID rules: a message saying what is wrong with the ID, else undefined. */
  checkId?: (id: string) => string | undefined
  /** How findings name the settings (the action's inputs when not given). */
  voice?: Voice
}

/** [resolver] the one concrete type of urlToItemResolverBase; Graph wants it named. */
export const ITEM_ID_RESOLVER_TYPE = '#microsoft.graph.externalConnectors.itemIdResolver'
/** [connection] name: "Maximum length of 128 characters." */
export const MAX_CONNECTION_NAME = 128
/** [settings] "Maximum of 2 search result templates per connection." */
export const MAX_TEMPLATES = 2
/** [issue] at most 8 resolvers, priorities 1 to 8; not in the docs. */
export const MAX_RESOLVERS = 8
/** [template] id: "Maximum 16 characters." */
export const MAX_TEMPLATE_ID = 16
/** Elements of one list looked at; the rest are counted, not checked. */
export const MAX_CHECKED_ITEMS = 32
/** Per list: findings past this many are summed up in one. */
const MAX_LIST_FINDINGS = 8
/** A urlPattern longer than this is not compiled: no URL pattern is that long. */
export const MAX_URL_PATTERN = 2_048
/** As checkSchema: the schema properties looked at. */
const MAX_SCHEMA_PROPERTIES = 160
/** A schema or layout file larger than this is refused unread. */
export const MAX_LOADED_FILE = 1_048_576

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
// ECMAScript named groups, `(?<name>`; not the lookbehinds `(?<=` and `(?<!`.
const NAMED_GROUP = /\(\?<([^=!>][^>]*)>/g
const ITEM_ID_GROUP = /\{([^{}]*)\}/g
// [rule] valuesJoinedBy is graph.binaryOperator, which the vendored metadata does not hold.
const BINARY_OPERATORS = ['or', 'and']
// [metadata] fields of externalConnection that a connector file does not write: Graph sets them.
const GRAPH_SET_FIELDS = ['state', 'connectorId', 'ingestedItemsCount']
// Keys of the file that are not connection fields.
const FILE_KEYS = ['id', 'schema', '$schema']
// [metadata] the fields only beta has; [issue] "accepted only with api-version: beta".
const BETA_ONLY: readonly string[] = VOCABULARY.beta.types.externalConnection.filter(
  field => !(VOCABULARY['v1.0'].types.externalConnection as readonly string[]).includes(field)
)

type Path = (string | number)[]

interface Position {
  line: number
  column: number
}

/** Checks the text of a connector file; see ConnectorCheck. */
export function checkConnector(text: string, options: ConnectorCheckOptions): ConnectorCheck {
  // Editors on Windows may save a byte order mark; it is not part of the JSON.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text
  const parsed = parseFile(json, 'The connector file')
  if ('finding' in parsed) return { findings: [parsed.finding] }
  const root = asObject(parsed.value)
  if (!root) {
    const message = `The connector file must hold one JSON object, not ${describe(parsed.value, ECHO_MAX)}.`
    return { findings: [{ severity: 'error', rule: 'json', message, line: 1, column: 1 }] }
  }
  const checker = new Checker(json, parsed.positions, parsed.lines, options)
  const connector = checker.check(root)
  // File order, as checkSchema reports; findings in other files (layouts) after the file's own.
  const findings = checker.findings.sort(
    (a, b) =>
      Number(a.file !== undefined) - Number(b.file !== undefined) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0)
  )
  const schema = connector.schema && { schema: connector.schema }
  return findings.some(finding => finding.severity === 'error')
    ? { findings, ...schema }
    : { connector, findings, ...schema }
}

class Checker {
  readonly findings: Finding[] = []
  private readonly own: readonly string[]
  private readonly contentCategories: Map<string, string>
  private readonly ruleOperations: Map<string, string>
  private readonly contentExperiences: Map<string, string>
  /** The schema's property names in lower case; undefined when not known. */
  private schemaNames?: Set<string>
  /** Whether the schema has a person* label: a people connector. */
  private people = false

  constructor(
    private readonly text: string,
    private readonly positions: Positions,
    private readonly lines: LineIndex,
    private readonly options: ConnectorCheckOptions
  ) {
    const vocabulary = VOCABULARY[options.apiVersion]
    this.own = vocabulary.types.externalConnection
    this.contentCategories = spellings(vocabulary.enums.contentCategory)
    this.ruleOperations = spellings(vocabulary.enums.ruleOperation)
    this.contentExperiences = spellings(VOCABULARY.beta.enums.contentExperienceType)
  }

  check(root: JsonObject): Connector {
    const fields: JsonObject = {}
    const id = this.checkId(root.id)
    // The schema first: the template rules name its properties.
    const schema = this.checkSchemaKey(root)
    this.checkKeys(root)
    // [connection] name is "Required": a file without one cannot create its connection.
    if (!Object.hasOwn(root, 'name')) this.checkName(undefined)
    for (const [key, value] of Object.entries(root)) {
      const field = this.checkField(key, value)
      if (field !== undefined) fields[key] = field
    }
    this.checkPeopleCategory(root, fields.contentCategory)
    return { id, fields, ...(schema && { schema }) }
  }

  // ---------------------------------------------------------------------------
  // The top level.

  // [connection] id: "Required", and the connection-ID rules, which settings.ts owns.
  private checkId(id: unknown): string {
    if (typeof id !== 'string' || id === '') {
      this.report(
        'error',
        'id-required',
        ['id'],
        `needs an "id": the connection's ID, 3 to 32 letters and digits, like "contosohr"; found ${describe(id, ECHO_MAX)}.`
      )
      return ''
    }
    const problem = this.options.checkId?.(id)
    if (problem) this.report('error', 'id-format', ['id'], problem)
    return id
  }

  // [metadata] the writable fields of externalConnection, in this version; OData annotations are
  // metadata. Beta-only fields on v1.0: [issue] errors. Fields Graph sets, and keys Graph does not
  // have, are not documented as refused: warnings, and they are not sent.
  private checkKeys(root: JsonObject): void {
    const known = [...FILE_KEYS, ...this.own.filter(field => !GRAPH_SET_FIELDS.includes(field))]
    for (const key of Object.keys(root)) {
      if (known.includes(key) || key.startsWith('@odata.')) continue
      if (GRAPH_SET_FIELDS.includes(key)) {
        this.report(
          'warning',
          'graph-set-field',
          [key],
          `${key} is set by Graph, not by the connector file; it is not sent.`
        )
      } else if (BETA_ONLY.includes(key)) {
        this.report(
          'error',
          'beta-field',
          [key],
          `${key} exists only in Graph's beta API; set ${(this.options.voice ?? ACTION_VOICE).assign('api-version', 'beta')} to send it, or remove it (${this.options.apiVersion} does not have it).`
        )
      } else {
        this.report(
          'warning',
          'unknown-key',
          [key],
          `unknown key ${quoted(key, ECHO_MAX)};${spaced(didYouMean(key, known))} It is not sent.`
        )
      }
    }
  }

  /** A connection field as Graph reads it; undefined for what is not sent. */
  private checkField(key: string, value: unknown): unknown {
    // Not sent: the file's own keys, OData annotations, and what is reported in checkKeys.
    if (!this.own.includes(key) || GRAPH_SET_FIELDS.includes(key)) return undefined
    switch (key) {
      case 'name':
        return this.checkName(value)
      case 'description':
        return this.checkDescription(value)
      case 'contentCategory':
        return this.checkContentCategory(value)
      case 'activitySettings':
        return this.checkActivitySettings(value)
      case 'searchSettings':
        return this.checkSearchSettings(value)
      case 'configuration':
        return this.checkConfiguration(value)
      case 'enabledContentExperiences':
        return this.checkContentExperiences(value)
      case 'complianceSettings':
        return this.checkComplianceSettings(value)
    }
    return value
  }

  // [connection] name: "Maximum length of 128 characters. Required."
  private checkName(name: unknown): unknown {
    if (typeof name !== 'string' || name === '' || name.length > MAX_CONNECTION_NAME) {
      const found =
        typeof name === 'string' ? `${name.length} characters` : describe(name, ECHO_MAX)
      this.report(
        'error',
        'name',
        ['name'],
        `"name" must be the connection's display name, 1 to ${MAX_CONNECTION_NAME} characters; found ${found}.`
      )
    }
    return name
  }

  // [metadata] description is Edm.String.
  private checkDescription(description: unknown): unknown {
    if (description !== null && typeof description !== 'string') {
      this.report(
        'error',
        'description',
        ['description'],
        `"description" must be a string; found ${describe(description, ECHO_MAX)}.`
      )
    }
    return description
  }

  // [metadata] contentCategory is one of the contentCategory enum, matched ignoring case as Graph's
  // enums are on input, and sent in Graph's spelling.
  private checkContentCategory(value: unknown): unknown {
    const known =
      typeof value === 'string' ? this.contentCategories.get(value.toLowerCase()) : undefined
    if (known) return known
    const values = [...this.contentCategories.values()]
    const hint = typeof value === 'string' ? spaced(didYouMean(value, values)) : ''
    this.report(
      'error',
      'content-category',
      ['contentCategory'],
      `contentCategory is ${show(value, ECHO_MAX)};${hint} use one of ${values.join(', ')}.`
    )
    return value
  }

  // ---------------------------------------------------------------------------
  // The schema: inline, or a file next to the connector file.

  private checkSchemaKey(root: JsonObject): ConnectorSchema | undefined {
    if (!Object.hasOwn(root, 'schema')) return undefined
    const value = root.schema
    const inline = asObject(value)
    if (inline) {
      this.readSchema(inline)
      return { text: this.blankAllBut(['schema']) }
    }
    if (typeof value === 'string' && value !== '') {
      const text = this.loadFile(value, ['schema'], 'schema file')
      if (text === undefined) return undefined
      try {
        this.readSchema(asObject(JSON.parse(text)))
      } catch {
        // checkSchema reports where it stops being JSON.
      }
      return { text, file: value }
    }
    this.report(
      'error',
      'schema',
      ['schema'],
      `"schema" must be the schema itself, {"baseType": …, "properties": […]}, or the path of a schema file next to the connector file; found ${describe(value, ECHO_MAX)}.`
    )
    return undefined
  }

  /**
   * The file's text with everything outside the value at `path` turned into spaces (line breaks
   * kept): the value's JSON, at the very lines and columns it has in the file.
   */
  private blankAllBut(path: Path): string {
    const [start, end] = this.valueRange(path)
    const blank = (part: string) => part.replace(/[^\n]/g, ' ')
    return (
      blank(this.text.slice(0, start)) + this.text.slice(start, end) + blank(this.text.slice(end))
    )
  }

  /** Where the value of a top-level member starts and ends in the text. */
  private valueRange([key]: Path): [number, number] {
    const keyAt = this.positions.get(pointer(key)) as number
    const after = /"(?:[^"\\]|\\.)*"\s*:\s*/y
    after.lastIndex = keyAt
    after.test(this.text)
    const start = after.lastIndex
    // The value ends where the next top-level member starts, or the object does.
    let next = this.text.lastIndexOf('}')
    for (const [member, offset] of this.positions) {
      if (offset > keyAt && offset < next && member.lastIndexOf('/') === 0) next = offset
    }
    const end = start + this.text.slice(start, next).replace(/\s*,?\s*$/, '').length
    return [start, end]
  }

  /** What the rules of the connection read from its schema: property names, person labels. */
  private readSchema(schema: JsonObject | undefined): void {
    const properties = schema?.properties
    if (!Array.isArray(properties)) return
    // As checkSchema, no more properties than it looks at.
    const objects = properties.slice(0, MAX_SCHEMA_PROPERTIES).map(asObject)
    const names = objects.map(p => p?.name).filter(name => typeof name === 'string')
    this.schemaNames = new Set(names.map(name => name.toLowerCase()))
    this.people = objects.some(
      p =>
        Array.isArray(p?.labels) &&
        p.labels
          .slice(0, MAX_SCHEMA_PROPERTIES)
          .some(label => typeof label === 'string' && label.toLowerCase().startsWith('person'))
    )
  }

  // [people] "Copilot connectors that contain people data must have the value people in the
  // contentCategory property": what Microsoft 365 needs to see people data, not a refusal of
  // Graph's, so a warning.
  private checkPeopleCategory(root: JsonObject, category: unknown): void {
    if (!this.people || category === 'people') return
    this.report(
      'warning',
      'people-category',
      Object.hasOwn(root, 'contentCategory') ? ['contentCategory'] : [],
      `the schema has person labels, so this is a people connector; set "contentCategory": "people", which Microsoft 365 needs to read it as people data.`
    )
  }

  // ---------------------------------------------------------------------------
  // activitySettings: the URL resolvers.

  // [metadata] activitySettings holds urlToItemResolvers, a collection of urlToItemResolverBase.
  private checkActivitySettings(value: unknown): unknown {
    const settings = this.settingsObject(value, 'activitySettings', ['urlToItemResolvers'])
    if (!settings || settings.urlToItemResolvers == null) return value
    const path = ['activitySettings', 'urlToItemResolvers']
    const resolvers = settings.urlToItemResolvers
    if (!Array.isArray(resolvers)) {
      this.report(
        'error',
        'resolvers',
        path,
        `urlToItemResolvers must be an array of resolvers; found ${describe(resolvers, ECHO_MAX)}.`
      )
      return value
    }
    // [issue] at most 8; the docs give no limit.
    if (resolvers.length > MAX_RESOLVERS) {
      this.report(
        'warning',
        'resolvers-count',
        path,
        `urlToItemResolvers holds ${resolvers.length} resolvers; keep at most ${MAX_RESOLVERS}, with priorities 1 to ${MAX_RESOLVERS}.`
      )
    }
    const priorities = new Map<number, number>()
    const checked = resolvers
      .slice(0, MAX_CHECKED_ITEMS)
      .map((resolver, index) => this.checkResolver(resolver, [...path, index], priorities))
    return { ...settings, urlToItemResolvers: [...checked, ...resolvers.slice(MAX_CHECKED_ITEMS)] }
  }

  private checkResolver(value: unknown, path: Path, priorities: Map<number, number>): unknown {
    const resolver = asObject(value)
    if (!resolver) {
      this.report(
        'error',
        'resolver-object',
        path,
        `a resolver must be an object like {"itemId": "{id}", "priority": 1, "urlMatchInfo": {…}}; found ${describe(value, ECHO_MAX)}.`
      )
      return value
    }
    const types = VOCABULARY[this.options.apiVersion].types
    this.unknownKeys(
      resolver,
      path,
      // [metadata] itemIdResolver's own fields and those of its base type.
      [...types.itemIdResolver, ...types.urlToItemResolverBase]
    )
    // [resolver] the one type a resolver can be; Graph needs it named, so it is added when absent.
    const type = resolver['@odata.type']
    if (
      type !== undefined &&
      (typeof type !== 'string' ||
        type.replace(/^#/, '').toLowerCase() !== ITEM_ID_RESOLVER_TYPE.slice(1).toLowerCase())
    ) {
      this.report(
        'warning',
        'resolver-type',
        [...path, '@odata.type'],
        `"@odata.type" is ${show(type, ECHO_MAX)}; the only resolver type Graph documents is '${ITEM_ID_RESOLVER_TYPE}'.`
      )
    }
    const groups = this.checkUrlMatchInfo(resolver.urlMatchInfo, [...path, 'urlMatchInfo'])
    this.checkItemId(resolver.itemId, [...path, 'itemId'], groups)
    this.checkResolverPriority(resolver, path, priorities)
    return { '@odata.type': ITEM_ID_RESOLVER_TYPE, ...resolver }
  }

  // [metadata] itemId is Edm.String, Nullable="false". [resolver] "The named groups from the regular
  // expression in urlPattern … can be referenced by inserting the group name inside curly brackets":
  // a name that is no group of the pattern is not documented as refused, so a warning.
  private checkItemId(itemId: unknown, path: Path, groups: Set<string> | undefined): void {
    if (typeof itemId !== 'string' || itemId === '') {
      this.report(
        'error',
        'item-id',
        path,
        `a resolver needs an "itemId" string such as "{slug}", built from the named groups of urlPattern; found ${describe(itemId, ECHO_MAX)}.`
      )
      return
    }
    if (!groups) return
    const names = [...itemId.slice(0, MAX_URL_PATTERN).matchAll(ITEM_ID_GROUP)].map(
      match => match[1]
    )
    const missing = names.filter(name => !groups.has(name))
    const report = this.bounded('warning', 'item-id-group', 'itemId groups')
    for (const name of missing) {
      const known =
        groups.size > 0
          ? `its named groups are ${[...groups].map(g => quoted(g, ECHO_MAX)).join(', ')}`
          : 'it has no named group, like (?<id>[0-9]+)'
      report(
        path,
        `itemId names {${inert(name, 40)}}, which is no named group of urlPattern; ${known}.`
      )
    }
  }

  /** The named groups of urlPattern; undefined when there is no pattern to read them from. */
  private checkUrlMatchInfo(value: unknown, path: Path): Set<string> | undefined {
    if (value == null) {
      this.report(
        'warning',
        'url-match-info',
        path,
        'a resolver without "urlMatchInfo" matches no URL; add {"baseUrls": […], "urlPattern": "…"}.'
      )
      return undefined
    }
    const info = asObject(value)
    if (!info) {
      // [metadata] urlMatchInfo is an object (microsoft.graph.externalConnectors.urlMatchInfo).
      this.report(
        'error',
        'url-match-info',
        path,
        `urlMatchInfo must be an object like {"baseUrls": […], "urlPattern": "…"}; found ${describe(value, ECHO_MAX)}.`
      )
      return undefined
    }
    this.unknownKeys(info, path, VOCABULARY[this.options.apiVersion].types.urlMatchInfo)
    this.checkBaseUrls(info.baseUrls, [...path, 'baseUrls'])
    return this.checkUrlPattern(info.urlPattern, [...path, 'urlPattern'])
  }

  // [metadata] baseUrls is Collection(Edm.String). [match] "URL prefixes"; [issue] absolute https
  // URLs, which the docs do not require: a warning.
  private checkBaseUrls(value: unknown, path: Path): void {
    if (value == null) return
    if (!Array.isArray(value)) {
      this.report(
        'error',
        'base-urls',
        path,
        `baseUrls must be an array of URLs like ["https://contoso.com/kb"]; found ${describe(value, ECHO_MAX)}.`
      )
      return
    }
    const notString = this.bounded('error', 'base-urls', 'baseUrls')
    const notHttps = this.bounded('warning', 'base-url', 'baseUrls')
    value.slice(0, MAX_CHECKED_ITEMS).forEach((url, index) => {
      if (typeof url !== 'string')
        notString([...path, index], `baseUrls must be strings; found ${describe(url, ECHO_MAX)}.`)
      else if (!isHttpsUrl(url))
        notHttps(
          [...path, index],
          `base URL ${quoted(url, ECHO_MAX)} is not an absolute https URL, like 'https://contoso.com/kb'.`
        )
    })
  }

  // [match] urlPattern: "A regular expression … The ECMAScript specification for regular
  // expressions (ECMA-262) is used": one JavaScript cannot compile is refused.
  private checkUrlPattern(value: unknown, path: Path): Set<string> | undefined {
    if (value == null) {
      this.report(
        'warning',
        'url-pattern',
        path,
        'urlMatchInfo has no "urlPattern"; no URL yields an item ID without one.'
      )
      return undefined
    }
    if (typeof value !== 'string') {
      this.report(
        'error',
        'url-pattern',
        path,
        `urlPattern must be a regular expression in a string; found ${describe(value, ECHO_MAX)}.`
      )
      return undefined
    }
    if (value.length > MAX_URL_PATTERN) {
      this.report(
        'warning',
        'url-pattern-length',
        path,
        `urlPattern has ${value.length} characters; patterns over ${MAX_URL_PATTERN} are not checked.`
      )
      return undefined
    }
    try {
      new RegExp(value)
    } catch (caught) {
      // V8 says "Invalid regular expression: /<pattern>/: <reason>"; the pattern is the user's.
      const reason = (caught as Error).message.replace(/^Invalid regular expression: \/.*\/: /s, '')
      this.report(
        'error',
        'url-pattern',
        path,
        `urlPattern is not a valid ECMAScript regular expression: ${inert(reason, 80)}.`
      )
      return undefined
    }
    return new Set([...value.matchAll(NAMED_GROUP)].map(match => match[1]))
  }

  // [metadata] priority is Edm.Int32. [issue] 1 to 8 and unique; not in the docs, so warnings.
  private checkResolverPriority(resolver: JsonObject, path: Path, seen: Map<number, number>): void {
    const priority = resolver.priority
    const at = [...path, 'priority']
    if (priority == null) {
      this.report(
        'warning',
        'resolver-priority',
        path,
        `a resolver should have a "priority" from 1 to ${MAX_RESOLVERS}.`
      )
      return
    }
    if (!isInt32(priority)) {
      this.report(
        'error',
        'resolver-priority',
        at,
        `priority must be a whole number; found ${describe(priority, ECHO_MAX)}.`
      )
      return
    }
    if (priority < 1 || priority > MAX_RESOLVERS) {
      this.report(
        'warning',
        'resolver-priority',
        at,
        `priority is ${priority}; use 1 to ${MAX_RESOLVERS}.`
      )
    }
    const first = seen.get(priority)
    if (first !== undefined) {
      this.report(
        'warning',
        'resolver-priority-unique',
        at,
        `priority ${priority} is already the priority of urlToItemResolvers[${first}]; priorities should be unique.`
      )
    } else seen.set(priority, path[path.length - 1] as number)
  }

  // ---------------------------------------------------------------------------
  // searchSettings and complianceSettings: the result templates.

  private checkSearchSettings(value: unknown): unknown {
    const settings = this.settingsObject(value, 'searchSettings', ['searchResultTemplates'])
    if (!settings || settings.searchResultTemplates == null) return value
    const path = ['searchSettings', 'searchResultTemplates']
    const templates = this.checkTemplates(settings.searchResultTemplates, path)
    if (!templates) return value
    // [settings] "Maximum of 2 search result templates per connection."
    if (templates.length > MAX_TEMPLATES) {
      this.report(
        'error',
        'templates-count',
        path,
        `searchResultTemplates holds ${templates.length} templates; Graph takes at most ${MAX_TEMPLATES} per connection.`
      )
    }
    return { ...settings, searchResultTemplates: templates }
  }

  // [metadata] (beta) complianceSettings holds eDiscoveryResultTemplates, display templates too.
  private checkComplianceSettings(value: unknown): unknown {
    const settings = this.settingsObject(value, 'complianceSettings', ['eDiscoveryResultTemplates'])
    if (!settings || settings.eDiscoveryResultTemplates == null) return value
    const path = ['complianceSettings', 'eDiscoveryResultTemplates']
    const templates = this.checkTemplates(settings.eDiscoveryResultTemplates, path)
    return templates ? { ...settings, eDiscoveryResultTemplates: templates } : value
  }

  /** Each template checked and with its layout loaded; undefined when the list is no array. */
  private checkTemplates(value: unknown, path: Path): unknown[] | undefined {
    if (!Array.isArray(value)) {
      this.report(
        'error',
        'templates',
        path,
        `${path[path.length - 1]} must be an array of display templates; found ${describe(value, ECHO_MAX)}.`
      )
      return undefined
    }
    const seen = { ids: new Map<string, number>(), priorities: new Map<number, number>() }
    const checked = value
      .slice(0, MAX_CHECKED_ITEMS)
      .map((template, index) => this.checkTemplate(template, [...path, index], seen))
    return [...checked, ...value.slice(MAX_CHECKED_ITEMS)]
  }

  private checkTemplate(
    value: unknown,
    path: Path,
    seen: { ids: Map<string, number>; priorities: Map<number, number> }
  ): unknown {
    const template = asObject(value)
    if (!template) {
      this.report(
        'error',
        'template-object',
        path,
        `a template must be an object like {"id": "articles", "priority": 1, "layout": "resultLayout.json"}; found ${describe(value, ECHO_MAX)}.`
      )
      return value
    }
    this.unknownKeys(template, path, VOCABULARY[this.options.apiVersion].types.displayTemplate)
    const index = path[path.length - 1] as number
    this.checkTemplateId(template.id, [...path, 'id'], index, seen.ids)
    this.checkTemplatePriority(template, path, index, seen.priorities)
    const layout = this.checkLayout(template.layout, [...path, 'layout'])
    const rules = this.checkRules(template.rules, [...path, 'rules'])
    return {
      ...template,
      layout,
      ...(rules && { rules })
    }
  }

  // [metadata] id is Edm.String, Nullable="false". [template] "Maximum 16 characters. Only
  // alphanumeric characters allowed." Unique ids are not documented as required: a warning.
  private checkTemplateId(id: unknown, path: Path, index: number, seen: Map<string, number>): void {
    if (typeof id !== 'string' || id.length > MAX_TEMPLATE_ID || !/^[\p{L}\p{N}]+$/u.test(id)) {
      const found = typeof id === 'string' ? quoted(id, ECHO_MAX) : describe(id, ECHO_MAX)
      this.report(
        'error',
        'template-id',
        path,
        `a template needs an "id" of 1 to ${MAX_TEMPLATE_ID} letters or digits, like "articles"; found ${found}.`
      )
      return
    }
    if (!/^[A-Za-z0-9]+$/.test(id)) {
      this.report(
        'warning',
        'template-id',
        path,
        `template id ${quoted(id, ECHO_MAX)} has letters outside A-Z; Graph may take "alphanumeric" to mean ASCII only.`
      )
    }
    const first = seen.get(id.toLowerCase())
    if (first !== undefined) {
      this.report(
        'warning',
        'template-id-unique',
        path,
        `template id ${quoted(id, ECHO_MAX)} is already the id of template [${first}]; ids should be unique.`
      )
    } else seen.set(id.toLowerCase(), index)
  }

  // [metadata] priority is Edm.Int32, Nullable="false". [template] "Must be positive value", yet the
  // docs' own example uses 0: below 1 is a warning; so are a missing priority and a repeated one.
  private checkTemplatePriority(
    template: JsonObject,
    path: Path,
    index: number,
    seen: Map<number, number>
  ): void {
    const priority = template.priority
    const at = [...path, 'priority']
    if (priority === undefined) {
      this.report(
        'warning',
        'template-priority',
        path,
        'a template should have a "priority", a positive whole number; 1 is evaluated first.'
      )
      return
    }
    if (!isInt32(priority)) {
      this.report(
        'error',
        'template-priority',
        at,
        `priority must be a whole number; found ${describe(priority, ECHO_MAX)}.`
      )
      return
    }
    if (priority < 1) {
      this.report(
        'warning',
        'template-priority',
        at,
        `priority is ${priority}; the docs ask for a positive value.`
      )
    }
    const first = seen.get(priority)
    if (first !== undefined) {
      this.report(
        'warning',
        'template-priority-unique',
        at,
        `priority ${priority} is already the priority of template [${first}]; priorities should be unique.`
      )
    } else seen.set(priority, index)
  }

  // [metadata] layout is Nullable="false". [template] "an Adaptive Card, which is a JSON-serialized
  // card object model": an object, written inline or kept in a file the template names.
  private checkLayout(value: unknown, path: Path): unknown {
    if (typeof value === 'string' && value !== '' && !value.trimStart().startsWith('{')) {
      const text = this.loadFile(value, path, 'layout file')
      if (text === undefined) return undefined
      const parsed = parseFile(text, `Layout file ${quoted(value, ECHO_MAX)}`)
      if ('finding' in parsed) {
        this.findings.push({ ...parsed.finding, file: value, property: dotted(path) })
        return undefined
      }
      const card = asObject(parsed.value)
      if (!card) {
        this.findings.push({
          severity: 'error',
          rule: 'layout',
          file: value,
          line: 1,
          column: 1,
          property: dotted(path),
          message: `Layout file ${quoted(value, ECHO_MAX)} must hold one JSON object, an Adaptive Card; found ${describe(parsed.value, ECHO_MAX)}.`
        })
        return undefined
      }
      // The card's "type" key, where it has one, else its start.
      const typeAt = parsed.positions.get(pointer('type')) ?? 0
      this.checkCard(card, path, { file: value, ...parsed.lines.at(typeAt) })
      return card
    }
    const card = asObject(value)
    if (!card) {
      const hint =
        typeof value === 'string' && value !== ''
          ? ' Write the card as a JSON object, not as a string.'
          : ''
      this.report(
        'error',
        'layout',
        path,
        `a template needs a "layout": an Adaptive Card object, or the path of a file holding one, like "resultLayout.json"; found ${describe(value, ECHO_MAX)}.${hint}`
      )
      return undefined
    }
    this.checkCard(card, path)
    return card
  }

  // An Adaptive Card says "type": "AdaptiveCard"; Graph's docs do not say what it does with
  // another object, so a warning.
  private checkCard(card: JsonObject, path: Path, inFile?: { file: string } & Position): void {
    if (card.type === 'AdaptiveCard') return
    const message = `the layout should be an Adaptive Card, with "type": "AdaptiveCard"; its type is ${show(card.type, ECHO_MAX)}.`
    if (!inFile) this.report('warning', 'layout-card', path, message)
    else {
      const property = dotted(path)
      const [severity, rule] = ['warning', 'layout-card'] as const
      this.findings.push({
        severity,
        rule,
        ...inFile,
        property,
        message: `${capital(property)}: ${message}`
      })
    }
  }

  // [rule] each rule: property, operation, values and valuesJoinedBy, all "Required" ([metadata]
  // Nullable="false"). operation is a ruleOperation; valuesJoinedBy a graph.binaryOperator, `or`
  // or `and`, which the vendored metadata does not hold: an unknown one is a warning.
  private checkRules(value: unknown, path: Path): unknown[] | undefined {
    if (value == null) return undefined
    if (!Array.isArray(value)) {
      this.report(
        'error',
        'rules',
        path,
        `rules must be an array of rules like {"property": "title", "operation": "contains", "values": ["faq"], "valuesJoinedBy": "or"}; found ${describe(value, ECHO_MAX)}.`
      )
      return undefined
    }
    const checked = value
      .slice(0, MAX_CHECKED_ITEMS)
      .map((rule, index) => this.checkRule(rule, [...path, index]))
    return [...checked, ...value.slice(MAX_CHECKED_ITEMS)]
  }

  private checkRule(value: unknown, path: Path): unknown {
    const rule = asObject(value)
    if (!rule) {
      this.report(
        'error',
        'rule-object',
        path,
        `a rule must be an object like {"property": "title", "operation": "contains", "values": ["faq"], "valuesJoinedBy": "or"}; found ${describe(value, ECHO_MAX)}.`
      )
      return value
    }
    this.unknownKeys(rule, path, VOCABULARY[this.options.apiVersion].types.propertyRule)
    const spelled: JsonObject = { ...rule }
    // property: a property of the schema; the docs say "from the externalItem schema" but do not
    // say Graph checks it, so a warning.
    const property = rule.property
    if (typeof property !== 'string' || property === '') {
      this.report(
        'error',
        'rule-property',
        [...path, 'property'],
        `a rule needs a "property": the name of a schema property; found ${describe(property, ECHO_MAX)}.`
      )
    } else if (this.schemaNames && !this.schemaNames.has(property.toLowerCase())) {
      this.report(
        'warning',
        'rule-property',
        [...path, 'property'],
        `property ${quoted(property, ECHO_MAX)} is not a property of the schema; the rule can never match.`
      )
    }
    const operation =
      typeof rule.operation === 'string'
        ? this.ruleOperations.get(rule.operation.toLowerCase())
        : undefined
    if (operation) spelled.operation = operation
    else {
      const values = [...this.ruleOperations.values()]
      const hint =
        typeof rule.operation === 'string' ? spaced(didYouMean(rule.operation, values)) : ''
      this.report(
        'error',
        'rule-operation',
        [...path, 'operation'],
        `operation is ${show(rule.operation, ECHO_MAX)};${hint} use one of ${values.join(', ')}.`
      )
    }
    const values = rule.values
    if (
      !Array.isArray(values) ||
      values.length === 0 ||
      !values.slice(0, MAX_CHECKED_ITEMS).every(v => typeof v === 'string')
    ) {
      this.report(
        'error',
        'rule-values',
        [...path, 'values'],
        `a rule needs "values": an array of one or more strings; found ${describe(values, ECHO_MAX)}.`
      )
    }
    const joinedBy = rule.valuesJoinedBy
    if (typeof joinedBy !== 'string' || joinedBy === '') {
      this.report(
        'error',
        'rule-joined-by',
        [...path, 'valuesJoinedBy'],
        `a rule needs "valuesJoinedBy": "or" or "and"; found ${describe(joinedBy, ECHO_MAX)}.`
      )
    } else if (BINARY_OPERATORS.includes(joinedBy.toLowerCase())) {
      spelled.valuesJoinedBy = joinedBy.toLowerCase()
    } else {
      this.report(
        'warning',
        'rule-joined-by',
        [...path, 'valuesJoinedBy'],
        `valuesJoinedBy is ${quoted(joinedBy, ECHO_MAX)}; Graph documents "or" and "and".`
      )
    }
    return spelled
  }

  // ---------------------------------------------------------------------------
  // configuration and the beta-only fields.

  // [metadata] configuration holds authorizedAppIds, Collection(Edm.String). That each is an
  // application ID (a GUID) is what [connection] describes, not a documented refusal: a warning.
  private checkConfiguration(value: unknown): unknown {
    const configuration = this.settingsObject(value, 'configuration', ['authorizedAppIds'])
    if (!configuration || configuration.authorizedAppIds == null) return value
    const path = ['configuration', 'authorizedAppIds']
    const ids = configuration.authorizedAppIds
    if (!Array.isArray(ids)) {
      this.report(
        'error',
        'app-ids',
        path,
        `authorizedAppIds must be an array of application (client) IDs; found ${describe(ids, ECHO_MAX)}.`
      )
      return value
    }
    const notString = this.bounded('error', 'app-ids', 'authorizedAppIds')
    const notGuid = this.bounded('warning', 'app-id', 'authorizedAppIds')
    ids.slice(0, MAX_CHECKED_ITEMS).forEach((id, index) => {
      if (typeof id !== 'string')
        notString(
          [...path, index],
          `authorizedAppIds must be strings; found ${describe(id, ECHO_MAX)}.`
        )
      else if (!GUID.test(id))
        notGuid(
          [...path, index],
          `${quoted(id, ECHO_MAX)} is not an application (client) ID, a GUID like '00000000-0000-0000-0000-000000000000'.`
        )
    })
    return value
  }

  // [metadata] (beta) enabledContentExperiences is a contentExperienceType. Its form on the wire is
  // not documented here; an unknown member is a warning.
  private checkContentExperiences(value: unknown): unknown {
    // Reached on beta only: on v1.0 the field is a beta-field error.
    if (value == null) return value
    const members =
      typeof value === 'string' ? value.split(',').map(member => member.trim()) : undefined
    const unknown = members?.find(member => !this.contentExperiences.has(member.toLowerCase()))
    if (members === undefined || unknown !== undefined) {
      const found = unknown !== undefined ? quoted(unknown, ECHO_MAX) : describe(value, ECHO_MAX)
      this.report(
        'warning',
        'content-experiences',
        ['enabledContentExperiences'],
        `enabledContentExperiences holds ${found}; Graph's values are ${[...this.contentExperiences.values()].join(', ')}, written like "search,compliance".`
      )
    }
    return value
  }

  // ---------------------------------------------------------------------------
  // Helpers that know the file.

  /** A settings object, with a warning for each key it should not have; undefined when none. */
  private settingsObject(value: unknown, key: string, fields: string[]): JsonObject | undefined {
    if (value == null) return undefined
    const settings = asObject(value)
    if (!settings) {
      this.report(
        'error',
        key,
        [key],
        `${key} must be an object like {"${fields[0]}": […]}; found ${describe(value, ECHO_MAX)}.`
      )
      return undefined
    }
    this.unknownKeys(settings, [key], fields)
    return settings
  }

  // [metadata] the fields of each type; a key Graph does not have is not documented as refused.
  private unknownKeys(object: JsonObject, path: Path, fields: readonly string[]): void {
    const report = this.bounded('warning', 'unknown-key', 'keys')
    for (const key of Object.keys(object)) {
      if (fields.includes(key) || key.startsWith('@odata.')) continue
      report(
        [...path, key],
        `unknown key ${quoted(key, ECHO_MAX)};${spaced(didYouMean(key, fields))} Graph may refuse or ignore it.`
      )
    }
  }

  /** The text of a file the connector names, or undefined after reporting why it has none. */
  private loadFile(relativePath: string, path: Path, what: string): string | undefined {
    const text = this.options.load?.(relativePath) ?? { problem: 'cannot be read' }
    if (typeof text !== 'string') {
      this.report(
        'error',
        'file',
        path,
        `the ${what} ${quoted(relativePath, ECHO_MAX)} ${text.problem}; name a file next to or below the connector file.`
      )
      return undefined
    }
    if (text.length > MAX_LOADED_FILE) {
      this.report(
        'error',
        'file',
        path,
        `the ${what} ${quoted(relativePath, ECHO_MAX)} is larger than ${MAX_LOADED_FILE} characters.`
      )
      return undefined
    }
    return text.startsWith('\uFEFF') ? text.slice(1) : text
  }

  private report(severity: Severity, rule: string, path: Path, message: string): void {
    const property = dotted(path)
    this.findings.push({
      severity,
      rule,
      ...(property && { property }),
      ...this.at(path),
      message: property ? `${capital(property)}: ${message}` : capital(message)
    })
  }

  /** A reporter that stops after MAX_LIST_FINDINGS findings and then says once that there are more. */
  private bounded(severity: Severity, rule: string, list: string) {
    let count = 0
    return (path: Path, message: string): void => {
      count++
      if (count <= MAX_LIST_FINDINGS) this.report(severity, rule, path, message)
      else if (count === MAX_LIST_FINDINGS + 1) {
        this.report(
          severity,
          rule,
          path.slice(0, -1),
          `more ${list} have problems like these; only the first ${MAX_LIST_FINDINGS} are listed.`
        )
      }
    }
  }

  /** Where the value at `path` is; else where the nearest enclosing value that is there is. */
  private at(path: Path): Position {
    // The root's pointer, '', is always there.
    let length = path.length
    while (!this.positions.has(pointer(...path.slice(0, length)))) length--
    return this.lines.at(this.positions.get(pointer(...path.slice(0, length))) as number)
  }
}

// ---------------------------------------------------------------------------
// JSON text.

type Parsed = { value: unknown; positions: Positions; lines: LineIndex } | { finding: Finding }

/** The text's value and positions, or the finding that says where it stops being JSON. */
function parseFile(text: string, subject: string): Parsed {
  const parsed = parseJsonText(text)
  if (parsed.kind === 'json') return parsed
  const { line, column } = parsed
  // Valid JSON the reader stopped on is nested too deeply: no connector or card is.
  const [rule, message] =
    parsed.kind === 'utf16'
      ? ['json', `${subject} is not UTF-8 text (it looks like UTF-16); save it as UTF-8.`]
      : parsed.kind === 'invalid'
        ? ['json', `${subject} is not valid JSON at line ${line}, column ${column}.`]
        : ['json-depth', `${subject} nests JSON too deeply (line ${line}, column ${column}).`]
  return { finding: { severity: 'error', rule, line, column, message } }
}

// ---------------------------------------------------------------------------
// Small helpers.

/** An enum by its lower-case spelling, with Graph's. */
function spellings(values: readonly string[]): Map<string, string> {
  return new Map(values.map(value => [value.toLowerCase(), value]))
}

function isInt32(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31
}

function isHttpsUrl(text: string): boolean {
  return URL.canParse(text) && new URL(text).protocol === 'https:'
}

/** searchSettings.searchResultTemplates[0].layout */
function dotted(path: Path): string {
  return path
    .map((token, index) =>
      typeof token === 'number' ? `[${token}]` : `${index > 0 ? '.' : ''}${inert(token, 40)}`
    )
    .join('')
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
