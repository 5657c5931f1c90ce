// How the app proves who it is in a token request: a client secret, a
// certificate (a signed client assertion), or a federated ID token (workload
// identity federation): GitHub's, or one another platform writes to a file.
// Each credential owns its form fields, the masking of what it holds, and the
// hints for the AADSTS codes only it can explain.
import { constants, randomUUID, sign } from 'node:crypto'
import { FileProblem, readSmallFile } from './files.js'
import { ACTION_VOICE } from './model.js'
import type { CredentialSettings, ParsedCertificate, Voice } from './model.js'
import { ActionError } from './errors.js'
import { isTransientStatus, transientAnswer } from './http.js'
import type { Transport } from './http.js'
import { parseJsonObject, stringField } from './json.js'
import type { Log } from './log.js'
import { inert } from './text.js'

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
// Entra takes assertions that live at most 10 minutes; 5 is plenty for one request.
const ASSERTION_LIFETIME_S = 300

export interface ClientCredential {
  /** The form fields that prove the app's identity in one token request. */
  fields(tokenUrl: string): Promise<Record<string, string>>
  /** A hint for an AADSTS code that only this credential can give. */
  hint(code: string): string | undefined
}

export interface CredentialContext {
  clientId: string
  log: Pick<Log, 'debug' | 'secret'>
  /** Makes the transport to the runner's ID-token endpoint; only OIDC needs one. */
  runner: (origin: string) => Transport
  /** How hints name the settings (the action's inputs when not given). */
  voice?: Voice
}

/** The credential for these settings, with everything it holds already masked. */
export function createCredential(
  settings: CredentialSettings,
  context: CredentialContext
): ClientCredential {
  switch (settings.kind) {
    case 'secret':
      return secretCredential(settings.secret, context)
    case 'certificate':
      return certificateCredential(settings.certificate, context)
    case 'oidc':
      return new GitHubOidcCredential(settings, context)
    case 'tokenFile':
      return new TokenFileCredential(settings.path, context)
  }
}

function secretHints(voice: Voice): Record<string, string> {
  return {
    '7000215': `Check ${voice.name('client-secret')}: use the secret's Value, not its Secret ID.`,
    '7000222': 'The client secret has expired: create a new one and update the workflow secret.'
  }
}

function secretCredential(
  secret: string,
  { log, voice = ACTION_VOICE }: CredentialContext
): ClientCredential {
  log.secret(secret)
  const hints = secretHints(voice)
  return {
    fields: async () => ({ client_secret: secret }),
    hint: code => (Object.hasOwn(hints, code) ? hints[code] : undefined)
  }
}

function certificateCredential(
  certificate: ParsedCertificate,
  { clientId, log, voice = ACTION_VOICE }: CredentialContext
): ClientCredential {
  // The runner masks line by line, so each line of the key is masked on its own.
  for (const line of certificate.keyLines) log.secret(line)
  return {
    // A new assertion for every token request: fresh jti and times.
    fields: async tokenUrl => {
      const now = Math.floor(Date.now() / 1000)
      const header = { alg: 'PS256', typ: 'JWT', 'x5t#S256': certificate.thumbprint }
      const claims = {
        aud: tokenUrl,
        iss: clientId,
        sub: clientId,
        jti: randomUUID(),
        nbf: now,
        iat: now,
        exp: now + ASSERTION_LIFETIME_S
      }
      const signed = `${base64url(header)}.${base64url(claims)}`
      const signature = sign('sha256', Buffer.from(signed), {
        key: certificate.key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_DIGEST
      })
      const assertion = `${signed}.${signature.toString('base64url')}`
      log.secret(assertion)
      return { client_assertion_type: JWT_BEARER, client_assertion: assertion }
    },
    hint: code =>
      code === '700027'
        ? `Check ${voice.name('client-certificate')}: upload its certificate (the public part) to the app's ` +
          'Certificates & secrets, and make sure it is the one whose private key the secret holds.'
        : undefined
  }
}

/**
 * GitHub OIDC: the runner's ID token is the client assertion. The ID token is
 * fetched here (the protocol core.getIDToken uses: GET the request URL with
 * &audience=, bearer request token, JSON { value }) rather than through
 * core.getIDToken, so that the request obeys the step's deadline, cancellation
 * and retry policy, and its socket closes with the others.
 */
class GitHubOidcCredential implements ClientCredential {
  private claims: Record<string, unknown> = {}
  private readonly runner: Transport
  private readonly log: CredentialContext['log']
  private readonly voice: Voice

  constructor(
    private readonly settings: { audience: string; requestUrl: string; requestToken: string },
    context: CredentialContext
  ) {
    this.log = context.log
    this.voice = context.voice ?? ACTION_VOICE
    this.log.secret(settings.requestToken)
    this.runner = context.runner(settings.requestUrl)
  }

