// The JSON vocabulary every module shares: what a JSON object is, how a body
// becomes one, and how to read a field of a given type without trusting it.

export type JsonObject = Record<string, unknown>

/**
 * The deepest nesting of arrays and objects any JSON from outside may have:
 * Graph's and Entra's answers and the files a check reads nest a few levels.
 * Deeper JSON parses, but JSON.stringify (for an output or a debug line) and
 * any recursive reader would overflow the stack on it.
 */
export const MAX_JSON_DEPTH = 64

/** Whether JSON text nests arrays and objects more than `max` deep; counted without parsing. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') {
      inString = true
    } else if (c === '{' || c === '[') {
      if (++depth > max) return true
    } else if (c === '}' || c === ']') {
      depth--
    }
  }
  return false
}

/** The text as a JSON object, or undefined when it is not one (an HTML error page, say). */
export function parseJsonObject(text: string): JsonObject | undefined {
  try {
    return asObject(JSON.parse(text))
  } catch {
    return undefined
  }
}

/** The value when it is a JSON object (not null, not an array), else undefined. */
export function asObject(value: unknown): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined
}

/** The field when it is a string, else ''. */
export function stringField(object: JsonObject | undefined, key: string): string {
  const value = object && Object.hasOwn(object, key) ? object[key] : undefined
  return typeof value === 'string' ? value : ''
}

/** The field when it is a JSON object, else undefined. */
export function objectField(object: JsonObject | undefined, key: string): JsonObject | undefined {
  return object && Object.hasOwn(object, key) ? asObject(object[key]) : undefined
}
