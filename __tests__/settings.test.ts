import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/errors.js'
import { readSettings } from '../src/settings.js'
import { X509Certificate, createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'

const PEM = readFileSync(new URL('fixtures/app.pem', import.meta.url), 'utf8')
const OTHER_PEM = readFileSync(new URL('fixtures/other.pem', import.meta.url), 'utf8')

const GUID = '11111111-2222-3333-4444-555555555555'
const REQUIRED: Record<string, string> = {
  'tenant-id': GUID,
  'client-id': 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  'client-secret': 'sim~secret',
  'connection-id': 'contosohr',
  'operation-id': 'op-1'
}

function read(inputs: Record<string, string>, env: Record<string, string> = {}) {
  return readSettings(name => ({ ...REQUIRED, ...inputs })[name] ?? '', env)
}

function errorOf(inputs: Record<string, string>, env: Record<string, string> = {}): string {
  try {
    read(inputs, env)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('expected an InputError')
}

describe('readSettings', () => {
  it('applies the documented defaults', () => {
    expect(read({})).toEqual({
      tenantId: GUID,
      clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      credential: { kind: 'secret', secret: 'sim~secret' },
      target: { kind: 'operation', connectionId: 'contosohr', operationId: 'op-1' },
      pollIntervalMs: 'auto',
      timeoutMs: 1_800_000,
      failOnFailure: true,
      apiVersion: 'v1.0',
      cloud: 'global',
      graphUrl: 'https://graph.microsoft.com',
      authorityUrl: 'https://login.microsoftonline.com'
    })
  })

  it('trims inputs, the secret too (a pasted secret often ends in a newline)', () => {
    const settings = read({ 'connection-id': '  contosohr\n', 'client-secret': ' s~1\n' })
    expect(settings.target).toMatchObject({ connectionId: 'contosohr' })
    expect(settings.credential).toEqual({ kind: 'secret', secret: 's~1' })
  })

  it.each([
    ['usgov', 'https://graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['usgov-dod', 'https://dod-graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['USGov', 'https://graph.microsoft.us', 'https://login.microsoftonline.us']
  ])('cloud %s picks its hosts', (cloud, graphUrl, authorityUrl) => {
    expect(read({ cloud })).toMatchObject({ graphUrl, authorityUrl })
  })

  it('lets graph-url and authority-url override the cloud, normalised to an origin', () => {
    const settings = read({
      cloud: 'usgov',
      'graph-url': 'https://graph.example.test/',
      'authority-url': 'http://[::1]:8080'
    })
    expect(settings.graphUrl).toBe('https://graph.example.test')
    expect(settings.authorityUrl).toBe('http://[::1]:8080')
  })

  it.each(['http://localhost:1234', 'http://127.0.0.1:1', 'http://[::1]'])(
    'allows plain http for the loopback host %s',
    url => {
      expect(read({ 'graph-url': url }).graphUrl).toBe(url)
    }
  )

  it('takes auto, in any case, or a number for poll-interval-seconds', () => {
    expect(read({ 'poll-interval-seconds': 'AUTO' }).pollIntervalMs).toBe('auto')
    expect(read({ 'poll-interval-seconds': '10' }).pollIntervalMs).toBe(10_000)
    expect(errorOf({ 'poll-interval-seconds': 'fast' })).toBe(
      "Input 'poll-interval-seconds' must be a number of seconds greater than 0, such as 10 or 2.5, or auto; got 'fast'."
    )
  })

  it('accepts decimals and the boolean spellings of getBooleanInput', () => {
    const settings = read({
      'poll-interval-seconds': '0.5',
      'timeout-seconds': '.75',
      'fail-on-failure': 'FALSE',
      'api-version': 'beta'
    })
    expect(settings).toMatchObject({
      pollIntervalMs: 500,
      timeoutMs: 750,
      failOnFailure: false,
      apiVersion: 'beta'
    })
  })

  it.each([
    [{ 'poll-interval-seconds': '1e3' }, "'poll-interval-seconds'"],
    [{ 'poll-interval-seconds': 'Infinity' }, "'poll-interval-seconds'"],
    [{ 'timeout-seconds': '0.0' }, "'timeout-seconds'"],
    [{ 'timeout-seconds': '10s' }, "'timeout-seconds'"],
    [{ 'fail-on-failure': '1' }, "'fail-on-failure'"],
    [{ 'tenant-id': 'common tenant' }, "'tenant-id'"],
    [{ 'tenant-id': 'contoso' }, "'tenant-id'"],
    [{ 'client-id': '1111' }, "'client-id'"],
    [{ 'connection-id': 'a'.repeat(33) }, "'connection-id'"],
    [{ 'connection-id': 'microsoftstuff' }, "'connection-id'"],
    [{ 'operation-id': 'abc?x=1' }, "'operation-id'"],
    [{ 'operation-id': 'abc#x' }, "'operation-id'"],
    [{ 'graph-url': 'ftp://graph.microsoft.com' }, "'graph-url'"],
    [{ 'graph-url': 'http://graph.localhost.evil.test' }, "'graph-url'"],
    [{ 'graph-url': 'https://graph.microsoft.com?x=1' }, "'graph-url'"],
    [{ 'authority-url': 'https://login.microsoftonline.com/tenant' }, "'authority-url'"]
  ])('rejects %j, naming %s', (inputs, name) => {
    expect(errorOf(inputs)).toContain(`Input ${name}`)
  })

  it('signs in with GitHub OIDC when neither secret nor certificate is set', () => {
    const env = {
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://runner.example/idtoken?api-version=2.0',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token'
    }
    expect(read({ 'client-secret': '' }, env).credential).toEqual({
      kind: 'oidc',
      audience: 'api://AzureADTokenExchange',
      requestUrl: env.ACTIONS_ID_TOKEN_REQUEST_URL,
      requestToken: 'request-token'
    })
    expect(read({ 'client-secret': '', cloud: 'usgov-dod' }, env).credential).toMatchObject({
      audience: 'api://AzureADTokenExchangeUSGov'
    })
    expect(read({ 'client-secret': '', audience: 'api://custom' }, env).credential).toMatchObject({
      audience: 'api://custom'
    })
  })

  it('says how to enable OIDC when there is no credential at all', () => {
    const message = errorOf({ 'client-secret': '' })
    expect(message).toMatch(/^No credential: 'client-secret' and 'client-certificate' are empty/)
    expect(message).toContain('`permissions: id-token: write`')
  })

  it('refuses a secret and a certificate together', () => {
    expect(errorOf({ 'client-certificate': PEM })).toMatch(
      /^Inputs 'client-secret' and 'client-certificate' are both set/
    )
  })

  it('reads a certificate: key, SHA-256 thumbprint and the key lines to mask', () => {
    const { credential } = read({ 'client-secret': '', 'client-certificate': PEM })
    if (credential.kind !== 'certificate') throw new Error(credential.kind)
    const der = new X509Certificate(PEM).raw
    expect(credential.certificate.thumbprint).toBe(
      createHash('sha256').update(der).digest('base64url')
    )
    expect(credential.certificate.key.asymmetricKeyType).toBe('rsa')
    expect(credential.certificate.keyLines.length).toBeGreaterThan(20)
    expect(PEM).toContain(credential.certificate.keyLines[5])
  })

  const keyOnly = PEM.slice(0, PEM.indexOf('-----BEGIN CERTIFICATE-----'))
  const certOnly = PEM.slice(PEM.indexOf('-----BEGIN CERTIFICATE-----'))
  const otherCert = OTHER_PEM.slice(OTHER_PEM.indexOf('-----BEGIN CERTIFICATE-----'))
  it.each([
    ['without a private key', certOnly, /has no private key/],
    ['without a certificate', keyOnly, /has no certificate/],
    ['with an encrypted key', '-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n', /encrypted/],
    ['with a key of another certificate', keyOnly + otherCert, /does not match its certificate/],
    [
      'with garbage in the key',
      keyOnly.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!') + certOnly,
      /cannot be read/
    ]
  ])('refuses a PEM %s, naming the input', (_name, pem, reason) => {
    const message = errorOf({ 'client-secret': '', 'client-certificate': pem })
    expect(message).toMatch(/^Input 'client-certificate' /)
    expect(message).toMatch(reason)
    expect(message).toContain('-----BEGIN PRIVATE KEY-----')
  })

  it('does not echo a URL that carries credentials', () => {
    const message = errorOf({ 'graph-url': 'https://user:hunter2@graph.microsoft.com' })
    expect(message).toContain("Input 'graph-url' must not contain credentials")
    expect(message).not.toContain('hunter2')
  })
})
