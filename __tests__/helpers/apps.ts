// The simulated app that the sign-in tests share: it trusts the app.pem
// certificate and GitHub's ID token for the default subject, with the default roles.
import { readFileSync } from 'node:fs'
import { DEFAULTS } from '../../simulator/simulator.js'
import type { App } from '../../simulator/simulator.js'

export const APP_PEM_PATH = new URL('../fixtures/app.pem', import.meta.url).pathname
export const APP_PEM = readFileSync(APP_PEM_PATH, 'utf8')

/** The certificate part of a PEM: what an app registration holds. */
export const certificateOf = (pem: string): string =>
  pem.slice(pem.indexOf('-----BEGIN CERTIFICATE-----'))

/** The default app with a certificate and a federated credential, plus what `more` adds. */
export function appWithEveryCredential(more: Partial<App> = {}): App {
  return {
    clientId: DEFAULTS.clientId,
    certificates: [certificateOf(APP_PEM)],
    federated: [
      {
        issuer: DEFAULTS.oidcIssuer,
        subject: DEFAULTS.oidcSubject,
        audience: 'api://AzureADTokenExchange'
      }
    ],
    roles: [...DEFAULTS.roles],
    ...more
  }
}
