// The polling loop on a fake clock: when it polls, when it stops, and what it returns.
import { describe, expect, it } from '@jest/globals'
import { CancelledError, DeadlineExceededError } from '../../src/engine/errors.js'
import type { JsonObject } from '../../src/engine/json.js'
import {
  AUTO_MAX_MS,
  AUTO_MIN_MS,
  endedBy,
  pollIntervalAt,
  waitFor
} from '../../src/engine/wait.js'
import type { StatusMeaning, Watched } from '../../src/engine/wait.js'
import { fakeBudget } from '../helpers/fake-budget.js'
import type { FakeBudget } from '../helpers/fake-budget.js'

const MEANINGS: Record<string, StatusMeaning> = {
  done: 'done',
  failed: 'failed',
  pending: 'pending'
}

/**
 * Watches a resource whose status runs through `statuses` (the last repeats);
 * each read costs `costMs` on the fake clock and records when it started.
 */
function scripted(budget: FakeBudget, statuses: string[], costMs = 0) {
  const polledAt: number[] = []
  let i = 0
  const watched: Watched = {
    read: async () => {
      polledAt.push(budget.now())
      budget.advance(costMs)
      return { status: statuses[Math.min(i++, statuses.length - 1)] }
    },
    statusOf: resource => String(resource.status),
    meaningOf: status => MEANINGS[status]
  }
  return { watched, polledAt }
}

