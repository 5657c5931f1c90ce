// Runs the bundled command line, dist/cli.js, as a shell or a pipeline would:
// a child process with its own small environment (nothing inherited, so no
// AZURE_* or TF_BUILD of the machine running the tests leaks in).
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { DEFAULTS } from '../../simulator/simulator.js'
import { NODE, OPERATION_ID, simulatorInputs } from './run-action.js'

export { NODE, OPERATION_ID }

export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli.js')

export interface CliRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** The lines of stderr, without the empty one after the last newline. */
  lines: string[]
  durationMs: number
  /** Date.now() when the process exited, comparable with the simulator's timestamps. */
  exitedAt: number
}

export interface CliOptions {
  env?: Record<string, string>
  cwd?: string
  /** Called once the process has started, e.g. to send it a signal. */
  onSpawn?: (child: ChildProcess) => void
  /** Kills the child after this long, so a hung command fails the test instead of stalling it. */
  killAfterMs?: number
  /** What to run instead of `NODE dist/cli.js` (an installed bin, say); args follow it. */
  command?: string[]
}

/** The simulator's app and tenant, as the environment of a pipeline holds them. */
export function secretEnv(): Record<string, string> {
  return {
    AZURE_TENANT_ID: DEFAULTS.tenantId,
    AZURE_CLIENT_ID: DEFAULTS.clientId,
    AZURE_CLIENT_SECRET: DEFAULTS.clientSecret
  }
}

// Sign-in comes from the environment (secretEnv), never from flags.
const CREDENTIAL_INPUTS = new Set(['tenant-id', 'client-id', 'client-secret'])

/** The action's simulator inputs as flags (less the credentials): wait for OPERATION_ID, quickly. */
export function simulatorFlags(url: string, overrides: Record<string, string> = {}): string[] {
  return Object.entries(simulatorInputs(url, overrides))
    .filter(([name]) => !CREDENTIAL_INPUTS.has(name) || name in overrides)
    .flatMap(([name, value]) => [`--${name}`, value])
}

export async function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const [command, ...prefix] = options.command ?? [NODE, CLI]
  const env = { PATH: process.env.PATH ?? '', ...options.env }
  const started = performance.now()
  const child = spawn(command, [...prefix, ...args], {
    env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', chunk => (stdout += chunk))
  child.stderr.on('data', chunk => (stderr += chunk))
  options.onSpawn?.(child)
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 20_000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve =>
    child.on('close', (c, s) => resolve([c, s]))
  )
  clearTimeout(killer)
  return {
    code,
    signal,
    stdout,
    stderr,
    lines: stderr ? stderr.replace(/\n$/, '').split('\n') : [],
    durationMs: performance.now() - started,
    exitedAt: Date.now()
  }
}
