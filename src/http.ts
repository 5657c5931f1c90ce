// A small HTTP transport bound to one origin. @actions/http-client supplies the
// agent (keep-alive, HTTPS_PROXY/NO_PROXY); the request itself is made here
// because its readBody() never settles when a connection drops mid-body, and
// it has no way to abort a request at our deadline.
import * as http from 'node:http'
import * as https from 'node:https'
import { HttpClient } from '@actions/http-client'
import { DeadlineExceededError, NetworkError } from './errors.js'

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

export class HttpTransport {
  private readonly client: HttpClient
  private readonly origin: string

  constructor(
    origin: string,
    userAgent: string,
    private readonly now: () => number = () => performance.now()
  ) {
    this.origin = new URL(origin).origin
    this.client = new HttpClient(userAgent, [], { keepAlive: true })
  }

  request(req: HttpRequest): Promise<HttpResponse> {
    // The transport only ever talks to its own origin, so a bearer token
    // handed to the Graph transport cannot reach another host.
    if (req.url.origin !== this.origin) {
      return Promise.reject(new Error(`refusing to send a request to ${req.url.origin}`))
    }
    const where = `${req.url.origin}${req.url.pathname}`
    const remaining = req.deadline - this.now()
    if (remaining <= 0) return Promise.reject(new DeadlineExceededError(where))

    return new Promise<HttpResponse>((resolve, reject) => {
      let settled = false
      const settle = (error: Error | undefined, response?: HttpResponse): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        if (error) {
          request.destroy()
          reject(error)
        } else {
          resolve(response as HttpResponse)
        }
      }
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
          response.on('error', error => settle(new NetworkError(where, error)))
          response.on('close', () => {
            if (!response.complete) {
              settle(new NetworkError(where, new Error('the connection closed mid-response')))
            }
          })
        }
      )
      const timer = setTimeout(() => settle(new DeadlineExceededError(where)), remaining)
      request.on('error', error => settle(new NetworkError(where, error)))
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
