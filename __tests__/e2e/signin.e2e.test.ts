// End-to-end: secretless sign-in (certificate, GitHub OIDC), national clouds
// and proxies, against the simulator, with the bundled dist/index.js.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { X509Certificate, createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { connect } from 'node:net'
import type { AddressInfo, Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { DEFAULTS, Simulator, startSimulator } from '../../simulator/simulator.js'
import { OPERATION_ID, runAction, simulatorInputs } from '../helpers/run-action.js'
import type { ActionRun } from '../helpers/run-action.js'
import { APP_PEM, appWithEveryCredential, certificateOf } from '../helpers/apps.js'

const OTHER_PEM = readFileSync(new URL('../fixtures/other.pem', import.meta.url), 'utf8')
const debugEnv = { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true' }

let sim: Simulator

beforeEach(async () => {
  sim = await startSimulator({ apps: [appWithEveryCredential()] })
  sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress', 'completed'] })
})
afterEach(async () => {
  await sim.close()
})

const inputs = (overrides: Record<string, string> = {}) =>
  simulatorInputs(sim.url, { 'client-secret': '', ...overrides })
const oidcEnv = () => ({
  ACTIONS_ID_TOKEN_REQUEST_URL: sim.oidcRequestUrl,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: sim.oidcRequestToken
})
const form = (body: string) => Object.fromEntries(new URLSearchParams(body))
const jwtPart = (jwt: string, i: number) =>
  JSON.parse(Buffer.from(jwt.split('.')[i], 'base64url').toString())

/** No line but ::add-mask:: may hold any of these. */
function expectNothingLeaked(run: ActionRun, secrets: string[]): void {
  const lines = `${run.stdout}\n${run.stderr}`.split('\n')
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(10)
    expect(lines.filter(l => l.includes(secret) && !l.startsWith('::add-mask::'))).toEqual([])
  }
  for (const value of Object.values(run.outputs)) {
    for (const secret of secrets) expect(value).not.toContain(secret)
  }
}

describe('certificate', () => {
  it('signs in with a PS256 client assertion carrying the x5t#S256 thumbprint', async () => {
    const run = await runAction(inputs({ 'client-certificate': APP_PEM }), { env: debugEnv })

    expect(run.errors).toEqual([])
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('completed')
    const [tokenRequest] = sim.requestsTo('token')
    const fields = form(tokenRequest.body)
    expect(fields.client_secret).toBeUndefined()
    expect(fields.client_assertion_type).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
    )
    const header = jwtPart(fields.client_assertion, 0)
    const claims = jwtPart(fields.client_assertion, 1)
    const der = new X509Certificate(certificateOf(APP_PEM)).raw
    expect(header).toEqual({
      alg: 'PS256',
      typ: 'JWT',
      'x5t#S256': createHash('sha256').update(der).digest('base64url')
    })
    expect(claims.aud).toBe(`${sim.url}/${DEFAULTS.tenantId}/oauth2/v2.0/token`)
    expect(claims.iss).toBe(DEFAULTS.clientId)
    expect(claims.sub).toBe(DEFAULTS.clientId)
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/)
    expect(claims.nbf).toBe(claims.iat)
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(600)
    expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(30)

    // Debug on: no line of the private key, the assertion or the access token is logged.
    const keyLines = APP_PEM.slice(0, APP_PEM.indexOf('-----END PRIVATE KEY-----'))
      .split('\n')
      .filter(line => line && !line.startsWith('-----'))
    expect(run.stdout).toContain('::debug::')
    expectNothingLeaked(run, [...keyLines, fields.client_assertion, ...sim.tokens.keys()])
    // The leak check cannot see a value that is never printed: the masks are asserted too.
    const lines = run.stdout.split('\n')
    for (const line of keyLines) expect(lines).toContain(`::add-mask::${line}`)
    expect(lines).toContain(`::add-mask::${fields.client_assertion}`)
    for (const token of sim.tokens.keys()) expect(lines).toContain(`::add-mask::${token}`)
  })

  it('is refused when the app does not know the certificate, with the AADSTS hint', async () => {
    const run = await runAction(inputs({ 'client-certificate': OTHER_PEM }))

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(
      /^Sign-in to Microsoft Entra ID failed: AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application/
    )
    expect(run.errors[0]).toContain('Check client-certificate: upload its certificate')
    expect(sim.requestsTo('graph')).toHaveLength(0)
  })

  it('refuses a PEM without a private key before any request', async () => {
    const run = await runAction(inputs({ 'client-certificate': certificateOf(APP_PEM) }))

    expect(run.code).toBe(1)
    expect(run.errors).toEqual([
      expect.stringMatching(/^Input 'client-certificate' has no private key/)
    ])
    expect(sim.requests).toHaveLength(0)
  })

  it('refuses a secret and a certificate together', async () => {
    const run = await runAction(
      inputs({ 'client-secret': DEFAULTS.clientSecret, 'client-certificate': APP_PEM })
    )

    expect(run.code).toBe(1)
    expect(run.errors[0]).toMatch(/^Inputs 'client-secret' and 'client-certificate' are both set/)
    expect(sim.requests).toHaveLength(0)
  })
})

