// Each credential: its form fields, what it masks, and the hints only it can give.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { constants, verify, X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseCertificate } from '../../src/engine/certificate.js'
import { createCredential, readTokenFile } from '../../src/engine/credentials.js'
import type { CredentialContext } from '../../src/engine/credentials.js'
import { ActionError, TransientError } from '../../src/engine/errors.js'
import { fakeTransport } from '../helpers/fake-transport.js'
import { errorOf } from '../helpers/input-error.js'
import type { FakeAnswer, FakeTransport } from '../helpers/fake-transport.js'
import { recordingLog } from '../helpers/recording-log.js'

/** A JWT with these claims and a signature no one checks: enough to read its claims. */
function unsignedJwt(claims: Record<string, unknown>): string {
  return [{ alg: 'RS256' }, claims]
    .map(part => Buffer.from(JSON.stringify(part)).toString('base64url'))
    .concat('c2ln')
    .join('.')
}

const PEM = readFileSync(new URL('../fixtures/app.pem', import.meta.url), 'utf8')
const CLIENT_ID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'
const TOKEN_URL = 'https://login.microsoftonline.com/t/oauth2/v2.0/token'

function context(runner?: FakeTransport) {
  const log = recordingLog()
  const origins: string[] = []
  const ctx: CredentialContext = {
    clientId: CLIENT_ID,
    log,
    runner: origin => {
      origins.push(origin)
      if (!runner) throw new Error('no runner transport in this test')
      return runner
    }
  }
  return { ctx, log, origins }
}

const jwtPart = (jwt: string, i: number) =>
  JSON.parse(Buffer.from(jwt.split('.')[i], 'base64url').toString())

describe('client secret', () => {
  it('masks the secret as soon as it exists, and sends it as client_secret', async () => {
    const { ctx, log } = context()
    const credential = createCredential({ kind: 'secret', secret: 's~1' }, ctx)
    expect(log.secrets).toEqual(['s~1'])
    await expect(credential.fields(TOKEN_URL)).resolves.toEqual({ client_secret: 's~1' })
  })

  it('explains the two secret mistakes Entra names, and nothing else', () => {
    const { ctx } = context()
    const credential = createCredential({ kind: 'secret', secret: 's' }, ctx)
    expect(credential.hint('7000215')).toBe(
      "Check client-secret: use the secret's Value, not its Secret ID."
    )
    expect(credential.hint('7000222')).toBe(
      'The client secret has expired: create a new one and update the workflow secret.'
    )
    expect(credential.hint('700027')).toBeUndefined()
    expect(credential.hint('toString')).toBeUndefined()
  })
})

describe('certificate', () => {
  const certificate = parseCertificate(PEM)

  it('masks every line of the private key at once', () => {
    const { ctx, log } = context()
    createCredential({ kind: 'certificate', certificate }, ctx)
    expect(log.secrets).toEqual(certificate.keyLines)
    expect(log.secrets.length).toBeGreaterThan(20)
  })

  it('signs a fresh PS256 assertion for each request, masked before it is sent', async () => {
    const { ctx, log } = context()
    const credential = createCredential({ kind: 'certificate', certificate }, ctx)
    const first = await credential.fields(TOKEN_URL)
    const second = await credential.fields(TOKEN_URL)
    expect(first.client_assertion_type).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
    )
    expect(first.client_assertion).not.toBe(second.client_assertion)
    expect(log.secrets.slice(-2)).toEqual([first.client_assertion, second.client_assertion])

    const [header, payload, signature] = first.client_assertion.split('.')
    expect(jwtPart(first.client_assertion, 0)).toEqual({
      alg: 'PS256',
      typ: 'JWT',
      'x5t#S256': certificate.thumbprint
    })
    const claims = jwtPart(first.client_assertion, 1)
    expect(claims).toMatchObject({ aud: TOKEN_URL, iss: CLIENT_ID, sub: CLIENT_ID })
    expect(claims.exp - claims.nbf).toBe(300)
    expect(claims.iat).toBe(claims.nbf)
    expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(5)
    const publicKey = new X509Certificate(PEM.slice(PEM.indexOf('-----BEGIN CERTIFICATE-----')))
      .publicKey
    const valid = verify(
      'sha256',
      Buffer.from(`${header}.${payload}`),
      {
        key: publicKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST
      },
      Buffer.from(signature, 'base64url')
    )
    expect(valid).toBe(true)
  })

  it('explains an unknown certificate (AADSTS700027), and nothing else', () => {
    const { ctx } = context()
    const credential = createCredential({ kind: 'certificate', certificate }, ctx)
    expect(credential.hint('700027')).toMatch(/^Check client-certificate: upload its certificate/)
    expect(credential.hint('7000215')).toBeUndefined()
  })
})

