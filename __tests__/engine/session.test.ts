// openSession() against the loopback simulator, on a fake clock: the least gap
// between two requests to a host (which the poll interval sets), one gap per
// host, and a 401 that makes the session sign in again, once. The fake budget's
// sleep moves its clock at once and records what was asked, so every wait the
// transports and the retry policy ask for is seen exactly, with no real waiting.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { MIN_REQUEST_GAP_MS } from '../../src/engine/http.js'
import type { ProgressEvent } from '../../src/engine/progress.js'
import { openSession } from '../../src/engine/session.js'
import { MIN_POLL_INTERVAL_MS, readSettings } from '../../src/engine/settings.js'
import type { Settings, SignIn } from '../../src/engine/model.js'
import { DEFAULTS, startSimulator } from '../../simulator/simulator.js'
import type { Simulator } from '../../simulator/simulator.js'
import { fakeBudget } from '../helpers/fake-budget.js'
import type { FakeBudget } from '../helpers/fake-budget.js'
import { simulatorInputs } from '../helpers/run-action.js'
import { recordingLog } from '../helpers/recording-log.js'

let sim: Simulator
beforeEach(async () => {
  sim = await startSimulator()
  sim.setConnection(DEFAULTS.connectionId, { statuses: ['ready'] })
})
afterEach(async () => {
  await sim.close()
})

/** A session on the simulator with this poll interval, on a fake clock. */
function session(pollIntervalMs: Settings['pollIntervalMs']) {
  const inputs = simulatorInputs(sim.url)
  const settings = { ...readSettings(name => inputs[name] ?? '', {}), pollIntervalMs }
  const log = recordingLog()
  const budget: FakeBudget = fakeBudget()
  const events: ProgressEvent[] = []
  const client = openSession(settings.signIn as SignIn, settings, log, budget, event =>
    events.push(event)
  )
  return { client, log, budget, events }
}

describe('openSession(): the gap between two requests to a host', () => {
  // Two reads of the connection: one sign-in (its own host's first request),
  // then two Graph requests, the second held back by the gap, and only it.
  const gapFor = async (pollIntervalMs: Settings['pollIntervalMs']): Promise<number[]> => {
    const { client, budget } = session(pollIntervalMs)
    const before = sim.requests.length
    await client.getConnection(DEFAULTS.connectionId)
    await client.getConnection(DEFAULTS.connectionId)
    expect(sim.requests.slice(before).map(r => r.service)).toEqual(['token', 'graph', 'graph'])
    return budget.sleeps
  }

  it("is the transport's least gap when polling is auto", async () => {
    expect(await gapFor('auto')).toEqual([MIN_REQUEST_GAP_MS])
  })

  it('is the least gap for an interval of a second, the least a real host allows, or more', async () => {
    expect(MIN_POLL_INTERVAL_MS / 2).not.toBe(MIN_REQUEST_GAP_MS)
    expect(await gapFor(MIN_POLL_INTERVAL_MS)).toEqual([MIN_REQUEST_GAP_MS])
    expect(await gapFor(5_000)).toEqual([MIN_REQUEST_GAP_MS])
  })

  it('is half the interval for a loopback host polled faster than once a second', async () => {
    expect(await gapFor(100)).toEqual([50])
    expect(await gapFor(MIN_POLL_INTERVAL_MS - 2)).toEqual([MIN_POLL_INTERVAL_MS / 2 - 1])
  })

  it('counts from the start of the last request, so time spent since is not waited again', async () => {
    const { client, budget } = session('auto')
    await client.getConnection(DEFAULTS.connectionId)
    budget.advance(200)
    await client.getConnection(DEFAULTS.connectionId)
    budget.advance(MIN_REQUEST_GAP_MS)
    await client.getConnection(DEFAULTS.connectionId)
    expect(budget.sleeps).toEqual([MIN_REQUEST_GAP_MS - 200])
  })
})

describe('openSession(): a 401 from Graph', () => {
  it('signs in again once, logs and reports the retry, and reads with the new token', async () => {
    const { client, budget, log, events } = session('auto')
    await client.getConnection(DEFAULTS.connectionId)
    sim.revokeTokens()
    const connection = await client.getConnection(DEFAULTS.connectionId)

    expect(connection.id).toBe(DEFAULTS.connectionId)
    expect(sim.requestsTo('token')).toHaveLength(2)
    expect(sim.requestsTo('graph').map(r => r.status)).toEqual([200, 401, 200])
    // The retry's backoff (between a quarter and half a second), then what is
    // left of the Graph host's gap; the token host had no request for long.
    expect(budget.sleeps).toHaveLength(3)
    const [gap, backoff, rest] = budget.sleeps
    expect(gap).toBe(MIN_REQUEST_GAP_MS)
    expect(backoff).toBeGreaterThanOrEqual(250)
    expect(backoff).toBeLessThanOrEqual(500)
    // The rest is asked in whole milliseconds, rounded up: the gap is kept, to the millisecond.
    expect(Number.isInteger(rest)).toBe(true)
    expect(backoff + rest).toBeGreaterThanOrEqual(MIN_REQUEST_GAP_MS)
    expect(backoff + rest).toBeLessThan(MIN_REQUEST_GAP_MS + 1)
    expect(events).toEqual([
      {
        kind: 'retry',
        retry: 1,
        delayMs: backoff,
        reason: expect.stringMatching(/^Graph answered HTTP 401, .*Signing in again$/)
      }
    ])
    expect(log.lines.filter(line => line.includes('; retry 1 in '))).toEqual([
      expect.stringMatching(/^info: Graph answered HTTP 401, .*Signing in again; retry 1 in \d/)
    ])
    expect(log.lines.filter(line => line.startsWith('info: Signing in to Microsoft'))).toHaveLength(
      2
    )
  })
})
