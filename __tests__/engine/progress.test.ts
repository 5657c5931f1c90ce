// The lines written while the engine works.
import { describe, expect, it } from '@jest/globals'
import { TransientError } from '../../src/engine/errors.js'
import {
  pollLogger,
  pollingPlan,
  retryLine,
  statusText,
  unknownStatusWarning,
  unknownStatusWarnings
} from '../../src/engine/progress.js'
import type { ProgressEvent } from '../../src/engine/progress.js'
import { fakeBudget } from '../helpers/fake-budget.js'
import { recordingLog } from '../helpers/recording-log.js'

describe('pollLogger', () => {
  it('logs changes, then at most one line a minute while nothing changes', () => {
    const budget = fakeBudget()
    const log = recordingLog()
    const onPoll = pollLogger(log, budget)
    const poll = (status: string, at: number, n: number) => {
      budget.setTime(at)
      onPoll(status, { status }, n)
    }
    poll('inprogress', 0, 1)
    poll('inprogress', 30_000, 2)
    poll('inprogress', 59_999, 3)
    poll('inprogress', 60_000, 4)
    poll('inprogress', 90_000, 5)
    poll('completed', 100_000, 6)
    expect(log.lines).toEqual([
      'debug: Poll 1 at 0.0 s: {"status":"inprogress"}',
      'info: Status: inprogress (poll 1, 0.0 s)',
      'debug: Poll 2 at 30 s: {"status":"inprogress"}',
      'debug: Poll 3 at 60 s: {"status":"inprogress"}',
      'debug: Poll 4 at 60 s: {"status":"inprogress"}',
      'info: Still inprogress after 60 s (poll 4)',
      'debug: Poll 5 at 90 s: {"status":"inprogress"}',
      'debug: Poll 6 at 100 s: {"status":"completed"}',
      'info: Status: completed (poll 6, 100 s)'
    ])
  })

  it('hands on every poll, and each change of status, as an event', () => {
    const budget = fakeBudget()
    const events: ProgressEvent[] = []
    const onPoll = pollLogger(recordingLog(), budget, event => events.push(event))
    onPoll('inprogress', {}, 1)
    budget.setTime(2_000)
    onPoll('inprogress', {}, 2)
    onPoll('', {}, 3)
    // Strictly: the first status has no previous one, not even an undefined one.
    expect(events).toStrictEqual([
      { kind: 'poll', status: 'inprogress', polls: 1, elapsedMs: 0 },
      { kind: 'status', status: 'inprogress', polls: 1, elapsedMs: 0 },
      { kind: 'poll', status: 'inprogress', polls: 2, elapsedMs: 2_000 },
      { kind: 'poll', status: '', polls: 3, elapsedMs: 2_000 },
      { kind: 'status', status: '', previous: 'inprogress', polls: 3, elapsedMs: 2_000 }
    ])
  })

  it('keeps the debug line of a resource inert and short', () => {
    const log = recordingLog()
    pollLogger(log, fakeBudget())('x', { status: 'x ##[error]y', big: 'b'.repeat(10_000) }, 1)
    expect(log.lines[0]).toContain('"status":"x #\\#[error]y"')
    expect(log.lines[0]).toMatch(/… \[\d+ more characters cut\]$/)
    expect(log.lines[0].length).toBeLessThan(4_100)
  })

  it('counts elapsed time from the start of the step', () => {
    const budget = fakeBudget({ startedAt: 1_000 })
    const log = recordingLog()
    budget.setTime(3_500)
    pollLogger(log, budget)('inprogress', {}, 1)
    expect(log.lines[1]).toBe('info: Status: inprogress (poll 1, 2.5 s)')
  })
})

describe('pollingPlan', () => {
  it('describes auto from its bounds, and a fixed interval as it is', () => {
    expect(pollingPlan('auto', 1_800_000)).toBe(
      'Polling every 2 s at first, slowing to 30 s as the wait grows; timeout 1800 s'
    )
    expect(pollingPlan(2_500, 60_000)).toBe('Polling every 2.5 s; timeout 60 s')
  })
})

