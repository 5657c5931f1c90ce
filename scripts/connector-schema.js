// Writes connector.schema.json: a JSON Schema (draft 2020-12) for connector
// files, so that editors complete and check them through
// "$schema": "./connector.schema.json". Its enums and the fields of each
// object come from the vendored Graph metadata (through readVocabulary, as
// src/engine/vocabulary.ts does), never typed by hand; the descriptions are
// the docs' words. It is an editor's aid: the action's own check
// (src/engine/connector.ts, schema.ts) is what decides, and it is more lenient
// (enums in any casing, "true" as a flag), warning where this schema refuses.
// __tests__/tools/connector-schema.test.ts fails when the file and this
// script disagree.
//   npm run connector-schema     writes connector.schema.json
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as prettier from 'prettier'
import { readVocabulary } from './vocabulary.js'

export const CONNECTOR_SCHEMA_FILE = join(import.meta.dirname, '..', 'connector.schema.json')

/** As src/engine/schema.ts: the two documented spellings of the schema's base type. */
export const BASE_TYPES = [
  'microsoft.graph.externalItem',
  'microsoft.graph.externalConnector.externalItem'
]
/** graph.binaryOperator, the type of valuesJoinedBy: not in the vendored metadata. */
const BINARY_OPERATORS = ['or', 'and']
/** Fields of externalConnection that Graph sets; a connector file does not write them. */
const GRAPH_SET = ['state', 'connectorId', 'ingestedItemsCount']
const ODATA = { '^@odata\\.': {} }

/**
 * An object of a metadata type: its fields are the metadata's (with `extra` ones), each described
 * here; a field the metadata has and this script does not describe is an error, so a new
 * metadata copy cannot slip through unread.
 * @param {string} type
 * @param {readonly string[]} fields
 * @param {Record<string, object>} described
 * @param {{ required?: string[], description?: string }} [more]
 */
function object(type, fields, described, more = {}) {
  /** @type {Record<string, object>} */
  const properties = {}
  for (const field of fields) {
    if (!(field in described))
      throw new Error(`${type}.${field} is in the metadata but not described`)
    properties[field] = described[field]
  }
  return {
    type: 'object',
    ...(more.description && { description: more.description }),
    ...(more.required && { required: more.required }),
    properties,
    patternProperties: ODATA,
    additionalProperties: false
  }
}

/** Graph's order first (v1.0), then what only beta has. */
function union(/** @type {readonly string[]} */ a, /** @type {readonly string[]} */ b) {
  return [...a, ...b.filter(value => !a.includes(value))]
}

