// The command line's lines in a shell and in CI systems without logging
// commands (GitLab CI and others): plain lines on stderr, as in the action's
// log, and on a terminal one live status line below them, redrawn in place.
import { formatSeconds, statusText } from '../engine/index.js'
import type { Log, ProgressEvent } from '../engine/index.js'
import { safeLine } from './output.js'
import type { Output, Stream } from './output.js'
import type { Redactor } from './redact.js'

export interface TerminalOptions {
  /** Redraw a status line (status, elapsed, polls) while a phase runs: stderr is a terminal. */
  live: boolean
  /** Write the engine's debug lines (each poll's JSON, stacks of unexpected errors). */
  debug: boolean
  /** Milliseconds on a monotonic clock. */
  now: () => number
}

/** How often the live line's elapsed time moves on. */
const REDRAW_MS = 1_000
// Erases the current terminal line and returns to its start.
const ERASE_LINE = '\r\u001b[2K'

export function terminalOutput(
  streams: { stdout: Stream; stderr: Stream },
  redactor: Redactor,
  options: TerminalOptions
): Output {
  const { stdout, stderr } = streams
  const startedAt = options.now()
  const live = {
    active: false,
    drawn: false,
    status: '',
    polls: 0,
    /** The retry under way, until the next poll: "retry 2 in 1.5 s". */
    retry: '',
    timer: undefined as Timer
  }

  const draw = (): void => {
    if (!options.live || !live.active) return
    const polls = `${live.polls} ${live.polls === 1 ? 'poll' : 'polls'}`
    const retry = live.retry ? ` · ${live.retry}` : ''
    const text = safeLine(
      redactor,
      `… ${live.status || 'starting'} · ${formatSeconds(options.now() - startedAt)} · ${polls}${retry}`
    )
    // Never wider than the terminal (0 when it does not say): a wrapped line could
    // not be redrawn in place.
    const width = Math.max((stderr.columns || 80) - 1, 10)
    stderr.write(ERASE_LINE + text.slice(0, width))
    live.drawn = true
  }
  const erase = (): void => {
    if (!live.drawn) return
    stderr.write(ERASE_LINE)
    live.drawn = false
  }
  const line = (text: string): void => {
    erase()
    stderr.write(`${safeLine(redactor, text)}\n`)
    draw()
  }
  const stop = (): void => {
    live.active = false
    clearInterval(live.timer)
    erase()
  }

  const log: Log = {
    info: message => line(message),
    debug: message => {
      if (options.debug) line(`Debug: ${message}`)
    },
    warning: message => line(`Warning: ${message}`),
    secret: value => redactor.add(value)
  }

  return {
    log,
    async group(title, work) {
      line(title)
      if (!options.live) return work()
      live.active = true
      live.timer = setInterval(draw, REDRAW_MS)
      // A status line must never keep the process alive.
      live.timer.unref()
      draw()
      try {
        return await work()
      } finally {
        stop()
      }
    },
    progress(event: ProgressEvent) {
      // The live line is drawn from these facts, never from the words of a log line.
      if (event.kind === 'poll') {
        live.status = statusText(event.status)
        live.polls = event.polls
        live.retry = ''
      } else if (event.kind === 'retry') {
        live.retry = `retry ${event.retry} in ${formatSeconds(event.delayMs)}`
      } else {
        return
      }
      draw()
    },
    finding(file, finding) {
      const at = [file, finding.line, finding.column].filter(part => part !== undefined).join(':')
      line(`${at}: ${finding.severity}: ${finding.message}`)
    },
    outputs() {
      // A shell has nowhere to take them: --json and --output-file write them.
    },
    end(level, message, { plain = false } = {}) {
      stop()
      const prefix = level === 'warn' ? 'Warning: ' : level === 'fail' && !plain ? 'Error: ' : ''
      stderr.write(`${safeLine(redactor, prefix + message)}\n`)
    },
    stdout(text) {
      stdout.write(text.endsWith('\n') ? text : `${text}\n`)
    },
    close: stop
  }
}

type Timer = ReturnType<typeof setInterval> | undefined
