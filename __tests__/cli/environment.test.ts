// Inputs from flags, else from the environment as the Azure SDKs read it: the
// credential precedence, the certificate file, and where values came from.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { commandInputs } from '../../src/cli/environment.js'
import { InputError } from '../../src/engine/errors.js'
import { APP_PEM as PEM, APP_PEM_PATH as PEM_PATH } from '../helpers/apps.js'

let dir = ''

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-env-'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

function inputs(flags: Record<string, string>, env: Record<string, string>) {
  const masked: string[] = []
  const read = commandInputs(flags, env, '/work/here', value => masked.push(value))
  return { ...read, masked }
}

describe('commandInputs', () => {
  it('takes a flag over the environment, and the environment when the flag is not given', () => {
    const { getInput, labels } = inputs(
      { 'tenant-id': 'contoso.onmicrosoft.com', 'connection-id': 'contosohr' },
      { AZURE_TENANT_ID: 'env-tenant', AZURE_CLIENT_ID: ' env-client\n' }
    )
    expect(getInput('tenant-id')).toBe('contoso.onmicrosoft.com')
    expect(getInput('client-id')).toBe('env-client')
    expect(getInput('connection-id')).toBe('contosohr')
    expect(getInput('operation-id')).toBe('')
    expect(labels['tenant-id']).toBeUndefined()
    expect(labels['client-id']).toBe('AZURE_CLIENT_ID')
  })

  it('takes AZURE_AUTHORITY_HOST as the Azure SDKs do, unless --authority-url is given', () => {
    const env = { AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.us/' }
    const fromEnv = inputs({}, env)
    expect(fromEnv.getInput('authority-url')).toBe('https://login.microsoftonline.us/')
    expect(fromEnv.labels['authority-url']).toBe('AZURE_AUTHORITY_HOST')
    const fromFlag = inputs({ 'authority-url': 'https://login.example' }, env)
    expect(fromFlag.getInput('authority-url')).toBe('https://login.example')
    expect(fromFlag.labels['authority-url']).toBeUndefined()
    expect(inputs({}, {}).getInput('authority-url')).toBe('')
  })

  it('names both places a missing tenant or client could come from', () => {
    const { labels } = inputs({}, {})
    expect(labels['tenant-id']).toBe('--tenant-id (or AZURE_TENANT_ID)')
    expect(labels['client-id']).toBe('--client-id (or AZURE_CLIENT_ID)')
  })

  it('uses the secret first, and does not even read the certificate file then', () => {
    const { getInput, credentialLine } = inputs(
      {},
      {
        AZURE_CLIENT_SECRET: 's~1',
        AZURE_CLIENT_CERTIFICATE_PATH: join(dir, 'missing.pem'),
        AZURE_FEDERATED_TOKEN_FILE: join(dir, 'token')
      }
    )
    expect(getInput('client-secret')).toBe('s~1')
    expect(getInput('client-certificate')).toBe('')
    expect(credentialLine).toBe(
      'Credential: AZURE_CLIENT_SECRET (also set, not used: AZURE_CLIENT_CERTIFICATE_PATH, ' +
        'AZURE_FEDERATED_TOKEN_FILE)'
    )
  })

  it('reads the certificate file, masking each line of it', () => {
    const { getInput, masked, credentialLine, labels } = inputs(
      {},
      { AZURE_CLIENT_CERTIFICATE_PATH: PEM_PATH, AZURE_FEDERATED_TOKEN_FILE: '/t' }
    )
    expect(masked).toEqual([])
    expect(getInput('client-certificate')).toBe(PEM)
    const body = PEM.split('\n').filter(line => line && !line.startsWith('-----'))
    expect(masked).toEqual(body)
    expect(credentialLine).toBe(
      'Credential: AZURE_CLIENT_CERTIFICATE_PATH (also set, not used: AZURE_FEDERATED_TOKEN_FILE)'
    )
    expect(labels['client-certificate']).toBe(`AZURE_CLIENT_CERTIFICATE_PATH ('${PEM_PATH}')`)
  })

  it('reads the certificate file once, at readSecrets, so its lines are masked before any input is checked', () => {
    const { getInput, masked, readSecrets } = inputs(
      {},
      { AZURE_CLIENT_CERTIFICATE_PATH: PEM_PATH }
    )
    readSecrets()
    const body = PEM.split('\n').filter(line => line && !line.startsWith('-----'))
    expect(masked).toEqual(body)
    expect(getInput('client-certificate')).toBe(PEM)
    expect(getInput('client-certificate')).toBe(PEM)
    expect(masked).toEqual(body)
  })

  it('reads no certificate file at readSecrets when the secret signs in', () => {
    const { masked, readSecrets } = inputs(
      {},
      { AZURE_CLIENT_SECRET: 's~1', AZURE_CLIENT_CERTIFICATE_PATH: join(dir, 'missing.pem') }
    )
    expect(() => readSecrets()).not.toThrow()
    expect(masked).toEqual([])
  })

  it('reads the certificate file --client-certificate-path names, over the variable', () => {
    const { getInput, credentialLine, labels } = commandInputs(
      {},
      { AZURE_CLIENT_CERTIFICATE_PATH: join(dir, 'other.pem') },
      '/work/here',
      () => undefined,
      PEM_PATH
    )
    expect(getInput('client-certificate')).toBe(PEM)
    expect(credentialLine).toBe('Credential: --client-certificate-path')
    expect(labels['client-certificate']).toBe(`--client-certificate-path ('${PEM_PATH}')`)
  })

  it('refuses a PKCS#12 (.pfx) file, saying how to convert it, without echoing it', () => {
    const pfx = join(dir, 'cert.pfx')
    writeFileSync(pfx, Buffer.from([0x30, 0x82, 0x0a, 0x71, 0x02, 0x01, 0x03, 0x30, 0x82, 0xff]))
    expect(() =>
      inputs({}, { AZURE_CLIENT_CERTIFICATE_PATH: pfx }).getInput('client-certificate')
    ).toThrow(
      new InputError(
        `AZURE_CLIENT_CERTIFICATE_PATH names '${pfx}', which is binary, not PEM text: a PKCS#12 ` +
          '(.pfx or .p12) file, say. Convert it once to a PEM file with the unencrypted key and ' +
          'the certificate: openssl pkcs12 -in cert.pfx -out cert.pem -nodes (add -legacy for a ' +
          'file older tools made; keep cert.pem as secret as the .pfx and its password).'
      )
    )
  })

  it('refuses AZURE_CLIENT_CERTIFICATE_PASSWORD, masked, saying how to do without it', () => {
    const read = inputs(
      {},
      { AZURE_CLIENT_CERTIFICATE_PATH: PEM_PATH, AZURE_CLIENT_CERTIFICATE_PASSWORD: 'pfx-pass' }
    )
    expect(read.masked).toEqual(['pfx-pass'])
    expect(() => read.getInput('client-certificate')).toThrow(
      /^AZURE_CLIENT_CERTIFICATE_PASSWORD is set, but a password-protected certificate is not supported: .* openssl pkcs12 -in cert\.pfx -out cert\.pem -nodes /
    )
  })

  it('names the variable when the certificate file cannot be read, or is far too large', () => {
    const missing = inputs({}, { AZURE_CLIENT_CERTIFICATE_PATH: join(dir, 'nope.pem') })
    expect(() => missing.getInput('client-certificate')).toThrow(
      new InputError(
        `AZURE_CLIENT_CERTIFICATE_PATH names '${join(dir, 'nope.pem')}', which cannot be read ` +
          "(ENOENT). It must be the path of a PEM file with the app's unencrypted private key " +
          'and its certificate.'
      )
    )
    const big = join(dir, 'big.pem')
    writeFileSync(big, 'x'.repeat(70_000))
    expect(() =>
      inputs({}, { AZURE_CLIENT_CERTIFICATE_PATH: big }).getInput('client-certificate')
    ).toThrow(/^AZURE_CLIENT_CERTIFICATE_PATH names '.*big\.pem', which has 70000 bytes/)
  })

  it('offers the federated token file, then the GitHub job token, in that order', () => {
    const env = {
      AZURE_FEDERATED_TOKEN_FILE: ' /var/run/token ',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://runner/idtoken',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'rt'
    }
    const read = inputs({}, env)
    expect(read.options).toEqual({
      federatedTokenFile: '/var/run/token',
      filesAnywhere: true,
      voice: expect.objectContaining({ self: 'this command' })
    })
    expect(read.credentialLine).toBe(
      "Credential: AZURE_FEDERATED_TOKEN_FILE (also set, not used: the GitHub job's OIDC token)"
    )
    expect(inputs({}, { ACTIONS_ID_TOKEN_REQUEST_URL: 'u' }).credentialLine).toBe(
      "Credential: the GitHub job's OIDC token"
    )
    expect(inputs({}, {}).credentialLine).toBe('')
    expect(inputs({}, {}).options).toEqual({
      filesAnywhere: true,
      voice: expect.objectContaining({ self: 'this command' })
    })
  })

  it('gives readSettings the current directory as the workspace, never a real GITHUB_WORKSPACE', () => {
    const { env } = inputs({}, { GITHUB_WORKSPACE: '/home/runner/work/repo', PATH: '/bin' })
    expect(env).toEqual({
      GITHUB_WORKSPACE: '/work/here',
      ACTIONS_ID_TOKEN_REQUEST_URL: undefined,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined
    })
  })
})
