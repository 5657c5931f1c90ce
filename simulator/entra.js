// The simulated Microsoft Entra ID v2.0 token endpoint: the client credentials
// grant with a client secret, a certificate-signed client assertion, or a
// federated ID token (GitHub's, or another issuer's such as GitLab or Azure
// DevOps), refused the way Entra refuses them.
import {
  X509Certificate,
  constants,
  createHash,
  randomBytes,
  randomUUID,
  verify
} from 'node:crypto'
import { DEFAULTS, JWT_BEARER } from './defaults.js'

/** The scope a client-credentials request for Microsoft Graph asks for. */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default'

/** @typedef {import('./simulator.js').Simulator} Simulator */
/** @typedef {import('./simulator.js').App} App */
/** @typedef {import('./simulator.js').ScriptedResponse} ScriptedResponse */

/**
 * POST /{tenant}/oauth2/v2.0/token.
 * @param {Simulator} sim
 * @param {string} path
 * @param {string} body
 * @returns {ScriptedResponse}
 */
export function tokenAnswer(sim, path, body) {
  const tenant = decodeURIComponent(path.split('/')[1] ?? '')
  const form = new URLSearchParams(body)
  const clientId = form.get('client_id') ?? ''
  /** @type {string[]} */
  const known = [DEFAULTS.tenantId, DEFAULTS.tenantDomain]
  if (!known.includes(tenant.toLowerCase())) {
    return entraError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`
    )
  }
  if (form.get('grant_type') !== 'client_credentials') {
    return entraError(
      400,
      'unsupported_grant_type',
      70003,
      'The app requested an unsupported grant type.'
    )
  }
  const app = sim.apps.find(a => a.clientId === clientId)
  if (!app) {
    return entraError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`
    )
  }
  const secret = form.get('client_secret')
  const assertion =
    form.get('client_assertion_type') === JWT_BEARER ? form.get('client_assertion') : null
  if (!secret && !assertion) {
    return entraError(
      401,
      'invalid_client',
      7000216,
      "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type."
    )
  }
  if (secret && secret !== app.secret) {
    return entraError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`
    )
  }
  if (assertion) {
    const tokenUrl = `${sim.url}${path.split('?')[0]}`
    const refused = checkAssertion(sim, app, assertion, tokenUrl)
    if (refused) return refused
  }
  const scope = form.get('scope')
  // The simulator's own URL, as a client pointed at it asks, or Graph's real
  // resource, as a script written for the real Entra asks.
  if (scope !== `${sim.url}/.default` && scope !== GRAPH_SCOPE) {
    return entraError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`
    )
  }
  const accessToken = fakeJwt({ appid: clientId, roles: app.roles, tid: DEFAULTS.tenantId })
  sim.tokens.set(accessToken, {
    app,
    expiresAt: Date.now() + sim.tokenLifetimeSeconds * 1000
  })
  return {
    status: 200,
    body: {
      token_type: 'Bearer',
      expires_in: sim.tokenLifetimeSeconds,
      ext_expires_in: sim.tokenLifetimeSeconds,
      access_token: accessToken
    }
  }
}

/**
 * Checks a client assertion as Entra does: a GitHub ID token against the app's
 * federated credentials, or a certificate-signed JWT against its certificates.
 * @param {Simulator} sim
 * @param {App} app
 * @param {string} assertion
 * @param {string} tokenUrl
 * @returns {ScriptedResponse | undefined} the error to answer, if any
 */
