// Reading JSON that nobody vouches for.
import { describe, expect, it } from '@jest/globals'
import {
  MAX_JSON_DEPTH,
  asObject,
  nestsDeeperThan,
  objectField,
  parseJsonObject,
  stringField
} from '../../src/engine/json.js'

describe('parseJsonObject', () => {
  it('reads an object', () => {
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 })
  })
  it.each(['', 'OK', '<html></html>', '[1]', 'null', '"text"', '42', '{"a":'])(
    'gives undefined for %j',
    text => {
      expect(parseJsonObject(text)).toBeUndefined()
    }
  )
})

describe('asObject', () => {
  it('keeps objects and drops everything else', () => {
    expect(asObject({ a: 1 })).toEqual({ a: 1 })
    for (const value of [null, undefined, [], 'x', 1, true]) expect(asObject(value)).toBeUndefined()
  })
})

describe('stringField and objectField', () => {
  const object = JSON.parse('{"s":"text","n":1,"o":{"a":1},"nil":null,"arr":[]}')

  it('reads a field of the right type', () => {
    expect(stringField(object, 's')).toBe('text')
    expect(objectField(object, 'o')).toEqual({ a: 1 })
  })

  it('gives empty for a missing field, a field of another type, or no object', () => {
    expect(stringField(object, 'n')).toBe('')
    expect(stringField(object, 'missing')).toBe('')
    expect(stringField(undefined, 's')).toBe('')
    expect(objectField(object, 'nil')).toBeUndefined()
    expect(objectField(object, 'arr')).toBeUndefined()
    expect(objectField(object, 's')).toBeUndefined()
    expect(objectField(undefined, 'o')).toBeUndefined()
  })

  it('never reads what an object inherits', () => {
    expect(stringField({}, 'constructor')).toBe('')
    expect(objectField({}, '__proto__')).toBeUndefined()
    expect(objectField({}, 'constructor')).toBeUndefined()
  })
})

describe('nestsDeeperThan', () => {
  const nested = (depth: number) => '{"a":'.repeat(depth - 1) + '[1]' + '}'.repeat(depth - 1)

  it('counts arrays and objects, up to and past the bound', () => {
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false)
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true)
    expect(nestsDeeperThan('['.repeat(100_000) + ']'.repeat(100_000), MAX_JSON_DEPTH)).toBe(true)
  })

  it('counts a closing bracket or brace as one level up', () => {
    expect(nestsDeeperThan('{"a":[1],"b":{"c":1},"d":[[1]]}', 3)).toBe(false)
    expect(nestsDeeperThan('{"a":[1],"b":{"c":1},"d":[[1]]}', 2)).toBe(true)
  })

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ m: '['.repeat(100) + '\\"{{{{', n: ['x'] })
    expect(nestsDeeperThan(text, 2)).toBe(false)
    expect(nestsDeeperThan(JSON.stringify({ m: 'a\\', n: [[[1]]] }), 3)).toBe(true)
  })

  it('is 64: a Graph resource nests a few levels', () => {
    expect(MAX_JSON_DEPTH).toBe(64)
  })
})
