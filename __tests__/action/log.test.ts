// The engine's Log in the action: each line to its @actions/core function, and
// each secret masked once, by the runner and by the engine.
import { describe, expect, it, jest } from '@jest/globals'

const calls: string[] = []
const actual = await import('@actions/core')
jest.unstable_mockModule('@actions/core', () => ({
  ...actual,
  info: (message: string) => calls.push(`info: ${message}`),
  debug: (message: string) => calls.push(`debug: ${message}`),
  warning: (message: string) => calls.push(`warning: ${message}`),
  setSecret: (value: string) => calls.push(`setSecret: ${value}`)
}))
const { actionLog } = await import('../../src/action/log.js')
const { maskSecrets } = await import('../../src/engine/text.js')

describe('actionLog', () => {
  it('writes each line with the core function of its kind', () => {
    calls.length = 0
    const log = actionLog()
    log.info('a')
    log.debug('b')
    log.warning('c')
    expect(calls).toEqual(['info: a', 'debug: b', 'warning: c'])
  })

  it('masks a secret once with the runner, and the engine masks it too', () => {
    calls.length = 0
    const log = actionLog()
    log.secret('s3cr3t-value')
    log.secret('s3cr3t-value')
    expect(calls).toEqual(['setSecret: s3cr3t-value'])
    expect(maskSecrets('a s3cr3t-value b')).toBe('a *** b')
  })
})
