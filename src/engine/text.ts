// How the engine writes numbers and names into its one-line messages.

/** 0.4 s, 9.9 s, 12 s, 1800 s: tenths below ten seconds, whole seconds above. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
