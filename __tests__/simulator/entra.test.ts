// The simulator's client-assertion checks: the e2e sign-in tests only mean
// something if it refuses what Entra would refuse.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { constants, sign } from 'node:crypto'
import { readFileSync } from 'node:fs'

import { parseCertificate } from '../../src/engine/certificate.js'
import { createCredential } from '../../src/engine/credentials.js'
import { DEFAULTS, startSimulator } from '../../simulator/simulator.js'
import type { Simulator } from '../../simulator/simulator.js'
import { recordingLog } from '../helpers/recording-log.js'

const APP_PEM = readFileSync(new URL('../fixtures/app.pem', import.meta.url), 'utf8')
const certificate = parseCertificate(APP_PEM)
const app = {
  clientId: DEFAULTS.clientId,
  certificates: [APP_PEM.slice(APP_PEM.indexOf('-----BEGIN CERTIFICATE-----'))],
  roles: []
}

let sim: Simulator
let tokenUrl = ''
beforeAll(async () => {
  sim = await startSimulator({ apps: [app] })
  tokenUrl = `${sim.url}/${DEFAULTS.tenantId}/oauth2/v2.0/token`
})
afterAll(async () => {
  await sim.close()
})

async function assertion(clientId = DEFAULTS.clientId, url = tokenUrl): Promise<string> {
  const credential = createCredential(
    { kind: 'certificate', certificate },
    {
      clientId,
      log: recordingLog(),
      runner: () => {
        throw new Error('not used')
      }
    }
  )
  return (await credential.fields(url)).client_assertion
}

/** Re-signs a changed payload with the right key, so only the claim is wrong. */
function resigned(jwt: string, change: (claims: Record<string, unknown>) => void): string {
  const [header, payload] = jwt.split('.')
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
  change(claims)
  const signed = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`
  const signature = sign('sha256', Buffer.from(signed), {
    key: certificate.key,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_DIGEST
  })
  return `${signed}.${signature.toString('base64url')}`
}

const refusal = (jwt: string) => {
  const response = sim.checkAssertion(app, jwt, tokenUrl)
  const body = response?.body as { error_description?: string } | undefined
  return body?.error_description?.split('\r\n')[0]
}

describe('simulated client-assertion checks', () => {
  it('accepts a fresh assertion from the action once, and refuses its replay', async () => {
    const jwt = await assertion()
    expect(refusal(jwt)).toBeUndefined()
    expect(refusal(jwt)).toMatch(/^AADSTS700027: .*jti is missing or reused/)
  })

  it('refuses a payload changed after signing', async () => {
    const [header, , signature] = (await assertion()).split('.')
    const forged = Buffer.from(JSON.stringify({ iss: 'x' })).toString('base64url')
    expect(refusal(`${header}.${forged}.${signature}`)).toBe(
      'AADSTS700027: Client assertion failed signature validation.'
    )
  })

  it.each([
    ['aud', (c: Record<string, unknown>) => (c.aud = 'https://login.example/token'), /aud '/],
    ['iss', (c: Record<string, unknown>) => (c.iss = 'someone'), /iss and sub/],
    ['exp', (c: Record<string, unknown>) => (c.exp = 1), /expired/],
    ['lifetime', (c: Record<string, unknown>) => (c.exp = Number(c.nbf) + 3600), /10 minutes/]
  ])('refuses a wrong %s claim', async (_name, change, reason) => {
    expect(refusal(resigned(await assertion(), change))).toMatch(reason)
  })

  it('refuses an ID token that its OIDC endpoint did not issue', () => {
    const fake = [{ alg: 'RS256' }, { iss: DEFAULTS.oidcIssuer, sub: DEFAULTS.oidcSubject }]
      .map(part => Buffer.from(JSON.stringify(part)).toString('base64url'))
      .join('.')
    expect(refusal(`${fake}.c2ln`)).toMatch(/^AADSTS50027/)
  })
})
