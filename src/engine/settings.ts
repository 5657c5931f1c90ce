// Turns the action's inputs into one validated Settings object. Every check
// runs before any network request, and every message names the input and
// shows what a valid value looks like. A leaf: it loads no transport.
import { isAbsolute, resolve } from 'node:path'
import { MAX_TIMER_MS } from './budget.js'
import { parseCertificate } from './certificate.js'
import { InputError } from './errors.js'
import { ACTION_VOICE, OPERATION_PATH } from './model.js'
import type {
  ApiVersion,
  CloudName,
  ConnectorTarget,
  CredentialSettings,
  InputFile,
  SchemaTarget,
  Settings,
  SignIn,
  Target,
  Voice
} from './model.js'
import { capitalize, inert, isPlain } from './text.js'

export const CLOUDS: Record<
  CloudName,
  { authorityUrl: string; graphUrl: string; oidcAudience: string }
> = {
  global: {
    authorityUrl: 'https://login.microsoftonline.com',
    graphUrl: 'https://graph.microsoft.com',
    oidcAudience: 'api://AzureADTokenExchange'
  },
  usgov: {
    authorityUrl: 'https://login.microsoftonline.us',
    graphUrl: 'https://graph.microsoft.us',
    oidcAudience: 'api://AzureADTokenExchangeUSGov'
  },
  'usgov-dod': {
    authorityUrl: 'https://login.microsoftonline.us',
    graphUrl: 'https://dod-graph.microsoft.us',
    oidcAudience: 'api://AzureADTokenExchangeUSGov'
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i
const CONNECTION_ID = /^[a-z0-9]{3,32}$/i
// Graph's externalConnection docs: IDs it keeps for itself (as written there),
// and the prefix Microsoft reserves. Both are compared as the docs write them.
const RESERVED_CONNECTION_IDS = new Set(
  (
    'None Directory Exchange ExchangeArchive LinkedIn Mailbox OneDriveBusiness SharePoint Teams ' +
    'Yammer Connectors TaskFabric PowerBI Assistant TopicEngine MSFT_All_Connectors'
  ).split(' ')
)
// Graph's externalConnection: name, shown in the Microsoft 365 app launcher.
const MAX_CONNECTION_NAME = 128
const POSITIVE_NUMBER = /^(\d+(\.\d*)?|\.\d+)$/
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])
/** Node's timers hold at most 2^31 - 1 ms; no wait may be longer. */
export const MAX_SECONDS = Math.floor(MAX_TIMER_MS / 1000)
/** Real Graph hosts are polled at most once a second; the loopback simulator may go faster. */
export const MIN_POLL_INTERVAL_MS = 1_000
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/

/** Reads an input by its action.yml name; '' when it is not set. */
export type InputReader = (name: string) => string

/** An input, trimmed and checked, with the voice its messages name it in. */
type Input = InputReader & { voice: Voice }

/** What only some front doors offer; the action sets none of it. */
export interface SettingsOptions {
  /**
   * The path of a file holding a federated ID token (workload identity federation
   * outside GitHub, e.g. AZURE_FEDERATED_TOKEN_FILE): the credential when neither
   * a secret nor a certificate is set, before GitHub OIDC.
   */
  federatedTokenFile?: string
  /**
   * The schema file may be anywhere, symlinks and all: on the command line the
   * files are the user's own. The action reads only inside its workspace.
   */
  filesAnywhere?: boolean
  /** How messages name a setting; the action's inputs when not given. */
  voice?: Voice
}

/**
 * @param env the runner's environment: GitHub OIDC is offered through
 *   ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN, and a
 *   relative schema-file is read from GITHUB_WORKSPACE (else the current folder).
 */