describe('GitHub OIDC', () => {
  it("exchanges the runner's ID token for an access token", async () => {
    const run = await runAction(inputs(), { env: { ...oidcEnv(), ...debugEnv } })

    expect(run.errors).toEqual([])
    expect(run.code).toBe(0)
    const [idTokenRequest] = sim.requestsTo('oidc')
    expect(new URL(idTokenRequest.path, sim.url).searchParams.get('audience')).toBe(
      'api://AzureADTokenExchange'
    )
    expect(new URL(idTokenRequest.path, sim.url).searchParams.get('api-version')).toBe('2.0')
    const [issued] = sim.idTokens.keys()
    const fields = form(sim.requestsTo('token')[0].body)
    expect(fields.client_assertion).toBe(issued)
    expect(fields.client_secret).toBeUndefined()
    expectNothingLeaked(run, [issued, sim.oidcRequestToken, ...sim.tokens.keys()])
    // The leak check cannot see a value that is never printed: the masks are asserted too.
    const lines = run.stdout.split('\n')
    expect(lines[0]).toBe(`::add-mask::${sim.oidcRequestToken}`)
    expect(lines).toContain(`::add-mask::${issued}`)
    expect(lines.indexOf(`::add-mask::${issued}`)).toBeLessThan(
      lines.findIndex(line => line.startsWith('Status:'))
    )
  })

  it("retries the runner's ID-token endpoint when it answers 503, honouring Retry-After", async () => {
    sim.injectFaults('oidc', { status: 503, headers: { 'retry-after': '1' }, body: '' })
    const run = await runAction(inputs(), { env: oidcEnv() })

    expect(run.code).toBe(0)
    const [failed, retried] = sim.requestsTo('oidc')
    expect(failed.status).toBe(503)
    expect(retried.at - failed.at).toBeGreaterThanOrEqual(1000)
    expect(run.stdout).toContain("GitHub's OIDC token endpoint answered HTTP 503; retry 1 in 1.0 s")
  })

  it('asks for the audience input when it is set', async () => {
    await runAction(inputs({ audience: 'api://contoso-federation' }), { env: oidcEnv() })

    const [idTokenRequest] = sim.requestsTo('oidc')
    expect(new URL(idTokenRequest.path, sim.url).searchParams.get('audience')).toBe(
      'api://contoso-federation'
    )
  })

  it('says how to fix a job without id-token permission, before any request', async () => {
    const run = await runAction(inputs())

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain('`permissions: id-token: write`')
    expect(run.errors[0]).toContain('or set client-secret or client-certificate')
    expect(sim.requests).toHaveLength(0)
  })

  it('prints the claims the federated credential must match when none does', async () => {
    sim.oidcSubject = 'repo:contoso/connectors:pull_request'
    const run = await runAction(inputs(), { env: oidcEnv() })

    expect(run.code).toBe(1)
    expect(run.errors).toHaveLength(1)
    const [error] = run.errors
    expect(error).toMatch(
      /^Sign-in to Microsoft Entra ID failed: AADSTS700213: No matching federated identity record/
    )
    expect(error).toContain(
      "GitHub's ID token has issuer 'https://token.actions.githubusercontent.com', " +
        "subject 'repo:contoso/connectors:pull_request' and audience 'api://AzureADTokenExchange'"
    )
    expect(error).toContain('Add a federated credential to the app')
  })

  it('gets a fresh ID token for every sign-in during a long wait', async () => {
    await sim.close()
    sim = await startSimulator({ tokenLifetimeSeconds: 2 })
    sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, {
      statuses: ['inprogress', 'completed'],
      everyMs: 5000
    })
    const run = await runAction(inputs({ 'poll-interval-seconds': '0.5' }), { env: oidcEnv() })

    expect(run.code).toBe(0)
    const exchanges = sim.requestsTo('token').map(r => form(r.body).client_assertion)
    expect(sim.requestsTo('oidc').length).toBeGreaterThanOrEqual(2)
    expect(sim.requestsTo('oidc')).toHaveLength(exchanges.length)
    expect(new Set(exchanges).size).toBe(exchanges.length)
    expect(sim.requestsTo('graph').every(r => r.status === 200)).toBe(true)
  })
})

