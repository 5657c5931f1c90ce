// What readSettings reads on the command line: each input from its flag, else
// from the environment the way the Azure SDKs' EnvironmentCredential and
// WorkloadIdentityCredential read it, so an existing pipeline's variables work.
import {
  ActionError,
  FileProblem,
  InputError,
  inert,
  readSettings,
  readSmallFile,
  readTokenFile
} from '../engine/index.js'
import type { InputReader, Settings, SettingsOptions } from '../engine/index.js'
import { cliVoice } from './voice.js'
import type { Labels } from './voice.js'

type Env = Readonly<Record<string, string | undefined>>

/** The command that turns a PKCS#12 file into the PEM file the command reads. */
export const PKCS12_TO_PEM =
  'openssl pkcs12 -in cert.pfx -out cert.pem -nodes (add -legacy for a file older tools made; ' +
  'keep cert.pem as secret as the .pfx and its password).'

const PASSWORD_UNSUPPORTED =
  'AZURE_CLIENT_CERTIFICATE_PASSWORD is set, but a password-protected certificate is not ' +
  'supported: the command reads an unencrypted PEM key. Convert the file once and unset the ' +
  `password: ${PKCS12_TO_PEM} For an encrypted PEM key: openssl pkey -in key.pem -out key-plain.pem.`

/** The largest certificate file read: a key and its certificate chain are a few KB. */
export const MAX_CERTIFICATE_FILE_BYTES = 64 * 1024

/**
 * The credentials, in the order they are tried: the Azure SDKs' order (a
 * secret, a certificate, then workload identity), then the GitHub job's own
 * OIDC token when the command runs inside GitHub Actions.
 */
export const CREDENTIAL_VARIABLES = [
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_FEDERATED_TOKEN_FILE',
  'ACTIONS_ID_TOKEN_REQUEST_URL'
] as const

export interface CommandInputs {
  /** Reads an input by its action.yml name: the flag, else the environment. */
  getInput: InputReader
  /** The environment readSettings sees: never the real GITHUB_WORKSPACE (see below). */
  env: Record<string, string | undefined>
  options: SettingsOptions
  /** Where each value came from, as the messages name it (the voice in options). */
  labels: Labels
  /** Which credential signs in, and which others are set but not used: one line. */
  credentialLine: string
  /**
   * Reads the certificate file the environment names (when it is the credential),
   * masking its key lines, so that a line pasted into a flag is masked in the
   * message that quotes it; an InputError naming the variable when it cannot be
   * read. Call it before readSettings checks any input.
   */
  readSecrets(): void
}

/**
 * @param mask called with each secret value as soon as it is read, before it
 *   can appear in any message.
 */
