// Sign-in: the token request, which answers are retried, the cache, and the
// messages users read when Entra says no.
import { describe, expect, it } from '@jest/globals'
import type { ClientCredential } from '../../src/engine/credentials.js'
import type { HttpResponse } from '../../src/engine/http.js'
import { withRetries } from '../../src/engine/retry.js'
import { TokenSource, entraError } from '../../src/engine/token.js'
import { fakeBudget } from '../helpers/fake-budget.js'
import { scriptedTransport } from '../helpers/fake-transport.js'
import type { FakeAnswer } from '../helpers/fake-transport.js'
import { recordingLog } from '../helpers/recording-log.js'

const settings = {
  tenantId: 'contoso.onmicrosoft.com',
  clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  authorityUrl: 'https://login.microsoftonline.com',
  graphUrl: 'https://graph.microsoft.com'
}
const secret: ClientCredential = {
  fields: async () => ({ client_secret: 's' }),
  hint: code => (code === '7000215' ? 'Check client-secret.' : undefined)
}
const token = (expiresIn: unknown = 3599) => ({
  status: 200,
  body: JSON.stringify({ access_token: 'ey.x.y', expires_in: expiresIn })
})
const oauthError = (status: number, error: string, code: number) => ({
  status,
  body: JSON.stringify({ error, error_description: `AADSTS${code}: text`, error_codes: [code] })
})

function tokenSource(answers: FakeAnswer[], deadline = 6_000_000) {
  const budget = fakeBudget({ deadline })
  const entra = scriptedTransport(answers, () => budget.advance(10))
  const log = recordingLog()
  const source = new TokenSource({
    entra,
    credential: secret,
    settings,
    retry: attempt => withRetries(attempt, { budget }),
    budget,
    log
  })
  return { source, entra, budget, log }
}

describe('TokenSource', () => {
  it('asks for a client-credentials token for Graph, and masks it', async () => {
    const { source, entra, log } = tokenSource([token()])
    await expect(source.get()).resolves.toBe('ey.x.y')
    const [request] = entra.requests
    expect(request.method).toBe('POST')
    expect(request.url.href).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token'
    )
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: settings.clientId,
      scope: 'https://graph.microsoft.com/.default',
      client_secret: 's'
    })
    expect(log.secrets).toEqual(['ey.x.y'])
    expect(log.lines).toEqual([
      `info: Signing in to Microsoft Entra ID as app ${settings.clientId} in tenant contoso.onmicrosoft.com`,
      'debug: Access token valid for 3599 s'
    ])
  })

  it.each([
    ['503 temporarily_unavailable', oauthError(503, 'temporarily_unavailable', 50000)],
    ['400 temporarily_unavailable', oauthError(400, 'temporarily_unavailable', 50000)],
    ['429 with Retry-After', { status: 429, headers: { 'retry-after': '2' } }],
    ['500 HTML', { status: 500, body: '<html></html>' }]
  ])('retries %s', async (_name, failure) => {
    const { source, entra } = tokenSource([failure, token()])
    await expect(source.get()).resolves.toBe('ey.x.y')
    expect(entra.requests).toHaveLength(2)
  })

  it('waits as long as Retry-After says', async () => {
    const { source, budget } = tokenSource([
      { status: 429, headers: { 'retry-after': '2' } },
      token()
    ])
    await source.get()
    expect(budget.sleeps).toEqual([2_000])
  })

  it('fails at once on invalid credentials, with the credential hint', async () => {
    const { source, entra } = tokenSource([oauthError(401, 'invalid_client', 7000215), token()])
    await expect(source.get()).rejects.toThrow(
      'Sign-in to Microsoft Entra ID failed: AADSTS7000215: text (HTTP 401, error invalid_client). Check client-secret.'
    )
    expect(entra.requests).toHaveLength(1)
  })

  it('masks a token even when the answer is not a success', async () => {
    const odd = { status: 400, body: JSON.stringify({ error: 'x', access_token: 'leaked.t.k' }) }
    const { source, log } = tokenSource([odd])
    await expect(source.get()).rejects.toThrow('Sign-in to Microsoft Entra ID failed')
    expect(log.secrets).toEqual(['leaked.t.k'])
  })

  // Renewal is timed from when the request was sent, at 0 on the fake clock.
  it.each([
    ['5 minutes before a normal token expires', 3_599, 3_299_000],
    ['halfway through a short-lived token', 120, 60_000],
    ['an hour less 5 minutes after sign-in when expires_in is missing', undefined, 3_300_000]
  ])('caches the token and renews it %s', async (_name, expiresIn, renewAt) => {
    const first = {
      status: 200,
      body: JSON.stringify({ access_token: 'ey.x.y', expires_in: expiresIn })
    }
    const { source, entra, budget } = tokenSource([first, token()])
    await source.get()
    budget.setTime(renewAt - 1)
    await source.get()
    expect(entra.requests).toHaveLength(1)
    budget.setTime(renewAt)
    await source.get()
    expect(entra.requests).toHaveLength(2)
  })

  it('signs in again after invalidate()', async () => {
    const { source, entra } = tokenSource([token(), token()])
    await source.get()
    source.invalidate()
    await source.get()
    expect(entra.requests).toHaveLength(2)
  })
})

