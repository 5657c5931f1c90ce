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

describe('the simulated token endpoint', () => {
  const GITLAB = 'https://gitlab.com'
  const GITLAB_SUBJECT = 'project_path:contoso/connectors:ref_type:branch:ref:main'
  const AZURE_DEVOPS = 'https://vstoken.dev.azure.com/0b8c7a55-2b43-4c55-9f07-7d2a2b6a0c11'
  const gitlabApp = {
    clientId: 'bbbbbbbb-cccc-dddd-eeee-ffffffffffff',
    federated: [
      { issuer: GITLAB, subject: GITLAB_SUBJECT, audience: 'api://AzureADTokenExchange' }
    ],
    roles: [...DEFAULTS.roles]
  }
  let entra: Simulator

  beforeAll(async () => {
    entra = await startSimulator({
      apps: [
        { clientId: DEFAULTS.clientId, secret: DEFAULTS.clientSecret, roles: [...DEFAULTS.roles] },
        gitlabApp
      ]
    })
  })
  afterAll(async () => {
    await entra.close()
  })

  async function token(fields: Record<string, string>) {
    const response = await fetch(`${entra.url}/${DEFAULTS.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', ...fields })
    })
    const body = (await response.json()) as Record<string, unknown>
    const description = String(body.error_description ?? '').split('\r\n')[0]
    return { status: response.status, error: body.error, description, body }
  }
  const withSecret = (scope: string) =>
    token({ client_id: DEFAULTS.clientId, client_secret: DEFAULTS.clientSecret, scope })

  /** An ID token as GitLab or Azure DevOps issues it: signed with keys the simulator cannot fetch. */
  function foreignIdToken(claims: Record<string, unknown>): string {
    const now = Math.floor(Date.now() / 1000)
    return [
      { kid: 'gitlab-key', typ: 'JWT', alg: 'RS256' },
      { aud: 'api://AzureADTokenExchange', iat: now, nbf: now, exp: now + 300, ...claims }
    ]
      .map(part => Buffer.from(JSON.stringify(part)).toString('base64url'))
      .concat('c2lnbmF0dXJl')
      .join('.')
  }
  const federated = (clientId: string, assertion: string) =>
    token({
      client_id: clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope: 'https://graph.microsoft.com/.default'
    })

  it("accepts Graph's real scope as well as its own URL's", async () => {
    const real = await withSecret('https://graph.microsoft.com/.default')
    expect(real.status).toBe(200)
    expect(typeof real.body.access_token).toBe('string')
    expect((await withSecret(`${entra.url}/.default`)).status).toBe(200)
  })

  it('refuses any other scope as Entra does', async () => {
    for (const scope of ['https://graph.microsoft.com', 'https://graph.microsoft.us/.default']) {
      const refused = await withSecret(scope)
      expect(refused.status).toBe(400)
      expect(refused.error).toBe('invalid_scope')
      expect(refused.description).toMatch(/^AADSTS1002012: The provided value for scope /)
    }
  })

  it.each([
    ['GitLab', GITLAB, GITLAB_SUBJECT],
    ['Azure DevOps', AZURE_DEVOPS, 'sc://contoso/connectors/graph-connector-deploy']
  ])(
    'answers a token from %s, whose issuer the app has no federated credential for, with AADSTS700211',
    async (_platform, issuer, subject) => {
      const refused = await federated(
        DEFAULTS.clientId,
        foreignIdToken({ iss: issuer, sub: subject })
      )
      expect(refused.status).toBe(401)
      expect(refused.error).toBe('invalid_client')
      expect(refused.description).toBe(
        `AADSTS700211: No matching federated identity record found for presented assertion issuer '${issuer}'. ` +
          'Please check your federated identity credential Subject, Audience and Issuer against the presented ' +
          'assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation'
      )
    }
  )

  it("takes a token whose issuer, subject and audience match the app's federated credential", async () => {
    const accepted = await federated(
      gitlabApp.clientId,
      foreignIdToken({ iss: GITLAB, sub: GITLAB_SUBJECT })
    )
    expect(accepted.status).toBe(200)
    expect(typeof accepted.body.access_token).toBe('string')
  })

  it('names the subject or the audience that no federated credential of that issuer has', async () => {
    const subject = await federated(
      gitlabApp.clientId,
      foreignIdToken({ iss: GITLAB, sub: 'project_path:contoso/other:ref_type:branch:ref:main' })
    )
    expect(subject.description).toMatch(
      /^AADSTS700213: No matching federated identity record found for presented assertion subject 'project_path:contoso\/other:/
    )
    const audience = await federated(
      gitlabApp.clientId,
      foreignIdToken({ iss: GITLAB, sub: GITLAB_SUBJECT, aud: 'https://gitlab.com' })
    )
    expect(audience.description).toBe(
      "AADSTS700212: No matching federated identity record found for presented assertion audience 'https://gitlab.com'."
    )
    const expired = await federated(
      gitlabApp.clientId,
      foreignIdToken({ iss: GITLAB, sub: GITLAB_SUBJECT, exp: 1 })
    )
    expect(expired.description).toBe(
      'AADSTS700024: Client assertion is not within its valid time range.'
    )
  })
})
