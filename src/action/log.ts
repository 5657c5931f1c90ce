// The engine's Log, written as the Actions runner reads it: plain lines, debug
// lines and warnings as workflow commands, and secrets masked with add-mask.
import * as core from '@actions/core'
import { rememberSecret } from '../engine/index.js'
import type { Log } from '../engine/index.js'

export function actionLog(): Log {
  // The front door masks the secret inputs before the engine masks them again.
  const masked = new Set<string>()
  return {
    info: message => core.info(message),
    debug: message => core.debug(message),
    warning: message => core.warning(message),
    secret: value => {
      if (masked.has(value)) return
      masked.add(value)
      core.setSecret(value)
      // The runner masks a secret whole: the engine masks it before it cuts text.
      rememberSecret(value)
    }
  }
}
