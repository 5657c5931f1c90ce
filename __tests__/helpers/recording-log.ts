// A Log that records every line and every masked value, for unit tests.
import type { Log } from '../../src/engine/log.js'

export interface RecordingLog extends Log {
  /** Lines as "info: …", "debug: …", "warning: …". */
  lines: string[]
  secrets: string[]
}

export function recordingLog(): RecordingLog {
  const lines: string[] = []
  const secrets: string[] = []
  return {
    lines,
    secrets,
    info: message => lines.push(`info: ${message}`),
    debug: message => lines.push(`debug: ${message}`),
    warning: message => lines.push(`warning: ${message}`),
    secret: value => secrets.push(value)
  }
}
