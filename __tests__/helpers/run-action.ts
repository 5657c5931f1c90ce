// Runs the bundled action the way the Actions runner does: `node dist/index.js`
// in a child process, inputs as INPUT_* variables (hyphens kept), and outputs
// written to the file named by GITHUB_OUTPUT.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULTS } from '../../simulator/simulator.js'

export const ACTION = join(import.meta.dirname, '..', '..', 'dist', 'index.js')
/** The Node that runs the action: this one, or Node 24 under `npm run test:node24`. */
export const NODE = process.env.ACTION_NODE || process.execPath

export const OPERATION_ID = '3ed1595a-4bae-43c2-acda-ef973e581323'

/** Inputs that sign in to the simulator at `url` and wait for OPERATION_ID. */
export function simulatorInputs(
  url: string,
  overrides: Record<string, string> = {}
): Record<string, string> {
  return {
    'tenant-id': DEFAULTS.tenantId,
    'client-id': DEFAULTS.clientId,
    'client-secret': DEFAULTS.clientSecret,
    'connection-id': DEFAULTS.connectionId,
    'operation-id': OPERATION_ID,
    'poll-interval-seconds': '0.2',
    'timeout-seconds': '15',
    'graph-url': url,
    'authority-url': url,
    ...overrides
  }
}

/**
 * The defaults action.yml declares, which the runner passes as INPUT_* for every
 * input the workflow leaves out. Read with a line parser: action.yml keeps each
 * default on one line.
 */
export function actionDefaults(): Record<string, string> {
  const yml = readFileSync(join(import.meta.dirname, '..', '..', 'action.yml'), 'utf8')
  const inputs = yml.slice(yml.indexOf('\ninputs:'), yml.indexOf('\noutputs:'))
  const defaults: Record<string, string> = {}
  let name = ''
  for (const line of inputs.split('\n')) {
    const input = /^ {2}([a-z-]+):\s*$/.exec(line)
    if (input) name = input[1]
    const value = /^ {4}default:\s*'?([^']*)'?\s*$/.exec(line)
    if (value && name) defaults[name] = value[1]
  }
  return defaults
}

/** The inputs action.yml declares, in its order. */
export function actionInputs(): string[] {
  return namesIn('\ninputs:', '\noutputs:')
}

/** The outputs action.yml declares: every one must be set in every outcome. */
export function actionOutputs(): string[] {
  return namesIn('\noutputs:', '\nruns:')
}

/** The names of one section of action.yml (the keys indented by two spaces). */
function namesIn(start: string, end: string): string[] {
  const yml = readFileSync(join(import.meta.dirname, '..', '..', 'action.yml'), 'utf8')
  const section = yml.slice(yml.indexOf(start), yml.indexOf(end))
  return [...section.matchAll(/^ {2}([a-z-]+):\s*$/gm)].map(match => match[1])
}

export interface ActionRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  /** What the step wrote to GITHUB_STEP_SUMMARY. */
  summary: string
  /** The `::error::` lines, decoded. */
  errors: string[]
  /** The `::warning::` lines, decoded. */
  warnings: string[]
  durationMs: number
  /** Date.now() when the process exited, comparable with the simulator's timestamps. */
  exitedAt: number
}

export interface RunOptions {
  env?: Record<string, string>
  /** Called once the process has started, e.g. to send it a signal. */
  onSpawn?: (pid: number) => void
  /** Kills the child after this long, so a hung action fails the test instead of stalling it. */
  killAfterMs?: number
}

export async function runAction(
  inputs: Record<string, string>,
  options: RunOptions = {}
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'action-run-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    ...options.env
  }
  // As the runner does: every default from action.yml, then what the workflow sets.
  for (const [name, value] of Object.entries({ ...actionDefaults(), ...inputs })) {
    env[`INPUT_${name.toUpperCase()}`] = value
  }

  const started = performance.now()
  const child = spawn(NODE, [ACTION], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', chunk => (stdout += chunk))
  child.stderr.on('data', chunk => (stderr += chunk))
  if (child.pid) options.onSpawn?.(child.pid)
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 20_000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(resolve =>
    child.on('close', (c, s) => resolve([c, s]))
  )
  clearTimeout(killer)
  const exitedAt = Date.now()
  const durationMs = performance.now() - started
  const outputs = parseOutputFile(readFileSync(outputFile, 'utf8'))
  const summary = readFileSync(summaryFile, 'utf8')
  rmSync(dir, { recursive: true, force: true })
  return {
    code,
    signal,
    stdout,
    stderr,
    outputs,
    summary,
    errors: commandLines(stdout, 'error'),
    warnings: commandLines(stdout, 'warning'),
    durationMs,
    exitedAt
  }
}

// The runner's file-command format: name<<DELIMITER, value lines, DELIMITER.
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!match) continue
    const [, name, delimiter] = match
    const value: string[] = []
    while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i])
    outputs[name] = value.join('\n')
  }
  return outputs
}

function commandLines(stdout: string, command: string): string[] {
  const prefix = new RegExp(`^::${command}(?: [^:]*)?::`)
  return stdout
    .split('\n')
    .filter(line => prefix.test(line))
    .map(line =>
      line.replace(prefix, '').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
    )
}

/** The raw `::error …::` and `::warning …::` lines, properties included (file, line, title). */
export function annotationLines(stdout: string): string[] {
  return stdout.split('\n').filter(line => /^::(error|warning)[ :]/.test(line))
}