describe('waitFor', () => {
  it('polls at once, then every interval, until done', async () => {
    const budget = fakeBudget({ deadline: 60_000 })
    const { watched, polledAt } = scripted(budget, ['pending', 'pending', 'done'])
    const result = await waitFor(watched, { budget, pollIntervalMs: 10_000 })

    expect(result).toEqual({
      outcome: 'done',
      resource: { status: 'done' },
      status: 'done',
      polls: 3
    })
    expect(polledAt).toEqual([0, 10_000, 20_000])
    expect(budget.sleeps).toEqual([10_000, 10_000])
  })

  it('returns failed with the resource, without another sleep', async () => {
    const budget = fakeBudget({ deadline: 60_000 })
    const { watched } = scripted(budget, ['pending', 'failed'])
    const result = await waitFor(watched, { budget, pollIntervalMs: 10_000 })

    expect(result).toEqual({
      outcome: 'failed',
      resource: { status: 'failed' },
      status: 'failed',
      polls: 2
    })
    expect(budget.sleeps).toEqual([10_000])
  })

  it('tells onUnknownStatus once per value it does not know, and keeps waiting', async () => {
    const budget = fakeBudget({ deadline: 60_000 })
    const { watched } = scripted(budget, ['new', 'new', 'queued', 'pending', 'new', 'done'])
    const unknown: string[] = []
    const result = await waitFor(watched, {
      budget,
      pollIntervalMs: 1_000,
      onUnknownStatus: status => unknown.push(status)
    })
    expect(result).toMatchObject({ outcome: 'done', polls: 6 })
    expect(unknown).toEqual(['new', 'queued'])
  })

  it('keeps waiting through unknown values without an onUnknownStatus', async () => {
    const budget = fakeBudget({ deadline: 60_000 })
    const { watched } = scripted(budget, ['new', 'done'])
    await expect(waitFor(watched, { budget, pollIntervalMs: 1_000 })).resolves.toMatchObject({
      outcome: 'done'
    })
  })

  it('tells onPoll about every poll, with the resource', async () => {
    const budget = fakeBudget({ deadline: 60_000 })
    const { watched } = scripted(budget, ['pending', 'done'])
    const seen: [string, JsonObject, number][] = []
    await waitFor(watched, {
      budget,
      pollIntervalMs: 1_000,
      onPoll: (status, resource, polls) => seen.push([status, resource, polls])
    })
    expect(seen).toEqual([
      ['pending', { status: 'pending' }, 1],
      ['done', { status: 'done' }, 2]
    ])
  })

  it('measures the interval from the start of one poll to the start of the next', async () => {
    const budget = fakeBudget({ deadline: 25_000 })
    const { watched, polledAt } = scripted(budget, ['pending'], 500)
    const result = await waitFor(watched, { budget, pollIntervalMs: 10_000 })

    expect(result).toMatchObject({ outcome: 'timedOut', status: 'pending', polls: 3 })
    // Each poll costs 0.5 s, which comes out of the interval; the last sleep is
    // cut to what is left of the deadline.
    expect(polledAt).toEqual([0, 10_000, 20_000])
    expect(budget.sleeps).toEqual([9_500, 9_500, 4_500])
    expect(budget.now()).toBe(25_000)
  })

  it('stops at the deadline when the next poll would land exactly on it', async () => {
    const budget = fakeBudget({ deadline: 20_000 })
    const { watched, polledAt } = scripted(budget, ['pending'])
    const result = await waitFor(watched, { budget, pollIntervalMs: 10_000 })
    expect(result).toMatchObject({ outcome: 'timedOut', polls: 2 })
    expect(polledAt).toEqual([0, 10_000])
    expect(budget.now()).toBe(20_000)
  })

  it('polls once more when the next poll comes a millisecond before the deadline', async () => {
    const budget = fakeBudget({ deadline: 20_001 })
    const { watched, polledAt } = scripted(budget, ['pending'])
    await waitFor(watched, { budget, pollIntervalMs: 10_000 })
    expect(polledAt).toEqual([0, 10_000, 20_000])
  })

  it('times out without sleeping when a poll ends past the deadline', async () => {
    const budget = fakeBudget({ deadline: 1_000 })
    const { watched } = scripted(budget, ['pending'], 2_000)
    const result = await waitFor(watched, { budget, pollIntervalMs: 10_000 })
    expect(result).toMatchObject({ outcome: 'timedOut', polls: 1 })
    expect(budget.sleeps).toEqual([])
  })

  it('times out without sleeping when a poll ends exactly at the deadline', async () => {
    const budget = fakeBudget({ deadline: 1_000 })
    const { watched } = scripted(budget, ['pending'], 1_000)
    await expect(waitFor(watched, { budget, pollIntervalMs: 10_000 })).resolves.toMatchObject({
      outcome: 'timedOut'
    })
    expect(budget.sleeps).toEqual([])
  })

  it('never polls early, even when a timer fires a millisecond early', async () => {
    const budget = fakeBudget({ deadline: 60_000 })
    let firstSleep = true
    const early = {
      ...budget,
      sleep: async (ms: number) => budget.sleep(firstSleep && !(firstSleep = false) ? ms - 1 : ms)
    }
    const { watched, polledAt } = scripted(budget, ['pending', 'done'])
    await waitFor(watched, { budget: early, pollIntervalMs: 10_000 })
    expect(polledAt).toEqual([0, 10_000])
    // The early wake-up sleeps the millisecond that was left.
    expect(budget.sleeps).toEqual([9_999, 1])
  })

  it('reports a request cut off by the deadline as a timeout, with the cause', async () => {
    const budget = fakeBudget()
    const cause = new DeadlineExceededError('no response from https://graph.microsoft.com/x')
    let calls = 0
    const watched: Watched = {
      read: async () => {
        if (calls++ === 0) return { status: 'pending' }
        throw cause
      },
      statusOf: resource => String(resource.status),
      meaningOf: status => MEANINGS[status]
    }
    const result = await waitFor(watched, { budget, pollIntervalMs: 1_000 })
    expect(result).toEqual({
      outcome: 'timedOut',
      resource: { status: 'pending' },
      status: 'pending',
      polls: 1,
      cause
    })
  })

  it('returns cancelled, with what it saw, when the step is cancelled', async () => {
    const budget = fakeBudget()
    const cancelled: FakeBudget = {
      ...budget,
      sleep: async () => {
        throw new CancelledError()
      }
    }
    const { watched } = scripted(budget, ['pending'])
    const result = await waitFor(watched, { budget: cancelled, pollIntervalMs: 1_000 })
    expect(result).toEqual({
      outcome: 'cancelled',
      resource: { status: 'pending' },
      status: 'pending',
      polls: 1
    })
  })

  it('returns any other error with the last resource seen', async () => {
    const budget = fakeBudget()
    const error = new Error('403')
    const watched: Watched = {
      read: async () => {
        throw error
      },
      statusOf: () => '',
      meaningOf: () => undefined
    }
    const result = await waitFor(watched, { budget, pollIntervalMs: 1_000 })
    expect(result).toEqual({ outcome: 'error', error, polls: 0 })
  })
})

