import { describe, expect, it } from '@jest/globals'
import { DeadlineExceededError } from '../src/errors.js'
import type { JsonObject } from '../src/http.js'
import { watchFor } from '../src/targets.js'
import { AUTO_MAX_MS, AUTO_MIN_MS, pollIntervalAt, waitFor } from '../src/wait.js'
import type { WaitOptions } from '../src/wait.js'

type Operation = { id?: string; status: string; error?: JsonObject | null }

/** The real operation rules (targets.ts), reading from a stub instead of Graph. */
function operation(getOperation: () => Promise<Operation>) {
  const graph = { getOperation, getConnection: getOperation } as never
  return watchFor({ kind: 'operation', connectionId: 'c', operationId: 'op' }, graph)
}

async function waitForOperation(
  options: Partial<WaitOptions> &
    Pick<WaitOptions, 'now' | 'sleep'> & { getOperation: () => Promise<Operation> }
) {
  const { getOperation, ...rest } = options
  const result = await waitFor(operation(getOperation), {
    pollIntervalMs: 10_000,
    deadline: 60_000,
    ...rest
  })
  return { ...result, operation: result.resource }
}

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
  const getOperation = async (): Promise<Operation> => {
    polledAt.push(clock.advance(costMs) - costMs)
    const status = statuses[Math.min(i++, statuses.length - 1)]
    return { id: 'op', status, error: status === 'failed' ? { code: 'C', message: 'M' } : null }
  }
  return { getOperation, polledAt }
}

const options = <T>(overrides: T): T => overrides

describe('waitForOperation', () => {
  it('polls at once, then every interval, until completed', async () => {
    const clock = fakeTime()
    const { getOperation, polledAt } = scripted(['unspecified', 'inprogress', 'completed'], clock)
    const result = await waitForOperation(options({ getOperation, ...clock }))

    expect(result).toMatchObject({ outcome: 'done', status: 'completed', polls: 3 })
    expect(polledAt).toEqual([0, 10_000, 20_000])
    expect(clock.sleeps).toEqual([10_000, 10_000])
  })

  it('returns failed with the operation, without another sleep', async () => {
    const clock = fakeTime()
    const { getOperation } = scripted(['inprogress', 'failed'], clock)
    const result = await waitForOperation(options({ getOperation, ...clock }))

    expect(result.outcome).toBe('failed')
    expect(result.operation?.error).toEqual({ code: 'C', message: 'M' })
    expect(result.status).toBe('failed')
    expect(clock.sleeps).toEqual([10_000])
  })

  it('matches statuses case-insensitively', async () => {
    const clock = fakeTime()
    const { getOperation } = scripted(['InProgress', 'Completed'], clock)
    const unknown: string[] = []
    const result = await waitForOperation(
      options({ getOperation, ...clock, onUnknownStatus: s => unknown.push(s) })
    )
    expect(result.outcome).toBe('done')
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
    expect(result).toMatchObject({ outcome: 'done', polls: 5 })
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
    // Each poll costs 0.5 s, which comes out of the interval (start to start);
    // the last sleep is cut to what is left of the deadline.
    expect(polledAt).toEqual([0, 10_000, 20_000])
    expect(clock.sleeps).toEqual([9_500, 9_500, 4_500])
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
    const getOperation = async (): Promise<Operation> => {
      if (calls++ === 0) return { status: 'inprogress' }
      throw cause
    }
    const result = await waitForOperation(options({ getOperation, ...clock }))
    expect(result).toEqual({
      outcome: 'timedOut',
      operation: { status: 'inprogress' },
      resource: { status: 'inprogress' },
      status: 'inprogress',
      polls: 1,
      cause
    })
  })

  it('returns any other error with the last operation seen', async () => {
    const clock = fakeTime()
    const error = new Error('403')
    const getOperation = async (): Promise<Operation> => {
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
      options({ getOperation, ...clock, onPoll: (status, _op, n) => seen.push([status, n]) })
    )
    expect(seen).toEqual([
      ['inprogress', 1],
      ['completed', 2]
    ])
  })
})

