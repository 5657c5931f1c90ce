// The transport against a real loopback server: keep-alive, deadlines, drops.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { getEventListeners } from 'node:events'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  ActionError,
  CancelledError,
  DeadlineExceededError,
  TransientError
} from '../../src/engine/errors.js'
import {
  HttpTransport,
  MIN_REQUEST_GAP_MS,
  headerValue,
  isTransientStatus,
  networkError,
  parseRetryAfter,
  transientAnswer
} from '../../src/engine/http.js'
import { fakeBudget } from '../helpers/fake-budget.js'

let server: Server
let origin = ''
let connections = 0
/** When each request arrived, on performance.now(). */
const arrivals: number[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    arrivals.push(performance.now())
    if (req.url === '/hang') return
    if (req.url === '/drop-mid-body') {
      res.writeHead(200, { 'content-length': '100' })
      res.write('{"partial":')
      setTimeout(() => res.destroy(), 20)
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      const body = Buffer.concat(chunks).toString('utf8')
      res.end(
        JSON.stringify({
          path: req.url,
          method: req.method,
          ...(body && {
            body,
            length: req.headers['content-length'],
            test: req.headers['x-test'],
            userAgent: req.headers['user-agent']
          })
        })
      )
    })
  })
  server.on('connection', () => connections++)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise(resolve => server.close(resolve))
})

/** A budget on the real clock, ending `ms` from now. */
function budget(ms = 5_000, signal = new AbortController().signal) {
  return {
    now: () => performance.now(),
    deadline: performance.now() + ms,
    signal,
    sleep: (wait: number) => new Promise<void>(resolve => setTimeout(resolve, wait))
  }
}

function transport(
  options: {
    deadlineInMs?: number
    signal?: AbortSignal
    requestTimeoutMs?: number
    minGapMs?: number
  } = {},
  at = origin
) {
  return new HttpTransport(at, {
    userAgent: 'test',
    budget: budget(options.deadlineInMs, options.signal),
    requestTimeoutMs: options.requestTimeoutMs,
    // No gap unless a test is about it: the tests make requests back to back.
    minGapMs: options.minGapMs ?? 0
  })
}

/** GET `url` (a path on the test server, or a whole URL) through the transport. */
function get(through: HttpTransport, url: string) {
  return through.request({ method: 'GET', url: new URL(url, origin), headers: {} })
}

