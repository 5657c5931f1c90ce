// What the engine needs to tell the person watching: each front door (the
// action, the command line) passes its own, so the engine never knows where
// its lines go. Every message is one line, already safe to print.
export interface Log {
  info(message: string): void
  /** Shown only when the user asked for debug output. */
  debug(message: string): void
  warning(message: string): void
  /** Hides the value from everything printed after this call. */
  secret(value: string): void
}
