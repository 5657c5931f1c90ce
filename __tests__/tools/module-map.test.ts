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