describe('endedBy', () => {
  it('reads an error that ended a step before any poll', () => {
    const cause = new DeadlineExceededError('late')
    expect(endedBy(cause)).toEqual({ outcome: 'timedOut', cause, polls: 0 })
    expect(endedBy(new CancelledError())).toEqual({ outcome: 'cancelled', polls: 0 })
    const error = new Error('x')
    expect(endedBy(error)).toEqual({ outcome: 'error', error, polls: 0 })
  })
})

describe("poll-interval-seconds: 'auto'", () => {
  it('starts at 2 s, grows with a tenth of the time waited, and stops at 30 s', () => {
    expect(AUTO_MIN_MS).toBe(2_000)
    expect(AUTO_MAX_MS).toBe(30_000)
    expect(pollIntervalAt('auto', 0)).toBe(2_000)
    expect(pollIntervalAt('auto', 19_000)).toBe(2_000)
    expect(pollIntervalAt('auto', 60_000)).toBe(6_000)
    expect(pollIntervalAt('auto', 299_000)).toBe(29_900)
    expect(pollIntervalAt('auto', 300_000)).toBe(30_000)
    expect(pollIntervalAt('auto', 3_600_000)).toBe(30_000)
    expect(pollIntervalAt(7_000, 3_600_000)).toBe(7_000)
  })

  it('counts the time waited from the start of the step, not of the wait', async () => {
    const budget = fakeBudget({ startedAt: -100_000, deadline: 60_000 })
    budget.setTime(0)
    const { watched, polledAt } = scripted(budget, ['pending', 'done'])
    await waitFor(watched, { budget, pollIntervalMs: 'auto' })
    // 100 s into the step: a tenth of it, 10 s, not the 2 s of a fresh start.
    expect(polledAt).toEqual([0, 10_000])
  })

  // The promise of 'auto', checked for every completion second of a 10-minute wait:
  // seen within 2 s in the first 20 s, and within 10% of the time waited after that.
  it('sees any result within max(2 s, 10% of the time waited), for ten minutes', async () => {
    const requestMs = 50
    for (let doneAt = 1_000; doneAt <= 600_000; doneAt += 1_000) {
      const budget = fakeBudget({ deadline: 3_600_000 })
      const watched: Watched = {
        read: async () => {
          budget.advance(requestMs)
          return { status: budget.now() >= doneAt ? 'done' : 'pending' }
        },
        statusOf: resource => String(resource.status),
        meaningOf: status => MEANINGS[status]
      }
      const result = await waitFor(watched, { budget, pollIntervalMs: 'auto' })
      expect(result.outcome).toBe('done')
      const latency = budget.now() - doneAt
      // The poll that sees it returns one request after the completion, at most.
      expect(latency).toBeLessThanOrEqual(Math.max(2_000, doneAt / 10))
    }
  })

  it('spends about 50 requests on a 10-minute wait', async () => {
    const budget = fakeBudget({ deadline: 600_000 })
    const { watched } = scripted(budget, ['pending'], 50)
    const result = await waitFor(watched, { budget, pollIntervalMs: 'auto' })
    expect(result.polls).toBeGreaterThanOrEqual(40)
    expect(result.polls).toBeLessThanOrEqual(55)
  })
})
