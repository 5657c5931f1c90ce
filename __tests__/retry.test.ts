// The retry policy on a fake clock, and which answers the clients retry.
import { beforeEach, describe, expect, it, jest } from '@jest/globals'

jest.unstable_mockModule('@actions/core', () => ({
  info: () => undefined,
  debug: () => undefined,
  setSecret: () => undefined
}))
const { DeadlineExceededError, TransientError } = await import('../src/errors.js')
const { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffMs, parseRetryAfter, withRetries } =
  await import('../src/retry.js')
const { GraphClient, NOT_FOUND_GRACE_MS } = await import('../src/graph.js')
const { TokenSource } = await import('../src/token.js')
type HttpRequest = import('../src/http.js').HttpRequest
type HttpResponse = import('../src/http.js').HttpResponse
type Retry = import('../src/retry.js').Retry

let time = 0
let sleeps: number[] = []
const now = () => time
const sleep = async (ms: number) => {
  sleeps.push(ms)
  time += ms
}
beforeEach(() => {
  time = 0
  sleeps = []
})

describe('parseRetryAfter', () => {
  const wallClock = () => Date.parse('Sat, 28 Nov 2026 10:00:00 GMT')

  it.each([
    ['1', 1_000],
    ['120', 120_000],
    ['1.5', 1_500],
    [' 7 ', 7_000],
    ['Sat, 28 Nov 2026 10:00:05 GMT', 5_000],
    ['Sat, 28 Nov 2026 09:59:00 GMT', 0]
  ])('reads %j as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, wallClock)).toBe(ms)
  })

  it.each([undefined, '', 'soon', '-1'])('ignores %j, so backoff applies', value => {
    expect(parseRetryAfter(value, wallClock)).toBeUndefined()
  })
})

describe('backoffMs', () => {
  it('doubles from 0.5 s, with jitter between half and all of it', () => {
    expect(backoffMs(1, () => 0)).toBe(250)
    expect(backoffMs(1, () => 1)).toBe(500)
    expect(backoffMs(2, () => 0)).toBe(500)
    expect(backoffMs(4, () => 1)).toBe(4_000)
  })

  it('is capped at 30 s however many retries came before', () => {
    expect(backoffMs(7, () => 1)).toBe(BACKOFF_CAP_MS)
    expect(backoffMs(60, () => 1)).toBe(BACKOFF_CAP_MS)
    expect(backoffMs(60, () => 0)).toBe(BACKOFF_CAP_MS / 2)
  })

  it('stays within its bounds for any random value', () => {
    for (let retry = 1; retry <= 10; retry++) {
      const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retry - 1))
      for (let i = 0; i < 50; i++) {
        const ms = backoffMs(retry)
        expect(ms).toBeGreaterThanOrEqual(ceiling / 2)
        expect(ms).toBeLessThanOrEqual(ceiling)
      }
    }
  })
})

describe('withRetries', () => {
  function failing(errors: Error[], value = 'ok') {
    let calls = 0
    const attempt = async () => {
      const error = errors[calls++]
      if (error) throw error
      return value
    }
    return { attempt, calls: () => calls }
  }

  it('retries transient errors, honouring Retry-After over backoff', async () => {
    const { attempt, calls } = failing([
      new TransientError('429', 2_000),
      new TransientError('503'),
      new TransientError('reset', 0)
    ])
    const retried: number[] = []
    const result = await withRetries(attempt, {
      now,
      sleep,
      deadline: 60_000,
      random: () => 1,
      onRetry: (_error, ms) => retried.push(ms)
    })
    expect(result).toBe('ok')
    expect(calls()).toBe(4)
    expect(sleeps).toEqual([2_000, 1_000, 0])
    expect(retried).toEqual(sleeps)
  })

  it('throws any other error at once', async () => {
    const { attempt, calls } = failing([new Error('403')])
    await expect(withRetries(attempt, { now, sleep, deadline: 60_000 })).rejects.toThrow('403')
    expect(calls()).toBe(1)
    expect(sleeps).toEqual([])
  })

  it('waits out the deadline, never past it, when Retry-After reaches beyond it', async () => {
    const { attempt, calls } = failing([new TransientError('HTTP 429 (request-id r1)', 120_000)])
    const onRetry = jest.fn()
    const result = withRetries(attempt, { now, sleep, deadline: 10_000, onRetry })
    await expect(result).rejects.toBeInstanceOf(DeadlineExceededError)
    await expect(result).rejects.toThrow('HTTP 429 (request-id r1)')
    expect(calls()).toBe(1)
    expect(sleeps).toEqual([10_000])
    expect(time).toBe(10_000)
    expect(onRetry).not.toHaveBeenCalled()
  })

  it('keeps retrying a persistent failure until the deadline, then fails with the cause', async () => {
    let calls = 0
    const attempt = async () => {
      calls++
      time += 100 // each attempt takes 0.1 s
      throw new TransientError('HTTP 503')
    }
    const result = withRetries(attempt, { now, sleep, deadline: 60_000, random: () => 1 })
    await expect(result).rejects.toThrow(new DeadlineExceededError('HTTP 503'))
    expect(time).toBe(60_000)
    // Each attempt takes 0.1 s; backoff doubles from 0.5 s until the next try
    // could not start before the deadline, and that last wait is cut to it.
    expect(sleeps).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 27_800])
    expect(calls).toBe(7)
  })
})

