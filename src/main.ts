// Wires the modules together: settings, sign-in, Graph, the wait, the report.
import * as core from '@actions/core'
import { setTimeout as delay } from 'node:timers/promises'
import { createCredential } from './credentials.js'
import type { CredentialSettings } from './credentials.js'
import { CancelledError } from './errors.js'
import { GraphClient } from './graph.js'
import { HttpTransport } from './http.js'
import {
  failWithError,
  logRetry,
  pollLogger,
  reportResult,
  setOutputs,
  warnUnknownStatus
} from './report.js'
import { withRetries } from './retry.js'
import type { Retry } from './retry.js'
import { readSettings } from './settings.js'
import type { Settings } from './settings.js'
import { TokenSource } from './token.js'
import { watchFor } from './targets.js'
import { waitFor } from './wait.js'

const USER_AGENT = 'wait-for-graph-connector-operation'

export async function run(): Promise<void> {
  try {
    await waitAndReport()
  } catch (error) {
    // Last resort, e.g. GITHUB_OUTPUT naming a file that is not there: one
    // annotation, never a stack trace, and a failed step.
    core.error(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = core.ExitCode.Failure
  }
}

async function waitAndReport(): Promise<void> {
  const now = (): number => performance.now()
  const startedAt = now()
  let settings: Settings
  try {
    settings = readSettings(name => core.getInput(name))
  } catch (error) {
    setOutputs({ elapsedMs: now() - startedAt })
    failWithError(error)
    return
  }
  maskCredential(settings.credential)

  // The runner cancels a step with SIGINT, then SIGTERM 7.5 s later: stop at the first.
  const cancel = new AbortController()
  const onSignal = (): void => cancel.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const sleep = async (ms: number): Promise<void> => {
    try {
      await delay(ms, undefined, { signal: cancel.signal })
    } catch (error) {
      throw cancel.signal.aborted ? new CancelledError() : error
    }
  }

  const deadline = startedAt + settings.timeoutMs
  const retry: Retry = attempt => withRetries(attempt, { now, sleep, deadline, onRetry: logRetry })
  const transport = { userAgent: USER_AGENT, now, signal: cancel.signal }
  const entra = new HttpTransport(settings.authorityUrl, transport)
  const graphHttp = new HttpTransport(settings.graphUrl, transport)
  let runner: HttpTransport | undefined
  try {
    const credential = createCredential(
      settings.credential,
      settings.clientId,
      origin => (runner = new HttpTransport(origin, transport)),
      deadline
    )
    const tokens = new TokenSource(entra, settings, credential, retry, now, deadline)
    const graph = new GraphClient(graphHttp, tokens, retry, settings, now, deadline)
    const watch = watchFor(settings.target, graph)
    const result = await core.group(`Waiting for ${watch.describe}`, async () => {
      const every =
        settings.pollIntervalMs === 'auto'
          ? 'every 2 s at first, slowing to 30 s as the wait grows'
          : `every ${settings.pollIntervalMs / 1000} s`
      core.info(`Polling ${every}; timeout ${settings.timeoutMs / 1000} s`)
      return waitFor(watch, {
        now,
        sleep,
        pollIntervalMs: settings.pollIntervalMs,
        startedAt,
        deadline,
        onPoll: pollLogger(now, startedAt),
        onUnknownStatus: warnUnknownStatus
      })
    })
    await reportResult(result, { ...settings, watch, elapsedMs: now() - startedAt })
  } catch (error) {
    setOutputs({ target: settings.target, elapsedMs: now() - startedAt })
    failWithError(error)
  } finally {
    // Keep-alive sockets would otherwise hold the process open after the verdict.
    entra.dispose()
    graphHttp.dispose()
    runner?.dispose()
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/** Masks every credential value before anything can print it. */
function maskCredential(credential: CredentialSettings): void {
  switch (credential.kind) {
    case 'secret':
      core.setSecret(credential.secret)
      return
    case 'certificate':
      // The runner masks line by line, so each line of the key is masked on its own.
      for (const line of credential.certificate.keyLines) core.setSecret(line)
      return
    case 'oidc':
      core.setSecret(credential.requestToken)
  }
}
