// Where the command runs, and so how its lines are written: one row per
// platform, tried in order, the first whose detect() holds making the Output.
// main() and the help both read this table: a new platform (Jenkins, CircleCI)
// is one row here and the file of its Output.
import { azureOutput } from './azure.js'
import type { Output, Stream } from './output.js'
import type { Redactor } from './redact.js'
import { terminalOutput } from './terminal.js'

type Env = Readonly<Record<string, string | undefined>>

export interface PlatformContext {
  streams: { stdout: Stream; stderr: Stream }
  redactor: Redactor
  env: Env
  /** Milliseconds on a monotonic clock. */
  now: () => number
}

export interface Platform {
  /** Where it runs, for the help: 'Azure Pipelines'. */
  name: string
  /** The variable whose presence detect() reads, for the help; none for the fallback. */
  variable?: string
  detect(env: Env): boolean
  /** What its lines are, for the help: completes "With <variable> set (<name>) …". */
  help?: string
  make(context: PlatformContext): Output
}

/** The variables that turn on debug lines, as each platform sets them for a debug run. */
export const DEBUG_SWITCHES: readonly { variable: string; value: string }[] = [
  { variable: 'RUNNER_DEBUG', value: '1' }, // GitHub Actions' step debug logging
  { variable: 'CI_DEBUG_TRACE', value: 'true' } // GitLab CI's debug trace
]

export function debugOn(env: Env): boolean {
  return DEBUG_SWITCHES.some(({ variable, value }) => env[variable] === value)
}

/** In the order they are tried; the last one always applies. */
export const PLATFORMS: readonly Platform[] = [
  {
    name: 'Azure Pipelines',
    variable: 'TF_BUILD',
    detect: env => Boolean(env.TF_BUILD),
    help:
      'everything goes to stdout: warnings and errors as ##vso[task.logissue], the outputs as ' +
      'output variables.',
    make: ({ streams, redactor }) => azureOutput({ stdout: streams.stdout }, redactor)
  },
  {
    name: 'a shell, GitLab CI or any other',
    // What the help says first: progress on stderr, the verdict last.
    detect: () => true,
    make: ({ streams, redactor, env, now }) =>
      terminalOutput(streams, redactor, {
        live: streams.stderr.isTTY === true,
        debug: debugOn(env),
        now
      })
  }
]

/** The first platform whose detect() holds. */
export function platformOf(env: Env, platforms: readonly Platform[] = PLATFORMS): Platform {
  const found = platforms.find(platform => platform.detect(env))
  if (!found) throw new Error('No platform applies: the last row must always apply.')
  return found
}
