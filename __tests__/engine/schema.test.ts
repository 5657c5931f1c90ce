import { afterEach, describe, expect, it, jest } from '@jest/globals'
import {
  DEFAULT_BASE_TYPE,
  MAX_CHECKED_ITEMS,
  checkSchema,
  type Finding,
  type SchemaCheckOptions
} from '../../src/engine/schema.js'

type Json = Record<string, unknown>

// Copilot-ready and valid on v1.0: every rule passes.
const PROPERTIES: Json[] = [
  { name: 'title', type: 'string', isSearchable: true, isRetrievable: true, labels: ['title'] },
  { name: 'url', type: 'string', isRetrievable: true, labels: ['url'] },
  { name: 'icon', type: 'string', isRetrievable: true, labels: ['iconUrl'] },
  {
    name: 'modified',
    type: 'dateTime',
    isQueryable: true,
    isRetrievable: true,
    isRefinable: true,
    labels: ['lastModifiedDateTime']
  },
  {
    name: 'authors',
    type: 'stringCollection',
    isRetrievable: true,
    labels: ['authors'],
    aliases: ['writers']
  },
  { name: 'ticketId', type: 'string', isQueryable: true, aliases: ['ID'] }
]
const BETA: SchemaCheckOptions = { apiVersion: 'beta' }

function schemaText(properties: unknown[] = PROPERTIES, top: Json = {}): string {
  return JSON.stringify({ baseType: DEFAULT_BASE_TYPE, properties, ...top }, null, 2)
}

/** The clean schema with one property changed (keys set to undefined are dropped). */
function withProperty(index: number, change: Json): string {
  return schemaText(PROPERTIES.map((p, i) => (i === index ? { ...p, ...change } : p)))
}

function rules(text: string, options?: SchemaCheckOptions): string[] {
  return checkSchema(text, options).findings.map(finding => finding.rule)
}

/** The one finding of that rule, an error (fails when there is not exactly one). */
function the(rule: string, text: string, options?: SchemaCheckOptions): Finding {
  const check = checkSchema(text, options)
  const found = check.findings.filter(finding => finding.rule === rule)
  expect(found).toHaveLength(1)
  expect(found[0].severity).toBe('error')
  expect(check.schema).toBeUndefined()
  return found[0]
}

/** The one finding of that rule, a warning that leaves the schema to send. */
function warned(rule: string, text: string, options?: SchemaCheckOptions): Finding {
  const check = checkSchema(text, options)
  const found = check.findings.filter(finding => finding.rule === rule)
  expect(found).toHaveLength(1)
  expect(found[0].severity).toBe('warning')
  expect(check.schema).toBeDefined()
  return found[0]
}

/** Like withProperty, and the raw JSON text `raw` as that property's "@odata.note". */
function withNote(index: number, change: Json, raw: string): string {
  return withProperty(index, { ...change, '@odata.note': 'NOTE' }).replace('"NOTE"', raw)
}

