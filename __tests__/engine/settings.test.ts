// Inputs to Settings: defaults, what is accepted, and one clear message for
// each bad value, naming the input.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parseCertificate } from '../../src/engine/certificate.js'
import { ACTION_VOICE } from '../../src/engine/model.js'
import { readSettings } from '../../src/engine/settings.js'
import { inputErrorOf } from '../helpers/input-error.js'

const PEM = readFileSync(new URL('../fixtures/app.pem', import.meta.url), 'utf8')

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
  return inputErrorOf(() => read(inputs, env))
}

describe('readSettings', () => {
  it('applies the documented defaults', () => {
    expect(read({})).toEqual({
      voice: ACTION_VOICE,
      signIn: {
        tenantId: GUID,
        clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
        credential: { kind: 'secret', secret: 'sim~secret' }
      },
      validateOnly: false,
      requireCopilotReady: false,
      target: { kind: 'operation', connectionId: 'contosohr', operationId: 'op-1' },
      plan: false,
      pollIntervalMs: 'auto',
      timeoutMs: 1_800_000,
      failOnChanges: false,
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
    expect(settings.signIn?.credential).toEqual({ kind: 'secret', secret: 's~1' })
  })

  it.each([
    ['usgov', 'https://graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['usgov-dod', 'https://dod-graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['USGov', 'https://graph.microsoft.us', 'https://login.microsoftonline.us'],
    // azure/login's environment names, passed on as they are.
    ['AzureUSGovernment', 'https://graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['AzureCloud', 'https://graph.microsoft.com', 'https://login.microsoftonline.com']
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
      "Input 'poll-interval-seconds' must be a number of seconds greater than 0 and at most " +
        "2147483 (about 24 days), such as 10 or 2.5, or auto; got 'fast'."
    )
  })

  it('accepts decimals and the boolean spellings of getBooleanInput', () => {
    const settings = read({
      'poll-interval-seconds': '1.5',
      'timeout-seconds': '.75',
      'fail-on-failure': 'FALSE',
      'api-version': 'beta'
    })
    expect(settings).toMatchObject({
      pollIntervalMs: 1_500,
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
    [{ 'connection-id': 'Microsoftstuff' }, "'connection-id'"],
    [{ 'operation-id': 'abc?x=1' }, "'operation-id'"],
    [{ 'operation-id': 'abc#x' }, "'operation-id'"],
    [{ 'graph-url': 'ftp://graph.microsoft.com' }, "'graph-url'"],
    [{ 'graph-url': 'ftp://localhost' }, "'graph-url'"],
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
    expect(read({ 'client-secret': '' }, env).signIn?.credential).toEqual({
      kind: 'oidc',
      audience: 'api://AzureADTokenExchange',
      requestUrl: env.ACTIONS_ID_TOKEN_REQUEST_URL,
      requestToken: 'request-token'
    })
    expect(read({ 'client-secret': '', cloud: 'usgov-dod' }, env).signIn?.credential).toMatchObject(
      {
        audience: 'api://AzureADTokenExchangeUSGov'
      }
    )
    expect(
      read({ 'client-secret': '', audience: 'api://custom' }, env).signIn?.credential
    ).toMatchObject({
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

  it('reads a certificate into the credential', () => {
    const credential = read({ 'client-secret': '', 'client-certificate': `\n${PEM}\n` }).signIn
      ?.credential
    expect(credential).toEqual({ kind: 'certificate', certificate: parseCertificate(PEM) })
  })

  it('names client-certificate when the PEM is not usable', () => {
    expect(errorOf({ 'client-secret': '', 'client-certificate': 'not a pem' })).toMatch(
      /^Input 'client-certificate' has no private key\./
    )
  })

  it.each(['True', 'TRUE', 'true'])('reads fail-on-failure %s as true', text => {
    expect(read({ 'fail-on-failure': text }).failOnFailure).toBe(true)
  })

  it.each(['False', 'FALSE', 'false'])('reads fail-on-failure %s as false', text => {
    expect(read({ 'fail-on-failure': text }).failOnFailure).toBe(false)
  })

  it.each(['tRUE', 'yes', '1', 'on'])('refuses fail-on-failure %s', text => {
    expect(errorOf({ 'fail-on-failure': text })).toBe(
      `Input 'fail-on-failure' must be true or false; got '${text}'.`
    )
  })

  const CLIENT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'
  it.each([`x${CLIENT}`, `${CLIENT}x`, `{${CLIENT}}`, CLIENT.replace(/-/g, '')])(
    'refuses the client-id %s, which is not exactly a GUID',
    clientId => {
      expect(errorOf({ 'client-id': clientId })).toBe(
        "Input 'client-id' must be the app registration's Application (client) ID, a GUID such " +
          `as 00000000-0000-0000-0000-000000000000; got '${clientId}'.`
      )
    }
  )

  it.each([
    `x${GUID}`,
    `${GUID}x`,
    'contoso.onmicrosoft.com.',
    '-contoso.com',
    'a'.repeat(64) + '.com'
  ])('refuses the tenant-id %s', tenantId => {
    expect(errorOf({ 'tenant-id': tenantId })).toMatch(/^Input 'tenant-id' must be a tenant ID/)
  })

  it.each(['contoso.onmicrosoft.com', 'CONTOSO.COM', 'a-b.example.co.uk', GUID.toUpperCase()])(
    'accepts the tenant-id %s',
    tenantId => {
      expect(read({ 'tenant-id': tenantId }).signIn?.tenantId).toBe(tenantId)
    }
  )

  describe('operation-url', () => {
    const url =
      'https://graph.microsoft.com/beta/external/connections/contosohr/operations/1.neu.abc'
    const byUrl = (operationUrl: string, more: Record<string, string> = {}) => ({
      'connection-id': '',
      'operation-id': '',
      'operation-url': operationUrl,
      ...more
    })

    it('names the connection, the operation and the API version', () => {
      expect(read(byUrl(url))).toMatchObject({
        target: { kind: 'operation', connectionId: 'contosohr', operationId: '1.neu.abc' },
        apiVersion: 'beta'
      })
    })

    it('decodes the IDs in the path', () => {
      const encoded = url.replace('1.neu.abc', 'op%2B1')
      expect(read(byUrl(encoded)).target).toMatchObject({ operationId: 'op+1' })
    })

    it('refuses http:// on the Graph host: the scheme is part of the origin', () => {
      expect(errorOf(byUrl(url.replace('https:', 'http:')))).toBe(
        "Input 'operation-url' must be on the Graph host https://graph.microsoft.com (set graph-url " +
          'or cloud for another); got http://graph.microsoft.com. The action sends its token to that host only.'
      )
    })

    it('refuses another port on the Graph host', () => {
      expect(
        errorOf(byUrl(url.replace('graph.microsoft.com', 'graph.microsoft.com:8443')))
      ).toMatch(/^Input 'operation-url' must be on the Graph host /)
    })

    it.each([
      ['not a URL', 'operations/1.abc', "Input 'operation-url' must be a URL such as "],
      ['with user info', url.replace('https://', 'https://u:p@'), 'must be the operation URL'],
      ['with a fragment', `${url}#x`, 'must be the operation URL'],
      ['with a bad escape', url.replace('1.neu.abc', '%E0%A4%A'), 'has a badly encoded path']
    ])('refuses a URL %s', (_name, text, message) => {
      expect(errorOf(byUrl(text))).toContain(message)
    })

    it('refuses a URL on another host, naming both', () => {
      expect(errorOf(byUrl(url.replace('graph.microsoft.com', 'graph.example.com')))).toBe(
        "Input 'operation-url' must be on the Graph host https://graph.microsoft.com (set graph-url " +
          'or cloud for another); got https://graph.example.com. The action sends its token to that host only.'
      )
    })

    it("refuses the cloud's own Graph host when graph-url points elsewhere", () => {
      expect(errorOf(byUrl(url, { 'graph-url': 'http://127.0.0.1:8080' }))).toBe(
        "Input 'operation-url' must be on the Graph host http://127.0.0.1:8080 (set graph-url " +
          'or cloud for another); got https://graph.microsoft.com. The action sends its token to that host only.'
      )
    })

    it.each([
      ['a connection', '/beta/external/connections/contosohr'],
      ['another API version', '/v2.0/external/connections/contosohr/operations/1.neu.abc']
    ])('refuses a URL of %s: only an operation of v1.0 or beta', (_name, path) => {
      expect(errorOf(byUrl(`https://graph.microsoft.com${path}`))).toBe(
        "Input 'operation-url' must be the operation URL from the Location header, such as " +
          'https://graph.microsoft.com/v1.0/external/connections/contosohr/operations/1.abc; ' +
          `got a URL with the path '${path}'.`
      )
    })

    it('refuses operation-url with connection-id or operation-id', () => {
      const extras: Record<string, string>[] = [
        { 'connection-id': 'contosohr' },
        { 'operation-id': 'x' }
      ]
      for (const extra of extras) {
        expect(errorOf(byUrl(url, extra))).toBe(
          "Set either 'operation-url' or 'connection-id' with 'operation-id', not both: " +
            'operation-url already names the connection and the operation.'
        )
      }
    })
  })

  it('waits for the connection when there is no operation-id', () => {
    expect(read({ 'operation-id': '' }).target).toEqual({
      kind: 'connection',
      connectionId: 'contosohr'
    })
  })

  it('does not echo a URL that carries credentials', () => {
    const message = errorOf({ 'graph-url': 'https://user:hunter2@graph.microsoft.com' })
    expect(message).toContain("Input 'graph-url' must not contain credentials")
    expect(message).not.toContain('hunter2')
  })
})

describe('the message for each bad input, word for word', () => {
  const url = (path: string) => `https://graph.microsoft.com${path}`
  const opPath = '/v1.0/external/connections/contosohr/operations/1.abc'
  const noTarget = { 'connection-id': '', 'operation-id': '' }
  const cases: [string, Record<string, string>, string][] = [
    [
      'no tenant-id',
      { 'tenant-id': '' },
      "Input 'tenant-id' is required: the Entra tenant ID (a GUID) or a domain such as contoso.onmicrosoft.com."
    ],
    [
      'a bad tenant-id',
      { 'tenant-id': 'contoso' },
      "Input 'tenant-id' must be a tenant ID (a GUID such as 00000000-0000-0000-0000-000000000000) " +
        "or a domain name such as contoso.onmicrosoft.com; got 'contoso'."
    ],
    [
      'no client-id',
      { 'client-id': '  ' },
      "Input 'client-id' is required: the app registration's Application (client) ID, a GUID."
    ],
    [
      'no connection-id',
      { 'connection-id': '' },
      "Input 'connection-id' is required: the external connection ID, e.g. contosohr (or set operation-url)."
    ],
    [
      'a bad connection-id',
      { 'connection-id': 'contoso-hr' },
      "Input 'connection-id' must be 3 to 32 letters and digits, not starting with 'Microsoft' " +
        "(e.g. contosohr); got 'contoso-hr'."
    ],
    [
      'a bad connection ID in operation-url',
      { ...noTarget, 'operation-url': url(opPath.replace('contosohr', 'MicrosoftHR')) },
      "Input 'operation-url' must have a connection ID of 3 to 32 letters and digits, not starting " +
        "with 'Microsoft' (e.g. contosohr); got 'MicrosoftHR'."
    ],
    [
      'a bad operation-id',
      { 'operation-id': 'a b' },
      "Input 'operation-id' must be the bare operation ID, with no '/', '?', '#', '%' or spaces " +
        "(the last segment of the Location header); got 'a b'."
    ],
    [
      'a bad operation ID in operation-url',
      { ...noTarget, 'operation-url': url(opPath.replace('1.abc', 'a%20b')) },
      "Input 'operation-url' must be the bare operation ID, with no '/', '?', '#', '%' or spaces " +
        "(the last segment of the Location header); got 'a b'."
    ],
    [
      'an operation ID in operation-url that would read differently (a bidi override)',
      { ...noTarget, 'operation-url': url(opPath.replace('1.abc', 'op%E2%80%AEx')) },
      "Input 'operation-url' must be the bare operation ID, with no '/', '?', '#', '%' or spaces " +
        "(the last segment of the Location header); got 'op\\u202ex'."
    ],
    [
      'a timeout that is not a number',
      { 'timeout-seconds': 'soon' },
      "Input 'timeout-seconds' must be a number of seconds greater than 0 and at most 2147483 " +
        "(about 24 days), such as 1800 or 2.5; got 'soon'."
    ],
    [
      'a poll interval that is not a number',
      { 'poll-interval-seconds': '-1' },
      "Input 'poll-interval-seconds' must be a number of seconds greater than 0 and at most " +
        "2147483 (about 24 days), such as 10 or 2.5, or auto; got '-1'."
    ],
    [
      'an unknown api-version',
      { 'api-version': 'v2.0' },
      "Input 'api-version' must be v1.0 or beta; got 'v2.0'."
    ],
    [
      'the China cloud',
      { cloud: 'China' },
      "Input 'cloud': Microsoft Graph connectors are not offered in the China cloud (operated by " +
        '21Vianet). Use global, usgov or usgov-dod.'
    ],
    [
      'an unknown cloud',
      { cloud: 'germany' },
      "Input 'cloud' must be global, usgov or usgov-dod; got 'germany'."
    ],
    [
      'an unknown cloud, quoted as it was given',
      { cloud: 'AzureGermanCloud' },
      "Input 'cloud' must be global, usgov or usgov-dod; got 'AzureGermanCloud'."
    ],
    [
      "azure/login's China cloud",
      { cloud: 'AzureChinaCloud' },
      "Input 'cloud': Microsoft Graph connectors are not offered in the China cloud (operated by " +
        '21Vianet). Use global, usgov or usgov-dod.'
    ],
    [
      'a graph-url that is not a URL',
      { 'graph-url': 'graph' },
      "Input 'graph-url' must be a URL such as https://graph.microsoft.com; got 'graph'."
    ],
    [
      'a plain-http authority-url',
      { 'authority-url': 'http://login.microsoftonline.com' },
      "Input 'authority-url' must use https:// (http:// is allowed only for localhost, 127.0.0.1 or " +
        "[::1]), such as https://login.microsoftonline.com; got 'http://login.microsoftonline.com'."
    ],
    [
      'a graph-url with a path',
      { 'graph-url': 'https://graph.microsoft.com/v1.0' },
      "Input 'graph-url' must be a base URL with no path or query, such as " +
        "https://graph.microsoft.com; got 'https://graph.microsoft.com/v1.0'."
    ],
    [
      'a graph-url with only a password',
      { 'graph-url': 'https://:hunter2@graph.microsoft.com' },
      "Input 'graph-url' must not contain credentials; use a URL such as https://graph.microsoft.com."
    ],
    [
      'an operation-url that is not a URL',
      { ...noTarget, 'operation-url': 'operations/1.abc' },
      "Input 'operation-url' must be a URL such as " +
        "https://graph.microsoft.com/v1.0/external/connections/contosohr/operations/1.abc; got 'operations/1.abc'."
    ],
    [
      'an operation-url of the schema',
      { ...noTarget, 'operation-url': url('/v1.0/external/connections/contosohr/schema') },
      "Input 'operation-url' must be the operation URL from the Location header, such as " +
        'https://graph.microsoft.com/v1.0/external/connections/contosohr/operations/1.abc; ' +
        "got a URL with the path '/v1.0/external/connections/contosohr/schema'."
    ],
    [
      'an operation-url with more path after the operation',
      { ...noTarget, 'operation-url': url(`${opPath}/more`) },
      "Input 'operation-url' must be the operation URL from the Location header, such as " +
        'https://graph.microsoft.com/v1.0/external/connections/contosohr/operations/1.abc; ' +
        `got a URL with the path '${opPath}/more'.`
    ],
    [
      'an operation-url with a path before the version',
      { ...noTarget, 'operation-url': url(`/x${opPath}`) },
      "Input 'operation-url' must be the operation URL from the Location header, such as " +
        'https://graph.microsoft.com/v1.0/external/connections/contosohr/operations/1.abc; ' +
        `got a URL with the path '/x${opPath}'.`
    ],
    [
      'an operation-url with a query',
      { ...noTarget, 'operation-url': url(`${opPath}?x=1`) },
      "Input 'operation-url' must be the operation URL from the Location header, such as " +
        'https://graph.microsoft.com/v1.0/external/connections/contosohr/operations/1.abc; ' +
        `got a URL with the path '${opPath}'.`
    ],
    [
      'a secret and a certificate',
      { 'client-certificate': PEM },
      "Inputs 'client-secret' and 'client-certificate' are both set: set one of them, or neither " +
        'to sign in with GitHub OIDC.'
    ],
    [
      'no credential',
      { 'client-secret': '' },
      "No credential: 'client-secret' and 'client-certificate' are empty, so the action signs in " +
        'with GitHub OIDC, but this job cannot get an ID token. Add `permissions: id-token: write` ' +
        'to the job (and a federated credential to the app), or set client-secret or client-certificate.'
    ]
  ]

  it.each(cases)('%s', (_name, inputs, message) => {
    expect(errorOf(inputs)).toBe(message)
  })
})

describe('values at the edges', () => {
  it('takes usgov-dod and usgov with their own OIDC audience', () => {
    const env = {
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://runner.example/idtoken',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't'
    }
    for (const cloud of ['usgov-dod', 'usgov']) {
      expect(read({ 'client-secret': '', cloud }, env).signIn?.credential).toMatchObject({
        audience: 'api://AzureADTokenExchangeUSGov'
      })
    }
  })

  it('needs both OIDC variables from the runner', () => {
    const halves: Record<string, string>[] = [
      { ACTIONS_ID_TOKEN_REQUEST_URL: 'https://runner.example/idtoken' },
      { ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't' }
    ]
    for (const env of halves) {
      expect(errorOf({ 'client-secret': '' }, env)).toMatch(/^No credential: /)
    }
  })

  it('takes a certificate input of white space as not set', () => {
    expect(read({ 'client-certificate': ' \n' }).signIn?.credential).toEqual({
      kind: 'secret',
      secret: 'sim~secret'
    })
  })

  it.each([
    ['1.25', 1_250],
    ['10.', 10_000],
    ['.5', 500],
    ['007', 7_000]
  ])('reads the number of seconds %s', (text, ms) => {
    expect(read({ 'timeout-seconds': text }).timeoutMs).toBe(ms)
  })

  it.each(['a.io', 'x.y.contoso.com', `${'a'.repeat(63)}.com`])('accepts the domain %s', domain => {
    expect(read({ 'tenant-id': domain }).signIn?.tenantId).toBe(domain)
  })

  it('refuses a domain longer than 253 characters, and a label longer than 63', () => {
    const long = `${'a'.repeat(60)}.`.repeat(5) + 'com'
    expect(long.length).toBeGreaterThan(253)
    expect(errorOf({ 'tenant-id': long })).toMatch(/^Input 'tenant-id' must be/)
    expect(errorOf({ 'tenant-id': `${'a'.repeat(64)}.com` })).toMatch(/^Input 'tenant-id' must be/)
  })

  it.each(['xMicrosoftHR', 'contosoMicrosoft'])('accepts %s, which only contains Microsoft', id => {
    expect(read({ 'connection-id': id }).target).toMatchObject({ connectionId: id })
  })
})

describe('hostile and unusual input values', () => {
  it.each([
    ['operation-id', 'op\u001b[31m1', 'U+001B at character 3'],
    ['connection-id', 'contoso\u0000hr', 'U+0000 at character 8'],
    ['tenant-id', 'contoso.com\u0085', 'U+0085 at character 12'],
    ['client-secret', 's\u0007cret', 'U+0007 at character 2']
  ])('refuses a control character in %s, without echoing the value', (name, value, where) => {
    const message = errorOf({ [name]: value })
    expect(message).toBe(
      `Input '${name}' must not contain control characters or escape sequences; it has ${where}. ` +
        'Type or paste the value again as plain text.'
    )
  })

  it('allows the line breaks of a PEM in client-certificate, and nothing else', () => {
    const crlf = PEM.replace(/\n/g, '\r\n')
    expect(read({ 'client-secret': '', 'client-certificate': crlf }).signIn?.credential).toEqual({
      kind: 'certificate',
      certificate: parseCertificate(crlf)
    })
    expect(errorOf({ 'client-secret': '', 'client-certificate': `${PEM}\u001b` })).toMatch(
      /^Input 'client-certificate' must not contain control characters/
    )
  })

  it.each([
    'None',
    'Directory',
    'Exchange',
    'ExchangeArchive',
    'LinkedIn',
    'Mailbox',
    'OneDriveBusiness',
    'SharePoint',
    'Teams',
    'Yammer',
    'Connectors',
    'TaskFabric',
    'PowerBI',
    'Assistant',
    'TopicEngine'
  ])('refuses the reserved connection ID %s', id => {
    expect(errorOf({ 'connection-id': id })).toBe(
      `Input 'connection-id': '${id}' is a connection ID Microsoft Graph keeps for itself; ` +
        'choose another, such as contosohr.'
    )
  })

  it('refuses a reserved ID inside operation-url too', () => {
    const url = 'https://graph.microsoft.com/v1.0/external/connections/Teams/operations/1.abc'
    expect(errorOf({ 'connection-id': '', 'operation-id': '', 'operation-url': url })).toMatch(
      /^Input 'operation-url': 'Teams' is a connection ID Microsoft Graph keeps for itself/
    )
  })

  it.each(['teams', 'sharepointhr', 'microsofthr', 'MICROSOFTHR'])(
    'accepts %s: the docs name the reserved IDs and the prefix as written',
    id => {
      expect(read({ 'connection-id': id }).target).toMatchObject({ connectionId: id })
    }
  )

  it.each(['.', '..'])(
    "refuses the operation ID '%s', which URL parsing would resolve away",
    id => {
      expect(errorOf({ 'operation-id': id })).toMatch(
        /^Input 'operation-id' must be the bare operation ID/
      )
    }
  )

  it.each(['...', '.a', 'a.'])('accepts the operation ID %s', id => {
    expect(read({ 'operation-id': id }).target).toMatchObject({ operationId: id })
  })

  it('says to use operation-url when operation-id holds a URL, without its query', () => {
    const url = 'https://graph.microsoft.com/v1.0/external/connections/contosohr/operations/1.abc'
    expect(errorOf({ 'operation-id': `${url}?sig=secret` })).toBe(
      "Input 'operation-id' holds a URL: pass the whole Location header as operation-url instead " +
        `(operation-url: ${url}), and leave connection-id and operation-id empty.`
    )
  })

  it.each(['http://graph.example/x', 'HTTPS://graph.example/x'])(
    'recognises the URL %s in operation-id',
    url => {
      expect(errorOf({ 'operation-id': url })).toMatch(/^Input 'operation-id' holds a URL: /)
    }
  )

  it('takes a value that only contains a URL for a bad operation ID, not for a URL', () => {
    expect(errorOf({ 'operation-id': 'xhttps://graph.example' })).toMatch(
      /^Input 'operation-id' must be the bare operation ID/
    )
  })

  it('names operation-url for an operation ID in it that decodes to a URL', () => {
    const url =
      'https://graph.microsoft.com/v1.0/external/connections/c1x/operations/https%3A%2F%2Fx'
    expect(errorOf({ 'connection-id': '', 'operation-id': '', 'operation-url': url })).toMatch(
      /^Input 'operation-url' must be the bare operation ID/
    )
  })

  it('says a base URL had a query, without echoing it', () => {
    expect(errorOf({ 'graph-url': 'https://graph.microsoft.com/?sig=hunter2' })).toBe(
      "Input 'graph-url' must be a base URL with no path or query, such as " +
        "https://graph.microsoft.com; got 'https://graph.microsoft.com/' and a query."
    )
  })

  it('never echoes the query string of a URL input', () => {
    for (const [name, value] of [
      ['graph-url', 'https://graph.microsoft.com/?sig=hunter2'],
      ['authority-url', 'http://login.microsoftonline.com?sig=hunter2'],
      ['graph-url', 'not a url?sig=hunter2'],
      ['operation-url', 'operations?sig=hunter2']
    ]) {
      const inputs: Record<string, string> =
        name === 'operation-url' ? { 'connection-id': '', 'operation-id': '' } : {}
      const message = errorOf({ ...inputs, [name]: value })
      expect(message).toMatch(new RegExp(`^Input '${name}'`))
      expect(message).not.toContain('hunter2')
    }
  })

  it('refuses a poll interval under a second for a real Graph host', () => {
    expect(errorOf({ 'poll-interval-seconds': '0.0001' })).toBe(
      "Input 'poll-interval-seconds' must be at least 1 for a Graph host (only a loopback " +
        "graph-url may be polled faster), or auto; got '0.0001'."
    )
    expect(read({ 'poll-interval-seconds': '1' }).pollIntervalMs).toBe(1_000)
  })

  it('lets the loopback simulator be polled faster', () => {
    for (const graph of ['http://127.0.0.1:8080', 'http://localhost:1', 'http://[::1]:2']) {
      expect(read({ 'poll-interval-seconds': '0.2', 'graph-url': graph }).pollIntervalMs).toBe(200)
    }
  })

  it.each([
    ['timeout-seconds', '3000000'],
    ['poll-interval-seconds', '2147484']
  ])('refuses a %s of %s, which a timer cannot hold', (name, value) => {
    expect(errorOf({ [name]: value })).toMatch(
      new RegExp(`^Input '${name}' must be a number of seconds greater than 0 and at most 2147483 `)
    )
  })

  it('takes the longest wait a timer can hold', () => {
    expect(read({ 'timeout-seconds': '2147483' }).timeoutMs).toBe(2_147_483_000)
  })
})

describe('a federated token file (offered by the command line, never by the action)', () => {
  const withFile = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
    readSettings(name => ({ ...REQUIRED, ...inputs })[name] ?? '', env, {
      federatedTokenFile: '/var/run/token'
    })
  const oidcEnv = {
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://runner/idtoken',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'rt'
  }

  it('signs in with it when there is neither a secret nor a certificate, before GitHub OIDC', () => {
    expect(withFile({ 'client-secret': '' }, oidcEnv).signIn?.credential).toEqual({
      kind: 'tokenFile',
      path: '/var/run/token'
    })
  })

  it('comes after a secret and after a certificate', () => {
    expect(withFile({}).signIn?.credential.kind).toBe('secret')
    expect(
      withFile({ 'client-secret': '', 'client-certificate': PEM }).signIn?.credential.kind
    ).toBe('certificate')
  })

  it('is not offered without the option: the action keeps its credentials', () => {
    expect(read({ 'client-secret': '' }, oidcEnv).signIn?.credential.kind).toBe('oidc')
  })

  it('is not needed with validate-only', () => {
    expect(withFile({ 'client-secret': '', 'validate-only': 'true' }).signIn).toBeUndefined()
  })
})

describe('schema-file and the inputs that go with it', () => {
  const schemaInputs = (more: Record<string, string> = {}) => ({
    'operation-id': '',
    'schema-file': 'connector/schema.json',
    ...more
  })
  const workspace = { GITHUB_WORKSPACE: '/home/runner/work/repo' }

  it('reads the file from the workspace, and keeps the path as given for messages', () => {
    expect(read(schemaInputs(), workspace).target).toEqual({
      kind: 'schema',
      connectionId: 'contosohr',
      schemaFile: {
        path: '/home/runner/work/repo/connector/schema.json',
        shown: 'connector/schema.json',
        within: '/home/runner/work/repo'
      }
    })
  })

  it('needs no connection-id with validate-only, which sends nothing', () => {
    const checked = read(
      schemaInputs({ 'validate-only': 'true', 'connection-id': '' }),
      workspace
    ).target
    expect(checked).toMatchObject({ kind: 'schema', connectionId: '' })
    // One that is given is still checked; without validate-only one is needed.
    expect(errorOf(schemaInputs({ 'validate-only': 'true', 'connection-id': 'x' }))).toMatch(
      /^Input 'connection-id' must be 3 to 32 letters/
    )
    expect(errorOf(schemaInputs({ 'connection-id': '' }))).toMatch(
      /^Input 'connection-id' is required: the external connection ID the schema is for/
    )
  })

  it("lets the command line read a schema file anywhere: its files are its user's", () => {
    const settings = readSettings(
      name => ({ ...REQUIRED, ...schemaInputs() })[name] ?? '',
      workspace,
      { filesAnywhere: true }
    )
    expect(settings.target).toEqual({
      kind: 'schema',
      connectionId: 'contosohr',
      schemaFile: {
        path: '/home/runner/work/repo/connector/schema.json',
        shown: 'connector/schema.json'
      }
    })
  })

  it('takes an absolute path as it is, and the current folder without a workspace', () => {
    expect(read(schemaInputs({ 'schema-file': '/etc/s.json' }), workspace).target).toMatchObject({
      schemaFile: { path: '/etc/s.json', shown: '/etc/s.json' }
    })
    expect(read(schemaInputs(), {}).target).toMatchObject({
      schemaFile: { path: `${process.cwd()}/connector/schema.json` }
    })
  })

  it('creates the connection with connection-name and connection-description', () => {
    const target = read(
      schemaInputs({ 'connection-name': 'Contoso HR', 'connection-description': 'Tickets' }),
      workspace
    ).target
    expect(target).toMatchObject({ create: { name: 'Contoso HR', description: 'Tickets' } })
    expect(read(schemaInputs({ 'connection-name': 'C' }), workspace).target).toMatchObject({
      create: { name: 'C', description: '' }
    })
    expect(read(schemaInputs(), workspace).target).not.toHaveProperty('create')
  })

  it('checks connection-id as it does without schema-file', () => {
    expect(errorOf(schemaInputs({ 'connection-id': 'contoso-hr' }))).toBe(
      "Input 'connection-id' must be 3 to 32 letters and digits, not starting with 'Microsoft' " +
        "(e.g. contosohr); got 'contoso-hr'."
    )
  })

  it('needs connection-id', () => {
    expect(errorOf(schemaInputs({ 'connection-id': '' }))).toBe(
      "Input 'connection-id' is required: the external connection ID the schema is for, e.g. contosohr."
    )
  })

  it.each(['operation-id', 'operation-url'])('refuses %s, saying why', name => {
    expect(errorOf(schemaInputs({ [name]: 'x' }))).toBe(
      `Input '${name}' cannot be used with schema-file: with a schema file the action submits ` +
        'the schema itself and waits for the operation Graph starts for it. Leave it empty.'
    )
  })

  it('needs connection-name for connection-description', () => {
    expect(errorOf(schemaInputs({ 'connection-description': 'Tickets' }))).toBe(
      "Input 'connection-description' needs connection-name: set connection-name to create " +
        'the connection when it does not exist, e.g. Contoso HR.'
    )
  })

  it('takes a connection-name of 128 characters, not 129', () => {
    expect(read(schemaInputs({ 'connection-name': 'n'.repeat(128) })).target).toMatchObject({
      create: { name: 'n'.repeat(128) }
    })
    expect(errorOf(schemaInputs({ 'connection-name': 'n'.repeat(129) }))).toBe(
      "Input 'connection-name' must be at most 128 characters, such as Contoso HR; it has 129."
    )
  })

  it.each(['connection-name', 'connection-description'])('refuses %s without schema-file', name => {
    expect(errorOf({ [name]: 'x' })).toBe(
      `Input '${name}' is used only with schema-file: the action creates a connection only ` +
        'to submit a schema to it. Set schema-file, or leave it empty.'
    )
  })
})

describe('validate-only and require-copilot-ready', () => {
  it('are false by default', () => {
    expect(read({})).toMatchObject({ validateOnly: false, requireCopilotReady: false })
  })

  it('read true and false as booleans, and refuse anything else', () => {
    expect(read({ 'validate-only': 'true', 'require-copilot-ready': 'True' })).toMatchObject({
      validateOnly: true,
      requireCopilotReady: true
    })
    expect(errorOf({ 'validate-only': 'yes' })).toBe(
      "Input 'validate-only' must be true or false; got 'yes'."
    )
    expect(errorOf({ 'require-copilot-ready': '1' })).toBe(
      "Input 'require-copilot-ready' must be true or false; got '1'."
    )
  })

  it('validate-only needs no tenant-id, client-id or credential, and signs in to nothing', () => {
    const settings = read(
      { 'validate-only': 'true', 'tenant-id': '', 'client-id': '', 'client-secret': '' },
      {}
    )
    expect(settings.signIn).toBeUndefined()
    expect(settings.target).toMatchObject({ connectionId: 'contosohr' })
  })

  it('validate-only still checks a tenant-id or client-id that is given', () => {
    expect(errorOf({ 'validate-only': 'true', 'tenant-id': 'contoso' })).toMatch(
      /^Input 'tenant-id' must be a tenant ID/
    )
    expect(errorOf({ 'validate-only': 'true', 'client-id': 'my-app' })).toMatch(
      /^Input 'client-id' must be the app registration's/
    )
  })

  it('validate-only does not read the credential: a bad certificate is not its business', () => {
    expect(
      read({ 'validate-only': 'true', 'client-secret': '', 'client-certificate': 'junk' }).signIn
    ).toBeUndefined()
  })
})

describe('connector-file and the inputs that go with it', () => {
  const connector = {
    'operation-id': '',
    'connection-id': '',
    'connector-file': 'c/connector.json'
  }

  it('names the file in the workspace, confined to it, with no connection-id needed', () => {
    expect(read(connector, { GITHUB_WORKSPACE: '/ws' }).target).toEqual({
      kind: 'connector',
      connectionId: '',
      connectorFile: { path: '/ws/c/connector.json', shown: 'c/connector.json', within: '/ws' }
    })
  })

  it('checks a connection-id given with it by the connection-ID rules', () => {
    expect(read({ ...connector, 'connection-id': 'contosokb' }).target).toMatchObject({
      connectionId: 'contosokb'
    })
    expect(errorOf({ ...connector, 'connection-id': 'x' })).toMatch(
      /^Input 'connection-id' must be/
    )
  })

  it.each([
    ['schema-file', 's.json', 'its "schema" holds the schema'],
    ['connection-name', 'HR', 'its "name" is the connection\'s name'],
    ['connection-description', 'd', 'its "description" is the connection\'s description'],
    ['operation-id', 'op', 'the step submits the schema itself'],
    ['operation-url', 'https://graph.microsoft.com/v1.0/x', 'the step submits the schema itself']
  ])('refuses %s with it, saying why', (name, value, why) => {
    expect(errorOf({ ...connector, [name]: value })).toBe(
      `Input '${name}' cannot be used with connector-file: ${why}` +
        (why.endsWith('schema itself') ? ' and waits for the operation Graph starts' : '') +
        (name === 'schema-file' ? ', inline or as the path of a schema file' : '') +
        '. Leave it empty.'
    )
  })

  it('takes plan and fail-on-changes, both false by default', () => {
    expect(read(connector)).toMatchObject({ plan: false, failOnChanges: false })
    expect(read({ ...connector, plan: 'true', 'fail-on-changes': 'True' })).toMatchObject({
      plan: true,
      failOnChanges: true
    })
  })

  it('refuses fail-on-changes without plan, plan without connector-file, and plan with validate-only', () => {
    expect(errorOf({ ...connector, 'fail-on-changes': 'true' })).toBe(
      "Input 'fail-on-changes' needs plan: true: it fails the step when the plan finds a " +
        'difference (a drift check), and only a plan compares without writing.'
    )
    expect(errorOf({ plan: 'true' })).toMatch(/^Input 'plan' needs connector-file: a plan compares/)
    expect(errorOf({ ...connector, plan: 'true', 'validate-only': 'true' })).toMatch(
      /^Inputs 'plan' and 'validate-only' are both true/
    )
    expect(errorOf({ ...connector, plan: 'maybe' })).toBe(
      "Input 'plan' must be true or false; got 'maybe'."
    )
  })
})
