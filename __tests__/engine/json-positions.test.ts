// Where a JSON text's values are, by JSON Pointer, and where it stops being JSON.
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import {
  LineIndex,
  parseJsonText,
  pointer,
  readJsonPositions
} from '../../src/engine/json-positions.js'
import { MAX_JSON_DEPTH } from '../../src/engine/json.js'

function positionsOf(text: string): Map<string, number> {
  const read = readJsonPositions(text)
  if (read.kind !== 'json') throw new Error(`stopped at ${read.offset}`)
  return read.positions
}

describe('readJsonPositions', () => {
  it('places the root, each key of an object, and each element of an array', () => {
    const text = '{"a": [10, {"b": null}], "c": "x"}'
    expect([...positionsOf(text)]).toEqual([
      ['', 0],
      ['/a', 1],
      ['/a/0', 7],
      ['/a/1', 11],
      ['/a/1/b', 12],
      ['/c', 25]
    ])
  })

  it('keeps the last place of a repeated key, as JSON.parse keeps its value', () => {
    const text = '{"a": 1,\n "a": [2]}'
    const positions = positionsOf(text)
    expect(positions.get('/a')).toBe(10)
    expect(positions.get('/a/0')).toBe(16)
  })

  it('escapes ~ and / in keys', () => {
    expect(positionsOf('{"a/b": {"~c": 1}}').get('/a~1b/~0c')).toBe(9)
    expect(pointer('a/b', '~c', 3)).toBe('/a~1b/~0c/3')
    expect(pointer()).toBe('')
  })

  it.each([
    ['{"a": 1} x', 9],
    ['{"a" 1}', 5],
    ['{"a": [1 2]}', 9],
    ['{5: 1}', 1],
    ['{"a": }', 6],
    ['', 0],
    ['{"a": "\\u12"}', 6],
    ['[01]', 2]
  ])('stops where %s stops being JSON', (text, offset) => {
    expect(readJsonPositions(text)).toEqual({ kind: 'stop', offset, tooDeep: false })
  })

  it('reads every kind of value, and white space around it', () => {
    const text =
      ' [ "a\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9", -0.5e-3, 1E+2, true, false, null, {}, [] ] '
    expect(positionsOf(text).get('/7')).toBe(text.indexOf('[]'))
    // Numbers of several digits after the point and in the exponent, with and without its sign.
    expect(positionsOf('[12.75, 1e10, 3E-12]').get('/2')).toBe(14)
  })

  it(`follows ${MAX_JSON_DEPTH} levels, and stops past them without recursing further`, () => {
    const fits = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH)
    expect(readJsonPositions(fits).kind).toBe('json')
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    expect(readJsonPositions(deep)).toEqual({
      kind: 'stop',
      offset: MAX_JSON_DEPTH + 1,
      tooDeep: true
    })
    // Objects count as arrays do.
    const objects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
    expect(readJsonPositions(objects(MAX_JSON_DEPTH)).kind).toBe('json')
    expect(readJsonPositions(objects(MAX_JSON_DEPTH + 1))).toMatchObject({ tooDeep: true })
  })

  it('keeps at most 100 repeated keys: one is enough to warn of', () => {
    const text = `{${Array.from({ length: 150 }, () => '"a": 1').join(', ')}}`
    const read = readJsonPositions(text)
    expect(read.kind === 'json' && read.repeated.length).toBe(100)
  })
})

describe('parseJsonText', () => {
  it('gives the value, the places, the repeated keys and the lines of JSON', () => {
    const parsed = parseJsonText('{"a": 1,\n "a": [2]}')
    expect(parsed).toMatchObject({ kind: 'json', value: { a: [2] } })
    if (parsed.kind !== 'json') throw new Error('not JSON')
    expect(parsed.positions.get('/a/0')).toBe(16)
    expect(parsed.repeated).toEqual([{ key: 'a', offset: 10 }])
    expect(parsed.lines.at(16)).toEqual({ line: 2, column: 8 })
  })

  it("says where the text stops being JSON, with JSON.parse's reason and none of the text", () => {
    const parsed = parseJsonText('{\n  "secretvalue" "x"\n}')
    expect(parsed).toMatchObject({ kind: 'invalid', line: 2, column: 17 })
    if (parsed.kind === 'json') throw new Error('JSON')
    expect(parsed.reason).not.toMatch(/secretvalue|position|line \d/)
    expect(parsed.reason.length).toBeGreaterThan(0)
  })

  describe('keeps the reason of every message V8 writes, and drops its place and echo', () => {
    afterEach(() => {
      jest.restoreAllMocks()
    })
    it.each([
      ['Unexpected end of JSON input', 'Unexpected end of JSON input'],
      ['Unexpected token \'x\', "{"a" x}" is not valid JSON', "Unexpected token 'x'"],
      ['Unexpected token \'x\', ..."cret" x\n}"... is not valid JSON', "Unexpected token 'x'"],
      [
        "Expected ',' or '}' after property value in JSON at position 17",
        "Expected ',' or '}' after property value"
      ],
      [
        "Expected ',' or '}' after property value in JSON at position 17 (line 2 column 17)",
        "Expected ',' or '}' after property value"
      ],
      [
        'Unexpected non-whitespace character after JSON at position 9',
        'Unexpected non-whitespace character after JSON'
      ]
    ])('%j', (message, reason) => {
      jest.spyOn(JSON, 'parse').mockImplementationOnce(() => {
        throw new SyntaxError(message)
      })
      expect(parseJsonText('{"a": 1} x')).toMatchObject({
        kind: 'invalid',
        line: 1,
        column: 10,
        reason
      })
    })
  })

  it.each(['{\u0000"\u0000a\u0000"\u0000:1}', '\uFFFD\uFFFD{"a": 1}'])(
    'takes %j for UTF-16 read as UTF-8: NULs, or its byte order mark as two U+FFFD',
    text => {
      expect(parseJsonText(text)).toEqual({ kind: 'utf16', line: 1, column: 1, reason: '' })
    }
  )

  it('reads U+FFFD inside a string as text', () => {
    expect(parseJsonText('{"a": "\uFFFD\uFFFD"}')).toMatchObject({
      kind: 'json',
      value: { a: '\uFFFD\uFFFD' }
    })
  })

  it('says where valid JSON nests too deep, with no reason', () => {
    const deep = '['.repeat(100) + ']'.repeat(100)
    expect(parseJsonText(deep)).toEqual({
      kind: 'tooDeep',
      line: 1,
      column: MAX_JSON_DEPTH + 2,
      reason: ''
    })
  })
})

describe('LineIndex', () => {
  it('gives 1-based lines and columns, the first line and the last included', () => {
    const lines = new LineIndex('ab\ncd\n\nef')
    expect(lines.at(0)).toEqual({ line: 1, column: 1 })
    expect(lines.at(2)).toEqual({ line: 1, column: 3 })
    expect(lines.at(3)).toEqual({ line: 2, column: 1 })
    expect(lines.at(6)).toEqual({ line: 3, column: 1 })
    expect(lines.at(7)).toEqual({ line: 4, column: 1 })
    expect(lines.at(9)).toEqual({ line: 4, column: 3 })
    expect(new LineIndex('\nab').at(1)).toEqual({ line: 2, column: 1 })
  })

  it('finds a line among many by halving', () => {
    const text = 'x\n'.repeat(1_000)
    const lines = new LineIndex(text)
    for (const line of [1, 2, 500, 999, 1000, 1001]) {
      expect(lines.at((line - 1) * 2)).toEqual({ line, column: 1 })
    }
  })
})