/** The 1-based line and column of the first `needle` in the text, after `anchor` if given. */
function positionOf(text: string, needle: string, anchor = ''): { line: number; column: number } {
  const before = text.slice(0, text.indexOf(needle, text.indexOf(anchor)))
  return { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') }
}

const TYPE_LIST =
  'string, int64, double, dateTime, boolean, stringCollection, int64Collection, doubleCollection, dateTimeCollection, principal, principalCollection'

describe('checkSchema: a clean schema', () => {
  it('has no findings and is returned as the body to PATCH', () => {
    const check = checkSchema(schemaText())
    expect(check.findings).toEqual([])
    expect(check.schema).toEqual({ baseType: DEFAULT_BASE_TYPE, properties: PROPERTIES })
  })

  it('fills in baseType when the file leaves it out, and keeps everything else', () => {
    const text = JSON.stringify({ properties: PROPERTIES })
    expect(checkSchema(text)).toEqual({
      schema: { baseType: DEFAULT_BASE_TYPE, properties: PROPERTIES },
      findings: [],
      lines: expect.any(Map)
    })
  })

  it('accepts the other documented spelling of baseType as written', () => {
    const baseType = 'microsoft.graph.externalConnector.externalItem'
    const check = checkSchema(schemaText(PROPERTIES, { baseType }))
    expect(check.findings).toEqual([])
    expect(check.schema?.baseType).toBe(baseType)
  })

  it('knows the line of each property, by its name in lower case', () => {
    const text =
      '{\n  "properties": [\n    { "name": "Title", "type": "String", "isSearchable": true },\n' +
      '    { "name": "url", "type": "String" }\n  ]\n}'
    expect(checkSchema(text).lines).toEqual(
      new Map([
        ['title', 3],
        ['url', 4]
      ])
    )
  })

  it('accepts a byte order mark, OData annotations and null optional fields', () => {
    const properties = [
      ...PROPERTIES,
      {
        name: 'extra',
        type: 'int64',
        isQueryable: null,
        labels: null,
        aliases: null,
        '@odata.type': 'x'
      }
    ]
    const text = '\uFEFF' + schemaText(properties, { '@odata.context': 'https://graph/$metadata' })
    expect(checkSchema(text).findings).toEqual([])
  })

  it('leaves the top-level OData annotations out of the body to PATCH', () => {
    const text = schemaText(PROPERTIES, {
      '@odata.context': 'https://graph/$metadata',
      '@odata.etag': 'W/"1"'
    })
    expect(checkSchema(text)).toEqual({
      schema: { baseType: DEFAULT_BASE_TYPE, properties: PROPERTIES },
      findings: [],
      lines: expect.any(Map)
    })
  })

  it("accepts the labels and types Graph's v1.0 metadata has, in any casing", () => {
    const properties = [
      ...PROPERTIES,
      { name: 'due', type: 'DATETIME', isRetrievable: true, labels: ['DueDate'] },
      { name: 'owner', type: 'principal', isRetrievable: true, labels: ['createdBy'] },
      { name: 'team', type: 'PrincipalCollection', isRetrievable: true },
      { name: 'assignees', type: 'stringCollection', isRetrievable: true },
      { name: 'reactions', type: 'int64', isRetrievable: true, labels: ['numberOfReactions'] },
      { name: 'summary', type: 'String', description: 'What the ticket is about.' }
    ]
    expect(checkSchema(schemaText(properties)).findings).toEqual([])
  })

  it('accepts beta-only fields on beta', () => {
    const properties = [
      ...PROPERTIES,
      { name: 'key', type: 'string', isQueryable: true, isExactMatchRequired: true },
      { name: 'body', type: 'string', isSearchable: true, rankingHint: { importanceScore: 'high' } }
    ]
    expect(checkSchema(schemaText(properties), BETA).findings).toEqual([])
  })

  it('accepts aliases with letters outside ASCII, which the docs do not forbid', () => {
    expect(rules(withProperty(4, { aliases: ['Verfasser', 'Größe'] }))).toEqual([])
  })
})

describe('checkSchema: what Graph reads', () => {
  it('sends "true" and "false" as JSON booleans, with one warning for the whole file', () => {
    const text = schemaText([
      {
        name: 'title',
        type: 'String',
        isSearchable: 'true',
        isRetrievable: 'TRUE',
        labels: ['Title']
      },
      { name: 'url', type: 'string', isRetrievable: 'True', isQueryable: 'false', labels: ['url'] },
      { name: 'icon', type: 'string', isRetrievable: true, labels: ['ICONURL'] }
    ])
    const check = checkSchema(text)
    expect(check.findings).toEqual([
      {
        severity: 'warning',
        rule: 'flag-string',
        ...positionOf(text, '"isSearchable"'),
        message:
          '4 flags are written as a string ("true" or "false"); Graph reads it as the boolean, and ' +
          'so does this check. Write JSON booleans (true, false) without quotes.'
      }
    ])
    expect(check.schema?.properties).toEqual([
      { name: 'title', type: 'string', isSearchable: true, isRetrievable: true, labels: ['title'] },
      { name: 'url', type: 'string', isRetrievable: true, isQueryable: false, labels: ['url'] },
      { name: 'icon', type: 'string', isRetrievable: true, labels: ['iconUrl'] }
    ])
  })

  it('says "One flag is" for a single string flag', () => {
    expect(warned('flag-string', withProperty(1, { isRetrievable: 'true' })).message).toMatch(
      /^One flag is written as a string/
    )
  })

  it('reads string flags as booleans in every rule that follows', () => {
    // Retrievable as a string: no label-retrievable; searchable as a string: Copilot-ready.
    const text = withProperty(0, { isSearchable: 'true', isRetrievable: 'true' })
    expect(rules(text)).toEqual(['flag-string'])
    expect(rules(withProperty(1, { isRetrievable: 'false' }))).toEqual([
      'label-retrievable',
      'flag-string'
    ])
    expect(rules(withProperty(3, { type: 'boolean', isRefinable: 'true' }))).toContain(
      'refinable-boolean'
    )
  })

  it('keeps repeated labels and every other field as written, in Graph spelling', () => {
    const check = checkSchema(
      withProperty(5, { labels: ['ItemType', 'itemType'], isRetrievable: true, extra: 1 })
    )
    expect(check.schema?.properties[5]).toEqual({
      name: 'ticketId',
      type: 'string',
      isQueryable: true,
      aliases: ['ID'],
      labels: ['itemType', 'itemType'],
      isRetrievable: true,
      extra: 1
    })
  })

  it('spells importanceScore as Graph does on beta', () => {
    const check = checkSchema(
      withProperty(0, { rankingHint: { importanceScore: 'VERYHIGH', note: 1 } }),
      BETA
    )
    expect(check.schema?.properties[0].rankingHint).toEqual({
      importanceScore: 'veryHigh',
      note: 1
    })
  })
})

describe('checkSchema: API versions', () => {
  it.each(['isExactMatchRequired', 'rankingHint'])(
    'warns on v1.0 about the beta-only field %s, naming api-version: beta',
    field => {
      const value = field === 'rankingHint' ? { importanceScore: 'top' } : true
      const text = withProperty(5, { [field]: value })
      const finding = warned('beta-field', text)
      expect(finding).toMatchObject({ property: 'ticketId', ...positionOf(text, `"${field}"`) })
      expect(finding.message).toBe(
        `Property 'ticketId': ${field} exists only in Graph's beta API; set api-version: beta to send it, or remove it (v1.0 does not have it).`
      )
      expect(checkSchema(text).schema?.properties[5][field]).toEqual(value)
    }
  )

  it('judges exact matching and ranking only where they exist: on beta', () => {
    const exact = withProperty(3, { isExactMatchRequired: true })
    expect(rules(exact)).toEqual(['beta-field'])
    expect(the('exact-match-type', exact, BETA).message).toBe(
      "Property 'modified': isExactMatchRequired needs a string or stringCollection property; this one is dateTime."
    )
    const searchable = withProperty(0, { isExactMatchRequired: true })
    expect(rules(searchable)).toEqual(['beta-field'])
    expect(the('exact-match-searchable', searchable, BETA).message).toBe(
      "Property 'title': isExactMatchRequired can only be true on a property that is not searchable; set one of them to false."
    )
    expect(rules(withProperty(5, { isExactMatchRequired: true }), BETA)).toEqual([])
  })
})

describe('checkSchema: JSON', () => {
  afterEach(() => {
    jest.restoreAllMocks()
  })

  it('reports a syntax error with its line and column', () => {
    const text = '{\n  "properties": [\n    { "name": "a" "type": "string" }\n  ]\n}'
    const finding = the('json', text)
    expect(finding).toMatchObject({ severity: 'error', line: 3, column: 19 })
    expect(finding.message).toBe(
      "The schema file is not valid JSON: Expected ',' or '}' after property value (line 3, column 19)."
    )
  })

  it('locates errors that JSON.parse gives no position for, without echoing the file', () => {
    const text = '{\n  "properties": [\n    { "name": }\n  ]\n}'
    const finding = the('json', text)
    expect(finding).toMatchObject({ line: 3, column: 15 })
    expect(finding.message).toBe(
      "The schema file is not valid JSON: Unexpected token '}' (line 3, column 15)."
    )
  })

  it('points at the end of a truncated file, and at the start of an empty one', () => {
    expect(the('json', '{\n  "properties": [')).toMatchObject({ line: 2, column: 18 })
    expect(the('json', '')).toMatchObject({ line: 1, column: 1 })
  })

  it('points at the brace after a trailing comma', () => {
    expect(the('json', '{\n  "properties": [],\n}')).toMatchObject({ line: 3, column: 1 })
  })

  it.each([
    'Bad control character in string literal in JSON at position 12',
    "Expected ',' or '}' after property value in JSON at position 13 (line 7 column 5)"
  ])('reads the position from the text, whatever the message says: %s', message => {
    jest.spyOn(JSON, 'parse').mockImplementationOnce(() => {
      throw new SyntaxError(message)
    })
    const finding = the('json', '{\n  "a": 1,\n  "b" 2\n}')
    expect(finding).toMatchObject({ line: 3, column: 7 })
    expect(finding.message).toMatch(
      /^The schema file is not valid JSON: [^(]+ \(line 3, column 7\)\.$/
    )
  })

  it('points at the end when JSON.parse refuses what the reader follows', () => {
    jest.spyOn(JSON, 'parse').mockImplementationOnce(() => {
      throw new SyntaxError('Unexpected token')
    })
    expect(the('json', '{\n  "a": 1\n}')).toMatchObject({ line: 3, column: 2 })
  })

  it('refuses JSON nested deeper than a schema, and says where', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    const text = withNote(0, {}, deep)
    const finding = the('json-depth', text)
    expect(finding.line).toBe(positionOf(text, '[[').line)
    expect(finding.message).toMatch(
      /^The schema file nests JSON deeper than a schema does \(line \d+, column \d+\); a schema is a few levels deep\.$/
    )
    const fine = withNote(0, {}, '['.repeat(60) + ']'.repeat(60))
    expect(rules(fine)).toEqual([])
  })

  it('wants an object at the top', () => {
    expect(the('json', '[1, 2]').message).toBe(
      'The schema file must hold one JSON object, not an array.'
    )
  })

  it('wants a "properties" array of 1 to 128 objects', () => {
    expect(the('properties', '{}').message).toContain('found nothing')
    expect(the('properties', '{"properties": {}}').message).toContain('found an object')
    expect(the('properties-count', '{"properties": []}').message).toBe(
      '"properties" must hold 1 to 128 property objects; it holds 0.'
    )
    const many = Array.from({ length: 129 }, (_, i) => ({ name: `p${i}`, type: 'string' }))
    expect(the('properties-count', schemaText(many)).message).toBe(
      '"properties" must hold 1 to 128 property objects; it holds 129.'
    )
    const enough = Array.from({ length: 128 }, (_, i) => ({ name: `p${i}`, type: 'string' }))
    expect(rules(schemaText(enough))).not.toContain('properties-count')
  })

  it('checks no more than 160 items, and says so', () => {
    expect(MAX_CHECKED_ITEMS).toBe(160)
    const items = Array.from({ length: 20_000 }, () => ({}))
    const started = Date.now()
    const check = checkSchema(schemaText(items))
    expect(Date.now() - started).toBeLessThan(1_000)
    expect(check.findings[0].message).toBe(
      '"properties" must hold 1 to 128 property objects; it holds 20000 (only the first 160 were checked).'
    )
    const named = check.findings.filter(f => f.rule === 'name-required').map(f => f.property)
    expect(named).toHaveLength(160)
    expect(named.at(-1)).toBe('properties[159]')
  })

  it('wants each item to be an object, and names it by index', () => {
    const text = schemaText([PROPERTIES[0], 'title'])
    const finding = the('property-object', text)
    expect(finding).toMatchObject({
      property: 'properties[1]',
      ...positionOf(text, '"title"\n  ]')
    })
    expect(finding.message).toBe(
      'The property at properties[1]: must be an object like {"name": "title", "type": "string"}, not the string \'title\'.'
    )
  })

  it.each([
    [null, 'null'],
    [7, '7'],
    [true, 'true'],
    [[], 'an array']
  ])('names an item that is %p by index', (item, found) => {
    const finding = the('property-object', schemaText([PROPERTIES[0], item]))
    expect(finding).toMatchObject({ property: 'properties[1]', line: 13 })
    expect(finding.message).toBe(
      `The property at properties[1]: must be an object like {"name": "title", "type": "string"}, not ${found}.`
    )
  })

  it.each([
    ['null', 'null'],
    ['5', '5'],
    ['true', 'true'],
    ['"schema"', "the string 'schema'"]
  ])('says what the top is when it is %s', (text, found) => {
    expect(the('json', text).message).toBe(
      `The schema file must hold one JSON object, not ${found}.`
    )
  })

  it.each([
    ['null', 'null'],
    ['false', 'false'],
    ['5', '5'],
    ['"all"', "the string 'all'"],
    ['{}', 'an object']
  ])('says what "properties" is when it is %s', (value, found) => {
    expect(the('properties', `{"properties": ${value}}`).message).toBe(
      `The schema needs a "properties" array of 1 to 128 property objects, found ${found}.`
    )
  })

  // The reader's own stops, on texts JSON.parse refuses.
  it.each([
    ['a value after the object', '{}\n  }', 2, 3],
    ['a \\u escape with too few hex digits', '{\n  "a": "\\u12"\n}', 2, 8],
    ['an unknown escape', '{"a": "\\q"}', 1, 7],
    ['a missing value after an empty array', '{"a": [],\n "b": }', 2, 7],
    ['a key that is no string', '{\n 5: 1}', 2, 2],
    ['a missing colon', '{"a" 1}', 1, 6],
    ['a missing bracket', '{"a": [1 2]}', 1, 10]
  ])('locates %s', (_, text, line, column) => {
    expect(the('json', text)).toMatchObject({ line, column })
  })
})

describe('checkSchema: hostile and odd files', () => {
  it('says a UTF-16 file is not UTF-8, with no parse error', () => {
    const utf16 = Buffer.from('\uFEFF{"properties": []}', 'utf16le').toString('utf8')
    for (const text of [utf16, '{"a": "\u0000"}'.replace('\\u0000', '\u0000')]) {
      expect(the('json', text)).toEqual({
        severity: 'error',
        rule: 'json',
        line: 1,
        column: 1,
        message: 'The schema file is not UTF-8 text (it looks like UTF-16); save it as UTF-8.'
      })
    }
  })

  it('warns of a key written twice in one object, at the repeat, and reads the last', () => {
    const text = withNote(1, {}, '0').replace(
      '"@odata.note": 0',
      '"isQueryable": false, "isQueryable": true'
    )
    const finding = warned('duplicate-key', text)
    expect(finding).toEqual({
      severity: 'warning',
      rule: 'duplicate-key',
      ...positionOf(text, '"isQueryable": true'),
      message:
        "Key 'isQueryable' is written twice in one object; this check reads the last one, and Graph may refuse the file."
    })
    expect(rules(text)).toEqual(['duplicate-key'])
    expect(checkSchema(text).schema?.properties[1].isQueryable).toBe(true)
  })

  it('names the spelling a file gives "properties" when it is not that one', () => {
    const text = JSON.stringify({ Properties: PROPERTIES })
    expect(the('properties', text).message).toBe(
      'The schema needs a "properties" array of 1 to 128 property objects, found nothing (the file has \'Properties\').'
    )
  })

  it('reports findings in file order, the file-wide ones last', () => {
    const text = schemaText(
      [
        { ...PROPERTIES[0], isSearchable: 'true' },
        { name: 'b', type: 'x' },
        ...PROPERTIES.slice(1)
      ],
      { baseType: 'x', extra: 1 }
    )
    const findings = checkSchema(text).findings
    expect(findings.map(f => f.rule)).toEqual(['base-type', 'flag-string', 'type', 'unknown-key'])
    expect(findings[0]).toMatchObject(positionOf(text, '"baseType"'))
    expect(findings[3]).toMatchObject(positionOf(text, '"extra"'))
  })

  it('warns of at most 8 unknown keys of a property, and counts the rest', () => {
    const keys = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, 1]))
    expect(rules(withProperty(5, keys))).toEqual([
      ...Array.from({ length: 8 }, () => 'unknown-key'),
      'keys-more'
    ])
  })

  it('sends no beta-only field that is null, and does not warn of it', () => {
    expect(rules(withProperty(5, { rankingHint: null, isExactMatchRequired: null }))).toEqual([])
  })
})

