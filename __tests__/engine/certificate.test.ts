// The client-certificate input: what a usable PEM is, and how each bad one is refused.
import { describe, expect, it } from '@jest/globals'
import { X509Certificate, createHash, createPrivateKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parseCertificate } from '../../src/engine/certificate.js'
import { inputErrorOf } from '../helpers/input-error.js'

const PEM = readFileSync(new URL('../fixtures/app.pem', import.meta.url), 'utf8')
const OTHER_PEM = readFileSync(new URL('../fixtures/other.pem', import.meta.url), 'utf8')
const EC_PEM = readFileSync(new URL('../fixtures/ec.pem', import.meta.url), 'utf8')
const keyOnly = PEM.slice(0, PEM.indexOf('-----BEGIN CERTIFICATE-----'))
const certOnly = PEM.slice(PEM.indexOf('-----BEGIN CERTIFICATE-----'))
const otherCert = OTHER_PEM.slice(OTHER_PEM.indexOf('-----BEGIN CERTIFICATE-----'))

function errorOf(pem: string, now?: Date): string {
  return inputErrorOf(() => parseCertificate(pem, { now }))
}

describe('parseCertificate', () => {
  it('reads the key, the SHA-256 thumbprint and the key lines to mask', () => {
    const certificate = parseCertificate(PEM)
    const der = new X509Certificate(certOnly).raw
    expect(certificate.thumbprint).toBe(createHash('sha256').update(der).digest('base64url'))
    expect(certificate.key.asymmetricKeyType).toBe('rsa')
    const body = keyOnly.split('\n').filter(line => line && !line.startsWith('-----'))
    expect(certificate.keyLines).toEqual(body)
  })

  it('reads a PKCS#1 key (BEGIN RSA PRIVATE KEY) too', () => {
    const pkcs1 = createPrivateKey(keyOnly).export({ type: 'pkcs1', format: 'pem' }).toString()
    expect(pkcs1).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/)
    const certificate = parseCertificate(pkcs1 + certOnly)
    expect(certificate.thumbprint).toBe(parseCertificate(PEM).thumbprint)
    expect(certificate.keyLines).toEqual(pkcs1.trim().split('\n').slice(1, -1))
    expect(certificate.keyLines.length).toBeGreaterThan(10)
  })

  it('refuses a key block whose END line does not match its BEGIN line', () => {
    const pkcs1 = createPrivateKey(keyOnly).export({ type: 'pkcs1', format: 'pem' }).toString()
    const mismatched = pkcs1.replace('END RSA PRIVATE KEY', 'END PRIVATE KEY')
    expect(errorOf(mismatched + certOnly)).toMatch(
      /^Input 'client-certificate' has no private key\./
    )
  })

  it('takes the certificate before the key, and CRLF line ends', () => {
    const certificate = parseCertificate((certOnly + keyOnly).replace(/\n/g, '\r\n'))
    expect(certificate.keyLines.every(line => !line.includes('\r'))).toBe(true)
    expect(certificate.keyLines.length).toBeGreaterThan(20)
  })

  it.each([
    ['without a private key', certOnly, 'has no private key'],
    ['without a certificate', keyOnly, 'has no certificate'],
    [
      'with an encrypted key',
      '-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n',
      'holds an encrypted private key, and no password is taken: decrypt it once with ' +
        '`openssl pkey -in key.pem -out key-plain.pem` and store the result as the secret'
    ],
    [
      'with an encrypted PKCS#1 key',
      '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nx\n-----END RSA PRIVATE KEY-----\n',
      'holds an encrypted private key, and no password is taken: decrypt it once with ' +
        '`openssl pkey -in key.pem -out key-plain.pem` and store the result as the secret'
    ],
    [
      'that is a base64 PKCS#12 file',
      'MIIKcQIBAzCCCjcGCSqGSIb3DQEHAaCCCigEggokMIIKIDCCBNcGCSqGSIb3\nDQEHBqCCBMgwggTE',
      'looks like a base64 PKCS#12 (.pfx) file, not PEM text: convert it once with ' +
        '`base64 -d cert.b64 > cert.pfx && openssl pkcs12 -in cert.pfx -out cert.pem -nodes` ' +
        '(add -legacy for a file older tools made) and store cert.pem as the secret'
    ],
    // Only base64 from its first character to its last is a .pfx: anything else is no PEM.
    ['that is other text', 'not a certificate', 'has no private key'],
    ['that has text before base64', 'cert: MIIKcQIBAzCCCjcG', 'has no private key'],
    ['that has text after base64', 'MIIKcQIBAzCCCjcG (the pfx)', 'has no private key'],
    [
      'with a key of another certificate',
      keyOnly + otherCert,
      'has a private key that does not match its certificate'
    ],
    ['with an EC key', EC_PEM, 'has a key of type ec, but Entra needs RSA'],
    [
      'with garbage in the key',
      keyOnly.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!') + certOnly,
      'has a private key that cannot be read'
    ],
    [
      'with garbage in the certificate',
      keyOnly + certOnly.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!'),
      'has a certificate that cannot be read'
    ]
  ])('refuses a PEM %s, naming the input and the format', (_name, pem, reason) => {
    expect(errorOf(pem)).toBe(
      `Input 'client-certificate' ${reason}. It must be PEM text with the unencrypted private key ` +
        '(-----BEGIN PRIVATE KEY-----) and its certificate (-----BEGIN CERTIFICATE-----).'
    )
  })

  it('refuses a certificate that has expired, by the date it is given', () => {
    const validTo = new X509Certificate(certOnly).validTo
    const afterExpiry = new Date(Date.parse(validTo) + 1000)
    expect(errorOf(PEM, afterExpiry)).toMatch(
      /^Input 'client-certificate' has a certificate that expired on /
    )
    expect(errorOf(PEM, afterExpiry)).toContain(validTo)
    // The moment it expires is still valid; a second before, too.
    expect(() => parseCertificate(PEM, { now: new Date(Date.parse(validTo)) })).not.toThrow()
  })
})
