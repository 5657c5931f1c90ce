// What the engine's modules share and no module owns: the settings and what
// they name (targets, credentials), Graph's paths for them, and the words a
// front door uses for its settings. A leaf: it imports nothing at run time.
import type { KeyObject } from 'node:crypto'

export type ApiVersion = 'v1.0' | 'beta'
export type CloudName = 'global' | 'usgov' | 'usgov-dod'

/** An operation to wait for, or a connection to wait on until it is ready. */
export type WaitTarget =
  | { kind: 'operation'; connectionId: string; operationId: string }
  | { kind: 'connection'; connectionId: string }

/** A file an input names. */
export interface InputFile {
  /** Absolute, to read. */
  path: string
  /** As the input gave it (relative to the workspace), for messages and annotations. */
  shown: string
  /** The action's workspace, which the file must resolve inside; none on the command line. */
  within?: string
}

/** A schema file to check, submit to a connection (created first when asked), and wait for. */
export interface SchemaTarget {
  kind: 'schema'
  /** '' only with validate-only and no connection-id: the file is checked, nothing is sent. */
  connectionId: string
  schemaFile: InputFile
  /** Create the connection when it does not exist; absent: a missing connection is an error. */
  create?: { name: string; description: string }
}

/**
 * A connector file: the connection's fields and its schema, to check, plan, and reconcile
 * (create or update the connection, submit the schema) and wait for.
 */
export interface ConnectorTarget {
  kind: 'connector'
  /** connection-id when given (the file's id must equal it); else '' until the file is read. */
  connectionId: string
  connectorFile: InputFile
}

export type Target = WaitTarget | SchemaTarget | ConnectorTarget

/** Who signs in: absent only with validate-only, which sends nothing. */
export interface SignIn {
  tenantId: string
  clientId: string
  credential: CredentialSettings
}

/**
 * How the app proves who it is: a client secret, a certificate, GitHub OIDC, or
 * a federated token that another platform writes to a file (read for every sign-in).
 */
export type CredentialSettings =
  | { kind: 'secret'; secret: string }
  | { kind: 'certificate'; certificate: ParsedCertificate }
  | { kind: 'oidc'; audience: string; requestUrl: string; requestToken: string }
  | { kind: 'tokenFile'; path: string }

export interface Settings {
  /** How the front door names its settings in messages. */
  voice: Voice
  signIn?: SignIn
  target: Target
  /** Check the inputs and the schema file, then stop: no sign-in, no request. */
  validateOnly: boolean
  /** The Copilot readiness findings of a schema are errors, not warnings. */
  requireCopilotReady: boolean
  /** With a connector file: sign in, read and compare, and write nothing. */
  plan: boolean
  /** With plan: any difference between the file and Graph fails the step (a drift check). */
  failOnChanges: boolean
  /** A fixed interval in ms, or 'auto': fast at first, slower as the wait grows. */
  pollIntervalMs: number | 'auto'
  timeoutMs: number
  failOnFailure: boolean
  apiVersion: ApiVersion
  cloud: CloudName
  /** Origin of Microsoft Graph, without a trailing slash. */
  graphUrl: string
  /** Origin of the Entra authority, without a trailing slash. */
  authorityUrl: string
}

/** The path of an operation URL (the Location of PATCH .../schema): version, connection, operation. */
export const OPERATION_PATH =
  /^\/(v1\.0|beta)\/external\/connections\/([^/]+)\/operations\/([^/]+)$/

/** A client certificate read from PEM (certificate.ts): what signs a client assertion. */
export interface ParsedCertificate {
  key: KeyObject
  /** x5t#S256: base64url SHA-256 of the certificate's DER. */
  thumbprint: string
  /** The lines of the private key block, to mask one by one. */
  keyLines: string[]
}

/** A connection, or an operation of it, as Graph's paths name them. */
export interface ResourceRef {
  connectionId: string
  operationId?: string
}

/** A connection's path after the version: /external/connections/{id}. */
export function connectionPath(ref: ResourceRef): string {
  return `/external/connections/${encodeURIComponent(ref.connectionId)}`
}

/** An operation's path after the version: /external/connections/{id}/operations/{id}. */
export function operationPath(ref: Required<ResourceRef>): string {
  return `${connectionPath(ref)}/operations/${encodeURIComponent(ref.operationId)}`
}

/**
 * How a front door names a setting (by its action.yml input name) in a
 * message: the action by its inputs, the command line by its flags and
 * environment variables. The engine words every message through it, so no
 * front door rewrites the engine's text afterwards.
 */
export interface Voice {
  /** The setting as its user writes it: timeout-seconds; --timeout-seconds. */
  name(setting: string): string
  /** Settings as the subject of a message: Input 'tenant-id'; --tenant-id. */
  subject(...settings: string[]): string
  /** The setting quoted in a sentence: 'operation-url'; --operation-url. */
  quoted(setting: string): string
  /** The setting given a value, as advice: api-version: beta; --api-version beta. */
  assign(setting: string, value: string): string
  /** What runs, in a sentence: the action; this command. */
  self: string
  /** How to stop giving a setting, as advice: leave it empty; drop the flag. */
  unset: string
  /** Where a relative file path is read from. */
  relativeTo: string
  /** The whole message when no credential is set, when the front door has its own advice. */
  noCredential?: string
}

/** The action's voice: its inputs, as action.yml names them. */
export const ACTION_VOICE: Voice = {
  name: setting => setting,
  subject: (...settings) =>
    `${settings.length > 1 ? 'Inputs' : 'Input'} ${settings.map(s => `'${s}'`).join(' and ')}`,
  quoted: setting => `'${setting}'`,
  assign: (setting, value) => `${setting}: ${value}`,
  self: 'the action',
  unset: 'leave it empty',
  relativeTo: 'the workspace (GITHUB_WORKSPACE)'
}