describe('checkSchema: baseType and top-level keys', () => {
  it('refuses any other baseType', () => {
    const finding = the('base-type', schemaText(PROPERTIES, { baseType: 'microsoft.graph.item' }))
    expect(finding.message).toBe(
      "baseType must be 'microsoft.graph.externalItem' (or be left out), not 'microsoft.graph.item'."
    )
    expect(rules(schemaText(PROPERTIES, { baseType: 7 }))).toEqual(['base-type'])
  })

  it('warns of unknown top-level keys and suggests the nearest', () => {
    const text = JSON.stringify({ baseType: DEFAULT_BASE_TYPE, propertes: PROPERTIES })
    expect(rules(text)).toEqual(['unknown-key', 'properties'])
    const check = checkSchema(text)
    expect(check.findings[0]).toEqual({
      severity: 'warning',
      rule: 'unknown-key',
      ...positionOf(text, '"propertes"'),
      message: "Unknown top-level key 'propertes'; did you mean 'properties'?"
    })
    expect(warned('unknown-key', schemaText(PROPERTIES, { id: 'x' })).message).toBe(
      "Unknown top-level key 'id';"
    )
  })
})

describe('checkSchema: names', () => {
  it.each([[undefined], [''], [5]])('names a property whose name is %p by index', name => {
    const finding = the('name-required', withProperty(1, { name }))
    expect(finding).toMatchObject({ property: 'properties[1]', line: name === undefined ? 13 : 14 })
    expect(finding.message).toBe(
      'The property at properties[1]: needs a "name": 1 to 32 letters or digits, like "ticketTitle".'
    )
  })

  it('refuses white space, control characters, the listed characters and more than 32', () => {
    const text = withProperty(1, { name: 'ticket url' })
    const spaced = the('name-format', text)
    expect(spaced).toMatchObject({ property: 'ticket url', ...positionOf(text, '"name": "ticket') })
    expect(spaced.message).toBe(
      "Property 'ticket url': name contains ' '; names are 1 to 32 letters or digits, like \"ticketTitle\"."
    )
    for (const name of ['a:b', 'a(b', 'a"b', 'a\u0001b', 'a\u0085b', 'a^b', 'a\tb']) {
      expect(rules(withProperty(1, { name }))).toEqual(['name-format'])
    }
    const long = the('name-format', withProperty(1, { name: 'a'.repeat(33) }))
    expect(long.message).toContain('name has 33 characters')
    expect(rules(withProperty(1, { name: 'a'.repeat(32) }))).toEqual([])
  })

  it('warns of other characters that are not ASCII letters or digits', () => {
    for (const name of ['naïve', 'ticket_id', 'a-b', 'a/b', 'a.b']) {
      expect(rules(withProperty(1, { name }))).toEqual(['name-characters'])
    }
    expect(warned('name-characters', withProperty(1, { name: 'ticket_id' })).message).toBe(
      "Property 'ticket_id': name contains '_'; the docs allow only alphanumeric characters, so Graph may refuse it."
    )
  })

  it('warns of names repeated, ignoring case, where the repeat is', () => {
    const text = withProperty(1, { name: 'Title' })
    const finding = warned('name-unique', text)
    expect(finding).toMatchObject({ property: 'Title', ...positionOf(text, '"name": "Title"') })
    expect(finding.message).toBe(
      "Property 'Title': name repeats property 'title'; names should be unique, ignoring case."
    )
    expect(rules(withProperty(1, { name: 'title' }))).toEqual(['name-unique'])
  })
})

