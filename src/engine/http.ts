// A small HTTP transport bound to one origin. @actions/http-client supplies the
// agent (keep-alive, HTTPS_PROXY/NO_PROXY); the request itself is made here
// because http-client's readBody() never settles when a connection drops
// mid-body, and it cannot abort a request at a deadline or on cancellation.
// Nothing needs closing at the end: Node's agent unrefs idle keep-alive
// sockets, so they never hold the process open.
import * as http from 'node:http'
import * as https from 'node:https'
import { HttpClient } from '@actions/http-client'
import type { Budget } from './budget.js'
import { ActionError, CancelledError, DeadlineExceededError, TransientError } from './errors.js'
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json.js'
import { ACTION_VOICE } from './model.js'
import type { Voice } from './model.js'
import { inert } from './text.js'

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH'
  url: URL
  headers: Record<string, string>
  body?: string
}

export interface HttpResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

/** What the token and Graph clients need of a transport. */
export interface Transport {
  request(req: HttpRequest): Promise<HttpResponse>
}

export const REQUEST_TIMEOUT_MS = 30_000
/**
 * The least time between the starts of two requests to one host: whatever a
 * host answers (401s, 429s with Retry-After: 0, 503s), it gets at most 2
 * requests in any one second. A little over half a second, so that no second
 * as the server counts it (on arrival) sees three.
 */
export const MIN_REQUEST_GAP_MS = 550
/** The most of an answer read: a connectionOperation or a token is a few KB. */
export const MAX_BODY_BYTES = 1024 * 1024

export interface TransportOptions {
  userAgent: string
  /** Every request settles by the budget's deadline, and stops when it is cancelled. */
  budget: Pick<Budget, 'now' | 'deadline' | 'signal' | 'sleep'>
  /** One request's own limit, so a hung response is retried rather than waited out. */
  requestTimeoutMs?: number
  /** The least time between the starts of two requests (MIN_REQUEST_GAP_MS by default). */
  minGapMs?: number
  /** How messages name the settings (the action's inputs when not given). */
  voice?: Voice
}

export class HttpTransport implements Transport {
  private readonly client: HttpClient
  private readonly userAgent: string
  private readonly origin: string
  private readonly budget: TransportOptions['budget']
  private readonly requestTimeoutMs: number
  private readonly minGapMs: number
  private readonly voice: Voice
  /** When the last request started, on the budget's clock. */
  private lastStartAt: number | undefined

  constructor(origin: string, options: TransportOptions) {
    this.origin = new URL(origin).origin
    // Only its agent is used (see the top of this file).
    this.client = new HttpClient(undefined, undefined, { keepAlive: true })
    this.userAgent = options.userAgent
    this.budget = options.budget
    this.requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS
    this.minGapMs = options.minGapMs ?? MIN_REQUEST_GAP_MS
    this.voice = options.voice ?? ACTION_VOICE
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    // The transport only ever talks to its own origin, so a bearer token
    // handed to the Graph transport cannot reach another host.
    if (req.url.origin !== this.origin) {
      throw new Error(`refusing to send a request to ${req.url.origin}`)
    }
    await this.keepGap()
    return this.send(req)
  }

  /** Waits until the last request started at least minGapMs ago (never past the deadline). */
  private async keepGap(): Promise<void> {
    const { now, deadline, sleep } = this.budget
    const earliest = Math.min((this.lastStartAt ?? -Infinity) + this.minGapMs, deadline)
    // A timer can fire a millisecond early: wait until the time has truly come.
    while (now() < earliest) await sleep(Math.ceil(earliest - now()))
    this.lastStartAt = now()
  }

