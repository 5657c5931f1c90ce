import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { DEFAULT_BASE_TYPE, checkSchema, type Finding } from '../../src/engine/schema.js'

type Json = Record<string, unknown>

// Copilot-ready and valid: every rule passes.
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
  {
    name: 'ticketId',
    type: 'string',
    isQueryable: true,
    isExactMatchRequired: true,
    aliases: ['ID']
  }
]

function schemaText(properties: unknown[] = PROPERTIES, top: Json = {}): string {
  return JSON.stringify({ baseType: DEFAULT_BASE_TYPE, properties, ...top }, null, 2)
}

/** The clean schema with one property changed (keys set to undefined are dropped). */
function withProperty(index: number, change: Json): string {
  return schemaText(PROPERTIES.map((p, i) => (i === index ? { ...p, ...change } : p)))
}

function rules(text: string, options?: { requireCopilotReady?: boolean }): string[] {
  return checkSchema(text, options).findings.map(finding => finding.rule)
}

/** The one finding of that rule (fails when there is not exactly one). */
function the(rule: string, text: string, options?: { requireCopilotReady?: boolean }): Finding {
  const check = checkSchema(text, options)
  const found = check.findings.filter(finding => finding.rule === rule)
  expect(found).toHaveLength(1)
  expect(check.schema).toBeUndefined()
  return found[0]
}

/** Like withProperty, and the raw JSON text `raw` as that property's "@odata.note". */
function withNote(index: number, change: Json, raw: string): string {
  return withProperty(index, { ...change, '@odata.note': 'NOTE' }).replace('"NOTE"', raw)
}

