// The step's time budget: deadline from the start, sleeps that stop on cancel.
import { describe, expect, it } from '@jest/globals'
import { createBudget } from '../../src/engine/budget.js'
import { CancelledError } from '../../src/engine/errors.js'

describe('createBudget', () => {
  it('sets the deadline timeout-ms after the start, on its clock', () => {
    let time = 5_000
    const budget = createBudget({
      timeoutMs: 1_500,
      signal: new AbortController().signal,
      now: () => time
    })
    expect(budget.startedAt).toBe(5_000)
    expect(budget.deadline).toBe(6_500)
    time = 6_000
    expect(budget.now()).toBe(6_000)
  })

  it('takes a start time given to it, and the performance clock by default', () => {
    const budget = createBudget({
      timeoutMs: 10,
      signal: new AbortController().signal,
      startedAt: 100
    })
    expect(budget.deadline).toBe(110)
    expect(Math.abs(budget.now() - performance.now())).toBeLessThan(50)
  })

  it('sleeps for the time asked', async () => {
    const budget = createBudget({ timeoutMs: 10_000, signal: new AbortController().signal })
    const started = performance.now()
    await budget.sleep(60)
    expect(performance.now() - started).toBeGreaterThanOrEqual(55)
  })

  it('ends a sleep at once with a CancelledError when the step is cancelled', async () => {
    const cancel = new AbortController()
    const budget = createBudget({ timeoutMs: 60_000, signal: cancel.signal })
    const started = performance.now()
    const sleeping = budget.sleep(30_000)
    setTimeout(() => cancel.abort(), 20)
    await expect(sleeping).rejects.toBeInstanceOf(CancelledError)
    expect(performance.now() - started).toBeLessThan(1_000)
  })
})

describe('a sleep longer than a timer can hold', () => {
  it('waits, rather than firing at once as an overflowing Node timer would', async () => {
    const cancel = new AbortController()
    const budget = createBudget({ timeoutMs: 2 ** 40, signal: cancel.signal })
    let done = false
    const sleeping = budget.sleep(2 ** 31 + 60_000).then(() => (done = true))
    await new Promise(resolve => setTimeout(resolve, 100))
    expect(done).toBe(false)
    cancel.abort()
    await expect(sleeping).rejects.toBeInstanceOf(CancelledError)
  })
})
