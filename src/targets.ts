// The two things the action can wait for, and what their values mean.
import type { GraphClient } from './graph.js'
import type { JsonObject } from './http.js'
import type { Target } from './settings.js'
import type { Verdict, Watched } from './wait.js'

export interface Watch extends Watched {
  /** "operation 'x' of connection 'y'" or "connection 'y'", for messages. */
  describe: string
  /** Why a resource whose verdict is failed failed: outputs, and the one-line annotation. */
  failureOf: (resource: JsonObject) => { code: string; message: string; text: string }
}

// Statuses are matched case-insensitively; anything else keeps the wait going.
const OPERATION_VERDICTS: Record<string, Verdict> = {
  completed: 'done',
  failed: 'failed',
  unspecified: 'pending',
  inprogress: 'pending'
}
const CONNECTION_VERDICTS: Record<string, Verdict> = {
  ready: 'done',
  limitexceeded: 'failed',
  obsolete: 'failed',
  draft: 'pending'
}

const CONNECTION_FAILURES: Record<string, string> = {
  limitexceeded:
    'the tenant has reached a Microsoft Graph connectors limit (connections or items). ' +
    'Delete connections or items you no longer need, or raise the limit, then try again.',
  obsolete: 'the connection is obsolete and can no longer be used: create a new connection.'
}

export function watchFor(target: Target, graph: GraphClient): Watch {
  if (target.kind === 'operation') {
    return {
      describe: `operation '${target.operationId}' of connection '${target.connectionId}'`,
      read: () => graph.getOperation(target),
      statusOf: resource => String(resource.status),
      verdictOf: status => OPERATION_VERDICTS[status.toLowerCase()],
      failureOf: resource => {
        const error =
          resource.error && typeof resource.error === 'object' ? (resource.error as JsonObject) : {}
        const code = stringOr(error.code)
        const message = stringOr(error.message)
        return {
          code,
          message,
          text:
            `Operation '${target.operationId}' of connection '${target.connectionId}' failed: ` +
            (message || 'Graph gave no error message.') +
            (code ? ` (code ${code})` : '')
        }
      }
    }
  }
  return {
    describe: `connection '${target.connectionId}'`,
    read: () => graph.getConnection(target.connectionId),
    statusOf: resource => String(resource.state),
    verdictOf: status => CONNECTION_VERDICTS[status.toLowerCase()],
    failureOf: resource => {
      const state = String(resource.state)
      const message = CONNECTION_FAILURES[state.toLowerCase()] ?? ''
      return {
        code: state,
        message,
        text: `Connection '${target.connectionId}' is ${state}: ${message}`
      }
    }
  }
}

function stringOr(value: unknown): string {
  return typeof value === 'string' ? value : ''
}
