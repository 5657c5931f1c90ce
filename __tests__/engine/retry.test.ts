// The retry policy on a fake clock.
import { describe, expect, it, jest } from '@jest/globals'
import { DeadlineExceededError, TransientError } from '../../src/engine/errors.js'
import { BACKOFF_CAP_MS, backoffMs, delayBefore, withRetries } from '../../src/engine/retry.js'
import { parseRetryAfter } from '../../src/engine/http.js'
import { fakeBudget } from '../helpers/fake-budget.js'

describe('backoffMs', () => {
  it('doubles from 0.5 s, with jitter between half and all of it', () => {
    expect(backoffMs(1, () => 0)).toBe(250)
    expect(backoffMs(1, () => 1)).toBe(500)
    expect(backoffMs(1, () => 0.5)).toBe(375)
    expect(backoffMs(2, () => 0)).toBe(500)
    expect(backoffMs(3, () => 1)).toBe(2_000)
    expect(backoffMs(4, () => 1)).toBe(4_000)
  })

  it('is capped at 30 s however many retries came before', () => {
    expect(backoffMs(7, () => 1)).toBe(BACKOFF_CAP_MS)
    expect(backoffMs(60, () => 1)).toBe(30_000)
    expect(backoffMs(60, () => 0)).toBe(15_000)
  })

  it('uses Math.random by default, staying within the documented bounds', () => {
    // The bounds are written out (0.5 s doubling, 30 s cap), not recomputed from the code.
    const ceilings = [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]
    const seen = new Set<number>()
    ceilings.forEach((ceiling, i) => {
      for (let n = 0; n < 50; n++) {
        const ms = backoffMs(i + 1)
        seen.add(ms)
        expect(ms).toBeGreaterThanOrEqual(ceiling / 2)
        expect(ms).toBeLessThanOrEqual(ceiling)
      }
    })
    // Jitter: not the same value every time.
    expect(seen.size).toBeGreaterThan(100)
  })
})

