// The simulated runner's ID-token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL):
// GET with the request token as bearer and &audience=, answering { value }.
import { randomBytes, randomUUID } from 'node:crypto'
import { DEFAULTS } from './defaults.js'

/** @typedef {import('./simulator.js').Simulator} Simulator */
/** @typedef {import('./simulator.js').ScriptedResponse} ScriptedResponse */

/**
 * @param {Simulator} sim
 * @param {string} path
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @returns {ScriptedResponse}
 */
export function idTokenAnswer(sim, path, headers) {
  if (headers.authorization !== `Bearer ${sim.oidcRequestToken}`) {
    return { status: 401, body: { message: 'Unauthorized' } }
  }
  const audience =
    new URL(path, sim.url).searchParams.get('audience') ?? 'https://github.com/contoso'
  const now = Math.floor(Date.now() / 1000)
  const claims = {
    iss: DEFAULTS.oidcIssuer,
    sub: sim.oidcSubject,
    aud: audience,
    repository: 'contoso/connectors',
    ref: 'refs/heads/main',
    jti: randomUUID(),
    nbf: now,
    iat: now,
    exp: now + 300
  }
  const token = [
    Buffer.from(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: 'simulator' })).toString(
      'base64url'
    ),
    Buffer.from(JSON.stringify(claims)).toString('base64url'),
    randomBytes(64).toString('base64url')
  ].join('.')
  sim.idTokens.set(token, claims)
  return { status: 200, body: { count: 1, value: token } }
}
