// What every output shares: the redactor, masked outputs, and the --json line.
import { describe, expect, it } from '@jest/globals'
import { maskedOutputs, outputsJson, safeLine } from '../../src/cli/output.js'
import { Redactor } from '../../src/cli/redact.js'
import { OUTPUT_NAMES, outputsOf } from '../../src/engine/verdict.js'

describe('Redactor', () => {
  it('masks every occurrence of every secret, the longest first', () => {
    const redactor = new Redactor()
    redactor.add('abc')
    redactor.add('abcdef')
    redactor.add('')
    expect(redactor.apply('x abcdef abc abcdefabc')).toBe('x *** *** ******')
    expect(redactor.apply('nothing here')).toBe('nothing here')
  })
})

describe('safeLine', () => {
  it("escapes the first ':' of a line that starts with '::', after its indent only", () => {
    const redactor = new Redactor()
    expect(safeLine(redactor, '::warning ::x')).toBe('\\::warning ::x')
    expect(safeLine(redactor, '  ::error::x')).toBe('  \\::error::x')
    expect(safeLine(redactor, 'file ::warning ::x')).toBe('file ::warning ::x')
  })
})

describe('maskedOutputs', () => {
  it('masks the secrets in every output value', () => {
    const redactor = new Redactor()
    redactor.add('tok-42-secret')
    const outputs = {
      ...outputsOf({ status: 'failed', elapsedMs: 0 }),
      'error-message': 'echoed tok-42-secret'
    }
    expect(maskedOutputs(outputs, redactor)['error-message']).toBe('echoed ***')
  })
})

describe('outputsJson', () => {
  it("is one line of valid JSON holding every output, in the action's order", () => {
    const outputs = {
      ...outputsOf({ status: 'completed', elapsedMs: 2_000 }),
      'operation-url': 'u'
    }
    const json = outputsJson(outputs)
    expect(json).not.toContain('\n')
    expect(Object.keys(JSON.parse(json))).toEqual([...OUTPUT_NAMES])
    expect(JSON.parse(json)).toEqual(outputs)
  })

  it("puts the summary's facts after the outputs, under summary, when there are some", () => {
    const outputs = outputsOf({ status: 'completed', elapsedMs: 0 })
    const json = JSON.parse(outputsJson(outputs, { changes: 1 }))
    expect(Object.keys(json)).toEqual([...OUTPUT_NAMES, 'summary'])
    expect(json.summary).toEqual({ changes: 1 })
  })

  it('escapes what a CI log would read as a command or a line break, keeping the values', () => {
    const nasty = 'a ##vso[task.setvariable variable=x]y ##[error]z\u2028\u0085\u202e\n'
    const outputs = { ...outputsOf({ elapsedMs: 0 }), 'error-message': nasty }
    const json = outputsJson(outputs)
    expect(json).not.toContain('##')
    expect(json).not.toMatch(/[\u2028\u0085\u202e\n]/)
    expect(JSON.parse(json)['error-message']).toBe(nasty)
  })
})
