// Finds a Node binary of one major version for the end-to-end tests: the
// action's bundle runs on Node 24 (the runtime of runs.using: node24), the
// command line's on Node 22, 24 and 26, the maintained majors its `engines` admits
// (see CONTRIBUTING.md). This Node when it is that major, else the npm package
// node-<platform>-<arch> at the pinned version (which ships the binary),
// installed once into .node<major>/ so that `npm ci` stays lean.
//   node scripts/with-node.js 24            prints the binary's path
//   node scripts/with-node.js 24 -- cmd...  runs cmd with ACTION_NODE set to it
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** The version each major resolves to when this machine's Node is another major. */
const PINNED = { 22: '22.23.5', 24: '24.22.3', 26: '26.12.1' }
const root = join(import.meta.dirname, '..')

const major = process.argv[2]
if (!Object.hasOwn(PINNED, major ?? '')) {
  console.error(
    `usage: node scripts/with-node.js <${Object.keys(PINNED).join('|')}> [-- command...]`
  )
  process.exit(2)
}
const wanted = PINNED[/** @type {'22' | '24' | '26'} */ (major)]

function find() {
  if (process.versions.node.split('.')[0] === major) return process.execPath
  const pkg = `node-${process.platform}-${process.arch}`
  const prefix = join(root, `.node${major}`)
  const binary = join(prefix, 'node_modules', pkg, 'bin', 'node')
  if (existsSync(binary) && version(binary) === `v${wanted}`) return binary
  console.error(`Installing Node ${wanted} (npm package ${pkg}) into .node${major}/ for the tests…`)
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const install = spawnSync(
    npm,
    ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `${pkg}@${wanted}`],
    { stdio: ['ignore', 'ignore', 'inherit'] }
  )
  if (install.status !== 0 || !existsSync(binary)) {
    console.error(
      `Node ${major} is required: the end-to-end tests run the bundles on Node 22, 24 and 26. ` +
        `Installing ${pkg}@${wanted} from the npm registry failed. ` +
        `Install it by hand with: npm install --prefix .node${major} ${pkg}@${wanted}`
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

const binary = find()
const separator = process.argv.indexOf('--')
if (separator < 0) {
  console.log(binary)
} else {
  const [command, ...args] = process.argv.slice(separator + 1)
  console.error(`End-to-end tests on ${version(binary)} (${binary})`)
  const run = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, ACTION_NODE: binary, EXPECT_NODE_MAJOR: major }
  })
  process.exit(run.status ?? 1)
}