export function readSettings(
  getInput: InputReader,
  env: Record<string, string | undefined> = process.env,
  options: SettingsOptions = {}
): Settings {
  const voice = options.voice ?? ACTION_VOICE
  const input: Input = name => withoutControls(voice, name, getInput(name).trim(), CONTROL)
  input.voice = voice
  const required = (name: string, example: string): string => {
    const value = input(name)
    if (!value) throw new InputError(`${voice.subject(name)} is required: ${example}.`)
    return value
  }

  // validate-only sends nothing, so it needs no sign-in: the pull-request check on forks.
  const validateOnly = readBoolean(input, 'validate-only', 'false')
  const requireCopilotReady = readBoolean(input, 'require-copilot-ready', 'false')
  const plan = readBoolean(input, 'plan', 'false')
  const failOnChanges = readBoolean(input, 'fail-on-changes', 'false')
  if (failOnChanges && !plan) {
    throw new InputError(
      `${voice.subject('fail-on-changes')} needs ${voice.assign('plan', 'true')}: it fails the ` +
        'step when the plan finds a difference (a drift check), and only a plan compares ' +
        'without writing.'
    )
  }
  if (plan && validateOnly) {
    throw new InputError(
      `${voice.subject('plan', 'validate-only')} are both true: ${voice.name('validate-only')} ` +
        `sends nothing, while ${voice.name('plan')} signs in and reads the connection to ` +
        'compare it. Set only one of them.'
    )
  }
  const signInInput = (name: string, example: string): string =>
    validateOnly ? input(name) : required(name, example)

  const tenantId = signInInput(
    'tenant-id',
    'the Entra tenant ID (a GUID) or a domain such as contoso.onmicrosoft.com'
  )
  if (tenantId && !GUID.test(tenantId) && !DOMAIN.test(tenantId)) {
    throw new InputError(
      `${voice.subject('tenant-id')} must be a tenant ID (a GUID such as 00000000-0000-0000-0000-000000000000) ` +
        `or a domain name such as contoso.onmicrosoft.com; got '${echo(tenantId)}'.`
    )
  }

  const clientId = signInInput(
    'client-id',
    "the app registration's Application (client) ID, a GUID"
  )
  if (clientId && !GUID.test(clientId)) {
    throw new InputError(
      `${voice.subject('client-id')} must be the app registration's Application (client) ID, ` +
        `a GUID such as 00000000-0000-0000-0000-000000000000; got '${echo(clientId)}'.`
    )
  }

  const pollIntervalText = input('poll-interval-seconds') || 'auto'
  const pollIntervalMs =
    pollIntervalText.toLowerCase() === 'auto'
      ? 'auto'
      : parseSeconds(input, 'poll-interval-seconds', '10', 'or auto')
  const timeoutMs = parseSeconds(input, 'timeout-seconds', '1800')

  const failOnFailure = readBoolean(input, 'fail-on-failure', 'true')

  const apiVersionInput = input('api-version') || 'v1.0'
  if (!isApiVersion(apiVersionInput)) {
    throw new InputError(
      `${voice.subject('api-version')} must be v1.0 or beta; got '${echo(apiVersionInput)}'.`
    )
  }

  const cloudText = input('cloud') || 'global'
  const cloud = cloudOf(cloudText)
  if (cloud === 'china') {
    throw new InputError(
      `${voice.subject('cloud')}: Microsoft Graph connectors are not offered in the China cloud ` +
        '(operated by 21Vianet). Use global, usgov or usgov-dod.'
    )
  }
  if (!isCloudName(cloud)) {
    throw new InputError(
      `${voice.subject('cloud')} must be global, usgov or usgov-dod; got '${echo(cloudText)}'.`
    )
  }

  const graphUrl = baseUrl(input, 'graph-url', CLOUDS[cloud].graphUrl)
  if (
    typeof pollIntervalMs === 'number' &&
    pollIntervalMs < MIN_POLL_INTERVAL_MS &&
    !LOOPBACK_HOSTS.has(new URL(graphUrl).hostname)
  ) {
    throw new InputError(
      `${voice.subject('poll-interval-seconds')} must be at least ${MIN_POLL_INTERVAL_MS / 1000} for a ` +
        `Graph host (only a loopback ${voice.name('graph-url')} may be polled faster), or auto; got '${echo(pollIntervalText)}'.`
    )
  }
  const authorityUrl = baseUrl(input, 'authority-url', CLOUDS[cloud].authorityUrl)
  const workspace = env.GITHUB_WORKSPACE || process.cwd()
  const { target, urlApiVersion } = readTarget(input, required, graphUrl, {
    workspace,
    confined: !options.filesAnywhere,
    validateOnly
  })
  if (plan && target.kind !== 'connector') {
    throw new InputError(
      `${voice.subject('plan')} needs ${voice.name('connector-file')}: a plan compares what a ` +
        'connector file describes (the connection and its schema) with what Graph has. ' +
        `With ${voice.name('schema-file')}, use ${voice.assign('validate-only', 'true')} on pull requests.`
    )
  }
  const signIn: SignIn | undefined = validateOnly
    ? undefined
    : {
        tenantId,
        clientId,
        credential: readCredential(
          getInput,
          voice,
          input('audience') || CLOUDS[cloud].oidcAudience,
          env,
          options
        )
      }

  return {
    voice,
    signIn,
    target,
    validateOnly,
    requireCopilotReady,
    plan,
    failOnChanges,
    pollIntervalMs,
    timeoutMs,
    failOnFailure,
    // operation-url carries its own version, which wins.
    apiVersion: urlApiVersion ?? apiVersionInput,
    cloud,
    graphUrl,
    authorityUrl
  }
}