describe('HttpTransport', () => {
  it('starts requests to its host at least the gap apart, the first at once', async () => {
    // On a fake clock that moves only when the transport sleeps: every wait is seen.
    const clock = fakeBudget()
    const http = new HttpTransport(origin, { userAgent: 'test', budget: clock, minGapMs: 200 })
    for (let i = 0; i < 3; i++) await get(http, '/ok')
    expect(clock.sleeps).toEqual([200, 200])

    clock.advance(150)
    await get(http, '/ok')
    expect(clock.sleeps).toEqual([200, 200, 50])
    clock.advance(1_000)
    await get(http, '/ok')
    expect(clock.sleeps).toHaveLength(3)
  })

  it('never waits out a gap past the deadline', async () => {
    const http = transport({ minGapMs: 10_000, deadlineInMs: 300 })
    await get(http, '/ok')
    const started = performance.now()
    await expect(get(http, '/ok')).rejects.toBeInstanceOf(DeadlineExceededError)
    expect(performance.now() - started).toBeLessThan(1_000)
  })

  it('keeps a gap of a little over half a second by default: 2 requests a second at most', () => {
    expect(MIN_REQUEST_GAP_MS).toBeGreaterThan(500)
    expect(MIN_REQUEST_GAP_MS).toBeLessThan(600)
  })

  it('reuses one keep-alive connection for successive requests', async () => {
    const http = transport()
    const before = connections
    for (let i = 0; i < 3; i++) {
      const response = await get(http, `/r${i}`)
      expect(response.status).toBe(200)
      expect(JSON.parse(response.body)).toMatchObject({ path: `/r${i}`, method: 'GET' })
    }
    expect(connections - before).toBe(1)
  })

  it('sends the method, the headers, the body and its length', async () => {
    const http = transport()
    const response = await http.request({
      method: 'PATCH',
      url: new URL('/echo', origin),
      headers: { 'content-type': 'application/json', 'x-test': 'yes' },
      body: '{"é":1}'
    })
    expect(JSON.parse(response.body)).toEqual({
      path: '/echo',
      method: 'PATCH',
      body: '{"é":1}',
      length: '8', // bytes, not characters
      test: 'yes',
      userAgent: 'test'
    })
    expect(response.headers['content-type']).toBe('application/json')
  })

  it('refuses to send a request to any other origin', async () => {
    const http = transport()
    const before = connections
    await expect(
      http.request({
        method: 'GET',
        url: new URL('http://localhost:1/steal'),
        headers: { authorization: 'Bearer x' }
      })
    ).rejects.toThrow('refusing to send a request to http://localhost:1')
    expect(connections).toBe(before)
  })

  it('abandons a request that has no answer by the deadline', async () => {
    const started = performance.now()
    const http = transport({ deadlineInMs: 300 })
    const request = get(http, '/hang')
    await expect(request).rejects.toThrow(
      new DeadlineExceededError(`no response from ${origin}/hang before the timeout`)
    )
    await expect(request).rejects.toBeInstanceOf(DeadlineExceededError)
    const took = performance.now() - started
    expect(took).toBeGreaterThanOrEqual(295)
    expect(took).toBeLessThan(1_000)
  })

  it('rejects at once, without connecting, when the deadline has already passed', async () => {
    const http = transport({ deadlineInMs: -1 })
    const before = connections
    await expect(get(http, '/late')).rejects.toBeInstanceOf(DeadlineExceededError)
    // The deadline is now, to the millisecond: no time is left for a request.
    const now = new HttpTransport(origin, {
      userAgent: 'test',
      budget: { ...budget(), now: () => 1_000, deadline: 1_000 },
      minGapMs: 0
    })
    await expect(get(now, '/late')).rejects.toBeInstanceOf(DeadlineExceededError)
    expect(connections).toBe(before)
  })

  it('calls it the deadline when the deadline and the request timeout fall together', async () => {
    const http = new HttpTransport(origin, {
      userAgent: 'test',
      budget: { ...budget(), now: () => 0, deadline: 200 },
      requestTimeoutMs: 200,
      minGapMs: 0
    })
    await expect(get(http, '/hang')).rejects.toBeInstanceOf(DeadlineExceededError)
  })

  it('leaves no listener on the cancel signal once a request is done', async () => {
    const cancel = new AbortController()
    const http = transport({ signal: cancel.signal })
    await get(http, '/ok')
    await expect(get(http, '/drop-mid-body')).rejects.toBeInstanceOf(TransientError)
    expect(getEventListeners(cancel.signal, 'abort')).toHaveLength(0)
  })

  it('sends https through HTTPS_PROXY, and a refused tunnel fails clearly, not transiently', async () => {
    const proxy = createServer()
    let connect = ''
    proxy.on('connect', (req, socket) => {
      connect = req.url ?? ''
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
    })
    await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve))
    const names = ['HTTPS_PROXY', 'NO_PROXY', 'no_proxy'] as const
    const saved = names.map(name => process.env[name])
    process.env.HTTPS_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    delete process.env.NO_PROXY
    delete process.env.no_proxy
    try {
      const http = transport({}, 'https://graph.example.invalid')
      const request = get(http, 'https://graph.example.invalid/v1.0/external/connections')
      await expect(request).rejects.toThrow(
        /^Could not reach https:\/\/graph\.example\.invalid\/v1\.0\/external\/connections: ECONNRESET tunneling socket could not be established, statusCode=403\. Check the URL inputs, the network and any HTTPS_PROXY settings\.$/
      )
      await expect(request).rejects.toMatchObject({ code: 'NetworkError' })
      await expect(request).rejects.not.toBeInstanceOf(TransientError)
      expect(connect).toBe('graph.example.invalid:443')
    } finally {
      names.forEach((name, i) => {
        if (saved[i] === undefined) delete process.env[name]
        else process.env[name] = saved[i]
      })
      await new Promise(resolve => proxy.close(resolve))
    }
  })

  it('turns a connection dropped mid-body into a transient error instead of hanging', async () => {
    const http = transport()
    const request = get(http, '/drop-mid-body')
    await expect(request).rejects.toBeInstanceOf(TransientError)
    await expect(request).rejects.toThrow(`The connection to ${origin}/drop-mid-body failed`)
  })

  it('gives up on one hung request after its own timeout, as a transient error', async () => {
    const http = transport({ requestTimeoutMs: 200 })
    const started = performance.now()
    const request = get(http, '/hang')
    await expect(request).rejects.toThrow(/^no response from .*\/hang within 0\.2 s$/)
    await expect(request).rejects.toBeInstanceOf(TransientError)
    expect(performance.now() - started).toBeLessThan(1_000)
  })

  it('stops a request in flight when cancelled', async () => {
    const cancel = new AbortController()
    const http = transport({ signal: cancel.signal })
    const started = performance.now()
    const request = get(http, '/hang')
    setTimeout(() => cancel.abort(), 50)
    await expect(request).rejects.toBeInstanceOf(CancelledError)
    expect(performance.now() - started).toBeLessThan(1_000)
  })

  it('refuses at once, without connecting, when the step is already cancelled', async () => {
    const cancel = new AbortController()
    cancel.abort()
    const http = transport({ signal: cancel.signal })
    const before = connections
    await expect(get(http, '/r')).rejects.toBeInstanceOf(CancelledError)
    expect(connections).toBe(before)
  })

  it('fails at once, not transiently, when the host refuses the connection', async () => {
    const http = transport({}, 'http://127.0.0.1:9')
    const request = get(http, 'http://127.0.0.1:9/x')
    await expect(request).rejects.toThrow(
      /^Could not reach http:\/\/127\.0\.0\.1:9\/x: ECONNREFUSED/
    )
    await expect(request).rejects.not.toBeInstanceOf(TransientError)
    await expect(request).rejects.toBeInstanceOf(ActionError)
  })
})