describe('withRetries', () => {
  function failing(errors: Error[], value = 'ok') {
    let calls = 0
    const attempt = async () => {
      const error = errors[calls++]
      if (error) throw error
      return value
    }
    return { attempt, calls: () => calls }
  }

  it('retries transient errors, waiting as long as Retry-After asks, but never less than backoff', async () => {
    const budget = fakeBudget({ deadline: 60_000 })
    const { attempt, calls } = failing([
      new TransientError('429', { retryAfterMs: 2_000 }),
      new TransientError('503'),
      new TransientError('reset', { retryAfterMs: 0 })
    ])
    const retried: [string, number, number][] = []
    const result = await withRetries(attempt, {
      budget,
      random: () => 1,
      onRetry: (error, ms, n) => retried.push([error.message, ms, n])
    })
    expect(result).toBe('ok')
    expect(calls()).toBe(4)
    // Backoff with random 1: 0.5, 1 and 2 s. Retry-After 2 s wins over 0.5 s;
    // Retry-After 0 does not make the third retry immediate.
    expect(budget.sleeps).toEqual([2_000, 1_000, 2_000])
    expect(retried).toEqual([
      ['429', 2_000, 1],
      ['503', 1_000, 2],
      ['reset', 2_000, 3]
    ])
  })

  it('throws any other error at once', async () => {
    const budget = fakeBudget()
    const { attempt, calls } = failing([new Error('403')])
    await expect(withRetries(attempt, { budget })).rejects.toThrow('403')
    expect(calls()).toBe(1)
    expect(budget.sleeps).toEqual([])
  })

  it('waits out the deadline, never past it, when Retry-After reaches beyond it', async () => {
    const budget = fakeBudget({ deadline: 10_000 })
    const { attempt, calls } = failing([
      new TransientError('HTTP 429 (request-id r1)', { retryAfterMs: 120_000 })
    ])
    const onRetry = jest.fn()
    const result = withRetries(attempt, { budget, onRetry })
    await expect(result).rejects.toBeInstanceOf(DeadlineExceededError)
    await expect(result).rejects.toThrow('HTTP 429 (request-id r1)')
    expect(calls()).toBe(1)
    expect(budget.sleeps).toEqual([10_000])
    expect(budget.now()).toBe(10_000)
    expect(onRetry).not.toHaveBeenCalled()
  })

  it('stops at the deadline when a Retry-After lands exactly on it', async () => {
    const budget = fakeBudget({ deadline: 10_000 })
    budget.setTime(8_000)
    const { attempt, calls } = failing([new TransientError('429', { retryAfterMs: 2_000 })])
    await expect(withRetries(attempt, { budget })).rejects.toBeInstanceOf(DeadlineExceededError)
    expect(calls()).toBe(1)
    // Exactly the 2 s that were left: no try could start before the deadline.
    expect(budget.sleeps).toEqual([2_000])
  })

  it('retries when a Retry-After ends a millisecond before the deadline', async () => {
    const budget = fakeBudget({ deadline: 10_000 })
    budget.setTime(8_000)
    const { attempt, calls } = failing([new TransientError('429', { retryAfterMs: 1_999 })])
    await expect(withRetries(attempt, { budget })).resolves.toBe('ok')
    expect(calls()).toBe(2)
  })

  it('does not sleep when the deadline is now', async () => {
    const budget = fakeBudget({ deadline: 10_000 })
    budget.setTime(10_000)
    const { attempt } = failing([new TransientError('503')])
    await expect(withRetries(attempt, { budget })).rejects.toBeInstanceOf(DeadlineExceededError)
    expect(budget.sleeps).toEqual([])
  })

  it('does not sleep at all when the deadline has already passed', async () => {
    const budget = fakeBudget({ deadline: 10_000 })
    budget.setTime(10_500)
    const { attempt } = failing([new TransientError('503')])
    await expect(withRetries(attempt, { budget })).rejects.toThrow(new DeadlineExceededError('503'))
    expect(budget.sleeps).toEqual([])
  })

  it('keeps retrying a persistent failure until the deadline, then fails with the cause', async () => {
    const budget = fakeBudget({ deadline: 60_000 })
    let calls = 0
    const attempt = async () => {
      calls++
      budget.advance(100) // each attempt takes 0.1 s
      throw new TransientError('HTTP 503')
    }
    const result = withRetries(attempt, { budget, random: () => 1 })
    await expect(result).rejects.toThrow(new DeadlineExceededError('HTTP 503'))
    expect(budget.now()).toBe(60_000)
    // Backoff doubles from 0.5 s until the next try could not start before the
    // deadline, and that last wait is cut to it.
    expect(budget.sleeps).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 27_800])
    expect(calls).toBe(7)
  })

  it('names the error that made a retry late when the deadline cuts that retry off', async () => {
    const budget = fakeBudget({ deadline: 60_000 })
    const { attempt } = failing([
      new TransientError('Graph answered HTTP 503'),
      new DeadlineExceededError('no response before the timeout')
    ])
    await expect(withRetries(attempt, { budget })).rejects.toThrow(
      new DeadlineExceededError('Graph answered HTTP 503')
    )
  })

  it('keeps a deadline error as it is when nothing was retried before it', async () => {
    const budget = fakeBudget()
    const { attempt } = failing([new DeadlineExceededError('no response before the timeout')])
    await expect(withRetries(attempt, { budget })).rejects.toThrow(
      new DeadlineExceededError('no response before the timeout')
    )
  })
})

describe('delayBefore', () => {
  const half = () => 0.5 // backoff: 375 ms, 750 ms, 1.5 s, ...

  it('never waits less than the backoff step, whatever Retry-After says', () => {
    const wallClock = () => Date.parse('Sat, 28 Nov 2026 10:00:00 GMT')
    for (const header of ['0', '0.0001', 'Sat, 28 Nov 2026 09:00:00 GMT']) {
      const retryAfterMs = parseRetryAfter(header, wallClock)
      expect(delayBefore(1, { retryAfterMs }, half)).toBe(375)
      expect(delayBefore(3, { retryAfterMs }, half)).toBe(1_500)
    }
  })

  it('waits as long as Retry-After asks when that is longer', () => {
    expect(delayBefore(1, { retryAfterMs: 5_000 }, half)).toBe(5_000)
  })

  it('is cut to land inside a grace period, and never below 0', () => {
    expect(delayBefore(3, { retryWithinMs: 1_000 }, half)).toBe(1_000)
    expect(delayBefore(3, { retryWithinMs: 2_000 }, half)).toBe(1_500)
    expect(delayBefore(1, { retryWithinMs: -5 }, half)).toBe(0)
    expect(delayBefore(1, { retryAfterMs: 5_000, retryWithinMs: 1_000 }, half)).toBe(1_000)
  })
})
