// Wires the modules together: settings, sign-in, Graph, the wait, the report.
import * as core from '@actions/core'
import { setTimeout as sleep } from 'node:timers/promises'
import { GraphClient } from './graph.js'
import { HttpTransport } from './http.js'
import { failWithError, pollLogger, reportResult, setOutputs, warnUnknownStatus } from './report.js'
import { readSettings } from './settings.js'
import type { Settings } from './settings.js'
import { TokenSource } from './token.js'
import { waitForOperation } from './wait.js'

const USER_AGENT = 'wait-for-graph-connector-operation'

export async function run(): Promise<void> {
  const now = (): number => performance.now()
  const startedAt = now()
  let settings: Settings
  try {
    settings = readSettings(name => core.getInput(name))
  } catch (error) {
    setOutputs(undefined, now() - startedAt)
    failWithError(error)
    return
  }
  core.setSecret(settings.clientSecret)

  const deadline = startedAt + settings.timeoutMs
  const entra = new HttpTransport(settings.authorityUrl, USER_AGENT, now)
  const graphHttp = new HttpTransport(settings.graphUrl, USER_AGENT, now)
  try {
    const tokens = new TokenSource(entra, settings, now)
    const graph = new GraphClient(graphHttp, d => tokens.get(d), settings)
    const { connectionId, operationId } = settings
    core.info(
      `Waiting for operation ${operationId} of connection ${connectionId} ` +
        `(poll every ${settings.pollIntervalMs / 1000} s, timeout ${settings.timeoutMs / 1000} s)`
    )
    const result = await waitForOperation({
      getOperation: () => graph.getOperation({ connectionId, operationId }, deadline),
      now,
      sleep: ms => sleep(ms),
      pollIntervalMs: settings.pollIntervalMs,
      deadline,
      onPoll: pollLogger(now, startedAt),
      onUnknownStatus: warnUnknownStatus
    })
    reportResult(result, { ...settings, elapsedMs: now() - startedAt })
  } catch (error) {
    setOutputs(undefined, now() - startedAt)
    failWithError(error)
  } finally {
    // Keep-alive sockets would otherwise hold the process open after the verdict.
    entra.dispose()
    graphHttp.dispose()
  }
}
