import { describe, expect, it } from '@jest/globals'
import { capitalize, formatSeconds } from '../../src/engine/text.js'

describe('formatSeconds', () => {
  it.each([
    [0, '0.0 s'],
    [400, '0.4 s'],
    [9_949, '9.9 s'],
    [9_999, '10.0 s'],
    [10_000, '10 s'],
    [12_345, '12 s'],
    [1_800_000, '1800 s']
  ])('writes %i ms as %s', (ms, text) => {
    expect(formatSeconds(ms)).toBe(text)
  })
})

describe('capitalize', () => {
  it('upper-cases the first letter only', () => {
    expect(capitalize("operation 'op'")).toBe("Operation 'op'")
    expect(capitalize('')).toBe('')
  })
})
