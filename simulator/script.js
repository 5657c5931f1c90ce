// Scripted resources of the simulator: an operation's statuses or a
// connection's states, advanced by poll or by time.

/** @typedef {import('./simulator.js').OperationScript} OperationScript */
/** @typedef {import('./simulator.js').Schema} Schema */

/**
 * @typedef {object} Scripted
 * @property {OperationScript} script
 * @property {number} createdAt
 * @property {number} polls
 * @property {import('./graph-connection.js').Connection} [resource]
 *   A connection's own fields, once created with POST, patched, or set by a test.
 * @property {Schema} [schema]  A schema operation's schema, until it is stored.
 */

/**
 * @param {OperationScript} script
 * @returns {Scripted}
 */
export function scripted(script) {
  return { script, createdAt: Date.now(), polls: 0 }
}

/**
 * The value a scripted resource shows now, counting this read as a poll.
 * @param {Scripted} entry
 */
export function next(entry) {
  entry.polls++
  return shown(entry)
}

/**
 * The value a scripted resource shows now: by time, or the one its last poll
 * read (its first before any poll).
 * @param {Scripted} entry
 */
export function shown(entry) {
  const { statuses, everyMs } = entry.script
  const step = everyMs ? Math.floor((Date.now() - entry.createdAt) / everyMs) : entry.polls - 1
  return statuses[Math.min(Math.max(step, 0), statuses.length - 1)]
}
