// The JSON vocabulary every module shares: what a JSON object is, how a body
// becomes one, and how to read a field of a given type without trusting it.

export type JsonObject = Record<string, unknown>

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