export function commandInputs(
  flags: Readonly<Record<string, string>>,
  env: Env,
  cwd: string,
  mask: (secret: string) => void,
  /** --client-certificate-path, which stands in for AZURE_CLIENT_CERTIFICATE_PATH. */
  certificateFlag?: string
): CommandInputs {
  const set = (name: string): string => env[name]?.trim() ?? ''
  const secret = set('AZURE_CLIENT_SECRET')
  const certificate =
    certificateFlag === undefined
      ? { path: set('AZURE_CLIENT_CERTIFICATE_PATH'), from: 'AZURE_CLIENT_CERTIFICATE_PATH' }
      : { path: certificateFlag.trim(), from: '--client-certificate-path' }
  const certificatePath = certificate.path
  const fromEnv: Record<string, string> = {
    'tenant-id': set('AZURE_TENANT_ID'),
    'client-id': set('AZURE_CLIENT_ID'),
    // As the Azure SDKs read it: the Entra host of a national or private cloud.
    'authority-url': set('AZURE_AUTHORITY_HOST')
  }

  const labels: Record<string, string> = {
    'client-secret': 'AZURE_CLIENT_SECRET',
    'client-certificate': `${certificate.from} ('${inert(certificatePath, 200)}')`
  }
  for (const [name, variable] of [
    ['tenant-id', 'AZURE_TENANT_ID'],
    ['client-id', 'AZURE_CLIENT_ID'],
    ['authority-url', 'AZURE_AUTHORITY_HOST']
  ]) {
    if (flags[name] === undefined) {
      labels[name] = fromEnv[name] ? variable : `--${name} (or ${variable})`
    }
  }

  const password = set('AZURE_CLIENT_CERTIFICATE_PASSWORD')
  if (password) mask(password)
  // The secret comes first; only when there is none is the certificate file read, once.
  let certificateText: string | undefined
  const readCertificateOnce = (): string => {
    if (secret || !certificatePath) return ''
    if (password) throw new InputError(PASSWORD_UNSUPPORTED)
    return (certificateText ??= readCertificate(certificate, mask))
  }
  const getInput = (name: string): string => {
    if (Object.hasOwn(flags, name)) return flags[name]
    if (name === 'client-secret') return secret
    if (name === 'client-certificate') return readCertificateOnce()
    return Object.hasOwn(fromEnv, name) ? fromEnv[name] : ''
  }

  const used = CREDENTIAL_VARIABLES.filter(name =>
    name === 'AZURE_CLIENT_CERTIFICATE_PATH' ? certificatePath : set(name)
  )
  const named = (name: string): string =>
    name === 'ACTIONS_ID_TOKEN_REQUEST_URL'
      ? "the GitHub job's OIDC token"
      : name === 'AZURE_CLIENT_CERTIFICATE_PATH'
        ? certificate.from
        : name
  const credentialLine = used.length
    ? `Credential: ${named(used[0])}` +
      (used.length > 1 ? ` (also set, not used: ${used.slice(1).map(named).join(', ')})` : '')
    : ''

  return {
    getInput,
    // A relative --schema-file is read from the current directory: the
    // workspace readSettings knows is GITHUB_WORKSPACE, given here as the
    // current directory, so a GITHUB_WORKSPACE the command happens to inherit
    // (run inside a GitHub job, from a sub-folder) never moves it.
    env: {
      GITHUB_WORKSPACE: cwd,
      ACTIONS_ID_TOKEN_REQUEST_URL: env.ACTIONS_ID_TOKEN_REQUEST_URL,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
    },
    options: {
      filesAnywhere: true,
      voice: cliVoice(labels),
      ...(set('AZURE_FEDERATED_TOKEN_FILE') && {
        federatedTokenFile: set('AZURE_FEDERATED_TOKEN_FILE')
      })
    },
    labels,
    credentialLine,
    readSecrets: () => {
      readCertificateOnce()
    }
  }
}

/** The PEM text of the certificate file, each line masked; an InputError naming where the path came from. */
function readCertificate(
  { path, from }: { path: string; from: string },
  mask: (secret: string) => void
): string {
  const named = `${from} names '${inert(path, 200)}', which`
  let text: string
  try {
    text = readSmallFile(path, MAX_CERTIFICATE_FILE_BYTES)
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error
    throw new InputError(
      error.tooLarge
        ? `${named} ${error.reason}; a PEM file with a private key and its certificate ` +
            'is a few KB (at most 64 KiB is read).'
        : `${named} ${error.reason}. It must be the path of a PEM file with the ` +
            "app's unencrypted private key and its certificate."
    )
  }
  // A .pfx or .p12 file is binary (DER), which no PEM file is.
  // eslint-disable-next-line no-control-regex
  if (!text.includes('-----BEGIN') && /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text)) {
    throw new InputError(
      `${named} is binary, not PEM text: a PKCS#12 (.pfx or .p12) file, say. Convert it once ` +
        `to a PEM file with the unencrypted key and the certificate: ${PKCS12_TO_PEM}`
    )
  }
  // As the action masks its client-certificate input: every line of the PEM.
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() && !line.startsWith('-----')) mask(line.trim())
  }
  return text
}

/**
 * The command's settings from its flags and environment, each secret masked as
 * soon as it is read; the InputError of the first bad value. With the line that
 * says which credential signs in.
 */
export function commandSettings(
  flags: { inputs: Readonly<Record<string, string>>; certificatePath?: string },
  command: { env: Env; cwd: string },
  mask: (secret: string) => void
): { settings: Settings; credentialLine: string } {
  const inputs = commandInputs(flags.inputs, command.env, command.cwd, mask, flags.certificatePath)
  inputs.readSecrets()
  const settings = readSettings(inputs.getInput, inputs.env, inputs.options)
  checkTokenFile(settings, mask)
  return { settings, credentialLine: inputs.credentialLine }
}

/**
 * The federated token file is read again for every sign-in; read it once now,
 * so that a path that is wrong fails before any request, naming the variable.
 */
export function checkTokenFile(settings: Settings, mask: (secret: string) => void): void {
  const credential = settings.signIn?.credential
  if (credential?.kind !== 'tokenFile') return
  try {
    readTokenFile(credential.path, { secret: mask })
  } catch (error) {
    if (!(error instanceof ActionError)) throw error
    throw new InputError(
      `AZURE_FEDERATED_TOKEN_FILE: ${error.message} Write the platform's ID token to that file ` +
        'before the command runs; see --help.'
    )
  }
}
