// Runs the action the way people debug actions on their machine, with GitHub's
// @github/local-action: src/action/main.ts under its stand-in for
// @actions/core, with inputs from a dotenv file (INPUT_TENANT-ID=..., and so on).
//   node scripts/local-action.js path/to/.env
// The tool is installed once into .local-action/ rather than as a dependency:
// it needs the real undici, which this project replaces with a stub.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

const VERSION = '7.0.1'
const root = join(import.meta.dirname, '..')
const prefix = join(root, '.local-action')
const tool = join(prefix, 'node_modules', '@github', 'local-action')
const tsx = join(prefix, 'node_modules', '.bin', 'tsx')

const envFile = process.argv[2]
if (!envFile) {
  console.error('usage: node scripts/local-action.js path/to/.env')
  process.exit(2)
}
if (!existsSync(join(tool, 'package.json')) || !existsSync(tsx)) {
  console.error(`Installing @github/local-action@${VERSION} into .local-action/…`)
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const install = spawnSync(
    npm,
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      `@github/local-action@${VERSION}`
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] }
  )
  if (install.status !== 0) process.exit(install.status ?? 1)
}
// What its own launcher does, minus `npm exec tsx`, which would look for tsx
// in this project rather than next to the tool.
const run = spawnSync(
  tsx,
  [join(tool, 'src', 'index.ts'), 'run', root, 'src/action/main.ts', resolve(envFile)],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      TARGET_ACTION_PATH: root,
      NODE_PACKAGE_MANAGER: 'npm',
      NODE_NO_WARNINGS: '1'
    }
  }
)
process.exit(run.status ?? 1)
