// A Transport that answers from a script, for client tests without a network.
import type { HttpRequest, HttpResponse, Transport } from '../../src/engine/http.js'

export type FakeAnswer = Partial<HttpResponse> & { body?: string }

export interface FakeTransport extends Transport {
  /** Every request, in order. */
  requests: HttpRequest[]
}

/**
 * Answers each request with `answer(request)`: 200 with an empty body, with
 * whatever the answer sets on top. `onRequest` runs first (to move a fake clock).
 */
export function fakeTransport(
  answer: (request: HttpRequest) => FakeAnswer,
  onRequest: () => void = () => undefined
): FakeTransport {
  const requests: HttpRequest[] = []
  return {
    requests,
    request: async (req: HttpRequest): Promise<HttpResponse> => {
      requests.push(req)
      onRequest()
      return { status: 200, headers: {}, body: '', ...answer(req) }
    }
  }
}

/** Answers from a list in order; a 500 once it runs out. */
export function scriptedTransport(answers: FakeAnswer[], onRequest?: () => void): FakeTransport {
  return fakeTransport(() => answers.shift() ?? { status: 500 }, onRequest)
}
