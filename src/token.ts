// Gets an app-only access token for Microsoft Graph from Microsoft Entra ID
// with the OAuth 2.0 client credentials grant.
import { ActionError, TransientError } from './errors.js'
import * as core from '@actions/core'
import { headerValue, parseJsonObject } from './http.js'
import type { HttpResponse, Transport, JsonObject } from './http.js'
import { isTransientStatus, parseRetryAfter } from './retry.js'
import type { Retry } from './retry.js'
import type { ClientCredential } from './credentials.js'
import type { Settings } from './settings.js'

/** A failed sign-in; the message holds the AADSTS code, its description, the IDs and a hint. */
export class EntraError extends ActionError {
  override name = 'EntraError'
}

// Renew this long before expiry, so a token is never sent in its last minutes.
const RENEW_BEFORE_EXPIRY_MS = 5 * 60 * 1000

const HINTS: Record<string, string> = {
  '7000215': "Check client-secret: use the secret's Value, not its Secret ID.",
  '7000222': 'The client secret has expired: create a new one and update the workflow secret.',
  '700016':
    'Check client-id and tenant-id: the app must be registered in, or consented to, this tenant.',
  '90002': 'Check tenant-id, and that cloud matches the tenant (global, usgov or usgov-dod).',
  '900023': 'Check tenant-id: it must be a tenant GUID or a verified domain name.',
  '7000229': 'The app has no service principal in this tenant: an admin must consent to it.'
}

export type TokenRequestSettings = Pick<
  Settings,
  'tenantId' | 'clientId' | 'authorityUrl' | 'graphUrl'
>

export class TokenSource {
  private cached: { value: string; renewAt: number } | undefined

  constructor(
    private readonly entra: Transport,
    private readonly settings: TokenRequestSettings,
    private readonly credential: ClientCredential,
    private readonly retry: Retry,
    private readonly now: () => number,
    private readonly deadline: number
  ) {}

  /** The cached token, or a fresh one when there is none or it is close to expiry. */
  async get(): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return this.cached.value
    const { tenantId, clientId } = this.settings
    core.info(`Signing in to Microsoft Entra ID as app ${clientId} in tenant ${tenantId}`)
    const requestedAt = this.now()
    const { token, lifetimeMs } = await this.retry(() => this.request())
    // Renew halfway through a short-lived token, or 5 minutes before a normal one expires.
    const renewAt = requestedAt + Math.max(lifetimeMs / 2, lifetimeMs - RENEW_BEFORE_EXPIRY_MS)
    this.cached = { value: token, renewAt }
    core.debug(`Access token valid for ${Math.round(lifetimeMs / 1000)} s`)
    return token
  }

  /** Forgets the cached token, after Graph rejected it. */
  invalidate(): void {
    this.cached = undefined
  }

  private async request(): Promise<{ token: string; lifetimeMs: number }> {
    const { tenantId, clientId, authorityUrl, graphUrl } = this.settings
    const url = new URL(`${authorityUrl}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`)
    const response = await this.entra.request({
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
        ...(await this.credential.fields(url.href))
      }).toString(),
      deadline: this.deadline
    })
    const body = parseJsonObject(response.body)
    const token = typeof body?.access_token === 'string' ? body.access_token : ''
    if (token) core.setSecret(token)
    if (response.status === 200 && token) {
      return { token, lifetimeMs: Number(body?.expires_in) * 1000 || 60 * 60 * 1000 }
    }
    const error = entraError(response, body, code => this.credential.hint(code))
    if (isTransientStatus(response.status) || body?.error === 'temporarily_unavailable') {
      throw new TransientError(error.message, parseRetryAfter(headerValue(response, 'retry-after')))
    }
    throw error
  }
}

/** Builds the one-line message for a failed token request. */
export function entraError(
  response: HttpResponse,
  body: JsonObject | undefined,
  credentialHint: (code: string) => string | undefined = () => undefined
): EntraError {
  const httpStatus = `HTTP ${response.status}`
  if (!body || typeof body.error !== 'string') {
    const requestId = headerValue(response, 'x-ms-request-id')
    return new EntraError(
      `Sign-in to Microsoft Entra ID failed: ${httpStatus} without an OAuth error` +
        (requestId ? ` (request ID ${requestId})` : '') +
        '. Check authority-url and cloud.'
    )
  }
  // error_description reads "AADSTSnnn: text\r\nTrace ID: ...\r\nCorrelation ID: ...".
  const description = String(body.error_description ?? '')
    .split(/\r?\n| Trace ID:/)[0]
    .trim()
  const code = /^AADSTS(\d+)/.exec(description)?.[1] ?? String(firstOf(body.error_codes) ?? '')
  const ids = [
    httpStatus,
    `error ${body.error}`,
    body.correlation_id ? `correlation ID ${String(body.correlation_id)}` : '',
    body.trace_id ? `trace ID ${String(body.trace_id)}` : ''
  ].filter(Boolean)
  const hint = credentialHint(code) ?? HINTS[code]

  return new EntraError(
    `Sign-in to Microsoft Entra ID failed: ${description || body.error} (${ids.join(', ')}).` +
      (hint ? ` ${hint}` : '')
  )
}

function firstOf(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : undefined
}
