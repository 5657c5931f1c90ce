// Everything a run talks to, built once from the settings: the transports (one
// per host), the credential, the token source and the Graph client, all under
// one budget and one retry policy.
import type { Budget } from './budget.js'
import { createCredential } from './credentials.js'
import { GraphClient } from './graph.js'
import { HttpTransport, MIN_REQUEST_GAP_MS } from './http.js'
import type { Log } from './log.js'
import { retryLine } from './progress.js'
import type { OnProgress } from './progress.js'
import { withRetries } from './retry.js'
import type { Retry } from './retry.js'
import { MIN_POLL_INTERVAL_MS } from './settings.js'
import type { Settings, SignIn } from './model.js'
import { TokenSource } from './token.js'

export const USER_AGENT = 'wait-for-graph-connector-operation'

/** A Graph client that signs in as `signIn` says, under this budget. */
export function openSession(
  signIn: SignIn,
  settings: Pick<Settings, 'graphUrl' | 'authorityUrl' | 'apiVersion' | 'pollIntervalMs' | 'voice'>,
  log: Log,
  budget: Budget,
  onProgress: OnProgress = () => {}
): GraphClient {
  // Half a second between requests to a host; less only for a loopback host
  // polled faster than once a second (settings allow that for the simulator
  // alone), so that its polls stay on time.
  const { pollIntervalMs } = settings
  const minGapMs =
    pollIntervalMs === 'auto' || pollIntervalMs >= MIN_POLL_INTERVAL_MS
      ? MIN_REQUEST_GAP_MS
      : pollIntervalMs / 2
  const transport = (origin: string): HttpTransport =>
    new HttpTransport(origin, { userAgent: USER_AGENT, budget, minGapMs, voice: settings.voice })
  const retry: Retry = attempt =>
    withRetries(attempt, {
      budget,
      onRetry: (error, delayMs, n) => {
        onProgress({ kind: 'retry', retry: n, delayMs, reason: error.message })
        log.info(retryLine(error, delayMs, n))
      }
    })
  const credential = createCredential(signIn.credential, {
    clientId: signIn.clientId,
    voice: settings.voice,
    log,
    runner: transport
  })
  const tokens = new TokenSource({
    entra: transport(settings.authorityUrl),
    credential,
    settings: { ...signIn, ...settings },
    retry,
    budget,
    log
  })
  return new GraphClient({
    transport: transport(settings.graphUrl),
    tokens,
    retry,
    budget,
    settings
  })
}