describe('entraError', () => {
  function response(status: number, headers: Record<string, string> = {}): HttpResponse {
    return { status, headers, body: '' }
  }
  const body = {
    error: 'invalid_client',
    error_description:
      "AADSTS7000222: The provided client secret keys for app 'x' are expired.\r\n" +
      'Trace ID: 0f1e\r\nCorrelation ID: 9a8b\r\nTimestamp: 2026-11-28 10:00:00Z',
    error_codes: [7000222],
    trace_id: '0f1e',
    correlation_id: '9a8b'
  }

  it('keeps the first line of the description, the IDs and the credential hint', () => {
    const hint = (code: string) => (code === '7000222' ? 'Renew the secret.' : undefined)
    expect(entraError(response(401), body, hint).message).toBe(
      "Sign-in to Microsoft Entra ID failed: AADSTS7000222: The provided client secret keys for app 'x' are expired. " +
        '(HTTP 401, error invalid_client, correlation ID 9a8b, trace ID 0f1e). Renew the secret.'
    )
  })

  it('carries the AADSTS code for error-code; else the OAuth error; else SignInFailed', () => {
    expect(entraError(response(401), body).code).toBe('AADSTS7000222')
    expect(entraError(response(400), { error: 'invalid_request', error_codes: [90002] }).code).toBe(
      'AADSTS90002'
    )
    expect(entraError(response(400), { error: 'invalid_client' }).code).toBe('invalid_client')
    expect(entraError(response(502), undefined).code).toBe('SignInFailed')
  })

  it('cuts the description at " Trace ID:" when it is on the same line', () => {
    const message = entraError(response(400), {
      error: 'invalid_request',
      error_description: 'AADSTS90002: Tenant not found. Trace ID: 1 Correlation ID: 2'
    }).message
    expect(message).toMatch(
      /^Sign-in to Microsoft Entra ID failed: AADSTS90002: Tenant not found\. \(/
    )
  })

  it('takes the code from error_codes when the description has none', () => {
    const message = entraError(response(400), {
      error: 'invalid_request',
      error_description: 'Tenant not found.',
      error_codes: [90002]
    }).message
    expect(message).toBe(
      'Sign-in to Microsoft Entra ID failed: Tenant not found. (HTTP 400, error invalid_request). ' +
        'Check tenant-id, and that cloud matches the tenant (global, usgov or usgov-dod).'
    )
  })

  it.each([
    ['700016', 'Check client-id and tenant-id'],
    ['900023', 'Check tenant-id: it must be a tenant GUID'],
    ['7000229', 'The app has no service principal in this tenant']
  ])('gives the hint for AADSTS%s whatever the credential', (code, hint) => {
    const message = entraError(response(400), {
      error: 'invalid_request',
      error_description: `AADSTS${code}: text`
    }).message
    expect(message).toContain(hint)
  })

  it("prefers the credential's hint to the general one", () => {
    const message = entraError(
      response(400),
      { error: 'invalid_request', error_description: 'AADSTS700016: x' },
      () => 'Credential hint.'
    ).message
    expect(message).toMatch(/\. Credential hint\.$/)
    expect(message).not.toContain('Check client-id')
  })

  it('gives no hint for a code it does not know, nor for a name on Object.prototype', () => {
    for (const description of ['AADSTS12345: Something new.', 'constructor']) {
      const message = entraError(response(400), {
        error: 'invalid_request',
        error_description: description,
        error_codes: ['constructor']
      }).message
      expect(message).toBe(
        `Sign-in to Microsoft Entra ID failed: ${description} (HTTP 400, error invalid_request).`
      )
    }
  })

  it('uses the error name when there is no description', () => {
    expect(entraError(response(401), { error: 'invalid_client' }).message).toBe(
      'Sign-in to Microsoft Entra ID failed: invalid_client (HTTP 401, error invalid_client).'
    )
  })

  it('explains a response that is not an OAuth error, such as a proxy page', () => {
    expect(entraError(response(502, { 'x-ms-request-id': 'r1' }), undefined).message).toBe(
      'Sign-in to Microsoft Entra ID failed: HTTP 502 without an OAuth error (request ID r1). ' +
        'Check authority-url and cloud.'
    )
    expect(entraError(response(502), {}).message).toBe(
      'Sign-in to Microsoft Entra ID failed: HTTP 502 without an OAuth error. Check authority-url and cloud.'
    )
  })
})
