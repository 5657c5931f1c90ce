#!/usr/bin/env node
// The command line's entry, bundled as dist/cli.js (the package's bin): wires
// the process to main() and ends it as soon as main is done.
import { constants } from 'node:os'
// Inlined at build time: the bundle reads no file to know its version.
import packageJson from '../../package.json' with { type: 'json' }
import { exitWhenFlushed } from '../exit.js'
import { main } from './main.js'

const cancel = new AbortController()
let stoppedBy: NodeJS.Signals | undefined

// Ctrl-C (SIGINT) or SIGTERM stops the run at once: the engine abandons the
// request in flight and the verdict says "Cancelled". A second signal ends the
// process without waiting, in case something hangs.
function onSignal(signal: NodeJS.Signals): void {
  if (stoppedBy) process.exit(128 + constants.signals[signal])
  stoppedBy = signal
  cancel.abort()
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)
// A reader that goes away (`| head`) must not crash the run with EPIPE.
process.stdout.on('error', () => {})
process.stderr.on('error', () => {})

void main({
  args: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  version: packageJson.version,
  signal: cancel.signal,
  stoppedBy: () => stoppedBy
}).then(exitWhenFlushed)