type FakeResponse = Partial<HttpResponse> & { body?: string }

/** Answers from `responses` in order; a Graph connection GET gets `connection`. */
function fakeTransport(responses: FakeResponse[], connection: FakeResponse = { status: 200 }) {
  const requests: HttpRequest[] = []
  return {
    requests,
    request: async (req: HttpRequest): Promise<HttpResponse> => {
      const isConnection = /\/external\/connections\/[^/]+$/.test(req.url.pathname)
      if (!isConnection) requests.push(req)
      const next = isConnection ? connection : (responses.shift() ?? { status: 500 })
      time += 10
      return { status: 200, headers: {}, body: '', ...next }
    }
  }
}

const retry: Retry = attempt => withRetries(attempt, { now, sleep, deadline: 600_000 })
const OK = { status: 200, body: JSON.stringify({ id: 'op', status: 'inprogress' }) }
const graphBody = (code: string) => JSON.stringify({ error: { code, message: code } })

function graphClient(responses: FakeResponse[], connection?: FakeResponse) {
  const transport = fakeTransport(responses, connection)
  const tokens = { get: jest.fn(async () => 'token'), invalidate: jest.fn() }
  const settings = { graphUrl: 'https://graph.microsoft.com', apiVersion: 'v1.0' as const }
  const client = new GraphClient(transport, tokens, retry, settings, now, 600_000)
  const ref = { connectionId: 'contosohr', operationId: 'op' }
  return { client, transport, tokens, get: () => client.getOperation(ref) }
}

