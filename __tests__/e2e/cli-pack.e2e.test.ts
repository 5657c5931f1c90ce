// End-to-end: the package as users get it. `npm pack` the project, install the
// tarball into an empty prefix with npm offline (the bundle is the whole
// runtime: nothing else may need fetching), and run the installed command
// against the simulator.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { DEFAULTS, Simulator, startSimulator } from '../../simulator/simulator.js'
import { NODE, OPERATION_ID, runCli, secretEnv, simulatorFlags } from '../helpers/run-cli.js'

const ROOT = join(import.meta.dirname, '..', '..')
const NAME = 'wait-for-graph-connector-operation'
const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

let dir = ''
let packed: { filename: string; files: { path: string }[] }
let sim: Simulator

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-pack-'))
  packed = JSON.parse(npm(['pack', '--json', '--pack-destination', dir], ROOT))[0]
  npm(
    ['install', '--prefix', join(dir, 'prefix'), '--offline', '--no-audit', '--no-fund'].concat(
      join(dir, packed.filename)
    ),
    dir
  )
  sim = await startSimulator()
  sim.setOperation(DEFAULTS.connectionId, OPERATION_ID, { statuses: ['inprogress', 'completed'] })
}, 60_000)
afterAll(async () => {
  await sim?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the packed tarball', () => {
  it('holds the bundle and no sources, and declares no install script', () => {
    const files = packed.files.map(file => file.path)
    // npm always adds package.json, README.md and LICENSE; dist/index.js is the action's.
    expect(files.sort()).toEqual([
      'LICENSE',
      'README.md',
      'dist/cli.js',
      'dist/licenses.txt',
      'package.json'
    ])
    expect(files.filter(file => file.startsWith('src/') || file.startsWith('__tests__/'))).toEqual(
      []
    )
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
    expect(manifest.bin).toEqual({ [NAME]: 'dist/cli.js' })
    expect(manifest.dependencies ?? {}).toEqual({})
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) {
      expect(manifest.scripts[script]).toBeUndefined()
    }
  })

  it('installs offline, with nothing but itself', () => {
    const installed = readdirSync(join(dir, 'prefix', 'node_modules')).filter(
      entry => !entry.startsWith('.')
    )
    expect(installed).toEqual([NAME])
  })

  it('runs as the installed command, through its shebang, against the simulator', async () => {
    const bin = join(dir, 'prefix', 'node_modules', '.bin', NAME)
    // `#!/usr/bin/env node` finds the Node this pass is for first on PATH.
    const PATH = [dirname(NODE), process.env.PATH ?? ''].join(delimiter)
    const run = await runCli([...simulatorFlags(sim.url), '--json'], {
      command: [bin],
      env: { ...secretEnv(), PATH }
    })

    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout).status).toBe('completed')
    expect(run.lines.at(-1)).toMatch(/: completed after /)
  })
})