/** Where a relative schema-file is, and whether it must stay there. */
interface FileRoot {
  workspace: string
  confined: boolean
  /** Nothing is sent: a schema file is checked for no connection in particular. */
  validateOnly: boolean
}

// schema-file with connection-id; or operation-url; or connection-id with an
// optional operation-id (none: wait for readiness).
function readTarget(
  input: Input,
  required: (name: string, example: string) => string,
  graphUrl: string,
  files: FileRoot
): { target: Target; urlApiVersion?: ApiVersion } {
  const { voice } = input
  const connectorFile = input('connector-file')
  if (connectorFile) return { target: readConnectorTarget(input, connectorFile, files) }
  const schemaFile = input('schema-file')
  if (schemaFile) return { target: readSchemaTarget(input, required, schemaFile, files) }
  for (const name of ['connection-name', 'connection-description']) {
    if (input(name)) {
      throw new InputError(
        `${voice.subject(name)} is used only with ${voice.name('schema-file')}: ${voice.self} ` +
          'creates a connection only to submit a schema to it. ' +
          `Set ${voice.name('schema-file')}, or ${voice.unset}.`
      )
    }
  }
  const operationUrl = input('operation-url')
  if (operationUrl) {
    if (input('connection-id') || input('operation-id')) {
      throw new InputError(
        `Set either ${voice.quoted('operation-url')} or ${voice.quoted('connection-id')} with ` +
          `${voice.quoted('operation-id')}, not both: ${voice.name('operation-url')} already ` +
          'names the connection and the operation.'
      )
    }
    const { target, apiVersion } = parseOperationUrl(voice, operationUrl, graphUrl)
    return { target, urlApiVersion: apiVersion }
  }
  const connectionId = validConnectionId(
    voice,
    required(
      'connection-id',
      `the external connection ID, e.g. contosohr (or set ${voice.name('operation-url')})`
    ),
    'connection-id'
  )
  const operationId = input('operation-id')
  if (!operationId) return { target: { kind: 'connection', connectionId } }
  return {
    target: {
      kind: 'operation',
      connectionId,
      operationId: validOperationId(voice, operationId, 'operation-id')
    }
  }
}

function readSchemaTarget(
  input: Input,
  required: (name: string, example: string) => string,
  schemaFile: string,
  { workspace, confined, validateOnly }: FileRoot
): SchemaTarget {
  const { voice } = input
  for (const name of ['operation-url', 'operation-id']) {
    if (input(name)) {
      throw new InputError(
        `${voice.subject(name)} cannot be used with ${voice.name('schema-file')}: with a schema ` +
          `file ${voice.self} submits ` +
          `the schema itself and waits for the operation Graph starts for it. ${capitalize(voice.unset)}.`
      )
    }
  }
  // validate-only sends nothing, so the file needs no connection; one given is still checked.
  const connectionId =
    validateOnly && !input('connection-id')
      ? ''
      : validConnectionId(
          voice,
          required('connection-id', 'the external connection ID the schema is for, e.g. contosohr'),
          'connection-id'
        )
  const name = input('connection-name')
  const description = input('connection-description')
  if (description && !name) {
    throw new InputError(
      `${voice.subject('connection-description')} needs ${voice.name('connection-name')}: set ` +
        `${voice.name('connection-name')} to create the connection when it does not exist, ` +
        'e.g. Contoso HR.'
    )
  }
  if (name.length > MAX_CONNECTION_NAME) {
    throw new InputError(
      `${voice.subject('connection-name')} must be at most ${MAX_CONNECTION_NAME} characters, such as ` +
        `Contoso HR; it has ${name.length}.`
    )
  }
  return {
    kind: 'schema',
    connectionId,
    schemaFile: inputFile(schemaFile, { workspace, confined, validateOnly }),
    ...(name && { create: { name, description } })
  }
}

