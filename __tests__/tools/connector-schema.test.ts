// connector.schema.json is what scripts/connector-schema.js derives from the vendored metadata,
// and the example connector file is valid against it, and clean for the action's own check.
import { describe, expect, it } from '@jest/globals'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  BASE_TYPES,
  CONNECTOR_SCHEMA_FILE,
  connectorSchema,
  renderConnectorSchema
} from '../../scripts/connector-schema.js'
import { checkConnector } from '../../src/engine/connector.js'
import { BASE_TYPES as CHECKED_BASE_TYPES, checkSchema } from '../../src/engine/schema.js'
import { VOCABULARY } from '../../src/engine/vocabulary.js'

type Json = Record<string, unknown>

const EXAMPLE_DIR = join(import.meta.dirname, '..', '..', 'examples', 'connector')
const EXAMPLE_TEXT = readFileSync(join(EXAMPLE_DIR, 'connector.json'), 'utf8')
const EXAMPLE = JSON.parse(EXAMPLE_TEXT) as Json

function validator() {
  const schema = JSON.parse(readFileSync(CONNECTOR_SCHEMA_FILE, 'utf8')) as Json
  return new Ajv2020({ allErrors: true, strict: true }).compile(schema)
}

/** The ajv errors of a document, as "path message" lines; [] when it is valid. */
function errors(document: unknown): string[] {
  const validate = validator()
  validate(document)
  return (validate.errors ?? []).map(error => `${error.instancePath} ${error.message}`)
}

describe('connector.schema.json', () => {
  it('is exactly what scripts/connector-schema.js derives from vendor/msgraph-metadata/', async () => {
    expect(readFileSync(CONNECTOR_SCHEMA_FILE, 'utf8')).toBe(await renderConnectorSchema())
  })

  it("takes its enums from Graph's metadata, beta's additions after v1.0's values", () => {
    const schema = connectorSchema() as unknown as {
      properties: Record<string, { enum?: string[] }>
      $defs: Record<string, { properties: Record<string, { enum?: string[]; items?: Json }> }>
    }
    expect(schema.properties.contentCategory.enum).toEqual(VOCABULARY['v1.0'].enums.contentCategory)
    expect(schema.$defs.property.properties.type.enum).toEqual(VOCABULARY.beta.enums.propertyType)
    expect(schema.$defs.property.properties.labels.items).toEqual({
      enum: VOCABULARY.beta.enums.label
    })
    expect(schema.$defs.propertyRule.properties.operation.enum).toEqual(
      VOCABULARY['v1.0'].enums.ruleOperation
    )
    expect(Object.keys(schema.$defs.property.properties).sort()).toEqual(
      [...VOCABULARY.beta.types.property].sort()
    )
    expect(BASE_TYPES).toEqual(CHECKED_BASE_TYPES)
  })

  it('is a valid draft 2020-12 schema that ajv compiles in strict mode', () => {
    expect(() => validator()).not.toThrow()
  })
})

describe('examples/connector/connector.json', () => {
  it('is valid against connector.schema.json', () => {
    expect(errors(EXAMPLE)).toEqual([])
  })

  it('is clean for the action: no finding in the connector file, its layout or its schema', () => {
    const load = (path: string) => readFileSync(join(EXAMPLE_DIR, path), 'utf8')
    const check = checkConnector(EXAMPLE_TEXT, { apiVersion: 'v1.0', load })
    expect(check.findings).toEqual([])
    expect(checkSchema(check.connector?.schema?.text ?? '').findings).toEqual([])
    expect(check.connector?.fields.searchSettings).toMatchObject({
      searchResultTemplates: [{ layout: { type: 'AdaptiveCard' } }]
    })
  })

  it('is a knowledge-base connector with one resolver, one template and its app IDs', () => {
    expect(EXAMPLE.contentCategory).toBe('knowledgeBase')
    expect(EXAMPLE).toMatchObject({
      activitySettings: { urlToItemResolvers: [expect.anything()] },
      searchSettings: { searchResultTemplates: [{ layout: 'resultLayout.json' }] },
      configuration: { authorizedAppIds: [expect.any(String)] }
    })
  })
})

describe('connector.schema.json refuses what editors should flag', () => {
  const withTop = (change: Json) => ({ ...EXAMPLE, ...change })

  it('an unknown key, a missing id or name, a name over 128 characters', () => {
    expect(errors(withTop({ descripton: 'x' }))).toEqual([' must NOT have additional properties'])
    expect(errors(withTop({ id: undefined }))).toEqual([" must have required property 'id'"])
    expect(errors(withTop({ name: 'n'.repeat(129) }))).toEqual([
      '/name must NOT have more than 128 characters'
    ])
    expect(errors(withTop({ id: 'MicrosoftKb' }))).toHaveLength(1)
  })

  it('a contentCategory in another casing, and three result templates', () => {
    expect(errors(withTop({ contentCategory: 'knowledgebase' }))).toEqual([
      '/contentCategory must be equal to one of the allowed values'
    ])
    const template = (EXAMPLE.searchSettings as { searchResultTemplates: Json[] })
      .searchResultTemplates[0]
    const three = { searchResultTemplates: [template, template, template] }
    expect(errors(withTop({ searchSettings: three }))).toEqual([
      '/searchSettings/searchResultTemplates must NOT have more than 2 items'
    ])
  })

  it('a template id with a dash, a rule operation Graph does not have, a label Graph does not have', () => {
    const template = (change: Json) => ({
      searchSettings: { searchResultTemplates: [{ id: 'kbarticle', layout: {}, ...change }] }
    })
    expect(errors(withTop(template({ id: 'kb-article' })))).toHaveLength(1)
    const rule = { property: 'title', operation: 'like', values: ['a'], valuesJoinedBy: 'or' }
    expect(errors(withTop(template({ rules: [rule] })))).toEqual([
      '/searchSettings/searchResultTemplates/0/rules/0/operation must be equal to one of the allowed values'
    ])
    const schema = { properties: [{ name: 'title', type: 'string', labels: ['heading'] }] }
    expect(errors(withTop({ schema }))).toEqual(
      expect.arrayContaining([
        '/schema/properties/0/labels/0 must be equal to one of the allowed values'
      ])
    )
  })

  it('accepts a schema file path, a layout file path and OData annotations', () => {
    expect(errors(withTop({ schema: 'schema.json', '@odata.context': 'x' }))).toEqual([])
  })
})
