// The two things the engine can wait for, and what their values mean.
import type { GraphClient } from './graph.js'
import { objectField, stringField } from './json.js'
import type { JsonObject } from './json.js'
import type { Target } from './settings.js'
import type { Verdict, Watched } from './wait.js'

/** Why a resource failed: for the outputs, and the one-line message. */
export interface Failure {
  code: string
  message: string
  text: string
}

export interface Watch extends Watched {
  /** "operation 'x' of connection 'y'" or "connection 'y'", for messages. */
  label: string
  /** Why a resource whose verdict is failed failed. */
  failureOf: (resource: JsonObject) => Failure
}

// Statuses are matched case-insensitively; anything else keeps the wait going.
const OPERATION_VERDICTS = new Map<string, Verdict>([
  ['completed', 'done'],
  ['failed', 'failed'],
  ['unspecified', 'pending'],
  ['inprogress', 'pending']
])
const CONNECTION_VERDICTS = new Map<string, Verdict>([
  ['ready', 'done'],
  ['limitexceeded', 'failed'],
  ['obsolete', 'failed'],
  ['draft', 'pending']
])

const CONNECTION_FAILURES = new Map<string, string>([
  [
    'limitexceeded',
    'the tenant has reached a Microsoft Graph connectors limit (connections or items). ' +
      'Delete connections or items you no longer need, or raise the limit, then try again.'
  ],
  ['obsolete', 'the connection is obsolete and can no longer be used: create a new connection.']
])

export function watchFor(target: Target, graph: GraphClient): Watch {
  if (target.kind === 'operation') {
    return {
      label: `operation '${target.operationId}' of connection '${target.connectionId}'`,
      read: () => graph.getOperation(target),
      statusOf: resource => String(resource.status),
      verdictOf: status => OPERATION_VERDICTS.get(status.toLowerCase()),
      failureOf: resource => {
        const error = objectField(resource, 'error')
        const code = stringField(error, 'code')
        const message = stringField(error, 'message')
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
    label: `connection '${target.connectionId}'`,
    read: () => graph.getConnection(target.connectionId),
    statusOf: resource => String(resource.state),
    verdictOf: status => CONNECTION_VERDICTS.get(status.toLowerCase()),
    failureOf: resource => {
      const state = String(resource.state)
      const message = CONNECTION_FAILURES.get(state.toLowerCase()) ?? ''
      return {
        code: state,
        message,
        text: `Connection '${target.connectionId}' is ${state}: ${message}`
      }
    }
  }
}
