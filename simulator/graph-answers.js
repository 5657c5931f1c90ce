// How the simulated Microsoft Graph answers, whatever the resource: its error
// bodies (with a request-id), throttling, the JSON body of a write, and enum
// members added after publication (evolvable enums).
import { randomUUID } from 'node:crypto'

/** @typedef {import('./simulator.js').ScriptedResponse} ScriptedResponse */
/** @typedef {import('./simulator.js').ErrorDetail} ErrorDetail */
/** @typedef {import('node:http').IncomingHttpHeaders} Headers */

// What Graph says of a write body it refuses (observed, e.g. for a connection ID with a hyphen).
export const MALFORMED = 'The request is malformed or incorrect.'

/** @param {string} text */
export function words(text) {
  return text.split(/\s+/).filter(Boolean)
}

/**
 * An evolvable enum's value as Graph sends it: a member added after `members`
 * was published is sent as 'unknownFutureValue', unless the request says
 * `Prefer: include-unknown-enum-members`.
 * @param {string | null} value
 * @param {string[]} members
 * @param {Headers} headers
 */
export function evolvable(value, members, headers) {
  if (value === null || members.includes(value)) return value
  return /include-unknown-enum-members/i.test(String(headers.prefer ?? ''))
    ? value
    : 'unknownFutureValue'
}

/**
 * The JSON body of a write, or Graph's answer when it cannot read one: a
 * missing Content-Type is a 400 (Graph asks for the header and valid JSON, as
 * reported in microsoftgraph/microsoft-graph-docs#6259); a Content-Type that is
 * not JSON is a 415, as Graph's OData formatters answer. Both pages require
 * `Content-Type: application/json`.
 * @param {Headers} headers
 * @param {string} body
 * @returns {{ json: unknown } | { error: ScriptedResponse }}
 */
export function readJson(headers, body) {
  const type = String(headers['content-type'] ?? '')
  if (type && !/^application\/json\s*(;|$)/i.test(type)) {
    return {
      error: graphError(
        415,
        'UnsupportedMediaType',
        `The content type '${type}' is not supported; send application/json.`
      )
    }
  }
  const unreadable = graphError(
    400,
    'BadRequest',
    'Could not read the JSON request payload. Set the Content-Type header to application/json and send valid JSON.',
    [{ code: 'InvalidJson', message: 'The body is not a JSON document.', target: 'body' }]
  )
  if (!type) return { error: unreadable }
  try {
    return { json: JSON.parse(body) }
  } catch {
    return { error: unreadable }
  }
}

/**
 * One detail of a 400: the property it names, missing or with a bad value.
 * @param {string} target @param {string} message @param {unknown} value
 * @returns {ErrorDetail}
 */
export function detail(target, message, value) {
  return { code: value === undefined ? 'MissingProperty' : 'InvalidValue', message, target }
}

/**
 * The member spelled as Graph spells it, matched without regard to case.
 * @param {unknown} value
 * @param {string[]} members
 */
export function canonical(value, members) {
  return typeof value === 'string'
    ? members.find(member => member.toLowerCase() === value.toLowerCase())
    : undefined
}

/** @param {unknown} value @returns {Record<string, unknown>} */
export function asObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? /** @type {Record<string, unknown>} */ (value)
    : {}
}

/**
 * Graph throttling: 429 with its error body and a Retry-After header.
 * @param {string} retryAfter  seconds, or an HTTP date
 * @param {string} [message]
 * @returns {ScriptedResponse}
 */
export function throttled(retryAfter, message = 'Too many requests.') {
  const response = graphError(429, 'TooManyRequests', message)
  return { ...response, headers: { ...response.headers, 'retry-after': retryAfter } }
}

/**
 * A Graph error body: { error: { code, message, details?, innerError } } with a
 * matching request-id header. The server echoes the caller's client-request-id into both.
 * @param {number} status
 * @param {string} code
 * @param {string} message
 * @param {ErrorDetail[]} [details]  Sent only when given, as Graph does.
 * @returns {ScriptedResponse}
 */
export function graphError(status, code, message, details) {
  const requestId = randomUUID()
  return {
    status,
    headers: { 'request-id': requestId, 'client-request-id': requestId },
    body: {
      error: {
        code,
        message,
        ...(details && { details }),
        innerError: {
          date: new Date().toISOString().replace(/\.\d+Z$/, ''),
          'request-id': requestId,
          'client-request-id': requestId
        }
      }
    }
  }
}
