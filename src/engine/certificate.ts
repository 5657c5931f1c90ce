// Reads the client-certificate input: PEM text holding an RSA private key and
// its certificate, as `az login --certificate` takes it.
import { X509Certificate, createHash, createPrivateKey } from 'node:crypto'
import { InputError } from './errors.js'
import type { ParsedCertificate } from './model.js'

/**
 * Throws an InputError naming the setting (`named`, as the front door says it)
 * when the PEM cannot sign a client assertion.
 */
export function parseCertificate(
  pem: string,
  { named = "Input 'client-certificate'", now = new Date() }: { named?: string; now?: Date } = {}
): ParsedCertificate {
  const invalid = (what: string): InputError =>
    new InputError(
      `${named} ${what}. It must be PEM text with the unencrypted private key ` +
        '(-----BEGIN PRIVATE KEY-----) and its certificate (-----BEGIN CERTIFICATE-----).'
    )
  const readOr = <T>(what: string, read: () => T): T => {
    try {
      return read()
    } catch {
      throw invalid(what)
    }
  }
  // A password would be one more secret to handle: decrypting once is safer and simpler.
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem)) {
    throw invalid(
      'holds an encrypted private key, and no password is taken: decrypt it once with ' +
        '`openssl pkey -in key.pem -out key-plain.pem` and store the result as the secret'
    )
  }
  // A .pfx stored in a secret as base64 (`base64 cert.pfx`): DER starts with MII.
  if (!pem.includes('-----BEGIN') && /^MII[A-Za-z0-9+/=\s]+$/.test(pem)) {
    throw invalid(
      'looks like a base64 PKCS#12 (.pfx) file, not PEM text: convert it once with ' +
        '`base64 -d cert.b64 > cert.pfx && openssl pkcs12 -in cert.pfx -out cert.pem -nodes` ' +
        '(add -legacy for a file older tools made) and store cert.pem as the secret'
    )
  }
  const keyBlock = /-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+?-----END \1PRIVATE KEY-----/.exec(
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
    throw invalid(`has a key of type ${key.asymmetricKeyType}, but Entra needs RSA`)
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
    // Between the BEGIN and END lines (OpenSSL refuses a key with blank lines in it).
    keyLines: keyBlock.split(/\r?\n/).slice(1, -1)
  }
}