describe('GitHub OIDC', () => {
  const settings = {
    kind: 'oidc' as const,
    audience: 'api://AzureADTokenExchange',
    requestUrl: 'https://runner.example/idtoken?api-version=2.0',
    requestToken: 'runner-request-token'
  }
  const claims = {
    iss: 'https://token.actions.githubusercontent.com',
    sub: 'repo:c/r:ref:refs/heads/main',
    aud: 'api://AzureADTokenExchange'
  }
  const idToken = unsignedJwt(claims)

  function oidc(answers: FakeAnswer[]) {
    const runner = fakeTransport(() => answers.shift() ?? { status: 500 })
    const { ctx, log, origins } = context(runner)
    const credential = createCredential(settings, ctx)
    return { credential, runner, log, origins }
  }

  it('masks the request token at once and opens the transport to the runner', () => {
    const { log, origins } = oidc([])
    expect(log.secrets).toEqual(['runner-request-token'])
    expect(origins).toEqual([settings.requestUrl])
  })

  it('asks the runner for an ID token with the audience, masks it, and sends it', async () => {
    const { credential, runner, log } = oidc([
      { status: 200, body: JSON.stringify({ count: 1, value: idToken }) }
    ])
    await expect(credential.fields(TOKEN_URL)).resolves.toEqual({
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: idToken
    })
    const [request] = runner.requests
    expect(request.method).toBe('GET')
    expect(request.url.href).toBe(
      'https://runner.example/idtoken?api-version=2.0&audience=api%3A%2F%2FAzureADTokenExchange'
    )
    expect(request.headers.authorization).toBe('Bearer runner-request-token')
    expect(log.secrets).toEqual(['runner-request-token', idToken])
    expect(log.lines).toEqual([
      `debug: GitHub OIDC token: issuer '${claims.iss}', subject '${claims.sub}' and audience '${claims.aud}'`
    ])
  })

  it('makes a 429 or 5xx from the runner transient, with its Retry-After', async () => {
    const { credential } = oidc([{ status: 503, headers: { 'retry-after': '4' } }])
    const error = await credential.fields(TOKEN_URL).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TransientError)
    expect(error).toMatchObject({
      message: "GitHub's OIDC token endpoint answered HTTP 503.",
      retryAfterMs: 4_000
    })
  })

  it.each([
    ['a 401', { status: 401, body: '{"message":"Unauthorized"}' }, 401],
    ['a 200 without a value', { status: 200, body: '{"count":0}' }, 200]
  ])('fails at once on %s, saying what the job needs', async (_name, answer, status) => {
    const { credential } = oidc([answer])
    const error = await credential.fields(TOKEN_URL).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ActionError)
    expect(error).not.toBeInstanceOf(TransientError)
    expect((error as Error).message).toBe(
      `Could not get a GitHub OIDC token (HTTP ${status}). Check that the job has ` +
        '`permissions: id-token: write`, or set client-secret or client-certificate.'
    )
  })

  it('shows the issuer, subject and audience when no federated credential matches', async () => {
    const { credential } = oidc([{ status: 200, body: JSON.stringify({ value: idToken }) }])
    await credential.fields(TOKEN_URL)
    for (const code of ['700211', '700212', '700213', '70021']) {
      expect(credential.hint(code)).toBe(
        `GitHub's ID token has issuer '${claims.iss}', subject '${claims.sub}' and audience ` +
          `'${claims.aud}'. Add a federated credential to the app (Certificates & secrets → ` +
          'Federated credentials) with exactly this issuer, subject and audience; the subject ' +
          'depends on the trigger (branch, tag, environment or pull request).'
      )
    }
    expect(credential.hint('7000215')).toBeUndefined()
  })
})

