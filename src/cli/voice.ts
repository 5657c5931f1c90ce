// The command line's voice: the engine names each setting through it, so its
// messages name the flag or the environment variable a value came from
// ("--tenant-id must be ...", "AZURE_TENANT_ID must be ..."), never the
// action's input.
import type { Voice } from '../engine/index.js'

/** Where each setting's value came from, by input name; a flag (--name) when not listed. */
export type Labels = Readonly<Record<string, string>>

export const NO_CREDENTIAL =
  'No credential: set AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH (a PEM file with the ' +
  "app's private key and certificate) or AZURE_FEDERATED_TOKEN_FILE (a file holding a federated " +
  'ID token), or use --validate-only, which signs in to nothing. See --help.'

export function cliVoice(labels: Labels = {}): Voice {
  const name = (setting: string): string =>
    Object.hasOwn(labels, setting) ? labels[setting] : `--${setting}`
  return {
    name,
    subject: (...settings) => settings.map(name).join(' and '),
    quoted: name,
    assign: (setting, value) => `${name(setting)} ${value}`,
    self: 'this command',
    unset: 'drop it',
    relativeTo: 'the current directory',
    // The action's advice (permissions: id-token: write) does not apply outside GitHub.
    noCredential: NO_CREDENTIAL
  }
}