const TYPE_LIST =
  'string, int64, double, dateTime, boolean, stringCollection, int64Collection, doubleCollection, dateTimeCollection, principal'

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
      findings: []
    })
  })

  it('accepts the other documented spelling of baseType as written', () => {
    const baseType = 'microsoft.graph.externalConnector.externalItem'
    const check = checkSchema(schemaText(PROPERTIES, { baseType }))
    expect(check.findings).toEqual([])
    expect(check.schema?.baseType).toBe(baseType)
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
      findings: []
    })
  })

  it('accepts enum values in any casing, and beta-only types, labels and fields', () => {
    const properties = [
      ...PROPERTIES,
      { name: 'due', type: 'DATETIME', isRetrievable: true, labels: ['DueDate'] },
      { name: 'owner', type: 'principal' },
      { name: 'summary', type: 'String', description: 'What the ticket is about.' },
      {
        name: 'body',
        type: 'string',
        isSearchable: true,
        rankingHint: { importanceScore: 'VeryHigh' }
      }
    ]
    expect(checkSchema(schemaText(properties)).findings).toEqual([])
  })

  it('accepts aliases with letters outside ASCII, which the docs do not forbid', () => {
    expect(rules(withProperty(4, { aliases: ['Verfasser', 'Größe'] }))).toEqual([])
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

  it('reads the position from a Node 20 message ("at position N")', () => {
    jest.spyOn(JSON, 'parse').mockImplementationOnce(() => {
      throw new SyntaxError('Bad control character in string literal in JSON at position 12')
    })
    const finding = the('json', '{\n  "a": 1,\n  "b": 2\n}')
    expect(finding).toMatchObject({ line: 3, column: 1 })
    expect(finding.message).toContain(': Bad control character in string literal (line 3')
  })

  it('reads the line and column from a Node 22+ message ("(line L column C)")', () => {
    jest.spyOn(JSON, 'parse').mockImplementationOnce(() => {
      throw new SyntaxError(
        "Expected ',' or '}' after property value in JSON at position 13 (line 7 column 5)"
      )
    })
    const finding = the('json', '{}')
    expect(finding).toMatchObject({ line: 7, column: 5 })
    expect(finding.message).toBe(
      "The schema file is not valid JSON: Expected ',' or '}' after property value (line 7, column 5)."
    )
  })

  it('wants an object at the top', () => {
    expect(the('json', '[1, 2]').message).toBe(
      'The schema file must hold one JSON object, not an array.'
    )
  })

  it('wants a "properties" array of 1 to 128 objects', () => {
    expect(the('properties', '{}').message).toContain('found nothing')
    expect(the('properties', '{"properties": {}}').message).toContain('found an object')
    expect(the('properties-count', '{"properties": []}').message).toContain('it holds 0')
    const many = Array.from({ length: 129 }, (_, i) => ({ name: `p${i}`, type: 'string' }))
    expect(the('properties-count', schemaText(many)).message).toContain('it holds 129')
    const enough = Array.from({ length: 128 }, (_, i) => ({ name: `p${i}`, type: 'string' }))
    expect(rules(schemaText(enough))).not.toContain('properties-count')
  })

  it('wants each item to be an object, and names it by index', () => {
    const finding = the('property-object', schemaText([PROPERTIES[0], 'title']))
    expect(finding).toMatchObject({ property: 'properties[1]', line: 13 })
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

  it('reads a line and a column of several digits from a Node 22+ message', () => {
    jest.spyOn(JSON, 'parse').mockImplementationOnce(() => {
      throw new SyntaxError('Unexpected token in JSON at position 400 (line 12 column 34)')
    })
    expect(the('json', '{}')).toMatchObject({ line: 12, column: 34 })
  })

  // Messages that give no position make the checker read the text itself.
  it.each([
    ['a value after the object', '{}\n  }', 2, 3],
    ['a \\u escape with too few hex digits', '{\n  "a": "\\u12"\n}', 2, 8],
    ['an unknown escape', '{"a": "\\q"}', 1, 7],
    ['a missing value after an empty array', '{"a": [],\n "b": }', 2, 7]
  ])('locates %s when the message gives no position', (_, text, line, column) => {
    jest.spyOn(JSON, 'parse').mockImplementationOnce(() => {
      throw new SyntaxError('Unexpected token')
    })
    const finding = the('json', text)
    expect(finding).toMatchObject({ line, column })
    expect(finding.message).toBe(
      `The schema file is not valid JSON: Unexpected token (line ${line}, column ${column}).`
    )
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

  it('refuses unknown top-level keys and suggests the nearest', () => {
    const text = JSON.stringify({ baseType: DEFAULT_BASE_TYPE, propertes: PROPERTIES })
    expect(rules(text)).toEqual(['unknown-key', 'properties'])
    expect(the('unknown-key', text).message).toBe(
      "Unknown top-level key 'propertes'; did you mean 'properties'?"
    )
  })
})

describe('checkSchema: names', () => {
  it('requires a name', () => {
    const finding = the('name-required', withProperty(1, { name: undefined }))
    expect(finding).toMatchObject({ property: 'properties[1]', line: 13 })
    expect(finding.message).toMatch(/^The property at properties\[1\]: needs a "name"/)
    expect(rules(withProperty(1, { name: '' }))).toEqual(['name-required'])
    expect(rules(withProperty(1, { name: 5 }))).toEqual(['name-required'])
  })

  it.each([[undefined], [''], [5]])('names a property whose name is %p by index', name => {
    const finding = the('name-required', withProperty(1, { name }))
    expect(finding).toMatchObject({ property: 'properties[1]', line: 13 })
    expect(finding.message).toBe(
      'The property at properties[1]: needs a "name": 1 to 32 ASCII letters or digits, like "ticketTitle".'
    )
  })

  it('wants 1 to 32 ASCII letters or digits', () => {
    const spaced = the('name-format', withProperty(1, { name: 'ticket url' }))
    expect(spaced.property).toBe('ticket url')
    expect(spaced.message).toBe(
      "Property 'ticket url': name must be 1 to 32 ASCII letters or digits, like \"ticketTitle\"; it contains ' '."
    )
    expect(the('name-format', withProperty(1, { name: 'naïve' })).message).toContain("contains 'ï'")
    const long = the('name-format', withProperty(1, { name: 'a'.repeat(33) }))
    expect(long.message).toContain('it has 33 characters')
    expect(rules(withProperty(1, { name: 'a'.repeat(32) }))).toEqual([])
  })

  it('wants names unique, ignoring case, and reports the repeat where it is', () => {
    const finding = the('name-unique', withProperty(1, { name: 'Title' }))
    expect(finding).toMatchObject({ property: 'Title', line: 13 })
    expect(finding.message).toBe(
      "Property 'Title': name repeats property 'title'; names must be unique, ignoring case."
    )
  })
})

describe('checkSchema: types and flags', () => {
  it('wants a documented type and suggests the nearest', () => {
    const finding = the('type', withProperty(1, { type: 'strng' }))
    expect(finding).toMatchObject({ property: 'url', line: 13 })
    expect(finding.message).toBe(
      "Property 'url': type is 'strng'; did you mean 'string'? use one of string, int64, double, dateTime, boolean, stringCollection, int64Collection, doubleCollection, dateTimeCollection, principal."
    )
    expect(the('type', withProperty(1, { type: undefined })).message).toContain('has no "type"')
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

  it('wants flags to be booleans, and says so of a quoted "true"', () => {
    const finding = the('flag-type', withProperty(1, { isRetrievable: 'true' }))
    expect(finding.message).toBe(
      "Property 'url': isRetrievable must be true or false, not the string 'true' (remove the quotes)."
    )
    expect(the('flag-type', withProperty(1, { isQueryable: 1 })).message).toContain('not 1.')
  })

  it.each([
    ['true', "the string 'true' (remove the quotes)"],
    ['false', "the string 'false' (remove the quotes)"],
    ['yes', "the string 'yes'"],
    ['', "the string ''"],
    [0, '0'],
    [{}, 'an object']
  ])('says what a flag is when it is %p', (value, found) => {
    expect(the('flag-type', withProperty(1, { isQueryable: value })).message).toBe(
      `Property 'url': isQueryable must be true or false, not ${found}.`
    )
  })

  it('lets only string and stringCollection properties be searchable, naming the type as Graph spells it', () => {
    const finding = the(
      'searchable-type',
      withProperty(3, { type: 'DATETIME', isSearchable: true, isRefinable: false })
    )
    expect(finding.message).toBe(
      "Property 'modified': only string and stringCollection properties can be searchable; this one is dateTime."
    )
    expect(rules(withProperty(4, { isSearchable: true }))).toEqual([])
  })

  it('refuses searchable and refinable together', () => {
    const finding = the(
      'searchable-refinable',
      withProperty(1, { isSearchable: true, isRefinable: true })
    )
    expect(finding.message).toContain('cannot be both searchable and refinable')
  })

  it('allows exact matching only on non-searchable string properties', () => {
    const typed = the('exact-match-type', withProperty(5, { type: 'int64' }))
    expect(typed.message).toBe(
      "Property 'ticketId': isExactMatchRequired needs a string or stringCollection property; this one is int64."
    )
    const searchable = the('exact-match-searchable', withProperty(5, { isSearchable: true }))
    expect(searchable.message).toContain('not searchable')
  })
})

describe('checkSchema: labels', () => {
  it('wants documented labels and suggests the nearest', () => {
    const finding = the('label-unknown', withProperty(0, { labels: ['titel'] }))
    expect(finding.message).toMatch(
      /^Property 'title': label 'titel' is not a Graph label; did you mean 'title'\?/
    )
    expect(rules(withProperty(0, { labels: ['unknownFutureValue'] }))).toContain('label-unknown')
  })

  it('lists the typed labels when a label is unknown', () => {
    expect(the('label-unknown', withProperty(0, { labels: ['titel'] })).message).toBe(
      "Property 'title': label 'titel' is not a Graph label; did you mean 'title'? Labels include title, url, createdBy, lastModifiedBy, authors, createdDateTime, lastModifiedDateTime, fileName, fileExtension, iconUrl, containerName, containerUrl."
    )
  })

  it('wants labels as an array of strings', () => {
    expect(the('labels-format', withProperty(0, { labels: 'title' })).message).toContain(
      "found the string 'title'"
    )
    expect(rules(withProperty(0, { labels: [1] }))).toContain('labels-format')
  })

  it('refuses labels when any of them is not a string', () => {
    const text = withProperty(0, { labels: ['title', 1] })
    expect(rules(text)).toEqual(['labels-format'])
    expect(the('labels-format', text).message).toBe(
      'Property \'title\': labels must be an array of label names, like ["title"]; found an array.'
    )
  })

  it('maps each label to one property, across the schema and within one', () => {
    const across = the('label-unique', withProperty(1, { labels: ['url', 'Title'] }))
    expect(across.message).toBe(
      "Property 'url': label 'title' is already on property 'title'; each label goes on exactly one property."
    )
    const within = the('label-unique', withProperty(0, { labels: ['title', 'title'] }))
    expect(within.message).toContain('already on this property')
  })

  it('wants labelled properties retrievable', () => {
    const finding = the('label-retrievable', withProperty(1, { isRetrievable: false }))
    expect(finding.message).toBe(
      "Property 'url': has label 'url', so it must be retrievable; set \"isRetrievable\": true."
    )
  })

  it('does not want a property retrievable when it has no known label', () => {
    expect(rules(withProperty(5, { labels: [] }))).toEqual([])
    expect(rules(withProperty(5, { labels: ['titel'] }))).toEqual(['label-unknown'])
  })

  it("wants the property's type to be the label's", () => {
    const authors = the('label-type', withProperty(4, { type: 'string' }))
    expect(authors.message).toBe(
      "Property 'authors': label 'authors' needs a stringCollection property; this one is string."
    )
    expect(rules(withProperty(3, { type: 'string', isRefinable: false }))).toEqual(['label-type'])
    expect(rules(withProperty(2, { type: 'int64' }))).toEqual(['label-type'])
  })

  it.each([
    ['title', 'string', 'int64'],
    ['url', 'string', 'int64'],
    ['createdBy', 'string', 'int64'],
    ['lastModifiedBy', 'string', 'int64'],
    ['authors', 'stringCollection', 'string'],
    ['createdDateTime', 'dateTime', 'string'],
    ['lastModifiedDateTime', 'dateTime', 'string'],
    ['fileName', 'string', 'int64'],
    ['fileExtension', 'string', 'int64'],
    ['iconUrl', 'string', 'int64'],
    ['containerName', 'string', 'int64'],
    ['containerUrl', 'string', 'int64']
  ])("wants label '%s' on a %s property", (label, wanted, other) => {
    const property = (type: string) =>
      schemaText([{ name: 'p', type, isRetrievable: true, labels: [label] }])
    expect(the('label-type', property(other)).message).toBe(
      `Property 'p': label '${label}' needs a ${wanted} property; this one is ${other}.`
    )
    expect(rules(property(wanted))).not.toContain('label-type')
  })
})

describe('checkSchema: aliases', () => {
  it('wants an array of strings', () => {
    expect(the('alias-format', withProperty(4, { aliases: 'writers' })).message).toContain(
      'aliases must be an array of strings'
    )
    expect(the('alias-format', withProperty(4, { aliases: [7] })).message).toContain('found 7')
  })

  it('wants 1 to 32 characters, none of them forbidden', () => {
    const spaced = the('alias-format', withProperty(4, { aliases: ['co author'] }))
    expect(spaced.message).toMatch(
      /^Property 'authors': alias 'co author' contains ' '; aliases are 1 to 32/
    )
    for (const alias of ['a:b', 'a/b', 'a|b', 'tab\there', '', 'x'.repeat(33)]) {
      expect(rules(withProperty(4, { aliases: [alias] }))).toEqual(['alias-format'])
    }
  })

  it.each([
    [0, ''],
    [33, 'x'.repeat(33)]
  ])('says an alias has %i characters', (length, alias) => {
    expect(the('alias-format', withProperty(4, { aliases: [alias] })).message).toBe(
      `Property 'authors': alias '${alias}' has ${length} characters; aliases are 1 to 32 characters without white space, control characters or :;,()[]{}%$+!*=&?@#\\~'"<>\`^/|.`
    )
  })

  it('accepts an alias of 32 characters', () => {
    expect(rules(withProperty(4, { aliases: ['x'.repeat(32)] }))).toEqual([])
  })

  it('wants aliases unique across the schema, ignoring case', () => {
    const finding = the('alias-unique', withProperty(5, { aliases: ['Writers'] }))
    expect(finding.message).toBe(
      "Property 'ticketId': alias 'Writers' is already used by property 'authors'; aliases must be unique, ignoring case."
    )
    expect(rules(withProperty(4, { aliases: ['a', 'A'] }))).toEqual(['alias-unique'])
  })
})

describe('checkSchema: other property fields', () => {
  it('refuses unknown keys and names the nearest valid one', () => {
    const finding = the('unknown-key', withProperty(0, { isSearcheable: true }))
    expect(finding).toMatchObject({ property: 'title', line: 4 })
    expect(finding.message).toBe(
      "Property 'title': unknown key 'isSearcheable'; did you mean 'isSearchable'?"
    )
  })

  it('wants a description of at most 200 characters', () => {
    expect(rules(withProperty(0, { description: 'x'.repeat(200) }))).toEqual([])
    expect(the('description', withProperty(0, { description: 'x'.repeat(201) })).message).toContain(
      'found 201 characters'
    )
    expect(rules(withProperty(0, { description: 5 }))).toEqual(['description'])
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

  it('wants rankingHint to carry a documented importanceScore', () => {
    expect(rules(withProperty(0, { rankingHint: { importanceScore: 'high' } }))).toEqual([])
    expect(rules(withProperty(0, { rankingHint: { importanceScore: 'top' } }))).toEqual([
      'ranking-hint'
    ])
    expect(rules(withProperty(0, { rankingHint: 'high' }))).toEqual(['ranking-hint'])
  })

  it.each(['low', 'medium', 'high', 'veryHigh'])('accepts importanceScore %s', importanceScore => {
    expect(rules(withProperty(0, { rankingHint: { importanceScore } }))).toEqual([])
  })

  it('lists the importance scores when rankingHint is wrong', () => {
    const finding = the(
      'ranking-hint',
      withProperty(0, { rankingHint: { importanceScore: 'top' } })
    )
    expect(finding.message).toBe(
      'Property \'title\': rankingHint must look like {"importanceScore": "high"}, with low, medium, high, veryHigh.'
    )
  })

  it.each([
    [
      'a property key',
      withProperty(0, { ranking: 'high' }),
      "Property 'title': unknown key 'ranking'; did you mean 'rankingHint'?"
    ],
    [
      'the first of equally near keys',
      withProperty(0, { id: 'x' }),
      "Property 'title': unknown key 'id'; did you mean 'name'?"
    ],
    [
      'a top-level key',
      schemaText(PROPERTIES, { props: [] }),
      "Unknown top-level key 'props'; did you mean 'properties'?"
    ]
  ])('suggests the nearest for %s', (_, text, message) => {
    expect(the('unknown-key', text).message).toBe(message)
  })

  it('suggests the nearest label', () => {
    expect(the('label-unknown', withProperty(0, { labels: ['icon'] })).message).toMatch(
      /^Property 'title': label 'icon' is not a Graph label; did you mean 'iconUrl'\?/
    )
  })
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

  it('reports every finding, in file order, each with its property line', () => {
    const text = schemaText([
      { name: 'a b', type: 'string' },
      { name: 'ok', type: 'strng', isSearchable: 'yes' },
      { name: 'OK', type: 'string' }
    ])
    const findings = checkSchema(text).findings
    expect(findings.map(f => [f.rule, f.property, f.line])).toEqual([
      ['name-format', 'a b', 4],
      ['type', 'ok', 8],
      ['flag-type', 'ok', 8],
      ['name-unique', 'OK', 13],
      ['copilot-labels', undefined, undefined],
      ['copilot-labels', undefined, undefined],
      ['copilot-labels', undefined, undefined],
      ['copilot-searchable', undefined, undefined]
    ])
  })

  it('finds the lines of the top-level items only, in any layout', () => {
    const text = [
      '{ "extra": { "properties": [ {}, {} ] },',
      '  "properties": [ { "name": "a", "type": "x" },',
      '',
      '    { "name": "b",',
      '      "type": "y" } ] }'
    ].join('\n')
    const lines = checkSchema(text)
      .findings.filter(f => f.rule === 'type')
      .map(f => f.line)
    expect(lines).toEqual([2, 4])
  })

  it('finds the lines of the items of the last "properties" key, as JSON.parse reads it', () => {
    const text = [
      '{ "properties": [ {}, {} ],',
      '  "properties": [ { "name": "a", "type": "x" },',
      '    { "name": "b", "type": "y" } ],',
      '  "@odata.context": { "properties": [ {} ] } }'
    ].join('\n')
    const lines = checkSchema(text)
      .findings.filter(f => f.rule === 'type')
      .map(f => f.line)
    expect(lines).toEqual([2, 3])
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
  ])('finds the lines of the items past the value %s', raw => {
    const finding = the('type', withNote(1, { type: 'strng' }, raw))
    expect(finding).toMatchObject({ property: 'url', line: 13 })
  })

  it('reports findings without lines when the file is nested too deep to follow', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    const finding = the('type', withNote(0, { type: 'strng' }, deep))
    expect(finding).toMatchObject({ property: 'title', line: undefined })
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
})
