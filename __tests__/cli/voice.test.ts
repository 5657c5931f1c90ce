// The engine's input errors in the command line's voice: the flag or the
// environment variable instead of the action's input name.
import { describe, expect, it } from '@jest/globals'
import { NO_CREDENTIAL, cliVoice } from '../../src/cli/voice.js'
import { readSettings } from '../../src/engine/settings.js'
import { inputErrorOf } from '../helpers/input-error.js'

const VALID: Record<string, string> = {
  'tenant-id': '11111111-2222-3333-4444-555555555555',
  'client-id': 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  'client-secret': 's~secret',
  'connection-id': 'contosohr',
  'operation-id': 'op-1'
}

/** The command line's message for the inputs readSettings refuses. */
function messageFor(inputs: Record<string, string>, labels = {}, env = {}): string {
  const read = (name: string): string => ({ ...VALID, ...inputs })[name] ?? ''
  return inputErrorOf(() => readSettings(read, env, { voice: cliVoice(labels) }))
}

describe('cliVoice', () => {
  it('names the flag where the action names the input', () => {
    expect(messageFor({ 'tenant-id': 'not a tenant' })).toBe(
      '--tenant-id must be a tenant ID (a GUID such as 00000000-0000-0000-0000-000000000000) ' +
        "or a domain name such as contoso.onmicrosoft.com; got 'not a tenant'."
    )
    expect(messageFor({ 'timeout-seconds': '0' })).toMatch(
      /^--timeout-seconds must be a number of seconds greater than 0/
    )
  })

  it('names the environment variable a value came from', () => {
    expect(messageFor({ 'client-id': 'x' }, { 'client-id': 'AZURE_CLIENT_ID' })).toMatch(
      /^AZURE_CLIENT_ID must be the app registration's Application \(client\) ID, a GUID .*got 'x'\.$/
    )
    expect(
      messageFor({ 'client-secret': 'a\u0007b' }, { 'client-secret': 'AZURE_CLIENT_SECRET' })
    ).toMatch(/^AZURE_CLIENT_SECRET must not contain control characters/)
  })

  it('says a missing value may come from the flag or the variable', () => {
    expect(
      messageFor({ 'tenant-id': '' }, { 'tenant-id': '--tenant-id (or AZURE_TENANT_ID)' })
    ).toBe(
      '--tenant-id (or AZURE_TENANT_ID) is required: the Entra tenant ID (a GUID) or a domain ' +
        'such as contoso.onmicrosoft.com.'
    )
  })

  it('renames every input a message mentions, quoted or not, and leaves other words alone', () => {
    expect(
      messageFor({ 'operation-url': 'https://graph.microsoft.com/v1.0/x', 'operation-id': 'o' })
    ).toBe(
      'Set either --operation-url or --connection-id with --operation-id, not both: ' +
        '--operation-url already names the connection and the operation.'
    )
    expect(
      messageFor({
        'operation-url': 'https://example.com/v1.0/x',
        'operation-id': '',
        'connection-id': ''
      })
    ).toBe(
      '--operation-url must be on the Graph host https://graph.microsoft.com (set --graph-url ' +
        'or --cloud for another); got https://example.com. This command sends its token to that ' +
        'host only.'
    )
    expect(messageFor({ cloud: 'china' })).toMatch(
      /^--cloud: Microsoft Graph connectors are not offered in the China cloud/
    )
  })

  it('says an input works only with --schema-file, calling the action this command', () => {
    expect(messageFor({ 'connection-name': 'HR' })).toBe(
      '--connection-name is used only with --schema-file: this command creates a connection ' +
        'only to submit a schema to it. Set --schema-file, or drop it.'
    )
  })

  it('names two inputs set together by the variables they came from', () => {
    expect(
      messageFor(
        { 'client-certificate': 'x' },
        {
          'client-secret': 'AZURE_CLIENT_SECRET',
          'client-certificate': 'AZURE_CLIENT_CERTIFICATE_PATH'
        }
      )
    ).toBe(
      'AZURE_CLIENT_SECRET and AZURE_CLIENT_CERTIFICATE_PATH are both set: set one of them, ' +
        'or neither to sign in with GitHub OIDC.'
    )
  })

  it('replaces the advice for GitHub OIDC with the credential variables', () => {
    expect(messageFor({ 'client-secret': '' })).toBe(NO_CREDENTIAL)
    expect(NO_CREDENTIAL).toBe(
      'No credential: set AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH (a PEM file with ' +
        "the app's private key and certificate) or AZURE_FEDERATED_TOKEN_FILE (a file holding " +
        'a federated ID token), or use --validate-only, which signs in to nothing. See --help.'
    )
    expect(NO_CREDENTIAL).toContain('AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH')
    expect(NO_CREDENTIAL).toContain('AZURE_FEDERATED_TOKEN_FILE')
  })

  it('names the settings the engine names beyond the inputs it reads', () => {
    const voice = cliVoice({ 'client-secret': 'AZURE_CLIENT_SECRET' })
    expect(voice.name('client-secret')).toBe('AZURE_CLIENT_SECRET')
    expect(voice.name('timeout-seconds')).toBe('--timeout-seconds')
    expect(voice.assign('api-version', 'beta')).toBe('--api-version beta')
    expect(voice.relativeTo).toBe('the current directory')
  })
})
