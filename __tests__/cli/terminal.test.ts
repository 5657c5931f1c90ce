// A shell's lines: plain lines on stderr, the verdict last, and on a terminal
// one live status line redrawn in place while a phase runs.
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { Redactor } from '../../src/cli/redact.js'
import { terminalOutput } from '../../src/cli/terminal.js'

const ERASE = '\r\u001b[2K'

function terminal(options: { live?: boolean; debug?: boolean; columns?: number } = {}) {
  let clock = 0
  const stderr: string[] = []
  const stdout: string[] = []
  const redactor = new Redactor()
  const out = terminalOutput(
    {
      stdout: { write: (text: string) => stdout.push(text) },
      stderr: {
        write: (text: string) => stderr.push(text),
        isTTY: options.live,
        columns: options.columns
      }
    },
    redactor,
    { live: options.live ?? false, debug: options.debug ?? false, now: () => clock }
  )
  return {
    out,
    stderr,
    stdout,
    /** What a terminal would show: each erase removes the line it is on. */
    screen: () =>
      stderr
        .join('')
        .split('\n')
        .map(line => {
          const at = line.lastIndexOf(ERASE)
          return at < 0 ? line : line.slice(at + ERASE.length)
        }),
    tick: (ms: number) => (clock += ms)
  }
}

afterEach(() => {
  jest.useRealTimers()
})

describe('plain lines (not a terminal)', () => {
  it('writes progress on stderr, warnings and errors labelled, the verdict last', () => {
    const { out, stderr, stdout } = terminal()
    out.log.info('Signing in')
    out.log.warning('Graph reported an unknown status')
    out.log.debug('Poll 1 at 0.0 s: {}')
    out.end('fail', 'Timed out after 5.0 s.')
    expect(stderr.join('')).toBe(
      'Signing in\nWarning: Graph reported an unknown status\nError: Timed out after 5.0 s.\n'
    )
    expect(stdout).toEqual([])
  })

  it('shows debug lines when asked to', () => {
    const { out, stderr } = terminal({ debug: true })
    out.log.debug('Poll 1 at 0.0 s: {"status":"inprogress"}')
    expect(stderr.join('')).toBe('Debug: Poll 1 at 0.0 s: {"status":"inprogress"}\n')
  })

  it('writes a warning verdict labelled, and a failure whose errors are written plain', () => {
    const { out, stderr } = terminal()
    out.end('warn', 'Failed; continuing because fail-on-failure is false.')
    out.end('fail', 'Schema file x has 2 errors.', { plain: true })
    out.end('pass', 'Completed.')
    expect(stderr.join('')).toBe(
      'Warning: Failed; continuing because fail-on-failure is false.\n' +
        'Schema file x has 2 errors.\nCompleted.\n'
    )
  })

  it('writes a finding as file:line:column: severity: message', () => {
    const { out, stderr } = terminal()
    out.finding('connector/schema.json', {
      severity: 'error',
      rule: 'r',
      line: 3,
      column: 7,
      message: 'Bad name.'
    })
    out.finding('connector/schema.json', { severity: 'warning', rule: 'r', message: 'No title.' })
    expect(stderr.join('')).toBe(
      'connector/schema.json:3:7: error: Bad name.\nconnector/schema.json: warning: No title.\n'
    )
  })

  it('never starts a line with :: (a workflow command in a GitHub job), whatever the file name', () => {
    const { out, stderr } = terminal()
    out.finding('::warning file=x::forged', { severity: 'error', rule: 'r', message: 'Bad.' })
    out.log.info('  ::error::forged')
    expect(stderr.join('')).toBe('\\::warning file=x::forged: error: Bad.\n  \\::error::forged\n')
    for (const line of stderr.join('').split('\n')) expect(line).not.toMatch(/^\s*::/)
  })

  it('masks secrets and makes outside text inert in every line', () => {
    const { out, stderr } = terminal()
    out.log.secret('p@ss-w0rd-123')
    out.log.info('got p@ss-w0rd-123\n\u001b[2Jcleared')
    out.end('fail', 'p@ss-w0rd-123')
    expect(stderr.join('')).toBe('got ***\\n\\u001b[2Jcleared\nError: ***\n')
  })

  it('writes stdout text as it is, one line', () => {
    const { out, stdout } = terminal()
    out.stdout('{"status":"completed"}')
    out.stdout('help\n')
    expect(stdout).toEqual(['{"status":"completed"}\n', 'help\n'])
  })

  it('draws no status line even inside a phase', async () => {
    const { out, stderr } = terminal()
    await out.group('Waiting for x', async () => out.log.info('Status: inprogress (poll 1, 0.0 s)'))
    expect(stderr.join('')).toBe('Waiting for x\nStatus: inprogress (poll 1, 0.0 s)\n')
  })
})