// Settings a connector file replaces, and why each cannot go with it.
const REPLACED_BY_CONNECTOR_FILE: Record<string, string> = {
  'schema-file': 'its "schema" holds the schema, inline or as the path of a schema file',
  'connection-name': 'its "name" is the connection\'s name',
  'connection-description': 'its "description" is the connection\'s description',
  'operation-id': 'the step submits the schema itself and waits for the operation Graph starts',
  'operation-url': 'the step submits the schema itself and waits for the operation Graph starts'
}

function readConnectorTarget(
  input: Input,
  connectorFile: string,
  files: FileRoot
): ConnectorTarget {
  const { voice } = input
  for (const [name, why] of Object.entries(REPLACED_BY_CONNECTOR_FILE)) {
    if (input(name)) {
      throw new InputError(
        `${voice.subject(name)} cannot be used with ${voice.name('connector-file')}: ${why}. ` +
          `${capitalize(voice.unset)}.`
      )
    }
  }
  // Optional: the file's id names the connection; one given must be the same (checked on reading it).
  const connectionId = input('connection-id')
  return {
    kind: 'connector',
    connectionId: connectionId && validConnectionId(voice, connectionId, 'connection-id'),
    connectorFile: inputFile(connectorFile, files)
  }
}

/** A file an input names: relative to the workspace, and confined to it in the action. */
function inputFile(shown: string, { workspace, confined }: FileRoot): InputFile {
  return {
    path: isAbsolute(shown) ? shown : resolve(workspace, shown),
    shown,
    ...(confined && { within: workspace })
  }
}

// A secret, else a certificate, else a federated token file, else GitHub OIDC:
// the most explicit choice wins.
function readCredential(
  getInput: InputReader,
  voice: Voice,
  audience: string,
  env: Record<string, string | undefined>,
  options: SettingsOptions
): CredentialSettings {
  // Trimmed like every input (core.getInput does so too): Entra secrets never
  // start or end with white space, but a pasted secret often ends in a newline.
  // Neither value is ever echoed back.
  const secret = withoutControls(voice, 'client-secret', getInput('client-secret').trim(), CONTROL)
  const pem = withoutControls(
    voice,
    'client-certificate',
    getInput('client-certificate').trim(),
    CONTROL_BUT_LINES
  )
  if (secret && pem) {
    throw new InputError(
      `${voice.subject('client-secret', 'client-certificate')} are both set: set one of them, ` +
        'or neither to sign in with GitHub OIDC.'
    )
  }
  if (secret) return { kind: 'secret', secret }
  if (pem) {
    return {
      kind: 'certificate',
      certificate: parseCertificate(pem, { named: voice.subject('client-certificate') })
    }
  }
  if (options.federatedTokenFile) return { kind: 'tokenFile', path: options.federatedTokenFile }
  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
  if (!requestUrl || !requestToken) {
    throw new InputError(
      voice.noCredential ??
        `No credential: ${voice.quoted('client-secret')} and ${voice.quoted('client-certificate')} ` +
          `are empty, so ${voice.self} signs in with GitHub OIDC, but this job cannot get an ID ` +
          'token. Add `permissions: id-token: write` to the job (and a federated credential to ' +
          `the app), or set ${voice.name('client-secret')} or ${voice.name('client-certificate')}.`
    )
  }
  return { kind: 'oidc', audience, requestUrl, requestToken }
}

