// The Graph client: which answers it retries, the 404 grace, and the messages
// users read when Graph says no.
import { describe, expect, it, jest } from '@jest/globals'
import { withRetries } from '../../src/engine/retry.js'
import {
  GraphClient,
  NOT_FOUND_GRACE_MS,
  RENEWAL_WINDOW_MS,
  graphError,
  operationAt,
  publicErrorOf
} from '../../src/engine/graph.js'
import type { HttpRequest, HttpResponse } from '../../src/engine/http.js'
import { fakeBudget } from '../helpers/fake-budget.js'
import type { FakeBudget } from '../helpers/fake-budget.js'
import { fakeTransport } from '../helpers/fake-transport.js'
import type { FakeAnswer } from '../helpers/fake-transport.js'

function response(status: number, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, body: '' }
}

const OK = { status: 200, body: JSON.stringify({ id: 'op', status: 'inprogress' }) }
const graphBody = (code: string, message = code) => JSON.stringify({ error: { code, message } })
const notFound = { status: 404, body: graphBody('ItemNotFound') }
const isConnection = (req: HttpRequest) => /\/external\/connections\/[^/]+$/.test(req.url.pathname)

/**
 * A client whose operation GETs are answered from `answers` in order, and whose
 * connection GETs get `connection`. Each request takes 10 ms on the fake clock.
 */
function graphClient(answers: FakeAnswer[], connection: FakeAnswer = { status: 200 }) {
  const budget: FakeBudget = fakeBudget()
  const transport = fakeTransport(
    req => (isConnection(req) ? connection : (answers.shift() ?? { status: 500 })),
    () => budget.advance(10)
  )
  const tokens = { get: jest.fn(async () => 'token'), invalidate: jest.fn() }
  const client = new GraphClient({
    transport,
    tokens,
    // No jitter: each retry waits the lower bound of its backoff step (250 ms, 500 ms, …).
    retry: attempt => withRetries(attempt, { budget, random: () => 0 }),
    budget,
    settings: { graphUrl: 'https://graph.microsoft.com', apiVersion: 'v1.0' }
  })
  const ref = { connectionId: 'contosohr', operationId: 'op' }
  const operationRequests = () => transport.requests.filter(r => !isConnection(r))
  return {
    client,
    transport,
    tokens,
    budget,
    operationRequests,
    get: () => client.getOperation(ref)
  }
}

