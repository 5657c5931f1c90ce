import { run } from './action/main.js'

// Ends the process as soon as the verdict is written, once stdout and stderr
// are flushed, rather than by Node's natural teardown: during that teardown
// Node no longer handles signals, so a second SIGINT from the runner arriving
// then would kill a step that has already reported, by signal.
void run()
  .then(() => Promise.all([flushed(process.stdout), flushed(process.stderr)]))
  .finally(() => process.exit())

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise(resolve => stream.write('', () => resolve()))
}
