// The module map in CONTRIBUTING.md stays true: one row for each file in src/,
// and no row for a file that is gone.
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [relative(ROOT, path)] : []
  })
}

function mappedFiles(): string[] {
  const contributing = readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8')
  const section = contributing.split('\n## Module map\n')[1]?.split('\n## ')[0] ?? ''
  return [...section.matchAll(/^\| `(src\/[^`]+)`/gm)].map(match => match[1])
}

describe("CONTRIBUTING.md's module map", () => {
  it('has one row for each file in src/, and none for a file that is not there', () => {
    const mapped = mappedFiles()
    expect(mapped.length).toBeGreaterThan(30)
    expect(new Set(mapped).size).toBe(mapped.length)
    expect([...mapped].sort()).toEqual(sourceFiles(join(ROOT, 'src')).sort())
  })
})

// What `npm run mutate` leaves out, and why (the same list as the comment at
// the top of stryker.config.mjs): a new module is mutated unless it is named here.
const NOT_MUTATED = [
  'src/action/index.ts', // process wiring: only the end-to-end tests run it
  'src/cli/index.ts', // the same
  'src/exit.ts', // the same
  'src/engine/index.ts', // re-exports
  'src/engine/log.ts', // a type
  'src/engine/vocabulary.ts' // generated data, checked against the metadata
]

describe("stryker.config.mjs's mutate list", () => {
  it('names every file in src/ but the entries, re-exports, types and generated data', async () => {
    const { default: config } = (await import(join(ROOT, 'stryker.config.mjs'))) as {
      default: { mutate: string[] }
    }
    expect(new Set(config.mutate).size).toBe(config.mutate.length)
    const expected = sourceFiles(join(ROOT, 'src')).filter(file => !NOT_MUTATED.includes(file))
    expect([...config.mutate].sort()).toEqual(expected.sort())
  })
})
