// The outputs as a dotenv file for GitLab CI's `artifacts: reports: dotenv`,
// within what GitLab accepts: a key of letters, digits and '_' only (so
// ERROR_CODE, not error-code), one KEY=VALUE per line with no blank line, no
// line break in a value, '$' escaped, and the whole file under 5 KB (GitLab's
// default limit).
import { OUTPUT_NAMES } from '../engine/index.js'
import type { Outputs } from '../engine/index.js'

type OutputName = (typeof OUTPUT_NAMES)[number]

/** The key of each output: upper case, '_' for '-'. */
export function dotenvKey(name: OutputName): string {
  return name.toUpperCase().replace(/-/g, '_')
}

/**
 * The bytes each value may take (UTF-8), so the file always stays under
 * DOTENV_MAX_BYTES: the messages and the JSON get the most room.
 */
const VALUE_BYTES: Record<OutputName, number> = {
  status: 100,
  'error-code': 200,
  'error-message': 1_200,
  operation: 1_200,
  connection: 760,
  'elapsed-seconds': 40,
  'operation-url': 400,
  changes: 40
}

/** The largest file written: GitLab refuses a dotenv report of 5 KB or more by default. */
export const DOTENV_MAX_BYTES = 4_096

export function dotenvText(outputs: Outputs): string {
  return OUTPUT_NAMES.map(
    name => `${dotenvKey(name)}=${dotenvValue(outputs[name] ?? '', VALUE_BYTES[name])}\n`
  ).join('')
}

/**
 * A value as GitLab reads it back: line breaks and other control characters
 * become spaces (GitLab reads one line per variable and would refuse the file),
 * the ends are trimmed (GitLab trims them too), and '$' is written '$$', which
 * GitLab's runner expands back to '$' (it expands variables in the values it
 * passes on: `$metadata` would become empty). A value longer than `maxBytes`
 * is cut, saying so; a cut JSON value is no longer valid JSON (--json has it whole).
 */
export function dotenvValue(text: string, maxBytes: number): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim()
  // By code point, so that no character (and no '$$') is ever split by a cut.
  const units = Array.from(line, char => (char === '$' ? '$$' : char))
  const whole = units.join('')
  if (Buffer.byteLength(whole) <= maxBytes) return whole
  const room = maxBytes - Buffer.byteLength(cutMarker(units.length))
  let bytes = 0
  let kept = 0
  for (const unit of units) {
    bytes += Buffer.byteLength(unit)
    if (bytes > room) break
    kept++
  }
  return units.slice(0, kept).join('') + cutMarker(units.length - kept)
}

function cutMarker(cut: number): string {
  return `… [${cut} more characters cut]`
}
