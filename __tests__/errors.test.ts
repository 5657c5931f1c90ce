// The messages users read when Entra or Graph says no.
import { describe, expect, it } from '@jest/globals'
import { graphError } from '../src/graph.js'
import type { HttpResponse } from '../src/http.js'
import { entraError } from '../src/token.js'

function response(status: number, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, body: '' }
}

describe('entraError', () => {
  const body = {
    error: 'invalid_client',
    error_description:
      "AADSTS7000222: The provided client secret keys for app 'x' are expired.\r\n" +
      'Trace ID: 0f1e\r\nCorrelation ID: 9a8b\r\nTimestamp: 2026-11-28 10:00:00Z',
    error_codes: [7000222],
    trace_id: '0f1e',
    correlation_id: '9a8b'
  }

  it('keeps the first line of the description, the IDs and the hint', () => {
    expect(entraError(response(401), body).message).toBe(
      "Sign-in to Microsoft Entra ID failed: AADSTS7000222: The provided client secret keys for app 'x' are expired. " +
        '(HTTP 401, error invalid_client, correlation ID 9a8b, trace ID 0f1e). ' +
        'The client secret has expired: create a new one and update the workflow secret.'
    )
  })

  it('takes the code from error_codes when the description has none', () => {
    const message = entraError(response(400), {
      error: 'invalid_request',
      error_description: 'Tenant not found.',
      error_codes: [90002]
    }).message
    expect(message).toContain('Tenant not found. (HTTP 400, error invalid_request)')
    expect(message).toContain('Check tenant-id')
  })

  it('gives no hint for a code it does not know', () => {
    const message = entraError(response(400), {
      error: 'invalid_request',
      error_description: 'AADSTS12345: Something new.'
    }).message
    expect(message).toBe(
      'Sign-in to Microsoft Entra ID failed: AADSTS12345: Something new. (HTTP 400, error invalid_request).'
    )
  })

  it('explains a response that is not an OAuth error, such as a proxy page', () => {
    expect(entraError(response(502, { 'x-ms-request-id': 'r1' }), undefined).message).toBe(
      'Sign-in to Microsoft Entra ID failed: HTTP 502 without an OAuth error (request ID r1). ' +
        'Check authority-url and cloud.'
    )
  })
})

describe('graphError', () => {
  const ref = { connectionId: 'contosohr', operationId: 'op1' }
  const body = (code: string, message: string) => ({
    error: { code, message, innerError: { 'request-id': 'inner-id' } }
  })

  it('prefers the request-id header and names both IDs on 404', () => {
    const message = graphError(
      response(404, { 'request-id': 'hdr-id' }),
      body('ItemNotFound', 'Gone.'),
      ref
    ).message
    expect(message).toMatch(
      /^Graph found no operation 'op1' on connection 'contosohr' \(HTTP 404, code ItemNotFound, request-id hdr-id\): Gone\. Check operation-id/
    )
  })

  it('names the connection when it is the connection that is missing', () => {
    const message = graphError(response(404), body('ItemNotFound', 'No.'), {
      connectionId: 'contosohr'
    }).message
    expect(message).toMatch(
      /^Graph found no connection 'contosohr' \(HTTP 404, code ItemNotFound, request-id inner-id\): No\. Check connection-id/
    )
  })

  it('falls back to innerError request-id and names the permissions on 403', () => {
    const message = graphError(response(403), body('Forbidden', 'Missing role.'), ref).message
    expect(message).toContain('(HTTP 403, code Forbidden, request-id inner-id): Missing role.')
    expect(message).toContain('ExternalConnection.ReadWrite.OwnedBy')
    expect(message).toContain('ExternalConnection.Read.All')
  })

  it('describes other statuses, even without a JSON body', () => {
    expect(graphError(response(502), undefined, ref).message).toBe(
      "Graph request for operation 'op1' of connection 'contosohr' failed (HTTP 502, request-id none)."
    )
  })

  it('points at the token on 401', () => {
    const message = graphError(
      response(401),
      body('InvalidAuthenticationToken', 'Expired.'),
      ref
    ).message
    expect(message).toContain('Graph rejected the access token')
    expect(message).toContain('Expired.')
  })
})