  // A fresh ID token for every exchange: they live about 5 minutes.
  async fields(): Promise<Record<string, string>> {
    const url = new URL(this.settings.requestUrl)
    url.searchParams.set('audience', this.settings.audience)
    const response = await this.runner.request({
      method: 'GET',
      url,
      headers: {
        authorization: `Bearer ${this.settings.requestToken}`,
        accept: 'application/json'
      }
    })
    const idToken = stringField(parseJsonObject(response.body), 'value')
    if (idToken) this.log.secret(idToken)
    if (isTransientStatus(response.status)) {
      throw transientAnswer(
        response,
        `GitHub's OIDC token endpoint answered HTTP ${response.status}.`
      )
    }
    if (response.status !== 200 || !idToken) {
      throw new ActionError(
        `Could not get a GitHub OIDC token (HTTP ${response.status}). Check that the job has ` +
          '`permissions: id-token: write`, or set ' +
          `${this.voice.name('client-secret')} or ${this.voice.name('client-certificate')}.`,
        'OidcTokenFailed'
      )
    }
    this.claims = claimsOf(idToken)
    this.log.debug(`GitHub OIDC token: ${describeClaims(this.claims)}`)
    return { client_assertion_type: JWT_BEARER, client_assertion: idToken }
  }

  hint(code: string): string | undefined {
    return federationHint(
      code,
      `GitHub's ID token has ${describeClaims(this.claims)}`,
      '; the subject depends on the trigger (branch, tag, environment or pull request)'
    )
  }
}

/** The largest federated token file read: an ID token is a JWT of 1 or 2 KB. */
export const MAX_TOKEN_FILE_BYTES = 64 * 1024
const JWT = /^[\w-]+\.[\w-]+\.[\w-]*$/

/**
 * A federated ID token that another platform (Azure Pipelines, GitLab,
 * Kubernetes) writes to a file, as the Azure SDKs' AZURE_FEDERATED_TOKEN_FILE.
 * The file is read again for every sign-in: platforms rotate the token in place.
 */
class TokenFileCredential implements ClientCredential {
  private claims: Record<string, unknown> = {}
  private readonly log: CredentialContext['log']

  constructor(
    private readonly path: string,
    context: CredentialContext
  ) {
    this.log = context.log
  }

  async fields(): Promise<Record<string, string>> {
    const token = readTokenFile(this.path, this.log)
    this.claims = claimsOf(token)
    this.log.debug(`Federated token: ${describeClaims(this.claims)}`)
    return { client_assertion_type: JWT_BEARER, client_assertion: token }
  }

  hint(code: string): string | undefined {
    if (code === '700024' && typeof this.claims.exp === 'number') {
      return (
        `The federated token in the file expired at ${new Date(this.claims.exp * 1000).toISOString()}: ` +
        'write a fresh one to the file before it expires (it is read again for every sign-in).'
      )
    }
    return federationHint(code, `The federated token has ${describeClaims(this.claims)}`)
  }
}

/**
 * The token in a federated token file, trimmed and masked at once. Throws an
 * ActionError saying what is wrong with the file (it names no variable: the
 * front door knows where the path came from).
 */
export function readTokenFile(path: string, log: Pick<Log, 'secret'>): string {
  const problem = (what: string): ActionError =>
    new ActionError(`The federated token file '${inert(path, 300)}' ${what}.`, 'InvalidTokenFile')
  let text: string
  try {
    text = readSmallFile(path, MAX_TOKEN_FILE_BYTES)
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error
    throw problem(
      error.tooLarge
        ? `${error.reason}; an ID token is a few KB (at most 64 KiB is read)`
        : error.reason
    )
  }
  const token = text.trim()
  if (!token) throw problem('is empty')
  log.secret(token)
  // Not quoted: whatever the file holds may be a secret.
  if (!JWT.test(token)) throw problem('does not hold a JWT (three base64url parts joined by dots)')
  return token
}

/** The claims of a JWT, unverified: only to explain a refusal. */
function claimsOf(jwt: string): Record<string, unknown> {
  return parseJsonObject(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) ?? {}
}

// Not secret: Azure/login prints them too, and they are what the federated credential must match.
function describeClaims(claims: Record<string, unknown>): string {
  const claim = (name: string): string => inert(String(claims[name]), 300)
  return `issuer '${claim('iss')}', subject '${claim('sub')}' and audience '${claim('aud')}'`
}

/** For the AADSTS codes of a federated token no federated credential matches. */
function federationHint(code: string, whose: string, more = ''): string | undefined {
  if (!['700211', '700212', '700213', '70021'].includes(code)) return undefined
  return (
    `${whose}. Add a federated credential to the app (Certificates & secrets → Federated ` +
    `credentials) with exactly this issuer, subject and audience${more}.`
  )
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}