// The Location header of PATCH .../schema. Only a URL on the configured Graph
// origin is taken: the access token must never go anywhere else.
function parseOperationUrl(
  voice: Voice,
  text: string,
  graphUrl: string
): { target: Target; apiVersion: ApiVersion } {
  const example = `${graphUrl}/v1.0/external/connections/contosohr/operations/1.abc`
  const url = parseUrl(voice, 'operation-url', text, example)
  if (url.origin !== graphUrl) {
    throw new InputError(
      `${voice.subject('operation-url')} must be on the Graph host ${graphUrl} (set ` +
        `${voice.name('graph-url')} or ${voice.name('cloud')} for another); got ${url.origin}. ` +
        `${capitalize(voice.self)} sends its token to that host only.`
    )
  }
  const match = OPERATION_PATH.exec(url.pathname)
  if (!match || url.search || url.hash || url.username || url.password) {
    throw new InputError(
      `${voice.subject('operation-url')} must be the operation URL from the Location header, such as ${example}; ` +
        `got a URL with the path '${echo(url.pathname)}'.`
    )
  }
  const [, version, connectionId, operationId] = match
  const decode = (part: string): string => {
    try {
      return decodeURIComponent(part)
    } catch {
      throw new InputError(
        `${voice.subject('operation-url')} has a badly encoded path: '${echo(url.pathname)}'.`
      )
    }
  }
  return {
    apiVersion: version as ApiVersion,
    target: {
      kind: 'operation',
      connectionId: validConnectionId(voice, decode(connectionId), 'operation-url'),
      operationId: validOperationId(voice, decode(operationId), 'operation-url')
    }
  }
}

// `name` is the input the ID came from: connection-id itself, or operation-url.
function validConnectionId(voice: Voice, connectionId: string, name: string): string {
  if (isConnectionId(connectionId)) return connectionId
  if (!CONNECTION_ID.test(connectionId) || connectionId.startsWith('Microsoft')) {
    const must = name === 'connection-id' ? 'must be' : 'must have a connection ID of'
    throw new InputError(
      `${voice.subject(name)} ${must} 3 to 32 letters and digits, not starting with ` +
        `'Microsoft' (e.g. contosohr); got '${echo(connectionId)}'.`
    )
  }
  throw new InputError(`${voice.subject(name)}: ${reservedIdProblem(connectionId)}`)
}

function reservedIdProblem(id: string): string {
  return `'${id}' is a connection ID Microsoft Graph keeps for itself; choose another, such as contosohr.`
}

/** What is wrong with a connection ID a file writes, in a sentence; undefined when nothing is. */
export function connectionIdProblem(id: string): string | undefined {
  if (isConnectionId(id)) return undefined
  if (RESERVED_CONNECTION_IDS.has(id)) return reservedIdProblem(id)
  return (
    "a connection ID is 3 to 32 letters and digits, not starting with 'Microsoft' " +
    `(e.g. contosohr); found '${echo(id)}'.`
  )
}

/**
 * The rules of a connection ID, for the inputs and for the IDs Graph hands
 * back (a Location header) alike.
 */
export function isConnectionId(id: string): boolean {
  return CONNECTION_ID.test(id) && !id.startsWith('Microsoft') && !RESERVED_CONNECTION_IDS.has(id)
}

/**
 * The rules of an operation ID, for the inputs and for Graph's Location alike:
 * one bare path segment, which URL parsing cannot resolve away ('.', '..'),
 * with nothing a log line could read as a line break or a command.
 */
