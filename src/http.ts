// A small HTTP transport bound to one origin. @actions/http-client supplies the
// agent (keep-alive, HTTPS_PROXY/NO_PROXY); the request itself is made here
// because http-client's readBody() never settles when a connection drops
// mid-body, and it cannot abort a request at a deadline or on cancellation.
import * as http from 'node:http'
import * as https from 'node:https'
import { HttpClient } from '@actions/http-client'
import { CancelledError, DeadlineExceededError, TransientError, networkError } from './errors.js'

export interface HttpRequest {
  method: 'GET' | 'POST'
  url: URL
  headers: Record<string, string>
  body?: string
  /** Absolute time, on the transport's clock, by which the request must settle. */
  deadline: number
}

export interface HttpResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

export interface TransportOptions {
  userAgent: string
  now?: () => number
  /** Cancels every request in flight, and any later one, when aborted. */
  signal?: AbortSignal
  /** One request's own limit, so a hung response is retried rather than waited out. */
  requestTimeoutMs?: number
}

export const REQUEST_TIMEOUT_MS = 30_000

/** What the token and Graph clients need of a transport. */
export interface Transport {
  request(req: HttpRequest): Promise<HttpResponse>
}

export class HttpTransport implements Transport {
  private readonly client: HttpClient
  private readonly origin: string
  private readonly now: () => number
  private readonly signal?: AbortSignal
  private readonly requestTimeoutMs: number

  constructor(origin: string, options: TransportOptions) {
    this.origin = new URL(origin).origin
    this.client = new HttpClient(options.userAgent, [], { keepAlive: true })
    this.now = options.now ?? (() => performance.now())
    this.signal = options.signal
    this.requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS
  }

  request(req: HttpRequest): Promise<HttpResponse> {
    // The transport only ever talks to its own origin, so a bearer token
    // handed to the Graph transport cannot reach another host.
    if (req.url.origin !== this.origin) {
      return Promise.reject(new Error(`refusing to send a request to ${req.url.origin}`))
    }
    const where = `${req.url.origin}${req.url.pathname}`
    const pastDeadline = (): Error =>
      new DeadlineExceededError(`no response from ${where} before the timeout`)
    if (this.signal?.aborted) return Promise.reject(new CancelledError())
    const remaining = req.deadline - this.now()
    if (remaining <= 0) return Promise.reject(pastDeadline())
    const deadlineFirst = remaining <= this.requestTimeoutMs

    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false
      const settle = (error: Error | undefined, response?: HttpResponse): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        this.signal?.removeEventListener('abort', onAbort)
        if (error) {
          request.destroy()
          reject(error)
        } else {
          resolve(response as HttpResponse)
        }
      }
      const onAbort = (): void => settle(new CancelledError())
      const send = req.url.protocol === 'https:' ? https.request : http.request
      const headers: Record<string, string> = { ...req.headers }
      if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body))
      const request = send(
        req.url,
        { method: req.method, headers, agent: this.client.getAgent(req.url.href) },
        response => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('end', () =>
            settle(undefined, {
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks).toString('utf8')
            })
          )
          response.on('error', error => settle(networkError(where, error)))
          response.on('close', () => {
            if (!response.complete) {
              settle(networkError(where, new Error('the connection closed mid-response')))
            }
          })
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
      this.signal?.addEventListener('abort', onAbort)
      request.on('error', error => settle(networkError(where, error)))
      request.end(req.body)
    })
  }

  /** Closes pooled keep-alive sockets so the process can exit at once. */
  dispose(): void {
    this.client.dispose()
  }
}

export type JsonObject = Record<string, unknown>

/** The body as a JSON object, or undefined when it is not one (an HTML error page, say). */
export function parseJsonObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined
  } catch {
    return undefined
  }
}

export function headerValue(response: HttpResponse, name: string): string {
  const value = response.headers[name]
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '')
}
