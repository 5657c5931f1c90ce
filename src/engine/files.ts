// Reads the small local files a run needs (a schema file, a certificate, a
// federated token) under one bound on their size; each caller says in its own
// words what the file was for. Only regular files are read: a FIFO, a device
// or a directory is refused at once, never waited on or read without end.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs'
import type { Stats } from 'node:fs'
import { relative, isAbsolute, sep } from 'node:path'
import { InputError } from './errors.js'
import type { InputFile, Voice } from './model.js'
import { inert } from './text.js'

/** Why a file was not read, as words that follow its name ("'x.json' is a FIFO, …"). */
export class FileProblem extends Error {
  constructor(
    readonly reason: string,
    /** It was larger than the bound: the caller says what size to expect. */
    readonly tooLarge = false
  ) {
    super(reason)
  }
}

export interface ReadOptions {
  /**
   * A folder the file must be in once every symlink is resolved (the action's
   * workspace); a path that resolves outside it is refused before it is read.
   */
  within?: string
}

// O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused after fstat.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY

/**
 * The file's text, at most `maxBytes` of it, counted as they are read: fstat's
 * size is 0 for /dev/zero, pipes and many /proc files. One open file serves the
 * type check and the read: a platform may replace the file meanwhile.
 */
export function readSmallFile(path: string, maxBytes: number, options: ReadOptions = {}): string {
  const opened = options.within === undefined ? path : insideOf(options.within, path)
  let fd: number
  try {
    // A path resolved inside the folder is opened without following a symlink
    // put in its place since.
    fd = openSync(opened, OPEN_FLAGS | (opened === path ? 0 : constants.O_NOFOLLOW))
  } catch (error) {
    throw new FileProblem(`cannot be read (${codeOf(error)})`)
  }
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile()) throw new FileProblem(`is ${kindOf(stats)}, not a regular file`)
    if (stats.size > maxBytes) throw new FileProblem(`has ${stats.size} bytes`, true)
    return readAtMost(fd, maxBytes)
  } catch (error) {
    throw error instanceof FileProblem
      ? error
      : new FileProblem(`cannot be read (${codeOf(error)})`)
  } finally {
    closeSync(fd)
  }
}

/** Reads until the end of the file, refusing it once it has more than `maxBytes`. */
function readAtMost(fd: number, maxBytes: number): string {
  const buffer = Buffer.alloc(64 * 1024)
  const chunks: Buffer[] = []
  let total = 0
  for (;;) {
    const read = readSync(fd, buffer, 0, buffer.length, null)
    if (read === 0) break
    total += read
    if (total > maxBytes) throw new FileProblem(`has more than ${maxBytes} bytes`, true)
    chunks.push(Buffer.from(buffer.subarray(0, read)))
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** The path with every symlink resolved, when that is inside `folder`; else a FileProblem. */
function insideOf(folder: string, path: string): string {
  let real: string
  let root: string
  try {
    root = realpathSync(folder)
    real = realpathSync(path)
  } catch (error) {
    throw new FileProblem(`cannot be read (${codeOf(error)})`)
  }
  const rest = relative(root, real)
  if (rest === '..' || rest.startsWith(`..${sep}`) || isAbsolute(rest)) {
    throw new FileProblem(
      `is outside the workspace (it resolves to '${inert(real, 200)}'), so it is not read`
    )
  }
  return real
}

/** What a file that is not a regular file is, for messages: 'a FIFO (named pipe)'. */
export function kindOf(
  stats: Pick<Stats, 'isFIFO' | 'isDirectory' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket'>
): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)'
  if (stats.isDirectory()) return 'a directory'
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device'
  if (stats.isSocket()) return 'a socket'
  return 'a special file'
}

/** The code of a failed file operation (ENOENT), or 'unreadable'. */
export function codeOf(error: unknown): string {
  return (error as { code?: string }).code ?? 'unreadable'
}

/**
 * The text of a file a setting names; an InputError naming the setting, saying
 * what the file should be, when it cannot be read.
 */
export function readInputFile(
  file: InputFile,
  setting: string,
  voice: Voice,
  expected: { maxBytes: number; what: string; example: string }
): string {
  try {
    return readSmallFile(file.path, expected.maxBytes, { within: file.within })
  } catch (error) {
    if (!(error instanceof FileProblem)) throw error
    const named = `${voice.subject(setting)}: '${inert(file.shown, 200)}'`
    const mib = expected.maxBytes / 1024 / 1024
    throw new InputError(
      error.tooLarge
        ? `${named} ${error.reason}; ${expected.what} (at most ${mib} MiB is read).`
        : `${named} ${error.reason}. It must be the path of a JSON file, relative ` +
            `to ${voice.relativeTo}, such as ${expected.example}.`
    )
  }
}
