// Finds a Node 24 binary, the runtime of `runs.using: node24`, for the
// end-to-end tests: this Node when it is 24, else the npm package
// node-<platform>-<arch>@NODE24 (which ships the binary), installed once into
// .node24/ so that `npm ci` stays lean.
//   node scripts/node24.js            prints the binary's path
//   node scripts/node24.js -- cmd...  runs cmd with ACTION_NODE set to it
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

const NODE24 = '24.22.3'
const root = join(import.meta.dirname, '..')

function node24() {
  if (process.version.startsWith('v24.')) return process.execPath
  const pkg = `node-${process.platform}-${process.arch}`
  const prefix = join(root, '.node24')
  const binary = join(prefix, 'node_modules', pkg, 'bin', 'node')
  if (existsSync(binary) && version(binary) === `v${NODE24}`) return binary
  console.error(`Installing Node ${NODE24} (npm package ${pkg}) into .node24/ for the tests…`)
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const install = spawnSync(
    npm,
    ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `${pkg}@${NODE24}`],
    { stdio: ['ignore', 'ignore', 'inherit'] }
  )
  if (install.status !== 0 || !existsSync(binary)) {
    console.error(
      `Node 24 is required: the end-to-end tests also run dist/index.js on Node 24, the runtime of ` +
        `runs.using: node24. Installing ${pkg}@${NODE24} from the npm registry failed. ` +
        `Install it by hand with: npm install --prefix .node24 ${pkg}@${NODE24}`
    )
    process.exit(1)
  }
  return binary
}

/** @param {string} binary */
function version(binary) {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim()
  } catch {
    return ''
  }
}

const binary = node24()
const separator = process.argv.indexOf('--')
if (separator < 0) {
  console.log(binary)
} else {
  const [command, ...args] = process.argv.slice(separator + 1)
  console.error(`End-to-end tests on ${version(binary)} (${binary})`)
  const run = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, ACTION_NODE: binary, EXPECT_NODE_MAJOR: '24' }
  })
  process.exit(run.status ?? 1)
}
