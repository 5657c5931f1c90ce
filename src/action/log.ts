// The engine's Log, written as the Actions runner reads it: plain lines, debug
// lines and warnings as workflow commands, and secrets masked with add-mask.
import * as core from '@actions/core'
import type { Log } from '../engine/log.js'

export const actionLog: Log = {
  info: message => core.info(message),
  debug: message => core.debug(message),
  warning: message => core.warning(message),
  secret: value => core.setSecret(value)
}