/** The JSON Schema, as an object. */
export function connectorSchema() {
  const { 'v1.0': v1, beta } = readVocabulary()
  const betaOnly = beta.types.externalConnection.filter(
    field => !v1.types.externalConnection.includes(field)
  )
  const onlyBeta = (/** @type {string} */ text) =>
    betaOnly.length ? `${text} Only with api-version: beta.` : text

  const flag = (/** @type {string} */ description) => ({ type: 'boolean', description })
  const property = object(
    'property',
    beta.types.property,
    {
      name: {
        type: 'string',
        minLength: 1,
        maxLength: 32,
        description: 'The name of the property. Maximum 32 characters, alphanumeric. Required.'
      },
      type: { enum: union(v1.enums.propertyType, beta.enums.propertyType) },
      isSearchable: flag(
        'Its value is added to the full-text index. Only string and stringCollection.'
      ),
      isQueryable: flag('It can be queried with KQL.'),
      isRetrievable: flag('Its value can be returned in search results.'),
      isRefinable: flag('It can be a custom filter on the search results page.'),
      isExactMatchRequired: flag('Beta: exact matching; only non-searchable strings.'),
      labels: { type: 'array', items: { enum: union(v1.enums.label, beta.enums.label) } },
      aliases: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 32 } },
      description: { type: 'string', maxLength: 200 },
      rankingHint: object('rankingHint', beta.types.rankingHint, {
        importanceScore: { enum: beta.enums.importanceScore }
      })
    },
    { required: ['name', 'type'] }
  )

  const schema = object(
    'schema',
    beta.types.schema,
    {
      baseType: { enum: BASE_TYPES },
      properties: { type: 'array', minItems: 1, maxItems: 128, items: { $ref: '#/$defs/property' } }
    },
    { required: ['properties'] }
  )

  const propertyRule = object(
    'propertyRule',
    beta.types.propertyRule,
    {
      property: { type: 'string', minLength: 1, description: 'A property of the schema.' },
      operation: { enum: union(v1.enums.ruleOperation, beta.enums.ruleOperation) },
      values: { type: 'array', minItems: 1, items: { type: 'string' } },
      valuesJoinedBy: { enum: BINARY_OPERATORS }
    },
    { required: ['property', 'operation', 'values', 'valuesJoinedBy'] }
  )

  const displayTemplate = object(
    'displayTemplate',
    beta.types.displayTemplate,
    {
      id: {
        type: 'string',
        pattern: '^[A-Za-z0-9]{1,16}$',
        description: 'Maximum 16 characters. Only alphanumeric characters allowed.'
      },
      priority: {
        type: 'integer',
        description: 'A template with priority 1 is evaluated before one with priority 4.'
      },
      layout: {
        description:
          'An Adaptive Card, or the path of a JSON file holding one, relative to this file.',
        oneOf: [{ type: 'object' }, { type: 'string', pattern: '\\.json$' }]
      },
      rules: { type: 'array', items: { $ref: '#/$defs/propertyRule' } }
    },
    { required: ['id', 'layout'] }
  )

  const urlMatchInfo = object('urlMatchInfo', beta.types.urlMatchInfo, {
    baseUrls: {
      type: 'array',
      description: 'The URL prefixes that URLs must match.',
      items: { type: 'string', pattern: '^https://' }
    },
    urlPattern: {
      type: 'string',
      description: 'An ECMAScript regular expression; itemId refers to its named groups.'
    }
  })

  const resolver = object(
    'itemIdResolver',
    [...beta.types.itemIdResolver, ...beta.types.urlToItemResolverBase],
    {
      itemId: {
        type: 'string',
        minLength: 1,
        description:
          'The ID of the item a URL represents; {name} inserts a named group of urlPattern.'
      },
      urlMatchInfo: { $ref: '#/$defs/urlMatchInfo' },
      priority: { type: 'integer', minimum: 1, maximum: 8 }
    },
    { required: ['itemId', 'urlMatchInfo'] }
  )

  const templates = (/** @type {number | undefined} */ max) => ({
    type: 'array',
    ...(max && { maxItems: max }),
    items: { $ref: '#/$defs/displayTemplate' }
  })
  const connectionFields = beta.types.externalConnection.filter(field => !GRAPH_SET.includes(field))
  const connection = object(
    'externalConnection',
    ['id', ...connectionFields, 'schema'],
    {
      id: {
        type: 'string',
        pattern: '^(?!Microsoft)[A-Za-z0-9]{3,32}$',
        description:
          'The connection ID: 3 to 32 alphanumeric characters, not beginning with Microsoft, and not an ID Graph reserves. Required.'
      },
      name: {
        type: 'string',
        minLength: 1,
        maxLength: 128,
        description: 'The display name of the connection. Maximum 128 characters. Required.'
      },
      description: {
        type: ['string', 'null'],
        description: 'What the connection holds; Copilot reads it to choose the connector.'
      },
      contentCategory: { enum: union(v1.enums.contentCategory, beta.enums.contentCategory) },
      activitySettings: object('activitySettings', beta.types.activitySettings, {
        urlToItemResolvers: {
          type: 'array',
          maxItems: 8,
          items: { $ref: '#/$defs/itemIdResolver' }
        }
      }),
      searchSettings: object('searchSettings', beta.types.searchSettings, {
        searchResultTemplates: templates(2)
      }),
      configuration: object('configuration', beta.types.configuration, {
        authorizedAppIds: {
          type: 'array',
          description: 'Application (client) IDs that may also manage the connection.',
          items: { type: 'string', pattern: '^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$' }
        }
      }),
      enabledContentExperiences: {
        type: 'string',
        description: onlyBeta(
          `One or more of ${beta.enums.contentExperienceType.join(', ')}, comma-separated.`
        )
      },
      complianceSettings: {
        ...object('complianceSettings', beta.types.complianceSettings, {
          eDiscoveryResultTemplates: templates(undefined)
        }),
        description: onlyBeta('Compliance settings.')
      },
      schema: {
        description: 'The schema, or the path of a schema file relative to this file.',
        oneOf: [{ $ref: '#/$defs/schema' }, { type: 'string', pattern: '\\.json$' }]
      }
    },
    { required: ['id', 'name'] }
  )

  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Microsoft Graph connector file',
    description:
      'A connection and its schema, deployed by wait-for-graph-connector-operation (connector-file). Generated by scripts/connector-schema.js from the vendored Graph metadata.',
    ...connection,
    properties: { $schema: { type: 'string' }, ...connection.properties },
    $defs: {
      schema,
      property,
      displayTemplate,
      propertyRule,
      itemIdResolver: resolver,
      urlMatchInfo
    }
  }
}

/** The text of connector.schema.json, formatted as the project formats JSON. */
export async function renderConnectorSchema() {
  const options = (await prettier.resolveConfig(CONNECTOR_SCHEMA_FILE)) ?? {}
  const text = JSON.stringify(connectorSchema(), null, 2)
  return prettier.format(text, { ...options, filepath: CONNECTOR_SCHEMA_FILE })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(CONNECTOR_SCHEMA_FILE, await renderConnectorSchema())
  console.log(`Wrote ${CONNECTOR_SCHEMA_FILE}`)
}