describe('checkSchema: types and flags', () => {
  it('wants a type of the metadata and suggests the nearest', () => {
    const text = withProperty(1, { type: 'strng' })
    const finding = the('type', text)
    expect(finding).toMatchObject({ property: 'url', ...positionOf(text, '"type": "strng"') })
    expect(finding.message).toBe(
      `Property 'url': type is 'strng'; did you mean 'string'? use one of ${TYPE_LIST}.`
    )
    expect(the('type', withProperty(1, { type: 'unknownFutureValue' })).rule).toBe('type')
  })

  it.each([
    [undefined, 'has no "type"'],
    [7, 'type is 7'],
    [null, 'type is null'],
    [['string'], 'type is an array']
  ])('suggests no type when the type is %p', (type, found) => {
    expect(the('type', withProperty(1, { type })).message).toBe(
      `Property 'url': ${found}; use one of ${TYPE_LIST}.`
    )
  })

  it.each([
    ['strng', 'string'],
    ['DATE', 'dateTime'],
    ['stringcolection', 'stringCollection'],
    ['int', 'int64']
  ])('suggests a near miss: %s for %s', (type, hint) => {
    expect(the('type', withProperty(1, { type })).message).toContain(`did you mean '${hint}'?`)
  })

  it.each(['integer', 'float', 'array', 'Collection(Edm.String)', 's'.repeat(41)])(
    'suggests nothing for %s, which is no near miss',
    type => {
      expect(the('type', withProperty(1, { type })).message).toMatch(/'; use one of /)
    }
  )

  it.each([
    ['yes', "the string 'yes'"],
    ['', 'an empty string'],
    [0, '0'],
    [1, '1'],
    [{}, 'an object']
  ])('refuses a flag that is %p, at the flag', (value, found) => {
    const text = withProperty(1, { isQueryable: value })
    const finding = the('flag-type', text)
    expect(finding).toMatchObject(positionOf(text, '"isQueryable"'))
    expect(finding.message).toBe(`Property 'url': isQueryable must be true or false, not ${found}.`)
  })

  it('lets only string and stringCollection properties be searchable, at the flag', () => {
    const text = withProperty(3, { type: 'DATETIME', isSearchable: true, isRefinable: false })
    const finding = the('searchable-type', text)
    expect(finding).toMatchObject(positionOf(text, '"isSearchable"', '"modified"'))
    expect(finding.message).toBe(
      "Property 'modified': only string and stringCollection properties can be searchable; this one is dateTime."
    )
    expect(rules(withProperty(4, { isSearchable: true }))).toEqual([])
  })

  it('only warns of a searchable principal, which Microsoft deploys', () => {
    for (const type of ['principal', 'principalCollection']) {
      expect(
        rules(schemaText([...PROPERTIES, { name: 'owner', type, isSearchable: true }]))
      ).toEqual(['searchable-type'])
    }
    const text = schemaText([
      ...PROPERTIES,
      { name: 'owner', type: 'principal', isSearchable: true }
    ])
    expect(warned('searchable-type', text).message).toContain('this one is principal.')
  })

  it("refuses a refinable boolean, quoting Graph's error code", () => {
    const text = schemaText([...PROPERTIES, { name: 'done', type: 'Boolean', isRefinable: true }])
    const finding = the('refinable-boolean', text)
    expect(finding).toMatchObject({
      property: 'done',
      ...positionOf(text, '"isRefinable": true\n')
    })
    expect(finding.message).toBe(
      'Property \'done\': a boolean property cannot be refinable (Graph answers RefinerShouldNotBeOfType); set "isRefinable": false or use a string.'
    )
    const queryable = { name: 'done', type: 'boolean', isQueryable: true, isRefinable: false }
    expect(rules(schemaText([...PROPERTIES, queryable]))).toEqual([])
  })

  it('warns of a property both searchable and refinable', () => {
    const finding = warned(
      'searchable-refinable',
      withProperty(1, { isSearchable: true, isRefinable: true })
    )
    expect(finding.message).toBe(
      "Property 'url': is both searchable and refinable; a refiner is usually not searchable, so Graph may refuse it."
    )
  })
})

describe('checkSchema: labels', () => {
  it('wants labels of the metadata, at the label, and suggests the nearest', () => {
    const text = withProperty(0, { labels: ['titel'] })
    const finding = the('label-unknown', text)
    expect(finding).toMatchObject(positionOf(text, '"titel"'))
    expect(finding.message).toBe(
      "Property 'title': label 'titel' is not a Graph label; did you mean 'title'?"
    )
    expect(rules(withProperty(0, { labels: ['unknownFutureValue'] }))).toContain('label-unknown')
    expect(the('label-unknown', withProperty(0, { labels: ['icon'] })).message).toContain(
      "did you mean 'iconUrl'?"
    )
    expect(the('label-unknown', withProperty(5, { labels: ['email'] })).message).toContain(
      "did you mean 'personEmails'?"
    )
    expect(the('label-unknown', withProperty(5, { labels: ['personAcount'] })).message).toContain(
      "did you mean 'personAccount'?"
    )
  })

  it("lists at most 8 findings on one property's labels, then counts the rest as severely", () => {
    const labels = Array.from({ length: 1_000 }, (_, i) => `nolabel${i}`)
    const text = withProperty(5, { labels })
    const findings = checkSchema(text).findings
    expect(findings.filter(f => f.rule === 'label-unknown')).toHaveLength(8)
    expect(findings.find(f => f.rule === 'labels-more')).toEqual({
      severity: 'error',
      rule: 'labels-more',
      property: 'ticketId',
      ...positionOf(text, '"nolabel8"'),
      message:
        "Property 'ticketId': 992 more of its labels have problems like these; only the first 8 are listed."
    })
    // Warnings alone are summed up as a warning; the file is still sent.
    const repeated = Array.from({ length: 140_000 }, () => 'url')
    const check = checkSchema(withProperty(1, { labels: repeated }))
    expect(check.findings.map(f => [f.rule, f.severity])).toEqual([
      ...Array.from({ length: 8 }, () => ['label-unique', 'warning']),
      ['labels-more', 'warning']
    ])
    expect(check.findings.at(-1)?.message).toContain('139991 more of its labels')
    expect(checkSchema(withProperty(1, { labels: ['url', 'url'] })).findings.at(-1)?.message).toBe(
      "Property 'url': label 'url' is already on this property; a label should go on one property."
    )
  })

  it('says "1 more" for one finding past the bound', () => {
    const labels = Array.from({ length: 9 }, (_, i) => `nolabel${i}`)
    expect(the('labels-more', withProperty(5, { labels })).message).toBe(
      "Property 'ticketId': 1 more of its labels has problems like these; only the first 8 are listed."
    )
  })

  it('wants labels as an array of strings', () => {
    expect(the('labels-format', withProperty(0, { labels: 'title' })).message).toContain(
      "found the string 'title'"
    )
    const text = withProperty(0, { labels: ['title', 1] })
    expect(rules(text)).toEqual(['labels-format'])
    expect(the('labels-format', text)).toMatchObject({
      ...positionOf(text, '"labels"'),
      message:
        'Property \'title\': labels must be an array of label names, like ["title"]; found an array.'
    })
  })

  it('warns of a label on two properties, or twice on one', () => {
    const across = warned('label-unique', withProperty(1, { labels: ['url', 'Title'] }))
    expect(across.message).toBe(
      "Property 'url': label 'title' is already on property 'title'; a label should go on one property."
    )
    const within = warned('label-unique', withProperty(0, { labels: ['title', 'title'] }))
    expect(within.message).toContain('already on this property')
  })

  it('warns of labelled properties of content connectors not retrievable, at the flag', () => {
    const text = withProperty(1, { isRetrievable: false })
    const finding = warned('label-retrievable', text)
    expect(finding).toMatchObject(positionOf(text, '"isRetrievable": false'))
    expect(finding.message).toBe(
      "Property 'url': has label 'url' but is not retrievable; the docs say labelled properties must be, so set \"isRetrievable\": true."
    )
    const absent = withProperty(1, { isRetrievable: undefined })
    expect(warned('label-retrievable', absent)).toMatchObject(
      positionOf(absent, '"labels"', '"name": "url"')
    )
  })

  it('does not want a property retrievable when it has no known label', () => {
    expect(rules(withProperty(5, { labels: [] }))).toEqual([])
    expect(rules(withProperty(5, { labels: ['titel'] }))).toEqual(['label-unknown'])
    expect(the('label-unknown', withProperty(5, { labels: ['colour'] })).message).toBe(
      "Property 'ticketId': label 'colour' is not a Graph label."
    )
  })

  it.each([
    ['title', 'string', 'int64'],
    ['url', 'string', 'int64'],
    ['iconUrl', 'string', 'int64'],
    ['fileName', 'string', 'int64'],
    ['fileExtension', 'string', 'int64'],
    ['containerName', 'string', 'int64'],
    ['containerUrl', 'string', 'int64'],
    ['createdDateTime', 'dateTime', 'string'],
    ['lastModifiedDateTime', 'dateTime', 'string'],
    ['createdBy', 'string or principal', 'int64'],
    ['lastModifiedBy', 'string or principal', 'stringCollection'],
    ['authors', 'stringCollection or principalCollection', 'string'],
    ['personAccount', 'string', 'stringCollection'],
    ['personSkills', 'stringCollection', 'string']
  ])("warns when label '%s' is not on a %s property", (label, wanted, other) => {
    const property = (type: string) =>
      schemaText([{ name: 'p', type, isRetrievable: true, labels: [label] }])
    const finding = checkSchema(property(other)).findings.find(f => f.rule === 'label-type')
    expect(finding).toMatchObject({
      severity: 'warning',
      message: `Property 'p': label '${label}' is documented on a ${wanted} property; this one is ${other}.`
    })
    for (const type of wanted.split(' or '))
      expect(rules(property(type))).not.toContain('label-type')
  })

  it('checks no type for a label the docs give none for', () => {
    const text = schemaText([
      ...PROPERTIES,
      { name: 'p', type: 'boolean', isRetrievable: true, labels: ['tags'] }
    ])
    expect(rules(text)).toEqual([])
  })
})

describe('checkSchema: people connectors', () => {
  const PEOPLE = [
    { name: 'account', type: 'string', labels: ['personAccount'] },
    { name: 'skills', type: 'stringCollection', labels: ['PersonSkills'], isSearchable: true },
    { name: 'hired', type: 'dateTime', isSearchable: true, isRefinable: true },
    { name: 'done', type: 'boolean', isRefinable: true }
  ]

  const people = { contentCategory: 'People' }

  it('ignores the flag rules Graph ignores for them, with contentCategory people', () => {
    const check = checkSchema(schemaText(PEOPLE), people)
    expect(check.findings).toEqual([])
    expect(check.schema?.properties[1].labels).toEqual(['personSkills'])
  })

  it('makes the flag rules warnings that say why, when only person* labels tell', () => {
    const check = checkSchema(schemaText(PEOPLE))
    expect(check.findings.map(f => [f.rule, f.severity])).toEqual([
      ['searchable-type', 'warning'],
      ['searchable-refinable', 'warning'],
      ['refinable-boolean', 'warning']
    ])
    expect(check.findings[0].message).toBe(
      "Property 'hired': only string and stringCollection properties can be searchable; this one is dateTime. (Its person* labels suggest a people connector, for which Graph ignores this flag.)"
    )
    expect(check.schema).toBeDefined()
  })

  it('applies every rule when contentCategory says it is no people connector', () => {
    expect(rules(schemaText(PEOPLE), { contentCategory: 'knowledgeBase' })).toEqual([
      'label-retrievable',
      'label-retrievable',
      'searchable-type',
      'searchable-refinable',
      'refinable-boolean',
      'copilot-labels',
      'copilot-labels',
      'copilot-labels'
    ])
  })

  it('warns of the labels and types the people docs do not support yet', () => {
    const text = schemaText([
      ...PEOPLE,
      { name: 'boss', type: 'principal', labels: ['personManager'] }
    ])
    const finding = warned('people-unsupported', text, people)
    expect(finding.message).toBe(
      "Property 'boss': label 'personManager' is not yet supported for people data, the docs say."
    )
  })

  it('wants a personAccount property instead, as a readiness finding', () => {
    const text = schemaText(PEOPLE.slice(1))
    expect(checkSchema(text, people).findings).toEqual([
      {
        severity: 'warning',
        rule: 'people-account',
        message:
          "People connector readiness: no property has the 'personAccount' label; add it to the string property that names the person's Microsoft Entra account."
      }
    ])
    expect(checkSchema(text, { ...people, requireCopilotReady: true }).findings[0].severity).toBe(
      'error'
    )
  })

  it('is not told by a property that is merely named like a person label', () => {
    expect(
      rules(schemaText([{ name: 'personAccount', type: 'boolean', isRefinable: true }]))
    ).toContain('refinable-boolean')
  })
})

describe('checkSchema: aliases', () => {
  it('wants an array of strings', () => {
    expect(the('alias-format', withProperty(4, { aliases: 'writers' })).message).toContain(
      'aliases must be an array of strings'
    )
    const text = withProperty(4, { aliases: ['a', 7] })
    expect(the('alias-format', text)).toMatchObject({
      ...positionOf(text, '7'),
      message: 'Property \'authors\': aliases must be strings, like ["creator"]; found 7.'
    })
  })

  it('refuses 0 or more than 32 characters, white space and the listed characters, at the alias', () => {
    const text = withProperty(4, { aliases: ['writers', 'co author'] })
    const spaced = the('alias-format', text)
    expect(spaced).toMatchObject(positionOf(text, '"co author"'))
    expect(spaced.message).toMatch(
      /^Property 'authors': alias 'co author' contains ' '; aliases are 1 to 32/
    )
    for (const alias of ['a:b', 'a@b', 'tab\there', '', 'x'.repeat(33)]) {
      expect(rules(withProperty(4, { aliases: [alias] }))).toEqual(['alias-format'])
    }
    expect(rules(withProperty(4, { aliases: ['x'.repeat(32)] }))).toEqual([])
  })

  it.each([
    [0, ''],
    [33, 'x'.repeat(33)]
  ])('says an alias has %i characters', (length, alias) => {
    expect(the('alias-format', withProperty(4, { aliases: [alias] })).message).toBe(
      `Property 'authors': alias '${alias}' has ${length} characters; aliases are 1 to 32 characters without white space, control characters or :;,()[]{}%$+!*=&?@#\\~'"<>\`^.`
    )
  })

  it('warns of other characters that are no letter or digit', () => {
    for (const alias of ['a/b', 'a|b', 'a_b', 'a-b']) {
      expect(rules(withProperty(4, { aliases: [alias] }))).toEqual(['alias-characters'])
    }
    expect(warned('alias-characters', withProperty(4, { aliases: ['a/b'] })).message).toBe(
      "Property 'authors': alias 'a/b' contains '/'; the docs allow only alphanumeric characters, so Graph may refuse it."
    )
  })

  it('warns of aliases repeated across the schema, ignoring case', () => {
    const finding = warned('alias-unique', withProperty(5, { aliases: ['Writers'] }))
    expect(finding.message).toBe(
      "Property 'ticketId': alias 'Writers' is already used by property 'authors'; aliases should be unique, ignoring case."
    )
    expect(rules(withProperty(4, { aliases: ['a', 'A'] }))).toEqual(['alias-unique'])
  })

  it('lists at most 8 bad aliases of one property', () => {
    const aliases = Array.from({ length: 140_000 }, () => 'a')
    expect(rules(withProperty(4, { aliases }))).toEqual([
      ...Array.from({ length: 8 }, () => 'alias-unique'),
      'aliases-more'
    ])
  })
})

describe('checkSchema: other property fields', () => {
  it('warns of unknown keys, at the key, and names the nearest field', () => {
    const text = withProperty(0, { isSearcheable: true })
    const finding = warned('unknown-key', text)
    expect(finding).toMatchObject({ property: 'title', ...positionOf(text, '"isSearcheable"') })
    expect(finding.message).toBe(
      "Property 'title': unknown key 'isSearcheable'; did you mean 'isSearchable'? Graph may refuse or ignore it."
    )
    expect(warned('unknown-key', withProperty(0, { Labels: ['title'] })).message).toContain(
      "did you mean 'labels'?"
    )
  })

  it('wants a description of at most 200 characters, at the key', () => {
    expect(rules(withProperty(0, { description: 'x'.repeat(200) }))).toEqual([])
    const text = withProperty(0, { description: 'x'.repeat(201) })
    expect(the('description', text)).toMatchObject(positionOf(text, '"description"'))
  })

  it.each([
    ['201 characters', 'x'.repeat(201)],
    ['5', 5],
    ['an array', ['text']]
  ])('says what a wrong description is: %s', (found, description) => {
    expect(the('description', withProperty(0, { description })).message).toBe(
      `Property 'title': description must be a string of at most 200 characters; found ${found}.`
    )
  })

  it('wants rankingHint to carry an importanceScore of the metadata, on beta', () => {
    expect(rules(withProperty(0, { rankingHint: { importanceScore: 'high' } }), BETA)).toEqual([])
    const text = withProperty(0, { rankingHint: { importanceScore: 'top' } })
    expect(the('ranking-hint', text, BETA)).toMatchObject({
      ...positionOf(text, '"rankingHint"'),
      message:
        'Property \'title\': rankingHint must look like {"importanceScore": "high"}, with high, low, medium, veryHigh.'
    })
    expect(rules(withProperty(0, { rankingHint: 'high' }), BETA)).toEqual(['ranking-hint'])
  })

  it.each(['low', 'medium', 'high', 'veryHigh', 'VeryHigh'])(
    'accepts importanceScore %s',
    importanceScore => {
      expect(rules(withProperty(0, { rankingHint: { importanceScore } }), BETA)).toEqual([])
    }
  )
})

describe('checkSchema: Copilot readiness', () => {
  const bare = [{ name: 'title', type: 'string', isRetrievable: true, labels: ['title'] }]

  it('warns once per missing label and when nothing is searchable, and still returns the schema', () => {
    const check = checkSchema(schemaText(bare))
    expect(check.findings).toEqual([
      {
        severity: 'warning',
        rule: 'copilot-labels',
        message:
          "Copilot readiness: no property has the 'url' label; add it to the retrievable string property that holds the item's url."
      },
      expect.objectContaining({
        severity: 'warning',
        rule: 'copilot-labels',
        message: expect.stringContaining("'iconUrl'")
      }),
      expect.objectContaining({ severity: 'warning', rule: 'copilot-searchable' })
    ])
    expect(check.schema).toBeDefined()
  })

  it('reads labels in any casing', () => {
    const text = withProperty(2, { labels: ['ICONURL'] })
    expect(rules(text)).toEqual([])
  })

  it('makes them errors when Copilot readiness is required', () => {
    const check = checkSchema(schemaText(bare), { requireCopilotReady: true })
    expect(check.findings.map(f => [f.severity, f.rule])).toEqual([
      ['error', 'copilot-labels'],
      ['error', 'copilot-labels'],
      ['error', 'copilot-searchable']
    ])
    expect(check.schema).toBeUndefined()
    expect(checkSchema(schemaText(), { requireCopilotReady: true }).findings).toEqual([])
  })

  it('says how to make a property searchable', () => {
    const unsearchable = PROPERTIES.map(p => ({ ...p, isSearchable: false }))
    expect(checkSchema(schemaText(unsearchable)).findings).toEqual([
      {
        severity: 'warning',
        rule: 'copilot-searchable',
        message:
          'Copilot readiness: no property is searchable; set "isSearchable": true on a string property such as the title.'
      }
    ])
  })
})

describe('checkSchema: reporting', () => {
  it("keeps none of V8's echo of the file in a JSON error, whatever its form", () => {
    // A '}' where a value should be, in the middle of a long line: V8 quotes the text around it.
    const long = `{"properties": [{"name": "x"}, ${'{"name": "xxxxxxxxxx"}, '.repeat(5)} }, {"name": "a"}]}`
    const [finding] = checkSchema(long).findings
    expect(finding.rule).toBe('json')
    expect(finding.message).not.toContain('xxxxx')
    expect(finding.message).not.toContain('is not valid JSON (')
    expect(finding.message).toMatch(
      /^The schema file is not valid JSON: .+ \(line 1, column \d+\)\.$/
    )
  })

  it('reports every finding, in file order, each at its key', () => {
    const text = schemaText([
      { name: 'a b', type: 'string' },
      { name: 'ok', type: 'strng', isSearchable: 'yes' },
      { name: 'OK', type: 'string' }
    ])
    const findings = checkSchema(text).findings
    expect(findings.map(f => [f.rule, f.property, f.line, f.column])).toEqual([
      ['name-format', 'a b', 5, 7],
      ['type', 'ok', 10, 7],
      ['flag-type', 'ok', 11, 7],
      ['name-unique', 'OK', 14, 7],
      ['copilot-labels', undefined, undefined, undefined],
      ['copilot-labels', undefined, undefined, undefined],
      ['copilot-labels', undefined, undefined, undefined],
      ['copilot-searchable', undefined, undefined, undefined]
    ])
  })

  it('finds the keys of the top-level items only, in any layout', () => {
    const text = [
      '{ "extra": { "properties": [ {}, {} ] },',
      '  "properties": [ { "name": "a", "type": "x" },',
      '',
      '    { "name": "b",',
      '      "type": "y" } ] }'
    ].join('\n')
    const at = checkSchema(text)
      .findings.filter(f => f.rule === 'type')
      .map(f => [f.line, f.column])
    expect(at).toEqual([
      [2, 34],
      [5, 7]
    ])
  })

  it('finds the items of the last "properties" key, and the last of a repeated key', () => {
    const text = [
      '{ "properties": [ {}, {} ],',
      '  "properties": [ { "name": "a", "type": "x" },',
      '    { "name": "b", "type": "y", "type": "z", "labels": ["bad"], "labels": ["worse"] } ],',
      '  "@odata.context": { "properties": [ {} ] } }'
    ].join('\n')
    const findings = checkSchema(text).findings
    expect(findings.filter(f => f.rule === 'type').map(f => [f.line, f.column])).toEqual([
      [2, 34],
      [3, 33]
    ])
    expect(findings.find(f => f.rule === 'type' && f.line === 3)).toMatchObject(
      positionOf(text, '"type": "z"')
    )
    expect(findings.find(f => f.rule === 'label-unknown')).toMatchObject(
      positionOf(text, '"worse"')
    )
  })

  it.each([
    '[]',
    '{}',
    '{"properties": [1, 2]}',
    '[[], {"a": [null, true, false]}]',
    '""',
    '"\\""',
    '"\\\\"',
    '"\\/"',
    '"\\b\\f\\n\\r\\t"',
    '"caf\\u00e9 \\u00C9"',
    '[0, -1, 123, 1.25, -0.5e-3, 1e3, 2E+10, 6.02e23]'
  ])('finds the keys of the items past the value %s', raw => {
    const text = withNote(1, { type: 'strng' }, raw)
    const finding = the('type', text)
    expect(finding).toMatchObject({ property: 'url', ...positionOf(text, '"type": "strng"') })
  })

  it('keeps messages on one line, short, and free of control characters', () => {
    const hostile = '\u001b[31m::error::' + 'x'.repeat(100) + '\nnext\u2028line'
    const text = schemaText([
      { name: hostile, type: hostile, labels: [hostile], aliases: [hostile], [hostile]: 1 }
    ])
    const findings = checkSchema(text).findings
    expect(findings.length).toBeGreaterThan(4)
    for (const finding of findings) {
      expect(finding.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/) // eslint-disable-line no-control-regex
      expect(finding.message.length).toBeLessThan(400)
    }
    const name = the('name-format', text)
    expect(name.property).toBe(
      '\\u001b[31m::error::' + 'x'.repeat(26) + '… [84 more characters cut]'
    )
    expect(name.message).toContain("'\\u001b[31m::error::xxx")
  })

  it('judges a million-character label in well under a second', () => {
    const started = Date.now()
    const finding = the('label-unknown', withProperty(5, { labels: ['x'.repeat(1_000_000)] }))
    expect(Date.now() - started).toBeLessThan(1_000)
    expect(finding.message).toMatch(/is not a Graph label\.$/)
  })
})
