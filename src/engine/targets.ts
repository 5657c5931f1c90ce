// The two things the engine can wait for, and what their values mean.
import { publicErrorOf } from './graph.js'
import type { GraphClient } from './graph.js'
import { stringField } from './json.js'
import type { JsonObject } from './json.js'
import type { WaitTarget } from './model.js'
import { inert } from './text.js'
import type { StatusMeaning, Watched } from './wait.js'

/** Why a resource failed: for the outputs, and the one-line message. */
export interface Failure {
  code: string
  message: string
  text: string
  /** Graph's error object, as it answered, when it gave one: for the summary. */
  error?: unknown
}

export interface Watch extends Watched {
  /** "operation 'x' of connection 'y'" or "connection 'y'", for messages. */
  label: string
  /** Why a resource whose verdict is failed failed. */
  failureOf: (resource: JsonObject) => Failure
}

// Statuses are matched case-insensitively; anything else keeps the wait going,
// and so does no status at all: every property of a Graph resource may be null.
const OPERATION_STATUSES = new Map<string, StatusMeaning>([
  ['completed', 'done'],
  ['failed', 'failed'],
  ['unspecified', 'pending'],
  ['inprogress', 'pending']
])
const CONNECTION_STATUSES = new Map<string, StatusMeaning>([
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

export function watchFor(target: WaitTarget, graph: GraphClient): Watch {
  if (target.kind === 'operation') {
    return {
      label: `operation '${target.operationId}' of connection '${target.connectionId}'`,
      read: () => graph.getOperation(target),
      statusOf: resource => stringField(resource, 'status'),
      meaningOf: status => OPERATION_STATUSES.get(status.toLowerCase()),
      failureOf: resource => {
        const { code, message } = publicErrorOf(resource.error)
        return {
          code,
          message,
          text:
            `Operation '${target.operationId}' of connection '${target.connectionId}' failed: ` +
            (message ? inert(message) : 'Graph gave no error message.') +
            (code ? ` (code ${inert(code, 100)})` : ''),
          error: resource.error
        }
      }
    }
  }
  return {
    label: `connection '${target.connectionId}'`,
    read: () => graph.getConnection(target.connectionId),
    statusOf: resource => stringField(resource, 'state'),
    meaningOf: status => CONNECTION_STATUSES.get(status.toLowerCase()),
    failureOf: resource => {
      const state = stringField(resource, 'state')
      const message = CONNECTION_FAILURES.get(state.toLowerCase()) ?? ''
      return {
        code: state,
        message,
        text: `Connection '${target.connectionId}' is ${inert(state, 100)}: ${message}`
      }
    }
  }
}