describe('networkError', () => {
  const withCode = (code: string | undefined, message = 'boom') =>
    Object.assign(new Error(message), code ? { code } : {})

  it.each(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'EAI_AGAIN', 'UND_ERR_SOCKET'])(
    'retries %s',
    code => {
      const error = networkError('https://h/x', withCode(code))
      expect(error).toBeInstanceOf(TransientError)
      expect(error.message).toBe(`The connection to https://h/x failed: ${code} boom`)
    }
  )

  it('retries a failure without a code, such as a socket hang up', () => {
    const error = networkError('https://h/x', withCode(undefined, 'socket hang up'))
    expect(error).toBeInstanceOf(TransientError)
    expect(error.message).toBe('The connection to https://h/x failed: socket hang up')
  })

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'CERT_HAS_EXPIRED'])('does not retry %s', code => {
    const error = networkError('https://h/x', withCode(code))
    expect(error).not.toBeInstanceOf(TransientError)
    expect(error.message).toBe(
      `Could not reach https://h/x: ${code} boom. Check the URL inputs, the network and any HTTPS_PROXY settings.`
    )
  })

  it('does not retry a refused proxy tunnel, which the agent reports as ECONNRESET', () => {
    const cause = withCode(
      'ECONNRESET',
      'tunneling socket could not be established, statusCode=403'
    )
    expect(networkError('https://h/x', cause)).not.toBeInstanceOf(TransientError)
  })
})

describe('transientAnswer', () => {
  it("carries the answer's Retry-After", () => {
    const error = transientAnswer({ status: 429, headers: { 'retry-after': '7' }, body: '' }, 'm')
    expect(error).toBeInstanceOf(TransientError)
    expect(error.message).toBe('m')
    expect(error.retryAfterMs).toBe(7_000)
    expect(
      transientAnswer({ status: 503, headers: {}, body: '' }, 'm').retryAfterMs
    ).toBeUndefined()
  })
})

