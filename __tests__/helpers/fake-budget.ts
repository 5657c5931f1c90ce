// A budget on a fake clock: sleep advances time at once and records what was
// asked, so retry and wait tests run in microseconds and see every sleep.
import type { Budget } from '../../src/engine/budget.js'

export interface FakeBudget extends Budget {
  /** Every sleep asked for, in order. */
  sleeps: number[]
  /** Moves the clock on, as a request that takes time would; returns the new time. */
  advance(ms: number): number
  /** Sets the clock. */
  setTime(ms: number): void
  /** Cancels the step. */
  cancel(): void
}

export function fakeBudget(options: { deadline?: number; startedAt?: number } = {}): FakeBudget {
  const startedAt = options.startedAt ?? 0
  let time = startedAt
  const controller = new AbortController()
  const sleeps: number[] = []
  return {
    now: () => time,
    startedAt,
    deadline: options.deadline ?? 600_000,
    signal: controller.signal,
    sleep: async (ms: number) => {
      sleeps.push(ms)
      time += ms
    },
    sleeps,
    advance: (ms: number) => (time += ms),
    setTime: (ms: number) => {
      time = ms
    },
    cancel: () => controller.abort()
  }
}
