// The simulator stays readable: no file of it over 400 lines (issue 19 split
// graph.js, then 511 lines, by concern).
import { describe, expect, it } from '@jest/globals'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const SIMULATOR = join(import.meta.dirname, '..', '..', 'simulator')
const MAX_LINES = 400

describe('the simulator', () => {
  it(`has no file over ${MAX_LINES} lines`, () => {
    const files = readdirSync(SIMULATOR).filter(name => name.endsWith('.js'))
    expect(files.length).toBeGreaterThan(5)
    const long = files
      .map(name => ({
        name,
        lines: readFileSync(join(SIMULATOR, name), 'utf8').split('\n').length
      }))
      .filter(file => file.lines > MAX_LINES)
    expect(long).toEqual([])
  })
})
