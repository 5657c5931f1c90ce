// How the app proves who it is in a token request: a client secret, a
// certificate (a signed client assertion), or GitHub's OIDC ID token
// (workload identity federation).
import * as core from '@actions/core'
import {
  X509Certificate,
  constants,
  createHash,
  createPrivateKey,
  randomUUID,
  sign
} from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { ActionError, InputError, TransientError } from './errors.js'
import { headerValue, parseJsonObject } from './http.js'
import { isTransientStatus, parseRetryAfter } from './retry.js'
import type { Transport } from './http.js'

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
// Entra takes assertions that live at most 10 minutes; 5 is plenty for one request.
const ASSERTION_LIFETIME_S = 300

export interface ParsedCertificate {
  key: KeyObject
  /** x5t#S256: base64url SHA-256 of the certificate's DER. */
  thumbprint: string
  /** The lines of the private key block, to mask one by one. */
  keyLines: string[]
}

export type CredentialSettings =
  | { kind: 'secret'; secret: string }
  | { kind: 'certificate'; certificate: ParsedCertificate }
  | { kind: 'oidc'; audience: string; requestUrl: string; requestToken: string }

export interface ClientCredential {
  /** The form fields that prove the app's identity in one token request. */
  fields(tokenUrl: string): Promise<Record<string, string>>
  /** A hint for an AADSTS code that only this credential can give. */
  hint(code: string): string | undefined
}

/**
 * Parses PEM text holding an RSA private key and its certificate, as
 * `az login --certificate` takes it. Throws an InputError naming the input.
 */
export function parseCertificate(pem: string, now: Date = new Date()): ParsedCertificate {
  const invalid = (what: string): InputError =>
    new InputError(
      `Input 'client-certificate' ${what}. It must be PEM text with the unencrypted private key ` +
        '(-----BEGIN PRIVATE KEY-----) and its certificate (-----BEGIN CERTIFICATE-----).'
    )
  const readOr = <T>(what: string, read: () => T): T => {
    try {
      return read()
    } catch {
      throw invalid(what)
    }
  }
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem))
    throw invalid('holds an encrypted private key')
  const keyBlock = /-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+?-----END \1?PRIVATE KEY-----/.exec(
    pem
  )?.[0]
  if (!keyBlock) throw invalid('has no private key')
  const certBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0]
  if (!certBlock) throw invalid('has no certificate')

  const key = readOr('has a private key that cannot be read', () => createPrivateKey(keyBlock))
  const certificate = readOr(
    'has a certificate that cannot be read',
    () => new X509Certificate(certBlock)
  )
  if (key.asymmetricKeyType !== 'rsa') {
    throw invalid(`has a ${key.asymmetricKeyType} key; Entra needs RSA`)
  }
  if (!certificate.checkPrivateKey(key)) {
    throw invalid('has a private key that does not match its certificate')
  }
  if (new Date(certificate.validTo) < now) {
    throw invalid(`has a certificate that expired on ${certificate.validTo}`)
  }
  return {
    key,
    thumbprint: createHash('sha256').update(certificate.raw).digest('base64url'),
    keyLines: keyBlock.split(/\r?\n/).filter(line => line && !line.startsWith('-----'))
  }
}

export function createCredential(
  settings: CredentialSettings,
  clientId: string,
  /** Makes the transport to the runner's ID-token endpoint; only OIDC needs one. */
  runner: (origin: string) => Transport,
  deadline: number
): ClientCredential {
  switch (settings.kind) {
    case 'secret':
      return { fields: async () => ({ client_secret: settings.secret }), hint: () => undefined }
    case 'certificate':
      return certificateCredential(settings.certificate, clientId)
    case 'oidc':
      return new GitHubOidcCredential(settings, runner(settings.requestUrl), deadline)
  }
}

function certificateCredential(certificate: ParsedCertificate, clientId: string): ClientCredential {
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
      core.setSecret(assertion)
      return { client_assertion_type: JWT_BEARER, client_assertion: assertion }
    },
    hint: code =>
      code === '700027'
        ? "Check client-certificate: upload its certificate (the public part) to the app's " +
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

  constructor(
    private readonly settings: { audience: string; requestUrl: string; requestToken: string },
    private readonly runner: Transport,
    private readonly deadline: number
  ) {}

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
      },
      deadline: this.deadline
    })
    const body = parseJsonObject(response.body)
    const idToken = typeof body?.value === 'string' ? body.value : ''
    if (idToken) core.setSecret(idToken)
    if (isTransientStatus(response.status)) {
      throw new TransientError(
        `GitHub's OIDC token endpoint answered HTTP ${response.status}.`,
        parseRetryAfter(headerValue(response, 'retry-after'))
      )
    }
    if (response.status !== 200 || !idToken) {
      throw new ActionError(
        `Could not get a GitHub OIDC token (HTTP ${response.status}). Check that the job has ` +
          '`permissions: id-token: write`, or set client-secret or client-certificate.'
      )
    }
    this.claims =
      parseJsonObject(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString()) ?? {}
    core.debug(`GitHub OIDC token: ${this.describeClaims()}`)
    return { client_assertion_type: JWT_BEARER, client_assertion: idToken }
  }

  hint(code: string): string | undefined {
    if (!['700211', '700212', '700213', '70021'].includes(code)) return undefined
    return (
      `GitHub's ID token has ${this.describeClaims()}. Add a federated credential to the app ` +
      '(Certificates & secrets → Federated credentials) with exactly this issuer, subject and ' +
      'audience; the subject depends on the trigger (branch, tag, environment or pull request).'
    )
  }

  // Not secret: Azure/login prints them too, and they are what the federated credential must match.
  private describeClaims(): string {
    const { iss, sub, aud } = this.claims
    return `issuer '${String(iss)}', subject '${String(sub)}' and audience '${String(aud)}'`
  }
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}
