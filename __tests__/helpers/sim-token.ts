// An access token from the simulator for its default app, for tests that call
// the simulated Graph directly.
import { DEFAULTS } from '../../simulator/simulator.js'
import type { Simulator } from '../../simulator/simulator.js'

export async function simulatorToken(sim: Simulator): Promise<string> {
  const response = await fetch(`${sim.url}/${DEFAULTS.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: DEFAULTS.clientId,
      client_secret: DEFAULTS.clientSecret,
      scope: `${sim.url}/.default`
    })
  })
  return ((await response.json()) as { access_token: string }).access_token
}
