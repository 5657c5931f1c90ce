// How both entries end: as soon as stdout and stderr are flushed, rather than by
// Node's natural teardown. During that teardown Node no longer handles signals, so
// a second SIGINT (the runner sends one) would kill a run that has already
// reported; and nothing left over (a keep-alive socket, a timer) may keep the
// process, or the pipeline, waiting.

/** Exits with `code` (else process.exitCode) once what was written is flushed. */
export async function exitWhenFlushed(code?: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)])
  // Not process.exit(undefined): Node 20 reads that as 0, not as process.exitCode.
  if (code !== undefined) process.exitCode = code
  process.exit()
}

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise(resolve => stream.write('', () => resolve()))
}
