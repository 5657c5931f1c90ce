// How the file checks (schema, connector) speak of what they found: a value
// from the file by its kind, and a "did you mean" for a near miss. Pure.
import { quoted } from './text.js'

/** "Did you mean" is worked out only for words this short: longer ones are no near miss. */
const MAX_HINT_LENGTH = 40

/**
 * "did you mean 'x'?" for a near miss: the candidate a few edits away (ignoring case), else one
 * the word begins ("icon" for iconUrl), else one it is part of ("resolvers" for
 * urlToItemResolvers); '' when none is near, and for a long word, which is no
 * near miss and would cost a long comparison.
 */
export function didYouMean(word: string, candidates: readonly string[]): string {
  if (word.length > MAX_HINT_LENGTH || candidates.length === 0) return ''
  const lower = word.toLowerCase()
  const scored = candidates.map(candidate => ({
    candidate,
    distance: levenshtein(lower, candidate.toLowerCase())
  }))
  const best = scored.reduce((a, b) => (b.distance < a.distance ? b : a))
  const near =
    best.distance <= Math.max(2, Math.floor(word.length / 3))
      ? best.candidate
      : (lower.length >= 3 && candidates.find(c => c.toLowerCase().startsWith(lower))) ||
        (lower.length >= 5 && candidates.find(c => c.toLowerCase().includes(lower)))
  return near ? `did you mean '${near}'?` : ''
}

/** A hint after a word, with its space; nothing when there is none. */
export function spaced(hint: string): string {
  return hint && ` ${hint}`
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution)
    }
    previous = current
  }
  return previous[b.length]
}

/** A value from the file for a message: strings quoted (at most `max`), other values by kind. */
export function show(value: unknown, max: number): string {
  return typeof value === 'string' ? quoted(value, max) : describe(value, max)
}

/** What a value from the file is, in words: "nothing", "5", "the string 'x'", "an array". */
export function describe(value: unknown, max: number): string {
  if (value === undefined) return 'nothing'
  if (value === null || typeof value === 'number' || typeof value === 'boolean')
    return String(value)
  if (typeof value === 'string')
    return value === '' ? 'an empty string' : `the string ${quoted(value, max)}`
  return Array.isArray(value) ? 'an array' : 'an object'
}