export function isOperationId(id: string): boolean {
  return id !== '' && !/[/?#%\s]/.test(id) && isPlain(id) && !/^\.\.?$/.test(id)
}

function validOperationId(voice: Voice, operationId: string, name: string): string {
  if (name === 'operation-id' && /^https?:\/\//i.test(operationId)) {
    throw new InputError(
      `${voice.subject('operation-id')} holds a URL: pass the whole Location header as ` +
        `${voice.name('operation-url')} instead ` +
        `(${voice.assign('operation-url', echo(withoutQuery(operationId)))}), and leave ` +
        `${voice.name('connection-id')} and ${voice.name('operation-id')} empty.`
    )
  }
  if (!isOperationId(operationId)) {
    throw new InputError(
      `${voice.subject(name)} must be the bare operation ID, with no '/', '?', '#', '%' or spaces ` +
        `(the last segment of the Location header); got '${echo(operationId)}'.`
    )
  }
  return operationId
}

function isApiVersion(value: string): value is ApiVersion {
  return value === 'v1.0' || value === 'beta'
}

// azure/login's environment names, so a workflow can pass its value on as it is.
const CLOUD_ALIASES: Record<string, string> = {
  azurecloud: 'global',
  azureusgovernment: 'usgov',
  azurechinacloud: 'china'
}

/** The cloud an input names, in lower case: ours, or azure/login's spelling of it. */
function cloudOf(text: string): string {
  const lower = text.toLowerCase()
  return Object.hasOwn(CLOUD_ALIASES, lower) ? CLOUD_ALIASES[lower] : lower
}

function isCloudName(value: string): value is CloudName {
  return Object.hasOwn(CLOUDS, value)
}

function parseSeconds(input: Input, name: string, fallback: string, orElse = ''): number {
  const text = input(name) || fallback
  const value = POSITIVE_NUMBER.test(text) ? Number(text) : NaN
  if (!(value > 0) || !(value <= MAX_SECONDS)) {
    throw new InputError(
      `${input.voice.subject(name)} must be a number of seconds greater than 0 and at most ${MAX_SECONDS} ` +
        `(about 24 days), such as ${fallback} or 2.5${orElse ? `, ${orElse}` : ''}; got '${echo(text)}'.`
    )
  }
  return value * 1000
}

/**
 * The input as it is, unless it holds a control character (an ANSI escape
 * sequence, say), which no valid value has. The value is not echoed: it may
 * be a secret.
 */
function withoutControls(voice: Voice, name: string, value: string, controls: RegExp): string {
  const found = controls.exec(value)
  if (found) {
    const code = found[0].charCodeAt(0).toString(16).padStart(4, '0')
    throw new InputError(
      `${voice.subject(name)} must not contain control characters or escape sequences; it has U+${code.toUpperCase()} ` +
        `at character ${found.index + 1}. Type or paste the value again as plain text.`
    )
  }
  return value
}

/** The input as a URL; an InputError that shows a valid one when it is not. */
function parseUrl(voice: Voice, name: string, text: string, example: string): URL {
  try {
    return new URL(text)
  } catch {
    throw new InputError(
      `${voice.subject(name)} must be a URL such as ${example}; got '${echo(withoutQuery(text))}'.`
    )
  }
}

/** An input value, quoted in a message: inert and short. */
function echo(value: string): string {
  return inert(value, 200)
}

/** A URL without its query string and fragment, which can carry tokens. */
function withoutQuery(text: string): string {
  return text.replace(/[?#].*/s, '')
}

// The same spellings @actions/core's getBooleanInput accepts.
function readBoolean(input: Input, name: string, fallback: 'true' | 'false'): boolean {
  const text = input(name) || fallback
  if (['true', 'True', 'TRUE'].includes(text)) return true
  if (['false', 'False', 'FALSE'].includes(text)) return false
  throw new InputError(`${input.voice.subject(name)} must be true or false; got '${echo(text)}'.`)
}

// https:// only; http:// just for loopback, which is how tests reach the simulator.
// Only an origin is accepted, so a pasted '/v1.0' cannot double the version segment.
function baseUrl(input: Input, name: string, fallback: string): string {
  const text = input(name) || fallback
  const example = fallback
  const { voice } = input
  const url = parseUrl(voice, name, text, example)
  const loopback = LOOPBACK_HOSTS.has(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new InputError(
      `${voice.subject(name)} must use https:// (http:// is allowed only for localhost, 127.0.0.1 or [::1]), ` +
        `such as ${example}; got '${echo(withoutQuery(text))}'.`
    )
  }
  if (url.username || url.password) {
    // Not echoed: the value holds a credential.
    throw new InputError(
      `${voice.subject(name)} must not contain credentials; use a URL such as ${example}.`
    )
  }
  if (url.search || url.hash || url.pathname !== '/') {
    throw new InputError(
      `${voice.subject(name)} must be a base URL with no path or query, such as ${example}; ` +
        `got '${echo(url.origin + url.pathname)}'${url.search || url.hash ? ' and a query' : ''}.`
    )
  }
  return url.origin
}
