// Gets an app-only access token for Microsoft Graph from Microsoft Entra ID
// with the OAuth 2.0 client credentials grant.
import type { Budget } from './budget.js'
import type { ClientCredential } from './credentials.js'
import { ActionError } from './errors.js'
import { headerValue, isTransientStatus, transientAnswer } from './http.js'
import type { HttpResponse, Transport } from './http.js'
import { parseJsonObject, stringField } from './json.js'
import type { JsonObject } from './json.js'
import type { Log } from './log.js'
import type { Retry } from './retry.js'
import { ACTION_VOICE } from './model.js'
import type { Settings, SignIn, Voice } from './model.js'
import { inert } from './text.js'

/** A failed sign-in; the message holds the AADSTS code, its description, the IDs and a hint. */
export class EntraError extends ActionError {
  override name = 'EntraError'
  constructor(message: string, code = 'SignInFailed') {
    super(message, code)
  }
}

// Renew this long before expiry, so a token is never sent in its last minutes.
const RENEW_BEFORE_EXPIRY_MS = 5 * 60 * 1000
const DEFAULT_LIFETIME_MS = 60 * 60 * 1000

// Hints that hold whatever the credential; each credential adds its own.
function hintsIn(voice: Voice): Record<string, string> {
  const { name } = voice
  return {
    '700016':
      `Check ${name('client-id')} and ${name('tenant-id')}: the app must be registered in, ` +
      'or consented to, this tenant.',
    '90002':
      `Check ${name('tenant-id')}, and that ${name('cloud')} matches the tenant ` +
      '(global, usgov or usgov-dod).',
    '900023': `Check ${name('tenant-id')}: it must be a tenant GUID or a verified domain name.`,
    '7000229': 'The app has no service principal in this tenant: an admin must consent to it.'
  }
}

export interface TokenSourceOptions {
  entra: Transport
  credential: ClientCredential
  settings: Pick<SignIn, 'tenantId' | 'clientId'> &
    Pick<Settings, 'authorityUrl' | 'graphUrl'> & { voice?: Voice }
  retry: Retry
  budget: Pick<Budget, 'now'>
  log: Pick<Log, 'info' | 'debug' | 'secret'>
}

export class TokenSource {
  private cached: { value: string; renewAt: number } | undefined

  constructor(private readonly options: TokenSourceOptions) {}

  /** The cached token, or a fresh one when there is none or it is close to expiry. */
  async get(): Promise<string> {
    const { budget, settings, log, retry } = this.options
    if (this.cached && budget.now() < this.cached.renewAt) return this.cached.value
    log.info(
      `Signing in to Microsoft Entra ID as app ${settings.clientId} in tenant ${settings.tenantId}`
    )
    const requestedAt = budget.now()
    const { token, lifetimeMs } = await retry(() => this.request())
    // Renew halfway through a short-lived token, or 5 minutes before a normal one expires.
    const renewAt = requestedAt + Math.max(lifetimeMs / 2, lifetimeMs - RENEW_BEFORE_EXPIRY_MS)
    this.cached = { value: token, renewAt }
    log.debug(`Access token valid for ${Math.round(lifetimeMs / 1000)} s`)
    return token
  }

  /** Forgets the cached token, after Graph rejected it. */
  invalidate(): void {
    this.cached = undefined
  }

  private async request(): Promise<{ token: string; lifetimeMs: number }> {
    const { entra, credential, settings, log } = this.options
    const { tenantId, clientId, authorityUrl, graphUrl } = settings
    const url = new URL(`${authorityUrl}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`)
    const response = await entra.request({
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json'
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        scope: `${graphUrl}/.default`,
        ...(await credential.fields(url.href))
      }).toString()
    })
    const body = parseJsonObject(response.body)
    const token = stringField(body, 'access_token')
    if (token) log.secret(token)
    if (response.status === 200 && token) {
      return { token, lifetimeMs: Number(body?.expires_in) * 1000 || DEFAULT_LIFETIME_MS }
    }
    const error = entraError(
      response,
      body,
      code => credential.hint(code),
      this.options.settings.voice
    )
    if (isTransientStatus(response.status) || body?.error === 'temporarily_unavailable') {
      throw transientAnswer(response, error.message)
    }
    throw error
  }
}

/** Builds the one-line message for a failed token request. */
export function entraError(
  response: HttpResponse,
  body: JsonObject | undefined,
  credentialHint: (code: string) => string | undefined = () => undefined,
  voice: Voice = ACTION_VOICE
): EntraError {
  const httpStatus = `HTTP ${response.status}`
  const error = stringField(body, 'error')
  if (!error) {
    const requestId = inert(headerValue(response, 'x-ms-request-id'), 100)
    return new EntraError(
      `Sign-in to Microsoft Entra ID failed: ${httpStatus} without an OAuth error` +
        (requestId ? ` (request ID ${requestId})` : '') +
        `. Check ${voice.name('authority-url')} and ${voice.name('cloud')}.`
    )
  }
  // error_description reads "AADSTSnnn: text\r\nTrace ID: ...\r\nCorrelation ID: ...".
  const description = stringField(body, 'error_description')
    .split(/\r?\n| Trace ID:/)[0]
    .trim()
  const code = /^AADSTS(\d+)/.exec(description)?.[1] ?? String(firstOf(body?.error_codes) ?? '')
  const correlationId = inert(stringField(body, 'correlation_id'), 100)
  const traceId = inert(stringField(body, 'trace_id'), 100)
  const ids = [
    httpStatus,
    `error ${inert(error, 100)}`,
    correlationId ? `correlation ID ${correlationId}` : '',
    traceId ? `trace ID ${traceId}` : ''
  ].filter(Boolean)
  const hints = hintsIn(voice)
  const hint = credentialHint(code) ?? (Object.hasOwn(hints, code) ? hints[code] : undefined)

  return new EntraError(
    `Sign-in to Microsoft Entra ID failed: ${inert(description || error)} (${ids.join(', ')}).` +
      (hint ? ` ${hint}` : ''),
    code ? `AADSTS${code}` : error
  )
}

function firstOf(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : undefined
}