  private send(req: HttpRequest): Promise<HttpResponse> {
    const { signal, deadline } = this.budget
    const where = `${req.url.origin}${req.url.pathname}`
    const pastDeadline = (): Error =>
      new DeadlineExceededError(`no response from ${where} before the timeout`)
    if (signal.aborted) return Promise.reject(new CancelledError())
    const remaining = deadline - this.budget.now()
    if (remaining <= 0) return Promise.reject(pastDeadline())
    const deadlineFirst = remaining <= this.requestTimeoutMs

    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false
      const settle = (error: Error | undefined, response?: HttpResponse): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
        if (error) {
          request.destroy()
          reject(error)
        } else {
          resolve(response as HttpResponse)
        }
      }
      const onAbort = (): void => settle(new CancelledError())
      const send = req.url.protocol === 'https:' ? https.request : http.request
      const headers: Record<string, string> = { 'user-agent': this.userAgent, ...req.headers }
      const request = send(
        req.url,
        { method: req.method, headers, agent: this.client.getAgent(req.url.href) },
        response => {
          const chunks: Buffer[] = []
          let bytes = 0
          const voice = this.voice
          const check = `Check ${voice.name('graph-url')} and ${voice.name('authority-url')}.`
          const tooLarge = (): ActionError =>
            new ActionError(
              `The answer from ${where} is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB; ` +
                `an answer from Graph or Entra is a few KB. ${check}`,
              'AnswerTooLarge'
            )
          if (Number(response.headers['content-length']) > MAX_BODY_BYTES) {
            settle(tooLarge())
            return
          }
          response.on('data', (chunk: Buffer) => {
            bytes += chunk.length
            if (bytes > MAX_BODY_BYTES) settle(tooLarge())
            else chunks.push(chunk)
          })
          response.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8')
            if (/^\s*[[{]/.test(body) && nestsDeeperThan(body, MAX_JSON_DEPTH)) {
              settle(
                new ActionError(
                  `The answer from ${where} is JSON nested more than ${MAX_JSON_DEPTH} levels ` +
                    `deep; an answer from Graph or Entra nests a few. ${check}`,
                  'AnswerTooDeep'
                )
              )
              return
            }
            settle(undefined, { status: response.statusCode ?? 0, headers: response.headers, body })
          })
          // A connection closed mid-body ends here too: Node reports it as ECONNRESET "aborted".
          response.on('error', error => settle(networkError(where, error)))
        }
      )
      const timer = setTimeout(
        () =>
          settle(
            deadlineFirst
              ? pastDeadline()
              : new TransientError(
                  `no response from ${where} within ${this.requestTimeoutMs / 1000} s`
                )
          ),
        Math.min(remaining, this.requestTimeoutMs)
      )
      signal.addEventListener('abort', onAbort)
      request.on('error', error => settle(networkError(where, error)))
      request.end(req.body)
    })
  }
}

/** An HTTP status worth another try: throttling (429) or a server error (5xx). */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500
}

/**
 * Parses Retry-After: delay-seconds or an HTTP date. Undefined when absent or
 * unreadable, so the caller falls back to backoff; a date in the past is 0.
 */
export function parseRetryAfter(
  value: string | undefined,
  wallClock: () => number = Date.now
): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000
  // An HTTP date always names a day and month; Date.parse alone would take '-1' as a year.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : NaN
  return Number.isNaN(date) ? undefined : Math.max(0, date - wallClock())
}

export function headerValue(response: HttpResponse, name: string): string {
  const value = response.headers[name]
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '')
}

/** A 429 or 5xx answer as a TransientError that carries the answer's Retry-After. */
export function transientAnswer(response: HttpResponse, message: string): TransientError {
  return new TransientError(message, {
    retryAfterMs: parseRetryAfter(headerValue(response, 'retry-after'))
  })
}

// Connection failures worth another try; anything else (refused, DNS name not
// found, a bad certificate) is a setup problem that retrying will not fix.
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'EAI_AGAIN',
  'UND_ERR_SOCKET'
])

/** The request never got a complete HTTP response. */
export function networkError(url: string, cause: Error & { code?: string }): ActionError {
  // A TLS error can quote the server's certificate: text from outside.
  const what = inert(`${cause.code ? `${cause.code} ` : ''}${cause.message}`, 300)
  // The tunnel agent reports every refused proxy CONNECT as ECONNRESET.
  const proxyRefused = cause.message.startsWith('tunneling socket could not be established')
  if (!proxyRefused && (!cause.code || TRANSIENT_NETWORK_CODES.has(cause.code))) {
    return new TransientError(`The connection to ${url} failed: ${what}`)
  }
  return new ActionError(
    `Could not reach ${url}: ${what}. Check the URL inputs, the network and any HTTPS_PROXY settings.`,
    'NetworkError'
  )
}
