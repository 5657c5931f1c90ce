// The --output-file: refused at the start when it is not a regular file or a
// new path, and written only at the end, never through a symlink or into a FIFO.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { outputFileProblem, writeOutputFile } from '../../src/cli/output-file.js'

let dir = ''
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'output-file-'))
  writeFileSync(join(dir, 'precious'), 'keep me')
  writeFileSync(join(dir, 'old.env'), 'STATUS=old\n')
  symlinkSync(join(dir, 'precious'), join(dir, 'link.env'))
  execFileSync('mkfifo', [join(dir, 'fifo.env')])
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('outputFileProblem', () => {
  it('takes a new path in a folder that is there, and a regular file, writing nothing', () => {
    expect(outputFileProblem(join(dir, 'new.env'))).toBe('')
    expect(outputFileProblem(join(dir, 'old.env'))).toBe('')
    expect(readFileSync(join(dir, 'old.env'), 'utf8')).toBe('STATUS=old\n')
  })

  it('refuses a symlink, leaving its target as it is', () => {
    const path = join(dir, 'link.env')
    expect(outputFileProblem(path)).toBe(
      `--output-file must not be a symlink: '${path}'. Name the file itself, or a new path such as gate.env.`
    )
    expect(readFileSync(join(dir, 'precious'), 'utf8')).toBe('keep me')
  })

  it.each([
    ['a FIFO', () => join(dir, 'fifo.env'), 'a FIFO (named pipe)'],
    ['a directory', () => dir, 'a directory'],
    ['a device', () => '/dev/null', 'a device']
  ])('refuses %s at once', (_name, path, kind) => {
    expect(outputFileProblem(path())).toBe(
      `--output-file '${path()}' is ${kind}, not a regular file: name a file, or a new path such as gate.env.`
    )
  })

  it('refuses a path whose folder is not there, or is a file', () => {
    expect(outputFileProblem(join(dir, 'none', 'x.env'))).toBe(
      `--output-file cannot be written: '${join(dir, 'none', 'x.env')}' (ENOENT).`
    )
    expect(outputFileProblem(join(dir, 'precious', 'x.env'))).toBe(
      `--output-file cannot be written: '${join(dir, 'precious', 'x.env')}' (ENOTDIR).`
    )
  })

  it('names why a path cannot be looked at', () => {
    const path = join(dir, 'x'.repeat(300))
    expect(outputFileProblem(path)).toBe(
      `--output-file cannot be written: '${path.slice(0, 200)}… [${path.length - 200} more characters cut]' (ENAMETOOLONG).`
    )
  })
})

describe('writeOutputFile', () => {
  it('writes a regular file, replacing what it held', () => {
    expect(writeOutputFile(join(dir, 'old.env'), 'STATUS=completed\n')).toBe('')
    expect(readFileSync(join(dir, 'old.env'), 'utf8')).toBe('STATUS=completed\n')
  })

  it('never writes through a symlink put in place since the check', () => {
    expect(writeOutputFile(join(dir, 'link.env'), 'x')).toMatch(/ \(ELOOP\)\.$/)
    expect(readFileSync(join(dir, 'precious'), 'utf8')).toBe('keep me')
  })

  it('refuses a device put in place since the check, writing nothing to it', () => {
    expect(writeOutputFile('/dev/null', 'x')).toBe(
      "--output-file '/dev/null' is a device, not a regular file: name a file, or a new path such as gate.env."
    )
  })

  it('names why a file cannot be opened or written', () => {
    expect(writeOutputFile(join(dir, 'none', 'x.env'), 'x')).toMatch(/ \(ENOENT\)\.$/)
    // A regular file to fstat whose every write fails.
    expect(writeOutputFile('/proc/self/mem', 'x')).toMatch(/ \(EIO\)\.$/)
  })

  it('closes the file on every path', () => {
    const open = () => readdirSync('/proc/self/fd').length
    const before = open()
    writeOutputFile(join(dir, 'old.env'), 'x')
    writeOutputFile('/dev/null', 'x')
    writeOutputFile('/proc/self/mem', 'x')
    expect(open()).toBe(before)
  })

  it('never waits for a reader of a FIFO put in place since the check', () => {
    const started = performance.now()
    expect(writeOutputFile(join(dir, 'fifo.env'), 'x')).toMatch(/ \(ENXIO\)\.$/)
    expect(performance.now() - started).toBeLessThan(1_000)
  })
})