describe('retryLine', () => {
  it('says what went wrong, which retry and how long the wait is', () => {
    expect(retryLine(new TransientError('Graph answered HTTP 503.'), 1_500, 2)).toBe(
      'Graph answered HTTP 503; retry 2 in 1.5 s'
    )
    expect(retryLine(new Error('reset'), 12_000, 5)).toBe('reset; retry 5 in 12 s')
    // Only the final period goes.
    expect(retryLine(new Error('Retry in 1.5 s.'), 500, 1)).toBe('Retry in 1.5 s; retry 1 in 0.5 s')
  })
})

describe('unknownStatusWarning', () => {
  it('names the status and says the wait goes on', () => {
    expect(unknownStatusWarning('queued')).toBe(
      "Graph reported the status 'queued', which the action does not know; " +
        'it keeps waiting until the wait ends one way or the other.'
    )
  })
})

describe('statusText', () => {
  it('makes a status inert, and says none for no status', () => {
    expect(statusText('inprogress')).toBe('inprogress')
    expect(statusText('inprogress\n::error::x')).toBe('inprogress\\n::error::x')
    expect(statusText('')).toBe('none')
    expect(statusText('x'.repeat(150))).toMatch(/^x{100}… \[50 more characters cut\]$/)
  })

  it('is what the poll lines show', () => {
    const log = recordingLog()
    pollLogger(log, fakeBudget())('a\r::warning::b', {}, 1)
    expect(log.lines[1]).toBe('info: Status: a\\r::warning::b (poll 1, 0.0 s)')
  })
})

describe('a status that is not there', () => {
  it('gets its own warning, which says to check graph-url if it lasts', () => {
    expect(unknownStatusWarning('')).toBe(
      "Graph's answer has no status yet (it is null or missing); the action keeps waiting. " +
        'If it stays so, check graph-url.'
    )
  })
})

describe('unknownStatusWarnings', () => {
  it('warns for the first three, logs the rest, and sums them up once at the end', () => {
    const log = recordingLog()
    const warnings = unknownStatusWarnings(log)
    for (const status of ['s1', 's2', 's3', 's4', 's5']) warnings.onUnknownStatus(status)
    warnings.finish()
    expect(log.lines).toEqual([
      `warning: ${unknownStatusWarning('s1')}`,
      `warning: ${unknownStatusWarning('s2')}`,
      `warning: ${unknownStatusWarning('s3')}`,
      'info: Graph reported another status the action does not know: s4',
      'info: Graph reported another status the action does not know: s5',
      'warning: … and 2 more statuses the action does not know: s4, s5.'
    ])
  })

  it('says nothing at the end when there were three or fewer', () => {
    const log = recordingLog()
    const warnings = unknownStatusWarnings(log)
    for (const status of ['s1', 's2', 's3']) warnings.onUnknownStatus(status)
    warnings.finish()
    expect(log.lines.filter(line => line.startsWith('warning'))).toHaveLength(3)
    expect(log.lines).toHaveLength(3)
  })

  it('names all of the rest when there are ten', () => {
    const log = recordingLog()
    const warnings = unknownStatusWarnings(log)
    for (let i = 0; i < 13; i++) warnings.onUnknownStatus(`s${i}`)
    warnings.finish()
    expect(log.lines.at(-1)).toBe(
      'warning: … and 10 more statuses the action does not know: s3, s4, s5, s6, s7, s8, s9, s10, s11, s12.'
    )
  })

  it('names at most ten of the rest', () => {
    const log = recordingLog()
    const warnings = unknownStatusWarnings(log)
    for (let i = 0; i < 20; i++) warnings.onUnknownStatus(`s${i}`)
    warnings.finish()
    expect(log.lines.at(-1)).toBe(
      'warning: … and 17 more statuses the action does not know: s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, ….'
    )
  })
})
