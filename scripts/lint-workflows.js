// Checks the workflows against GitHub's workflow schema, since they cannot run
// on a development machine. (action.yml is not checked this way: the
// validator's schema does not know runs.using: node24 yet.)
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..')
const files = ['.github/workflows', 'examples'].flatMap(dir =>
  readdirSync(join(root, dir))
    .filter(name => name.endsWith('.yml'))
    .map(name => `${dir}/${name}`)
)
const validator = join(root, 'node_modules', '.bin', 'action-validator')
let failed = 0
for (const file of files) {
  const check = spawnSync(validator, [file], { cwd: root, encoding: 'utf8' })
  if (check.status !== 0) {
    failed++
    console.error(`${file}:\n${check.stdout}${check.stderr}`)
  }
}
console.log(`${files.length - failed} of ${files.length} workflows valid`)
process.exitCode = failed ? 1 : 0
