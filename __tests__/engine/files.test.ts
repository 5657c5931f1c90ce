// Reading a small local file: regular files only, a hard cap on the bytes read,
// and, for the action, nothing outside the workspace.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  FileProblem,
  codeOf,
  kindOf,
  readInputFile,
  readSmallFile
} from '../../src/engine/files.js'
import { InputError } from '../../src/engine/errors.js'

let dir = ''
let workspace = ''
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'files-'))
  workspace = join(dir, 'workspace')
  mkdirSync(join(workspace, 'connector'), { recursive: true })
  writeFileSync(join(workspace, 'connector', 'schema.json'), '{"properties":[]}')
  writeFileSync(join(dir, 'secret.json'), '{"baseType":"SECRET"}')
  writeFileSync(join(dir, 'empty.json'), '')
  writeFileSync(join(dir, 'big.json'), 'x'.repeat(200_000))
  execFileSync('mkfifo', [join(dir, 'fifo')])
  symlinkSync('/dev/zero', join(workspace, 'zero.json'))
  symlinkSync(join(dir, 'secret.json'), join(workspace, 'outside.json'))
  symlinkSync('connector/schema.json', join(workspace, 'inside.json'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** What readSmallFile says, and how long it took to say it. */
function problemOf(read: () => string): { reason: string; tooLarge: boolean; ms: number } {
  const started = performance.now()
  try {
    read()
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error
    return { reason: error.reason, tooLarge: error.tooLarge, ms: performance.now() - started }
  }
  throw new Error('read')
}

describe('readSmallFile', () => {
  it('reads a regular file', () => {
    expect(readSmallFile(join(workspace, 'connector', 'schema.json'), 100)).toBe(
      '{"properties":[]}'
    )
  })

  it.each([
    ['a FIFO (no writer is waited for)', () => join(dir, 'fifo'), 'is a FIFO (named pipe)'],
    ['a device', () => '/dev/zero', 'is a device'],
    ['a symlink to a device', () => join(workspace, 'zero.json'), 'is a device'],
    ['a directory', () => dir, 'is a directory']
  ])('refuses %s at once', (_name, path, kind) => {
    const problem = problemOf(() => readSmallFile(path(), 1024))
    expect(problem).toMatchObject({ reason: `${kind}, not a regular file`, tooLarge: false })
    expect(problem.ms).toBeLessThan(1_000)
  })

  it('counts the bytes it reads, not the size fstat reports (0 for /proc files)', () => {
    expect(problemOf(() => readSmallFile('/proc/self/status', 10))).toMatchObject({
      reason: 'has more than 10 bytes',
      tooLarge: true
    })
  })

  it('refuses a file fstat already says is too large, with its size', () => {
    expect(problemOf(() => readSmallFile(join(dir, 'secret.json'), 5))).toMatchObject({
      reason: 'has 21 bytes',
      tooLarge: true
    })
  })

  it('reads a file of exactly the bound, and an empty one with a bound of 0', () => {
    expect(readSmallFile(join(dir, 'secret.json'), 21)).toBe('{"baseType":"SECRET"}')
    expect(readSmallFile(join(dir, 'big.json'), 200_000)).toHaveLength(200_000)
    expect(readSmallFile(join(dir, 'empty.json'), 0)).toBe('')
  })

  it('says why a file that opens cannot be read (/proc/self/mem answers EIO)', () => {
    expect(problemOf(() => readSmallFile('/proc/self/mem', 10))).toMatchObject({
      reason: 'cannot be read (EIO)',
      tooLarge: false
    })
  })

  it('closes the file whatever happens', () => {
    const open = () => readdirSync('/proc/self/fd').length
    const before = open()
    readSmallFile(join(dir, 'secret.json'), 100)
    problemOf(() => readSmallFile(join(dir, 'secret.json'), 5))
    problemOf(() => readSmallFile(dir, 5))
    problemOf(() => readSmallFile('/proc/self/mem', 10))
    expect(open()).toBe(before)
  })

  it('says why a file cannot be opened', () => {
    expect(problemOf(() => readSmallFile(join(dir, 'nope'), 5)).reason).toBe(
      'cannot be read (ENOENT)'
    )
  })
})

describe('readSmallFile within a workspace', () => {
  const within = (path: string) => readSmallFile(path, 1024, { within: workspace })

  it('reads a file inside it, through a symlink that stays inside', () => {
    expect(within(join(workspace, 'inside.json'))).toBe('{"properties":[]}')
  })

  it.each([
    ['through ../', () => join(workspace, '..', 'secret.json')],
    ['by an absolute path', () => join(dir, 'secret.json')],
    ['through a symlink', () => join(workspace, 'outside.json')]
  ])('refuses a file outside it %s, before reading it', (_name, path) => {
    const { reason } = problemOf(() => within(path()))
    expect(reason).toBe(
      `is outside the workspace (it resolves to '${join(dir, 'secret.json')}'), so it is not read`
    )
    expect(reason).not.toContain('SECRET')
  })

  it('takes the workspace itself as inside it, and its parent as outside', () => {
    expect(problemOf(() => within(workspace)).reason).toBe('is a directory, not a regular file')
    expect(problemOf(() => within(dir)).reason).toBe(
      `is outside the workspace (it resolves to '${dir}'), so it is not read`
    )
  })

  it('refuses a workspace symlink to a device as outside it', () => {
    expect(problemOf(() => within(join(workspace, 'zero.json'))).reason).toMatch(
      /^is outside the workspace \(it resolves to '\/dev\/zero'\)/
    )
  })
})

describe('readInputFile', () => {
  const voice = { subject: (setting: string) => `Input ${setting}`, relativeTo: 'the workspace' }
  const expected = { maxBytes: 10, what: 'a schema is smaller', example: 'connector/schema.json' }

  it('names the setting and the file, inside the workspace it is given', () => {
    const outside = { path: join(dir, 'secret.json'), shown: '../secret.json', within: workspace }
    expect(() => readInputFile(outside, 'schema-file', voice as never, expected)).toThrow(
      new InputError(
        `Input schema-file: '../secret.json' is outside the workspace (it resolves to ` +
          `'${join(dir, 'secret.json')}'), so it is not read. It must be the path of a JSON ` +
          'file, relative to the workspace, such as connector/schema.json.'
      )
    )
    const large = { path: join(dir, 'secret.json'), shown: 'secret.json' }
    expect(() => readInputFile(large, 'schema-file', voice as never, expected)).toThrow(
      /^Input schema-file: 'secret.json' has 21 bytes; a schema is smaller \(at most /
    )
  })
})

describe('kindOf and codeOf', () => {
  const stats = (kind: string) => ({
    isFIFO: () => kind === 'fifo',
    isDirectory: () => kind === 'directory',
    isCharacterDevice: () => kind === 'character',
    isBlockDevice: () => kind === 'block',
    isSocket: () => kind === 'socket'
  })

  it('names what a file that is not a regular file is', () => {
    expect(
      ['fifo', 'directory', 'character', 'block', 'socket', 'other'].map(kind =>
        kindOf(stats(kind))
      )
    ).toEqual([
      'a FIFO (named pipe)',
      'a directory',
      'a device',
      'a device',
      'a socket',
      'a special file'
    ])
  })

  it("gives an error's code, or says it is unreadable", () => {
    expect(codeOf(Object.assign(new Error('x'), { code: 'EACCES' }))).toBe('EACCES')
    expect(codeOf(new Error('x'))).toBe('unreadable')
  })
})