describe('waiting for a connection to be ready', () => {
  function connection(states: string[]) {
    let i = 0
    const read = async (): Promise<JsonObject> => ({
      id: 'c',
      state: states[Math.min(i++, states.length - 1)]
    })
    return watchFor({ kind: 'connection', connectionId: 'c' }, { getConnection: read } as never)
  }

  it('waits through draft until ready', async () => {
    const clock = fakeTime()
    const result = await waitFor(connection(['draft', 'draft', 'ready']), {
      ...clock,
      pollIntervalMs: 1_000,
      deadline: 60_000
    })
    expect(result).toMatchObject({ outcome: 'done', status: 'ready', polls: 3 })
  })

  it.each(['limitExceeded', 'obsolete'])('fails on %s with an explanation', async state => {
    const clock = fakeTime()
    const watch = connection(['draft', state])
    const result = await waitFor(watch, { ...clock, pollIntervalMs: 1_000, deadline: 60_000 })
    expect(result).toMatchObject({ outcome: 'failed', status: state })
    const failure = watch.failureOf(result.resource ?? {})
    expect(failure.code).toBe(state)
    expect(failure.text).toMatch(new RegExp(`^Connection 'c' is ${state}: .{20,}`))
  })

  it('keeps waiting through a state it does not know, warning once', async () => {
    const clock = fakeTime()
    const unknown: string[] = []
    const result = await waitFor(
      connection(['unknownFutureValue', 'unknownFutureValue', 'ready']),
      {
        ...clock,
        pollIntervalMs: 1_000,
        deadline: 60_000,
        onUnknownStatus: s => unknown.push(s)
      }
    )
    expect(result.outcome).toBe('done')
    expect(unknown).toEqual(['unknownFutureValue'])
  })
})

describe("poll-interval-seconds: 'auto'", () => {
  it('starts at 2 s, grows with a tenth of the time waited, and stops at 30 s', () => {
    expect(pollIntervalAt('auto', 0)).toBe(AUTO_MIN_MS)
    expect(pollIntervalAt('auto', 19_000)).toBe(2_000)
    expect(pollIntervalAt('auto', 60_000)).toBe(6_000)
    expect(pollIntervalAt('auto', 300_000)).toBe(AUTO_MAX_MS)
    expect(pollIntervalAt('auto', 3_600_000)).toBe(AUTO_MAX_MS)
    expect(pollIntervalAt(7_000, 3_600_000)).toBe(7_000)
  })

  // The promise of 'auto', checked for every completion second of a 10-minute wait:
  // seen within 2 s in the first 20 s, and within 10% of the time waited after that.
  it('sees any result within max(2 s, 10% of the time waited), for ten minutes', async () => {
    const requestMs = 50
    for (let doneAt = 1_000; doneAt <= 600_000; doneAt += 1_000) {
      const clock = fakeTime()
      const watch = watchFor({ kind: 'operation', connectionId: 'c', operationId: 'op' }, {
        getOperation: async () => {
          clock.advance(requestMs)
          return { status: clock.now() >= doneAt ? 'completed' : 'inprogress' }
        }
      } as never)
      const result = await waitFor(watch, {
        ...clock,
        pollIntervalMs: 'auto',
        startedAt: 0,
        deadline: 3_600_000
      })
      expect(result.outcome).toBe('done')
      const latency = clock.now() - doneAt
      // The poll that sees it returns one request after the completion, at most.
      expect(latency).toBeLessThanOrEqual(Math.max(2_000, doneAt / 10))
    }
  })

  it('spends about 50 requests on a 10-minute wait', async () => {
    const clock = fakeTime()
    const { getOperation } = scripted(['inprogress'], clock, 50)
    const result = await waitForOperation(
      options({ getOperation, ...clock, pollIntervalMs: 'auto', startedAt: 0, deadline: 600_000 })
    )
    expect(result.polls).toBeGreaterThanOrEqual(40)
    expect(result.polls).toBeLessThanOrEqual(55)
  })
})
