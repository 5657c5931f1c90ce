// The engine words a bad value as the action sees it ("Input 'tenant-id' must
// be ..."); the command line names the flag or the environment variable the
// value came from instead ("--tenant-id must be ...", "AZURE_TENANT_ID must be ...").
import { INPUT_FLAGS } from './flags.js'

/** Where each input's value came from, by input name; a flag (--name) when not listed. */
export type Labels = Readonly<Record<string, string>>

// The action's inputs that messages name: the flags, and the credential inputs,
// whose labels always come from the environment.
const INPUTS = [...INPUT_FLAGS.map(spec => spec.name), 'client-secret', 'client-certificate']
const QUOTED = new RegExp(`'(${INPUTS.join('|')})'`, 'g')
// Unquoted, only the hyphenated names: 'cloud' is also a word ("the China cloud").
const BARE = new RegExp(
  `(?<![\\w'-])(${INPUTS.filter(n => n.includes('-')).join('|')})(?![\\w'-])`,
  'g'
)

export const NO_CREDENTIAL =
  'No credential: set AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH (a PEM file with the ' +
  "app's private key and certificate) or AZURE_FEDERATED_TOKEN_FILE (a file holding a federated " +
  'ID token), or use --validate-only, which signs in to nothing. See --help.'

/** An InputError's message for the command line. */
export function cliMessage(message: string, labels: Labels = {}): string {
  // The action's advice (permissions: id-token: write) does not apply outside GitHub.
  if (message.startsWith('No credential:')) return NO_CREDENTIAL
  const label = (name: string): string => labels[name] ?? `--${name}`
  return (
    message
      .replace(/^Inputs? /, '')
      // Bare names first, so that no label put in for a quoted one is read again.
      .replace(BARE, (_, name: string) => label(name))
      .replace(QUOTED, (_, name: string) => label(name))
      .replace('relative to the workspace (GITHUB_WORKSPACE)', 'relative to the current directory')
      .replace(/\bThe action\b/g, 'This command')
      .replace(/\bthe action\b/g, 'this command')
  )
}