describe('federated token file', () => {
  let dir = ''
  let file = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'token-file-'))
    file = join(dir, 'token')
  })
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  const claims = {
    iss: 'https://vstoken.dev.azure.com/00000000-1111-2222-3333-444444444444',
    sub: 'sc://contoso/connectors/graph-deploy',
    aud: 'api://AzureADTokenExchange',
    exp: 1_700_000_000
  }

  it('reads the file again for every sign-in, masking each token before it is sent', async () => {
    const { ctx, log } = context()
    const credential = createCredential({ kind: 'tokenFile', path: file }, ctx)
    const first = unsignedJwt({ ...claims, jti: '1' })
    const second = unsignedJwt({ ...claims, jti: '2' })
    writeFileSync(file, `${first}\n`)
    await expect(credential.fields(TOKEN_URL)).resolves.toEqual({
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: first
    })
    writeFileSync(file, second)
    expect((await credential.fields(TOKEN_URL)).client_assertion).toBe(second)
    expect(log.secrets).toEqual([first, second])
    expect(log.lines[0]).toBe(
      `debug: Federated token: issuer '${claims.iss}', subject '${claims.sub}' and audience '${claims.aud}'`
    )
  })

  it('shows the issuer, subject and audience when no federated credential matches', async () => {
    const { ctx } = context()
    const credential = createCredential({ kind: 'tokenFile', path: file }, ctx)
    writeFileSync(file, unsignedJwt(claims))
    await credential.fields(TOKEN_URL)
    for (const code of ['700211', '700212', '700213', '70021']) {
      expect(credential.hint(code)).toBe(
        `The federated token has issuer '${claims.iss}', subject '${claims.sub}' and audience ` +
          `'${claims.aud}'. Add a federated credential to the app (Certificates & secrets → ` +
          'Federated credentials) with exactly this issuer, subject and audience.'
      )
    }
    expect(credential.hint('700024')).toBe(
      'The federated token in the file expired at 2023-11-14T22:13:20.000Z: write a fresh one ' +
        'to the file before it expires (it is read again for every sign-in).'
    )
    expect(credential.hint('7000215')).toBeUndefined()
  })

  it.each([
    ['missing', null, 'cannot be read (ENOENT)'],
    ['empty', ' \n', 'is empty'],
    [
      'not a JWT',
      '"eyJ.not a token"',
      'does not hold a JWT (three base64url parts joined by dots)'
    ],
    [
      'too large',
      'x'.repeat(70_000),
      'has 70000 bytes; an ID token is a few KB (at most 64 KiB is read)'
    ]
  ])('says what is wrong with a file that is %s, without quoting it', (_name, content, problem) => {
    const path = join(dir, `bad-${_name.replace(/ /g, '-')}`)
    if (content !== null) writeFileSync(path, content)
    const message = errorOf(() => readTokenFile(path, recordingLog()), ActionError)
    expect(message).toBe(`The federated token file '${path}' ${problem}.`)
    expect(message).not.toContain('eyJ')
  })

  it('fails the sign-in with that message when the file goes away between sign-ins', async () => {
    const { ctx } = context()
    const gone = join(dir, 'gone')
    const credential = createCredential({ kind: 'tokenFile', path: gone }, ctx)
    await expect(credential.fields(TOKEN_URL)).rejects.toThrow(
      `The federated token file '${gone}' cannot be read (ENOENT).`
    )
  })
})
