import { describe, expect, it } from '@jest/globals'
import {
  capitalize,
  formatDuration,
  formatSeconds,
  inert,
  rememberSecret,
  truncate
} from '../../src/engine/text.js'

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

describe('truncate', () => {
  it('keeps short text and cuts long text, saying how much', () => {
    expect(truncate('abc', 3)).toBe('abc')
    expect(truncate('abcdef', 3)).toBe('abc… [3 more characters cut]')
  })

  it('masks a remembered secret before the cut, so no part of it is left unmasked', () => {
    const secret = 'cut~Secret.Value-0123456789'
    rememberSecret(secret)
    const text = `${'x'.repeat(990)}${secret}${'y'.repeat(100)}`
    expect(truncate(text, 1_000)).toBe(
      `${'x'.repeat(990)}***${'y'.repeat(7)}… [93 more characters cut]`
    )
    expect(inert(text)).not.toContain(secret.slice(0, 4))
    // Text short enough to keep whole is left to the front door's own masking.
    expect(truncate(secret, 100)).toBe(secret)
    expect(truncate(secret, secret.length)).toBe(secret)
    // Masked, it fits exactly: kept whole, nothing said cut.
    expect(truncate(`ab${secret}`, 5)).toBe('ab***')
  })

  it('masks the longest secret first, and remembers no empty one', () => {
    rememberSecret('')
    rememberSecret('long~Secret')
    rememberSecret('long~Secret.Value-9876543210')
    rememberSecret('long~Secret')
    expect(truncate(`${'x'.repeat(20)}long~Secret.Value-9876543210`, 25)).toBe(
      `${'x'.repeat(20)}***`
    )
  })
})

describe('inert', () => {
  it('escapes line breaks, so outside text cannot start a workflow command', () => {
    expect(inert('inprogress\n::error title=x::y')).toBe('inprogress\\n::error title=x::y')
    expect(inert('a\rb\r\nc')).toBe('a\\rb\\r\\nc')
    expect(inert('x\n::stop-commands::token')).not.toContain('\n')
  })

  it('escapes other control characters, ANSI escapes and bidirectional overrides', () => {
    expect(inert('\u001b[31mred\u001b[0m')).toBe('\\u001b[31mred\\u001b[0m')
    expect(inert('tab\there\u0000\u007f\u0085')).toBe('tab\\there\\u0000\\u007f\\u0085')
    expect(inert('a\u2028b\u2029c\u202ed\u2066e')).toBe('a\\u2028b\\u2029c\\u202ed\\u2066e')
  })

  it('breaks the command forms read anywhere in a line', () => {
    expect(inert('x ##[error]forged')).toBe('x #\\#[error]forged')
    expect(inert('x ##vso[task.logissue type=error]forged')).toBe(
      'x #\\#vso[task.logissue type=error]forged'
    )
    expect(inert('x ##VSO[task.complete]')).toBe('x #\\#VSO[task.complete]')
    expect(inert('issue #1 and ## headings [x]')).toBe('issue #1 and ## headings [x]')
  })

  it('leaves ordinary text, quotes and Unicode alone', () => {
    const text = "Property 'title' can't be <searchable> — é, ✓"
    expect(inert(text)).toBe(text)
  })

  it('cuts long text before escaping it, with 1000 characters by default', () => {
    expect(inert('a'.repeat(1_500))).toBe(`${'a'.repeat(1_000)}… [500 more characters cut]`)
    expect(inert('\n'.repeat(10), 4)).toBe('\\n\\n\\n\\n… [6 more characters cut]')
  })
})

describe('formatDuration', () => {
  it('says seconds under a minute, then minutes and seconds, then hours and minutes', () => {
    expect(formatDuration(4_250)).toBe('4.3 s')
    expect(formatDuration(59_400)).toBe('59 s')
    expect(formatDuration(60_000)).toBe('1 min')
    expect(formatDuration(372_000)).toBe('6 min 12 s')
    expect(formatDuration(1_800_000)).toBe('30 min')
    expect(formatDuration(3_599_600)).toBe('1 h')
    expect(formatDuration(7_500_000)).toBe('2 h 5 min')
  })
})
