// The simulated tenant, app and connection that tests and the demo use.
export const DEFAULTS = Object.freeze({
  tenantId: '11111111-2222-3333-4444-555555555555',
  tenantDomain: 'contoso.onmicrosoft.com',
  clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  clientSecret: 'sim~Secret.Value-0123456789abcdefghij',
  connectionId: 'contosohr',
  roles: ['ExternalConnection.ReadWrite.OwnedBy'],
  /** The subject GitHub puts in a push-to-main workflow's ID token. */
  oidcSubject: 'repo:contoso/connectors:ref:refs/heads/main',
  oidcIssuer: 'https://token.actions.githubusercontent.com'
})

/** The client-assertion type of the OAuth JWT bearer profile. */
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