describe('live status line (a terminal)', () => {
  it('shows status, elapsed and polls below the lines, and erases it at the end', async () => {
    const { out, screen, tick } = terminal({ live: true })
    await out.group('Waiting for operation x', async () => {
      expect(screen()).toEqual(['Waiting for operation x', '… starting · 0.0 s · 0 polls'])
      tick(1_500)
      out.progress({ kind: 'poll', status: 'inprogress', polls: 1, elapsedMs: 1_500 })
      out.log.info('Status: inprogress (poll 1, 1.5 s)')
      expect(screen()).toEqual([
        'Waiting for operation x',
        'Status: inprogress (poll 1, 1.5 s)',
        '… inprogress · 1.5 s · 1 poll'
      ])
      tick(2_000)
      out.log.debug('Poll 2 at 3.5 s: {"status":"inprogress"}')
      out.progress({ kind: 'poll', status: 'inprogress', polls: 2, elapsedMs: 3_500 })
      expect(screen().at(-1)).toBe('… inprogress · 3.5 s · 2 polls')
      tick(59_500)
      out.progress({ kind: 'poll', status: 'inprogress', polls: 9, elapsedMs: 63_000 })
      expect(screen().at(-1)).toBe('… inprogress · 63 s · 9 polls')
    })
    expect(screen().at(-1)).toBe('')
    out.end('pass', 'Operation x: completed after 63 s (9 polls).')
    expect(screen().slice(-2)).toEqual(['Operation x: completed after 63 s (9 polls).', ''])
  })

  it('follows the events, whatever the words of the log lines', async () => {
    const { out, screen } = terminal({ live: true })
    await out.group('Waiting', async () => {
      // A progress line reworded (or one the engine no longer writes) moves nothing.
      out.log.info('Status: completed (poll 7, 1.0 s)')
      out.log.info('Still failed after 63 s (poll 8)')
      out.log.debug('Poll 9 at 9.0 s: {}')
      expect(screen().at(-1)).toBe('… starting · 0.0 s · 0 polls')
      out.progress({ kind: 'poll', status: 'draft', polls: 1, elapsedMs: 0 })
      expect(screen().at(-1)).toBe('… draft · 0.0 s · 1 poll')
      // A poll with no status shows as the log lines write it.
      out.progress({ kind: 'poll', status: '', polls: 2, elapsedMs: 0 })
      expect(screen().at(-1)).toBe('… none · 0.0 s · 2 polls')
    })
  })

  it('draws nothing outside a phase, and nothing for the events it does not show', async () => {
    const { out, stderr } = terminal({ live: true })
    out.progress({ kind: 'poll', status: 'inprogress', polls: 1, elapsedMs: 0 })
    expect(stderr).toEqual([])
    await out.group('Waiting', async () => {
      const drawn = stderr.length
      out.progress({ kind: 'status', status: 'inprogress', polls: 1, elapsedMs: 0 })
      out.progress({ kind: 'phase', state: 'start', title: 'Waiting' })
      expect(stderr.length).toBe(drawn)
    })
    const after = stderr.length
    out.progress({ kind: 'poll', status: 'completed', polls: 2, elapsedMs: 0 })
    out.log.info('Done')
    expect(stderr.slice(after)).toEqual(['Done\n'])
  })

  it('counts elapsed time from when the command started, on its clock', async () => {
    let clock = 5_000
    const stderr: string[] = []
    const out = terminalOutput(
      { stdout: { write: () => true }, stderr: { write: text => stderr.push(text), isTTY: true } },
      new Redactor(),
      { live: true, debug: false, now: () => clock }
    )
    clock = 7_500
    await out.group('Waiting', async () => {
      expect(stderr.at(-1)).toBe(`${ERASE}… starting · 2.5 s · 0 polls`)
    })
  })

  it('shows a retry under way until the next poll', async () => {
    const { out, screen } = terminal({ live: true })
    await out.group('Waiting', async () => {
      out.progress({ kind: 'poll', status: 'inprogress', polls: 1, elapsedMs: 0 })
      out.progress({ kind: 'retry', retry: 2, delayMs: 1_500, reason: 'Graph answered HTTP 503.' })
      expect(screen().at(-1)).toBe('… inprogress · 0.0 s · 1 poll · retry 2 in 1.5 s')
      out.progress({ kind: 'status', status: 'completed', polls: 2, elapsedMs: 0 })
      out.progress({ kind: 'phase', state: 'end', title: 'Waiting' })
      expect(screen().at(-1)).toBe('… inprogress · 0.0 s · 1 poll · retry 2 in 1.5 s')
      out.progress({ kind: 'poll', status: 'completed', polls: 2, elapsedMs: 0 })
      expect(screen().at(-1)).toBe('… completed · 0.0 s · 2 polls')
    })
  })

  it('redraws every second while nothing happens, and stops when the phase ends', async () => {
    jest.useFakeTimers()
    const { out, stderr, tick } = terminal({ live: true })
    let finish = (): void => {}
    const phase = out.group('Waiting', () => new Promise<void>(resolve => (finish = resolve)))
    const drawn = stderr.length
    tick(1_000)
    jest.advanceTimersByTime(1_000)
    expect(stderr.length).toBe(drawn + 1)
    expect(stderr.at(-1)).toBe(`${ERASE}… starting · 1.0 s · 0 polls`)
    finish()
    await phase
    const after = stderr.length
    jest.advanceTimersByTime(5_000)
    expect(stderr.length).toBe(after)
  })

  it('never draws wider than the terminal, so the line can be redrawn in place', async () => {
    const { out, stderr } = terminal({ live: true, columns: 20 })
    await out.group('Waiting', async () => {
      out.progress({ kind: 'poll', status: 'x'.repeat(50), polls: 1, elapsedMs: 0 })
      expect(stderr.at(-1)).toBe(`${ERASE}${'… ' + 'x'.repeat(17)}`)
    })
  })

  it('takes 80 columns when the terminal does not say its width', async () => {
    const { out, stderr } = terminal({ live: true, columns: 0 })
    await out.group('Waiting', async () => {
      out.progress({ kind: 'poll', status: 'x'.repeat(200), polls: 1, elapsedMs: 0 })
      expect(stderr.at(-1)).toBe(`${ERASE}${'… ' + 'x'.repeat(77)}`)
    })
  })

  it('masks secrets in the status line too', async () => {
    const { out, screen } = terminal({ live: true })
    out.log.secret('topsecret')
    await out.group('Waiting', async () => {
      out.progress({ kind: 'poll', status: 'topsecret', polls: 1, elapsedMs: 0 })
      expect(screen().at(-1)).toBe('… *** · 0.0 s · 1 poll')
    })
  })
})
