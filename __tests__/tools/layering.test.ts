// The layout holds: imports in src/ point one way. The engine never reaches
// the front doors or @actions/core (its transport uses @actions/http-client), the front doors never reach each other and
// enter the engine only through src/engine/index.ts, and no module imports
// itself back through others (no cycles, type-only imports included).
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [relative(ROOT, path)] : []
  })
}

// `import … from 'x'`, `export … from 'x'` and `import 'x'`, over several lines too.
const IMPORT = /^\s*(?:import|export)\s+(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm

/** What a file imports: src/ files by path (from the root), packages by name. */
function importsOf(file: string, text: string): string[] {
  return [...text.matchAll(IMPORT)].map(([, spec]) =>
    spec.startsWith('.')
      ? relative(ROOT, resolve(ROOT, dirname(file), spec)).replace(/\.js$/, '.ts')
      : spec
  )
}

/** Each cycle found, as the files around it; none in a graph without one. */
function cyclesIn(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const visit = (node: string): void => {
    state.set(node, 'open')
    path.push(node)
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next])
      else if (!state.has(next)) visit(next)
    }
    path.pop()
    state.set(node, 'done')
  }
  for (const node of graph.keys()) if (!state.has(node)) visit(node)
  return cycles
}

const graph = new Map(
  sourceFiles(join(ROOT, 'src')).map(file => [
    file,
    importsOf(file, readFileSync(join(ROOT, file), 'utf8'))
  ])
)
/** Every import of the files under `from` that breaks `rule`, as "file → import". */
const breaking = (from: string, rule: (imported: string) => boolean): string[] =>
  [...graph]
    .filter(([file]) => file.startsWith(from))
    .flatMap(([file, imports]) => imports.filter(rule).map(imported => `${file} → ${imported}`))

describe('the layering of src/', () => {
  it('reads every import, one-line or not, of the files it knows', () => {
    expect(graph.size).toBeGreaterThan(40)
    expect(graph.get('src/engine/index.ts')).toContain('src/engine/run.ts')
    expect(graph.get('src/cli/main.ts')).toContain('src/engine/index.ts')
    expect(graph.get('src/action/main.ts')).toContain('@actions/core')
  })

  it('has no import cycle', () => {
    expect(cyclesIn(graph)).toEqual([])
  })

  it('keeps the engine free of the front doors and of @actions/core', () => {
    expect(
      breaking(
        'src/engine/',
        imported =>
          imported === '@actions/core' ||
          imported.startsWith('src/action/') ||
          imported.startsWith('src/cli/')
      )
    ).toEqual([])
  })

  it('keeps each front door out of the other', () => {
    expect(breaking('src/action/', imported => imported.startsWith('src/cli/'))).toEqual([])
    expect(breaking('src/cli/', imported => imported.startsWith('src/action/'))).toEqual([])
  })

  it('lets the front doors into the engine through its one front only', () => {
    const inside = (imported: string): boolean =>
      imported.startsWith('src/engine/') && imported !== 'src/engine/index.ts'
    expect([...breaking('src/action/', inside), ...breaking('src/cli/', inside)]).toEqual([])
  })
})

describe('the checks themselves', () => {
  it('find a cycle, and only a cycle', () => {
    const cyclic = new Map([
      ['a', ['b']],
      ['b', ['c', 'node:fs']],
      ['c', ['a']],
      ['d', ['a']]
    ])
    expect(cyclesIn(cyclic)).toEqual([['a', 'b', 'c', 'a']])
    expect(cyclesIn(new Map([['a', ['a']]]))).toEqual([['a', 'a']])
    expect(
      cyclesIn(
        new Map([
          ['a', ['b']],
          ['b', []],
          ['c', ['a', 'b']]
        ])
      )
    ).toEqual([])
  })

  it('read each form of import, relative ones as files of src/', () => {
    const text = [
      "import { a } from './a.js'",
      'import type {',
      '  B,',
      '  C',
      "} from '../engine/b.js'",
      "export { d } from './d.js'",
      "import * as core from '@actions/core'",
      "import 'node:fs'",
      "// import { x } from './not-code.js'"
    ].join('\n')
    expect(importsOf('src/cli/x.ts', text)).toEqual([
      'src/cli/a.ts',
      'src/engine/b.ts',
      'src/cli/d.ts',
      '@actions/core',
      'node:fs'
    ])
  })
})
