// The --output-file: checked when the command starts, so a bad path fails
// before any request, but opened only at the end, to write the outputs. Only a
// regular file or a new one is taken: a symlink's target is never truncated,
// and a FIFO is never waited on.
import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  writeSync
} from 'node:fs'
import { dirname } from 'node:path'
import { codeOf, inert, kindOf } from '../engine/index.js'

// O_NOFOLLOW: a symlink put in its place since the check is not followed.
// O_NONBLOCK: a FIFO put there fails at once (ENXIO) rather than waiting for a reader.
const WRITE_FLAGS =
  constants.O_WRONLY |
  constants.O_CREAT |
  constants.O_TRUNC |
  constants.O_NOFOLLOW |
  constants.O_NONBLOCK

/** Why the outputs cannot be written to `path`, in one line; '' when they can. Writes nothing. */
export function outputFileProblem(path: string): string {
  let stats
  try {
    stats = lstatSync(path)
  } catch (error) {
    if (codeOf(error) !== 'ENOENT') return cannotWrite(path, codeOf(error))
    // A new file: its folder must be writable. (lstat has said ENOTDIR when it is a file.)
    try {
      accessSync(dirname(path), constants.W_OK)
      return ''
    } catch (folderError) {
      return cannotWrite(path, codeOf(folderError))
    }
  }
  if (stats.isSymbolicLink()) {
    return (
      `--output-file must not be a symlink: '${inert(path, 200)}'. Name the file itself, ` +
      'or a new path such as gate.env.'
    )
  }
  if (!stats.isFile()) return notRegular(path, kindOf(stats))
  try {
    accessSync(path, constants.W_OK)
    return ''
  } catch (error) {
    return cannotWrite(path, codeOf(error))
  }
}

/** Writes the outputs to `path`; the problem in one line, or '' when they are written. */
export function writeOutputFile(path: string, text: string): string {
  let fd: number
  try {
    fd = openSync(path, WRITE_FLAGS, 0o666)
  } catch (error) {
    return cannotWrite(path, codeOf(error))
  }
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile()) return notRegular(path, kindOf(stats))
    writeSync(fd, text)
    return ''
  } catch (error) {
    return cannotWrite(path, codeOf(error))
  } finally {
    closeSync(fd)
  }
}

function cannotWrite(path: string, code: string): string {
  return `--output-file cannot be written: '${inert(path, 200)}' (${code}).`
}

function notRegular(path: string, kind: string): string {
  return `--output-file '${inert(path, 200)}' is ${kind}, not a regular file: name a file, or a new path such as gate.env.`
}
