// The action's entry, bundled as dist/index.js (action.yml's main): runs the
// action and ends the process once its output is flushed.
import { exitWhenFlushed } from '../exit.js'
import { run } from './main.js'

// The exit code is process.exitCode, set by run().
void run().finally(() => exitWhenFlushed())