describe('the size of an answer', () => {
  let big: Server
  let bigOrigin = ''
  beforeAll(async () => {
    big = createServer((req, res) => {
      const mib = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('mib'))
      if (req.url?.startsWith('/deep')) {
        const depth = Number(new URL(req.url, 'http://x').searchParams.get('depth'))
        const lead = req.url.includes('lead') ? ' \n ' : ''
        res.end(`${lead}{"status":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`)
        return
      }
      if (req.url?.startsWith('/text')) {
        // Not JSON, though it holds brackets: passed on as it is, never parsed.
        res.end(`deep ${'['.repeat(1000)}`)
        return
      }
      if (req.url?.startsWith('/exactly')) {
        res.writeHead(200, { 'content-length': String(1024 * 1024) })
        res.end(Buffer.alloc(1024 * 1024, 'a'))
        return
      }
      if (req.url?.startsWith('/declared')) {
        res.writeHead(200, { 'content-length': String(mib * 1024 * 1024) })
        res.write('{')
        return // never sends the rest: the declared length alone is refused
      }
      res.writeHead(200, { 'content-type': 'application/json' }) // chunked, no length
      const chunk = Buffer.alloc(64 * 1024, 'a')
      let sent = 0
      const pump = (): void => {
        while (sent < mib * 1024 * 1024) {
          sent += chunk.length
          if (!res.write(chunk)) return void res.once('drain', pump)
        }
        res.end()
      }
      pump()
    })
    await new Promise<void>(resolve => big.listen(0, '127.0.0.1', resolve))
    bigOrigin = `http://127.0.0.1:${(big.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    big.closeAllConnections()
    await new Promise(resolve => big.close(resolve))
  })

  const message = (path: string) =>
    `The answer from ${bigOrigin}${path} is larger than 1 MiB; an answer from Graph or Entra ` +
    'is a few KB. Check graph-url and authority-url.'

  it('reads an answer of up to 1 MiB', async () => {
    const http = transport({}, bigOrigin)
    const response = await http.request({
      method: 'GET',
      url: new URL('/stream?mib=1', bigOrigin),
      headers: {}
    })
    expect(response.body).toHaveLength(1024 * 1024)
    const declared = await http.request({
      method: 'GET',
      url: new URL('/exactly', bigOrigin),
      headers: {}
    })
    expect(declared.body).toHaveLength(1024 * 1024)
  })

  it('stops reading past 1 MiB, and fails clearly, not transiently', async () => {
    const http = transport({}, bigOrigin)
    const request = http.request({
      method: 'GET',
      url: new URL('/stream?mib=64', bigOrigin),
      headers: {}
    })
    await expect(request).rejects.toThrow(message('/stream'))
    await expect(request).rejects.toMatchObject({ code: 'AnswerTooLarge' })
    await expect(request).rejects.not.toBeInstanceOf(TransientError)
  })

  it('refuses JSON nested past 64 levels, clearly and not transiently; takes 64', async () => {
    const http = transport({}, bigOrigin)
    const at = (depth: number) =>
      http.request({ method: 'GET', url: new URL(`/deep?depth=${depth}`, bigOrigin), headers: {} })
    await expect(at(64)).resolves.toMatchObject({ status: 200 })
    const request = at(100_000)
    await expect(request).rejects.toThrow(
      `The answer from ${bigOrigin}/deep is JSON nested more than 64 levels deep; an answer ` +
        'from Graph or Entra nests a few. Check graph-url and authority-url.'
    )
    await expect(request).rejects.toMatchObject({ code: 'AnswerTooDeep' })
    await expect(request).rejects.not.toBeInstanceOf(TransientError)
    await expect(
      http.request({ method: 'GET', url: new URL('/deep?depth=100&lead', bigOrigin), headers: {} })
    ).rejects.toMatchObject({ code: 'AnswerTooDeep' })
    const text = await http.request({
      method: 'GET',
      url: new URL('/text', bigOrigin),
      headers: {}
    })
    expect(text.body).toBe(`deep ${'['.repeat(1000)}`)
  })

  it('refuses an answer whose declared length is over 1 MiB before reading it', async () => {
    const http = transport({}, bigOrigin)
    const started = performance.now()
    const request = http.request({
      method: 'GET',
      url: new URL('/declared?mib=4096', bigOrigin),
      headers: {}
    })
    await expect(request).rejects.toThrow(message('/declared'))
    expect(performance.now() - started).toBeLessThan(1_000)
  })
})

describe('isTransientStatus', () => {
  it.each([429, 500, 502, 503, 504, 599])('retries HTTP %i', status => {
    expect(isTransientStatus(status)).toBe(true)
  })
  it.each([200, 400, 401, 403, 404, 409, 428, 430, 499])('does not retry HTTP %i', status => {
    expect(isTransientStatus(status)).toBe(false)
  })
})

describe('parseRetryAfter', () => {
  const wallClock = () => Date.parse('Sat, 28 Nov 2026 10:00:00 GMT')

  it.each([
    ['1', 1_000],
    ['120', 120_000],
    ['1.5', 1_500],
    ['1.25', 1_250],
    [' 7 ', 7_000],
    ['Sat, 28 Nov 2026 10:00:05 GMT', 5_000],
    ['Sat, 28 Nov 2026 09:59:00 GMT', 0]
  ])('reads %j as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, wallClock)).toBe(ms)
  })

  it.each([undefined, '', 'soon', '-1', '1 2', 'x1', '1x'])(
    'ignores %j, so backoff applies',
    value => {
      expect(parseRetryAfter(value, wallClock)).toBeUndefined()
    }
  )

  it('reads a date against the real clock by default', () => {
    const inAMinute = new Date(Date.now() + 60_000).toUTCString()
    const ms = parseRetryAfter(inAMinute) ?? 0
    expect(ms).toBeGreaterThan(58_000)
    expect(ms).toBeLessThanOrEqual(60_000)
  })
})

describe('headerValue', () => {
  const answer = (headers: Record<string, string | string[]>) => ({
    status: 200,
    headers,
    body: ''
  })

  it('gives the first of repeated headers, and an empty string for none', () => {
    expect(headerValue(answer({ 'retry-after': ['5', '9'] }), 'retry-after')).toBe('5')
    expect(headerValue(answer({ 'retry-after': [] }), 'retry-after')).toBe('')
    expect(headerValue(answer({ 'retry-after': '7' }), 'retry-after')).toBe('7')
    expect(headerValue(answer({}), 'retry-after')).toBe('')
  })
})