describe('national clouds and proxies', () => {
  it('completes a whole wait through HTTPS_PROXY over TLS, and exits at once', async () => {
    // graph.contoso.test and login.contoso.test exist only in this proxy, which
    // tunnels every CONNECT to an HTTPS simulator; its certificate is trusted
    // through NODE_EXTRA_CA_CERTS alone.
    const tlsPem = fileURLToPath(new URL('../fixtures/tls.pem', import.meta.url))
    const pem = readFileSync(tlsPem, 'utf8')
    const tlsSim = await startSimulator({
      tls: { key: pem, cert: pem },
      publicUrl: 'https://graph.contoso.test'
    })
    tlsSim.setOperation(DEFAULTS.connectionId, OPERATION_ID, {
      statuses: ['inprogress', 'inprogress', 'completed']
    })
    const connects: string[] = []
    const proxy = createServer()
    proxy.on('connect', (req, client: Socket) => {
      connects.push(req.url ?? '')
      const upstream = connect(tlsSim.port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.pipe(client).pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
    await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve))
    try {
      const run = await runAction(
        simulatorInputs('https://graph.contoso.test', {
          'authority-url': 'https://login.contoso.test',
          // Not a loopback host: polled at most once a second.
          'poll-interval-seconds': '1'
        }),
        {
          env: {
            HTTPS_PROXY: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
            NODE_EXTRA_CA_CERTS: tlsPem
          }
        }
      )
      expect(run.errors).toEqual([])
      expect(run.code).toBe(0)
      expect(run.outputs.status).toBe('completed')
      expect(connects).toContain('login.contoso.test:443')
      expect(connects).toContain('graph.contoso.test:443')
      expect(connects.every(c => c.endsWith('.contoso.test:443'))).toBe(true)
      // Behind a proxy, http-client's tunnel agent opens a new tunnel per request.
      expect(new Set(tlsSim.requests.map(r => r.connection)).size).toBe(connects.length)
      const last = tlsSim.requestsTo('graph').at(-1)
      expect(run.exitedAt - (last?.respondedAt ?? 0)).toBeLessThan(1000)
    } finally {
      proxy.close()
      await tlsSim.close()
    }
  })

  async function withRefusingProxy(test: (proxyUrl: string, connects: string[]) => Promise<void>) {
    // Records each CONNECT and refuses it, so nothing leaves the machine.
    const connects: string[] = []
    const proxy = createServer()
    proxy.on('connect', (req, socket) => {
      connects.push(req.url ?? '')
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
    })
    await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve))
    try {
      await test(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, connects)
    } finally {
      proxy.close()
    }
  }

  it.each([
    ['usgov', 'login.microsoftonline.us:443'],
    ['usgov-dod', 'login.microsoftonline.us:443'],
    ['global', 'login.microsoftonline.com:443']
  ])('cloud %s signs in at %s, through HTTPS_PROXY', async (cloud, host) => {
    await withRefusingProxy(async (proxyUrl, connects) => {
      const run = await runAction(
        inputs({
          cloud,
          'client-secret': 's',
          'graph-url': '',
          'authority-url': '',
          'poll-interval-seconds': '1'
        }),
        { env: { HTTPS_PROXY: proxyUrl } }
      )
      expect(connects).toEqual([host])
      expect(run.code).toBe(1)
      expect(run.errors).toEqual([
        expect.stringMatching(
          new RegExp(`^Could not reach https://${host.split(':')[0]}/.*/oauth2/v2\\.0/token: .*403`)
        )
      ])
    })
  })

  it('asks GitHub for the US Government audience in the US clouds', async () => {
    await withRefusingProxy(async (proxyUrl, connects) => {
      const real = { 'graph-url': '', 'authority-url': '', 'poll-interval-seconds': '1' }
      await runAction(inputs({ cloud: 'usgov', ...real }), {
        env: { HTTPS_PROXY: proxyUrl, ...oidcEnv() }
      })
      // The runner's endpoint is on loopback, which never goes through a proxy.
      const [idTokenRequest] = sim.requestsTo('oidc')
      expect(new URL(idTokenRequest.path, sim.url).searchParams.get('audience')).toBe(
        'api://AzureADTokenExchangeUSGov'
      )
      expect(connects).toEqual(['login.microsoftonline.us:443'])
    })
  })
})
