import { describe, expect, it } from '@jest/globals'
import { DeadlineExceededError } from '../src/errors.js'
import type { ConnectionOperation } from '../src/graph.js'
import { waitForOperation } from '../src/wait.js'
import type { WaitOptions } from '../src/wait.js'

/** A fake clock: sleep advances time instantly and records what was asked. */
function fakeTime() {
  let time = 0
  const sleeps: number[] = []
  return {
    now: () => time,
    sleep: async (ms: number) => {
      sleeps.push(ms)
      time += ms
    },
    advance: (ms: number) => (time += ms),
    sleeps
  }
}

function scripted(statuses: string[], clock: { advance: (ms: number) => number }, costMs = 0) {
  const polledAt: number[] = []
  let i = 0
  const getOperation = async (): Promise<ConnectionOperation> => {
    polledAt.push(clock.advance(costMs) - costMs)
    const status = statuses[Math.min(i++, statuses.length - 1)]
    return { id: 'op', status, error: status === 'failed' ? { code: 'C', message: 'M' } : null }
  }
  return { getOperation, polledAt }
}

function options(
  overrides: Partial<WaitOptions> & Pick<WaitOptions, 'getOperation' | 'now' | 'sleep'>
): WaitOptions {
  return { pollIntervalMs: 10_000, deadline: 60_000, ...overrides }
}

describe('waitForOperation', () => {
  it('polls at once, then every interval, until completed', async () => {
    const clock = fakeTime()
    const { getOperation, polledAt } = scripted(['unspecified', 'inprogress', 'completed'], clock)
    const result = await waitForOperation(options({ getOperation, ...clock }))

    expect(result).toMatchObject({ outcome: 'completed', polls: 3 })
    expect(polledAt).toEqual([0, 10_000, 20_000])
    expect(clock.sleeps).toEqual([10_000, 10_000])
  })

  it('returns failed with the operation, without another sleep', async () => {
    const clock = fakeTime()
    const { getOperation } = scripted(['inprogress', 'failed'], clock)
    const result = await waitForOperation(options({ getOperation, ...clock }))

    expect(result.outcome).toBe('failed')
    expect(result.operation?.error).toEqual({ code: 'C', message: 'M' })
    expect(clock.sleeps).toEqual([10_000])
  })

  it('matches statuses case-insensitively', async () => {
    const clock = fakeTime()
    const { getOperation } = scripted(['InProgress', 'Completed'], clock)
    const unknown: string[] = []
    const result = await waitForOperation(
      options({ getOperation, ...clock, onUnknownStatus: s => unknown.push(s) })
    )
    expect(result.outcome).toBe('completed')
    expect(unknown).toEqual([])
  })

  it('warns once per unknown status and keeps waiting', async () => {
    const clock = fakeTime()
    const statuses = [
      'unknownFutureValue',
      'unknownFutureValue',
      'queued',
      'unknownFutureValue',
      'completed'
    ]
    const { getOperation } = scripted(statuses, clock)
    const unknown: string[] = []
    const result = await waitForOperation(
      options({ getOperation, ...clock, onUnknownStatus: s => unknown.push(s) })
    )
    expect(result).toMatchObject({ outcome: 'completed', polls: 5 })
    expect(unknown).toEqual(['unknownFutureValue', 'queued'])
  })

  it('never sleeps past the deadline and times out with the last operation', async () => {
    const clock = fakeTime()
    const { getOperation, polledAt } = scripted(['inprogress'], clock, 500)
    const result = await waitForOperation(
      options({ getOperation, ...clock, pollIntervalMs: 10_000, deadline: 25_000 })
    )
    expect(result).toMatchObject({ outcome: 'timedOut', polls: 3 })
    expect(result.operation?.status).toBe('inprogress')
    // Each poll costs 0.5 s; the last sleep is cut to what is left of the deadline.
    expect(polledAt).toEqual([0, 10_500, 21_000])
    expect(clock.sleeps).toEqual([10_000, 10_000, 3_500])
    expect(clock.now()).toBe(25_000)
  })

  it('times out without sleeping when a poll ends past the deadline', async () => {
    const clock = fakeTime()
    const { getOperation } = scripted(['inprogress'], clock, 2_000)
    const result = await waitForOperation(options({ getOperation, ...clock, deadline: 1_000 }))
    expect(result).toMatchObject({ outcome: 'timedOut', polls: 1 })
    expect(clock.sleeps).toEqual([])
  })

  it('reports a request cut off by the deadline as a timeout, with the cause', async () => {
    const clock = fakeTime()
    const cause = new DeadlineExceededError('https://graph.microsoft.com/v1.0/x')
    let calls = 0
    const getOperation = async (): Promise<ConnectionOperation> => {
      if (calls++ === 0) return { status: 'inprogress' }
      throw cause
    }
    const result = await waitForOperation(options({ getOperation, ...clock }))
    expect(result).toEqual({
      outcome: 'timedOut',
      operation: { status: 'inprogress' },
      polls: 1,
      cause
    })
  })

  it('returns any other error with the last operation seen', async () => {
    const clock = fakeTime()
    const error = new Error('403')
    const getOperation = async (): Promise<ConnectionOperation> => {
      throw error
    }
    const result = await waitForOperation(options({ getOperation, ...clock }))
    expect(result).toEqual({ outcome: 'error', error, operation: undefined, polls: 0 })
  })

  it('tells onPoll about every poll', async () => {
    const clock = fakeTime()
    const { getOperation } = scripted(['inprogress', 'completed'], clock)
    const seen: [string, number][] = []
    await waitForOperation(
      options({ getOperation, ...clock, onPoll: (op, n) => seen.push([op.status, n]) })
    )
    expect(seen).toEqual([
      ['inprogress', 1],
      ['completed', 2]
    ])
  })
})
