import { run } from './action/main.js'
import { exitWhenFlushed } from './exit.js'

// The exit code is process.exitCode, set by run().
void run().finally(() => exitWhenFlushed())
