// Reads the small local files a run needs (a schema file, a certificate, a
// federated token) under one bound on their size; each caller says in its own
// words what the file was for.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs'

/** Why a file was not read: too large (its size), or not readable (the error code). */
export class FileProblem extends Error {
  constructor(
    readonly size?: number,
    readonly code?: string
  ) {
    super(size === undefined ? `cannot be read (${code})` : `has ${size} bytes`)
  }
}

/**
 * The file's text, at most `maxBytes` of it. One open file serves the size
 * check and the read: a platform may replace the file meanwhile.
 */
export function readSmallFile(path: string, maxBytes: number): string {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    throw new FileProblem(undefined, codeOf(error))
  }
  try {
    const { size } = fstatSync(fd)
    if (size > maxBytes) throw new FileProblem(size)
    return readFileSync(fd, 'utf8')
  } catch (error) {
    throw error instanceof FileProblem ? error : new FileProblem(undefined, codeOf(error))
  } finally {
    closeSync(fd)
  }
}

function codeOf(error: unknown): string {
  return (error as { code?: string }).code ?? 'unreadable'
}