describe('GraphClient requests', () => {
  it('GETs the operation with the bearer token, JSON accept and a fresh client-request-id', async () => {
    const { get, transport } = graphClient([OK, OK])
    await get()
    await get()
    const [first, second] = transport.requests
    expect(first.method).toBe('GET')
    expect(first.url.href).toBe(
      'https://graph.microsoft.com/v1.0/external/connections/contosohr/operations/op'
    )
    expect(first.headers.authorization).toBe('Bearer token')
    expect(first.headers.accept).toBe('application/json')
    expect(first.headers['client-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(second.headers['client-request-id']).not.toBe(first.headers['client-request-id'])
  })

  it('URL-encodes both IDs into the path', async () => {
    const { client, transport } = graphClient([OK])
    await client.getOperation({ connectionId: 'contosohr', operationId: 'op+1=2&x' })
    expect(transport.requests[0].url.pathname).toBe(
      '/v1.0/external/connections/contosohr/operations/op%2B1%3D2%26x'
    )
  })

  it('reads a connection, and takes one whose state is null as it is', async () => {
    const ready = { status: 200, body: JSON.stringify({ id: 'contosohr', state: 'ready' }) }
    const { client, transport } = graphClient([], ready)
    await expect(client.getConnection('contosohr')).resolves.toEqual({
      id: 'contosohr',
      state: 'ready'
    })
    expect(transport.requests[0].url.pathname).toBe('/v1.0/external/connections/contosohr')

    // Every property of a Graph resource is nullable: what no state means is the watcher's call.
    const stateless = graphClient([], { status: 200, body: '{"id":"contosohr","state":null}' })
    await expect(stateless.client.getConnection('contosohr')).resolves.toEqual({
      id: 'contosohr',
      state: null
    })
  })
})

describe('which Graph answers are retried', () => {
  it.each([429, 500, 502, 503, 504])('retries HTTP %i', async status => {
    const { get, operationRequests } = graphClient([{ status, body: graphBody('X') }, OK])
    await expect(get()).resolves.toMatchObject({ status: 'inprogress' })
    expect(operationRequests()).toHaveLength(2)
  })

  it('retries a 502 whose body is an HTML gateway page', async () => {
    const html = { status: 502, body: '<html><body>Bad Gateway</body></html>' }
    const { get, operationRequests } = graphClient([html, OK])
    await expect(get()).resolves.toMatchObject({ status: 'inprogress' })
    expect(operationRequests()).toHaveLength(2)
  })

  it('uses Retry-After from the response', async () => {
    const { get, budget } = graphClient([{ status: 429, headers: { 'retry-after': '3' } }, OK])
    await get()
    expect(budget.sleeps).toEqual([3_000])
  })

  it.each([400, 403, 409])('fails at once on HTTP %i', async status => {
    const { get, operationRequests } = graphClient([{ status, body: graphBody('Nope') }, OK])
    await expect(get()).rejects.toThrow(`HTTP ${status}, code Nope`)
    expect(operationRequests()).toHaveLength(1)
  })

  it('fails at once on a 200 that is not JSON, naming its content-type and request-id', async () => {
    const html = {
      status: 200,
      headers: { 'content-type': 'text/html', 'request-id': 'r-1' },
      body: 'OK'
    }
    const { get, operationRequests } = graphClient([html, OK])
    await expect(get()).rejects.toThrow(
      'Graph answered HTTP 200 with a body that is not JSON (content-type text/html, request-id r-1). Check graph-url.'
    )
    expect(operationRequests()).toHaveLength(1)
  })

  it('takes a 200 whose resource has no status as an answer', async () => {
    const { get } = graphClient([{ status: 200, body: '{"id":"op","status":null}' }])
    await expect(get()).resolves.toEqual({ id: 'op', status: null })
  })

  it('signs in again once on 401, and fails on a second 401 in a row', async () => {
    const unauthorized = { status: 401, body: graphBody('InvalidAuthenticationToken') }
    const once = graphClient([unauthorized, OK])
    await expect(once.get()).resolves.toMatchObject({ status: 'inprogress' })
    expect(once.tokens.invalidate).toHaveBeenCalledTimes(1)
    expect(once.tokens.get).toHaveBeenCalledTimes(2)
    // The re-sign-in waits the first backoff step, like any retry: never a tight loop.
    expect(once.budget.sleeps).toEqual([250])

    const twice = graphClient([unauthorized, unauthorized, OK])
    await expect(twice.get()).rejects.toThrow('Graph rejected the access token')
    expect(twice.tokens.invalidate).toHaveBeenCalledTimes(1)
    expect(twice.operationRequests()).toHaveLength(2)
  })

  it('signs in again after a 401 at most once a minute: a later 401 fails, never a loop', async () => {
    const unauthorized = { status: 401, body: graphBody('InvalidAuthenticationToken', 'Bad.') }
    const { get, tokens, budget } = graphClient([unauthorized, OK, unauthorized, OK])
    await get()
    budget.advance(RENEWAL_WINDOW_MS - 1_000)
    await expect(get()).rejects.toThrow(
      /^Graph rejected the access token again \(HTTP 401, code InvalidAuthenticationToken, request-id none\): Bad\. The action signed in again after Graph's first 401, 59 s before, and Graph refused the new token too/
    )
    expect(tokens.invalidate).toHaveBeenCalledTimes(1)
  })

  it('signs in again for a 401 that comes more than a minute after the last one', async () => {
    const unauthorized = { status: 401, body: graphBody('InvalidAuthenticationToken') }
    const { get, tokens, budget } = graphClient([unauthorized, OK, unauthorized, OK])
    await get()
    budget.advance(RENEWAL_WINDOW_MS)
    await expect(get()).resolves.toMatchObject({ status: 'inprogress' })
    expect(tokens.invalidate).toHaveBeenCalledTimes(2)
  })

  it('retries a 404 for the operation only within the grace period', async () => {
    const { get, budget, operationRequests, transport } = graphClient(Array(100).fill(notFound))
    await expect(get()).rejects.toThrow("Graph found no operation 'op' on connection 'contosohr'")
    expect(budget.now()).toBeGreaterThanOrEqual(NOT_FOUND_GRACE_MS)
    expect(budget.now()).toBeLessThan(NOT_FOUND_GRACE_MS + 30_000)
    expect(operationRequests().length).toBeGreaterThan(2)
    // The connection is checked once, on the first 404.
    expect(transport.requests.filter(isConnection)).toHaveLength(1)
  })

  it('fails at once, naming the connection, when the connection itself is not found', async () => {
    const { get, operationRequests } = graphClient([notFound, OK], notFound)
    await expect(get()).rejects.toThrow("Graph found no connection 'contosohr' (HTTP 404")
    expect(operationRequests()).toHaveLength(1)
  })

  it('does not retry a 404 once the operation has been seen', async () => {
    const { get, operationRequests } = graphClient([OK, notFound, OK])
    await get()
    await expect(get()).rejects.toThrow('HTTP 404')
    expect(operationRequests()).toHaveLength(2)
  })

  it('does not retry a 404 for a connection', async () => {
    const { client, transport } = graphClient([], notFound)
    await expect(client.getConnection('contosohr')).rejects.toThrow(
      "Graph found no connection 'contosohr'"
    )
    expect(transport.requests).toHaveLength(1)
  })
})

describe('graphError', () => {
  const ref = { connectionId: 'contosohr', operationId: 'op1' }
  const body = (code: string, message: string) => ({
    error: { code, message, innerError: { 'request-id': 'inner-id' } }
  })

  it('prefers the request-id header and names both IDs on 404', () => {
    const message = graphError(
      response(404, { 'request-id': 'hdr-id' }),
      body('ItemNotFound', 'Gone.'),
      ref
    ).message
    expect(message).toBe(
      "Graph found no operation 'op1' on connection 'contosohr' (HTTP 404, code ItemNotFound, request-id hdr-id): Gone. " +
        'Check operation-id: it is the last segment of the Location header that the schema request returned.'
    )
  })

  it("carries Graph's code for error-code, or GraphError when Graph gave none", () => {
    expect(graphError(response(404), body('ItemNotFound', 'Gone.'), ref).code).toBe('ItemNotFound')
    expect(graphError(response(502), undefined, ref).code).toBe('GraphError')
  })

  it('names the connection when it is the connection that is missing', () => {
    const message = graphError(response(404), body('ItemNotFound', 'No.'), {
      connectionId: 'contosohr'
    }).message
    expect(message).toBe(
      "Graph found no connection 'contosohr' (HTTP 404, code ItemNotFound, request-id inner-id): No. " +
        'Check connection-id, and that tenant-id and cloud are where the connection was created.'
    )
  })

  it('falls back to innerError request-id and names the permissions on 403', () => {
    const message = graphError(response(403), body('Forbidden', 'Missing role.'), ref).message
    expect(message).toBe(
      "Graph denied access to operation 'op1' of connection 'contosohr' (HTTP 403, code Forbidden, request-id inner-id): Missing role. " +
        'Grant the app the Microsoft Graph application permission ExternalConnection.ReadWrite.OwnedBy ' +
        '(for connections it created) or ExternalConnection.Read.All, with admin consent.'
    )
  })

  it('describes other statuses, even without a JSON body', () => {
    expect(graphError(response(502), undefined, ref).message).toBe(
      "Graph request for operation 'op1' of connection 'contosohr' failed (HTTP 502, request-id none)."
    )
  })

  it('points at the token on 401', () => {
    const message = graphError(
      response(401),
      body('InvalidAuthenticationToken', 'Expired.'),
      ref
    ).message
    expect(message).toBe(
      "Graph rejected the access token for operation 'op1' of connection 'contosohr' " +
        '(HTTP 401, code InvalidAuthenticationToken, request-id inner-id): Expired. ' +
        'Check that graph-url and cloud match the tenant.'
    )
  })

  it('drops the trailing period and spaces of Graph message, keeping the rest', () => {
    const message = graphError(response(400), body('BadRequest', 'Bad. Really bad.. \n'), ref)
    expect(message.message).toBe(
      "Graph request for operation 'op1' of connection 'contosohr' failed " +
        '(HTTP 400, code BadRequest, request-id inner-id): Bad. Really bad.'
    )
  })
})

describe('what Graph may send', () => {
  it('asks Graph for enum members added after it was built', async () => {
    const { get, transport } = graphClient([OK])
    await get()
    expect(transport.requests[0].headers.prefer).toBe('include-unknown-enum-members')
  })

  it('starts the 404 grace at the first 404, and tries a last time inside it', async () => {
    const { get, budget, operationRequests } = graphClient(Array(100).fill(notFound))
    // Sign-in and other work before the first read does not eat into the grace.
    budget.setTime(50_000)
    await expect(get()).rejects.toThrow("Graph found no operation 'op'")
    expect(operationRequests().length).toBeGreaterThan(3)
    // 30 s from the first 404 (at 50 s), plus the last request's 10 ms.
    expect(budget.now()).toBeGreaterThanOrEqual(50_000 + NOT_FOUND_GRACE_MS)
    expect(budget.now()).toBeLessThanOrEqual(50_000 + NOT_FOUND_GRACE_MS + 50)
  })

  it('refuses a path that URL parsing would rewrite', async () => {
    const { client, transport } = graphClient([OK])
    await expect(
      client.getOperation({ connectionId: 'contosohr', operationId: '..' })
    ).rejects.toThrow(
      'Refusing to request /v1.0/external/connections/contosohr/ for the path /external/connections/contosohr/operations/...'
    )
    expect(transport.requests).toHaveLength(0)
  })

  it('makes text from Graph inert in its messages', () => {
    const hostile = {
      error: {
        code: 'X\n::error::forged',
        message: 'Bad\r\n::stop-commands::t ##[error]x',
        innerError: { 'request-id': 'r\n::warning::w' }
      }
    }
    const message = graphError(response(400), hostile, { connectionId: 'contosohr' }).message
    expect(message).not.toMatch(/[\r\n]/)
    expect(message).toContain('code X\\n::error::forged')
    expect(message).toContain('request-id r\\n::warning::w')
    expect(message).toContain(': Bad\\r\\n::stop-commands::t #\\#[error]x.')
  })

  it('uses the details of an error that has no message', () => {
    const body = {
      error: {
        code: 'BadRequest',
        message: '',
        details: [
          {
            code: 'InvalidLabel',
            message: 'Labelled properties must be retrievable.',
            target: 'title'
          },
          { message: 'Too many properties.' }
        ]
      }
    }
    expect(graphError(response(400), body, { connectionId: 'c1x' }).message).toBe(
      "Graph request for connection 'c1x' failed (HTTP 400, code BadRequest, request-id none): " +
        'title: Labelled properties must be retrievable. (InvalidLabel); Too many properties.'
    )
  })
})

describe("operationAt: Graph's Location, under the operation-url rules", () => {
  const GRAPH = 'https://graph.microsoft.com'
  const at = (path: string, connectionId = 'contosohr') =>
    operationAt(`${GRAPH}/v1.0/external/connections/${path}`, GRAPH, connectionId)

  it('follows an operation of the connection whose schema was submitted', () => {
    expect(at('contosohr/operations/1.neu.abc')).toEqual({
      url: `${GRAPH}/v1.0/external/connections/contosohr/operations/1.neu.abc`,
      connectionId: 'contosohr',
      operationId: '1.neu.abc'
    })
    // Connection IDs are not case-sensitive; the one submitted to is kept.
    expect(at('ContosoHR/operations/op1').connectionId).toBe('contosohr')
  })

  it('refuses forged workflow commands in the IDs, showing them inert', () => {
    const hostile = () => at('contosohr%0A::error::X/operations/op1%0A::warning::Y')
    expect(hostile).toThrow(
      "Graph's Location header names the connection 'contosohr\\n::error::X', not 'contosohr' " +
        "whose schema was submitted: 'https://graph.microsoft.com/v1.0/external/connections/" +
        "contosohr%0A::error::X/operations/op1%0A::warning::Y'. The action does not follow it."
    )
  })

  it.each([
    ['a line feed', 'op1%0A::warning::Y'],
    ['a carriage return', 'op1%0D::error::X'],
    ['a raw escape', 'op1\u001b[31m'],
    ['an encoded escape', 'op1%1B[31m'],
    ['a line separator', 'op1\u2028::error::X'],
    ['a command read anywhere in a line', 'op1%20%23%23[error]X'],
    ['##[ without spaces', '%23%23[error]X'],
    ['a bidirectional override', 'op1%E2%80%AEx'],
    ['an encoded slash', 'a%2Fb'],
    ['a dot segment', '%2E%2E'],
    ['a bad escape', 'op%E0%A4%A']
  ])('refuses an operation ID with %s', (_name, operation) => {
    let message = ''
    try {
      at(`contosohr/operations/${operation}`)
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(
      /^Graph's Location header (has an operation ID that is not one|is not an operation URL)/
    )
    // eslint-disable-next-line no-control-regex
    expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/)
    expect(message).not.toMatch(/##\[/)
  })

  it('never keeps a raw carriage return: URL parsing drops it, so no line can start', () => {
    // The WHATWG parser strips tabs and line breaks from a URL; what is left is one line.
    expect(at('contosohr/operations/op1\r::error::X').operationId).toBe('op1::error::X')
  })

  it("refuses another connection's operation", () => {
    expect(() => at('victimconn/operations/op1')).toThrow(
      "Graph's Location header names the connection 'victimconn', not 'contosohr' whose schema " +
        "was submitted: 'https://graph.microsoft.com/v1.0/external/connections/victimconn/" +
        "operations/op1'. The action does not follow it."
    )
  })

  it.each([
    [
      'another host',
      'https://graph.evil.example/v1.0/external/connections/contosohr/operations/op1'
    ],
    ['a query', `${GRAPH}/v1.0/external/connections/contosohr/operations/op1?x=1`],
    ['a fragment', `${GRAPH}/v1.0/external/connections/contosohr/operations/op1#x`],
    [
      'credentials',
      'https://u:p@graph.microsoft.com/v1.0/external/connections/contosohr/operations/op1'
    ],
    ['another resource', `${GRAPH}/v1.0/external/connections/contosohr/items/op1`],
    ['no URL', 'op1']
  ])('refuses a Location with %s', (_name, location) => {
    expect(() => operationAt(location, GRAPH, 'contosohr')).toThrow(/^Graph's Location header /)
  })
})

describe('publicErrorOf', () => {
  it('reads the message and the code', () => {
    expect(publicErrorOf({ code: 'E', message: ' Bad. ' })).toEqual({ code: 'E', message: 'Bad.' })
  })

  it('adds the details, each with the property it names, after the message', () => {
    expect(
      publicErrorOf({
        code: 'E',
        message: 'The schema is invalid.',
        details: [{ code: 'D1', message: 'Not retrievable', target: 'title' }, { target: 'url' }]
      })
    ).toEqual({
      code: 'E',
      message: 'The schema is invalid. Details: title: Not retrievable (D1); url: no message.'
    })
  })

  it('builds the message from the details alone when there is no message', () => {
    expect(publicErrorOf({ details: [{ message: 'One.' }, 'not an object', null] })).toEqual({
      code: '',
      message: 'One.; no message; no message'
    })
  })

  it('takes a string as the message, and nothing from anything else', () => {
    expect(publicErrorOf(' Quota exceeded ')).toEqual({ code: '', message: 'Quota exceeded' })
    for (const value of [null, undefined, 42, [], { details: 'x' }]) {
      expect(publicErrorOf(value)).toEqual({ code: '', message: '' })
    }
  })
})
