// The transport against a real loopback server: keep-alive, deadlines, drops.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import {
  ActionError,
  CancelledError,
  DeadlineExceededError,
  TransientError
} from '../src/errors.js'
import { HttpTransport } from '../src/http.js'

let server: Server
let origin = ''
let connections = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/hang') return
    if (req.url === '/drop-mid-body') {
      res.writeHead(200, { 'content-length': '100' })
      res.write('{"partial":')
      setTimeout(() => res.destroy(), 20)
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ path: req.url, method: req.method }))
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

const soon = () => performance.now() + 5_000

/** GET `url` (a path on the test server, or a whole URL) through the transport. */
function get(transport: HttpTransport, url: string, deadline = soon()) {
  return transport.request({
    method: 'GET',
    url: new URL(url, origin),
    headers: {},
    deadline
  })
}

describe('HttpTransport', () => {
  it('reuses one keep-alive connection for successive requests', async () => {
    const transport = new HttpTransport(origin, { userAgent: 'test' })
    const before = connections
    for (let i = 0; i < 3; i++) {
      const response = await get(transport, `/r${i}`)
      expect(response.status).toBe(200)
      expect(JSON.parse(response.body)).toEqual({ path: `/r${i}`, method: 'GET' })
    }
    expect(connections - before).toBe(1)
    transport.dispose()
  })

  it('refuses to send a request to any other origin', async () => {
    const transport = new HttpTransport(origin, { userAgent: 'test' })
    await expect(
      transport.request({
        method: 'GET',
        url: new URL('http://localhost:1/steal'),
        headers: { authorization: 'Bearer x' },
        deadline: soon()
      })
    ).rejects.toThrow('refusing to send a request to http://localhost:1')
    transport.dispose()
  })

  it('abandons a request that has no answer by the deadline', async () => {
    const transport = new HttpTransport(origin, { userAgent: 'test' })
    const started = performance.now()
    const request = get(transport, '/hang', started + 300)
    await expect(request).rejects.toBeInstanceOf(DeadlineExceededError)
    const took = performance.now() - started
    expect(took).toBeGreaterThanOrEqual(295)
    expect(took).toBeLessThan(1_000)
    transport.dispose()
  })

  it('rejects at once when the deadline has already passed', async () => {
    const transport = new HttpTransport(origin, { userAgent: 'test' })
    const before = connections
    await expect(get(transport, '/late', performance.now() - 1)).rejects.toBeInstanceOf(
      DeadlineExceededError
    )
    expect(connections).toBe(before)
    transport.dispose()
  })

  it('turns a connection dropped mid-body into a transient error instead of hanging', async () => {
    const transport = new HttpTransport(origin, { userAgent: 'test' })
    await expect(get(transport, '/drop-mid-body')).rejects.toBeInstanceOf(TransientError)
    transport.dispose()
  })

  it('gives up on one hung request after its own timeout, as a transient error', async () => {
    const transport = new HttpTransport(origin, { userAgent: 'test', requestTimeoutMs: 200 })
    const started = performance.now()
    const request = get(transport, '/hang')
    await expect(request).rejects.toThrow(/^no response from .*\/hang within 0\.2 s$/)
    await expect(request).rejects.toBeInstanceOf(TransientError)
    expect(performance.now() - started).toBeLessThan(1_000)
    transport.dispose()
  })

  it('stops a request in flight when cancelled', async () => {
    const cancel = new AbortController()
    const transport = new HttpTransport(origin, { userAgent: 'test', signal: cancel.signal })
    const request = get(transport, '/hang')
    setTimeout(() => cancel.abort(), 50)
    await expect(request).rejects.toBeInstanceOf(CancelledError)
    transport.dispose()
  })

  it('fails at once, not transiently, when the host refuses the connection', async () => {
    const transport = new HttpTransport('http://127.0.0.1:9', { userAgent: 'test' })
    const request = get(transport, 'http://127.0.0.1:9/x')
    await expect(request).rejects.toThrow(
      /^Could not reach http:\/\/127\.0\.0\.1:9\/x: ECONNREFUSED/
    )
    await expect(request).rejects.not.toBeInstanceOf(TransientError)
    await expect(request).rejects.toBeInstanceOf(ActionError)
    transport.dispose()
  })
})