export function checkAssertion(sim, app, assertion, tokenUrl) {
  const [headerPart, payloadPart, signaturePart] = assertion.split('.')
  const header = decodeJwtPart(headerPart)
  const claims = decodeJwtPart(payloadPart)
  const now = Math.floor(Date.now() / 1000)
  if (!header || !claims || !signaturePart) {
    return entraError(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.')
  }
  if (claims.iss === DEFAULTS.oidcIssuer) {
    // Only what the ID-token endpoint issued is genuine.
    if (!sim.idTokens.has(assertion)) {
      return entraError(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.')
    }
    if (Number(claims.exp) <= now) {
      return entraError(
        400,
        'invalid_client',
        700024,
        'Client assertion is not within its valid time range.'
      )
    }
    return federationRefusal(app.federated ?? [], claims)
  }
  // A token from another issuer (GitLab, Azure DevOps, Kubernetes...): not a
  // certificate's assertion, which names its key (x5t) and has the app as issuer.
  if (!header['x5t#S256'] && !header.x5t && claims.iss !== app.clientId) {
    return foreignTokenRefusal(app, claims)
  }
  const certificate = (app.certificates ?? [])
    .map(pem => new X509Certificate(pem))
    .find(cert => createHash('sha256').update(cert.raw).digest('base64url') === header['x5t#S256'])
  if (!certificate) {
    return entraError(
      401,
      'invalid_client',
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${header['x5t#S256']}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.]`
    )
  }
  const signed = Buffer.from(`${headerPart}.${payloadPart}`)
  const signature = Buffer.from(signaturePart, 'base64url')
  const valid =
    header.alg === 'PS256'
      ? verify(
          'sha256',
          signed,
          {
            key: certificate.publicKey,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: constants.RSA_PSS_SALTLEN_DIGEST
          },
          signature
        )
      : header.alg === 'RS256' && verify('sha256', signed, certificate.publicKey, signature)
  if (!valid) {
    return entraError(
      401,
      'invalid_client',
      700027,
      'Client assertion failed signature validation.'
    )
  }
  const problems = [
    claims.aud !== tokenUrl && `aud '${claims.aud}' is not '${tokenUrl}'`,
    (claims.iss !== app.clientId || claims.sub !== app.clientId) &&
      'iss and sub must be the client ID',
    !(Number(claims.exp) > now) && 'it has expired',
    !(Number(claims.nbf) <= now + 60) && 'it is not valid yet',
    !(Number(claims.exp) - Number(claims.nbf) <= 600) && 'it lives longer than 10 minutes',
    (typeof claims.jti !== 'string' || sim.assertionIds.has(claims.jti)) &&
      'its jti is missing or reused'
  ].filter(Boolean)
  if (problems.length > 0) {
    return entraError(
      401,
      'invalid_client',
      700027,
      `Client assertion is not valid: ${problems.join('; ')}.`
    )
  }
  sim.assertionIds.add(String(claims.jti))
  return undefined
}

/**
 * A federated token from an issuer other than the simulated GitHub: Entra looks
 * for a federated credential of the app with that issuer (AADSTS700211 when
 * none), then with its subject and audience. It would then verify the token
 * with the issuer's published keys, which a loopback simulator cannot fetch:
 * a token whose issuer, subject and audience match is taken on trust.
 * @param {App} app
 * @param {Record<string, any>} claims
 * @returns {ScriptedResponse | undefined}
 */
function foreignTokenRefusal(app, claims) {
  const federated = (app.federated ?? []).filter(f => f.issuer === claims.iss)
  if (federated.length === 0) {
    return entraError(
      401,
      'invalid_client',
      700211,
      `No matching federated identity record found for presented assertion issuer '${claims.iss}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`
    )
  }
  if (!(Number(claims.exp) > Math.floor(Date.now() / 1000))) {
    return entraError(
      400,
      'invalid_client',
      700024,
      'Client assertion is not within its valid time range.'
    )
  }
  return federationRefusal(federated, claims)
}

/**
 * The federated credential for the token's subject and audience, among those
 * of its issuer: AADSTS700213 for no subject, 700212 for no audience.
 * @param {{ issuer: string, subject: string, audience: string }[]} federated
 * @param {Record<string, any>} claims
 * @returns {ScriptedResponse | undefined}
 */
function federationRefusal(federated, claims) {
  if (!federated.some(f => f.subject === claims.sub)) {
    return entraError(
      400,
      'invalid_request',
      700213,
      `No matching federated identity record found for presented assertion subject '${claims.sub}'. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`
    )
  }
  if (!federated.some(f => f.subject === claims.sub && f.audience === claims.aud)) {
    return entraError(
      400,
      'invalid_request',
      700212,
      `No matching federated identity record found for presented assertion audience '${claims.aud}'.`
    )
  }
  return undefined
}

/**
 * An Entra error body, shaped as the v2.0 endpoint sends it.
 * @param {number} status
 * @param {string} error
 * @param {number} code
 * @param {string} text
 * @returns {ScriptedResponse}
 */
export function entraError(status, error, code, text) {
  const traceId = randomUUID()
  const correlationId = randomUUID()
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')
  return {
    status,
    headers: { 'x-ms-request-id': traceId },
    body: {
      error,
      error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`
    }
  }
}

/**
 * @param {string | undefined} part
 * @returns {Record<string, any> | undefined}
 */
function decodeJwtPart(part) {
  try {
    const value = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'))
    return value && typeof value === 'object' ? value : undefined
  } catch {
    return undefined
  }
}

/** @param {object} claims */
function fakeJwt(claims) {
  const part = (/** @type {object} */ value) =>
    Buffer.from(JSON.stringify(value)).toString('base64url')
  return [
    part({ typ: 'JWT', alg: 'RS256', kid: 'simulator' }),
    part({ aud: 'https://graph.microsoft.com', iss: 'simulator', ...claims, jti: randomUUID() }),
    randomBytes(64).toString('base64url')
  ].join('.')
}
