// What the repository keeps out: the secret-holding .env CONTRIBUTING.md tells
// developers to write, and, from the npm package, the action's own bundle.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')

describe('the repository', () => {
  it('ignores the .env file the local-action section has you write: it holds a secret', () => {
    const contributing = readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8')
    expect(contributing).toContain("cat > .env <<'ENV'")
    // git check-ignore exits 0 when the path is ignored.
    expect(() => execFileSync('git', ['check-ignore', '-q', '.env'], { cwd: ROOT })).not.toThrow()
  })

  it("packs the command line only: no 'main', which npm would ship (the action's bundle)", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >
    expect(manifest.main).toBeUndefined()
    expect(manifest.files).toEqual(['dist/cli.js', 'dist/licenses.txt'])
  })
})
