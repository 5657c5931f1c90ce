// The exit code of a verdict: what a pipeline branches on.
import { describe, expect, it } from '@jest/globals'
import { EXIT, exitCodeOf } from '../../src/cli/main.js'
import { outputsOf } from '../../src/engine/verdict.js'

const verdict = (level: 'pass' | 'warn' | 'fail', outputs = outputsOf({ elapsedMs: 0 })) => ({
  level,
  outputs
})

describe('exitCodeOf', () => {
  it('is 0 for a pass and for a warning (a failure with fail-on-failure false)', () => {
    expect(exitCodeOf(verdict('pass'))).toBe(EXIT.ok)
    expect(exitCodeOf(verdict('warn'))).toBe(0)
  })

  it('is 1 for a failure', () => {
    expect(exitCodeOf(verdict('fail'))).toBe(1)
  })

  it('is 2 for a schema file that fails the local checks: bad input, nothing was sent', () => {
    const outputs = {
      ...outputsOf({ status: 'invalid', elapsedMs: 0 }),
      'error-code': 'InvalidSchemaFile'
    }
    expect(exitCodeOf(verdict('fail', outputs))).toBe(2)
  })

  it('is 128 plus the signal for a run stopped by one', () => {
    expect(exitCodeOf(verdict('fail'), 'SIGINT')).toBe(130)
    expect(exitCodeOf(verdict('fail'), 'SIGTERM')).toBe(143)
    expect(exitCodeOf(verdict('pass'), 'SIGINT')).toBe(0)
  })
})
