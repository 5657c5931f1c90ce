// The dotenv file for GitLab: keys GitLab accepts, one line per value, '$'
// escaped, and the whole file under GitLab's size limit whatever Graph sends.
import { describe, expect, it } from '@jest/globals'
import { DOTENV_MAX_BYTES, dotenvKey, dotenvText, dotenvValue } from '../../src/cli/dotenv.js'
import { OUTPUT_NAMES, outputsOf } from '../../src/engine/verdict.js'

describe('dotenvKey', () => {
  it('spells every output as GitLab accepts a key: letters, digits and _', () => {
    expect(OUTPUT_NAMES.map(dotenvKey)).toEqual([
      'STATUS',
      'ERROR_CODE',
      'ERROR_MESSAGE',
      'OPERATION',
      'CONNECTION',
      'ELAPSED_SECONDS',
      'OPERATION_URL',
      'CHANGES'
    ])
    for (const name of OUTPUT_NAMES) expect(dotenvKey(name)).toMatch(/^[A-Za-z0-9_]+$/)
  })
})

describe('dotenvValue', () => {
  it('keeps a value on one line, trimmed, as GitLab reads it back', () => {
    expect(dotenvValue(' line one\r\nline two\u2028three\t', 100)).toBe('line one line two three')
  })

  it("escapes '$' as '$$', which GitLab's runner expands back to '$'", () => {
    expect(dotenvValue('{"@odata.context":"$metadata#x"} costs $5', 100)).toBe(
      '{"@odata.context":"$$metadata#x"} costs $$5'
    )
  })

  it('cuts a long value to its byte budget, saying so, without splitting a character', () => {
    const cut = dotenvValue('é'.repeat(1_000), 300)
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(300)
    expect(cut).toMatch(/^é+… \[\d+ more characters cut\]$/)
    const kept = cut.indexOf('…')
    expect(cut).toContain(`[${1_000 - kept} more characters cut]`)
  })

  it.each([
    ['a value that fits exactly', 'a'.repeat(100), 'a'.repeat(100)],
    ['a value one byte over', 'a'.repeat(101), `${'a'.repeat(71)}… [30 more characters cut]`],
    ['escaped $', '$'.repeat(101), `${'$$'.repeat(35)}… [66 more characters cut]`]
  ])('keeps as much of %s as 100 bytes hold', (_, text, expected) => {
    const value = dotenvValue(text, 100)
    expect(value).toBe(expected)
    expect(Buffer.byteLength(value)).toBeLessThanOrEqual(100)
  })

  it('never splits an escaped $ when cutting', () => {
    const cut = dotenvValue('$'.repeat(500), 101)
    expect(cut.slice(0, cut.indexOf('…'))).toMatch(/^(\$\$)+$/)
  })
})

describe('dotenvText', () => {
  it('writes one KEY=VALUE line per output, in order, with no blank line', () => {
    const text = dotenvText({
      ...outputsOf({ status: 'completed', elapsedMs: 312_400 }),
      'operation-url': 'https://graph.microsoft.com/v1.0/external/connections/c/operations/o'
    })
    expect(text).toBe(
      [
        'STATUS=completed',
        'ERROR_CODE=',
        'ERROR_MESSAGE=',
        'OPERATION=',
        'CONNECTION=',
        'ELAPSED_SECONDS=312.4',
        'OPERATION_URL=https://graph.microsoft.com/v1.0/external/connections/c/operations/o',
        'CHANGES=',
        ''
      ].join('\n')
    )
  })

  it('writes an output that is not set as an empty value', () => {
    expect(dotenvText({ status: 'completed' } as never)).toBe(
      'STATUS=completed\nERROR_CODE=\nERROR_MESSAGE=\nOPERATION=\nCONNECTION=\n' +
        'ELAPSED_SECONDS=\nOPERATION_URL=\nCHANGES=\n'
    )
  })

  it('stays under the limit when every value is as large as an output gets', () => {
    const huge = '€$\n'.repeat(30_000)
    const outputs = Object.fromEntries(OUTPUT_NAMES.map(name => [name, huge]))
    const text = dotenvText(outputs as never)
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(DOTENV_MAX_BYTES)
    expect(DOTENV_MAX_BYTES).toBeLessThan(5 * 1024)
    const lines = text.split('\n')
    expect(lines.pop()).toBe('')
    expect(lines).toHaveLength(OUTPUT_NAMES.length)
    for (const line of lines) expect(line).toMatch(/^[A-Z_]+=\S.*… \[\d+ more characters cut\]$/)
  })
})