describe('which Graph answers are retried', () => {
  it.each([429, 500, 502, 503, 504])('retries HTTP %i', async status => {
    const { get, transport } = graphClient([{ status, body: graphBody('X') }, OK])
    await expect(get()).resolves.toMatchObject({ status: 'inprogress' })
    expect(transport.requests).toHaveLength(2)
  })

  it('retries a 502 whose body is an HTML gateway page', async () => {
    const html = { status: 502, body: '<html><body>Bad Gateway</body></html>' }
    const { get, transport } = graphClient([html, OK])
    await expect(get()).resolves.toMatchObject({ status: 'inprogress' })
    expect(transport.requests).toHaveLength(2)
  })

  it('uses Retry-After from the response', async () => {
    const { get } = graphClient([{ status: 429, headers: { 'retry-after': '3' } }, OK])
    await get()
    expect(sleeps).toEqual([3_000])
  })

  it.each([400, 403])('fails at once on HTTP %i', async status => {
    const { get, transport } = graphClient([{ status, body: graphBody('Nope') }, OK])
    await expect(get()).rejects.toThrow(`HTTP ${status}, code Nope`)
    expect(transport.requests).toHaveLength(1)
  })

  it('fails at once on a 200 that is not JSON', async () => {
    const { get, transport } = graphClient([{ status: 200, body: 'OK' }, OK])
    await expect(get()).rejects.toThrow('Graph answered HTTP 200 with a body that is not JSON')
    expect(transport.requests).toHaveLength(1)
  })

  it('signs in again once on 401, and fails on a second 401 in a row', async () => {
    const unauthorized = { status: 401, body: graphBody('InvalidAuthenticationToken') }
    const once = graphClient([unauthorized, OK])
    await expect(once.get()).resolves.toMatchObject({ status: 'inprogress' })
    expect(once.tokens.invalidate).toHaveBeenCalledTimes(1)
    expect(sleeps).toEqual([0])

    const twice = graphClient([unauthorized, unauthorized, OK])
    await expect(twice.get()).rejects.toThrow('Graph rejected the access token')
    expect(twice.tokens.invalidate).toHaveBeenCalledTimes(1)
    expect(twice.transport.requests).toHaveLength(2)
  })

  it('retries 404 only within the grace period after the start', async () => {
    const notFound = { status: 404, body: graphBody('ItemNotFound') }
    const { get, transport } = graphClient(Array(100).fill(notFound))
    await expect(get()).rejects.toThrow("Graph found no operation 'op' on connection 'contosohr'")
    expect(time).toBeGreaterThanOrEqual(NOT_FOUND_GRACE_MS)
    expect(time).toBeLessThan(NOT_FOUND_GRACE_MS + 30_000)
    expect(transport.requests.length).toBeGreaterThan(2)
  })

  it('fails at once, naming the connection, when the connection itself is not found', async () => {
    const notFound = { status: 404, body: graphBody('ItemNotFound') }
    const { get, transport } = graphClient([notFound, OK], notFound)
    await expect(get()).rejects.toThrow("Graph found no connection 'contosohr' (HTTP 404")
    expect(transport.requests).toHaveLength(1)
  })

  it('does not retry a 404 once the operation has been seen', async () => {
    const notFound = { status: 404, body: graphBody('ItemNotFound') }
    const { get, transport } = graphClient([OK, notFound, OK])
    await get()
    await expect(get()).rejects.toThrow('HTTP 404')
    expect(transport.requests).toHaveLength(2)
  })
})

describe('which token endpoint answers are retried', () => {
  const settings = {
    tenantId: 'contoso.onmicrosoft.com',
    clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    authorityUrl: 'https://login.microsoftonline.com',
    graphUrl: 'https://graph.microsoft.com'
  }
  const secret = { fields: async () => ({ client_secret: 's' }), hint: () => undefined }
  const token = { status: 200, body: JSON.stringify({ access_token: 'ey.x.y', expires_in: 3599 }) }
  const oauthError = (status: number, error: string, code: number) => ({
    status,
    body: JSON.stringify({ error, error_description: `AADSTS${code}: text`, error_codes: [code] })
  })

  it.each([
    ['503 temporarily_unavailable', oauthError(503, 'temporarily_unavailable', 50000)],
    ['400 temporarily_unavailable', oauthError(400, 'temporarily_unavailable', 50000)],
    ['429 with Retry-After', { status: 429, headers: { 'retry-after': '2' } }],
    ['500 HTML', { status: 500, body: '<html></html>' }]
  ])('retries %s', async (_name, failure) => {
    const transport = fakeTransport([failure, token])
    const source = new TokenSource(transport, settings, secret, retry, now, 600_000)
    await expect(source.get()).resolves.toBe('ey.x.y')
    expect(transport.requests).toHaveLength(2)
  })

  it('fails at once on invalid credentials', async () => {
    const transport = fakeTransport([oauthError(401, 'invalid_client', 7000215), token])
    const source = new TokenSource(transport, settings, secret, retry, now, 600_000)
    await expect(source.get()).rejects.toThrow('AADSTS7000215')
    expect(transport.requests).toHaveLength(1)
  })

  it('caches the token and renews it 5 minutes before it expires', async () => {
    const transport = fakeTransport([token, token])
    const source = new TokenSource(transport, settings, secret, retry, now, 6_000_000)
    await source.get()
    time = 3_599_000 - 300_000 - 1
    await source.get()
    expect(transport.requests).toHaveLength(1)
    time += 1
    await source.get()
    expect(transport.requests).toHaveLength(2)
  })
})
