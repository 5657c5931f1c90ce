// The simulated Graph speaks as Graph does: it echoes the caller's
// client-request-id, sends evolvable enum members only to callers that ask,
// and passes nulls and error details through as scripted.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startSimulator } from '../../simulator/simulator.js'
import type { Simulator } from '../../simulator/simulator.js'
import { simulatorToken } from '../helpers/sim-token.js'

let sim: Simulator
let token = ''

beforeAll(async () => {
  sim = await startSimulator()
  token = await simulatorToken(sim)
})
afterAll(async () => {
  await sim.close()
})

function get(path: string, headers: Record<string, string> = {}) {
  return fetch(`${sim.url}/v1.0/external/connections/contosohr${path}`, {
    headers: { authorization: `Bearer ${token}`, ...headers }
  })
}

describe('simulated Graph', () => {
  it("echoes the caller's client-request-id in the header and in innerError", async () => {
    const response = await get('/operations/missing', { 'client-request-id': 'caller-id-1' })
    expect(response.status).toBe(404)
    expect(response.headers.get('client-request-id')).toBe('caller-id-1')
    const body = (await response.json()) as { error: { innerError: Record<string, string> } }
    expect(body.error.innerError['client-request-id']).toBe('caller-id-1')
    expect(body.error.innerError['request-id']).toBe(response.headers.get('request-id'))
  })

  it('sends a status added later as unknownFutureValue, unless asked for it by name', async () => {
    sim.setOperation('contosohr', 'op', { statuses: ['queued'] })
    const plain = (await (await get('/operations/op')).json()) as { status: string }
    expect(plain.status).toBe('unknownFutureValue')
    const asked = (await (
      await get('/operations/op', { prefer: 'include-unknown-enum-members' })
    ).json()) as { status: string }
    expect(asked.status).toBe('queued')
  })

  it('passes a null status and an error with details through', async () => {
    const error = { code: 'E', message: null, details: [{ target: 'title', message: 'm' }] }
    sim.setOperation('contosohr', 'op', { statuses: [null, 'failed'], error })
    expect(await (await get('/operations/op')).json()).toMatchObject({ status: null, error: null })
    expect(await (await get('/operations/op')).json()).toMatchObject({ status: 'failed', error })
  })
})
