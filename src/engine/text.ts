// How the engine writes text: durations, names, and text from outside (Graph,
// Entra, the runner, an input value) made safe to print and kept short.

/** 0.4 s, 9.9 s, 12 s, 1800 s: tenths below ten seconds, whole seconds above. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
}

/** A duration for people reading a summary: 42 s, 6 min 12 s, 30 min, 2 h 5 min. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return formatSeconds(ms)
  const minutes = Math.floor(Math.round(ms / 1000) / 60)
  const seconds = Math.round(ms / 1000) % 60
  if (minutes < 60) return `${minutes} min${seconds ? ` ${seconds} s` : ''}`
  const hours = Math.floor(minutes / 60)
  return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

// The secrets this process holds, longest first (see rememberSecret).
const secrets: string[] = []
/** What a secret is written as, here and in the command line's own masking. */
export const MASK = '***'

/**
 * Remembers a secret, so that text is masked before it is cut: the masks of
 * the runner and of the command line match a secret whole, and a cut that
 * falls inside one would leave a part of it that no mask matches. Each front
 * door's Log.secret calls it.
 */
export function rememberSecret(value: string): void {
  if (!value || secrets.includes(value)) return
  secrets.push(value)
  secrets.sort((a, b) => b.length - a.length)
}

/** The text with each of `values` (longest first) written as ***; by default the remembered secrets. */
export function maskSecrets(text: string, values: readonly string[] = secrets): string {
  let result = text
  for (const secret of values) result = result.split(secret).join(MASK)
  return result
}

/** Cuts text to `max` characters, saying how much was cut; a secret is masked before the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  const masked = maskSecrets(text)
  if (masked.length <= max) return masked
  const cut = masked.length - max
  return `${masked.slice(0, max)}… [${cut} more characters cut]`
}

// Control characters (C0, DEL, C1, ANSI escapes among them), the Unicode line
// and paragraph separators, and the bidirectional overrides that can make text
// read differently from what it is.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g
const NAMED: Record<string, string> = { '\r': '\\r', '\n': '\\n', '\t': '\\t' }

/** True when the text has none of the characters `inert` escapes. */
export function isPlain(text: string): boolean {
  return !new RegExp(UNSAFE.source).test(text)
}

/**
 * Text from outside, made inert for one line of a CI log: line breaks and other
 * control characters are escaped, so it can never start a line of its own and
 * become a workflow command (`::error::`, `::stop-commands::`); and `##[` and
 * `##vso[`, which the GitHub runner and the Azure Pipelines agent read anywhere
 * in a line, are broken. Long text is cut to `max` characters.
 */
export function inert(text: string, max = 1_000): string {
  return truncate(text, max)
    .replace(UNSAFE, c => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/#(#(?:vso)?\[)/gi, '#\\$1')
}

/** Outside text quoted in a one-line message: 'text', made inert and at most `max` characters. */
export function quoted(text: string, max: number): string {
  return `'${inert(text, max)}'`
}
